/**
 * `memo distribute`: one numbered copy of a published version's memo.pdf per
 * recipient (stamp.ts), recorded in the version's distribution log (log.ts).
 *
 * Who: the recipients the `--to` names resolve to (lists or recipient ids of
 * the project config), else those the memo's own `distribution` resolves to.
 * A recipient who already has a copy of this version keeps it (nothing new is
 * made); a new one gets the next number. The version must be approved
 * (approvals.json) unless a reason is given (`force`), which each copy's log
 * entry records. Copies are written first, then the log, all under the memo's
 * lock: a crash leaves copies the log does not name, which the next run
 * rewrites with the same bytes.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectConfig } from '../../config/index.js';
import { nearMiss, resolveDistribution } from '../../frontmatter/distribution.js';
import type { RecipientEntry } from '../../frontmatter/distribution.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { MEMO_LOCK, memoFolder } from '../layout.js';
import { withLock } from '../lock.js';
import type { LockOptions } from '../lock.js';
import { sha256Hex } from '../manifest.js';
import type { Manifest } from '../manifest.js';
import { readRegular } from '../safe-read.js';
import { frontMatterData } from '../series-memos.js';
import { APPROVALS, approvalsOf, readApprovals } from './approvals.js';
import { DISTRIBUTION_LOG_FORMAT } from './log-schema.js';
import type { CopyEntry, DistributionLog, LogEntry } from './log-schema.js';
import { appendToLog, copiesOf, copyFileName, distributionFolder, readLog } from './log.js';
import { findPublished } from './published.js';
import type { PublishedVersion } from './published.js';
import { copyNumber, createStamper, unstampable } from './stamp.js';
import { loadStampFaces } from './stamp-font.js';
import type { StampFace } from './stamp-font.js';

/** The largest memo.pdf copied: far above any memo's. */
const MAX_PDF_BYTES = 512 * 1024 * 1024;

export interface DistributeRequest {
  readonly archive: string;
  readonly slug: string;
  /** Undefined: the newest published version. */
  readonly version: number | undefined;
  /** List names or recipient ids; undefined: the memo's own distribution. */
  readonly to: readonly string[] | undefined;
  readonly config: Pick<ProjectConfig, 'distributionLists' | 'recipients' | 'file'>;
  /** Distribute an unapproved version, for this reason. */
  readonly force: string | undefined;
  readonly now: Date;
  readonly lock?: LockOptions;
  /**
   * Runs once the copies are made and logged, still holding the memo's lock
   * (e-mail delivery goes here): `append` adds entries to the version's log,
   * written atomically and flushed before it resolves.
   */
  readonly afterLogged?: (
    distributed: Distributed,
    append: (entries: readonly LogEntry[]) => Promise<void>,
  ) => Promise<void>;
}

export interface Distributed {
  readonly slug: string;
  readonly version: number;
  /** `<archive>/<slug>/distribution/v<N>`. */
  readonly folder: string;
  /** Copies made by this run, in number order. */
  readonly made: readonly CopyEntry[];
  /** Copies the wanted recipients already had (nothing made for them). */
  readonly existing: readonly CopyEntry[];
  /** The log as written (or as found, when nothing was made). */
  readonly log: DistributionLog;
  /** The published version's manifest (title, classification, summary). */
  readonly manifest: Manifest;
}

/** Why nothing was distributed: the path it concerns, the rule, the words. */
export class DistributeError extends Error {
  override name = 'DistributeError';
  readonly target: string;
  readonly ruleId: string;
  constructor(problem: {
    readonly target: string;
    readonly reason: string;
    readonly ruleId: string;
  }) {
    super(problem.reason);
    this.target = problem.target;
    this.ruleId = problem.ruleId;
  }
}

function configName(config: DistributeRequest['config']): string {
  return config.file ?? 'the project config';
}

function sourcesOf(config: DistributeRequest['config']) {
  return { distributionLists: config.distributionLists, recipients: config.recipients ?? {} };
}

/** `--to` entries → recipient ids; an entry that is neither a list nor an id is refused. */
function resolveTo(to: readonly string[], config: DistributeRequest['config']): string[] {
  const sources = sourcesOf(config);
  for (const entry of to) {
    if (Object.hasOwn(sources.distributionLists, entry) || Object.hasOwn(sources.recipients, entry))
      continue;
    const miss = nearMiss(entry, sources) ?? nearMiss(entry.toLowerCase(), sources);
    const hint =
      miss === undefined
        ? `the recipients are ${Object.keys(sources.recipients).join(', ') || 'none yet (add `recipients` to the config)'}`
        : `did you mean the ${miss.kind} \`${miss.name}\`?`;
    throw new DistributeError({
      target: config.file ?? '.',
      reason: `--to \`${entry}\` is not a recipient id or distribution list of ${configName(config)}; ${hint}`,
      ruleId: 'distribute-recipient',
    });
  }
  return [...resolveDistribution(to, sources).recipients];
}

/** The memo's own `distribution` (as written in its archived source), resolved to recipient ids. */
async function memoRecipients(
  versionFolder: string,
  sourceFile: string,
  config: DistributeRequest['config'],
): Promise<string[]> {
  const bytes = await readFile(path.join(versionFolder, 'source.md'));
  const data = frontMatterData('source', bytes)?.data;
  const listed =
    typeof data === 'object' && data !== null && 'distribution' in data ? data.distribution : [];
  const entries = Array.isArray(listed)
    ? listed.filter((entry): entry is string => typeof entry === 'string')
    : [];
  const recipients = resolveDistribution(entries, sourcesOf(config)).recipients;
  if (recipients.length === 0)
    throw new DistributeError({
      target: path.join(versionFolder, 'source.md'),
      reason: `the distribution of ${sourceFile} names no recipient of ${configName(config)}, so there is nobody to make a copy for: add the people to \`recipients\` and name them (or a list of them) in \`distribution\`, or pass --to LIST|ID`,
      ruleId: 'distribute-recipient',
    });
  return [...recipients];
}

function recipientOf(config: DistributeRequest['config'], id: string): RecipientEntry {
  const recipient = config.recipients?.[id];
  if (recipient === undefined || !Object.hasOwn(config.recipients ?? {}, id))
    throw new DistributeError({
      target: config.file ?? '.',
      reason: `recipient \`${id}\` is not in ${configName(config)}`,
      ruleId: 'distribute-recipient',
    });
  return recipient;
}

export async function distributeCopies(request: DistributeRequest): Promise<Distributed> {
  const { archive, slug, config } = request;
  const published = await findPublished(archive, slug, request.version);
  const wanted =
    request.to === undefined || request.to.length === 0
      ? await memoRecipients(published.folder, published.manifest.source.file, config)
      : resolveTo(request.to, config);
  if (wanted.length === 0)
    throw new DistributeError({
      target: config.file ?? '.',
      reason: `--to ${request.to?.join(' ') ?? ''} names no recipient (only offices): a copy goes to a person of \`recipients\``,
      ruleId: 'distribute-recipient',
    });
  const people = new Map(wanted.map((id) => [id, recipientOf(config, id)]));
  const faces = loadStampFaces();
  for (const [id, person] of people) {
    const bad = unstampable(`${person.name}, ${person.office}`, faces);
    if (bad.length > 0)
      throw new DistributeError({
        target: config.file ?? '.',
        reason: `the name or office of recipient \`${id}\` has characters the copy stamp cannot print (${bad.join(' ')}): write them in Latin letters`,
        ruleId: 'distribute-recipient',
      });
  }
  const folder = distributionFolder(archive, slug, published.version);
  const lockPath = path.join(memoFolder(archive, slug), MEMO_LOCK);
  return withLock(lockPath, request.lock ?? {}, async () => {
    const result = await makeCopies(request, published, people, folder, faces);
    if (request.afterLogged === undefined) return result;
    let log = result.log;
    await request.afterLogged(result, async (entries) => {
      log = await appendToLog(folder, log, entries);
    });
    return { ...result, log };
  });
}

async function makeCopies(
  request: DistributeRequest,
  published: PublishedVersion,
  people: ReadonlyMap<string, RecipientEntry>,
  folder: string,
  faces: readonly StampFace[],
): Promise<Distributed> {
  const { archive, slug, config } = request;
  const wanted = [...people.keys()];
  const approvals = await readApprovals(archive, slug);
  if (!approvals.ok)
    throw new DistributeError({
      target: path.join(memoFolder(archive, slug), APPROVALS),
      reason: `${approvals.problem}; run \`memo verify\``,
      ruleId: 'archive-approval',
    });
  const approval = approvalsOf(approvals.approvals, published)[0];
  if (approval === undefined && request.force === undefined)
    throw new DistributeError({
      target: published.folder,
      reason: `version ${published.version} of ${slug} is not approved: run \`memo approve ${slug} v${published.version} --by "Name"\` first, or give a reason with --force "…"`,
      ruleId: 'distribute-unapproved',
    });
  const pdf = await readRegular(path.join(published.folder, 'memo.pdf'), MAX_PDF_BYTES);
  const sourceSha = sha256Hex(pdf);
  if (sourceSha !== published.manifest.files['memo.pdf'].sha256)
    throw new DistributeError({
      target: path.join(published.folder, 'memo.pdf'),
      reason:
        'changed since it was published (its SHA-256 differs from manifest.json); run `memo verify`',
      ruleId: 'archive-changed',
    });
  const read = await readLog(folder);
  if (!read.ok)
    throw new DistributeError({
      target: folder,
      reason: `${read.problem}; run \`memo verify\``,
      ruleId: 'archive-distribution',
    });
  const log: DistributionLog = read.log ?? {
    format: DISTRIBUTION_LOG_FORMAT,
    memo: slug,
    version: published.version,
    source_sha256: sourceSha,
    entries: [],
  };
  if (log.source_sha256 !== sourceSha || log.memo !== slug || log.version !== published.version)
    throw new DistributeError({
      target: folder,
      reason: `its ${'log.json'} describes another memo.pdf than version ${published.version} of ${slug}; run \`memo verify\``,
      ruleId: 'archive-distribution',
    });
  const copies = copiesOf(log);
  const existing = copies.filter((copy) => people.has(copy.recipient));
  const added = wanted.filter((id) => !copies.some((copy) => copy.recipient === id));
  if (added.length === 0)
    return {
      slug,
      version: published.version,
      folder,
      made: [],
      existing,
      log,
      manifest: published.manifest,
    };
  const of = copies.length + added.length;
  const first = Math.max(0, ...copies.map((copy) => copy.copy)) + 1;
  const at = request.now.toISOString();
  const made: CopyEntry[] = [];
  const stamper = await createStamper(pdf, faces);
  for (const [index, id] of added.entries()) {
    const person = recipientOf(config, id);
    const identity = {
      memo: slug,
      version: published.version,
      copy: first + index,
      of,
      recipient: id,
      name: person.name,
      office: person.office,
    };
    const bytes = await stamper.stamp(identity);
    const file = copyFileName(copyNumber(identity.copy, of), id);
    await writeFileAtomic(path.join(folder, file), bytes);
    made.push({
      event: 'copy',
      copy: identity.copy,
      of,
      recipient: id,
      name: person.name,
      office: person.office,
      file,
      sha256: sha256Hex(bytes),
      at,
      ...(approval === undefined
        ? { forced: request.force ?? 'not approved' }
        : { approved: { by: approval.by, at: approval.at } }),
    });
  }
  const written = await appendToLog(folder, log, made);
  return {
    slug,
    version: published.version,
    folder,
    made,
    existing,
    log: written,
    manifest: published.manifest,
  };
}
