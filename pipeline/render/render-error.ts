/** A memo could not be printed; the message says why, for the writer (no stack trace). */
export class RenderError extends Error {
  override name = 'RenderError';
}
