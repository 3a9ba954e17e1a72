import { closeSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** Set by action.yml's main step: the number of the inherited file descriptor the secrets arrive on. */
const MARKER = 'NIGHTSHIFT_SECRETS_FD';

/**
 * What the step hands over on that descriptor, in this order, each ended by a NUL byte: the two
 * inputs the run uses, the runner's two tokens, which it never uses but must know, so that
 * no spelling of them is published (a value it does not know, it cannot recognise), the
 * GitHub App's private key (empty without app_private_key), a gateway's headers (anthropic_headers)
 * and the AWS secrets provider bedrock signs with.
 */
const HANDED = [
  'INPUT_ANTHROPIC_API_KEY',
  'INPUT_GITHUB_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'INPUT_APP_PRIVATE_KEY',
  'INPUT_ANTHROPIC_HEADERS',
  // What aws-actions/configure-aws-credentials (or a Bedrock API key) exported for provider bedrock: the run uses them, the agent never sees them.
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;
/** Restored only when set: an empty one is no secret and no variable (an empty app key reads as the input's default). */
const ONLY_WHEN_SET = new Set<string>(HANDED.slice(2));

// NUL ends each value because no environment variable (where the runner put them first) can hold one.
const payloadSchema = z
  .string()
  .transform((text) => text.split('\0'))
  .pipe(z.tuple([...HANDED.map(() => z.string()), z.literal('')] as unknown as [z.ZodString, ...z.ZodString[]]));

/**
 * The environment the run reads its inputs from. On Actions, action.yml's step
 * hands the API key, the token and the runner's tokens over on an inherited
 * file descriptor and unsets them before it execs us, so no same-user process can read them in
 * /proc/<pid>/environ; they come back here, in memory only. The descriptor is
 * closed at once, so no process we start inherits it. Without the marker (tests,
 * the local entry) `env` already holds every input and is returned as it is.
 */
export function readHandedSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const marker = env[MARKER];
  if (marker === undefined) return env;
  const expected = `the values of ${HANDED.slice(0, -1).join(', ')} and ${HANDED.at(-1)}, each ended by a NUL byte, as action.yml's main step writes them`;
  // 0-2 are stdio: closing one of them would be worse than refusing.
  if (!/^\d+$/.test(marker) || Number(marker) < 3)
    throw new Error(`${MARKER} must be the number of an inherited file descriptor (3 or more), got ${JSON.stringify(marker)}`);
  const fd = Number(marker);

  let bytes: Buffer;
  try {
    bytes = readFileSync(fd);
  } catch (error) {
    throw new Error(`${MARKER}=${fd}: could not read file descriptor ${fd}, which should hold ${expected} (${errorCode(error)})`, { cause: error });
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Not open at all: the read already said so.
    }
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${MARKER}=${fd}: expected ${expected}, got ${bytes.length} bytes that are not UTF-8`);
  }
  const parsed = payloadSchema.safeParse(text);
  if (!parsed.success) {
    // Counts only: the bytes are secrets, and this message goes to the log.
    const ended = text.split('\0').length - 1;
    throw new Error(`${MARKER}=${fd}: expected ${expected}, got ${ended} NUL-ended value(s) in ${bytes.length} bytes`);
  }

  const handed: NodeJS.ProcessEnv = { ...env };
  HANDED.forEach((name, index) => {
    const value = parsed.data[index]!;
    if (value !== '' || !ONLY_WHEN_SET.has(name)) handed[name] = value;
  });
  // The marker would only mislead a process started with this environment.
  delete handed[MARKER];
  return handed;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
