/**
 * Every problem is a vfile message with a source position and a rule id.
 * Library code records them; only the CLI prints them (pipeline/cli/report.ts).
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { VFileMessage } from 'vfile-message';

export const SOURCE = 'memo-press';

type Place = Point | Position | undefined;

/** Record an error: the memo will not be built. */
export function fail(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place, ruleId, source: SOURCE });
  message.fatal = true;
  return message;
}

/** Record a warning: the memo is built, `memo check --frail` fails. */
export function warn(file: VFile, reason: string, place: Place, ruleId: string): VFileMessage {
  const message = file.message(reason, { place, ruleId, source: SOURCE });
  message.fatal = false;
  return message;
}

/**
 * Mark `message` as being about another file than the memo, one the memo
 * depends on (an entry of its bibliography): `other` is that file's path as
 * the writer names it, and its place is in that file. Reporters print it
 * instead of the memo's path.
 */
export function inOtherFile(message: VFileMessage, other: string): VFileMessage {
  message.file = other;
  return message;
}

/** The other file a message of inOtherFile is about, else undefined (the message is about the memo). */
export function otherFileOf(message: VFileMessage): string | undefined {
  const named = message.file;
  return named !== undefined && named !== '' && OTHER_FILE.test(named) ? named : undefined;
}

/** The kinds of file inOtherFile is used for (a memo is `.md`). */
const OTHER_FILE = /\.(?:bib|json)$/i;

export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true);
}

/** 1-based line and column of a character offset in `text` (clamped to the text). */
export function pointAt(text: string, offset: number): Point {
  const clamped = Math.min(Math.max(0, offset), text.length);
  return location(text).toPoint(clamped) ?? { line: 1, column: 1, offset: 0 };
}
