/**
 * `memo publish` refuses a memo that still holds placeholders (a TODO, a
 * sample value of `memo new`), which `memo build` only warns about, and
 * writes nothing; `--force "reason"` publishes it and keeps the reason in the
 * manifest.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtureWith, ownBrowser, readManifestFile, temporaryFolder } from './helpers.js';

async function project(): Promise<string> {
  const work = await temporaryFolder('placeholders');
  await mkdir(path.join(work, 'sources'));
  const text = await fixtureWith('v1.md', 'Costs are TBD until the April talks.', {
    'author: Ana Ruiz': 'author: Jane Doe',
  });
  await writeFile(path.join(work, 'sources', 'drought.md'), text);
  return work;
}

describe('memo publish and placeholders', () => {
  it('refuses them, each an error at its place, and writes nothing', async () => {
    const work = await project();
    const run = await runCli(['publish', 'sources/drought.md'], work, ownBrowser);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toEqual([
      `sources/drought.md:1:1: error 2 placeholders are left in the memo, so it is not published; replace them with the memo's own text, or publish anyway with --force "reason" [placeholder-publish]`,
      "sources/drought.md:3:1: error `author` still has the sample value “Jane Doe” of `memo new`; replace it with the memo's own [placeholder-sample]",
      'sources/drought.md:33:11: error “TBD” marks something left to finish; write the missing text and remove the marker (`memo publish` refuses it) [placeholder-marker]',
      '3 errors',
      'sources/drought.md: not published',
      '',
    ]);
    expect(existsSync(path.join(work, 'archive', 'drought'))).toBe(false);
  });

  it('only warns about them in a build', async () => {
    const work = await project();
    const run = await runCli(['build', '--format', 'html', 'sources'], work);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('[placeholder-sample]');
    expect(run.stderr).toContain('[placeholder-marker]');
    expect(existsSync(path.join(work, 'out', 'drought', 'memo.html'))).toBe(true);
  });

  it('publishes them with --force "reason", kept in the manifest', async () => {
    const work = await project();
    const reason = 'Costs are unknown until April; published for the briefing';
    const run = await runCli(
      ['publish', 'sources/drought.md', '--force', reason],
      work,
      ownBrowser,
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning “TBD” marks something left to finish');
    const manifest = await readManifestFile(path.join(work, 'archive', 'drought', 'v1'));
    expect(manifest.forced_reason).toBe(reason);
  });
});
