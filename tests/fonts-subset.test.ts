/**
 * A page carries only the font subsets its characters need (render/fonts.ts):
 * a memo in Polish and Czech gets the latin-ext faces and prints every letter
 * with the memo's own fonts, never a system fallback; a memo in plain English
 * leaves them out.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { embeddedFonts, pageTexts } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');
const fixture = path.join(root, 'tests', 'fixtures', 'fonts', 'latin-ext.md');
const latinExt = /unicode-range: U\+0100-/gu;

let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-fonts-'));
  const run = await runCli(
    ['build', fixture, path.join(root, 'sources', 'water-security-first-year.md'), '--out', out],
    root,
  );
  expect(run.stderr).toContain('2 memos built, 0 failed');
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('font subsets', () => {
  it('prints Polish and Czech letters with the memo’s own fonts', async () => {
    const html = await readFile(path.join(out, 'latin-ext', 'memo.html'), 'utf8');
    expect([...html.matchAll(latinExt)].length).toBe(8);
    const pdf = new Uint8Array(await readFile(path.join(out, 'latin-ext', 'memo.pdf')));
    const text = (await pageTexts(pdf)).join(' ');
    for (const word of ['Gdańsk', 'Łódź', 'Plzeň', 'Dvůr Králové', 'Zoë Nowak']) {
      expect(text).toContain(word);
    }
    const fonts = await embeddedFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/SourceSerif4|SourceSans3/);
  });

  it('leaves the latin-ext faces out of a memo in English', async () => {
    const html = await readFile(path.join(out, 'water-security-first-year', 'memo.html'), 'utf8');
    expect([...html.matchAll(latinExt)].length).toBe(0);
    expect([...html.matchAll(/@font-face \{/gu)].length).toBe(8);
  });
});
