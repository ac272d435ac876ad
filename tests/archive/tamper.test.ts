/**
 * An archive is data from elsewhere (a shared drive, someone's git
 * repository): `memo verify` must account for every entry, open nothing but
 * the archive's own regular files and folders, and rebuild the index to
 * compare it; `memo publish` must not write through a link, and a publish that
 * fails leaves no version behind. Each case damages a fresh copy of a real
 * two-version archive.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtureWith, ownBrowser, twoVersionArchive } from './helpers.js';
import type { TwoVersionArchive } from './helpers.js';

let work: string;
let pristine: string;

/** The `path: rule` pairs of the errors a run printed. */
function errors(stderr: string): string[] {
  return [...stderr.matchAll(/^(\S+):1:1: error .*\[([a-z-]+)\]$/gm)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
}

let copy: TwoVersionArchive['copy'];
let verify: TwoVersionArchive['verify'];

beforeAll(async () => {
  ({ work, pristine, copy, verify } = await twoVersionArchive('tamper'));
}, 180_000);

describe('memo verify on a tampered archive', () => {
  it('passes the untouched archive, which records every version in versions.json', async () => {
    const run = await verify(pristine);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const ledger = JSON.parse(await readFile(path.join(pristine, 'versions.json'), 'utf8'));
    expect(ledger.versions.map((entry: { version: number }) => entry.version)).toEqual([1, 2]);
  });

  it('detects a deleted newest version, which leaves no gap in the numbering', async () => {
    const archive = await copy('newest-gone');
    await rm(path.join(archive, 'drought', 'v2'), { recursive: true });
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'newest-gone/drought/v2:1:1: error is missing: versions.json records that drought version 2 was published',
    );
    expect(errors(run.stderr)).toContain('newest-gone/index.html archive-index');
  });

  it('detects a renamed version', async () => {
    const archive = await copy('renamed');
    await rename(path.join(archive, 'drought', 'v2'), path.join(archive, 'drought', 'v3'));
    const found = errors((await verify(archive)).stderr);
    expect(found).toContain('renamed/drought/v2 archive-missing');
    expect(found).toContain('renamed/drought/v3/manifest.json archive-manifest');
  });

  it('detects an edited newest manifest, which no later version records', async () => {
    const archive = await copy('newest-edited');
    const manifest = path.join(archive, 'drought', 'v2', 'manifest.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace('"file": "drought.md"', '"file": "drought-2.md"'),
    );
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(errors(run.stderr)).toEqual(['newest-edited/drought/v2/manifest.json archive-ledger']);
  });

  it('detects a script injected into index.html, and a deleted index', async () => {
    const injected = await copy('index-script');
    const index = path.join(injected, 'index.html');
    await writeFile(
      index,
      (await readFile(index, 'utf8')).replace('</body>', '<script>alert(1)</script></body>'),
    );
    const edited = await verify(injected);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(
      /^index-script\/index\.html:1:1: error differs from the index rebuilt from versions\.json and the manifests.*\[archive-index\]$/m,
    );
    const deleted = await copy('index-gone');
    await rm(path.join(deleted, 'index.html'));
    expect(errors((await verify(deleted)).stderr)).toEqual([
      'index-gone/index.html archive-missing',
    ]);
  });

  it('reports every stray file and folder in the archive, a memo folder and a version', async () => {
    const archive = await copy('stray');
    await writeFile(path.join(archive, 'notes.txt'), 'mine');
    await mkdir(path.join(archive, '.hidden'));
    await mkdir(path.join(archive, 'empty-memo'));
    await writeFile(path.join(archive, 'drought', 'README'), 'x');
    await mkdir(path.join(archive, 'drought', 'v2', 'extra'));
    await writeFile(path.join(archive, 'drought', 'v1', 'memo.pdf.bak'), 'x');
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(errors(run.stderr).sort()).toEqual(
      [
        'stray/.hidden archive-unexpected',
        'stray/drought/README archive-unexpected',
        'stray/drought/v1/memo.pdf.bak archive-unexpected',
        'stray/drought/v2/extra archive-unexpected',
        'stray/empty-memo archive-unexpected',
        'stray/notes.txt archive-unexpected',
      ].sort(),
    );
  });

  it('refuses a version file that is a symbolic link, even to identical bytes', async () => {
    const archive = await copy('linked-file');
    const pdf = path.join(archive, 'drought', 'v1', 'memo.pdf');
    const elsewhere = path.join(work, 'same-bytes.pdf');
    await cp(pdf, elsewhere);
    await rm(pdf);
    await symlink(elsewhere, pdf);
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'linked-file/drought/v1/memo.pdf:1:1: error is a symbolic link; an archive holds only files and folders',
    );
    expect(errors(run.stderr)).toEqual(['linked-file/drought/v1/memo.pdf archive-file-type']);
  });

  it('refuses a memo folder, an index and a manifest that are symbolic links', async () => {
    const archive = await copy('linked-folder');
    const outside = path.join(work, 'outside-drought');
    await rename(path.join(archive, 'drought'), outside);
    await symlink(outside, path.join(archive, 'drought'));
    await rename(path.join(archive, 'index.html'), path.join(work, 'outside-index.html'));
    await symlink(path.join(work, 'outside-index.html'), path.join(archive, 'index.html'));
    const run = await verify(archive);
    expect(run.code).toBe(1);
    const found = errors(run.stderr);
    expect(found).toContain('linked-folder/drought archive-file-type');
    expect(found).toContain('linked-folder/index.html archive-file-type');
    // What versions.json records is missing, since the link is not followed.
    expect(found).toContain('linked-folder/drought/v2 archive-missing');
    expect(run.stderr).not.toContain('every version verified');

    const manifest = await copy('linked-manifest');
    const target = path.join(manifest, 'drought', 'v1', 'manifest.json');
    await rename(target, path.join(work, 'outside-manifest.json'));
    await symlink(path.join(work, 'outside-manifest.json'), target);
    expect(errors((await verify(manifest)).stderr)).toContain(
      'linked-manifest/drought/v1/manifest.json archive-file-type',
    );
  });

  it('neither hangs on a named pipe nor reads /dev/zero through a link', async () => {
    const archive = await copy('special');
    const pdf = path.join(archive, 'drought', 'v1', 'memo.pdf');
    await rm(pdf);
    execFileSync('mkfifo', [pdf]);
    const html = path.join(archive, 'drought', 'v2', 'memo.html');
    await rm(html);
    await symlink('/dev/zero', html);
    const manifest = path.join(archive, 'drought', 'v2', 'manifest.json');
    await rm(manifest);
    execFileSync('mkfifo', [manifest]);
    execFileSync('mkfifo', [path.join(archive, 'pipe')]);
    await symlink('/dev/zero', path.join(archive, 'versions.json.bak'));
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'special/drought/v1/memo.pdf:1:1: error is a named pipe (FIFO), not a file',
    );
    const found = errors(run.stderr);
    expect(found).toContain('special/drought/v1/memo.pdf archive-file-type');
    expect(found).toContain('special/drought/v2/manifest.json archive-file-type');
    expect(found).toContain('special/pipe archive-file-type');
    expect(found).toContain('special/versions.json.bak archive-file-type');
  }, 30_000);

  it('refuses a versions.json that is a link to /dev/zero', async () => {
    const archive = await copy('zero-ledger');
    await rm(path.join(archive, 'versions.json'));
    await symlink('/dev/zero', path.join(archive, 'versions.json'));
    const run = await verify(archive);
    expect(errors(run.stderr)).toContain('zero-ledger/versions.json archive-file-type');
    expect(run.code).toBe(1);
  }, 30_000);
});

let sources = 0;

/** A new version of the memo to publish (the same bytes as the newest would be refused as nothing new). */
async function freshSource(): Promise<string> {
  sources += 1;
  const folder = path.join(work, `source-${sources}`);
  await mkdir(folder);
  await writeFile(
    path.join(folder, 'drought.md'),
    await fixtureWith('v1.md', `A paragraph new in publish ${sources}.`),
  );
  return path.join(path.basename(folder), 'drought.md');
}

describe('memo publish into a tampered archive', () => {
  it('does not write through a memo folder that is a symbolic link out of the archive', async () => {
    const archive = await copy('publish-linked');
    const outside = path.join(work, 'publish-outside');
    await rename(path.join(archive, 'drought'), outside);
    await symlink(outside, path.join(archive, 'drought'));
    const before = await readdir(outside);
    const run = await runCli(
      ['publish', await freshSource(), '--archive', 'publish-linked'],
      work,
      ownBrowser,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "drought.md:1:1: error not published: the archive's `drought` is a symbolic link, not a folder",
    );
    expect(run.stderr).toContain('[archive-state]');
    expect(await readdir(outside)).toEqual(before);
  });

  it('leaves no version behind when the index lock is held by a live process, however often it is run', async () => {
    const archive = await copy('publish-locked');
    const lock = {
      pid: process.pid,
      hostname: (await import('node:os')).hostname(),
      started_at: new Date().toISOString(),
      token: 'test',
    };
    await writeFile(path.join(archive, '.index.lock'), `${JSON.stringify(lock)}\n`);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const run = await runCli(
        ['publish', await freshSource(), '--archive', 'publish-locked', '--lock-timeout', '0.2'],
        work,
        ownBrowser,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`held by process ${process.pid}`);
      expect(run.stderr).toContain('drought.md: not published');
      expect((await readdir(path.join(archive, 'drought'))).sort()).toEqual([
        'redline-v1-v2.html',
        'v1',
        'v2',
      ]);
    }
    await rm(path.join(archive, '.index.lock'));
    expect((await verify(archive)).code).toBe(0);
  }, 120_000);

  it('refuses at once an index lock that is a dangling symbolic link, and leaves no version', async () => {
    const archive = await copy('publish-dangling');
    await symlink(path.join(work, 'no-such-lock'), path.join(archive, '.index.lock'));
    const run = await runCli(
      ['publish', await freshSource(), '--archive', 'publish-dangling'],
      work,
      ownBrowser,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'is a symbolic link, not a lock file memo-press made; delete it and try again [archive-state]',
    );
    expect((await readdir(path.join(archive, 'drought'))).sort()).toEqual([
      'redline-v1-v2.html',
      'v1',
      'v2',
    ]);
    expect(existsSync(path.join(work, 'no-such-lock'))).toBe(false);
  }, 60_000);

  it('adopts the versions of two publishes in a row that were interrupted before they were recorded', async () => {
    const archive = await copy('two-interrupted');
    const name = path.basename(archive);
    // The state two killed publishes leave: their folders written, versions.json and the index not.
    const ledger = await readFile(path.join(archive, 'versions.json'));
    const index = await readFile(path.join(archive, 'index.html'));
    const search = path.join(archive, 'search');
    await cp(search, `${search}-before`, { recursive: true });
    for (let run = 0; run < 2; run += 1) {
      const published = await runCli(
        ['publish', await freshSource(), '--archive', name],
        work,
        ownBrowser,
      );
      expect(published.code, published.stderr).toBe(0);
    }
    await writeFile(path.join(archive, 'versions.json'), ledger);
    await writeFile(path.join(archive, 'index.html'), index);
    for (const name of ['redline-v2-v3.html', 'redline-v3-v4.html'])
      await rm(path.join(archive, 'drought', name));
    await rm(search, { recursive: true });
    await rename(`${search}-before`, search);
    const checked = await verify(archive);
    expect(checked.code, checked.stderr).toBe(0);
    expect([...checked.stderr.matchAll(/warning .*\[archive-unfinished\]/g)]).toHaveLength(2);
    const published = await runCli(
      ['publish', await freshSource(), '--archive', name],
      work,
      ownBrowser,
    );
    expect(published.code, published.stderr).toBe(0);
    expect(await verify(archive)).toMatchObject({ code: 0, stderr: '' });
    const versions = JSON.parse(await readFile(path.join(archive, 'versions.json'), 'utf8'));
    expect(versions.versions.map((entry: { version: number }) => entry.version)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });

  it('refuses to build on an archive whose newest version was deleted', async () => {
    const archive = await copy('publish-gone');
    await rm(path.join(archive, 'drought', 'v2'), { recursive: true });
    const run = await runCli(
      ['publish', await freshSource(), '--archive', 'publish-gone'],
      work,
      ownBrowser,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'not published: drought/v2 is recorded in versions.json but its folder is gone; run `memo verify`',
    );
    expect((await readdir(path.join(archive, 'drought'))).sort()).toEqual([
      'redline-v1-v2.html',
      'v1',
    ]);
  }, 60_000);
});
