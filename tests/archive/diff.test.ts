/**
 * `memo diff`: the redline of two published fixture versions
 * (tests/fixtures/archive/v1.md → v2.md), read as a user would: which words
 * are marked inserted and deleted, how the marks read without colour and to a
 * screen reader, and the same redline as a PDF.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { pageTexts, readInfo } from '../helpers/pdf.js';
import { fixtures, ownBrowser, temporaryFolder } from './helpers.js';

let work: string;
let run: CliRun;
let html: string;
let tree: Root;

/** The visible text of a change (without its visually hidden screen-reader label). */
function visible(node: Element): string {
  const hidden = (child: Element['children'][number]) =>
    child.type === 'element' && String(child.properties['className']).includes('visually-hidden');
  return node.children
    .filter((child) => !hidden(child))
    .map((child) => toString(child))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const marked = (selector: 'ins' | 'del') => selectAll(selector, tree).map(visible);

beforeAll(async () => {
  work = await temporaryFolder('diff');
  for (const version of ['v1.md', 'v2.md']) {
    await writeFile(path.join(work, 'drought.md'), await readFile(path.join(fixtures, version)));
    const published = await runCli(['publish', 'drought.md'], work, ownBrowser);
    if (published.code !== 0) throw new Error(published.stderr);
  }
  run = await runCli(['diff', 'drought'], work);
  html = await readFile(path.join(work, 'out', 'drought', 'redline-v1-v2.html'), 'utf8');
  tree = fromHtml(html);
}, 180_000);

describe('memo diff', () => {
  it('writes the redline of the two newest versions to out/<slug>/', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^wrote out\/drought\/redline-v1-v2\.html: v1 → v2, \d+ words inserted, \d+ deleted; 4 of 8 passages and 7 front matter entries changed\n$/,
    );
    expect(run.code).toBe(0);
  });

  it('marks the inserted and deleted words of the text', () => {
    const inserted = marked('ins');
    const deleted = marked('del');
    for (const words of [
      'four times',
      'and a weekly bulletin',
      'The June budget funded the first phase of the network.',
      'and in March',
    ]) {
      expect(inserted).toContain(words);
    }
    for (const words of ['twice', 'No money has been found for the sensors yet.'])
      expect(deleted).toContain(words);
    const paragraph = selectAll('.block', tree)
      .map((node) => toString(node))
      .find((text) => text.includes('working group'));
    expect(paragraph).toContain('The working group has met');
    // Unchanged passages are shown, unmarked.
    const same = selectAll('.block.same', tree).map((node) => toString(node));
    expect(same).toContain('The hard questions have been left for later.');
    // A replaced paragraph: the deletion comes before the insertion.
    expect(html.indexOf('No money has been found')).toBeLessThan(
      html.indexOf('The June budget funded'),
    );
  });

  it('marks changes to the title, recommendations and their status, and the distribution', () => {
    const inserted = marked('ins');
    const deleted = marked('del');
    expect(inserted).toEqual(
      expect.arrayContaining([
        ', Spring Update',
        'real-time',
        'Achieved',
        'Department of the Interior',
        'second',
      ]),
    );
    expect(deleted).toEqual(
      expect.arrayContaining([
        'Not started',
        'Give tribal governments a seat',
        'Stalled',
        'Department of State',
        'first',
      ]),
    );
    const recommendation = selectAll('.rec', tree).map((node) =>
      toString(node).replace(/\s+/g, ' '),
    );
    expect(recommendation[1]).toContain('Recommendation 2 (title and status changed)');
    expect(recommendation[2]).toContain('Recommendation 3 of version 1 (removed)');
    expect(inserted).not.toContain('National Security Council');
    expect(deleted).not.toContain('National Security Council');
  });

  it('marks changes without relying on colour, and announces them to screen readers', () => {
    for (const node of selectAll('ins', tree))
      expect(toString(node)).toMatch(/^\[inserted: [\s\S]+\]$/);
    for (const node of selectAll('del', tree))
      expect(toString(node)).toMatch(/^\[deleted: [\s\S]+\]$/);
    const style = toString(select('style', tree) ?? tree);
    expect(style).toMatch(/\bins,\s*\.mark-ins \{[^}]*text-decoration: underline/);
    expect(style).toMatch(/\bdel,\s*\.mark-del \{[^}]*text-decoration: line-through/);
    // Printed markers, hidden from screen readers (empty alternative text), which read the labels instead.
    expect(style).toMatch(/\bins::before,\s*\.mark-ins::before \{\s*content: '\[\+' \/ '';/);
    expect(toString(select('.redline-legend', tree) ?? tree)).toContain('underlined');
    // Self-contained: nothing to fetch.
    expect(html).not.toMatch(/\ssrc=|<link\b|url\((?!data:)/);
  });

  it('prints the same redline to PDF with --pdf', async () => {
    const printed = await runCli(
      ['diff', 'drought', 'v1', 'v2', '--pdf', '--out', 'redline.pdf'],
      work,
      ownBrowser,
    );
    expect(printed.stderr).toBe('');
    expect(printed.code).toBe(0);
    const pdf = new Uint8Array(await readFile(path.join(work, 'redline.pdf')));
    const text = (await pageTexts(pdf)).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('[+four times+]');
    expect(text).toContain('[−twice−]');
    expect(text).toContain('Department of the Interior');
    expect(text).toMatch(/Page 1 of \d/);
    const info = await readInfo(pdf);
    expect(info.title).toBe(
      'Redline of Drought Readiness Review, Spring Update: version 1 to version 2',
    );
    expect(info.creationDate?.toISOString().slice(0, 10)).toBe('2026-04-15');
    const audited = await runCli(['audit', 'redline.pdf'], work);
    expect(audited.stderr).toBe('');
    expect(audited.code).toBe(0);
  }, 60_000);

  it('explains what is wrong with the versions asked for', async () => {
    const same = await runCli(['diff', 'drought', 'v2', '2'], work);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('archive/drought:1:1: error both sides are version 2');
    const missing = await runCli(['diff', 'drought', 'v1', 'v7'], work);
    expect(missing.stderr).toContain('`drought` has no version 7; it has v1, v2');
    const unknown = await runCli(['diff', 'no-such-memo'], work);
    expect(unknown.stderr).toContain('no published version of `no-such-memo`');
    const usage = await runCli(['diff', 'drought', 'first'], work);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('expected a version such as v2 or 2, got first');
  });

  it('refuses to compare a version whose memo.html changed since it was published', async () => {
    const file = path.join(work, 'archive', 'drought', 'v1', 'memo.html');
    await writeFile(file, (await readFile(file, 'utf8')).replace('twice', 'thrice'));
    const tampered = await runCli(['diff', 'drought'], work);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(
      'version 1 cannot be compared: its memo.html changed since it was published; run `memo verify` [archive-changed]',
    );
  });
});
