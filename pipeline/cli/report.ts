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
import type { VFile } from 'vfile';
import { reporter } from 'vfile-reporter';
import { compareFile, compareMessage } from 'vfile-sort';
import { statistics } from 'vfile-statistics';

export type ReporterName = 'compact' | 'stylish';

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
      lines.push(
        `${file.path}:${message.line ?? 1}:${message.column ?? 1}: ${severity} ${message.reason}${rule}`,
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

export function formatReport(files: readonly VFile[], options: ReportOptions): string {
  if (options.reporter === 'stylish') {
    return reporter([...files], { color: options.color, quiet: options.quiet ?? false });
  }
  const body = formatCompact(files, options);
  const summary = summarize(files);
  return [body, summary].filter((part) => part !== '').join('\n');
}
