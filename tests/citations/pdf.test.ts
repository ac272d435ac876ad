/**
 * The sample memo with citations, built by the CLI with real Chromium: the
 * Chicago notes print at the foot of their pages, full then short, and the
 * Sources section is real text in the PDF, with a bookmark.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { pageTexts, readCatalog } from '../helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..', '..');
// Source Serif maps its apostrophe glyph to U+02BC in the PDF's ToUnicode table.
const flat = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .replace(/\u02BC/g, '\u2019')
    .trim();

let out: string;
let pdf: Uint8Array;
let pages: string[];

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-citations-pdf-'));
  const run = await runCli(['build', 'sources/rail-oversight-evidence.md', '--out', out], root);
  if (run.code !== 0) throw new Error(run.stderr);
  pdf = new Uint8Array(await readFile(path.join(out, 'rail-oversight-evidence', 'memo.pdf')));
  pages = (await pageTexts(pdf)).map(flat);
}, 180_000);
afterAll(() => rm(out, { recursive: true, force: true }));

describe('citations in the PDF', () => {
  it('prints each citation as a note, in full the first time and short after', () => {
    const all = pages.join(' ');
    expect(all).toContain(
      'U.S. Government Accountability Office, Rail Transit Safety: FTA Should Strengthen Its Oversight of State Safety Oversight Agencies, GAO-23-104 (U.S. Government Accountability Office, 2023), 14.',
    );
    expect(all).toContain('U.S. Government Accountability Office, Rail Transit Safety, 22;');
    // Page-bottom notes: the first note is on the page that cites it, with no Notes section.
    const first = pages.findIndex((page) => page.includes('cannot say how often they inspect'));
    expect(pages[first]).toContain('GAO-23-104 (U.S. Government Accountability Office, 2023), 14.');
  });

  it('prints the Sources section as text, with a bookmark', async () => {
    const all = pages.join(' ');
    const sources = all.slice(all.lastIndexOf('Sources'));
    for (const entry of [
      'Federal Transit Administration. State Safety Oversight Program: Annual Report to Congress. U.S. Department of Transportation, 2023.',
      'Hollis, Daniel, and Femke Achterberg. “Close Calls: What Near-Miss Reporting Tells Us about Urban Rail Risk.” Journal of Public Transportation Safety 9, no. 3 (2021): 45–67.',
      'Mensah, Kofi. Safety Culture in Public Transit Agencies. Lakeshore University Press, 2020.',
    ])
      expect(sources).toContain(entry);
    expect((await readCatalog(pdf)).outlineTitles).toContain('Sources');
  });
});
