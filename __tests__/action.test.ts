import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_DEFAULTS, INPUT_NAMES } from '../src/config/schema.js';
import { inputVariable } from '../src/config/readConfig.js';
import { outputsOf } from '../src/report/outputs.js';
import { emptyReport } from '../src/records/report.js';

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Array<{ id?: string; env?: Record<string, string>; run?: string }> };
}

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYaml;
const mainStep = action.runs.steps.find((step) => step.id === 'run')!;

describe('action.yml', () => {
  it('is a composite action whose main step hands the secrets over on fd 3, unsets them and execs the bundle', () => {
    expect(action.runs.using).toBe('composite');
    // Only "$VAR" expansions: no input text in the script. __tests__/config/secretHandoff.test.ts runs it.
    expect(mainStep.run!.trimEnd().split('\n')).toEqual([
      `exec 3< <(printf '%s\\0' "$INPUT_ANTHROPIC_API_KEY" "$INPUT_GITHUB_TOKEN" "\${ACTIONS_RUNTIME_TOKEN-}" "\${ACTIONS_ID_TOKEN_REQUEST_TOKEN-}" "$INPUT_APP_PRIVATE_KEY" "$INPUT_ANTHROPIC_HEADERS" "\${AWS_SECRET_ACCESS_KEY-}" "\${AWS_SESSION_TOKEN-}" "\${AWS_BEARER_TOKEN_BEDROCK-}")`,
      'unset INPUT_ANTHROPIC_API_KEY INPUT_GITHUB_TOKEN INPUT_APP_PRIVATE_KEY INPUT_ANTHROPIC_HEADERS ACTIONS_RUNTIME_TOKEN ACTIONS_ID_TOKEN_REQUEST_TOKEN ACTIONS_ID_TOKEN_REQUEST_URL AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_BEARER_TOKEN_BEDROCK',
      'export NIGHTSHIFT_SECRETS_FD=3',
      expect.stringMatching(/^exec node (--[\w-]+=\S+ )*"\$GITHUB_ACTION_PATH\/dist\/index\.js"$/),
    ]);
    // The marker belongs with the descriptor: in env: it would reach runs that have no fd 3.
    expect(Object.keys(mainStep.env ?? {})).not.toContain('NIGHTSHIFT_SECRETS_FD');
  });

  it('forwards every declared input, and only those, as INPUT_<NAME> through env', () => {
    const declared = Object.keys(action.inputs).sort();
    const forwarded = Object.entries(mainStep.env ?? {})
      .filter(([name]) => name.startsWith('INPUT_'))
      .map(([name, value]) => {
        const input = /^\$\{\{ inputs\.([a-z0-9_]+) \}\}$/.exec(value)?.[1];
        expect(name).toBe(`INPUT_${input?.toUpperCase()}`);
        return input!;
      })
      .sort();
    expect(forwarded).toEqual(declared);
  });

  it('declares exactly the inputs the config reads, with the same defaults', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    for (const name of INPUT_NAMES) {
      const declared = action.inputs[name]!;
      expect(declared.description.length).toBeGreaterThan(10);
      // Expression defaults are resolved by the runner; the config's own default applies off Actions.
      if (!String(declared.default).startsWith('${{')) expect([name, String(declared.default ?? '')]).toEqual([name, INPUT_DEFAULTS[name]]);
      expect(inputVariable(name)).toBe(`INPUT_${name.toUpperCase()}`);
    }
  });

  it('declares every output the run writes, each mapped from the main step', () => {
    const written = Object.keys(outputsOf(emptyReport('completed', '')));
    expect(Object.keys(action.outputs).sort()).toEqual(written.sort());
    for (const [name, output] of Object.entries(action.outputs)) {
      expect(output.value).toBe(`\${{ steps.run.outputs.${name} }}`);
      expect(output.description.length).toBeGreaterThan(5);
    }
  });
});
