import { parseArgs } from 'node:util';
import type { InputName } from '../config/schema.js';
import { run } from '../main.js';

const USAGE = `Usage: nightshift --task "what to do" [options]
Runs the agent in the current git checkout with ANTHROPIC_API_KEY, printing progress.

  --task TEXT          the task (required)
  --verify CMD         a verification command; repeat for several
  --model ID           model id (default claude-sonnet-5-5)
  --max-steps N        model requests at most
  --max-minutes N      wall-clock minutes at most
  --max-tokens N       billed tokens at most
  --max-cost-usd N     dollars at most
  --base-url URL       Messages API base URL (a gateway)
  --push               push the work branch to origin (default: commit on a local branch only)
  --demo               replay the bundled demo session instead (no key, no network)`;

/** The local entry: same pipeline as the action, inputs from flags instead of INPUT_* variables. */
export async function runLocal(opts: { args: string[]; cancel: AbortSignal }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: opts.args,
      options: {
        task: { type: 'string' },
        verify: { type: 'string', multiple: true },
        model: { type: 'string' },
        'max-steps': { type: 'string' },
        'max-minutes': { type: 'string' },
        'max-tokens': { type: 'string' },
        'max-cost-usd': { type: 'string' },
        'base-url': { type: 'string' },
        push: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help || !values.task) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const overrides: Partial<Record<InputName, string>> = {
    prompt: values.task,
    anthropic_api_key: process.env.ANTHROPIC_API_KEY ?? '',
    verify: (values.verify ?? []).join('\n'),
    model: values.model,
    max_steps: values['max-steps'],
    max_minutes: values['max-minutes'],
    max_tokens: values['max-tokens'],
    max_cost_usd: values['max-cost-usd'],
    anthropic_base_url: values['base-url'] ?? process.env.ANTHROPIC_BASE_URL,
  };
  const report = await run({
    env: { ...process.env, GITHUB_WORKSPACE: process.cwd(), GITHUB_EVENT_NAME: 'local' },
    cancel: opts.cancel,
    push: values.push ?? false,
    overrides: Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  });
  return report.status === 'completed' ? 0 : 1;
}
