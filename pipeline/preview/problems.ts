/**
 * A build's vfile messages as the preview page shows them: the compact
 * report's `line:column: message [rule]`, never with a stack. The memo's own
 * problems leave out its path (the overlay's heading names it); problems of
 * another file (the project config, the templates) start with that file's path.
 * Errors come before warnings. A problem with a line carries the link that
 * opens it in the writer's editor (the config's `editorUrl`) and the absolute
 * `path:line:column` to copy when no editor answers the link.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import { compareMessage } from 'vfile-sort';
import { otherFileOf } from '../messages.js';

export interface PreviewProblem {
  readonly severity: 'error' | 'warning';
  /** "5:7", "memo.config.json:2:3", or "templates" for a problem with no place. */
  readonly place?: string;
  readonly reason: string;
  readonly rule?: string;
  /** The editor link, e.g. "vscode://file/home/me/memo.md:5:7". */
  readonly href?: string;
  /** "/home/me/memo.md:5:7". */
  readonly position?: string;
}

export interface ProblemLinks {
  readonly cwd: string;
  /** With `{path}`, `{line}` and `{column}`. */
  readonly editorUrl: string;
}

/**
 * `absolute` as a URL path: `/`-separated, starting with `/` (a Windows drive
 * becomes `/C:/…`), each segment percent-encoded, so a space or `#` in a folder
 * name cannot cut the link short.
 */
export function urlPath(absolute: string): string {
  const segments = absolute.split(/[\\/]+/u).filter((segment) => segment !== '');
  const encoded = segments.map((segment, index) =>
    index === 0 && /^[a-z]:$/iu.test(segment) ? segment : encodeURIComponent(segment),
  );
  return `/${encoded.join('/')}`;
}

/** Fill the editor URL template. */
export function editorHref(
  template: string,
  absolute: string,
  line: number,
  column: number,
): string {
  const values: Record<string, string> = {
    path: urlPath(absolute),
    line: String(line),
    column: String(column),
  };
  return template.replace(/\{(path|line|column)\}/gu, (whole, key: string) => values[key] ?? whole);
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
export function problemsOf(files: readonly VFile[], links: ProblemLinks): PreviewProblem[] {
  const problems: PreviewProblem[] = [];
  for (const [index, file] of files.entries()) {
    const absolute = path.resolve(links.cwd, file.path);
    for (const message of [...file.messages].sort(compareMessage)) {
      // A problem in a file the memo depends on (its bibliography) names that file.
      const other = otherFileOf(message);
      const place =
        other === undefined
          ? placeOf(file, index === 0, message.line, message.column)
          : `${other}:${message.line ?? 1}:${message.column ?? 1}`;
      const target = other === undefined ? absolute : path.resolve(links.cwd, other);
      const line = message.line;
      const column = message.column ?? 1;
      problems.push({
        severity: message.fatal === true ? 'error' : 'warning',
        ...(place === undefined ? {} : { place }),
        reason: message.reason,
        ...(message.ruleId ? { rule: message.ruleId } : {}),
        ...(line === undefined
          ? {}
          : {
              href: editorHref(links.editorUrl, target, line, column),
              position: `${target}:${line}:${column}`,
            }),
      });
    }
  }
  // Stable: within each severity, the files' and positions' order stays.
  return [
    ...problems.filter((problem) => problem.severity === 'error'),
    ...problems.filter((problem) => problem.severity === 'warning'),
  ];
}
