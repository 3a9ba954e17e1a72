import { z } from 'zod';

/**
 * Field parsers for action inputs. Inputs always arrive as strings; each parser
 * turns one into a typed value or fails with a sentence that names the input,
 * the value received and what was expected.
 */

/** How a received value is quoted in messages: bare when it reads unambiguously. */
function showValue(raw: string): string {
  return /^[\w.+\-/:@]+$/.test(raw) ? raw : JSON.stringify(raw);
}

function fail(ctx: z.RefinementCtx, name: string, expected: string, raw: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: `${name} must be ${expected}, got ${showValue(raw)}` });
  return z.NEVER;
}

export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return z.string().transform((raw, ctx) => {
    const text = raw.trim().replace(/_/g, '');
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      return fail(ctx, name, expected, raw);
    }
    return value;
  });
}

export function positiveNumber(name: string, unit: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim().replace(/^\$/, '');
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || value <= 0) {
      return fail(ctx, name, `a number of ${unit} greater than 0`, raw);
    }
    return value;
  });
}

export function optionalUrl(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return undefined;
    try {
      const url = new URL(text);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      return text.replace(/\/+$/, '');
    } catch {
      return fail(ctx, name, 'an http(s) URL such as https://api.anthropic.com', raw);
    }
  });
}

/** One command per line; blank lines and `#` comments are dropped. */
export function commandLines() {
  return z.string().transform((raw) =>
    raw
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
}

export function booleanFlag(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(text)) return true;
    if (['false', 'no', '0', 'off', ''].includes(text)) return false;
    return fail(ctx, name, 'true or false', raw);
  });
}

/** A comma- or newline-separated list, trimmed, empties dropped. */
export function nameList() {
  return z.string().transform((raw) =>
    raw
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

export function modelName(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return text; // the provider's default
    if (!/^[A-Za-z0-9][\w.:@/-]*$/.test(text)) return fail(ctx, name, 'a model id such as claude-sonnet-5-5', raw);
    return text;
  });
}

/** A model id, or empty for none. */
export function optionalModelName(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return undefined;
    if (!/^[A-Za-z0-9][\w.:@/-]*$/.test(text)) return fail(ctx, name, 'a model id such as claude-haiku-5-5, or empty', raw);
    return text;
  });
}

const priceShape = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cache_write: z.number().nonnegative().optional(),
  cache_read: z.number().nonnegative().optional(),
});
export type PriceOverride = z.infer<typeof priceShape>;

/** `{"input": 3, "output": 15}` in dollars per million tokens; cache prices derive from input when absent. */
export function priceOverride(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail(ctx, name, 'JSON like {"input": 3, "output": 15} (dollars per million tokens)', raw);
    }
    const result = priceShape.safeParse(parsed);
    if (!result.success) {
      return fail(ctx, name, 'JSON like {"input": 3, "output": 15} with non-negative numbers (dollars per million tokens)', raw);
    }
    return result.data;
  });
}

/** A git branch name or prefix (`nightshift/`); empty is allowed and means "the default". */
export function refName(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    const valid = /^[A-Za-z0-9._/-]*$/.test(text) && !/(^[/.-]|\.\.|\/\/|@\{|\.lock(\/|$)|\.$)/.test(text);
    if (!valid) return fail(ctx, name, 'a git branch name (letters, digits, ".", "_", "-", "/")', raw);
    return text;
  });
}

/** `Name <email>`, as git writes an author. */
export function identity(name: string) {
  return z.string().transform((raw, ctx) => {
    const match = /^\s*([^<>]+?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(raw);
    if (!match) return fail(ctx, name, 'an identity like "Name <email@example.com>"', raw);
    return { name: match[1]!, email: match[2]! };
  });
}

/**
 * One regular expression per line, added to the built-in blocked commands.
 * Every line is compiled here so a typo fails the run before any model call.
 */
export function regexLines(name: string) {
  return z.string().transform((raw, ctx) => {
    const patterns: RegExp[] = [];
    raw.split(/\r?\n/).forEach((line, index) => {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) return;
      try {
        patterns.push(new RegExp(text));
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} line ${index + 1} must be a valid regular expression, got ${showValue(text)} (${(error as Error).message})`,
        });
      }
    });
    return patterns;
  });
}

export function oneOf<const Values extends readonly string[]>(name: string, values: Values) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (!(values as readonly string[]).includes(text)) return fail(ctx, name, `one of ${values.join(', ')}`, raw);
    return text as Values[number];
  });
}

export function optionalWholeNumber(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return undefined;
    if (!/^\d+$/.test(text) || Number(text) < 1) return fail(ctx, name, 'an issue number (a whole number ≥ 1) or empty', raw);
    return Number(text);
  });
}

/**
 * `isolation`: empty means "a box where the runner allows one, and a notice
 * where it does not"; `user` written out means the workflow requires the box.
 */
export function isolationMode(name: string) {
  return z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text === '') return { mode: 'user' as const, required: false };
    if (text === 'user' || text === 'none') return { mode: text, required: text === 'user' };
    return fail(ctx, name, 'user or none (empty: user where the runner allows it)', raw);
  });
}

/** Host names (comma- or newline-separated); `*.example.com` stands for its subdomains. */
export function hostList(name: string) {
  return nameList().transform((hosts, ctx) => {
    for (const host of hosts) {
      if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/.test(host))
        fail(ctx, name, 'host names such as registry.example.com or *.example.com (no scheme, port or path)', host);
    }
    return hosts;
  });
}

/** Environment variable names (comma- or newline-separated). */
export function envNames(name: string) {
  return nameList().transform((names, ctx) => {
    for (const each of names) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(each)) fail(ctx, name, 'environment variable names such as NODE_OPTIONS or JAVA_HOME', each);
    return names;
  });
}

/** Headers the client sets itself (the key, the API version, the body): a gateway header may not replace them. */
const CLIENT_HEADERS = new Set(['x-api-key', 'authorization', 'anthropic-version', 'anthropic-beta', 'content-type', 'content-length', 'host', 'accept']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `Name: value` lines, one header each (blank lines ignored). The values are
 * secrets: a message names the input, the line and the header, never a value.
 */
export function headerLines(name: string) {
  return z.string().transform((raw, ctx) => {
    const headers: Record<string, string> = {};
    for (const [index, line] of raw.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      const colon = line.indexOf(':');
      const header = colon > 0 ? line.slice(0, colon).trim() : '';
      const problem = !HEADER_NAME.test(header)
        ? 'is not "Name: value" with a header name of letters, digits and -'
        : line.slice(colon + 1).trim() === ''
          ? `gives ${header} no value`
          : CLIENT_HEADERS.has(header.toLowerCase())
            ? `sets ${header}, which the client sends itself (choose how the key goes with anthropic_auth)`
            : undefined;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: `${name} must be "Name: value" lines; line ${index + 1} ${problem} (values are not shown: they are secrets)` });
        return z.NEVER;
      }
      headers[header.toLowerCase()] = line.slice(colon + 1).trim();
    }
    return headers;
  });
}
