import Anthropic from '@anthropic-ai/sdk';
import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import { errorMessage } from '../text/errorMessage.js';
import { anthropicToolTypesOn, type ModelAccess } from './access.js';
import type { Model, ModelReply } from './model.js';

type Request = Anthropic.Messages.MessageStreamParams;

/** The switch as it happened: from which model to which, and the failure that caused it. */
export interface SwitchEvent {
  from: string;
  to: string;
  /** What the run's model answered last, as the SDK reported it after its own retries. */
  error: string;
  /** `overloaded` (529, 503, or an `overloaded_error` event in a stream) or `not-found` (404). */
  cause: FallbackCause;
}

export type FallbackCause = 'overloaded' | 'not-found';

/**
 * Whether a failed request moves the run to its fallback model. The SDK has already retried
 * what is worth retrying (408/409/429/5xx/529, with backoff), so this sees what was left:
 * - 529 `overloaded_error` (also streamed as an `error` event after the 200, where the SDK
 *   gives no status): the API says this model has no capacity now; another model may.
 * - 503: how the platforms say the same (Bedrock's ServiceUnavailableException is HTTP 503,
 *   API_runtime_ResponseStream in its API reference; a gateway's "no upstream"). The same
 *   exception as a frame inside a Bedrock stream reaches us with no status, typed by its
 *   event-stream name, `serviceUnavailableException`.
 * - 404 `not_found_error`: the model is not served on this provider or in this region; the
 *   platform SDKs report it with the same status. Never retried, so it switches at once.
 * Not 500: an internal error says something broke, not that this model is busy — the same
 *   request may break the fallback too, and a blip should not move a run to another model.
 * Not 429: a rate limit is this account's own pace, which the SDK already waited out.
 * Not an abort (the run's deadline or a cancel), nor a 4xx about the request itself.
 */
const OVERLOADED_TYPES = new Set(['overloaded_error', 'serviceUnavailableException']);

export function fallbackCause(error: unknown): FallbackCause | undefined {
  if (!(error instanceof Anthropic.APIError) || error instanceof Anthropic.APIUserAbortError) return undefined;
  if (error.status === 529 || error.status === 503 || OVERLOADED_TYPES.has(error.type ?? '')) return 'overloaded';
  if (error.status === 404) return 'not-found';
  return undefined;
}

export interface FallbackOptions {
  primary: Model;
  /** `fallback_model`; without it, this is the primary and nothing else. */
  fallback?: Model;
  /**
   * The failed request as the fallback may be sent it, or a throw that stops the run: the
   * budget re-plans it at the fallback's price (its answer length, or "not sent").
   */
  admit?: (request: Request, model: string) => Request;
  onSwitch?: (event: SwitchEvent) => void;
}

/**
 * The run's model with its fallback: holds which model answers now. A request the primary
 * fails in a way another model could answer (`fallbackCause`) is re-sent, unchanged but for
 * the model id and its budgeted length, to the fallback — same messages, tools and system
 * prompt, so the conversation goes on where it was. Once switched it stays switched for the
 * rest of the run: an overloaded model stays so for minutes and a missing one for good, so
 * going back would pay the SDK's retries again on every step, and each switch loses the
 * prompt cache (caches are per model) — the run would pay for its whole prompt each time.
 */
export class ModelWithFallback implements Model {
  private current: Model;
  private switchedTo: SwitchEvent | undefined;

  constructor(private readonly opts: FallbackOptions) {
    this.current = opts.primary;
  }

  /** The model that answers now. */
  get id(): string {
    return this.current.id;
  }

  /** The switch, once it happened. */
  get switched(): SwitchEvent | undefined {
    return this.switchedTo;
  }

  async send(request: Request, signal: AbortSignal): Promise<ModelReply> {
    const { primary, fallback } = this.opts;
    if (this.current !== primary || !fallback) return this.current.send({ ...request, model: this.current.id }, signal);
    try {
      return await primary.send({ ...request, model: primary.id }, signal);
    } catch (error) {
      const cause = signal.aborted ? undefined : fallbackCause(error);
      if (!cause) throw error;
      const event: SwitchEvent = { from: primary.id, to: fallback.id, error: errorMessage(error), cause };
      this.current = fallback;
      this.switchedTo = event;
      this.opts.onSwitch?.(event);
      return this.sendToFallback(fallback, request, signal, event);
    }
  }

  private async sendToFallback(fallback: Model, request: Request, signal: AbortSignal, event: SwitchEvent): Promise<ModelReply> {
    const admitted = this.opts.admit ? this.opts.admit({ ...request, model: fallback.id }, fallback.id) : { ...request, model: fallback.id };
    try {
      return await fallback.send(admitted, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // Both failures in one message: the run stops as it would have without a fallback, saying why twice over.
      throw new Error(`${event.from} failed (${event.error}), and so did the fallback_model ${fallback.id}: ${errorMessage(error)}`, { cause: error });
    }
  }
}

/**
 * Refuses, before any model request, a `fallback_model` the run could not switch to
 * (`fallbackRefusal` says why).
 */
export function checkFallback(config: Pick<Config, 'model' | 'fallbackModel'>, access: Pick<ModelAccess, 'provider'>): void {
  const refusal = fallbackRefusal(config, access);
  if (refusal) throw new ConfigError([refusal]);
}

/**
 * Why the run could not switch to `fallback_model`, or undefined: the rules `checkFallback`
 * enforces, for a caller that reports rather than stops (the doctor). Its tools must be the same
 * kind as the run's model's: the conversation's `tool_use` blocks name the tools they called, and
 * the Anthropic-defined editor and bash (trained on, schema-less) and our JSON-schema stand-ins are
 * different tool definitions — re-issuing them mid-run would change the prompt under a conversation
 * made with the others, so such a pair is refused instead. Only the provider is read, never a credential.
 */
export function fallbackRefusal(config: Pick<Config, 'model' | 'fallbackModel'>, access: Pick<ModelAccess, 'provider'>): string | undefined {
  const { model, fallbackModel } = config;
  if (fallbackModel === undefined) return undefined;
  if (fallbackModel === model) return `fallback_model must name another model than model, got ${fallbackModel} for both (leave fallback_model empty for none)`;
  const primaryTypes = anthropicToolTypesOn(access, model);
  if (primaryTypes === anthropicToolTypesOn(access, fallbackModel)) return undefined;
  const kind = (defined: boolean) => (defined ? 'the Anthropic-defined editor and bash tools' : 'plain JSON-schema tools');
  return (
    `fallback_model must take the same kind of tools as model on provider ${access.provider}, got ${fallbackModel} (${kind(!primaryTypes)}) ` +
    `for model ${model} (${kind(primaryTypes)}): the conversation's tool calls would not match the fallback's tools. Choose a Claude 4 or later model for both.`
  );
}
