/**
 * Characters that must not reach a title, a PDF's metadata, a folder name or
 * a terminal: C0 and C1 control characters (a terminal obeys ESC sequences;
 * NUL and BEL are invisible) and the bidirectional embedding, override and
 * isolate characters, which make text display in another order than it is
 * stored.
 */

/** Tab and newline are left out: they are ordinary in multi-line fields. */
const UNSAFE = /(?![\t\n])[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const UNPRINTABLE_CHAR = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
const UNPRINTABLE = new RegExp(UNPRINTABLE_CHAR.source, 'gu');

/** `U+001B`, the way a writer can look a character up. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first unsafe character of `text` (tab and newline allowed), or undefined. */
export function firstUnsafeChar(text: string): string | undefined {
  return UNSAFE.exec(text)?.[0];
}

/** Whether `text` has no unsafe character, tab and newline included. */
export function isPlainLine(text: string): boolean {
  return !UNPRINTABLE_CHAR.test(text);
}

/** `text` for one line of a terminal: every control and bidi character shown as `<U+001B>`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `<${codePointName(char)}>`);
}

/** `text` with every unsafe character (tab and newline too) replaced by a space, for metadata. */
export function withoutControls(text: string): string {
  return text.replace(UNPRINTABLE, ' ');
}
