/**
 * memo-press prints with Debian's headless shell when it is installed and with
 * full Chromium otherwise: every sample memo must come out the same from both,
 * as a reader would check it (pages, text, tags, bookmarks, embedded fonts).
 *
 * scripts/ensure.mjs installs both browsers, so this test does not skip on a
 * set-up machine: a missing headless shell fails it with what to install. Only
 * an explicit MEMO_CHROMIUM (a machine without Debian's packages) skips it.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, headlessMode } from '../pipeline/render/browser.js';
import { runCli } from './helpers/cli.js';
import { embeddedFonts, pageTexts, readCatalog } from './helpers/pdf.js';

const root = path.resolve(import.meta.dirname, '..');
const samples = (await readdir(path.join(root, 'sources')))
  .filter((name) => name.endsWith('.md'))
  .sort();

/** The full browser ensure.mjs installs next to the shell. */
const FULL_CHROMIUM = '/usr/bin/chromium';
const explicitBrowser = (process.env['MEMO_CHROMIUM'] ?? '') !== '';

interface Printed {
  readonly pages: string[];
  readonly tagged: boolean;
  readonly marked: boolean;
  readonly outline: string[];
  readonly fonts: string[];
}

async function buildWith(executable: string, out: string): Promise<Map<string, Printed>> {
  const run = await runCli(['build', 'sources', '--out', out, '--no-cache', '-q'], root, {
    MEMO_CHROMIUM: executable,
  });
  expect(run.stderr).toContain(`${samples.length} memos built, 0 failed`);
  expect(run.code).toBe(0);
  const printed = new Map<string, Printed>();
  for (const name of samples) {
    const slug = name.replace(/\.md$/, '');
    const pdf = new Uint8Array(await readFile(path.join(out, slug, 'memo.pdf')));
    const catalog = await readCatalog(pdf);
    printed.set(name, {
      pages: await pageTexts(pdf),
      tagged: catalog.hasStructTreeRoot,
      marked: catalog.marked,
      outline: catalog.outlineTitles,
      fonts: await embeddedFonts(pdf),
    });
  }
  return printed;
}

describe.skipIf(explicitBrowser)('headless shell and full Chromium print the same memos', () => {
  let folder: string;
  let shell: Map<string, Printed>;
  let full: Map<string, Printed>;

  beforeAll(async () => {
    const found = findChromium({});
    if (found === undefined || headlessMode(found) !== 'shell') {
      throw new Error(
        `the headless shell is not installed (found ${found ?? 'no browser'}): ` +
          'run `node scripts/ensure.mjs` or `apt-get install chromium-headless-shell`, ' +
          'or set MEMO_CHROMIUM to test with one browser only',
      );
    }
    folder = await mkdtemp(path.join(tmpdir(), 'memo-browsers-'));
    shell = await buildWith(found, path.join(folder, 'shell'));
    full = await buildWith(FULL_CHROMIUM, path.join(folder, 'full'));
  });

  afterAll(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  it.each(samples)('%s: same pages, text, tags, bookmarks and fonts', (name) => {
    const a = shell.get(name);
    const b = full.get(name);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    if (a === undefined || b === undefined) return;
    expect(a.pages.length).toBeGreaterThan(0);
    expect(a.pages.join(' ')).toMatch(/\w{4,}/); // real text, not an empty page
    expect(a.tagged).toBe(true);
    expect(a.marked).toBe(true);
    expect(a.outline.length).toBeGreaterThan(0);
    expect(a.fonts.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });
});
