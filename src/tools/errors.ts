/**
 * Bad input from the model (a path outside the workspace, an ambiguous
 * old_str...). Its message goes back to the model verbatim as an error
 * result, so it says what was wrong and, where it can, what to do instead.
 */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}
