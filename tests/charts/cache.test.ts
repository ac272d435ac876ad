/** A chart's data file is an input of the memo: changing it rebuilds the memo, and only then. */
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildMemos } from '../../pipeline/build.js';
import type { BuildOptions } from '../../pipeline/build.js';

const root = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
let options: BuildOptions;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'memo-charts-cache-'));
  await cp(path.join(root, 'tests', 'fixtures', 'charts', 'good'), path.join(dir, 'memos'), {
    recursive: true,
  });
  options = {
    outDir: 'out',
    format: 'html',
    cwd: dir,
    templatesDir: path.join(root, 'templates'),
    stylesDir: path.join(root, 'styles'),
  };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rebuilt(): Promise<boolean> {
  const result = await buildMemos(['memos'], options);
  expect(result.memos.map((memo) => memo.ok)).toEqual([true]);
  return result.memos[0]?.cached !== true;
}

it('rebuilds a memo whose chart data changed', async () => {
  expect(await rebuilt()).toBe(true);
  expect(await rebuilt()).toBe(false);
  await appendFile(path.join(dir, 'memos', 'arrests.csv'), '2023,North,640\n');
  expect(await rebuilt()).toBe(true);
  const html = await readFile(path.join(dir, 'out', 'charts', 'memo.html'), 'utf8');
  expect(html).toContain('>2023</text>');
});
