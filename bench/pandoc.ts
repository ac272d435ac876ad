/**
 * The peer writers compare memo-press with: Pandoc + pdflatex printing the same
 * Markdown file (its default LaTeX template, untagged PDF only, no HTML).
 *
 * Only the benchmark uses it. When `pandoc` or `pdflatex` is missing, it is
 * installed from apt where that is possible (root or password-less sudo);
 * `npm start` and the tests never install it. Each run starts in a fresh,
 * empty folder holding only the memo: pdflatex is slower in a folder with
 * many entries, and a folder with its previous run's .aux would be a warm start.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { measure } from './measure.js';
import type { Sample } from './measure.js';

/** What Pandoc's default LaTeX template needs (ulem is in texlive-plain-generic); about 360 MB. */
const PACKAGES = [
  'pandoc',
  'texlive-latex-base',
  'texlive-latex-recommended',
  'texlive-fonts-recommended',
  'texlive-plain-generic',
  'lmodern',
];

function works(command: string, args: readonly string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

function installed(): boolean {
  return works('pandoc', ['--version']) && works('pdflatex', ['--version']);
}

/** Pandoc + pdflatex are ready, installing them if needed and possible; else why not. */
export function ensurePandoc(): { ok: true } | { ok: false; why: string } {
  if (installed()) return { ok: true };
  if (!works('apt-get', ['--version']))
    return { ok: false, why: 'no pandoc/pdflatex and no apt-get' };
  const root = process.getuid?.() === 0;
  const prefix = root ? [] : ['sudo', '-n'];
  if (!root && !works('sudo', ['-n', 'true']))
    return { ok: false, why: 'no pandoc/pdflatex, and apt-get needs root' };
  process.stderr.write(`bench: installing ${PACKAGES.join(' ')} with apt-get…\n`);
  const apt = (args: string[]) =>
    spawnSync(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(root ? [] : ['apt-get']), ...args], {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (
    !apt(['update', '-q']) ||
    !apt(['install', '-y', '-q', '--no-install-recommends', ...PACKAGES])
  )
    return { ok: false, why: 'apt-get could not install pandoc and pdflatex' };
  return installed() ? { ok: true } : { ok: false, why: 'pandoc/pdflatex still missing' };
}

/** `pandoc --version`'s first line and pdflatex's, for the report. */
export function pandocVersion(): string {
  const first = (command: string) =>
    spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() ?? '?';
  return `${first('pandoc')}, ${first('pdflatex')}`;
}

/**
 * One cold Pandoc + pdflatex run on `markdown`, in a new empty folder under `work` holding
 * also `files` (a bibliography, a style), with `extra` arguments (`--citeproc`, `--toc`…).
 */
export function pandocRun(
  markdown: string,
  work: string,
  files: readonly string[] = [],
  extra: readonly string[] = [],
): () => Promise<Sample> {
  let run = 0;
  return async () => {
    run += 1;
    const folder = path.join(work, `pandoc-${path.basename(path.dirname(markdown))}-${run}`);
    await mkdir(folder);
    await copyFile(markdown, path.join(folder, 'memo.md'));
    for (const file of files) await copyFile(file, path.join(folder, path.basename(file)));
    return measure(
      'pandoc',
      ['memo.md', '--from', 'markdown', '--pdf-engine', 'pdflatex', ...extra, '-o', 'memo.pdf'],
      {},
      folder,
    );
  };
}
