/**
 * stdout carries only the tool's own lines (`built <outputs>` / `failed
 * <source> (N errors)`, see pipeline/cli/progress.ts) and stderr only its
 * report and summary, for a memo that uses every feature. The real CLI runs in
 * a child process: a dependency's stray `console.log` goes to the process's
 * own stdout, which an in-process run (tests/helpers/cli.ts) would not see.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runMemo } from './archive/helpers.js';
import type { ChildRun } from './archive/helpers.js';
import { pageTexts } from './helpers/pdf.js';
import { png, tempDir } from './security/harness.js';

const fixture = path.join(root, 'tests', 'fixtures', 'stdout', 'everything.md');

let folder: string;
let run: ChildRun;

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const relative = (file: string) =>
  path.relative(root, path.join(folder, 'out', 'everything', file));

beforeAll(async () => {
  folder = await tempDir('stdout');
  await copyFile(fixture, path.join(folder, 'everything.md'));
  await writeFile(path.join(folder, 'chart.png'), png(7, 5));
  run = await runMemo([
    'build',
    path.join(folder, 'everything.md'),
    '--out',
    path.join(folder, 'out'),
    '--format',
    'both',
  ]);
});

describe('a build of a memo that uses every feature', () => {
  it('writes one `built` line to stdout, and nothing else', () => {
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toEqual([`built ${relative('memo.html')}, ${relative('memo.pdf')}`]);
  });

  it('writes only the summary to stderr', () => {
    expect(lines(run.stderr)).toHaveLength(1);
    expect(lines(run.stderr)[0]).toMatch(/^1 memo built, 0 failed in \d+(?:\.\d)? s$/);
  });

  it('did render every feature (so the build above exercised them)', async () => {
    const html = await readFile(path.join(folder, 'out', 'everything', 'memo.html'), 'utf8');
    const tree = fromHtml(html);
    const body = toString(select('.memo-body', tree) ?? tree);
    expect(body).toContain('The “council” said – twice — that it’s ‘settled’…');
    expect(body).toContain('An en dash typed with a hyphen –- stays.');
    expect(body).toContain('A quote … with “quotes”.');
    expect(body).toContain('fenced "code" -- stays...');
    expect(selectAll('a.rec-ref', tree)).toHaveLength(2);
    expect(selectAll('aside.next-steps', tree)).toHaveLength(2);
    expect(selectAll('a[data-footnote-ref]', tree)).toHaveLength(1);
    expect(selectAll('table td', tree).map((cell) => toString(cell))).toEqual([
      'Trade',
      'done “open”',
    ]);
    expect(select('img[src^="data:image/png;base64,"]', tree)).toBeDefined();
    expect(select('input[type="checkbox"][checked]', tree)).toBeDefined();
    expect(toString(select('sub', tree) ?? tree)).toBe('2');
    const pdf = new Uint8Array(await readFile(path.join(folder, 'out', 'everything', 'memo.pdf')));
    expect((await pageTexts(pdf)).join('\n')).toContain('Every feature at once');
  });
});

describe('front matter with YAML tags and a memo with warnings, through `memo check`', () => {
  it('prints the report and nothing from a library (no YAML warning on stderr)', async () => {
    const memo = path.join(folder, 'tagged.md');
    await writeFile(
      memo,
      [
        '---',
        'title: !!js/function "function () {}"',
        'author: Ana Ruiz',
        'organization: Lakes Council',
        'date: 2021-01-04',
        '---',
        '',
        '## Findings',
        '',
        'See [here](https://example.org).',
        '',
      ].join('\n'),
    );
    const checked = await runMemo(['check', memo]);
    expect(checked.stdout).toBe('');
    const shown = path.relative(root, memo);
    expect(lines(checked.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${shown}:10:5: warning .*\\[link-text\\]$`)),
      '1 warning',
    ]);
    expect(checked.code).toBe(0);
  });
});
