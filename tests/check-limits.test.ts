/**
 * `memo check` reads sources as `memo build` does: a file over the size
 * limit is one clear error at 1:1 (never read, never parsed), the same
 * message the build gives, and the other memos are still checked.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'check');
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'memo-check-limits-'));
  // 5 MB (5,120 lines of 1,024 bytes): over the 4 MB limit, under the line limit.
  const line = `${'A sentence about water policy. '.repeat(33)}\n`;
  await writeFile(path.join(folder, 'huge.md'), line.repeat(5 * 1024));
  await copyFile(path.join(fixtures, 'headings', 'input.md'), path.join(folder, 'headings.md'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('memo check and the size limit', () => {
  it('reports an oversized memo as memo build does, and checks the others', async () => {
    const tooLarge =
      'huge.md:1:1: error file is 5.0 MB; a memo may be at most 4 MB of text: split it into several memos [source-too-large]';
    const check = await runCli(['check', 'huge.md', 'headings.md'], folder);
    const lines = check.stderr.split('\n');
    expect(lines).toContain(tooLarge);
    expect(lines.filter((line) => line.startsWith('huge.md:'))).toEqual([tooLarge]);
    expect(lines.some((line) => /^headings\.md:\d+:\d+: warning /.test(line))).toBe(true);
    expect(check.code).toBe(1);
    const build = await runCli(['build', '--format', 'html', '--out', 'out', 'huge.md'], folder);
    expect(build.stderr.split('\n')).toContain(tooLarge);
    expect(build.code).toBe(1);
  });
});
