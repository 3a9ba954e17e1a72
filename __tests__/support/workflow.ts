import { readFileSync } from 'node:fs';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { parse } from 'yaml';

/**
 * Reads our example workflows the way the runner does: `if:` conditions and
 * `${{ … }}` values are evaluated by GitHub's own expression engine
 * (`@actions/expressions`), not by code of ours, so an example whose
 * expressions do not mean what we think fails here.
 */

export interface WorkflowStep {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
export interface WorkflowJob {
  if?: string;
  needs?: string | string[];
  strategy?: { matrix?: unknown };
  steps: WorkflowStep[];
}
export interface Workflow {
  on: unknown;
  jobs: Record<string, WorkflowJob>;
}

/** The contexts an expression may read: github, secrets, inputs, matrix, needs, strategy… */
export type Contexts = Record<string, unknown>;

const OUR_ACTION = /^nightshift-dev\/nightshift@/;

export function loadExample(name: string): Workflow {
  return parse(readFileSync(new URL(`../../.github/examples/${name}`, import.meta.url), 'utf8')) as Workflow;
}

/** Evaluates one expression (the text inside `${{ }}`) and returns plain JSON. */
export function evaluate(expression: string, contexts: Contexts): unknown {
  return toJson(evaluateData(expression, contexts));
}

/** Whether a job runs: its `if:` (with or without `${{ }}`) as the runner judges it. */
export function jobRuns(job: WorkflowJob, contexts: Contexts): boolean {
  if (job.if === undefined) return true;
  const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(job.if)?.[1] ?? job.if;
  return truthy(evaluateData(bare, contexts));
}

/** The `with:` of the job's Nightshift step, every value evaluated to the string the runner passes. */
export function nightshiftInputs(job: WorkflowJob, contexts: Contexts): Record<string, string> {
  const step = job.steps.find((candidate) => candidate.uses !== undefined && OUR_ACTION.test(candidate.uses));
  if (!step) throw new Error('the job has no Nightshift step');
  return Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(String(value), contexts)]));
}

/** A workflow value: each `${{ … }}` replaced by its value as a string, the rest kept. */
export function interpolate(value: string, contexts: Contexts): string {
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_whole, expression: string) => evaluateData(expression, contexts).coerceString());
}

interface ActionMetadata {
  inputs: Record<string, { default?: string }>;
  runs: { steps: Array<{ id?: string; env?: Record<string, string> }> };
}

/**
 * The environment action.yml's main step gives the program for these `with:` values:
 * declared defaults applied (`${{ github.token }}` included) and every `env:` entry
 * evaluated, as the runner does for a composite action.
 */
export function compositeStepEnv(given: Record<string, string>, contexts: Contexts): Record<string, string> {
  const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as ActionMetadata;
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, given[name] ?? interpolate(input.default ?? '', contexts)]));
  const step = action.runs.steps.find((candidate) => candidate.id === 'run');
  if (!step?.env) throw new Error('action.yml has no main step with env');
  return Object.fromEntries(Object.entries(step.env).map(([name, value]) => [name, interpolate(value, { ...contexts, inputs })]));
}

function evaluateData(expression: string, contexts: Contexts): data.ExpressionData {
  const lexed = new Lexer(expression.trim()).lex();
  const tree = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const dictionary = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  return new Evaluator(tree, dictionary).evaluate();
}

function toJson(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}
