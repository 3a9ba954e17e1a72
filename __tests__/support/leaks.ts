import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The spellings of a secret a test looks for, written independently of the
 * code under test: raw, reversed, hex (either case), every byte
 * percent-encoded, UTF-16, and base64 (standard and URL-safe) at each of the three
 * byte alignments — for an alignment, only the characters that depend on the
 * secret alone, so it is found inside a longer encoded text.
 */
export function spellings(secret: string): Array<{ encoding: string; text: string }> {
  const bytes = Buffer.from(secret);
  const hex = bytes.toString('hex');
  const found = [
    { encoding: 'raw', text: secret },
    { encoding: 'reversed', text: [...secret].reverse().join('') },
    { encoding: 'hex', text: hex },
    { encoding: 'HEX', text: hex.toUpperCase() },
    { encoding: 'percent', text: hex.replace(/../g, '%$&') },
    { encoding: 'PERCENT', text: hex.toUpperCase().replace(/../g, '%$&') },
    // Compared with object text read as latin1, so these are the UTF-16 bytes one per character.
    { encoding: 'utf-16le', text: Buffer.from(secret, 'utf16le').toString('latin1') },
    { encoding: 'utf-16be', text: Buffer.from(secret, 'utf16le').swap16().toString('latin1') },
  ];
  for (let pad = 0; pad < 3; pad += 1) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const start = pad === 0 ? 0 : 4;
    const end = Math.floor((pad + bytes.length) / 3) * 4;
    const middle = encoded.slice(start, end);
    found.push({ encoding: `base64+${pad}`, text: middle }, { encoding: `base64url+${pad}`, text: middle.replace(/\+/g, '-').replace(/\//g, '_') });
  }
  return found;
}

/** Every secret spelling found in `text`, as `secret (encoding)` lines. */
export function leaksIn(text: string, secrets: string[]): string[] {
  const squeezed = text.replace(/\s+/g, '');
  return secrets.flatMap((secret) =>
    spellings(secret)
      .filter(({ text: spelling }) => text.includes(spelling) || squeezed.includes(spelling))
      .map(({ encoding }) => `${secret} (${encoding})`),
  );
}

/** Everything a bare repository holds: ref names and the raw content of every object, packed or loose. */
export async function allObjectText(gitDir: string): Promise<string> {
  const refs = await run('git', ['--git-dir', gitDir, 'for-each-ref', '--format=%(refname)'], { encoding: 'latin1' });
  const objects = await run('git', ['--git-dir', gitDir, 'cat-file', '--batch-all-objects', '--batch', '--unordered'], {
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
  return `${refs.stdout}\n${objects.stdout}`;
}
