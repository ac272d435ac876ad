/**
 * Limits on a source, checked before it is parsed. The Markdown parser's time
 * grows with the square of some inputs (lists and quotes nested inside each
 * other, very long lists), so a hostile or broken file could otherwise keep a
 * build busy for hours: these bounds keep every memo to seconds, far above
 * what a real memo needs (a 300-page memo is about 0.5 MB and 6,000 lines).
 */
import type { VFile } from 'vfile';
import { fail } from '../messages.js';

/** Bytes of a source file: about 1,500 pages of text. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** Lines of a source file: about 600 pages of text with one paragraph per line. */
export const MAX_SOURCE_LINES = 30_000;
/** Lists and block quotes inside each other (leading indentation counts one level per 4 columns). */
export const MAX_NESTING = 100;

const MB = 1024 * 1024;
/** One container marker (`>`, `-`, `*`, `+`, `1.`, `1)`) or a run of spaces and tabs. */
const PREFIX_PART = /[ \t]+|>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)/y;

/** Record an error when the file is too big to read; `size` in bytes. */
export function checkSourceSize(file: VFile, size: number): boolean {
  if (size <= MAX_SOURCE_BYTES) return true;
  fail(
    file,
    `file is ${(size / MB).toFixed(1)} MB; a memo may be at most ${MAX_SOURCE_BYTES / MB} MB of text: split it into several memos`,
    { line: 1, column: 1 },
    'source-too-large',
  );
  return false;
}

/** How deeply the line starting at `start` is nested, and the column where it passes `MAX_NESTING`. */
function nesting(text: string, start: number): number | undefined {
  let depth = 0;
  let spaces = 0;
  PREFIX_PART.lastIndex = start;
  for (let match = PREFIX_PART.exec(text); match !== null; match = PREFIX_PART.exec(text)) {
    const part = match[0];
    // Indentation before the first marker nests; spaces after a marker belong to it.
    if (!/^[ \t]/.test(part)) depth += 1;
    else if (depth === 0) spaces += part.replace(/\t/g, '    ').length;
    if (depth + Math.floor(spaces / 4) > MAX_NESTING) return match.index - start + 1;
  }
  return undefined;
}

/** Record an error and return false when the decoded text has too many lines or is too deeply nested. */
export function checkSourceText(file: VFile, text: string): boolean {
  let line = 1;
  for (let start = 0; start <= text.length; line += 1) {
    if (line > MAX_SOURCE_LINES && start < text.length) {
      fail(
        file,
        `file has more than ${MAX_SOURCE_LINES.toLocaleString('en-US')} lines; split it into several memos`,
        { line, column: 1 },
        'source-too-large',
      );
      return false;
    }
    const column = nesting(text, start);
    if (column !== undefined) {
      fail(
        file,
        `lists or block quotes nested more than ${MAX_NESTING} levels deep; a memo needs a few levels at most`,
        { line, column },
        'source-nesting',
      );
      return false;
    }
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    start = end + 1;
  }
  return true;
}
