/**
 * Front matter is data, never code: `---js` and its spellings (which
 * gray-matter would hand to `eval`) are errors and never run; YAML tags,
 * prototype keys and alias bombs are plain data or clean errors; every value
 * is text exactly as written.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import { fixtures, tempDir } from './harness.js';

const LANGUAGE_ERROR = (language: string) =>
  `error front matter in \`${language}\` is not allowed: it would run as code; write YAML between plain \`---\` lines [frontmatter-language]`;

let root: string;
let run: CliRun;

beforeAll(async () => {
  Reflect.deleteProperty(globalThis, '__memoPressPwned');
  root = await tempDir('frontmatter');
  await cp(path.join(fixtures, 'frontmatter'), path.join(root, 'memos'), { recursive: true });
  run = await runCli(['build', 'memos', '--out', 'out', '--quiet'], root);
});

const reported = (name: string): string[] =>
  run.stderr.split('\n').filter((line) => line.startsWith(`memos/${name}:`));

describe('front matter in a programming language', () => {
  it.each([
    ['js.md', 'js'],
    ['javascript.md', 'javascript'],
    ['spaced-js.md', 'js'], // gray-matter trims the language: `--- js` is JavaScript to it
    ['mixed-case.md', 'JavaScript'], // …and matches engine names case-insensitively
    ['coffee.md', 'coffee'],
    ['bom-crlf-js.md', 'js'], // a BOM and CRLF line ends don't hide it
  ])('%s is an error at the opening line', (name, language) => {
    expect(reported(name)).toEqual([`memos/${name}:1:4: ${LANGUAGE_ERROR(language)}`]);
  });

  it('never runs', () => {
    expect(Reflect.get(globalThis, '__memoPressPwned')).toBeUndefined();
  });
});

describe('YAML is data only', () => {
  it('keeps every value as the text written: numbers, booleans, tags', async () => {
    expect(reported('data-only.md')).toEqual([]);
    const html = await readFile(path.join(root, 'out', 'data-only', 'memo.html'), 'utf8');
    const tree = fromHtml(html);
    expect(toString(select('h1', tree) ?? tree)).toBe('1.10');
    expect(toString(select('title', tree) ?? tree)).toBe('1.10');
    expect(toString(select('.subtitle', tree) ?? tree)).toBe('0x1F');
    expect(toString(select('.masthead-organization', tree) ?? tree)).toBe('no');
    expect(toString(select('.masthead-program', tree) ?? tree)).toBe('1e3');
    expect(toString(select('.byline', tree) ?? tree)).toBe(
      'By function () { globalThis.__memoPressPwned = true }',
    );
    expect(select('meta[name="description"]', tree)?.properties['content']).toBe('aGVsbG8=');
    const pdf = new Uint8Array(await readFile(path.join(root, 'out', 'data-only', 'memo.pdf')));
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('1.10');
    expect(text).toContain('0x1F');
    expect(Reflect.get(globalThis, '__memoPressPwned')).toBeUndefined();
  });

  it('reports a `__proto__` key as an unknown field instead of taking fields from it', () => {
    const unknown = (line: string, known: string) =>
      `memos/proto.md:${line}: error unknown field \`__proto__\`; expected one of: ${known} [frontmatter-unknown-field]`;
    expect(reported('proto.md')).toEqual([
      unknown(
        '6:1',
        'title, subtitle, author, authors, organization, program, date, summary, series, lang, paper, notes, toc, toc_depth, end_matter, template, classification, distribution, distribution_note, recommendations, recommendations_title, bibliography, csl, bibliography_section, bibliography_title',
      ),
      unknown('12:5', 'id, title, status, status_note, summary'),
    ]);
  });

  it('does not expand YAML aliases (no billion laughs): a clean error at once', () => {
    const lines = reported('aliases.md');
    expect(lines[0]).toBe(
      'memos/aliases.md:6:22: error item 1 of `distribution` must be text, not a list [frontmatter-type]',
    );
    expect(lines.length).toBeLessThan(10);
  });

  it('builds only the data memo', () => {
    expect(run.stderr).toContain('1 memo built, 8 failed');
    expect(run.code).toBe(1);
  });
});
