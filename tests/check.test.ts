/**
 * `memo check`: the exact report on fixtures (tests/fixtures/check/<case>/
 * `input.md` and `expected.txt`, the whole stderr), exit codes with and
 * without --frail, the samples clean, colours only on a terminal, and never
 * a PDF renderer loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../pipeline/cli/main.js';
import { runCli } from './helpers/cli.js';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(import.meta.dirname, 'fixtures', 'check');
const cases = (await readdir(fixtures)).sort();

describe('memo check on fixtures prints every problem at its line and column', () => {
  it.each(cases)('%s', async (name) => {
    const folder = path.join(fixtures, name);
    const expected = await readFile(path.join(folder, 'expected.txt'), 'utf8');
    const run = await runCli(['check', 'input.md'], folder);
    expect(run.stderr).toBe(expected);
    expect(run.stdout).toBe('');
    const hasError = / error /.test(expected);
    const hasWarning = / warning /.test(expected);
    expect(run.code).toBe(hasError ? 1 : 0);
    const frail = await runCli(['check', '--frail', 'input.md'], folder);
    expect(frail.code).toBe(hasError || hasWarning ? 1 : 0);
  });

  it('covers errors, warnings and a clean memo', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['clean', 'errors-and-warnings', 'recommendations']),
    );
  });
});

describe('memo build does not lint', () => {
  it('builds the headings fixture without its warnings', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'memo-check-out-'));
    const run = await runCli(
      ['build', '--format', 'html', '--out', out, 'input.md'],
      path.join(fixtures, 'headings'),
    );
    expect(run.stderr).toMatch(/^1 memo built, 0 failed in \d+(\.\d)? s\n$/);
  });
});

describe('memo check on the samples', () => {
  it('finds no problem, not even a warning, and writes nothing', async () => {
    const run = await runCli(['check', '--frail'], root);
    expect(run.stderr).toBe('6 memos checked: no problems\n');
    expect(run.code).toBe(0);
  });

  it('reports a missing path and exits 1', async () => {
    const run = await runCli(['check', 'sources/nope.md'], root);
    expect(run.stderr).toBe(
      'sources/nope.md:1:1: error no such file, or a folder with no `.md` memo in it [source-missing]\n1 error\n',
    );
    expect(run.code).toBe(1);
  });
});

describe('colours', () => {
  const runWith = async (isTTY: boolean) => {
    let stderr = '';
    const code = await main(['check', 'input.md'], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text), isTTY },
      cwd: path.join(fixtures, 'errors-and-warnings'),
      env: { PATH: process.env['PATH'] },
    });
    return { code, stderr };
  };

  it('colours severities on a terminal only', async () => {
    const terminal = await runWith(true);
    expect(terminal.stderr).toContain('\u001B[31merror\u001B[39m');
    expect(terminal.stderr).toContain('\u001B[33mwarning\u001B[39m');
    const piped = await runWith(false);
    expect(piped.stderr).not.toContain('\u001B[');
    expect(piped.code).toBe(1);
  });
});

describe('memo check never loads the PDF renderer', () => {
  // A module hook that refuses puppeteer and render/pdf: loading either fails the run.
  const blockerHook = [
    'export async function resolve(specifier, context, next) {',
    '  const result = await next(specifier, context);',
    '  if (/[\\\\/]node_modules[\\\\/]puppeteer|[\\\\/]render[\\\\/]pdf\\.(ts|js)$/.test(result.url)) {',
    "    throw new Error('blocked: ' + result.url);",
    '  }',
    '  return result;',
    '}',
  ].join('\n');

  const runBlocked = async (script: string) => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-check-'));
    await writeFile(path.join(folder, 'hook.mjs'), blockerHook);
    await writeFile(
      path.join(folder, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(folder, 'hook.mjs')).href)});\n`,
    );
    await writeFile(path.join(folder, 'run.mts'), script);
    return spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        pathToFileURL(path.join(folder, 'register.mjs')).href,
        path.join(folder, 'run.mts'),
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
  };
  const cli = pathToFileURL(path.join(root, 'pipeline', 'cli', 'main.ts')).href;

  it('checks the samples with puppeteer and render/pdf blocked', async () => {
    const run = await runBlocked(
      `import { main } from ${JSON.stringify(cli)};\nprocess.exitCode = await main(['check', 'sources']);\n`,
    );
    expect(run.stderr).toBe('6 memos checked: no problems\n');
    expect(run.status).toBe(0);
  });

  it('(the hook does block them)', async () => {
    const pdf = pathToFileURL(path.join(root, 'pipeline', 'render', 'pdf.ts')).href;
    const run = await runBlocked(`await import(${JSON.stringify(pdf)});\n`);
    expect(run.stderr).toContain('blocked:');
    expect(run.status).not.toBe(0);
  });
});
