import { inertInline } from '../text/inertMarkdown.js';
import { PROGRESS_MARKER } from '../text/markers.js';

export interface ProgressState {
  status: string;
  steps: number;
  maxSteps: number;
  elapsedMs: number;
  tokens: number;
  costUsd: number;
  actions: Array<{ summary: string; done: boolean; isError?: boolean }>;
  prUrl?: string;
  runUrl?: string;
  /** The outcome, once the run has one: our markdown (the issue comment), inert already. */
  resultLine?: string;
  notes?: string[];
}

const LAST_ACTIONS = 6;

/**
 * The progress comment's body: where the run is, what it last did, and at the
 * end where the work went. Tool call summaries and notes go in inert: a path
 * or command the model chose cannot notify anyone or add markup.
 */
export function renderProgress(state: ProgressState): string {
  const minutes = Math.floor(state.elapsedMs / 60_000);
  const seconds = Math.round((state.elapsedMs % 60_000) / 1000);
  const lines = [
    PROGRESS_MARKER,
    `**Nightshift** · ${state.status} · step ${state.steps}/${state.maxSteps} · ${minutes}m ${seconds}s · ${state.tokens.toLocaleString('en-US')} tokens · $${state.costUsd.toFixed(2)}`,
  ];
  if (state.resultLine) lines.push('', state.resultLine);
  const recent = state.actions.slice(-LAST_ACTIONS);
  if (recent.length > 0) {
    lines.push('', ...recent.map((action) => `- [${action.done ? 'x' : ' '}] ${action.isError ? '✘ ' : ''}${inertInline(action.summary)}`));
  }
  for (const note of state.notes ?? []) lines.push(`- ${inertInline(note)}`);
  const links = [state.prUrl ? `[pull request](${state.prUrl})` : '', state.runUrl ? `[run log](${state.runUrl})` : ''].filter(Boolean);
  if (links.length > 0) lines.push('', links.join(' · '));
  return lines.join('\n');
}
