/**
 * Where the source of a published memo came from in git: the last commit that
 * touched the file, its path in the repository, and whether the published
 * bytes differ from that commit. Nothing here changes the repository
 * (`GIT_OPTIONAL_LOCKS=0`: `git status` does not even refresh the index).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GitInfo {
  readonly commit: string | null;
  readonly path: string;
  readonly uncommitted_changes: boolean;
}

async function git(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await run('git', [...args], {
    cwd,
    env: { ...env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    timeout: 20_000,
    maxBuffer: 1 << 20,
  });
  return stdout;
}

/** Git facts about `file`, or null when it is not inside a work tree (or git is missing). */
export async function gitInfo(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitInfo | null> {
  const folder = path.dirname(file);
  const name = path.basename(file);
  let prefix: string;
  try {
    if ((await git(['rev-parse', '--is-inside-work-tree'], folder, env)).trim() !== 'true')
      return null;
    prefix = (await git(['rev-parse', '--show-prefix'], folder, env)).trim();
  } catch {
    return null; // not a repository, or no git
  }
  // A repository without commits makes `git log` fail: the file was never committed.
  const commit = (
    await git(['log', '-1', '--format=%H', '--', name], folder, env).catch(() => '')
  ).trim();
  const status = (
    await git(['status', '--porcelain', '--untracked-files=all', '--', name], folder, env).catch(
      () => '?',
    )
  ).trim();
  return {
    commit: commit === '' ? null : commit,
    path: `${prefix}${name}`,
    uncommitted_changes: commit === '' || status !== '',
  };
}
