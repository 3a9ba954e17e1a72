import type { Config } from '../config/schema.js';
import type { GitHubTarget } from '../github/target.js';
import { countStatuses } from '../records/doctor.js';
import { emptyReport, type RunReport } from '../records/report.js';
import type { RunContext } from '../trigger/runContext.js';
import { doctorChecklist } from './checklist.js';
import { gatherFacts } from './gather.js';
import { runTraits } from './traits.js';

/**
 * `mode: doctor`: the checklist of what a run with these inputs needs, asked
 * of the APIs without a model request. Any item that would make a run fail
 * fails this one, so the job goes red.
 */
export async function runDoctor(opts: { config: Config; env: NodeJS.ProcessEnv; context: RunContext; github?: GitHubTarget }): Promise<RunReport> {
  const facts = await gatherFacts(opts);
  const record = { items: doctorChecklist(facts, runTraits(opts.config)) };
  const counts = countStatuses(record);
  const tally = `${counts.pass} passed, ${counts.warn} warned, ${counts.fail} failed, ${counts.unknown} could not tell`;
  const reason = counts.fail > 0 ? `doctor: a run would fail here (${tally})` : `doctor: ${tally}`;
  return emptyReport(counts.fail > 0 ? 'failed' : 'completed', reason, { runUrl: opts.context.runUrl, model: opts.config.model, doctor: record });
}
