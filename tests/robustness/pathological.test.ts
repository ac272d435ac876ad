/**
 * Sources built to exhaust the parser: 100,000 nested list items, 100,000
 * nested quotes, a 20 MB line, 100,000 list items, 100,000 nested HTML
 * elements, 10,000 footnotes. Each ends with a result or a clear error, and
 * the whole batch runs in a child process with a 384 MB heap, which must
 * exit normally (no out-of-memory crash). The time bound is the test timeout.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import {
  MAX_NESTING,
  MAX_SOURCE_LINES,
  checkSourceSize,
  checkSourceText,
} from '../../pipeline/io/limits.js';
import { tempDir } from '../security/harness.js';

const FRONT =
  '---\ntitle: Pathological\nauthor: Mallory Example\norganization: Red Team\ndate: 2025-02-03\n---\n\n';
const entry = path.resolve(import.meta.dirname, '..', 'helpers', 'memo-entry.ts');

let root: string;
let code: number | null;
let stderr = '';

beforeAll(async () => {
  root = await tempDir('pathological');
  const memos = path.join(root, 'memos');
  await mkdir(memos);
  const write = (name: string, body: string) => writeFile(path.join(memos, name), FRONT + body);
  await write('nested-list.md', `${'- '.repeat(100_000)}item\n`);
  await write('nested-quotes.md', `${'>'.repeat(100_000)} deep\n`);
  await write('long-line.md', `${'x'.repeat(20_000_000)}\n`);
  await write('long-list.md', '- item\n'.repeat(100_000));
  await write('deep-html.md', `${'<div>'.repeat(100_000)}deep\n`);
  const references = Array.from({ length: 1_000 }, (_, line) =>
    Array.from(
      { length: 10 },
      (_, column) => `Claim ${line * 10 + column}.[^n${line * 10 + column}]`,
    ).join(' '),
  );
  const notes = Array.from({ length: 10_000 }, (_, index) => `[^n${index}]: Source ${index}.`);
  await write('footnotes.md', `${references.join('\n\n')}\n\n${notes.join('\n')}\n`);

  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=384',
      '--import',
      import.meta.resolve('tsx'),
      entry,
      'build',
      'memos',
      '--out',
      'out',
      '--format',
      'html',
      '--quiet',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  [code] = (await once(child, 'exit')) as [number | null];
}, 600_000);

describe('pathological sources', () => {
  it('end in a normal exit within the memory limit', () => {
    expect(stderr).not.toMatch(/heap out of memory|FATAL ERROR|Maximum call stack|\n\s+at /);
    expect(code).toBe(1);
    expect(stderr).toContain('1 memo built, 5 failed');
  });

  it.each([
    [
      'nested-list.md',
      `8:${2 * MAX_NESTING + 1}: error lists or block quotes nested more than ${MAX_NESTING} levels deep; a memo needs a few levels at most [source-nesting]`,
    ],
    [
      'nested-quotes.md',
      `8:${MAX_NESTING + 1}: error lists or block quotes nested more than ${MAX_NESTING} levels deep; a memo needs a few levels at most [source-nesting]`,
    ],
    [
      'long-line.md',
      '1:1: error file is 19.1 MB; a memo may be at most 4 MB of text: split it into several memos [source-too-large]',
    ],
    [
      'long-list.md',
      `${MAX_SOURCE_LINES + 1}:1: error file has more than 30,000 lines; split it into several memos [source-too-large]`,
    ],
    [
      'deep-html.md',
      '1:1: error the memo is nested too deeply to process (lists or quotes inside each other thousands of levels deep) [internal]',
    ],
  ])('%s: a clear error', (name, message) => {
    expect(stderr.split('\n')).toContain(`memos/${name}:${message}`);
  });

  it('10,000 footnotes: a complete memo', async () => {
    const html = await readFile(path.join(root, 'out', 'footnotes', 'memo.html'), 'utf8');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<a [^>]*data-footnote-ref/g)?.length).toBe(10_000);
    expect(html).toContain('Source 9999.');
  });
});

describe('ordinary memos', () => {
  it('are far inside the limits: nested lists, indented code, rules, quotes', () => {
    const nested = Array.from(
      { length: 12 },
      (_, depth) => `${'  '.repeat(depth)}- level ${depth + 1}`,
    );
    const text = [
      FRONT,
      ...nested,
      '',
      '    indented code',
      `${' '.repeat(40)}deeply indented code line`,
      '',
      '- - - - - - - - - -',
      '',
      '> > > > a quote in a quote in a quote',
      '',
      '1. one',
      '   1. one.one',
      '      - bullet',
      ...Array.from({ length: 6_000 }, (_, index) => `Paragraph ${index}.\n`),
    ].join('\n');
    const file = new VFile({ path: 'ordinary.md' });
    expect(checkSourceSize(file, Buffer.byteLength(text))).toBe(true);
    expect(checkSourceText(file, text)).toBe(true);
    expect(file.messages).toEqual([]);
  });
});
