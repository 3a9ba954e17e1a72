import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.Messages.MessageParam;

/** What the compaction summary is made of: our own records, not another model call. */
export interface WorkRecord {
  editedFiles: string[];
  /** One line per tool call, oldest first: `✔ bash: npm test`. */
  actions: string[];
  /** The last verification or run_checks result, if any. */
  lastChecks?: string;
}

/**
 * Replaces the older turns of a long conversation with a summary, keeping the
 * task and the most recent turns verbatim. The cut falls before an assistant
 * turn, so every tool_use still meets its tool_result. The result is stable
 * until the next compaction, so the prompt cache holds in between.
 */
export function compactConversation(
  messages: MessageParam[],
  opts: { keepTokens: number; estimate: (value: unknown) => number; record: WorkRecord },
): MessageParam[] {
  const [task, ...rest] = messages;
  if (!task) return messages;
  let kept = 0;
  let cut = rest.length;
  for (let index = rest.length - 1; index >= 0; index -= 1) {
    kept += opts.estimate(rest[index]!.content);
    if (kept > opts.keepTokens) break;
    if (rest[index]!.role === 'assistant') cut = index;
  }
  // Always keep at least the newest exchange, however large.
  if (cut >= rest.length) cut = Math.max(0, rest.map((message) => message.role).lastIndexOf('assistant'));
  if (cut <= 0) return messages;
  const dropped = rest.slice(0, cut);
  const notes = dropped
    .filter((message) => message.role === 'assistant')
    .flatMap((message) =>
      typeof message.content === 'string' ? [message.content] : message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])),
    )
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .slice(-8);
  const summary = [
    `<earlier_work_summary>`,
    `${dropped.length} earlier messages were compacted to keep the conversation within its context limit.`,
    `Files changed so far: ${opts.record.editedFiles.length > 0 ? opts.record.editedFiles.join(', ') : 'none'}.`,
    `Actions taken (oldest first, last 40):`,
    ...opts.record.actions.slice(-40).map((action) => `- ${action}`),
    ...(opts.record.lastChecks ? ['What the checks said last:', opts.record.lastChecks.slice(0, 3_000)] : []),
    ...(notes.length > 0 ? ['Your own notes from those turns:', ...notes.map((note) => `- ${note.slice(0, 500)}`)] : []),
    `</earlier_work_summary>`,
  ].join('\n');
  const taskBlocks = typeof task.content === 'string' ? [{ type: 'text' as const, text: task.content }] : task.content;
  // The task's own first block stays first; the old budget line gives way to the summary.
  return [{ role: 'user', content: [taskBlocks[0]!, { type: 'text', text: summary }] }, ...rest.slice(cut)];
}
