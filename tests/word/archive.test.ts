/**
 * Formats in the archive: `memo publish --format docx` adds memo.docx to the
 * version, its manifest (memo-press-archive/2) lists it, and `memo verify`
 * checks it like the others; an archive whose manifests are
 * memo-press-archive/1 (published before) still verifies.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  entriesOf,
  fixtures,
  ownBrowser,
  readManifestFile,
  sha256,
  temporaryFolder,
} from '../archive/helpers.js';

/** The files a manifest lists, by name (the schema types only the three every version has). */
const listed = (manifest: Awaited<ReturnType<typeof readManifestFile>>) =>
  Object.fromEntries(Object.entries(manifest.files));

let work: string;
let published: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  work = await temporaryFolder('word-archive');
  await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, 'v1.md')));
  published = await runCli(['publish', 'drought.md', '--format', 'docx'], work, ownBrowser);
  // A new version needs new bytes: publishing the same memo again is refused.
  await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, 'v2.md')));
  await runCli(['publish', 'drought.md'], work, ownBrowser);
});

describe('memo publish --format docx', () => {
  it('adds memo.docx to the version, listed in its manifest', async () => {
    expect(published.code).toBe(0);
    const folder = path.join(work, 'archive', 'drought', 'v1');
    expect(await entriesOf(folder)).toEqual([
      'manifest.json',
      'memo.docx',
      'memo.html',
      'memo.pdf',
      'source.md',
    ]);
    const manifest = await readManifestFile(folder);
    expect(manifest.format).toBe('memo-press-archive/2');
    const docx = await readFile(path.join(folder, 'memo.docx'));
    expect(listed(manifest)['memo.docx']).toEqual({ sha256: sha256(docx), bytes: docx.byteLength });
    const { value } = await mammoth.convertToHtml({ buffer: docx });
    expect(value).toContain(`<p>${manifest.title}</p>`);
    // The archive index links the Word document of the version that has one, and only there.
    const index = await readFile(path.join(work, 'archive', 'index.html'), 'utf8');
    expect(index).toContain('href="drought/v1/memo.docx"');
    expect(index).not.toContain('href="drought/v2/memo.docx"');
  });

  it('publishes only HTML and PDF without it', async () => {
    const folder = path.join(work, 'archive', 'drought', 'v2');
    expect(await entriesOf(folder)).toEqual([
      'manifest.json',
      'memo.html',
      'memo.pdf',
      'source.md',
    ]);
    expect(listed(await readManifestFile(folder))['memo.docx']).toBeUndefined();
  });

  it('is checked by memo verify: a changed memo.docx is found', async () => {
    const clean = await runCli(['verify'], work);
    expect(clean.code).toBe(0);
    const docx = path.join(work, 'archive', 'drought', 'v1', 'memo.docx');
    const bytes = await readFile(docx);
    await writeFile(docx, Buffer.concat([bytes, Buffer.from('x')]));
    const tampered = await runCli(['verify'], work);
    await writeFile(docx, bytes);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(
      /archive\/drought\/v1\/memo\.docx:1:1: error changed since it was published.*\[archive-changed\]/,
    );
  });
});

describe('an archive published before memo.docx (memo-press-archive/1)', () => {
  it('still verifies', async () => {
    const old = await temporaryFolder('word-archive-v1');
    await writeFile(path.join(old, 'drought.md'), await readFile(path.join(fixtures, 'v1.md')));
    expect((await runCli(['publish', 'drought.md'], old, ownBrowser)).code).toBe(0);
    await writeFile(path.join(old, 'drought.md'), await readFile(path.join(fixtures, 'v2.md')));
    expect((await runCli(['publish', 'drought.md'], old, ownBrowser)).code).toBe(0);
    // Write the manifests as the tool did before, with their hash chain and ledger.
    const ledgerFile = path.join(old, 'archive', 'versions.json');
    const ledger = JSON.parse(await readFile(ledgerFile, 'utf8')) as {
      versions: Array<{ slug: string; version: number; manifest_sha256: string }>;
    };
    let previous: string | undefined;
    for (const version of [1, 2]) {
      const file = path.join(old, 'archive', 'drought', `v${version}`, 'manifest.json');
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      manifest['format'] = 'memo-press-archive/1';
      if (previous !== undefined) manifest['previous'] = { version: 1, manifest_sha256: previous };
      const text = `${JSON.stringify(manifest, null, 2)}\n`;
      await writeFile(file, text);
      previous = sha256(text);
      const entry = ledger.versions.find((each) => each.version === version);
      if (entry !== undefined) entry.manifest_sha256 = previous;
    }
    await writeFile(ledgerFile, `${JSON.stringify(ledger, null, 2)}\n`);
    expect((await readManifestFile(path.join(old, 'archive', 'drought', 'v2'))).format).toBe(
      'memo-press-archive/1',
    );
    const verified = await runCli(['verify'], old);
    expect(verified.stderr).not.toContain('error');
    expect(verified.code).toBe(0);
  });
});
