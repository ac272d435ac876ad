/**
 * `memo verify` for approvals and distribution of one memo:
 *
 * - `archive-approval`: approvals.json is not valid, approves a version that
 *   is not there or whose manifest changed since, or no longer records the
 *   approval a copy was made under;
 * - `archive-distribution`: a log that is not valid, or describes another
 *   memo.pdf than the version's; copies numbered with a gap or twice, a
 *   recipient with two copies, a copy with neither an approval nor a reason,
 *   a file the log names missing or changed (SHA-256), or a file it does not name.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST, memoFolder, parseVersionName, versionFolder } from '../layout.js';
import { readManifest, sha256Hex } from '../manifest.js';
import { hashRegular, kindOf } from '../safe-read.js';
import type { Problems } from '../verify-problems.js';
import { APPROVALS, readApprovals } from './approvals.js';
import type { Approval } from './approvals.js';
import type { CopyEntry, DistributionLog } from './log-schema.js';
import { DISTRIBUTION_DIR, LOG, copiesOf, readLog } from './log.js';

interface VersionFacts {
  readonly manifestSha256: string;
  readonly pdfSha256: string;
}

async function versionFacts(
  archive: string,
  slug: string,
  version: number,
): Promise<VersionFacts | undefined> {
  const read = await readManifest(path.join(versionFolder(archive, slug, version), MANIFEST));
  if (!read.ok) return undefined;
  return {
    manifestSha256: sha256Hex(read.bytes),
    pdfSha256: read.manifest.files['memo.pdf'].sha256,
  };
}

function checkApprovals(
  target: string,
  approvals: readonly Approval[],
  facts: ReadonlyMap<number, VersionFacts | undefined>,
  problems: Problems,
): void {
  for (const approval of approvals) {
    const version = facts.get(approval.version);
    if (version === undefined)
      problems.error(
        target,
        `approves version ${approval.version}, which is not in the archive`,
        'archive-approval',
      );
    else if (version.manifestSha256 !== approval.manifest_sha256)
      problems.error(
        target,
        `the approval of v${approval.version} by ${approval.by} was given to another manifest.json (SHA-256 differs): the version changed after it was approved, or the approval was edited`,
        'archive-approval',
      );
  }
}

function checkNumbering(folder: string, copies: readonly CopyEntry[], problems: Problems): void {
  const numbers = new Set<number>();
  const recipients = new Set<string>();
  for (const copy of copies) {
    if (numbers.has(copy.copy))
      problems.error(
        path.join(folder, LOG),
        `copy ${copy.copy} is logged twice`,
        'archive-distribution',
      );
    if (recipients.has(copy.recipient))
      problems.error(
        path.join(folder, LOG),
        `recipient ${copy.recipient} has two copies`,
        'archive-distribution',
      );
    numbers.add(copy.copy);
    recipients.add(copy.recipient);
  }
  for (let number = 1; number <= copies.length; number += 1) {
    if (!numbers.has(number))
      problems.error(
        path.join(folder, LOG),
        `copy ${number} is missing from the log: copies are numbered 1 to ${copies.length} without gaps`,
        'archive-distribution',
      );
  }
}

function checkApprovalOfCopy(
  folder: string,
  copy: CopyEntry,
  approvals: readonly Approval[] | undefined,
  version: number,
  problems: Problems,
): void {
  if (copy.approved === undefined) {
    if (copy.forced === undefined)
      problems.error(
        path.join(folder, LOG),
        `copy ${copy.copy} records neither an approval nor a reason (--force)`,
        'archive-distribution',
      );
    return;
  }
  if (approvals === undefined) return; // approvals.json itself is reported
  const { by, at } = copy.approved;
  if (
    !approvals.some(
      (approval) => approval.version === version && approval.by === by && approval.at === at,
    )
  )
    problems.error(
      path.join(folder, LOG),
      `copy ${copy.copy} was made under the approval of v${version} by ${by} (${at}), which ${APPROVALS} no longer records: the approval was removed or edited`,
      'archive-approval',
    );
}

async function checkLog(
  folder: string,
  log: DistributionLog,
  slug: string,
  version: number,
  facts: VersionFacts,
  approvals: readonly Approval[] | undefined,
  problems: Problems,
): Promise<number> {
  const logFile = path.join(folder, LOG);
  if (log.memo !== slug || log.version !== version)
    problems.error(
      logFile,
      `describes ${log.memo} v${log.version}, not ${slug} v${version}`,
      'archive-distribution',
    );
  if (log.source_sha256 !== facts.pdfSha256)
    problems.error(
      logFile,
      `records copies of another memo.pdf (source_sha256 differs from the published version's)`,
      'archive-distribution',
    );
  const copies = copiesOf(log);
  checkNumbering(folder, copies, problems);
  const named = new Set<string>([LOG]);
  for (const entry of log.entries) if (entry.event === 'dry-run') named.add(entry.eml);
  let hashed = 0;
  for (const copy of copies) {
    checkApprovalOfCopy(folder, copy, approvals, version, problems);
    named.add(copy.file);
    const file = path.join(folder, copy.file);
    if (path.basename(copy.file) !== copy.file) {
      problems.error(
        logFile,
        `copy ${copy.copy} names a file outside its folder`,
        'archive-distribution',
      );
      continue;
    }
    let actual: string;
    try {
      actual = (await hashRegular(file)).sha256;
      hashed += 1;
    } catch {
      problems.error(
        file,
        `is missing: the log records copy ${copy.copy} for ${copy.name}`,
        'archive-missing',
      );
      continue;
    }
    if (actual !== copy.sha256)
      problems.error(
        file,
        `changed since it was made: SHA-256 ${actual.slice(0, 12)}…, the log records ${copy.sha256.slice(0, 12)}…`,
        'archive-changed',
      );
  }
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (named.has(entry.name)) continue;
    if (entry.isFile() && /^\..+\.[0-9a-f]{12}\.tmp$/u.test(entry.name)) {
      problems.warning(
        path.join(folder, entry.name),
        'left by an interrupted `memo distribute`; it is not a copy, and you may delete it',
        'archive-stray-temp',
      );
      continue;
    }
    problems.error(
      path.join(folder, entry.name),
      `is not part of the distribution (${kindOf(entry)}): the folder holds ${LOG} and the copies it names`,
      'archive-unexpected',
    );
  }
  return hashed;
}

/** Check approvals.json and distribution/ of `slug`; returns the number of files re-hashed. */
export async function checkDistribution(
  archive: string,
  slug: string,
  versions: readonly number[],
  problems: Problems,
): Promise<number> {
  const memo = memoFolder(archive, slug);
  const facts = new Map<number, VersionFacts | undefined>();
  for (const version of versions) facts.set(version, await versionFacts(archive, slug, version));
  const read = await readApprovals(archive, slug);
  let approvals: readonly Approval[] | undefined;
  if (!read.ok) problems.error(path.join(memo, APPROVALS), read.problem, 'archive-approval');
  else {
    approvals = read.approvals;
    checkApprovals(path.join(memo, APPROVALS), read.approvals, facts, problems);
  }
  const distribution = path.join(memo, DISTRIBUTION_DIR);
  let entries;
  try {
    entries = await readdir(distribution, { withFileTypes: true });
  } catch {
    return 0;
  }
  let hashed = 0;
  for (const entry of entries) {
    const folder = path.join(distribution, entry.name);
    const version = parseVersionName(entry.name);
    const known = version === undefined ? undefined : facts.get(version);
    if (version === undefined || !entry.isDirectory() || known === undefined) {
      problems.error(
        folder,
        `is not part of the archive (${kindOf(entry)}): distribution/ holds one folder per distributed version, v1, v2, …`,
        entry.isSymbolicLink() ? 'archive-file-type' : 'archive-unexpected',
      );
      continue;
    }
    const log = await readLog(folder);
    if (!log.ok) problems.error(path.join(folder, LOG), log.problem, 'archive-distribution');
    else if (log.log === undefined)
      problems.error(
        path.join(folder, LOG),
        'is missing: every distributed version has one',
        'archive-missing',
      );
    else hashed += await checkLog(folder, log.log, slug, version, known, approvals, problems);
  }
  return hashed;
}
