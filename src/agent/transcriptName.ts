import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface TranscriptNameParts {
  /** GITHUB_RUN_ID (or the local stand-in). */
  runId: string;
  /** GITHUB_JOB: the job's id in the workflow. */
  job?: string;
  /** strategy.job-index, passed by action.yml as NIGHTSHIFT_JOB_INDEX: the matrix entry. */
  jobIndex?: string;
  /** GITHUB_RUN_ATTEMPT: a re-run of the job is a new attempt in the same run. */
  attempt?: string;
}

/** Longest each part may be before it is shortened: the whole name stays within 113 characters. */
const MAX_JOB = 40;
const MAX_NUMBER = 16;

/**
 * The transcript's artifact name, also its file name under RUNNER_TEMP.
 * Artifact names must be unique within a workflow run (upload-artifact answers 409 Conflict
 * otherwise), and every job and matrix entry of a run shares the run id, so the name carries
 * the job, the matrix entry and the attempt too. Parts are kept to [A-Za-z0-9_-], which has
 * none of the characters upload-artifact refuses (" : < > | * ? \ / CR LF).
 */
export function transcriptName(parts: TranscriptNameParts): string {
  const segments = [
    safePart(parts.runId, MAX_NUMBER),
    parts.job && safePart(parts.job, MAX_JOB),
    parts.jobIndex && safePart(parts.jobIndex, MAX_NUMBER),
    parts.attempt && safePart(parts.attempt, MAX_NUMBER),
  ];
  return ['nightshift-transcript', ...segments.filter(Boolean)].join('-');
}

/** A part as is when it is clean and short; otherwise cleaned, shortened and tagged with a hash of the original, so two parts never become one. */
function safePart(part: string, max: number): string {
  const clean = part.replace(/[^A-Za-z0-9_-]/g, '_');
  if (clean === part && part.length <= max) return part;
  const hash = createHash('sha256').update(part).digest('hex').slice(0, 8);
  return `${clean.slice(0, max - hash.length - 1)}-${hash}`;
}

/**
 * Where this run's transcript goes: the name above, with `-2`, `-3`… when an earlier
 * Nightshift step of the same job (same RUNNER_TEMP) already used it, so a second step
 * neither overwrites the first transcript nor collides with its artifact.
 */
export function transcriptPath(dir: string, parts: TranscriptNameParts): string {
  const name = transcriptName(parts);
  for (let copy = 1; ; copy += 1) {
    const path = join(dir, `${copy === 1 ? name : `${name}-${copy}`}.jsonl`);
    if (!existsSync(path)) return path;
  }
}
