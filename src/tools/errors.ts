/** Bad input from the model: its message goes back to the model as an error result. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}
