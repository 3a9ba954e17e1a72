import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readConfig } from '../../src/config/readConfig.js';
import { pinProblem, usesOf } from '../support/platformFiles.js';
import { actionlintFindings, githubParserErrors } from '../support/platformParsers.js';

// A workflow a maintainer copies from the README is run as written: it must load, and every
// input it passes to the action must be one the action declares.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(ROOT + 'README.md', 'utf8');
const declaredInputs = Object.keys((parse(readFileSync(ROOT + 'action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs);

interface YamlBlock {
  line: number;
  content: string;
}

function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```yaml') continue;
    const end = lines.findIndex((text, j) => j > i && text.trim() === '```');
    blocks.push({ line: i + 1, content: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The `with:` of every step in a block that uses this action (a whole workflow or a bare step list). */
function nightshiftSteps(block: YamlBlock): Record<string, unknown>[] {
  const doc = parse(block.content) as unknown;
  const steps: unknown[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.uses === 'string' && record.uses.startsWith('nightshift-dev/nightshift')) steps.push(record);
      Object.values(record).forEach(collect);
    }
  };
  collect(doc);
  return steps.map((step) => (step as { with?: Record<string, unknown> }).with ?? {});
}

function nightshiftInputs(block: YamlBlock): string[][] {
  return nightshiftSteps(block).map((inputs) => Object.keys(inputs));
}

const blocks = yamlBlocks(readme);
const workflows = blocks.filter((block) => /^jobs:/m.test(block.content));

describe('the workflows in the README', () => {
  it('are found', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(1);
    expect(blocks.flatMap(nightshiftInputs).length).toBeGreaterThanOrEqual(workflows.length);
  });

  it.each(workflows.map((block) => [block.line, block] as const))("README.md line %i: GitHub's parser and actionlint report nothing", async (line, block) => {
    const file = { path: `README.md:${line}`, kind: 'workflow' as const, content: block.content };
    expect(await githubParserErrors(file)).toEqual([]);
    expect(await actionlintFindings(file)).toEqual([]);
  });

  it.each(blocks.map((block) => [block.line, block] as const))('README.md line %i: passes only inputs action.yml declares', (_line, block) => {
    const undeclared = nightshiftInputs(block)
      .flat()
      .filter((name) => !declaredInputs.includes(name));
    expect(undeclared).toEqual([]);
  });

  it.each(workflows.map((block) => [block.line, block] as const))(
    'README.md line %i: pins third-party actions by commit SHA, as our own workflows do',
    (line, block) => {
      const problems = usesOf({ path: `README.md:${line}`, kind: 'workflow', content: block.content }).flatMap((entry) => {
        const problem = pinProblem(entry);
        return problem ? [`${entry.uses}: ${problem}`] : [];
      });
      expect(problems).toEqual([]);
    },
  );

  it.each(blocks.map((block) => [block.line, block] as const))('README.md line %i: its literal inputs are a valid configuration', (_line, block) => {
    for (const inputs of nightshiftSteps(block)) {
      // An expression's value is the workflow's to fill in; the literals must read as the action reads them.
      const literals = Object.entries(inputs).filter(([, value]) => !String(value).includes('${{'));
      expect(() => readConfig(Object.fromEntries(literals.map(([name, value]) => [`INPUT_${name.toUpperCase()}`, String(value)])))).not.toThrow();
    }
  });

  it('the input check can fail', () => {
    expect(nightshiftInputs({ line: 1, content: '- uses: nightshift-dev/nightshift@v0\n  with:\n    no_such_input: 1\n' })).toEqual([['no_such_input']]);
    expect(declaredInputs).not.toContain('no_such_input');
    expect(() => readConfig({ INPUT_PROVIDER: 'openai' })).toThrow(/provider/);
  });
});
