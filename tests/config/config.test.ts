/**
 * The project config: errors at the key (fixtures: tests/fixtures/config/<case>/,
 * a config, maybe memos in sources/, and `expected.txt`, the stderr of
 * `memo check` there), what memos inherit, .ts/.js configs, and where the
 * config is looked for.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../pipeline/config/index.js';
import { runCli } from '../helpers/cli.js';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'config');
const cases = (await readdir(fixtures)).sort();

const MEMO = (extra = '') => `---
title: A memo
author: Ana Ruiz
date: 2026-01-10
${extra}---

## Findings

Text.
`;

async function project(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'memo-config-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), text);
  }
  return folder;
}

describe('memo check with a project config (fixtures)', () => {
  it.each(cases)('%s', async (name) => {
    const folder = path.join(fixtures, name);
    const expected = await readFile(path.join(folder, 'expected.txt'), 'utf8');
    const run = await runCli(['check'], folder);
    expect(run.stderr).toBe(expected);
    expect(run.code).toBe(/ error /.test(expected) ? 1 : 0);
  });
});

describe('what a memo inherits', () => {
  it('builds with the config’s organization, program, classification and paper, and expands distribution lists', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'memo-config-out-'));
    const run = await runCli(
      ['build', 'sources/inherits.md', '--format', 'html', '--out', out],
      path.join(fixtures, 'inherit'),
    );
    expect(run.code).toBe(0);
    const html = await readFile(path.join(out, 'inherits', 'memo.html'), 'utf8');
    const tree = fromHtml(html);
    expect(toString(select('.masthead', tree) ?? tree)).toContain('Great Lakes Policy Council');
    expect(toString(select('.masthead', tree) ?? tree)).toContain('Trade and Mobility Program');
    expect(toString(select('.classification', tree) ?? tree)).toContain('DRAFT — PREDECISIONAL');
    expect(html).toMatch(/size:\s*A4/);
    const recipients = selectAll('#distribution ~ ul li, .distribution li', tree).map((node) =>
      toString(node),
    );
    expect(recipients).toEqual([
      'National Security Council',
      'Department of State',
      'Department of Homeland Security',
      'Office of Management and Budget',
      'nsc-state-dhz',
    ]);
  });

  it('lets a memo override an inherited value', async () => {
    const folder = await project({
      'memo.config.json': '{ "organization": "Config Council", "paper": "a4" }',
      'sources/memo.md': MEMO('organization: Memo Council\npaper: letter\n'),
    });
    const run = await runCli(['build', '--format', 'html'], folder);
    expect(run.code).toBe(0);
    const html = await readFile(path.join(folder, 'out', 'memo', 'memo.html'), 'utf8');
    expect(html).toContain('Memo Council');
    expect(html).not.toContain('Config Council');
    expect(html).toMatch(/size:\s*letter/);
  });

  it('takes the contents defaults from the config (JSON booleans and numbers), which a memo overrides', async () => {
    const folder = await project({
      'memo.config.json':
        '{ "organization": "Config Council", "toc": true, "toc_depth": 1, "end_matter": "notes-first" }',
      'sources/memo.md': `${MEMO()}\n### Detail\n\nMore.\n`,
      'sources/other.md': MEMO('toc: false\n'),
    });
    const run = await runCli(['build', '--format', 'html'], folder);
    expect(run.stderr).not.toMatch(/warning|error/);
    expect(run.code).toBe(0);
    const html = await readFile(path.join(folder, 'out', 'memo', 'memo.html'), 'utf8');
    const links = selectAll('nav.memo-contents a', fromHtml(html)).map((node) => toString(node));
    expect(links).toEqual(['Findings']);
    const other = await readFile(path.join(folder, 'out', 'other', 'memo.html'), 'utf8');
    expect(selectAll('nav.memo-contents', fromHtml(other))).toEqual([]);
  });

  it('still requires the organization when the config has none', async () => {
    const folder = await project({
      'memo.config.json': '{ "program": "A Program" }',
      'sources/memo.md': MEMO(),
    });
    const run = await runCli(['check'], folder);
    expect(run.stderr).toBe(
      'sources/memo.md:2:1: error missing required field `organization` [frontmatter-required]\n1 error\n',
    );
  });
});

describe('config files', () => {
  it('reports a syntax error of a .ts config at its line and column', async () => {
    const folder = await project({
      'memo.config.ts': "export default {\n  organization: 'A' 'B',\n};\n",
      'sources/memo.md': MEMO(),
    });
    const run = await runCli(['check'], folder);
    expect(run.stderr).toMatch(
      /^memo\.config\.ts:2:21: error the config could not be loaded: Expected "}" but found "'B'" \[config-load\]\n1 error\n$/,
    );
    expect(run.code).toBe(1);
  });

  it('reports a config that throws, or has no default export', async () => {
    const throwing = await project({ 'memo.config.js': "throw new Error('no network here');\n" });
    expect((await runCli(['check'], throwing)).stderr).toBe(
      'memo.config.js:1:1: error the config could not be loaded: no network here [config-load]\n1 error\n',
    );
    // (In a CommonJS folder, Node would hand the named exports over as the default.)
    const named = await project({
      'package.json': '{ "type": "module" }',
      'memo.config.js': "export const organization = 'A';\n",
    });
    expect((await runCli(['check'], named)).stderr).toBe(
      "memo.config.js:1:1: error memo.config.js must `export default` the config, as in `export default defineConfig({ organization: '…' })` [config-load]\n1 error\n",
    );
  });

  it('loads a .ts or .js config with `export default` in a folder without "type": "module"', async () => {
    for (const name of ['memo.config.ts', 'memo.config.js']) {
      const folder = await project({
        [name]: "export default { organization: 'Lakes Council' };\n",
        'sources/memo.md': MEMO(),
      });
      const loaded = await loadProjectConfig(folder);
      expect(loaded.file?.messages ?? []).toEqual([]);
      expect(loaded.config?.organization).toBe('Lakes Council');
    }
  });

  it('refuses two config files at once, and a --config that does not exist', async () => {
    const both = await project({
      'memo.config.json': '{}',
      'memo.config.js': 'export default {};\n',
    });
    const run = await runCli(['check'], both);
    expect(run.stderr).toBe(
      'memo.config.js:1:1: error two config files, `memo.config.json` and `memo.config.js`: keep one [config-ambiguous]\n1 error\n',
    );
    expect(run.code).toBe(1);
    const missing = await runCli(['check', '--config', 'nope.json'], both);
    expect(missing.stderr).toBe(
      'nope.json:1:1: error no such config file; expected one of memo.config.json, memo.config.ts, memo.config.js [config-missing]\n1 error\n',
    );
    expect(missing.code).toBe(1);
  });

  it('takes --config FILE, with folders relative to the config file', async () => {
    const folder = await project({
      'setup/memo.config.json':
        '{ "organization": "C", "sourcesDir": "../memos", "outDir": "../site" }',
      'memos/first.md': MEMO(),
    });
    const run = await runCli(
      ['build', '--config', 'setup/memo.config.json', '--format', 'html'],
      folder,
    );
    expect(run.stderr).toContain('1 memo built, 0 failed');
    expect(existsSync(path.join(folder, 'site', 'first', 'memo.html'))).toBe(true);
    const created = await runCli(['new', 'second', '--config', 'setup/memo.config.json'], folder);
    expect(created.code).toBe(0);
    expect(existsSync(path.join(folder, 'memos', 'second.md'))).toBe(true);
  });

  it('loadProjectConfig: an empty config without a file, absolute folders with one', async () => {
    const none = await loadProjectConfig(await project({}));
    expect(none).toEqual({ config: { distributionLists: {}, file: null }, file: undefined });
    const folder = await project({
      'memo.config.json': '{ "archiveDir": "archive", "templatesDir": "my-templates" }',
    });
    const loaded = await loadProjectConfig(folder);
    expect(loaded.config).toEqual({
      archiveDir: path.join(folder, 'archive'),
      templatesDir: path.join(folder, 'my-templates'),
      distributionLists: {},
      file: 'memo.config.json',
    });
    expect(loaded.file?.messages).toEqual([]);
  });

  it('loads a .ts config that imports defineConfig from memo-press/config (copied fixture)', async () => {
    // Inside the package, `memo-press/config` resolves through package.json `exports`.
    const folder = path.join(fixtures, 'ts-config');
    const loaded = await loadProjectConfig(folder);
    expect(loaded.config?.organization).toBe('Great Lakes Policy Council');
    expect(loaded.config?.distributionLists).toEqual({
      cabinet: ['Department of State', 'Department of the Treasury'],
    });
    const copy = await mkdtemp(path.join(tmpdir(), 'memo-config-ts-'));
    await cp(folder, copy, { recursive: true });
    const outside = await loadProjectConfig(copy);
    // Outside the package (no node_modules/memo-press) the import cannot resolve: a clear error, not a crash.
    expect(outside.config).toBeUndefined();
    expect(outside.file?.messages[0]?.ruleId).toBe('config-load');
  });
});
