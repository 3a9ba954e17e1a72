import type { TaskImage } from '../records/task.js';
import { errorMessage } from '../text/errorMessage.js';
import { AttachmentHosts } from './attachmentHosts.js';
import { MAX_IMAGES, type ImageLink } from './imageLinks.js';
import { sniffImageType } from './imageType.js';

/** The Messages API refuses an image whose base64 is over 5 MB; these are the bytes that encode to just that. */
export const MAX_IMAGE_BYTES = ((5 * 1024 * 1024) / 4) * 3;
/** One image, all its redirects and its body included. */
const IMAGE_TIMEOUT_MS = 10_000;
/** Private attachments answer one redirect to a signed URL; a longer chain is not an attachment. */
const MAX_REDIRECTS = 3;

/**
 * The request's images, fetched from GitHub's attachment hosts only, in
 * parallel: each is bounded in size and time, typed from its bytes, and one
 * that cannot be had is a notice naming it, never a failure of the run.
 */
export async function fetchImages(opts: {
  links: ImageLink[];
  serverUrl: string;
  token: string;
  timeoutMs?: number;
}): Promise<{ images: TaskImage[]; notices: string[] }> {
  const hosts = new AttachmentHosts(opts.serverUrl);
  const notices: string[] = [];
  const wanted = opts.links.filter((link) => {
    if (hosts.isAttachment(link.url)) return true;
    notices.push(`image ${link.url} was not shown to the agent: it is not a GitHub attachment (only images uploaded to the issue or comment are fetched)`);
    return false;
  });
  for (const link of wanted.slice(MAX_IMAGES)) notices.push(`image ${link.url} was not shown to the agent: at most ${MAX_IMAGES} images are sent`);
  const results = await Promise.all(wanted.slice(0, MAX_IMAGES).map((link) => fetchImage(link.url, hosts, opts.token, opts.timeoutMs ?? IMAGE_TIMEOUT_MS)));
  const images: TaskImage[] = [];
  results.forEach((result, index) => {
    if ('image' in result) images.push(result.image);
    else notices.push(`image ${wanted[index]!.url} was not shown to the agent: ${result.problem}`);
  });
  return { images, notices };
}

async function fetchImage(url: string, hosts: AttachmentHosts, token: string, timeoutMs: number): Promise<{ image: TaskImage } | { problem: string }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let at = url;
    for (let hop = 0; ; hop += 1) {
      // Redirects are followed here, one by one, so each hop is checked and the token never leaves the GitHub server.
      const response = await fetch(at, {
        redirect: 'manual',
        signal,
        headers: { accept: 'image/*', ...(hosts.sendsToken(at) ? { authorization: `token ${token}` } : {}) },
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const next = response.headers.get('location');
        if (!next) return { problem: `${response.status} without a location` };
        const target = new URL(next, at).toString();
        if (hop >= MAX_REDIRECTS) return { problem: 'too many redirects' };
        if (!hosts.mayRedirectTo(target)) return { problem: `it redirects to ${new URL(target).host}, which is not a GitHub image host` };
        at = target;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { problem: `GitHub answered ${response.status}` };
      }
      return await readImage(url, response);
    }
  } catch (error) {
    return { problem: signal.aborted ? `no answer within ${timeoutMs / 1000} s` : errorMessage(error) };
  }
}

async function readImage(url: string, response: Response): Promise<{ image: TaskImage } | { problem: string }> {
  const tooBig = { problem: `it is larger than ${MAX_IMAGE_BYTES} bytes (the Messages API takes at most 5 MB of base64 per image)` };
  if (Number(response.headers.get('content-length') ?? 0) > MAX_IMAGE_BYTES) {
    await response.body?.cancel();
    return tooBig;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const part = reader ? await reader.read() : { done: true as const, value: undefined };
    if (part.done) break;
    size += part.value.byteLength;
    if (size > MAX_IMAGE_BYTES) {
      await reader?.cancel();
      return tooBig;
    }
    chunks.push(part.value);
  }
  const bytes = Buffer.concat(chunks);
  const mediaType = sniffImageType(bytes);
  if (!mediaType) return { problem: 'it is not a PNG, JPEG, GIF or WebP image' };
  return { image: { url, mediaType, base64: bytes.toString('base64') } };
}
