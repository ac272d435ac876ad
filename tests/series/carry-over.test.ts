/**
 * Carry-over within a series, read from the sources folder (no archive): the
 * appendix says where each status came from, `withdrawn` and `status_note`
 * are printed, dropped and retitled recommendations are warnings at their
 * line and column, and the edge cases (same date, a memo moved to another
 * series, a one-memo series, a recommendation re-added after being withdrawn).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMemos } from '../../pipeline/build.js';
import { MEMO_DEFAULT_KEYS } from '../../pipeline/config/schema.js';
import { runCli } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';
import { FIRST, SECOND, THIRD, editSource, seriesProject, visibleText } from './helpers.js';

/** The visible text of the built memo; `warnings`: what the build must warn about, exactly. */
async function builtText(cwd: string, slug: string, warnings: string[] = []): Promise<string> {
  const run = await runCli(['build', '--format', 'html', `sources/${slug}.md`], cwd);
  expect(run.stderr).not.toMatch(/ error /);
  expect([...run.stderr.matchAll(/warning .* \[([a-z-]+)\]$/gm)].map((m) => m[1])).toEqual(
    warnings,
  );
  expect(run.code).toBe(0);
  return visibleText(await readFile(path.join(cwd, 'out', slug, 'memo.html'), 'utf8'));
}

describe('the appendix of a memo says where each status came from', () => {
  it('names the previous memo and its date, and prints the status note', async () => {
    const cwd = await seriesProject();
    const text = await builtText(cwd, THIRD);
    expect(text).toContain(
      'Status Achieved — was In progress in Harbor Renewal: One-Year Assessment (October 1, 2022)',
    );
    expect(text).toContain(
      'Status In progress — was Stalled in Harbor Renewal: One-Year Assessment (October 1, 2022) A mediator was appointed in March.',
    );
    expect(text).toContain(
      'Status Achieved — unchanged since Harbor Renewal: One-Year Assessment (October 1, 2022)',
    );
  });

  it('prints a withdrawn recommendation with its reason', async () => {
    const cwd = await seriesProject();
    const text = await builtText(cwd, SECOND);
    expect(text).toContain(
      'Status Withdrawn — was Not started in Harbor Renewal: The First 100 Days (January 15, 2022) The council chose a public advisory panel instead.',
    );
  });

  it('shows no history in the first memo of a series, nor in a one-memo series', async () => {
    const cwd = await seriesProject([FIRST]);
    const text = await builtText(cwd, FIRST);
    expect(text).toContain(
      'Recommendation 3 Give berthed ships shore power Status In progress Recommendation 4',
    );
    expect(text).not.toContain(' — was ');
    expect(text).not.toContain('unchanged since');
    const check = await runCli(['check', 'sources'], cwd);
    expect(check.stderr).not.toContain('series-');
  });

  it('names where a recommendation re-added after being withdrawn was last', async () => {
    const cwd = await seriesProject();
    await editSource(cwd, THIRD, {
      '---\n\n': `  - id: authority-board
    title: Add city members to the port authority board
    status: in-progress
    status_note: The advisory panel asked for seats after all.
---

:rec{#authority-board} is back on the table.

`,
    });
    const text = await builtText(cwd, THIRD);
    expect(text).toContain(
      'Status In progress — was Withdrawn in Harbor Renewal: One-Year Assessment (October 1, 2022) The advisory panel asked for seats after all.',
    );
  });
});

describe('the PDF says the same, in the memorandum template too', () => {
  it('prints the history and the note in the appendix', async () => {
    const cwd = await seriesProject();
    await editSource(cwd, THIRD, {
      'series: harbor-renewal': 'series: harbor-renewal\ntemplate: memorandum',
    });
    const run = await runCli(['build', '--format', 'pdf', `sources/${THIRD}.md`], cwd);
    expect(run.code).toBe(0);
    const pdf = new Uint8Array(await readFile(path.join(cwd, 'out', THIRD, 'memo.pdf')));
    const text = (await pageTexts(pdf)).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('was Stalled in Harbor Renewal: One-Year Assessment (October 1, 2022)');
    expect(text).toContain('A mediator was appointed in March.');
  });
});

describe('memo check warns about what a memo lost since the previous one', () => {
  it('a dropped recommendation, and a changed title naming both titles', async () => {
    const cwd = await seriesProject();
    await editSource(cwd, THIRD, {
      "  - id: union-talks\n    title: Open talks with the dockworkers' union\n    status: in-progress\n    status_note: A mediator was appointed in March.\n":
        '',
      'title: Deepen the main shipping channel': 'title: Deepen and widen the shipping channel',
      'Progress on :rec{#union-talks}': 'Labor',
    });
    const run = await runCli(['check', `sources/${THIRD}.md`], cwd);
    expect(run.stderr).toContain(
      `sources/${THIRD}.md:8:1: warning recommendation \`union-talks\` (“Open talks with the dockworkers' union”) was in the 2022-10-01 memo of the series, “Harbor Renewal: One-Year Assessment”; keep it, or list it with \`status: withdrawn\` and a \`status_note\` giving the reason [series-dropped]`,
    );
    expect(run.stderr).toContain(
      `sources/${THIRD}.md:10:5: warning recommendation \`dredge-channel\` is titled “Deepen and widen the shipping channel” here but “Deepen the main shipping channel” in the 2022-10-01 memo of the series; keep the title, or give the changed recommendation a new id [series-retitled]`,
    );
    expect(run.code).toBe(0);
  });

  it('no warning for a recommendation the previous memo withdrew', async () => {
    const cwd = await seriesProject();
    const run = await runCli(['check', `sources/${THIRD}.md`], cwd);
    expect(run.stderr).toBe('1 memo checked: no problems\n');
  });
});

describe('the build cache knows the series', () => {
  it('rebuilds the later memos of a series when an earlier one changes, and only them', async () => {
    const cwd = await seriesProject();
    const built = async () =>
      (await buildMemos(['sources'], { outDir: 'out', format: 'html', cwd })).memos
        .filter((memo) => memo.ok && memo.cached !== true)
        .map((memo) => memo.slug)
        .sort();
    expect(await built()).toEqual([THIRD, FIRST, SECOND].sort());
    expect(await built()).toEqual([]);
    await editSource(cwd, SECOND, { 'status: stalled': 'status: not-started' });
    expect(await built()).toEqual([THIRD, SECOND].sort());
    const text = visibleText(await readFile(path.join(cwd, 'out', THIRD, 'memo.html'), 'utf8'));
    expect(text).toContain('Status In progress — was Not started in Harbor Renewal: One-Year');
  });
});

describe('edge cases', () => {
  it('two memos of the same date are not each other’s previous memo', async () => {
    const cwd = await seriesProject();
    await editSource(cwd, THIRD, { 'date: 2023-07-01': 'date: 2022-10-01' });
    // `authority-board`, not started in the first memo, is missing: the one-year memo's withdrawal does not count.
    const text = await builtText(cwd, THIRD, ['series-dropped']);
    // Both compare with the memo dated before them, the first one.
    expect(text).toContain(
      'Status Achieved — was Not started in Harbor Renewal: The First 100 Days (January 15, 2022)',
    );
    expect(text).not.toContain('One-Year Assessment (October 1, 2022)');
  });

  it('a memo moved to another series no longer counts in the old one', async () => {
    const cwd = await seriesProject();
    await editSource(cwd, SECOND, { 'series: harbor-renewal': 'series: harbor-labor' });
    const run = await runCli(['check', `sources/${THIRD}.md`], cwd);
    // The previous memo is now the first one, which listed `authority-board` as not started.
    expect(run.stderr).toContain(
      'warning recommendation `authority-board` (“Add city members to the port authority board”) was in the 2022-01-15 memo of the series, “Harbor Renewal: The First 100 Days”',
    );
    const text = await builtText(cwd, THIRD, ['series-dropped']);
    expect(text).toContain(
      'Status In progress — was Not started in Harbor Renewal: The First 100 Days (January 15, 2022)',
    );
  });

  it('a memo names its own series: the config gives no default for it', () => {
    // memo build reads only the series its memos' front matter names (build.ts, seriesNamed).
    expect(MEMO_DEFAULT_KEYS).not.toContain('series');
  });

  it('a series name spelled with a YAML escape is the same series', async () => {
    const cwd = await seriesProject();
    // Only the memos that may name the built memos' series are read: an escape must not hide one.
    await editSource(cwd, SECOND, { 'series: harbor-renewal': 'series: "harbor\\x2Drenewal"' });
    const text = await builtText(cwd, THIRD);
    expect(text).toContain(
      'Status Achieved — was In progress in Harbor Renewal: One-Year Assessment (October 1, 2022)',
    );
    await editSource(cwd, THIRD, { 'series: harbor-renewal': "series: 'harbor-renewal'" });
    await editSource(cwd, SECOND, { 'series: "harbor\\x2Drenewal"': 'series: harbor-renewal' });
    await editSource(cwd, FIRST, { 'series: harbor-renewal': 'series: "harbor\\u002drenewal"' });
    expect(await builtText(cwd, SECOND)).toContain(
      'Status Withdrawn — was Not started in Harbor Renewal: The First 100 Days (January 15, 2022)',
    );
  });

  it('an older memo compares only with the memos dated before it', async () => {
    const cwd = await seriesProject();
    const text = await builtText(cwd, FIRST);
    expect(text).not.toContain(' — was ');
    const check = await runCli(['check', `sources/${FIRST}.md`], cwd);
    expect(check.stderr).toBe('1 memo checked: no problems\n');
  });
});
