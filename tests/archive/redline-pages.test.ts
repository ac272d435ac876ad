/**
 * The redline as a reader checks it: a table diffed cell by cell, a note added
 * early (which renumbers the later ones) marking only the paragraph it was
 * added to, recommendation titles and statuses compared, an "only the changes"
 * view with a jump list that needs no script, and the classification marking
 * on the page and on every page of the PDF.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import { fixtures, ownBrowser, temporaryFolder } from './helpers.js';

let work: string;
let html: string;
let tree: ReturnType<typeof fromHtml>;

const text = (node: Element | undefined) =>
  node === undefined ? '' : toString(node).replace(/\s+/g, ' ').trim();

/** What a sighted reader sees: the visually hidden "[inserted: …]" labels left out. */
function visible(node: Element | undefined): string {
  if (node === undefined) return '';
  const copy = structuredClone(node);
  const strip = (element: Element) => {
    element.children = element.children.filter(
      (child) =>
        child.type !== 'element' ||
        !String(child.properties['className']).includes('visually-hidden'),
    );
    for (const child of element.children) if (child.type === 'element') strip(child);
  };
  strip(copy);
  return text(copy);
}

beforeAll(async () => {
  work = await temporaryFolder('redline-pages');
  for (const version of ['v1.md', 'v2.md']) {
    await writeFile(
      path.join(work, 'levels.md'),
      await readFile(path.join(fixtures, 'redline', version)),
    );
    const run = await runCli(['publish', 'levels.md'], work, ownBrowser);
    if (run.code !== 0) throw new Error(run.stderr);
  }
  html = await readFile(path.join(work, 'archive', 'levels', 'redline-v1-v2.html'), 'utf8');
  tree = fromHtml(html);
}, 180_000);

describe('the redline page in the archive', () => {
  it('diffs a table cell by cell, not as flattened rows', () => {
    const rows = selectAll('table.redline-table tr', tree);
    expect(rows.map((row) => selectAll('td', row).map((cell) => visible(cell)))).toEqual([
      ['Reservoir', 'Level', 'Trend'],
      ['Alder', '6158 %', 'falling'],
      ['Birch', '74 %', 'steady'],
      ['Cedar', '55 %', 'falling'],
    ]);
    const alder = rows[1];
    expect(selectAll('td.changed', alder ?? tree).map((cell) => visible(cell))).toEqual(['6158 %']);
    expect(selectAll('del', alder ?? tree).map((node) => visible(node))).toEqual(['61']);
    expect(selectAll('ins', alder ?? tree).map((node) => visible(node))).toEqual(['58']);
    expect(html).not.toContain('Alder | ');
  });

  it('marks only the paragraph a note was added to, not those whose notes were renumbered', () => {
    const changed = selectAll('.redline-text p.block:not(.same)', tree).map((node) =>
      visible(node),
    );
    expect(changed).toEqual([
      'The northern reservoirs are lower than last year.[1]',
      'Gauge readings of 18 May.',
    ]);
    const outlook = selectAll('.redline-text p.block.same', tree).map((node) => visible(node));
    expect(outlook).toContain('The spring melt came early this year.[2]');
  });

  it('shows changes in recommendation titles and statuses', () => {
    const rec = select('.recs .rec', tree);
    expect(visible(select('.change-note', rec ?? tree) ?? undefined)).toBe(
      '(title and status changed)',
    );
    expect(selectAll('ins', select('.rec-title', rec ?? tree) ?? tree).map(visible)).toEqual([
      'with the utilities',
    ]);
    expect(visible(select('.rec-status', rec ?? tree) ?? undefined)).toBe(
      'Status: Not startedIn progress',
    );
  });

  it('has an "only the changes" view and a jump list, without script', () => {
    expect(html).not.toContain('<script');
    expect(select('#only-changes', tree)).not.toBeNull();
    expect(html).toContain('#only-changes:target ~ .redline-text p.same');
    expect(visible(selectAll('.jump-list li', tree)[1])).toBe(
      'Changed in Levels: table row: Alder, 58 %, falling',
    );
    const jumps = selectAll('.jump-list a', tree);
    expect(jumps.map((node) => visible(node))).toEqual([
      'Changed in Levels',
      'Changed in Levels',
      'Added in Notes',
    ]);
    for (const link of jumps) {
      const id = String(link.properties['href']).slice(1);
      expect(select(`[id="${id}"]`, tree), id).not.toBeNull();
    }
  });

  it('carries the classification marking on the page and on every page of its PDF', async () => {
    expect(visible(select('.classification-banner', tree) ?? undefined)).toBe('OFFICIAL-SENSITIVE');
    const run = await runCli(['diff', 'levels', '--pdf'], work, ownBrowser);
    expect(run.code, run.stderr).toBe(0);
    const pages = await pageTexts(
      new Uint8Array(await readFile(path.join(work, 'out', 'levels', 'redline-v1-v2.pdf'))),
    );
    expect(pages.length).toBeGreaterThan(0);
    // Top and bottom of every page; the first also has the banner and the front matter entry.
    pages.forEach((page, index) =>
      expect(page.match(/OFFICIAL-SENSITIVE/g)?.length, `page ${index + 1}`).toBe(
        index === 0 ? 4 : 2,
      ),
    );
  }, 120_000);
});
