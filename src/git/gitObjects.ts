import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';

const deflateAsync = promisify(deflate);

export type ObjectFormat = 'sha1' | 'sha256';

function framed(type: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${type} ${data.byteLength}\0`), data]);
}

/** The id git gives an object: the hash of its header and content. */
export function objectId(format: ObjectFormat, type: 'blob' | 'commit' | 'tree', data: Uint8Array): string {
  return createHash(format).update(framed(type, data)).digest('hex');
}

/**
 * Stores `data` as a loose object in `gitDir` and returns its id. The id is
 * computed here over the very bytes that were checked, so what is published
 * is what was read — no second read of the file, no filter in between.
 */
export async function writeLooseObject(gitDir: string, format: ObjectFormat, type: 'blob' | 'commit', data: Uint8Array): Promise<string> {
  const id = objectId(format, type, data);
  const dir = join(gitDir, 'objects', id.slice(0, 2));
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `tmp_obj_${randomBytes(6).toString('hex')}`);
  await writeFile(temp, await deflateAsync(framed(type, data)), { mode: 0o444 });
  // link (not rename) so an existing object is never replaced: same id, same content.
  await link(temp, join(dir, id.slice(2))).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await rm(temp, { force: true });
  return id;
}
