/**
 * unified/remark-markdown.ts: a memo is parsed without the GFM autolink literal
 * rules its text cannot use. Every sample memo and fixture, and texts with and
 * without addresses, parse to the same tree (positions included) as with
 * remark-parse, remark-gfm and remark-directive as they come.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { splitSource } from '../pipeline/frontmatter/read-source.js';
import { createProcessor } from '../pipeline/unified/processor.js';
import { impossibleLiterals } from '../pipeline/unified/remark-markdown.js';

const root = path.join(import.meta.dirname, '..');
const memo = createProcessor();
const full = unified().use(remarkParse).use(remarkGfm).use(remarkDirective).freeze();

const TEXTS = [
  'Plain text, no addresses at all.',
  'Write to press@example.org, or to <press@example.org>.',
  'See www.example.org/report, WWW.EXAMPLE.ORG and wWw.example.org.',
  'See https://example.org/a?b#c and HTTP://EXAMPLE.ORG/x, http:// alone, and httpx://no.',
  'All three: a.b@example.org www.example.org https://example.org (in parentheses: www.x.org).',
  '[an unbalanced label www.example.org and [a link](https://example.org) then b@c.de',
  '[a [nested](#x) label] www.example.org ![image www.example.org](x.png) a@b.co',
  '*www.example.org* ~~https://example.org~~ _a@b.co_ `www.example.org`',
  '| a | www.example.org |\n| - | - |\n| c@d.ef | https://example.org |',
  ':::next-steps\nA step at https://example.org.\n:::\n\nA note.[^1]\n\n[^1]: See www.example.org.',
  '> quoted www.example.org\n\n- item a@b.co\n- [ ] task https://x.org',
];

async function samples(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of ['sources', path.join('tests', 'fixtures')])
    for (const name of await readdir(path.join(root, folder), { recursive: true }))
      if (name.endsWith('.md')) files.push(path.join(root, folder, name));
  return files.sort();
}

describe('the memo parser', () => {
  it('leaves out only the rules whose text does not occur', () => {
    expect(impossibleLiterals('plain text')).toEqual([
      'emailAutolink',
      'wwwAutolink',
      'protocolAutolink',
    ]);
    expect(impossibleLiterals('a@b.co WWW.x.org HTTPS://x.org')).toEqual([]);
    expect(impossibleLiterals('www.x.org')).toEqual(['emailAutolink', 'protocolAutolink']);
  });

  it('parses texts with and without addresses as GFM does', () => {
    for (const text of TEXTS) expect(memo.parse(text), text).toEqual(full.parse(text));
  });

  it('parses every sample and fixture as GFM does', async () => {
    const files = await samples();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const body = splitSource(new VFile({ path: file }), text)?.body ?? text;
      expect(memo.parse(body), path.relative(root, file)).toEqual(full.parse(body));
    }
  });

  it('still links e-mail, www and web addresses typed as text', async () => {
    const html = String(
      await memo.process('Write to press@example.org, see www.example.org or https://example.org.'),
    );
    expect(html).toContain('<a href="mailto:press@example.org">press@example.org</a>');
    expect(html).toContain('<a href="http://www.example.org">www.example.org</a>');
    expect(html).toContain('<a href="https://example.org">https://example.org</a>');
  });
});
