import type { DoctorItem } from '../records/doctor.js';
import type { Answer, DoctorFacts, FallbackFacts, ForkFacts } from './facts.js';
import { baseRulesItem, ciItem, pullRequestSettingItem, tokenPermissionsItem, workRulesItem } from './githubItems.js';
import { platformItems } from './platformItems.js';
import type { RunTraits } from './traits.js';

/** For a fallback_model the run would refuse: the refusal says which rule, and this what to do. */
export const FALLBACK_FIX =
  'Set fallback_model to another Claude model with a built-in price that takes the same kind of tools as model, or leave it empty (no fallback).';

const KEY_FIX =
  'Create a key in the Anthropic Console and store it as the repository secret the workflow passes as anthropic_api_key (e.g. ANTHROPIC_API_KEY).';

/**
 * From the facts gathered to the checklist: pure, so every combination is a
 * unit test. The traits say what the configured run will do (an app token,
 * signed commits), which changes what the repository must allow.
 */
export function doctorChecklist(facts: DoctorFacts, traits: RunTraits): DoctorItem[] {
  return [
    ...(facts.platform
      ? platformItems(facts.platform, facts.modelName, facts.priceKnown, facts.fallback)
      : [apiKeyItem(facts), modelItem(facts), ...(facts.fallback ? [fallbackItem(facts, facts.fallback)] : [])]),
    tokenPermissionsItem(facts.github, traits),
    pullRequestSettingItem(facts.github, traits),
    baseRulesItem(facts.github, traits),
    workRulesItem(facts.github, traits),
    ciItem(facts.github, traits),
    forkItem(facts.fork),
    verifyItem(facts.verify),
  ];
}

/** The key is what the run would fail on first: an empty one, or one the API refuses. */
export function keyRefused(facts: DoctorFacts): boolean {
  return !facts.apiKeySet || (facts.models?.ok === false && (facts.models.status === 401 || facts.models.status === 403));
}

function apiKeyItem(facts: DoctorFacts): DoctorItem {
  const title = 'The Anthropic API key is valid';
  if (!facts.apiKeySet) return { id: 'api-key', title, status: 'fail', detail: 'anthropic_api_key is empty.', fix: KEY_FIX };
  const models = facts.models;
  if (!models) return { id: 'api-key', title, status: 'unknown', detail: 'The Models API was not asked.', fix: KEY_FIX };
  if (models.ok) return { id: 'api-key', title, status: 'pass', detail: `The key lists ${models.value.length} models (GET /v1/models).` };
  if (models.status === 401 || models.status === 403) {
    return { id: 'api-key', title, status: 'fail', detail: `The API refused the key: ${answerText(models)}.`, fix: KEY_FIX };
  }
  return {
    id: 'api-key',
    title,
    status: 'unknown',
    detail: `GET /v1/models did not answer with models: ${answerText(models)}.`,
    fix: 'If anthropic_base_url points to a gateway, check that it serves the Models API, or check the key there by hand.',
  };
}

function modelItem(facts: DoctorFacts): DoctorItem {
  const base = { id: 'model', title: `The model ${facts.modelName} is available` };
  if (!facts.priceKnown) return unpricedModelItem(base, facts.modelName);
  return servedItem(base, facts, { input: 'model', name: facts.modelName, answer: facts.model });
}

/** The model item on any provider when `model` has no price: the run would stop before its first request. */
export function unpricedModelItem(base: { id: string; title: string }, modelName: string): DoctorItem {
  return {
    ...base,
    status: 'fail',
    detail: `${modelName} has no built-in price, so the dollar budget cannot be kept and the run stops before its first request.`,
    fix: 'Set model_prices, e.g. {"input": 3, "output": 15} (dollars per million tokens).',
  };
}

/** `fallback_model`, right after the model: what the run would refuse before its first request, else asked as the model is. */
function fallbackItem(facts: DoctorFacts, fallback: FallbackFacts): DoctorItem {
  const base = { id: 'fallback-model', title: `The fallback model ${fallback.name} is available` };
  if (fallback.refusal) return { ...base, status: 'fail', detail: fullStop(fallback.refusal), fix: FALLBACK_FIX };
  return servedItem(base, facts, { input: 'fallback_model', name: fallback.name, answer: facts.fallbackModel });
}

/** A model id the run may call, judged from the Models API: its own entry (GET /v1/models/{id}), and the key's list when that is missing. */
function servedItem(
  base: { id: string; title: string },
  facts: DoctorFacts,
  asked: { input: 'model' | 'fallback_model'; name: string; answer: Answer<string> | undefined },
): DoctorItem {
  if (keyRefused(facts)) return { ...base, status: 'unknown', detail: 'Cannot be asked without a key the API accepts.', fix: KEY_FIX };
  const { name, answer } = asked;
  const { models } = facts;
  if (answer?.ok) return { ...base, status: 'pass', detail: `GET /v1/models/${name} found ${answer.value}.` };
  if (answer && answer.status === 404 && models?.ok) {
    return {
      ...base,
      status: 'fail',
      detail: `The key's models do not include ${name} (${models.value.slice(0, 5).join(', ') || 'none listed'}${models.value.length > 5 ? ', …' : ''}).`,
      fix: `Set ${asked.input} to a model id the key may use (GET /v1/models lists them)${asked.input === 'fallback_model' ? ', or leave it empty' : ''}.`,
    };
  }
  return {
    ...base,
    status: 'unknown',
    detail: answer ? `GET /v1/models/${name}: ${answerText(answer)}.` : 'The Models API was not asked.',
    fix: `Check the ${asked.input} id against the Models API or the console.`,
  };
}

function forkItem(fork: ForkFacts): DoctorItem {
  const base = { id: 'fork', title: 'The work happens in the repository itself, not a fork' };
  if (fork.headRepository && fork.repository && fork.headRepository !== fork.repository) {
    const detail = `The pull request comes from the fork ${fork.headRepository}: on its events the workflow token is read-only and secrets are not passed.`;
    return fork.allowForks
      ? { ...base, status: 'warn', detail, fix: 'Expect the run to be unable to push to the fork; ask in a PR from a branch of this repository.' }
      : {
          ...base,
          status: 'fail',
          detail: `${detail} A run is refused (allow_forks is false).`,
          fix: 'Ask on an issue or a PR from a branch of this repository.',
        };
  }
  if (fork.repositoryIsFork) {
    return {
      ...base,
      status: 'warn',
      detail: `${fork.repository ?? 'This repository'} is a fork: the run's pull requests target it, not its parent, and GitHub keeps workflows in a fork disabled until they are enabled there.`,
      fix: 'Run Nightshift in the upstream repository, or enable Actions in this fork knowingly.',
    };
  }
  return { ...base, status: 'pass', detail: `${fork.repository ?? 'The repository'} is not a fork${fork.headRepository ? ', nor is the pull request' : ''}.` };
}

function verifyItem(verify: string[]): DoctorItem {
  const base = { id: 'verify', title: 'Verify commands are declared' };
  if (verify.length > 0) return { ...base, status: 'pass', detail: `${verify.length} command${verify.length === 1 ? '' : 's'}: ${verify.join('; ')}.` };
  return {
    ...base,
    status: 'warn',
    detail: 'No verify commands: a run never calls its work ready without them, so every PR is a draft marked unverified.',
    fix: 'Add verify: with the build and test commands, one per line (e.g. npm ci, then npm test).',
  };
}

/** A sentence ending in one full stop (the run's refusals end in their own). */
export function fullStop(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

/** An answer's status and message, for a sentence. */
export function answerText(answer: Answer<unknown>): string {
  if (answer.ok) return 'ok';
  return answer.status ? `${answer.status} ${answer.message}` : answer.message;
}
