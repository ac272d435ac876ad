/**
 * `<archive>/<slug>/approvals.json`: who approved which published version,
 * and when. It only ever grows (each approval appended, the whole file written
 * atomically under the memo's lock); each approval records the SHA-256 of the
 * version's manifest, so it approves those very bytes. `memo verify` checks
 * it (verify-distribution.ts), and the copies of a version name the approval
 * they were made under, so a changed or removed approval is found.
 */
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../io/atomic.js';
import { errorCode, isNotFound, MEMO_LOCK, memoFolder } from '../layout.js';
import { withLock } from '../lock.js';
import type { LockOptions } from '../lock.js';
import { NotRegularError, readRegular } from '../safe-read.js';
import { findPublished } from './published.js';
import type { PublishedVersion } from './published.js';

export const APPROVALS = 'approvals.json';
export const APPROVALS_FORMAT = 'memo-press-approvals/1';
const MAX_APPROVALS_BYTES = 16 * 1024 * 1024;

export const approvalSchema = z.strictObject({
  version: z.number().int().min(1),
  by: z.string().trim().min(1),
  note: z.string().min(1).nullable(),
  /** When it was recorded (UTC, ISO 8601). */
  at: z.iso.datetime(),
  /** SHA-256 of the version's manifest.json: what was approved. */
  manifest_sha256: z.string().regex(/^[0-9a-f]{64}$/u),
});

const approvalsSchema = z.strictObject({
  format: z.literal(APPROVALS_FORMAT),
  memo: z.string().min(1),
  approvals: z.array(approvalSchema),
});

export type Approval = z.output<typeof approvalSchema>;

export type ApprovalsRead =
  | { readonly ok: true; readonly exists: boolean; readonly approvals: readonly Approval[] }
  | { readonly ok: false; readonly problem: string };

/** Read and validate a memo's approvals; a missing file is none (`exists: false`). */
export async function readApprovals(archive: string, slug: string): Promise<ApprovalsRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegular(path.join(memoFolder(archive, slug), APPROVALS), MAX_APPROVALS_BYTES);
  } catch (error) {
    if (isNotFound(error)) return { ok: true, exists: false, approvals: [] };
    const why =
      error instanceof NotRegularError
        ? error.message
        : `cannot be read (${errorCode(error) ?? 'error'})`;
    return { ok: false, problem: `${APPROVALS} ${why}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, problem: `${APPROVALS} is not valid JSON` };
  }
  const parsed = approvalsSchema.safeParse(data);
  if (!parsed.success || parsed.data.memo !== slug)
    return {
      ok: false,
      problem: `${APPROVALS} is not a memo-press approval record of ${slug} (${APPROVALS_FORMAT})`,
    };
  return { ok: true, exists: true, approvals: parsed.data.approvals };
}

/** Version → its approvals, for the archive index ("not approved"); none when unreadable. */
export async function approvalsByVersion(
  archive: string,
  slug: string,
): Promise<ReadonlyMap<number, readonly Approval[]>> {
  const read = await readApprovals(archive, slug);
  const map = new Map<number, Approval[]>();
  if (!read.ok) return map;
  for (const approval of read.approvals)
    map.set(approval.version, [...(map.get(approval.version) ?? []), approval]);
  return map;
}

/** The approvals that still stand for `published`: same version, same manifest. */
export function approvalsOf(
  approvals: readonly Approval[],
  published: Pick<PublishedVersion, 'version' | 'manifestSha256'>,
): Approval[] {
  return approvals.filter(
    (approval) =>
      approval.version === published.version &&
      approval.manifest_sha256 === published.manifestSha256,
  );
}

export function serializeApprovals(slug: string, approvals: readonly Approval[]): string {
  return `${JSON.stringify({ format: APPROVALS_FORMAT, memo: slug, approvals }, null, 2)}\n`;
}

export interface ApproveRequest {
  readonly archive: string;
  readonly slug: string;
  /** Undefined: the newest published version. */
  readonly version: number | undefined;
  readonly by: string;
  readonly note: string | undefined;
  readonly now: Date;
  readonly lock?: LockOptions;
}

export interface Approved {
  readonly version: number;
  readonly approval: Approval;
  /** False when the same person had already approved this version (nothing written). */
  readonly added: boolean;
}

/** Append an approval of a published version, under the memo's lock. */
export async function approveVersion(request: ApproveRequest): Promise<Approved> {
  const { archive, slug } = request;
  const folder = memoFolder(archive, slug);
  const published = await findPublished(archive, slug, request.version);
  return withLock(path.join(folder, MEMO_LOCK), request.lock ?? {}, async () => {
    const read = await readApprovals(archive, slug);
    if (!read.ok)
      throw new ApprovalsError(
        path.join(folder, APPROVALS),
        `${read.problem}; run \`memo verify\``,
      );
    const by = request.by.trim();
    const earlier = approvalsOf(read.approvals, published).find((approval) => approval.by === by);
    if (earlier !== undefined)
      return { version: published.version, approval: earlier, added: false };
    const approval: Approval = {
      version: published.version,
      by,
      note: request.note?.trim() || null,
      at: request.now.toISOString(),
      manifest_sha256: published.manifestSha256,
    };
    await writeFileAtomic(
      path.join(folder, APPROVALS),
      serializeApprovals(slug, [...read.approvals, approval]),
    );
    return { version: published.version, approval, added: true };
  });
}

/** approvals.json cannot be used: say so, change nothing. */
export class ApprovalsError extends Error {
  override name = 'ApprovalsError';
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(message);
  }
}
