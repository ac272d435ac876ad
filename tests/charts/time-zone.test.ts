/**
 * Dates in a chart are read and shown in UTC: the same chart, byte for byte,
 * on a machine west or east of Greenwich (`2021-01-01` is not "Dec 2020" in
 * Los Angeles). The bundled CLI runs in child processes, each with its own TZ.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');
const source = path.join(root, 'tests', 'fixtures', 'charts', 'dates', 'dates.md');
let out: string;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-charts-tz-'));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

async function buildIn(zone: string): Promise<string> {
  const folder = path.join(out, zone.replace('/', '-'));
  await run(
    process.execPath,
    [path.join(root, 'bin', 'memo.js'), 'build', source, '--out', folder, '--format', 'html', '-q'],
    { cwd: root, env: { ...process.env, TZ: zone, NO_COLOR: '1' } },
  );
  return readFile(path.join(folder, 'dates', 'memo.html'), 'utf8');
}

it('draws the same chart in every time zone', async () => {
  const utc = await buildIn('UTC');
  const labels = [...utc.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
  expect(labels).toEqual(expect.arrayContaining(['Jan 2021', 'Feb 2021', 'Mar 2021']));
  expect(labels).not.toContain('Dec 2020');
  expect(await buildIn('America/Los_Angeles')).toBe(utc);
  expect(await buildIn('Asia/Tokyo')).toBe(utc);
}, 120_000);
