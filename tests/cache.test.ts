/**
 * The build cache: an unchanged memo is not rebuilt (no browser either), and
 * each kind of change rebuilds exactly the memos it affects.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildMemos } from '../pipeline/build.js';
import type { BuildOptions } from '../pipeline/build.js';
import { emptyConfig } from '../pipeline/config/index.js';

const root = path.resolve(import.meta.dirname, '..');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let dir: string;
let options: BuildOptions;

/** Slugs rebuilt (not answered by the cache) in a build of `sources/`. */
async function rebuilt(extra: Partial<BuildOptions> = {}): Promise<string[]> {
  const result = await buildMemos(['sources'], { ...options, ...extra });
  expect(result.memos.every((memo) => memo.ok)).toBe(true);
  return result.memos
    .filter((memo) => memo.cached !== true)
    .map((memo) => memo.slug)
    .sort();
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'memo-cache-'));
  await cp(path.join(root, 'sources'), path.join(dir, 'sources'), { recursive: true });
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  await cp(path.join(root, 'styles'), path.join(dir, 'styles'), { recursive: true });
  const memo = await readFile(path.join(dir, 'sources', 'water-security-first-year.md'), 'utf8');
  await writeFile(path.join(dir, 'sources', 'chart.png'), PNG);
  await writeFile(
    path.join(dir, 'sources', 'with-image.md'),
    memo.replace('\n## ', '\n![A chart](chart.png)\n\n## '),
  );
  options = {
    outDir: 'out',
    format: 'html',
    cwd: dir,
    templatesDir: path.join(dir, 'templates'),
    stylesDir: path.join(dir, 'styles'),
  };
  return () => rm(dir, { recursive: true, force: true });
});

const ALL = [
  'border-infrastructure-briefing',
  'rail-oversight-evidence',
  'transit-safety-first-100-days',
  'transit-safety-one-year',
  'transit-safety-six-months',
  'water-security-first-year',
  'with-image',
];

describe('the build cache', () => {
  it('rebuilds nothing when nothing changed, and everything with --no-cache', async () => {
    expect(await rebuilt()).toEqual(ALL);
    expect(await rebuilt()).toEqual([]);
    expect(await rebuilt({ cache: false })).toEqual(ALL);
  });

  it('rebuilds only the memo whose source changed', async () => {
    await rebuilt();
    const file = path.join(dir, 'sources', 'water-security-first-year.md');
    await writeFile(file, `${await readFile(file, 'utf8')}\nOne more sentence.\n`);
    expect(await rebuilt()).toEqual(['water-security-first-year']);
  });

  it('rebuilds only the memos using a template that changed, and all of them for a shared partial or style', async () => {
    await rebuilt();
    const template = path.join(dir, 'templates', 'memorandum.hbs');
    await writeFile(template, `${await readFile(template, 'utf8')}\n`);
    expect(await rebuilt()).toEqual(['border-infrastructure-briefing']);
    const style = path.join(dir, 'styles', 'memo.css');
    await writeFile(style, `${await readFile(style, 'utf8')}\n/* changed */\n`);
    expect(await rebuilt()).toEqual(ALL);
  });

  it('rebuilds a memo whose image changed, or whose output was deleted or edited', async () => {
    await rebuilt();
    await writeFile(path.join(dir, 'sources', 'chart.png'), Buffer.concat([PNG, Buffer.from([0])]));
    expect(await rebuilt()).toEqual(['with-image']);
    await rm(path.join(dir, 'out', 'water-security-first-year', 'memo.html'));
    await writeFile(
      path.join(dir, 'out', 'border-infrastructure-briefing', 'memo.html'),
      'edited by hand',
    );
    expect(await rebuilt()).toEqual([
      'border-infrastructure-briefing',
      'water-security-first-year',
    ]);
  });

  it('reads a file only when its size or time changed, and rebuilds only if its bytes did', async () => {
    await rebuilt();
    const html = path.join(dir, 'out', 'water-security-first-year', 'memo.html');
    // `touch -r` copies a time to the nanosecond (Node's utimes rounds it).
    const builtTime = path.join(dir, 'built-time');
    await writeFile(builtTime, '');
    execFileSync('touch', ['-r', html, builtTime]);
    const later = new Date(Date.now() + 60_000);
    // Touched (a copy, a checkout): another time, the same bytes; still up to date.
    await utimes(html, later, later);
    await utimes(path.join(dir, 'sources', 'chart.png'), later, later);
    expect(await rebuilt()).toEqual([]);
    // Other bytes, but the size and time it was built with: the cache cannot
    // see it (documented), --no-cache can.
    const bytes = await readFile(html);
    bytes[bytes.length - 2] = 0x20;
    await writeFile(html, bytes);
    execFileSync('touch', ['-r', builtTime, html]);
    expect(await rebuilt()).toEqual([]);
    expect(await rebuilt({ cache: false })).toEqual(ALL);
  });

  it('rebuilds every memo when the config they inherit changes', async () => {
    await rebuilt();
    const config = { ...emptyConfig(), classification: 'UNCLASSIFIED' };
    expect(await rebuilt({ config })).toEqual(ALL);
    expect(await rebuilt({ config })).toEqual([]);
  });

  it('launches no browser when every PDF is up to date', async () => {
    const first = await buildMemos(['sources/water-security-first-year.md'], {
      ...options,
      format: 'both',
    });
    expect(first.browserVersion).not.toBeNull();
    const second = await buildMemos(['sources/water-security-first-year.md'], {
      ...options,
      format: 'both',
    });
    expect(second.memos.map((memo) => memo.cached)).toEqual([true]);
    expect(second.browserVersion).toBeNull();
    expect(second.timings.map(([stage]) => stage)).not.toContain('browser launch');
  });
});
