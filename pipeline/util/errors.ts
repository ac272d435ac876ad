/** Turning a thrown value into words for a message: never a stack trace. */

/** The whole message of `error` (a thrown non-Error as text). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first non-blank line of an error's message, trimmed: parsers and Chromium add detail below it. */
export function firstLine(error: unknown): string {
  return (
    messageOf(error)
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'unknown error'
  );
}
