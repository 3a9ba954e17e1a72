import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.Messages.MessageParam;

/**
 * What one image costs in prompt tokens, at most: the API scales an image down
 * until it is within about 1,600 tokens (its vision guide), so its base64
 * length says nothing about its price.
 */
export const IMAGE_TOKENS = 1_600;

/** An image block's base64 source, wherever it sits in a request. */
export function isBase64Image(value: unknown): value is { type: 'base64'; media_type: string; data: string } {
  if (value === null || typeof value !== 'object') return false;
  const source = value as { type?: unknown; media_type?: unknown; data?: unknown };
  return source.type === 'base64' && typeof source.media_type === 'string' && source.media_type.startsWith('image/') && typeof source.data === 'string';
}

/** A JSON replacer that leaves the bytes of images out (the transcript, estimates), keeping their type and size. */
export function omitImageData(_key: string, value: unknown): unknown {
  return isBase64Image(value) ? { ...value, data: `[${value.data.length} base64 characters left out]` } : value;
}

/**
 * The conversation with every image replaced by a line saying one was there:
 * a saved session stays small (an image may be megabytes of base64), and the
 * next run's model still knows what it was shown.
 */
export function withoutImages(messages: MessageParam[]): MessageParam[] {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    const block = value as { type?: unknown; source?: unknown };
    if (block.type === 'image' && isBase64Image(block.source)) return { type: 'text', text: IMAGE_LEFT_OUT };
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, strip(inner)]));
  };
  return strip(messages) as MessageParam[];
}

export const IMAGE_LEFT_OUT = '[An image was shown here in an earlier run; it is not kept in the saved session.]';
