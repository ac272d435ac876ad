/**
 * `<archive>/versions.json`: every published version of every memo, with the
 * SHA-256 of its manifest. It is what says which versions exist, apart from
 * the folders themselves: `memo verify` finds a deleted (even the newest)
 * version, and an edited newest manifest, by comparing the two. It only ever
 * grows: each publish adds its version, under the index lock, together with
 * the index (index-page.ts).
 */
import { z } from 'zod';
import path from 'node:path';
import { LEDGER, errorCode, isNotFound } from './layout.js';
import { NotRegularError, readRegular } from './safe-read.js';

export const LEDGER_FORMAT = 'memo-press-versions/1';
/** A million versions' worth; more is not a ledger memo-press wrote. */
const MAX_LEDGER_BYTES = 64 * 1024 * 1024;

const entrySchema = z.strictObject({
  slug: z.string().min(1),
  version: z.number().int().min(1),
  manifest_sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const ledgerSchema = z.strictObject({
  format: z.literal(LEDGER_FORMAT),
  versions: z.array(entrySchema),
});

export type LedgerEntry = z.output<typeof entrySchema>;

export type LedgerRead =
  | { readonly ok: true; readonly exists: boolean; readonly entries: readonly LedgerEntry[] }
  | { readonly ok: false; readonly problem: string };

const order = (a: LedgerEntry, b: LedgerEntry) =>
  a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : a.version - b.version;

export function serializeLedger(entries: readonly LedgerEntry[]): string {
  return `${JSON.stringify({ format: LEDGER_FORMAT, versions: [...entries].sort(order) }, null, 2)}\n`;
}

/** Read and validate versions.json; a missing one is an empty ledger (`exists: false`). */
export async function readLedger(archive: string): Promise<LedgerRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegular(path.join(archive, LEDGER), MAX_LEDGER_BYTES);
  } catch (error) {
    if (isNotFound(error)) return { ok: true, exists: false, entries: [] };
    const why =
      error instanceof NotRegularError
        ? error.message
        : `cannot be read (${errorCode(error) ?? 'error'})`;
    return { ok: false, problem: `${LEDGER} ${why}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, problem: `${LEDGER} is not valid JSON` };
  }
  const parsed = ledgerSchema.safeParse(data);
  if (!parsed.success)
    return { ok: false, problem: `${LEDGER} is not a memo-press version list (${LEDGER_FORMAT})` };
  const seen = new Set<string>();
  for (const entry of parsed.data.versions) {
    const key = `${entry.slug}/v${entry.version}`;
    if (seen.has(key)) return { ok: false, problem: `${LEDGER} lists ${key} twice` };
    seen.add(key);
  }
  return { ok: true, exists: true, entries: [...parsed.data.versions].sort(order) };
}

/** The ledger's entries for one memo, by version. */
export function entriesFor(entries: readonly LedgerEntry[], slug: string): Map<number, string> {
  return new Map(
    entries.filter((entry) => entry.slug === slug).map((e) => [e.version, e.manifest_sha256]),
  );
}
