/**
 * A published version as the distribution commands use it: recorded in
 * versions.json, its manifest unchanged since (same SHA-256), its memo.pdf
 * present. Anything else is a plain problem, never a half-made copy.
 */
import path from 'node:path';
import { LEDGER, MANIFEST, isArchivableSlug, versionFolder, versionName } from '../layout.js';
import { entriesFor, readLedger } from '../ledger.js';
import { readManifest, sha256Hex } from '../manifest.js';
import type { Manifest } from '../manifest.js';

export interface PublishedVersion {
  readonly slug: string;
  readonly version: number;
  /** `<archive>/<slug>/v<N>`. */
  readonly folder: string;
  readonly manifest: Manifest;
  readonly manifestSha256: string;
}

/** Why a version cannot be approved or distributed, with the path it concerns. */
export class PublishedVersionError extends Error {
  override name = 'PublishedVersionError';
  constructor(
    readonly target: string,
    message: string,
  ) {
    super(message);
  }
}

/** `version` of `slug`, or its newest recorded version when `version` is undefined. */
export async function findPublished(
  archive: string,
  slug: string,
  version: number | undefined,
): Promise<PublishedVersion> {
  const memo = path.join(archive, slug);
  if (!isArchivableSlug(slug))
    throw new PublishedVersionError(
      memo,
      `\`${slug}\` is not a memo's slug (such as \`border-trade\`)`,
    );
  const ledger = await readLedger(archive);
  if (!ledger.ok)
    throw new PublishedVersionError(
      path.join(archive, LEDGER),
      `${ledger.problem}; run \`memo verify\``,
    );
  const recorded = entriesFor(ledger.entries, slug);
  const numbers = [...recorded.keys()].sort((a, b) => a - b);
  if (numbers.length === 0)
    throw new PublishedVersionError(
      memo,
      `no published version of \`${slug}\` in ${archive}: publish it first (\`memo publish sources/${slug}.md\`), or pass --archive DIR`,
    );
  const wanted = version ?? numbers.at(-1) ?? 1;
  const expected = recorded.get(wanted);
  const folder = versionFolder(archive, slug, wanted);
  if (expected === undefined)
    throw new PublishedVersionError(
      folder,
      `version ${wanted} of \`${slug}\` was never published: its versions are ${numbers.map(versionName).join(', ')}`,
    );
  const read = await readManifest(path.join(folder, MANIFEST));
  if (!read.ok) throw new PublishedVersionError(folder, `${read.problem}; run \`memo verify\``);
  const manifestSha256 = sha256Hex(read.bytes);
  if (manifestSha256 !== expected)
    throw new PublishedVersionError(
      path.join(folder, MANIFEST),
      `changed since it was published (${LEDGER} records another SHA-256); run \`memo verify\``,
    );
  return { slug, version: wanted, folder, manifest: read.manifest, manifestSha256 };
}
