/**
 * `kill -9` of a publish at several moments of writing a version: the archive
 * holds either no new version or a complete one that verifies, and the next
 * publish removes what the killed one left (its lock and temporary folder).
 * Each moment starts from its own copy of the same one-version archive: where
 * a kill lands is up to the machine, so what one kill leaves must not change
 * what the next case starts from.
 */
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { readdirSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../pipeline/archive/verify.js';
import { runCli } from '../helpers/cli.js';
import { fixtureWith, fixtures, ownBrowser, startMemo, temporaryFolder } from './helpers.js';
import type { ChildRun } from './helpers.js';

let work: string;
/** The archive with v1 published, copied by each case. */
let published: string;
/** The archive of the current case, and its memo's folder. */
let archive: string;
let memo: string;

async function useCopy(name: string): Promise<void> {
  archive = path.join(work, name);
  await cp(published, archive, { recursive: true });
  memo = path.join(archive, 'drought');
}

/** Errors `memo verify` finds (warnings, such as a stray temporary folder, allowed). */
async function verifyErrors(): Promise<string[]> {
  const result = await verifyArchive(archive);
  return result.files.flatMap((file) =>
    file.messages
      .filter((message) => message.fatal === true)
      .map((message) => `${file.path}: ${message.reason}`),
  );
}

const versions = async () => (await readdir(memo)).filter((name) => /^v\d+$/.test(name)).sort();

/**
 * Publish in a child process and SIGKILL it the moment `trigger` sees the
 * entry it waits for appear: a `.tmp-*` folder, the first file inside it, or
 * the new version folder.
 */
async function publishAndKill(trigger: 'temp' | 'temp-file' | 'version'): Promise<ChildRun> {
  const before = await versions();
  const { child, done } = startMemo(
    // A second version of the memo: the same bytes again would be refused before any write.
    ['publish', path.join(work, 'next', 'drought.md'), '--archive', archive],
    ownBrowser,
  );
  const watchers: FSWatcher[] = [];
  const kill = () => child.kill('SIGKILL');
  watchers.push(
    watch(memo, (_event, name) => {
      if (name === null) return;
      if (trigger === 'temp' && name.startsWith('.tmp-')) kill();
      if (trigger === 'version' && /^v\d+$/.test(name) && !before.includes(name)) kill();
      if (trigger === 'temp-file' && name.startsWith('.tmp-')) {
        const folder = path.join(memo, name);
        try {
          watchers.push(watch(folder, () => kill()));
          // A file written before the watch began raises no event.
          if (readdirSync(folder).length > 0) kill();
        } catch {
          // Already renamed into place: kill now, while it finishes the publish.
          kill();
        }
      }
    }),
  );
  const run = await done;
  for (const watcher of watchers) watcher.close();
  return run;
}

beforeAll(async () => {
  work = await temporaryFolder('kill');
  published = path.join(work, 'archive');
  await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, 'v1.md')));
  for (const [folder, marker] of [
    ['next', 'A paragraph of the second version.'],
    ['third', 'A paragraph of the third version.'],
  ] as const) {
    await mkdir(path.join(work, folder));
    await writeFile(path.join(work, folder, 'drought.md'), await fixtureWith('v1.md', marker));
  }
  const first = await runCli(['publish', 'drought.md'], work, ownBrowser);
  if (first.code !== 0) throw new Error(first.stderr);
}, 120_000);

describe('a publish killed while writing', () => {
  it.each(['temp', 'temp-file', 'version'] as const)(
    'leaves no new version or a complete one (kill -9 when the %s appears)',
    async (trigger) => {
      await useCopy(`archive-${trigger}`);
      const before = await versions();
      const run = await publishAndKill(trigger);
      expect(run.signal, `not killed: exit ${run.code}\n${run.stderr}`).toBe('SIGKILL');
      const after = await versions();
      // Nothing half-made is ever listed as a version.
      expect(after.length === before.length || after.length === before.length + 1).toBe(true);
      expect(after.slice(0, before.length)).toEqual(before);
      if (after.length > before.length) {
        expect(await readdir(path.join(memo, after.at(-1) ?? ''))).toEqual(
          ['manifest.json', 'memo.html', 'memo.pdf', 'source.md'].sort(),
        );
      }
      expect(await verifyErrors()).toEqual([]);
    },
    90_000,
  );

  it('is cleaned up by the next publish, which adds the next version', async () => {
    await useCopy('archive-cleaned');
    await publishAndKill('version');
    // Also what a crash at the worst moment leaves: a half-written temporary folder.
    await mkdir(path.join(memo, '.tmp-deadbeef00'));
    await writeFile(path.join(memo, '.tmp-deadbeef00', 'memo.html'), '<!doctype html><p>half');
    const before = await versions();
    const run = await runCli(
      ['publish', path.join('third', 'drought.md'), '--archive', 'archive-cleaned'],
      work,
      ownBrowser,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'archive-cleaned/drought/.tmp-deadbeef00:1:1: warning removed the temporary folder of an interrupted publish',
    );
    expect(run.stdout).toContain(`(version ${before.length + 1})`);
    expect(await versions()).toEqual([...before, `v${before.length + 1}`].sort());
    expect((await readdir(memo)).filter((name) => name.startsWith('.'))).toEqual([]);
    const verified = await verifyArchive(archive);
    expect(verified.files).toEqual([]);
    expect(verified.versions).toBe(before.length + 1);
    const index = await readFile(path.join(archive, 'index.html'), 'utf8');
    for (let version = 1; version <= before.length + 1; version += 1)
      expect(index).toContain(`href="drought/v${version}/memo.html"`);
  }, 90_000);
});
