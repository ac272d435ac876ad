/**
 * Front matter mistakes a writer makes, each reported once, in plain words, at
 * the character that is wrong: tests/fixtures/frontmatter/<case>/ holds
 * `input.md` and `expected.txt`, the exact report lines
 * (`input.md:line:column: severity message [rule]`). A memo is built only
 * when its report has no error.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { validateFrontMatter } from '../pipeline/frontmatter/validate.js';
import { compileFile } from './helpers/compile-fixture.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const root = path.join(fixtures, 'frontmatter');
const cases = readdirSync(root).sort();

describe('front matter mistakes are explained at the character that is wrong', () => {
  it.each(cases)('%s', async (name) => {
    const expected = readFileSync(path.join(root, name, 'expected.txt'), 'utf8').trimEnd();
    const { report, view } = await compileFile(path.join(root, name, 'input.md'));
    expect(report).toBe(expected);
    if (/ error /.test(expected)) expect(view).toBeUndefined();
    else expect(view?.title).toBe('Mexico');
  });

  it('gives one message for one YAML mistake, however many lines it upsets', async () => {
    for (const name of ['tab', 'indent-slip', 'unclosed-quote', 'colon-in-title']) {
      const { file } = await compileFile(path.join(root, name, 'input.md'));
      expect(file.messages).toHaveLength(1);
    }
  });
});

describe('file.data.recommendationIds', () => {
  it('lists the ids in order when other front matter fields are wrong', async () => {
    const { file } = await compileFile(path.join(root, 'did-you-mean', 'input.md'));
    expect(file.data.frontMatter).toBeUndefined();
    expect(file.data.recommendationIds).toEqual(['trade', 'staff']);
  });

  it('is absent when a YAML mistake is inside the recommendations', async () => {
    const { file } = await compileFile(path.join(root, 'indent-recommendation', 'input.md'));
    expect(file.data.recommendationIds).toBeUndefined();
  });

  it('lets the body be checked against the ids despite a bad date: two errors', async () => {
    const { file } = await compileFile(path.join(fixtures, 'rec-ids-despite-errors', 'input.md'));
    const errors = file.messages
      .filter((message) => message.fatal === true)
      .map((message) => `${message.line}:${message.column} ${message.ruleId}`);
    expect(errors).toEqual(['5:7 frontmatter-date', '14:8 rec-unknown-id']);
  });
});

describe('distribution list names from the project config', () => {
  const inherited = {
    source: 'memo.config.json',
    values: {},
    distributionLists: { 'nsc-state-dhs': ['National Security Council', 'Department of State'] },
  };
  const memo = (entry: string) =>
    `title: Border trade\nauthor: Ana Ruiz\norganization: Council\ndate: 2026-01-10\ndistribution:\n  - ${entry}\n`;

  it.each(['NSC State DHS', 'nsc-state-dhz'])('suggests the list for `%s`', (entry) => {
    const file = new VFile({ path: 'input.md' });
    validateFrontMatter(file, memo(entry), 2, { inherited });
    expect(
      file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`),
    ).toEqual([
      `7:5 \`${entry}\` is not a distribution list of memo.config.json, so it is printed as a recipient; did you mean the list \`nsc-state-dhs\`?`,
    ]);
  });

  it('takes a recipient far from every list name as a recipient', () => {
    const file = new VFile({ path: 'input.md' });
    validateFrontMatter(file, memo('Office of Management and Budget'), 2, { inherited });
    expect(file.messages).toEqual([]);
  });
});
