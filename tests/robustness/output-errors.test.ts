/**
 * Output that cannot be written: `--out` a file, `out/<slug>` a file,
 * `memo.html` a folder, a path through a file, a full disk. Each is an error
 * on the memo concerned, naming the path and the cause in plain words, with
 * exit 1; the other memos are built; nothing half-written stays behind.
 */
import { open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFsError } from '../../pipeline/io/fs-errors.js';
import { writeFilesAtomic } from '../../pipeline/io/atomic.js';
import type { AtomicFs } from '../../pipeline/io/atomic.js';
import * as fsp from 'node:fs/promises';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../security/harness.js';
import { smallMemo } from './memos.js';

/** A project with memos `a` and `b`. */
async function project(name: string): Promise<string> {
  const root = await tempDir(name);
  await mkdir(path.join(root, 'sources'));
  for (const slug of ['a', 'b'])
    await writeFile(path.join(root, 'sources', `${slug}.md`), await smallMemo(`Memo ${slug}`));
  return root;
}

const build = (root: string, ...args: string[]) =>
  runCli(['build', 'sources', '--format', 'html', '--quiet', ...args], root);

function expectPlain(stderr: string): void {
  expect(stderr).not.toMatch(/^memo: /m);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr).not.toMatch(/E[A-Z]{3,}:/);
}

describe('memo build when its output cannot be written', () => {
  it('--out is a file: an error on each memo, exit 1', async () => {
    const root = await project('out-file');
    await writeFile(path.join(root, 'out'), 'not a folder');
    const run = await build(root);
    expect(run.code).toBe(1);
    for (const slug of ['a', 'b']) {
      expect(run.stderr).toContain(
        `sources/${slug}.md:1:1: error cannot write out/${slug}: out is a file, not a folder; move it away, or choose another folder (nothing was written for this memo) [output-write]`,
      );
    }
    expectPlain(run.stderr);
  });

  it('out/<slug> is a file: only that memo fails, the other is built', async () => {
    const root = await project('slug-file');
    await mkdir(path.join(root, 'out'));
    await writeFile(path.join(root, 'out', 'a'), 'in the way');
    const run = await build(root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'sources/a.md:1:1: error cannot write out/a: out/a is a file, not a folder',
    );
    expect(run.stderr).not.toContain('sources/b.md');
    expect(await readdir(path.join(root, 'out', 'b'))).toEqual(['memo.html']);
    expectPlain(run.stderr);
  });

  it('memo.html is a folder: that memo fails and the folder stays as it was', async () => {
    const root = await project('html-folder');
    await mkdir(path.join(root, 'out', 'b', 'memo.html'), { recursive: true });
    await writeFile(path.join(root, 'out', 'b', 'memo.html', 'keep.txt'), 'mine');
    const run = await build(root, '--format', 'both');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'sources/b.md:1:1: error cannot write out/b/memo.html: it is a folder, where a file must be written; remove or rename that folder (nothing was written for this memo) [output-write]',
    );
    // Neither file of b was written, not even the PDF; a was built.
    expect((await readdir(path.join(root, 'out', 'b'))).sort()).toEqual(['memo.html']);
    expect((await readdir(path.join(root, 'out', 'a'))).sort()).toEqual(['memo.html', 'memo.pdf']);
    expectPlain(run.stderr);
  }, 120_000);

  it('a path through a file: names the file in the way', async () => {
    const root = await project('through-file');
    await writeFile(path.join(root, 'notes.txt'), 'a file');
    const run = await build(root, '--out', 'notes.txt/site/out');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'sources/a.md:1:1: error cannot write notes.txt/site/out/a: notes.txt is a file, not a folder',
    );
    expectPlain(run.stderr);
  });
});

describe('a full disk', () => {
  /** The real file system, except that every file opened for writing is /dev/full. */
  const fullDisk: AtomicFs = {
    mkdir: fsp.mkdir,
    rename: fsp.rename,
    lstat: fsp.lstat,
    open: ((_file: string, flags: string, mode: number) =>
      open('/dev/full', flags.replace('x', ''), mode)) as AtomicFs['open'],
  };

  it.skipIf(!existsSync('/dev/full'))(
    'fails with ENOSPC, removes the folders it created, and says so in plain words',
    async () => {
      const root = await tempDir('full');
      const folder = path.join(root, 'out', 'memo');
      const error: unknown = await writeFilesAtomic(
        folder,
        [
          ['memo.html', '<p>x</p>'],
          ['memo.pdf', new Uint8Array(1 << 16)],
        ],
        fullDisk,
      ).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'ENOSPC' });
      expect(await readdir(root)).toEqual([]);
      expect(await describeFsError(error, 'write', path.join(folder, 'memo.html'), root)).toBe(
        'cannot write out/memo/memo.html: the disk is full (no space left on the device); free some space and try again',
      );
    },
  );
});
