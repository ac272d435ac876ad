/**
 * Memos with tables give the same PDF bytes in every build: alone in separate processes, and
 * after other memos printed on the same page of one build (Chromium's table header ids follow
 * a per-page counter; pipeline/render/pdf-struct-ids.ts renumbers them). The sample memo, whose
 * table made two of three builds differ, included.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runMemo, sha256, temporaryFolder } from './helpers.js';

const tables = path.join(root, 'tests', 'fixtures', 'struct-ids', 'lake-tables.md');
const sample = path.join(root, 'sources', 'water-security-first-year.md');
const other = path.join(root, 'sources', 'border-infrastructure-briefing.md');

describe('reproducible PDFs with tables', () => {
  it(
    'gives one memo.pdf (and memo.html) per memo, built alone or after others on the same page',
    { timeout: 240_000 },
    async () => {
      const work = await temporaryFolder('reproducible-tables');
      const builds = [
        [tables],
        [tables],
        [sample, other, tables],
        [sample],
        [other, tables, sample],
      ];
      // One after the other: separate processes, each with its own Chromium.
      for (const [index, sources] of builds.entries()) {
        const out = path.join(work, String(index));
        const args = ['build', '--no-cache', '--concurrency', '1', '--out', out, ...sources];
        const run = await runMemo(args, { SOURCE_DATE_EPOCH: '1700000000' });
        expect(run.code, run.stderr).toBe(0);
      }
      const hashes = async (slug: string, runs: number[], name = 'memo.pdf') =>
        new Set(
          await Promise.all(
            runs.map(async (index) =>
              sha256(await readFile(path.join(work, String(index), slug, name))),
            ),
          ),
        );
      expect(await hashes('lake-tables', [0, 1, 2, 4])).toHaveProperty('size', 1);
      expect(await hashes('water-security-first-year', [2, 3, 4])).toHaveProperty('size', 1);
      expect(await hashes('lake-tables', [0, 1, 2, 4], 'memo.html')).toHaveProperty('size', 1);
    },
  );
});
