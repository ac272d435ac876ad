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
 *
 * Each of those files is also recorded with its size and modification time.
 * When both are unchanged the file is taken as unchanged without reading it
 * (git's index does the same); otherwise it is hashed and compared: reading
 * and hashing every output was the largest cost of a rebuild where nothing
 * changed (docs/performance.md). An edit that keeps both
 * the size and the modification time (only a deliberate one does) is missed;
 * `--no-cache` rebuilds regardless.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../io/atomic.js';
import { sha256Hex } from '../util/hash.js';

export const CACHE_FOLDER = '.memo-cache';

/** What was read of a file: its hash, and its size and mtime to skip reading it next time. */
const stamp = {
  sha256: z.string(),
  size: z.number().optional(),
  mtimeMs: z.number().optional(),
};

const entrySchema = z.object({
  key: z.string(),
  template: z.string(),
  dependencies: z.array(z.object({ path: z.string(), ...stamp })),
  outputs: z.array(z.object({ name: z.string(), ...stamp })),
});

type Stamp = z.infer<z.ZodObject<typeof stamp>>;

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

/** The file is as `recorded`: same size and mtime, or else same bytes. */
async function unchanged(file: string, recorded: Stamp): Promise<boolean> {
  try {
    if (recorded.size !== undefined && recorded.mtimeMs !== undefined) {
      const now = await stat(file);
      if (now.size !== recorded.size) return false;
      if (now.mtimeMs === recorded.mtimeMs) return true;
    }
    return sha256Hex(await readFile(file)) === recorded.sha256;
  } catch {
    return false;
  }
}

async function stampOf(file: string, bytes?: Uint8Array): Promise<Stamp> {
  const [data, info] = await Promise.all([bytes ?? readFile(file), stat(file)]);
  return { sha256: sha256Hex(data), size: info.size, mtimeMs: info.mtimeMs };
}

/** True when `entry` still describes the memo: same key, same dependencies, outputs intact. */
export async function isFresh(
  entry: CacheEntry,
  key: string,
  memoFolder: string,
): Promise<boolean> {
  if (entry.key !== key) return false;
  const checks = [
    ...entry.dependencies.map((dependency) => unchanged(dependency.path, dependency)),
    ...entry.outputs.map((output) => unchanged(path.join(memoFolder, output.name), output)),
  ];
  return (await Promise.all(checks)).every(Boolean);
}

/** Record a memo just built: `outputs` are the files written in `memoFolder`, with their bytes. */
export async function writeEntry(
  file: string,
  entry: { key: string; template: string },
  outputs: ReadonlyArray<readonly [name: string, bytes: Uint8Array | string]>,
  memoFolder: string,
  dependencies: readonly string[],
): Promise<void> {
  const [written, read] = await Promise.all([
    Promise.all(
      outputs.map(async ([name, data]) => ({
        name,
        ...(await stampOf(
          path.join(memoFolder, name),
          typeof data === 'string' ? Buffer.from(data) : data,
        )),
      })),
    ),
    Promise.all(
      [...new Set(dependencies)]
        .sort()
        .map(async (dependency) => ({ path: dependency, ...(await stampOf(dependency)) })),
    ),
  ]);
  const record: CacheEntry = { ...entry, dependencies: read, outputs: written };
  await writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}
