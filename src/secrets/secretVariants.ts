/**
 * Known secrets in the spellings an agent could use to smuggle one out: raw,
 * reversed, hex, percent-encoded, UTF-16, and base64 (standard and URL-safe)
 * at each of the three byte alignments. Pure: no I/O, so the redactor and the
 * publication check share one definition of "carries a secret".
 */

export type SecretEncoding = 'raw' | 'reversed' | 'hex' | 'url-encoded' | 'base64' | 'base64url' | 'utf-16';

export interface SecretVariant {
  encoding: SecretEncoding;
  /** The spelling as a latin1 string: one character per byte, so text and bytes compare alike. */
  text: string;
  /** Hex and percent-encoding are matched case-insensitively (the text is lowercase). */
  caseInsensitive: boolean;
}

export interface SecretFound {
  /** Index into the secrets the finder was made with. */
  index: number;
  encoding: SecretEncoding;
}

/** Shorter values match too much ordinary text to be worth looking for. */
const MIN_SECRET_LENGTH = 8;

/**
 * The spellings of one secret. For base64 at an alignment only the characters
 * that depend on the secret alone are kept, so the secret is found inside a
 * longer encoded text (`x-access-token:<token>` in a Basic header, say).
 */
export function secretVariants(secret: string): SecretVariant[] {
  const bytes = Buffer.from(secret, 'utf8');
  const latin1 = (buffer: Buffer) => buffer.toString('latin1');
  const variants: SecretVariant[] = [
    { encoding: 'raw', text: latin1(bytes), caseInsensitive: false },
    { encoding: 'reversed', text: latin1(Buffer.from(bytes).reverse()), caseInsensitive: false },
    { encoding: 'hex', text: bytes.toString('hex'), caseInsensitive: true },
    { encoding: 'url-encoded', text: bytes.toString('hex').replace(/../g, '%$&'), caseInsensitive: true },
    { encoding: 'utf-16', text: latin1(Buffer.from(secret, 'utf16le')), caseInsensitive: false },
    { encoding: 'utf-16', text: latin1(Buffer.from(secret, 'utf16le').swap16()), caseInsensitive: false },
  ];
  for (let pad = 0; pad < 3; pad += 1) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // The first quad mixes in the padding bytes; a last partial group depends on what follows.
    const middle = encoded.slice(pad === 0 ? 0 : 4, Math.floor((pad + bytes.length) / 3) * 4);
    if (middle.length < MIN_SECRET_LENGTH) continue;
    variants.push({ encoding: 'base64', text: middle, caseInsensitive: false });
    const urlSafe = middle.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== middle) variants.push({ encoding: 'base64url', text: urlSafe, caseInsensitive: false });
  }
  return variants;
}

/**
 * A function that says whether a text or bytes carry any of `secrets` in any
 * spelling, and which. Encoded text is also searched with whitespace removed
 * (wrapped base64 and hex dumps) and with %XX sequences decoded (a secret
 * only partly percent-encoded).
 */
export function createSecretFinder(secrets: Array<string | undefined>): (data: string | Uint8Array) => SecretFound | undefined {
  const values = [...new Set(secrets.filter((value): value is string => !!value && value.length >= MIN_SECRET_LENGTH))];
  const needles = values.flatMap((value) => secretVariants(value).map((variant) => ({ ...variant, index: secrets.indexOf(value) })));
  if (needles.length === 0) return () => undefined;
  return (data) => {
    const raw =
      typeof data === 'string' ? Buffer.from(data, 'utf8').toString('latin1') : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    const squeezed = raw.replace(/\s+/g, '');
    const haystacks = {
      exact: squeezed === raw ? [raw] : [raw, squeezed],
      lower: [raw.toLowerCase(), ...(squeezed === raw ? [] : [squeezed.toLowerCase()])],
    };
    for (const needle of needles) {
      const within = needle.caseInsensitive ? haystacks.lower : haystacks.exact;
      if (within.some((text) => text.includes(needle.text))) return { index: needle.index, encoding: needle.encoding };
    }
    if (/%[0-9a-f]{2}/i.test(raw)) {
      const decoded = raw.replace(/%([0-9a-f]{2})/gi, (_match, code: string) => String.fromCharCode(parseInt(code, 16)));
      for (const needle of needles) {
        if ((needle.encoding === 'raw' || needle.encoding === 'reversed') && decoded.includes(needle.text))
          return { index: needle.index, encoding: 'url-encoded' };
      }
    }
    return undefined;
  };
}
