/**
 * The Claude model name inside a platform's id: `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
 * (Bedrock, an inference profile or an ARN ending in one) and `claude-sonnet-4-5@20250929`
 * (Vertex) both name `claude-sonnet-4-5…`, which prices and tool types are known by.
 * Undefined when the id names no Claude model (an application inference profile's ARN).
 */
export function claudeName(model: string): string | undefined {
  return /(?:^|[./])(claude-[^/@:]*)/.exec(model.toLowerCase())?.[1];
}

/**
 * Claude 4 and later are trained on the Anthropic-defined editor and bash
 * tools (and the API rejects those types for older models); Claude 3 and
 * unknown non-Claude models get the same tools as plain JSON-schema tools.
 * Provider spellings (`anthropic.claude-…`, `claude-…@date`) count too.
 */
export function supportsAnthropicToolTypes(model: string): boolean {
  const name = claudeName(model);
  if (name === undefined) return false;
  return !/^claude-(?:[0-3](?:[-.]|$)|instant)/.test(name);
}
