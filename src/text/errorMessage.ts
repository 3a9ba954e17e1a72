/** The message of anything thrown, for a sentence that says what went wrong. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
