import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readConfig } from '../../src/config/readConfig.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's Amazon Bedrock subsection, up to the next heading of its level or above. */
function bedrockSection(): string {
  const start = readme.indexOf('\n### Amazon Bedrock\n');
  if (start < 0) throw new Error('README.md has no "### Amazon Bedrock" subsection');
  const rest = readme.slice(start + 1);
  const end = rest.slice(1).search(/\n#{1,3} /);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

const fenced = (section: string, language: string): string[] =>
  [...section.matchAll(new RegExp(`^( *)\`\`\`${language}\\n([\\s\\S]*?)^\\1\`\`\`$`, 'gm'))].map((match) =>
    match[2]!.replace(new RegExp(`^${match[1]}`, 'gm'), ''),
  );

describe('the README’s Amazon Bedrock workflow', () => {
  const [workflow] = fenced(bedrockSection(), 'yaml');

  // That it loads, pins its actions and passes only declared inputs is checked for every README workflow (__tests__/platform/readmeWorkflows.test.ts).
  it('grants id-token: write, assumes a role in a region, and gives Nightshift inputs that make a Bedrock config', () => {
    const parsed = parse(workflow!) as {
      permissions: Record<string, string>;
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
    };
    expect(parsed.permissions).toMatchObject({ 'id-token': 'write', contents: 'write', 'pull-requests': 'write', issues: 'write' });
    const steps = Object.values(parsed.jobs).flatMap((job) => job.steps);
    const auth = steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(Object.keys(auth?.with ?? {}).sort()).toEqual(['aws-region', 'role-to-assume']);
    const ours = steps.find((step) => step.uses?.startsWith('nightshift-dev/nightshift@'))!;
    // The step's literal inputs read as a valid Bedrock config (expressions stand in as text).
    const config = readConfig(Object.fromEntries(Object.entries(ours.with!).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, String(value)])));
    expect(config.provider.kind).toBe('bedrock');
    expect(config.model).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('shows an IAM policy statement that is JSON and names the actions the run and the doctor use', () => {
    const [policy] = fenced(bedrockSection(), 'json');
    const statement = JSON.parse(policy!) as { Action: string[] };
    expect(statement.Action.sort()).toEqual(['bedrock:CountTokens', 'bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
  });
});
