/**
 * Shared by the archive tests: temporary folders, child-process runs of the
 * CLI (for signals, kill -9 and real concurrency), and reading an archive back.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { manifestSchema } from '../../pipeline/archive/manifest.js';
import type { Manifest } from '../../pipeline/archive/manifest.js';
import { runCli } from '../helpers/cli.js';

export const root = path.resolve(import.meta.dirname, '..', '..');
export const fixtures = path.join(root, 'tests', 'fixtures', 'archive');
/** The compiled CLI (tests/global-setup.ts compiles it first): a child starts in a fraction of tsx's time. */
const entry = path.join(root, 'bin', 'memo.js');

/**
 * Publish without waiting for the machine's browser slots: the tests of this
 * folder must not queue behind the 20 publishes of the concurrency test when
 * vitest runs them side by side (that test exercises the slots).
 */
export const ownBrowser = { MEMO_BROWSER_SLOTS: '0' } as const;

export function temporaryFolder(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `memo-archive-${prefix}-`));
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Start `memo <args…>` in a child process (cwd = the repository root). */
export function startMemo(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; done: Promise<ChildRun> } {
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<ChildRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runMemo(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  return startMemo(args, env).done;
}

export const sha256 = (bytes: Uint8Array | string) =>
  createHash('sha256').update(bytes).digest('hex');

export async function readManifestFile(folder: string): Promise<Manifest> {
  return manifestSchema.parse(
    JSON.parse(await readFile(path.join(folder, 'manifest.json'), 'utf8')),
  );
}

/** The entries of a memo's archive folder, sorted. */
export async function entriesOf(folder: string): Promise<string[]> {
  return (await readdir(folder)).sort();
}

/** A fixture memo with `marker` added as a paragraph at the end of its body. */
export async function fixtureWith(
  name: string,
  marker: string,
  replacements: Record<string, string> = {},
): Promise<string> {
  let text = await readFile(path.join(fixtures, name), 'utf8');
  for (const [from, to] of Object.entries(replacements)) text = text.replace(from, to);
  return text.replace(/\n\[\^talks\]/, `\n${marker}\n\n[^talks]`);
}

/**
 * A real archive of `drought` with two published versions, in a new folder
 * (`work`), with fresh copies of it to damage and `memo verify` on them.
 */
export interface TwoVersionArchive {
  readonly work: string;
  readonly pristine: string;
  copy(name: string): Promise<string>;
  verify(archive: string): ReturnType<typeof runCli>;
}

export async function twoVersionArchive(prefix: string): Promise<TwoVersionArchive> {
  const work = await temporaryFolder(prefix);
  const pristine = path.join(work, 'archive');
  const texts = [
    await readFile(path.join(fixtures, 'v1.md'), 'utf8'),
    await fixtureWith('v1.md', 'A paragraph added in the second version.'),
  ];
  for (const text of texts) {
    await writeFile(path.join(work, 'drought.md'), text);
    const published = await runCli(['publish', 'drought.md'], work, ownBrowser);
    if (published.code !== 0) throw new Error(published.stderr);
  }
  return {
    work,
    pristine,
    async copy(name) {
      const target = path.join(work, name);
      await cp(pristine, target, { recursive: true });
      return target;
    },
    verify: (archive) => runCli(['verify', '--archive', path.basename(archive)], work),
  };
}
