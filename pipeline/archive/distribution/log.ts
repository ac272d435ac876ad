/**
 * Reading and appending `<archive>/<slug>/distribution/v<N>/log.json`
 * (log-schema.ts). Appending rewrites the whole file atomically (io/atomic.ts):
 * a reader or a crash sees the old log or the new one. Callers hold the memo's
 * lock while they read, add and write.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../io/atomic.js';
import { errorCode, isNotFound, memoFolder, versionName } from '../layout.js';
import { NotRegularError, readRegular } from '../safe-read.js';
import { DISTRIBUTION_LOG_FORMAT, distributionLogSchema } from './log-schema.js';
import type { CopyEntry, DistributionLog, LogEntry } from './log-schema.js';

export const DISTRIBUTION_DIR = 'distribution';
export const LOG = 'log.json';
const MAX_LOG_BYTES = 64 * 1024 * 1024;

/** `<archive>/<slug>/distribution/v<N>`. */
export function distributionFolder(archive: string, slug: string, version: number): string {
  return path.join(memoFolder(archive, slug), DISTRIBUTION_DIR, versionName(version));
}

export type LogRead =
  | { readonly ok: true; readonly log: DistributionLog | undefined }
  | { readonly ok: false; readonly problem: string };

/** Read and validate a log; `log: undefined` when there is none yet. */
export async function readLog(folder: string): Promise<LogRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegular(path.join(folder, LOG), MAX_LOG_BYTES);
  } catch (error) {
    if (isNotFound(error)) return { ok: true, log: undefined };
    const why =
      error instanceof NotRegularError
        ? error.message
        : `cannot be read (${errorCode(error) ?? 'error'})`;
    return { ok: false, problem: `${LOG} ${why}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, problem: `${LOG} is not valid JSON` };
  }
  const parsed = distributionLogSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    return {
      ok: false,
      problem: `${LOG} is not a memo-press distribution log (${DISTRIBUTION_LOG_FORMAT})${where}`,
    };
  }
  return { ok: true, log: parsed.data };
}

export function copiesOf(log: DistributionLog | undefined): CopyEntry[] {
  return (log?.entries ?? []).filter((entry): entry is CopyEntry => entry.event === 'copy');
}

export function serializeLog(log: DistributionLog): string {
  return `${JSON.stringify(distributionLogSchema.parse(log), null, 2)}\n`;
}

/** The log with `entries` appended, written atomically; returns it. */
export async function appendToLog(
  folder: string,
  log: DistributionLog,
  entries: readonly LogEntry[],
): Promise<DistributionLog> {
  const next: DistributionLog = { ...log, entries: [...log.entries, ...entries] };
  await writeFileAtomic(path.join(folder, LOG), serializeLog(next));
  return next;
}

/** `copy-03-jane-doe.pdf`. */
export function copyFileName(copy: string, recipient: string): string {
  return `copy-${copy}-${recipient}.pdf`;
}
