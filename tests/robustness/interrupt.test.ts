/**
 * Ctrl-C during a batch (SIGINT to the build's process group, as a terminal
 * sends it): the build exits with 130, leaves no browser behind, none of
 * Chromium's temporary files, and nothing half written in the output folder (no temporary file, every PDF whole).
 * Also: an output file is replaced atomically, so even `kill -9` in the
 * middle of a write never leaves a truncated file.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../security/harness.js';
import { waitFor } from '../helpers/wait.js';
import { longMemo, smallMemo } from './memos.js';
import {
  MARKER_VARIABLE,
  completePdfPages,
  markedChromium,
  newMarker,
  noChromiumLeft,
} from './processes.js';

// The compiled command, as writers run it. Not the sources under tsx: the group's SIGINT
// also stops tsx's esbuild service, and a transform failing at that moment made the
// process exit 1 before its SIGINT handler ran (seen once under load in a full run).
const entry = path.resolve(import.meta.dirname, '..', '..', 'bin', 'memo.js');
const tsx = import.meta.resolve('tsx');

async function batch(memos: number): Promise<string> {
  const root = await tempDir('interrupt');
  await mkdir(path.join(root, 'memos'));
  for (let index = 1; index <= memos; index += 1) {
    const name = `memo-${String(index).padStart(2, '0')}.md`;
    // Some longer memos, so that the batch is busy printing when interrupted.
    await writeFile(
      path.join(root, 'memos', name),
      index % 3 === 0 ? longMemo(8, `Memo ${index}`) : await smallMemo(`Memo ${index}`),
    );
  }
  return root;
}

/**
 * Start `memo build` in its own process group, the way a shell starts a
 * foreground job, with its own temporary folder (`root/tmp`), where Chromium's
 * profile and temporary files go (browser.ts), to check that none is left.
 */
async function startBuild(root: string, marker: string, extra: readonly string[] = []) {
  await mkdir(path.join(root, 'tmp'));
  const child = spawn(
    process.execPath,
    [entry, 'build', 'memos', '--out', 'out', '--quiet', ...extra],
    {
      cwd: root,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        NO_COLOR: '1',
        TMPDIR: path.join(root, 'tmp'),
        [MARKER_VARIABLE]: marker,
      },
    },
  );
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited };
}

/** Chromium's folders (profile, temporary files) left in the build's TMPDIR. */
async function chromiumFolders(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, 'tmp'));
  return names.filter((name) => name.startsWith('memo-press-chromium-'));
}

async function allFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((item) => item.isFile())
    .map((item) => path.join(item.parentPath, item.name));
}

/** Nothing half written: no temporary file, and every memo file complete. */
async function assertOutputWhole(out: string): Promise<void> {
  const files = await allFiles(out);
  expect(files.filter((file) => /\.tmp$/.test(file))).toEqual([]);
  for (const file of files.filter((name) => name.endsWith('memo.pdf'))) {
    expect(await completePdfPages(file)).toBeGreaterThan(0);
  }
  for (const file of files.filter((name) => name.endsWith('memo.html'))) {
    expect((await readFile(file, 'utf8')).trimEnd().endsWith('</html>')).toBe(true);
  }
}

describe('Ctrl-C during a batch', () => {
  it('while memos are being printed and written: exit 130, no browser, no half-written file', async () => {
    const marker = newMarker();
    const root = await batch(16);
    const out = path.join(root, 'out');
    const { child, exited } = await startBuild(root, marker);
    await waitFor(() => existsSync(path.join(out, 'memo-01', 'memo.pdf')), {
      timeout: 180_000,
      what: 'the first memo',
    });
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    expect(await noChromiumLeft(marker)).toEqual([]);
    expect(await chromiumFolders(root)).toEqual([]);
    await assertOutputWhole(out);
    const built = (await allFiles(out)).filter((file) => file.endsWith('memo.pdf'));
    expect(built.length).toBeGreaterThan(0);
    expect(built.length).toBeLessThan(16); // it did stop
  }, 300_000);

  it('in an HTML-only build: exit 130, no half-written file', async () => {
    const marker = newMarker();
    const root = await batch(150);
    const out = path.join(root, 'out');
    const { child, exited } = await startBuild(root, marker, ['--format', 'html']);
    await waitFor(() => existsSync(path.join(out, 'memo-01', 'memo.html')), {
      timeout: 120_000,
      what: 'the first memo',
    });
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    await assertOutputWhole(out);
    const built = (await allFiles(out)).filter((file) => file.endsWith('memo.html'));
    expect(built.length).toBeLessThan(150); // it did stop
  }, 180_000);

  it('while the browser is starting: exit 130 and no browser', async () => {
    const marker = newMarker();
    const root = await batch(2);
    const { child, exited } = await startBuild(root, marker);
    await waitFor(() => markedChromium(marker).length > 0, {
      timeout: 120_000,
      what: 'Chromium to start',
    });
    process.kill(-(child.pid ?? 0), 'SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toSatisfy(
      (exit: { code: number | null; signal: string | null }) =>
        exit.code === 130 || exit.signal === 'SIGINT',
    );
    expect(await noChromiumLeft(marker)).toEqual([]);
    expect(await chromiumFolders(root)).toEqual([]);
    await assertOutputWhole(path.join(root, 'out'));
  }, 180_000);
});

describe('atomic output files', () => {
  it('never leave a truncated file, even when the writer is killed with SIGKILL mid-write', async () => {
    const root = await tempDir('atomic');
    const target = path.join(root, 'out', 'memo.pdf');
    const module = new URL('../../pipeline/io/atomic.ts', import.meta.url).href;
    // Write 8 MB versions of the file in a loop, each one uniform (all 'a', all 'b'…),
    // saying when each one is in place.
    const code = `const { writeFileAtomic } = await import(${JSON.stringify(module)});
      for (let round = 0; ; round += 1) {
        await writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(8 * 1024 * 1024, 97 + (round % 26)));
        console.log('written');
      }`;
    // Killed after 1, 2, then 3 versions are written: each time in the middle of the next one.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', code], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = once(child, 'exit');
      let written = 0;
      const enough = new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          written += chunk.toString().split('written').length - 1;
          if (written > attempt) resolve();
        }),
      );
      await Promise.race([enough, exited]);
      child.kill('SIGKILL');
      const [, signal] = await exited;
      expect(signal).toBe('SIGKILL');
      const bytes = await readFile(target);
      expect(bytes.length).toBe(8 * 1024 * 1024);
      expect(bytes.every((byte) => byte === bytes[0])).toBe(true);
    }
  }, 120_000);
});
