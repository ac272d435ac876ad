/**
 * Every problem is a vfile message with a source position and a rule id.
 * Library code records them; only the CLI prints them (pipeline/cli/report.ts).
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
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

export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true);
}

/** 1-based line and column of a character offset in `text`. */
export function pointAt(text: string, offset: number): Point {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset;) {
    line += 1;
    lineStart = index + 1;
    index = text.indexOf('\n', lineStart);
  }
  return { line, column: offset - lineStart + 1, offset };
}
