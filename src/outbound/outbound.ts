import { createRedactor, type Redactor } from '../secrets/redact.js';
import { createSecretFinder, type SecretFound } from '../secrets/secretVariants.js';
import { redactLogsWith, setSecret } from './log.js';

/**
 * The one door text leaves the program by. Every exit — the log, outputs,
 * the job summary, GitHub requests (comments, the PR, labels), commit
 * messages, saved sessions, the transcript, the report handed back to the
 * entry — passes its text through here, so the redactor runs once per exit
 * and no renderer has to remember it. Before `know` there is nothing to hide
 * but token shapes, which are masked from the start.
 */
export class Outbound {
  private redactor: Redactor = createRedactor([]);
  private finder: (data: string | Uint8Array) => SecretFound | undefined = () => undefined;
  private values: string[] = [];

  constructor(private readonly opts: { inActions: boolean }) {
    redactLogsWith(this.text);
  }

  /** More of the run's secret values (added to those known): masked in the runner's log, redacted at every exit from now on. */
  know(secrets: Array<string | undefined>): void {
    const added = secrets.filter((secret): secret is string => !!secret && !this.values.includes(secret));
    this.values = [...new Set([...this.values, ...added])];
    // Outside Actions the mask command would only be noise in the terminal.
    if (this.opts.inActions) for (const secret of new Set(added)) setSecret(secret);
    this.redactor = createRedactor(this.values);
    this.finder = createSecretFinder(this.values);
  }

  /** The known secret values, for the checks that must refuse (not mask) a secret: a commit's files. */
  get secrets(): string[] {
    return [...this.values];
  }

  readonly text = (text: string): string => this.redactor(text);

  /** Every string in a plain value (a report, a request's parameters, a saved session), redacted. */
  value<T>(value: T): T {
    return redactDeep(value, this.redactor) as T;
  }

  /** A secret still carried in an encoding the redactor does not mask (base64, hex, URL-encoded...): such text must not leave at all. */
  readonly findSecret = (data: string | Uint8Array): SecretFound | undefined => this.finder(data);
}

function redactDeep(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]));
  }
  return value;
}
