/**
 * `memo import`: a real Word draft (made with the docx package, tests/word/draft.ts)
 * with notes, a table, a nested list, "Progress on Recommendation" headings, a
 * NEXT STEPS paragraph, an image, a comment, a tracked deletion, a text box and
 * a field → a memo that `memo check` passes but for the placeholders it names,
 * and that builds, with its notes, table and recommendations.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { png, tempDir } from '../security/harness.js';
import { wordDraft } from './draft.js';

let folder: string;
let imported: CliRun;
let memo: string;

beforeAll(async () => {
  folder = await tempDir('import');
  await writeFile(path.join(folder, 'Crossings Review (draft).docx'), await wordDraft());
  imported = await runCli(['import', 'Crossings Review (draft).docx'], folder);
  memo = await readFile(path.join(folder, 'sources', 'crossings-review-draft.md'), 'utf8');
});

describe('memo import of a Word draft', () => {
  it('writes the memo and its images, and lists what to fill in', async () => {
    expect(imported.code).toBe(0);
    expect(imported.stdout.split('\n')).toEqual([
      'created sources/crossings-review-draft.md',
      `created sources/crossings-review-draft-images${path.sep}`,
      'fill in, in sources/crossings-review-draft.md:',
      expect.stringMatching(/^ {2}- date: the draft's creation date/),
      '  - organization: “Your Organization” stands in',
      '  - summary: one or two sentences that say what the memo finds',
      '  - recommendations: the status of each (written as not-started): redesign-the-worst-crossings, publish-crossing-data',
      'then run: memo check sources/crossings-review-draft.md',
      '',
    ]);
    const image = await readFile(
      path.join(folder, 'sources', 'crossings-review-draft-images', 'image-1.png'),
    );
    expect(Buffer.compare(image, png(30, 20))).toBe(0);
  });

  it('takes the title, subtitle and authors from the document', () => {
    expect(memo).toContain('title: "Safer Crossings: Six-Month Review"\n');
    expect(memo).toContain('subtitle: Where the crossings programme stands\n');
    expect(memo).toContain('authors:\n  - Ana Ruiz\n  - Tom Lee\n');
    expect(memo).not.toMatch(/^Safer Crossings/m);
  });

  it('carries headings, emphasis, notes, the nested list, the table and the image', () => {
    expect(memo).toContain('## Summary\n');
    expect(memo).toContain(
      'Crashes at school crossings fell by a **third** in six months.[^1] Twelve crossings are done.',
    );
    expect(memo).toContain('[^1]: City crash records, January to June 2026.');
    expect(memo).toContain('[^2]: Counted by the school board in May.');
    expect(memo).toMatch(
      /- Raised crossings\n\n {2}- Near schools\n {2}- Near hospitals\n\n- New signals/,
    );
    expect(memo).toMatch(
      /\| \*\*District\*\* +\| \*\*Crossings done\*\* \|\n\| -+ \| -+ \|\n\| North +\| 7 +\|/,
    );
    expect(memo).toContain('![Crossings by district](crossings-review-draft-images/image-1.png)');
    expect(memo).toContain('The data is online at *the open data portal*.[^endnote-1]');
    expect(memo).toContain('[^endnote-1]: Data portal figures as of 30 June.');
  });

  it('recognises the recommendations and the next steps', () => {
    expect(memo).toContain('## Progress on :rec{#redesign-the-worst-crossings}\n');
    expect(memo).toContain('## Progress on :rec{#publish-crossing-data}\n');
    expect(memo).toContain(
      'recommendations:\n  - id: redesign-the-worst-crossings\n    title: Redesign the worst crossings\n    status: not-started\n  - id: publish-crossing-data\n',
    );
    expect(memo).toContain(
      ':::next-steps\nFund the remaining crossings in the autumn budget.[^2]\n:::',
    );
  });

  it('names each Word paragraph holding what it could not carry', () => {
    const warnings = imported.stderr.split('\n').filter((line) => line.includes('warning'));
    const draft = 'Crossings Review (draft).docx';
    expect(warnings).toEqual([
      `${draft}:4:1: warning Word paragraph 4 (“Crashes at school crossings fell by a th…”): a tracked deletion not yet accepted, “Eight remain.”, is left out of the memo as if accepted; put the text back if the deletion is rejected [import-not-carried]`,
      `${draft}:4:1: warning Word paragraph 4 (“Crashes at school crossings fell by a th…”): a Word comment by Editor (“Check this figure”) is not in the memo; act on it, then delete it in Word [import-not-carried]`,
      `${draft}:20:1: warning Word paragraph 20: a text box, “Boxed aside on school travel”, has no place in a memo: its text is now a paragraph of the body; move it where it belongs [import-not-carried]`,
      `${draft}:21:1: warning Word paragraph 21 (“This review has 3 pages.”): a Word field (NUMPAGES) is not carried as a field: a page number, cross-reference or date in it will not update; check the sentence [import-not-carried]`,
      `${draft}:21:1: warning Word paragraph 21 (“This review has 3 pages.”): this text did not come through to the memo; copy it in by hand [import-not-carried]`,
      '5 warnings',
    ]);
  });

  it('gives a memo that passes memo check but for the placeholders it named', async () => {
    const check = await runCli(['check', 'sources/crossings-review-draft.md'], folder);
    expect(check.code).toBe(0);
    const rules = [...check.stderr.matchAll(/ warning .* \[([a-z-]+)\]$/gm)].map(
      (match) => match[1],
    );
    expect(rules).toEqual(['placeholder-sample', 'placeholder-sample']);
    expect(check.stderr).toContain('`organization` still has the sample value “Your Organization”');
  });

  it('gives a memo that builds, with its notes, table and recommendations', async () => {
    const build = await runCli(
      ['build', 'sources/crossings-review-draft.md', '--format', 'html,docx', '-q'],
      folder,
    );
    expect(build.stderr).toContain('1 memo built, 0 failed');
    const html = await readFile(
      path.join(folder, 'out', 'crossings-review-draft', 'memo.html'),
      'utf8',
    );
    expect(html).toContain('<th><strong>District</strong></th>');
    expect(html).toMatch(/<li id="user-content-fn-1">\s*<p>City crash records/);
    expect(html).toContain('Redesign the worst crossings');
    expect(html).toMatch(/class="status status-not-started">Not started</);
    expect(html).toContain('<aside class="next-steps"');
    const docx = await readFile(path.join(folder, 'out', 'crossings-review-draft', 'memo.docx'));
    const { value } = await mammoth.convertToHtml({ buffer: docx });
    expect(value).toContain('<li id="footnote-2"><p>Counted by the school board in May.');
  });

  it('refuses to overwrite a memo, and writes nothing', async () => {
    const before = await readdir(path.join(folder, 'sources'));
    const again = await runCli(['import', 'Crossings Review (draft).docx'], folder);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'Crossings Review (draft).docx:1:1: error sources/crossings-review-draft.md already exists; edit it, or import with another --slug; nothing was imported [import-exists]',
    );
    expect(await readdir(path.join(folder, 'sources'))).toEqual(before);
    expect(await readFile(path.join(folder, 'sources', 'crossings-review-draft.md'), 'utf8')).toBe(
      memo,
    );
  });

  it('refuses a file that is not a Word document, and writes nothing', async () => {
    await writeFile(path.join(folder, 'notes.docx'), 'plain text, not a Word document');
    const run = await runCli(['import', 'notes.docx', '--slug', 'notes'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'notes.docx:1:1: error this is not a Word document (.docx) that can be read: save it from Word as “Word Document (.docx)” and import that; nothing was imported [import-unreadable]',
    );
    expect(await readdir(path.join(folder, 'sources'))).not.toContain('notes.md');
  });
});
