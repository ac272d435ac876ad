/**
 * A build's vfile messages as the preview page shows them: the compact
 * report's `line:column: message [rule]`, never with a stack. The memo's own
 * problems leave out its path (the overlay's heading names it); problems of
 * another file (the project config, the templates) start with that file's path.
 */
import type { VFile } from 'vfile';
import { compareMessage } from 'vfile-sort';

export interface PreviewProblem {
  readonly severity: 'error' | 'warning';
  /** "5:7", "memo.config.json:2:3", or "templates" for a problem with no place. */
  readonly place?: string;
  readonly reason: string;
  readonly rule?: string;
}

function placeOf(
  file: VFile,
  isMemo: boolean,
  line: number | undefined,
  column: number | undefined,
): string | undefined {
  const point = line === undefined ? undefined : `${line}:${column ?? 1}`;
  if (isMemo) return point;
  return point === undefined ? file.path : `${file.path}:${point}`;
}

/** `files[0]` is the memo. */
export function problemsOf(files: readonly VFile[]): PreviewProblem[] {
  const problems: PreviewProblem[] = [];
  for (const [index, file] of files.entries()) {
    for (const message of [...file.messages].sort(compareMessage)) {
      const place = placeOf(file, index === 0, message.line, message.column);
      problems.push({
        severity: message.fatal === true ? 'error' : 'warning',
        ...(place === undefined ? {} : { place }),
        reason: message.reason,
        ...(message.ruleId ? { rule: message.ruleId } : {}),
      });
    }
  }
  return problems;
}
