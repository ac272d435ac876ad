/**
 * `memo diff` compares the memo's text as the pipeline cut it into blocks at
 * publish time (`memo.blocks` in each manifest), not as it can be found again
 * in memo.html: a project template that names its body otherwise still gets
 * a redline of its text alone; a version published before the manifests held
 * the blocks is still read back from its memo.html.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtures, ownBrowser, readManifestFile, temporaryFolder } from './helpers.js';

let work: string;
const folderOf = (version: number) => path.join(work, 'archive', 'drought', `v${version}`);
const summary = (stdout: string) => stdout.replace(/^wrote \S+: /, '');

beforeAll(async () => {
  work = await temporaryFolder('diff-structure');
  // The project's own body partial: no `memo-body` class to find the text by.
  await mkdir(path.join(work, 'templates', 'partials'), { recursive: true });
  await writeFile(
    path.join(work, 'templates', 'partials', 'body.hbs'),
    '<div class="writing">\n{{{bodyHtml}}}\n</div>\n',
  );
  await writeFile(
    path.join(work, 'memo.config.json'),
    JSON.stringify({ templatesDir: 'templates' }),
  );
  for (const version of ['v1.md', 'v2.md']) {
    await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, version)));
    const published = await runCli(['publish', 'drought.md'], work, ownBrowser);
    if (published.code !== 0) throw new Error(published.stderr);
  }
}, 180_000);

describe('the text memo diff compares', () => {
  it('is stored in each manifest, as a reader reads it', async () => {
    const manifest = await readManifestFile(folderOf(1));
    expect(manifest.memo.blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Progress on Recommendation 1' },
      {
        kind: 'paragraph',
        level: 0,
        text: 'The working group has met twice and agreed on common trigger levels.[1]',
      },
      { kind: 'paragraph', level: 0, text: 'The hard questions have been left for later.' },
      { kind: 'heading', level: 2, text: 'Monitoring' },
      { kind: 'paragraph', level: 0, text: 'No money has been found for the sensors yet.' },
      { kind: 'heading', level: 2, text: 'Notes' },
      { kind: 'paragraph', level: 0, text: 'Officials briefed the Council in January.' },
    ]);
    const html = await readFile(path.join(folderOf(1), 'memo.html'), 'utf8');
    expect(html).toContain('<div class="writing">');
    expect(html).not.toContain('class="memo-body"');
  });

  it('gives the redline of the body whatever the template calls it', async () => {
    const run = await runCli(['diff', 'drought'], work);
    expect(run.stderr).toBe('');
    expect(summary(run.stdout)).toMatch(
      /^v1 → v2, \d+ words inserted, \d+ deleted; 4 of 8 passages and 7 front matter entries changed\n$/,
    );
  });

  it('reads a version published without stored blocks from its memo.html', async () => {
    for (const version of [1, 2]) {
      const file = path.join(folderOf(version), 'manifest.json');
      const manifest: unknown = JSON.parse(await readFile(file, 'utf8'));
      expect(manifest).toHaveProperty('memo.blocks');
      if (manifest !== null && typeof manifest === 'object' && 'memo' in manifest) {
        Reflect.deleteProperty(Object(manifest.memo), 'blocks');
      }
      await writeFile(file, JSON.stringify(manifest, null, 2));
    }
    const legacy = await runCli(['diff', 'drought'], work);
    expect(legacy.stderr).toBe('');
    expect(legacy.code).toBe(0);
    // The old reader finds the text by the built-in templates' classes: with this
    // template, only the notes (the reason the manifests now hold the blocks).
    expect(legacy.stdout).toMatch(/^wrote \S+: v1 → v2, .* of 2 passages /);
  });
});
