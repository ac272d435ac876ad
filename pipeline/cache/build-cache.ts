/**
 * The build cache: `memo build` skips a memo whose inputs and outputs are all
 * as they were at its last successful build — no Markdown work, no browser.
 *
 * An entry per memo lives in `<out>/.memo-cache/<slug>.json`. Its key is a
 * SHA-256 over everything the output depends on:
 * - the tool's version and the output format (and SOURCE_DATE_EPOCH);
 * - the source's bytes;
 * - the template the memo uses, every partial, CSS file and font
 *   (`HtmlRenderer.fingerprintFor`), so editing one template rebuilds only the
 *   memos that use it;
 * - the project config's values that memos inherit (a config change rebuilds
 *   every memo: each memo inherits its defaults).
 * The entry also lists the other files the memo read (inlined images) and the
 * output files, each with its hash: a changed image, or an output deleted or
 * edited by hand, makes the entry miss.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../io/atomic.js';

export const CACHE_FOLDER = '.memo-cache';

const entrySchema = z.object({
  key: z.string(),
  template: z.string(),
  dependencies: z.array(z.object({ path: z.string(), sha256: z.string() })),
  outputs: z.array(z.object({ name: z.string(), sha256: z.string() })),
});

export type CacheEntry = z.infer<typeof entrySchema>;

export interface KeyInputs {
  readonly toolVersion: string;
  readonly format: string;
  readonly sourceDateEpoch: string | undefined;
  readonly source: Uint8Array;
  /** `HtmlRenderer.fingerprintFor(template)`. */
  readonly templateFingerprint: string;
  /** Digest of what the config gives memos (see `configDigest`). */
  readonly configDigest: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function cacheKey(inputs: KeyInputs): string {
  const hash = createHash('sha256');
  for (const part of [
    inputs.toolVersion,
    inputs.format,
    inputs.sourceDateEpoch ?? '',
    inputs.templateFingerprint,
    inputs.configDigest,
  ]) {
    hash.update(`${part}\0`);
  }
  hash.update(inputs.source);
  return hash.digest('hex');
}

export function entryPath(outFolder: string, slug: string): string {
  return path.join(outFolder, CACHE_FOLDER, `${slug}.json`);
}

export async function readEntry(file: string): Promise<CacheEntry | undefined> {
  try {
    const parsed = entrySchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function sameHash(file: string, expected: string): Promise<boolean> {
  try {
    return sha256(await readFile(file)) === expected;
  } catch {
    return false;
  }
}

/** True when `entry` still describes the memo: same key, same dependencies, outputs intact. */
export async function isFresh(
  entry: CacheEntry,
  key: string,
  memoFolder: string,
): Promise<boolean> {
  if (entry.key !== key) return false;
  const checks = [
    ...entry.dependencies.map((dependency) => sameHash(dependency.path, dependency.sha256)),
    ...entry.outputs.map((output) => sameHash(path.join(memoFolder, output.name), output.sha256)),
  ];
  return (await Promise.all(checks)).every(Boolean);
}

export async function writeEntry(
  file: string,
  entry: Omit<CacheEntry, 'dependencies'>,
  dependencies: readonly string[],
): Promise<void> {
  const hashed = await Promise.all(
    [...new Set(dependencies)].sort().map(async (dependency) => ({
      path: dependency,
      sha256: sha256(await readFile(dependency)),
    })),
  );
  await writeFileAtomic(file, `${JSON.stringify({ ...entry, dependencies: hashed }, null, 2)}\n`);
}
