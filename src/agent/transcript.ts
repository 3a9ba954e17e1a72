import { appendFileSync, writeFileSync } from 'node:fs';
import { omitImageData } from './images.js';

export type TranscriptEvent =
  | {
      type: 'start';
      model: string;
      task: string;
      context?: string;
      images?: Array<{ url: string; mediaType: string; bytes: number }>;
      system: string;
      tools: string[];
    }
  | { type: 'request'; step: number; maxOutputTokens: number; newMessages: unknown[] }
  | { type: 'response'; step: number; stopReason: string | null; content: unknown; usage: unknown; ms: number }
  | { type: 'step'; step: number; modelMs: number; toolMs: number; ownMs: number; costUsd: number }
  | { type: 'tool'; step: number; name: string; input: unknown; isError: boolean; output: string; ms: number }
  | { type: 'compaction'; step: number; promptTokens: number }
  | { type: 'model-switch'; step: number; from: string; to: string; error: string }
  | { type: 'verification'; attempt: number; results: unknown }
  | { type: 'box'; box: unknown }
  | { type: 'end'; status: string; reason: string; maxRssMb: number };

/**
 * A JSONL record of the run, appended as it happens so a killed run still
 * leaves its trail. Every line passes through the redactor before it is written.
 */
export class Transcript {
  constructor(
    readonly path: string,
    private readonly redact: (text: string) => string,
  ) {
    writeFileSync(path, '');
  }

  record(event: TranscriptEvent): void {
    appendFileSync(this.path, `${this.redact(JSON.stringify({ at: new Date().toISOString(), ...event }, omitImageData))}\n`);
  }
}
