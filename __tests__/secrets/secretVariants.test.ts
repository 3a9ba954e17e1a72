import { createSecretFinder, secretVariants } from '../../src/secrets/secretVariants.js';

const TOKEN = 'ghs_testtoken0123456789abcdefghijklmnopqr';
const KEY = 'sk-ant-test-key-0123456789';
const find = createSecretFinder([undefined, TOKEN, KEY, '', 'short']);

const b64 = (text: string) => Buffer.from(text).toString('base64');
const hex = (text: string) => Buffer.from(text).toString('hex');

describe('secretVariants', () => {
  it('lists raw, reversed, hex, percent, UTF-16 and base64 at three alignments', () => {
    const encodings = secretVariants(KEY).map((variant) => variant.encoding);
    expect(encodings.filter((encoding) => encoding === 'base64')).toHaveLength(3);
    // The URL-safe spelling is listed only where it differs (this key's base64 has no + or /).
    expect(new Set(encodings)).toEqual(new Set(['raw', 'reversed', 'hex', 'url-encoded', 'utf-16', 'base64']));
    expect(secretVariants('>>>???-secret-value').map((variant) => variant.encoding)).toContain('base64url');
  });

  it('keeps only base64 characters that depend on the secret alone', () => {
    const fragments = secretVariants(TOKEN)
      .filter((v) => v.encoding === 'base64')
      .map((v) => v.text);
    // Whatever comes before or after, one fragment (the one of that alignment) is in the encoding.
    for (const before of ['', 'x', 'xy', 'xyz', 'AUTHORIZATION: basic x-access-token:']) {
      for (const after of ['', 'y', 'yz', '\n']) {
        expect([before, after, fragments.filter((fragment) => b64(`${before}${TOKEN}${after}`).includes(fragment)).length]).toEqual([before, after, 1]);
      }
    }
  });
});

describe('createSecretFinder', () => {
  it.each([
    ['raw', `token=${TOKEN}`, 1, 'raw'],
    ['raw in bytes', Buffer.from(`x${KEY}y`), 2, 'raw'],
    ['reversed', [...KEY].reverse().join(''), 2, 'reversed'],
    ['hex', hex(TOKEN), 1, 'hex'],
    ['HEX', hex(KEY).toUpperCase(), 2, 'hex'],
    ['hex wrapped like xxd -p', hex(TOKEN).replace(/(.{60})/g, '$1\n'), 1, 'hex'],
    ['every byte percent-encoded', hex(KEY).replace(/../g, '%$&'), 2, 'url-encoded'],
    ['partly percent-encoded', `?t=${KEY.replace(/-/g, '%2D')}`, 2, 'url-encoded'],
    ['UTF-16LE bytes', Buffer.from(KEY, 'utf16le'), 2, 'utf-16'],
    ['UTF-16BE bytes', Buffer.from(KEY, 'utf16le').swap16(), 2, 'utf-16'],
    ['base64, aligned', b64(TOKEN), 1, 'base64'],
    ['base64, one byte in', b64(`a${TOKEN}`), 1, 'base64'],
    ['base64, two bytes in', b64(`ab${KEY}`), 2, 'base64'],
    ['base64 in a Basic header', `AUTHORIZATION: basic ${b64(`x-access-token:${TOKEN}`)}`, 1, 'base64'],
    ['base64 wrapped at 76', b64(`${'z'.repeat(50)}${TOKEN}`).replace(/(.{76})/g, '$1\n'), 1, 'base64'],
    ['base64url', b64(`ab${KEY}`).replace(/\+/g, '-').replace(/\//g, '_'), 2, expect.stringMatching(/^base64(url)?$/)],
    ['a secret split by a newline', `${KEY.slice(0, 10)}\n${KEY.slice(10)}`, 2, 'raw'],
  ])('finds %s', (_name, data, index, encoding) => {
    expect(find(data as string | Uint8Array)).toEqual({ index, encoding });
  });

  it('finds a base64url spelling that differs from standard base64', () => {
    // ">>>" and "???" encode to "Pj4+" and "Pz8/" in standard base64, to "Pj4-" and "Pz8_" URL-safe.
    const secret = '>>>???-secret-value';
    const finder = createSecretFinder([secret]);
    const urlSafe = Buffer.from(secret).toString('base64url');
    expect(urlSafe).toMatch(/[-_]/);
    expect(finder(urlSafe)).toEqual({ index: 0, encoding: 'base64url' });
  });

  it('finds nothing in ordinary text, and ignores empty and short values', () => {
    expect(find('function slugify(text) { return text.toLowerCase(); }')).toBeUndefined();
    expect(find(Buffer.from([0, 1, 2, 255]))).toBeUndefined();
    expect(find('short and sweet')).toBeUndefined();
    expect(createSecretFinder([undefined, ''])('anything')).toBeUndefined();
  });
});
