/**
 * Progress of a batch `memo build`: a bar redrawn in place on a terminal, one
 * line per memo in CI, with --quiet or into a pipe, and a summary at the end.
 * (HTML-only builds: no browser needed.)
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../pipeline/cli/main.js';
import { formatBar, formatElapsed } from '../pipeline/cli/progress.js';

const memo = (title: string, extra = '') => `---
title: ${title}
author: Ana Ruiz
organization: Council
date: 2026-01-10
${extra}---

## Findings

Text.
`;

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'memo-progress-'));
  await mkdir(path.join(folder, 'sources'));
  await writeFile(path.join(folder, 'sources', 'alpha.md'), memo('Alpha'));
  await writeFile(path.join(folder, 'sources', 'beta.md'), memo('Beta'));
  await writeFile(path.join(folder, 'broken.md'), memo('Broken', 'paper: legal\n'));
  await writeFile(path.join(folder, 'warned.md'), `${memo('Warned')}\n[^x]: never cited\n`);
});

/** The lines of `text`, sorted: memos finish in any order (they build concurrently). */
const lines = (text: string) => text.split('\n').filter(Boolean).sort();

async function build(args: string[], options: { isTTY: boolean; env?: NodeJS.ProcessEnv }) {
  let stdout = '';
  let stderr = '';
  const code = await main(['build', '--format', 'html', '--no-cache', ...args], {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.isTTY },
    cwd: folder,
    env: { PATH: process.env['PATH'], NO_COLOR: '1', ...options.env },
  });
  return { code, stdout, stderr };
}

const SUMMARY = /^2 memos built, 0 failed in \d+(\.\d)? s\n$/;

describe('on a terminal', () => {
  it('draws a bar in place (done of total, current memo, elapsed), then clears it for the summary', async () => {
    const run = await build([], { isTTY: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const frames = run.stderr.split('\r\u001B[2K');
    const summary = frames.pop();
    expect(summary).toMatch(SUMMARY);
    const bars = frames.filter((frame) => frame !== '');
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar).toMatch(/^\[[█░]{20}\] [0-2]\/2 (alpha|beta)?( \+1)? {2}\d+(\.\d)? s$/);
    }
  });
});

describe('one line per memo', () => {
  it('in CI', async () => {
    const run = await build([], { isTTY: true, env: { CI: 'true' } });
    expect(lines(run.stdout)).toEqual(['built out/alpha/memo.html', 'built out/beta/memo.html']);
    expect(run.stderr).toMatch(SUMMARY);
  });

  it('with --quiet, which also leaves warnings out', async () => {
    const run = await build(['--quiet', 'warned.md', 'sources/alpha.md'], { isTTY: true });
    expect(lines(run.stdout)).toEqual(['built out/alpha/memo.html', 'built out/warned/memo.html']);
    expect(run.stderr).not.toContain('footnote-unused');
    expect(run.stderr).toMatch(/2 memos built, 0 failed in \d+(\.\d)? s\n$/);
  });

  it('into a pipe, with failures named and reported', async () => {
    const run = await build(['broken.md', 'sources/alpha.md'], { isTTY: false });
    expect(run.code).toBe(1);
    expect(lines(run.stdout)).toEqual(['built out/alpha/memo.html', 'failed broken.md (1 error)']);
    expect(run.stderr).toMatch(
      /^broken\.md:6:8: error `paper` must be one of letter, a4; got `legal` \[frontmatter-enum\]\n1 error\n1 memo built, 1 failed in \d+(\.\d)? s\n$/,
    );
  });
});

describe('formatting', () => {
  it('draws the bar', () => {
    expect(formatBar(3, 10, ['water-security-first-year', 'border'], 4200)).toBe(
      '[██████░░░░░░░░░░░░░░] 3/10 water-security-first-year +1  4.2 s',
    );
    expect(formatBar(0, 0, [], 0)).toBe('[████████████████████] 0/0   0.0 s');
    const long = formatBar(1, 2, ['a'.repeat(200)], 65_000);
    expect(long.length).toBeLessThanOrEqual(78);
    expect(long).toMatch(/a… {2}1 min 05 s$/);
  });

  it('writes the elapsed time', () => {
    expect([formatElapsed(840), formatElapsed(12_400), formatElapsed(125_000)]).toEqual([
      '0.8 s',
      '12 s',
      '2 min 05 s',
    ]);
  });
});
