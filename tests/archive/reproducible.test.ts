/**
 * The same source built in separate processes (separate browser launches)
 * gives byte-identical memo.pdf and memo.html: published into an archive by
 * one, built by `memo build` into out/ by the other. (Two publishes of one
 * source in one process giving the same bytes is checked in publish.test.ts.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCatalog, readInfo } from '../helpers/pdf.js';
import { fixtures, ownBrowser, runMemo, sha256, temporaryFolder } from './helpers.js';

describe('reproducible output', () => {
  it(
    'gives the same bytes across processes, for publish and build alike',
    { timeout: 180_000 },
    async () => {
      const work = await temporaryFolder('reproducible');
      const source = path.join(work, 'drought.md');
      await writeFile(source, await readFile(path.join(fixtures, 'v2.md')));
      const runs = await Promise.all([
        runMemo(['publish', source, '--archive', path.join(work, 'archive')], ownBrowser),
        runMemo(['build', source, '--out', path.join(work, 'out')], ownBrowser),
      ]);
      for (const run of runs) expect(run.code, run.stderr).toBe(0);

      const folders = [
        path.join(work, 'archive', 'drought', 'v1'),
        path.join(work, 'out', 'drought'),
      ];
      for (const name of ['memo.pdf', 'memo.html']) {
        const [published, built] = await Promise.all(
          folders.map(async (folder) => sha256(await readFile(path.join(folder, name)))),
        );
        expect(published, name).toBe(built);
      }
      const pdf = new Uint8Array(await readFile(path.join(folders[0] ?? '', 'memo.pdf')));
      // Dates from the memo, not the clock; a document ID derived from the content.
      const info = await readInfo(pdf);
      expect(info.creationDate?.toISOString()).toBe('2026-04-15T00:00:00.000Z');
      expect(info.modDate?.toISOString()).toBe('2026-04-15T00:00:00.000Z');
      const { id } = await readCatalog(pdf);
      expect(id).toHaveLength(2);
      expect(id?.[0]).toMatch(/^[0-9A-F]{32}$/);
    },
  );
});
