/** The plain problems of the distribution commands, reported like `memo verify`'s: one line at the path concerned. */
import path from 'node:path';
import { VFile } from 'vfile';
import { fail } from '../../messages.js';
import { formatReport } from '../report.js';
import type { ReportOptions } from '../report.js';

export interface ArchiveProblem {
  readonly target: string;
  readonly message: string;
  readonly ruleId: string;
}

/** Write the problem to stderr as `path: error message [rule]`. */
export function reportArchiveProblem(
  stderr: { write(text: string): unknown },
  cwd: string,
  problem: ArchiveProblem,
  options: ReportOptions,
): void {
  const file = new VFile({ path: path.relative(cwd, path.resolve(cwd, problem.target)) || '.' });
  fail(file, problem.message, undefined, problem.ruleId);
  stderr.write(`${formatReport([file], options)}\n`);
}

/** The problem an archive error stands for, when it is one of the distribution commands' errors. */
export function archiveProblemOf(error: unknown): ArchiveProblem | undefined {
  if (!(error instanceof Error) || !('target' in error) || typeof error.target !== 'string')
    return undefined;
  const ruleId =
    'ruleId' in error && typeof error.ruleId === 'string'
      ? error.ruleId
      : error.name === 'ApprovalsError'
        ? 'archive-approval'
        : 'archive-missing';
  return { target: error.target, message: error.message, ruleId };
}
