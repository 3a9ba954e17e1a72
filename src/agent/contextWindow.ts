import type Anthropic from '@anthropic-ai/sdk';
import type { TokenUsage } from '../records/usage.js';
import { promptTokens } from '../model/usage.js';
import { compactConversation, type WorkRecord } from './compact.js';
import { estimateTokens, HIDDEN_TOOL_PROMPT_TOKENS } from './estimate.js';

type MessageParam = Anthropic.Messages.MessageParam;

/** Compaction starts when a request would fill this share of the ceiling… */
const COMPACT_AT = 0.8;
/** …and keeps this share of it verbatim. */
const KEEP_AFTER_COMPACTION = 0.3;

/**
 * The conversation and what the next request will cost in prompt tokens:
 * what the API billed for the last request (the prefix it has seen) plus an
 * estimate of what was added since. The budget meter plans each request with
 * these numbers; this class only keeps them.
 */
export class ContextWindow {
  messages: MessageParam[];
  /** The whole prompt of the next request, estimated. */
  promptTokens: number;
  /** The part of it the previous request did not have (not yet cached). */
  newPromptTokens: number;
  private sent = 0;
  private readonly fixed: { system: string; tools: Anthropic.Messages.ToolUnion[] };
  private readonly ceiling: number;

  constructor(opts: { system: string; tools: Anthropic.Messages.ToolUnion[]; messages: MessageParam[]; ceilingTokens: number }) {
    this.fixed = { system: opts.system, tools: opts.tools };
    this.messages = opts.messages;
    this.ceiling = opts.ceilingTokens;
    this.promptTokens = this.newPromptTokens = this.estimateWhole();
  }

  /** Replaces older turns with a summary of the work when the next request would come near the ceiling. */
  compactIfNear(record: WorkRecord): boolean {
    if (this.promptTokens <= this.ceiling * COMPACT_AT) return false;
    this.messages = compactConversation(this.messages, { keepTokens: this.ceiling * KEEP_AFTER_COMPACTION, estimate: estimateTokens, record });
    this.promptTokens = this.newPromptTokens = this.estimateWhole();
    this.sent = 0;
    return true;
  }

  /** The turns added since the last request (for the transcript); from now on they count as sent. */
  takeUnsent(): MessageParam[] {
    const unsent = this.messages.slice(this.sent);
    this.sent = this.messages.length;
    return unsent;
  }

  /** The model's turn, kept as it is: it is part of the prefix the next request sends. */
  addReply(content: Anthropic.Messages.ContentBlockParam[]): void {
    this.messages.push({ role: 'assistant', content });
  }

  /**
   * The next user turn. What was billed last time is the prefix now; only the
   * reply (when there was one to keep) and the new turn are new.
   */
  addTurn(next: MessageParam, billed: TokenUsage, reply?: Anthropic.Messages.ContentBlockParam[]): void {
    this.messages.push(next);
    this.newPromptTokens = (reply ? estimateTokens(reply) : 0) + estimateTokens(next.content);
    this.promptTokens = promptTokens(billed) + this.newPromptTokens;
  }

  private estimateWhole(): number {
    return estimateTokens({ ...this.fixed, messages: this.messages }) + HIDDEN_TOOL_PROMPT_TOKENS;
  }
}
