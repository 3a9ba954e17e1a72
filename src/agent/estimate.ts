import { IMAGE_TOKENS, isBase64Image } from './images.js';

/**
 * Token estimate for text not yet sent. Deliberately pessimistic (3 characters
 * a token where English averages about 4) because it is used to keep a request
 * inside the budget, and an overestimate only stops a run a little early.
 */
export function estimateTokens(value: unknown): number {
  if (typeof value === 'string') return Math.ceil(value.length / 3);
  // An image is priced by its size in pixels, not its base64: count it at the most it can cost.
  let images = 0;
  const text =
    JSON.stringify(value, (_key, inner: unknown) => {
      if (isBase64Image(inner)) {
        images += 1;
        return undefined;
      }
      return inner;
    }) ?? '';
  return Math.ceil(text.length / 3) + images * IMAGE_TOKENS;
}

/**
 * Anthropic-defined tools carry a schema and instructions the API adds on its
 * side; they are billed but invisible in our request, so the first estimate
 * adds this allowance for them.
 */
export const HIDDEN_TOOL_PROMPT_TOKENS = 1_500;
