/**
 * `memo new`: a commented skeleton that builds (HTML and PDF), with today's
 * date and the config's defaults, whose sample values are placeholders that
 * `memo check` warns about until replaced; never overwrites; rejects a slug
 * that is not one.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localDate } from '../pipeline/config/new-memo.js';
import { SAMPLE, SAMPLE_VALUES } from '../pipeline/placeholders.js';
import { FRONT_MATTER_KEYS } from '../pipeline/frontmatter/schema.js';
import { runCli } from './helpers/cli.js';
import { pageTexts } from './helpers/pdf.js';

const frontMatterOf = (text: string) => text.split(/^---$/m)[1] ?? '';

describe('memo new', () => {
  it('writes both skeletons, which build to HTML and PDF', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    const before = localDate();
    const first = await runCli(['new', 'border-trade'], folder);
    const second = await runCli(['new', 'port-briefing', '--template', 'memorandum'], folder);
    const after = localDate();
    expect(first).toEqual({
      code: 0,
      stdout:
        'created sources/border-trade.md\nedit it, then run: memo check sources/border-trade.md\n',
      stderr: '',
    });
    expect(second.code).toBe(0);

    const check = await runCli(['check'], folder);
    expect(check.code).toBe(0);
    expect(check.stderr).toMatch(/\n32 warnings\n$/);
    for (const line of check.stderr.split('\n').slice(0, -2))
      expect(line).toMatch(/^sources\/[\w-]+\.md:\d+:\d+: warning .* \[placeholder-sample\]$/);
    expect((await runCli(['check', '--frail'], folder)).code).toBe(1);

    const text = await readFile(path.join(folder, 'sources', 'border-trade.md'), 'utf8');
    const fields = parse(frontMatterOf(text)) as Record<string, unknown>;
    expect([before, after]).toContain(fields['date']);
    expect(fields).toMatchObject({
      title: 'Border Trade',
      template: 'assessment',
      organization: SAMPLE.organization,
    });
    const memo = parse(
      frontMatterOf(await readFile(path.join(folder, 'sources', 'port-briefing.md'), 'utf8')),
    ) as Record<string, unknown>;
    expect(memo).toMatchObject({ title: 'Port Briefing', template: 'memorandum' });

    const build = await runCli(['build'], folder);
    expect(build.stderr).toMatch(/(^|\n)2 memos built, 0 failed in /);
    expect(build.code).toBe(0);
    const pages = await pageTexts(
      new Uint8Array(await readFile(path.join(folder, 'out', 'port-briefing', 'memo.pdf'))),
    );
    expect(pages.join(' ')).toContain('MEMORANDUM');
    const html = fromHtml(
      await readFile(path.join(folder, 'out', 'border-trade', 'memo.html'), 'utf8'),
    );
    expect(toString(select('h1', html) ?? html)).toBe('Border Trade');
    expect(selectAll('a.rec-ref', html).length).toBeGreaterThan(1);
  });

  it('reports every sample value it writes, and nothing else once they are replaced', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    await runCli(['new', 'one'], folder);
    await runCli(['new', 'two', '--template', 'memorandum'], folder);
    const texts = await Promise.all(
      ['one', 'two'].map((slug) => readFile(path.join(folder, 'sources', `${slug}.md`), 'utf8')),
    );
    // Every sample value is used by a skeleton, and every one used is reported.
    const check = (await runCli(['check'], folder)).stderr;
    for (const value of SAMPLE_VALUES) {
      expect(texts.join('\n'), value).toContain(value);
      expect(check, value).toContain(`“${value}”`);
    }
    for (const [index, slug] of ['one', 'two'].entries()) {
      let own = texts[index] ?? '';
      SAMPLE_VALUES.forEach((value, number) => (own = own.replaceAll(value, `own-text-${number}`)));
      await writeFile(path.join(folder, 'sources', `${slug}.md`), own);
    }
    const clean = await runCli(['check', '--frail'], folder);
    expect(clean.stderr).toBe('2 memos checked: no problems\n');
    expect(clean.code).toBe(0);
  });

  it('fills every front matter field, each under a comment that explains it', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    await runCli(['new', 'every-field'], folder);
    const lines = frontMatterOf(
      await readFile(path.join(folder, 'sources', 'every-field.md'), 'utf8'),
    ).split('\n');
    // A field that names a file (`bibliography`) is shown commented out, ready to enable.
    const present = FRONT_MATTER_KEYS.filter((key) =>
      lines.some((line) => line.startsWith(`${key}:`) || line.startsWith(`# ${key}:`)),
    );
    // `author` and `authors` are alternatives: the skeleton shows one and names the other.
    expect([...present, 'author'].sort()).toEqual([...FRONT_MATTER_KEYS].sort());
    for (const key of present) {
      const index = lines.findIndex(
        (line) => line.startsWith(`${key}:`) || line.startsWith(`# ${key}:`),
      );
      expect(lines[index - 1], `comment above ${key}`).toMatch(/^#/);
    }
  });

  it('takes the organization, program, template, paper, classification, language and lists from the config', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    await writeFile(
      path.join(folder, 'memo.config.json'),
      JSON.stringify({
        organization: 'North & South: Council #1',
        program: "The 'Border' Program",
        template: 'memorandum',
        paper: 'a4',
        classification: 'DRAFT — PREDECISIONAL',
        lang: 'en-GB',
        distributionLists: { cabinet: ['Department of State', 'Department of the Treasury'] },
      }),
    );
    expect((await runCli(['new', 'from-config'], folder)).code).toBe(0);
    const text = await readFile(path.join(folder, 'sources', 'from-config.md'), 'utf8');
    expect(text).toContain(
      '# A list name from memo.config.json (cabinet) expands to its recipients.',
    );
    expect(parse(frontMatterOf(text))).toMatchObject({
      organization: 'North & South: Council #1',
      program: "The 'Border' Program",
      template: 'memorandum',
      paper: 'a4',
      classification: 'DRAFT — PREDECISIONAL',
      lang: 'en-GB',
      distribution: ['cabinet', 'Office of Management and Budget'],
      author: 'Jane Doe',
    });
    const build = await runCli(['build', '--format', 'html'], folder);
    expect(build.code).toBe(0);
    const html = fromHtml(
      await readFile(path.join(folder, 'out', 'from-config', 'memo.html'), 'utf8'),
    );
    expect(selectAll('.memo-recipients li', html).map((node) => toString(node))).toEqual([
      'Department of State',
      'Department of the Treasury',
      'Office of Management and Budget',
    ]);
  });

  it('refuses to overwrite an existing file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    await runCli(['new', 'taken'], folder);
    const target = path.join(folder, 'sources', 'taken.md');
    await writeFile(target, 'my work');
    const again = await runCli(['new', 'taken', '--template', 'memorandum'], folder);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'memo new: sources/taken.md already exists; edit it, or choose another slug (nothing was written)\n',
    });
    expect(await readFile(target, 'utf8')).toBe('my work');
  });

  it.each([
    ['Border Trade', ' such as `border-trade`'],
    ['border-trade.md', ' such as `border-trade`'],
    ['border--trade', ' such as `border-trade`'],
    ['../escape', ' such as `escape`'],
    ['_', ''],
  ])('rejects the slug %j', async (slug, suggestion) => {
    const folder = await mkdtemp(path.join(tmpdir(), 'memo-new-'));
    const run = await runCli(['new', slug], folder);
    expect(run.stderr).toBe(
      `memo new: \`${slug}\` is not a slug: use lowercase letters, digits and single hyphens${suggestion}; it names the file and the output folder\n`,
    );
    expect(run.code).toBe(2);
    expect(existsSync(path.join(folder, 'sources'))).toBe(false);
  });
});
