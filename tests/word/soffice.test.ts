/**
 * `memo.docx` opened by a second independent reader, LibreOffice, where it is
 * installed (`apt-get install libreoffice-writer-nogui`): converted to PDF, its
 * pages hold the headings, the footnotes, the table and the marking. Without
 * soffice these are skipped; the mammoth checks (export.test.ts) always run.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import { tempDir } from '../security/harness.js';

const root = path.resolve(import.meta.dirname, '..', '..');

function hasSoffice(): boolean {
  try {
    execFileSync('soffice', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const installed = hasSoffice();

/** The PDF LibreOffice makes of `docx`, as the text of each page. */
async function convert(docx: string, folder: string): Promise<string[]> {
  const profile = pathToFileURL(path.join(folder, 'lo-profile')).href;
  await promisify(execFile)(
    'soffice',
    [
      `-env:UserInstallation=${profile}`,
      '--headless',
      '--convert-to',
      'pdf',
      '--outdir',
      path.dirname(docx),
      docx,
    ],
    { timeout: 110_000 },
  );
  return pageTexts(new Uint8Array(await readFile(docx.replace(/\.docx$/, '.pdf'))));
}

describe.skipIf(!installed)('memo.docx in LibreOffice', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await tempDir('docx-soffice');
    const run = await runCli(
      ['build', path.join(root, 'sources'), '--out', folder, '--format', 'docx', '-q'],
      root,
    );
    expect(run.code).toBe(0);
  });

  it('opens the sample with a table: headings, table cells, footnotes and appendix in place', async () => {
    const pages = await convert(
      path.join(folder, 'border-infrastructure-briefing', 'memo.docx'),
      folder,
    );
    const text = pages.join('\n').replace(/\s+/g, ' ');
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain('Port of entry');
    expect(text).toContain('Fenwick Bridge');
    for (const heading of ['Purpose', 'Background', 'Key issues', 'Options', 'Distribution'])
      expect(text).toContain(heading);
    expect(text).toContain(
      'Recommendation 1: Fund full modernization of the two most congested ports first',
    );
    expect(text).toContain('Carrier estimates, collected by the Council in March 2026.');
    expect(text).toContain('DRAFT — PREDECISIONAL');
  });

  it('prints footnotes at the foot of their page and the marking on every page', async () => {
    const pages = await convert(path.join(folder, 'transit-safety-one-year', 'memo.docx'), folder);
    for (const page of pages) expect(page).toContain('PUBLIC');
    const first = (pages[0] ?? '').replace(/\s+/g, ' ');
    expect(first).toContain('Safer Streets: One-Year Assessment');
    // The note is on the page of the paragraph that refers to it: a Word footnote, not an endnote.
    const flat = pages.map((page) => page.replace(/\s+/g, ' '));
    const notePage = flat.findIndex((page) =>
      page.includes('Speed counts from the transport office, February 2026.'),
    );
    expect(notePage).toBeGreaterThanOrEqual(0);
    expect(flat[notePage]).toContain('The lower limit took effect in January.');
  });
});
