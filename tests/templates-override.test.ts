/**
 * Templates of one's own: a folder of templates, partials and CSS (config
 * `templatesDir` or `--templates DIR`) overrides the built-in files by name;
 * its template names become valid `template:` values. The worked example of
 * the docs is tests/fixtures/config/templates-example/.
 */
import { cp, mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHtmlRenderer } from '../pipeline/render/html.js';
import { runCli } from './helpers/cli.js';

const example = path.join(import.meta.dirname, 'fixtures', 'config', 'templates-example');

const memo = (template: string) => `---
title: A memo
author: Ana Ruiz
organization: Council
date: 2026-01-10
template: ${template}
---

## Findings

Text.
`;

/** A project with the example's template folder (and no config) plus `files`. */
async function project(files: Record<string, string> = {}): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'memo-templates-'));
  await cp(path.join(example, 'my-templates'), path.join(folder, 'my-templates'), {
    recursive: true,
  });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await writeFile(path.join(folder, name), text);
  }
  return folder;
}

describe('the worked example (config templatesDir)', () => {
  let out: string;
  const page = async (slug: string) => readFile(path.join(out, slug, 'memo.html'), 'utf8');

  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'memo-templates-out-'));
    const run = await runCli(['build', '--format', 'html', '--out', out], example);
    expect(run.stderr).toMatch(/^2 memos built, 0 failed/);
  });

  it('renders a memo with the new template, built-in partials included', async () => {
    const tree = fromHtml(await page('weekly'));
    expect(select('body', tree)?.properties['className']).toEqual(['memo', 'memo-briefing']);
    expect(toString(select('.bottom-line', tree) ?? tree)).toBe(
      'Bottom line: Waits at Fenwick Bridge fell below an hour for the first time this year.',
    );
    expect(toString(select('.byline', tree) ?? tree)).toBe(
      'Prepared by Priya Halvorsen for Department of State, Department of Transportation',
    );
    expect(selectAll('.distribution-list li', tree).map((node) => toString(node))).toEqual([
      'Department of State',
      'Department of Transportation',
    ]);
    expect(toString(select('.colophon', tree) ?? tree)).toContain('Great Lakes Policy Council');
  });

  it('replaces the masthead partial by name, in every template', async () => {
    for (const slug of ['weekly', 'assessment']) {
      const tree = fromHtml(await page(slug));
      expect(toString(select('.masthead-tagline', tree) ?? tree)).toBe(
        'Independent analysis since 1998',
      );
    }
    const builtIn = fromHtml(await page('assessment'));
    expect(select('body', builtIn)?.properties['className']).toEqual(['memo', 'memo-assessment']);
  });

  it('adds the stylesheet after the built-in one, so its rules win', async () => {
    const html = await page('assessment');
    const builtIn = html.indexOf('/* styles/memo.css */');
    const own = html.indexOf('/* my-templates/brand.css */');
    expect(builtIn).toBeGreaterThan(-1);
    expect(own).toBeGreaterThan(builtIn);
    expect(html.slice(own)).toContain('--accent: #6b1f3a;');
  });
});

describe('--templates DIR', () => {
  it('does the same from the command line, for build and check', async () => {
    const folder = await project({ 'sources/memo.md': memo('briefing') });
    const check = await runCli(['check', '--templates', 'my-templates'], folder);
    expect(check.stderr).toBe('1 memo checked: no problems\n');
    const build = await runCli(
      ['build', '--format', 'html', '--templates', 'my-templates'],
      folder,
    );
    expect(build.code).toBe(0);
    expect(await readFile(path.join(folder, 'out', 'memo', 'memo.html'), 'utf8')).toContain(
      'memo-briefing',
    );
  });

  it('lists the valid template names, with and without the folder', async () => {
    const folder = await project({ 'sources/memo.md': memo('briefing'), 'nope.md': memo('nope') });
    const without = await runCli(['check'], folder);
    expect(without.stderr).toBe(
      'sources/memo.md:6:11: error `template` must be one of assessment, memorandum; got `briefing` [frontmatter-enum]\n1 error\n',
    );
    const other = await runCli(['check', '--templates', 'my-templates', 'nope.md'], folder);
    expect(other.stderr).toBe(
      'nope.md:6:11: error `template` must be one of assessment, briefing, memorandum; got `nope` [frontmatter-enum]\n1 error\n',
    );
  });

  it('replaces a built-in stylesheet of the same name', async () => {
    const folder = await project({
      'sources/memo.md': memo('assessment'),
      'plain/memo.css': '.plain { color: black; }\n',
    });
    const build = await runCli(['build', '--format', 'html', '--templates', 'plain'], folder);
    expect(build.code).toBe(0);
    const html = await readFile(path.join(folder, 'out', 'memo', 'memo.html'), 'utf8');
    expect(html).toContain('/* plain/memo.css */\n.plain { color: black; }');
    expect(html).not.toContain('/* styles/memo.css */');
  });
});

describe('broken templates', () => {
  it('check reports a template that fails on a memo (a field the view does not have)', async () => {
    const folder = await project({
      'sources/memo.md': memo('broken'),
      'my-templates/broken.hbs': '<!doctype html><title>{{title}}</title><p>{{author}}</p>\n',
    });
    const run = await runCli(['check', '--templates', 'my-templates'], folder);
    expect(run.stderr).toBe(
      "sources/memo.md:1:1: error the template `broken` reads `author` (line 1, column 45 of it or of a partial), which memos don't have; see the data templates receive [template-render]\n1 error\n",
    );
    expect(run.code).toBe(1);
  });

  it('build stops with the file and line of a template syntax error, closing the browser it started', async () => {
    const folder = await project({
      'sources/memo.md': memo('assessment'),
      'my-templates/partials/notes.hbs': '{{#if notesHtml}}\n{{{notesHtml}}}\n',
    });
    const run = await runCli(['build', '--templates', 'my-templates'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^memo: my-templates\/partials\/notes\.hbs: Parse error on line 3:/);
  });

  it('build stops when the folder does not exist', async () => {
    const folder = await project({ 'sources/memo.md': memo('assessment') });
    const run = await runCli(['build', '--format', 'html', '--templates', 'nowhere'], folder);
    expect(run).toMatchObject({
      code: 1,
      stderr: `memo: the templates folder ${path.join(folder, 'nowhere')} does not exist\n`,
    });
  });
});

describe('createHtmlRenderer({ overridesDir })', () => {
  it('lists the template names and fingerprints the project’s files', async () => {
    const builtIn = await createHtmlRenderer();
    const own = await createHtmlRenderer({ overridesDir: path.join(example, 'my-templates') });
    expect(builtIn.templates).toEqual(['assessment', 'memorandum']);
    expect(own.templates).toEqual(['assessment', 'briefing', 'memorandum']);
    expect(own.fingerprint).not.toBe(builtIn.fingerprint);
  });
});
