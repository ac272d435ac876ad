/**
 * `memo verify` on a real archive (two published versions), then on copies of
 * it that were tampered with: a flipped byte, a deleted file, an added file, a
 * whole version gone, an edited manifest.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { twoVersionArchive } from './helpers.js';
import type { TwoVersionArchive } from './helpers.js';

let work: string;
let pristine: string;

let copy: TwoVersionArchive['copy'];
let verify: TwoVersionArchive['verify'];

beforeAll(async () => {
  ({ work, pristine, copy, verify } = await twoVersionArchive('verify'));
}, 180_000);

describe('memo verify', () => {
  it('passes an untouched archive', async () => {
    const run = await verify(pristine);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      'archive: every version verified (1 memo, 2 versions, 6 files re-hashed)\n',
    );
    expect(run.code).toBe(0);
  });

  it('detects a flipped byte', async () => {
    const archive = await copy('flipped');
    const pdf = path.join(archive, 'drought', 'v1', 'memo.pdf');
    const bytes = await readFile(pdf);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    await writeFile(pdf, bytes);
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^flipped\/drought\/v1\/memo\.pdf:1:1: error changed since it was published: SHA-256 [0-9a-f]{12}… \(\d+ bytes\), the manifest says [0-9a-f]{12}… \(\d+ bytes\) \[archive-changed\]$/m,
    );
    expect(run.stderr).toContain(
      'flipped: verification failed (1 memo, 2 versions, 6 files re-hashed)',
    );
    expect(run.stderr.match(/: error /g)).toHaveLength(1);
  });

  it('detects a deleted file and a file added to a version', async () => {
    const archive = await copy('deleted');
    await rm(path.join(archive, 'drought', 'v2', 'source.md'));
    await writeFile(path.join(archive, 'drought', 'v1', 'notes.txt'), 'added later');
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'deleted/drought/v2/source.md:1:1: error is missing: version 2 was published with it',
    );
    expect(run.stderr).toContain('[archive-missing]');
    expect(run.stderr).toContain(
      'deleted/drought/v1/notes.txt:1:1: error is not part of version 1',
    );
    expect(run.stderr).toContain('[archive-unexpected]');
  });

  it('detects a version that went missing as a whole', async () => {
    const archive = await copy('gone');
    await rm(path.join(archive, 'drought', 'v1'), { recursive: true });
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'gone/drought/v1:1:1: error version 1 is missing: drought has versions up to v2, numbered without gaps [archive-missing]',
    );
  });

  it('detects an edited manifest through the next version’s record of it', async () => {
    const archive = await copy('edited');
    const manifest = path.join(archive, 'drought', 'v1', 'manifest.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace('Drought Readiness Review', 'A Different Title'),
    );
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'edited/drought/v1/manifest.json:1:1: error changed after version 2 was published',
    );
    expect(run.stderr).toContain('[archive-chain]');
  });

  it('warns about the temporary folder of an interrupted publish, without failing', async () => {
    const archive = await copy('interrupted');
    await mkdir(path.join(archive, 'drought', '.tmp-0123abcd'));
    const run = await verify(archive);
    expect(run.stderr).toContain(
      'interrupted/drought/.tmp-0123abcd:1:1: warning left by an interrupted publish',
    );
    expect(run.code).toBe(0);
  });

  it('reports a missing archive', async () => {
    const run = await runCli(['verify', '--archive', 'nowhere'], work);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nowhere:1:1: error no archive here');
  });
});

describe('memo verify of the derived pages (index, redlines)', () => {
  it('finds an edited redline and a deleted one, and --repair rewrites them and the index', async () => {
    const archive = await copy('derived');
    const name = path.basename(archive);
    const redline = path.join(archive, 'drought', 'redline-v1-v2.html');
    const original = await readFile(redline, 'utf8');
    await writeFile(redline, original.replace('<h1>', '<h1>Not what was published: '));
    await writeFile(path.join(archive, 'index.html'), '<!doctype html><p>an old index');
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${name}/drought/redline-v1-v2.html:1:1: error differs from the redline rebuilt from the two versions' manifests: it was edited, or written by another version of memo-press; \`memo verify --repair\` rewrites it from versions.json and the manifests [archive-index]`,
    );
    expect(run.stderr).toContain(`${name}/index.html:1:1: error differs from the index rebuilt`);

    const repaired = await runCli(['verify', '--archive', name, '--repair'], work);
    expect(repaired.stderr).toBe('');
    expect(repaired.stdout).toBe(
      `repaired ${name}/index.html\nrepaired ${name}/drought/redline-v1-v2.html\n` +
        `${name}: every version verified (1 memo, 2 versions, 6 files re-hashed)\n`,
    );
    expect(repaired.code).toBe(0);
    expect(await readFile(redline, 'utf8')).toBe(original);

    await rm(redline);
    const missing = await verify(archive);
    expect(missing.stderr).toContain(
      `${name}/drought/redline-v1-v2.html:1:1: error is missing; \`memo verify --repair\` rewrites it`,
    );
  });

  it('finds a redline the versions do not call for', async () => {
    const archive = await copy('stray-redline');
    await writeFile(path.join(archive, 'drought', 'redline-v1-v3.html'), '<!doctype html>');
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'stray-redline/drought/redline-v1-v3.html:1:1: error is not part of the archive: drought has no such pair of consecutive versions; remove it [archive-unexpected]',
    );
  });

  it('--repair touches nothing when a version itself is damaged', async () => {
    const archive = await copy('damaged');
    const name = path.basename(archive);
    await writeFile(path.join(archive, 'index.html'), '<!doctype html><p>edited');
    await writeFile(path.join(archive, 'drought', 'v1', 'source.md'), 'rewritten history');
    const run = await runCli(['verify', '--archive', name, '--repair'], work);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `${name}: nothing was repaired: --repair rewrites only the index, series pages and redlines, and the problems above are in the versions or versions.json`,
    );
    expect(await readFile(path.join(archive, 'index.html'), 'utf8')).toBe(
      '<!doctype html><p>edited',
    );
  });
});

describe('an archive published before the derived pages existed', () => {
  it('verifies its versions, reports the missing pages, and --repair adds them', async () => {
    const archive = await copy('older');
    const name = path.basename(archive);
    await rm(path.join(archive, 'search'), { recursive: true });
    await rm(path.join(archive, 'drought', 'redline-v1-v2.html'));
    const run = await verify(archive);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/: error /g)).toHaveLength(2);
    expect(run.stderr).toContain(
      `${name}/search:1:1: error is missing: the archive's search page; \`memo verify --repair\` rewrites it`,
    );
    const repaired = await runCli(['verify', '--archive', name, '--repair'], work);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(repaired.stdout).toContain(`repaired ${name}/search\n`);
    expect(await readFile(path.join(archive, 'search', 'documents.js'), 'utf8')).toContain(
      'A paragraph added in the second version.',
    );
  });
});
