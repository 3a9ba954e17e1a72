import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A file GitHub reads from this repository: the action's metadata or a workflow. */
export interface PlatformFile {
  /** Path from the repository root, e.g. `.github/workflows/ci.yml`. */
  path: string;
  kind: 'action' | 'workflow';
  content: string;
}

const WORKFLOW_DIRS = ['.github/workflows', '.github/examples'];

/**
 * Every file GitHub parses from this repository, found by listing the folders,
 * so a workflow added later is covered without touching the tests.
 */
export function platformFiles(): PlatformFile[] {
  const read = (path: string, kind: PlatformFile['kind']): PlatformFile => ({ path, kind, content: readFileSync(ROOT + path, 'utf8') });
  const workflows = WORKFLOW_DIRS.flatMap((dir) =>
    readdirSync(ROOT + dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => read(`${dir}/${name}`, 'workflow')),
  );
  return [read('action.yml', 'action'), ...workflows];
}

/** One `uses:` of a step or a reusable-workflow job, with the comment on its line. */
export interface UsesEntry {
  file: string;
  uses: string;
  comment: string;
}

/** Every `uses:` in a file: composite steps in action.yml; job steps and job-level calls in workflows. */
export function usesOf(file: PlatformFile): UsesEntry[] {
  const doc = parse(file.content) as Record<string, any>;
  const values: string[] = [];
  const fromSteps = (steps: unknown) => {
    if (Array.isArray(steps)) for (const step of steps) if (typeof step?.uses === 'string') values.push(step.uses);
  };
  if (file.kind === 'action') fromSteps(doc.runs?.steps);
  else {
    for (const job of Object.values<any>(doc.jobs ?? {})) {
      if (typeof job?.uses === 'string') values.push(job.uses);
      fromSteps(job?.steps);
    }
  }
  const lines = file.content.split('\n');
  return values.map((uses) => {
    // The parsed value is the truth; the raw line is read only for its trailing comment.
    const line = lines.find((text) => new RegExp(`\\buses:\\s*['"]?${escapeRegExp(uses)}['"]?(\\s|$)`).test(text)) ?? '';
    return { file: file.path, uses, comment: /\s#\s*(.*)$/.exec(line)?.[1]?.trim() ?? '' };
  });
}

/**
 * Why a `uses:` is not pinned the way GitHub's security hardening guide asks
 * (a full commit SHA, the version in a trailing comment), or undefined when it is,
 * or when it needs no pin: a local action (`./…`), or our own action in the examples.
 */
export function pinProblem(entry: UsesEntry): string | undefined {
  const { uses, comment } = entry;
  if (uses.startsWith('./')) return undefined;
  // Copied workflows name our own release tag: the examples and the README's snippets.
  if (/^(\.github\/examples\/|README\.md)/.test(entry.file) && uses.startsWith('nightshift-dev/nightshift@')) return undefined;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses) ? undefined : 'a docker image must be pinned by digest (@sha256:…)';
  const ref = /@([^@]+)$/.exec(uses)?.[1];
  if (!ref) return 'no ref after @';
  if (!/^[0-9a-f]{40}$/.test(ref)) return `ref "${ref}" is not a full 40-character commit SHA`;
  if (!/^v\d+(\.\d+)*\b/.test(comment)) return `no version comment after the SHA (e.g. "# v4.2.2"), got "${comment}"`;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
