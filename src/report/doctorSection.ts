import { countStatuses, type CheckStatus, type DoctorRecord } from '../records/doctor.js';
import { cell } from '../text/format.js';
import { inertInline } from '../text/inertMarkdown.js';

/** How each status reads in the checklist. */
export const CHECK_LABEL: Record<CheckStatus, string> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail', unknown: '❔ could not tell' };

/**
 * `mode: doctor`'s job summary: the checklist as a table, each item with what
 * was found and the fix. Details can quote an API's error message, so they go in inert.
 */
export function doctorSummary(record: DoctorRecord, reason: string): string {
  const counts = countStatuses(record);
  const verdict =
    counts.fail > 0 ? '❌ a run would fail here' : counts.warn + counts.unknown > 0 ? '✅ a run can go ahead (see the warnings)' : '✅ all checks pass';
  const rows = record.items.map(
    (item) => `| ${CHECK_LABEL[item.status]} | ${cell(inertInline(item.title))} | ${cell(inertInline(item.detail))} | ${cell(inertInline(item.fix ?? ''))} |`,
  );
  return [
    `## Nightshift doctor: ${verdict}`,
    '',
    `${inertInline(reason)}. No model request was made and nothing was changed.`,
    '',
    '| result | check | found | fix |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** The `doctor` output: each item's id and status, as JSON a later step can read with fromJSON. */
export function doctorOutput(record: DoctorRecord | undefined): string {
  if (!record) return '';
  return JSON.stringify({ ...countStatuses(record), items: record.items.map((item) => ({ id: item.id, status: item.status })) });
}
