/**
 * Print the problems of a run, once, at the edge.
 *
 * Two formats:
 * - `compact` (default): one line per problem,
 *   `path:line:column: severity message [rule]`, the form editors and CI
 *   problem matchers understand (click to jump to the place);
 * - `stylish`: vfile-reporter's grouped report.
 * Both sort with vfile-sort and end with vfile-statistics' counts.
 */
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { reporter } from 'vfile-reporter';
import { compareFile, compareMessage } from 'vfile-sort';
import { statistics } from 'vfile-statistics';
import { otherFileOf } from '../messages.js';
import { printable } from '../util/unsafe-text.js';

export type ReporterName = 'compact' | 'stylish';

/** `1 memo`, `2 memos`; `many` for a plural not made with -s. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

export interface ReportOptions {
  readonly reporter: ReporterName;
  readonly color: boolean;
  /** Leave warnings out. */
  readonly quiet?: boolean;
}

const paint = (on: boolean, code: number, text: string) =>
  on ? `\u001B[${code}m${text}\u001B[39m` : text;

export function formatCompact(files: readonly VFile[], options: ReportOptions): string {
  const lines: string[] = [];
  for (const file of [...files].sort(compareFile)) {
    for (const message of [...file.messages].sort(compareMessage)) {
      const fatal = message.fatal === true;
      if (options.quiet === true && !fatal) continue;
      const severity = fatal
        ? paint(options.color, 31, 'error')
        : paint(options.color, 33, 'warning');
      const rule = message.ruleId ? ` [${message.ruleId}]` : '';
      const where = otherFileOf(message) ?? file.path;
      lines.push(
        `${printable(where)}:${message.line ?? 1}:${message.column ?? 1}: ${severity} ${printable(message.reason)}${rule}`,
      );
    }
  }
  return lines.join('\n');
}

/** "2 errors, 1 warning", or '' when there is nothing to say. */
export function summarize(files: readonly VFile[]): string {
  const counts = statistics([...files]);
  const parts: string[] = [];
  if (counts.fatal > 0) parts.push(`${counts.fatal} error${counts.fatal === 1 ? '' : 's'}`);
  if (counts.warn > 0) parts.push(`${counts.warn} warning${counts.warn === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/**
 * Copies of `files` whose paths and reasons are safe to print: a file name or
 * a value quoted in a message may hold control characters (an ESC sequence
 * would drive the terminal), shown instead as `<U+001B>`.
 */
function printableFiles(files: readonly VFile[]): VFile[] {
  return files.map((file) => {
    const copy = new VFile({ path: printable(file.path), cwd: file.cwd });
    for (const original of file.messages) {
      const message = new VFileMessage(printable(original.reason), {
        place: original.place,
        ...(original.ruleId === undefined ? {} : { ruleId: original.ruleId }),
        ...(original.source === undefined ? {} : { source: original.source }),
      });
      message.fatal = original.fatal;
      copy.messages.push(message);
    }
    return copy;
  });
}

export function formatReport(files: readonly VFile[], options: ReportOptions): string {
  if (options.reporter === 'stylish') {
    return reporter(printableFiles(files), {
      color: options.color,
      quiet: options.quiet ?? false,
    });
  }
  const body = formatCompact(files, options);
  const summary = summarize(files);
  return [body, summary].filter((part) => part !== '').join('\n');
}

/**
 * A command could not load what it needs (the project config, the archive's
 * settings): print the problem, if there is one to show, and end with exit 1.
 */
export function reportNotLoaded(
  stderr: { write(text: string): unknown },
  file: VFile | undefined,
  options: ReportOptions,
  setExit: (code: number) => void,
): void {
  if (file !== undefined) stderr.write(`${formatReport([file], options)}\n`);
  setExit(1);
}
