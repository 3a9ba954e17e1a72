/**
 * Token estimate for text not yet sent. Deliberately pessimistic (3 characters
 * a token where English averages about 4) because it is used to keep a request
 * inside the budget, and an overestimate only stops a run a little early.
 */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 3);
}

/**
 * Anthropic-defined tools carry a schema and instructions the API adds on its
 * side; they are billed but invisible in our request, so the first estimate
 * adds this allowance for them.
 */
export const HIDDEN_TOOL_PROMPT_TOKENS = 1_500;
