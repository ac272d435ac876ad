/**
 * 20 `memo publish` processes of the same memo at once: each source carries a
 * marker of its own, so a version whose files came from two runs, or a run
 * whose version went missing, shows.
 *
 * Publishes render before they take the memo's lock, and only two browsers
 * print at once on the machine (render-slots.ts), so they would reach the lock
 * one by one. To make all 20 contend for it at the same moment, the test holds
 * the lock itself until every child says it is waiting, then lets go.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../pipeline/archive/lock.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import {
  entriesOf,
  fixtureWith,
  readManifestFile,
  sha256,
  startMemo,
  temporaryFolder,
} from './helpers.js';
import type { ChildRun } from './helpers.js';

const RUNS = 20;

describe('concurrent publishes of one memo', () => {
  it(
    'give distinct consecutive versions, each complete and from one run',
    { timeout: 600_000 },
    async () => {
      const work = await temporaryFolder('concurrent');
      const archive = path.join(work, 'archive');
      const markers = Array.from(
        { length: RUNS },
        (_, index) => `Concurrency marker ${String(index).padStart(2, '0')}.`,
      );
      const sources = await Promise.all(
        markers.map(async (marker, index) => {
          const folder = path.join(work, `run-${index}`);
          await mkdir(folder);
          const source = path.join(folder, 'drought.md');
          await writeFile(source, await fixtureWith('v1.md', marker));
          return source;
        }),
      );

      await mkdir(path.join(archive, 'drought'), { recursive: true });
      // The machine-wide browser slots live in the temporary folder: this run's
      // own, so that no other test run on the machine holds them meanwhile. A
      // short path: Chromium's socket goes in it, and a socket path has at most 107 bytes.
      const tmp = await mkdtemp(path.join(tmpdir(), 'mp-'));
      const held = await acquireLock(path.join(archive, 'drought', '.lock'));
      const children = sources.map((source) => {
        const started = startMemo(
          ['publish', source, '--archive', archive, '--lock-timeout', '900'],
          { TMPDIR: tmp },
        );
        let stderr = '';
        started.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        return { ...started, waiting: () => stderr.includes('waiting for') };
      });
      // Every child has rendered its memo and waits for the lock (or one failed: then let go at once).
      const anyExited = Promise.race(children.map((child) => child.done));
      let exited = false;
      void anyExited.then(() => (exited = true));
      await waitFor(() => exited || children.every((child) => child.waiting()), {
        timeout: 540_000,
        what: 'every publish to wait for the lock',
      });
      await held.release();
      const runs: ChildRun[] = await Promise.all(children.map((child) => child.done));

      for (const run of runs) {
        expect(run.stderr, run.stderr).toMatch(
          /^waiting for \S+drought\/\.lock, held by process \d+ on \S+ \(since [^)]+\)…\n$/,
        );
      }
      expect(runs.map((run) => run.code)).toEqual(Array.from({ length: RUNS }, () => 0));
      const reported = runs
        .map((run) => Number(/\(version (\d+)\)/.exec(run.stdout)?.[1]))
        .sort((a, b) => a - b);
      const expected = Array.from({ length: RUNS }, (_, index) => index + 1);
      expect(reported).toEqual(expected);

      const folder = path.join(archive, 'drought');
      expect(await entriesOf(folder)).toEqual(
        [
          ...expected.map((version) => `v${version}`),
          // The redline of each version against the one before.
          ...expected.slice(1).map((version) => `redline-v${version - 1}-v${version}.html`),
        ].sort(),
      );
      const seen = new Set<string>();
      for (const version of expected) {
        const versionFolder = path.join(folder, `v${version}`);
        const manifest = await readManifestFile(versionFolder);
        expect(manifest.version).toBe(version);
        const source = await readFile(path.join(versionFolder, 'source.md'), 'utf8');
        const html = await readFile(path.join(versionFolder, 'memo.html'), 'utf8');
        const marker = markers.find((candidate) => source.includes(candidate));
        expect(marker, `v${version} has no marker`).toBeDefined();
        // The HTML is the one rendered from this very source, not another run's.
        expect(html).toContain(marker);
        for (const other of markers) if (other !== marker) expect(html).not.toContain(other);
        expect(manifest.files['source.md'].sha256).toBe(sha256(source));
        seen.add(marker ?? '');
      }
      expect(seen.size).toBe(RUNS);

      const verify = await runCli(['verify', '--archive', archive], work);
      expect(verify.stderr).toBe('');
      expect(verify.stdout).toContain(`1 memo, ${RUNS} versions, ${RUNS * 3} files re-hashed`);
      expect(verify.code).toBe(0);
      const index = await readFile(path.join(archive, 'index.html'), 'utf8');
      for (const version of expected)
        expect(index).toContain(`href="drought/v${version}/memo.pdf"`);
    },
  );
});
