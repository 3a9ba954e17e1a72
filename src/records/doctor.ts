/** How one check of `mode: doctor` came out. `unknown` is "could not tell": the fact is not readable from here. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** One line of the doctor's checklist. */
export interface DoctorItem {
  /** Stable name, as the `doctor` output carries it: `api-key`, `model`, `token-permissions`, … */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** What to change, when the item is not a pass. */
  fix?: string;
}

/** The checklist, in the order the summary shows it. */
export interface DoctorRecord {
  items: DoctorItem[];
}

/** How many items came out each way. */
export function countStatuses(record: DoctorRecord): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  for (const item of record.items) counts[item.status] += 1;
  return counts;
}
