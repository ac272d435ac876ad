/**
 * A series in the archive: three memos published in order, the third's
 * appendix, `memo series` in text, JSON and CSV, tracker.json exactly, the
 * series page and its link from the index, `memo verify` (passing, and
 * failing on an edited tracker.json), and the archive's edge cases:
 * republishing an older memo, a memo moved to another series, a memo named
 * `series`.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ownBrowser, runMemo, temporaryFolder } from '../archive/helpers.js';
import { runCli } from '../helpers/cli.js';
import { FIRST, SECOND, THIRD, seriesFixtures, visibleText } from './helpers.js';

const SERIES = 'harbor-renewal';

interface Project {
  readonly cwd: string;
  readonly archive: string;
  readonly sources: string;
}

async function project(): Promise<Project> {
  const cwd = await temporaryFolder('series');
  const sources = path.join(cwd, 'sources');
  await mkdir(sources);
  for (const slug of [FIRST, SECOND, THIRD])
    await copyFile(path.join(seriesFixtures, `${slug}.md`), path.join(sources, `${slug}.md`));
  return { cwd, sources, archive: path.join(cwd, 'archive') };
}

async function publish(p: Project, slug: string, ...extra: string[]) {
  const run = await runMemo(
    ['publish', path.join(p.sources, `${slug}.md`), '--archive', p.archive, ...extra],
    ownBrowser,
  );
  expect(run.stderr).not.toMatch(/ error /);
  expect(run.code).toBe(0);
  return run;
}

const seriesFile = (p: Project, name: string) =>
  readFile(path.join(p.archive, 'series', SERIES, name), 'utf8');

const EXPECTED_TRACKER = {
  series: SERIES,
  memos: [
    { slug: FIRST, version: 1, date: '2022-01-15', title: 'Harbor Renewal: The First 100 Days' },
    { slug: SECOND, version: 1, date: '2022-10-01', title: 'Harbor Renewal: One-Year Assessment' },
    { slug: THIRD, version: 1, date: '2023-07-01', title: 'Harbor Renewal: 18-Month Assessment' },
  ],
  recommendations: [
    {
      id: 'dredge-channel',
      title: 'Deepen the main shipping channel',
      statuses: ['not-started', 'in-progress', 'achieved'],
    },
    {
      id: 'union-talks',
      title: "Open talks with the dockworkers' union",
      statuses: ['not-started', 'stalled', 'in-progress'],
    },
    {
      id: 'shore-power',
      title: 'Give berthed ships shore power',
      statuses: ['in-progress', 'achieved', 'achieved'],
    },
    {
      id: 'authority-board',
      title: 'Add city members to the port authority board',
      statuses: ['not-started', 'withdrawn', null],
    },
  ],
};

describe('three memos of a series published in order', () => {
  let p: Project;
  beforeAll(async () => {
    p = await project();
    for (const slug of [FIRST, SECOND, THIRD]) await publish(p, slug);
  }, 120_000);

  it("the third memo's appendix says where each status came from", async () => {
    const html = await readFile(path.join(p.archive, THIRD, 'v1', 'memo.html'), 'utf8');
    const text = visibleText(html);
    expect(text).toContain(
      'Status In progress — was Stalled in Harbor Renewal: One-Year Assessment (October 1, 2022) A mediator was appointed in March.',
    );
    expect(text).toContain(
      'Status Achieved — was In progress in Harbor Renewal: One-Year Assessment (October 1, 2022)',
    );
  });

  it('tracker.json is the matrix, memos in date order', async () => {
    expect(JSON.parse(await seriesFile(p, 'tracker.json'))).toEqual(EXPECTED_TRACKER);
  });

  it('tracker.csv is the same matrix', async () => {
    expect(await seriesFile(p, 'tracker.csv')).toBe(
      [
        `id,title,2022-01-15 ${FIRST} v1,2022-10-01 ${SECOND} v1,2023-07-01 ${THIRD} v1`,
        'dredge-channel,Deepen the main shipping channel,not-started,in-progress,achieved',
        "union-talks,Open talks with the dockworkers' union,not-started,stalled,in-progress",
        'shore-power,Give berthed ships shore power,in-progress,achieved,achieved',
        'authority-board,Add city members to the port authority board,not-started,withdrawn,',
        '',
      ].join('\r\n'),
    );
  });

  it('memo series prints the matrix as text, JSON and CSV', async () => {
    const text = await runCli(['series', SERIES], p.cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'harbor-renewal: 3 memos, 4 recommendations',
        `  [1] 2022-01-15 ${FIRST} v1: Harbor Renewal: The First 100 Days`,
        `  [2] 2022-10-01 ${SECOND} v1: Harbor Renewal: One-Year Assessment`,
        `  [3] 2023-07-01 ${THIRD} v1: Harbor Renewal: 18-Month Assessment`,
        '',
        'id               title                                    [1]          [2]          [3]',
        'dredge-channel   Deepen the main shipping channel         not-started  in-progress  achieved',
        "union-talks      Open talks with the dockworkers' union   not-started  stalled      in-progress",
        'shore-power      Give berthed ships shore power           in-progress  achieved     achieved',
        'authority-board  Add city members to the port authority…  not-started  withdrawn    -',
        '',
      ].join('\n'),
    );
    const json = await runCli(['series', '--archive', p.archive, '--format', 'json'], p.cwd);
    expect(JSON.parse(json.stdout)).toEqual(EXPECTED_TRACKER);
    const csv = await runCli(['series', SERIES, '--format', 'csv'], p.cwd);
    expect(csv.stdout).toBe(await seriesFile(p, 'tracker.csv'));
  });

  it('memo series names the series there are when asked for another', async () => {
    const run = await runCli(['series', 'harbour-renewal'], p.cwd);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^archive:1:1: error no published memo \(nor memo of sources\) has `series: harbour-renewal`; the series there are: harbor-renewal \[series-unknown\]/,
    );
  });

  it('the series page shows the matrix, the chart with its text, links to every memo; the index links to it', async () => {
    const page = await seriesFile(p, 'index.html');
    expect(page).not.toMatch(/<script|(?:src|href)="https?:/i);
    expect(page).toContain('<svg xmlns="http://www.w3.org/2000/svg" role="img"');
    const text = visibleText(page);
    expect(text).toContain(
      'Memo 1 (2022-01-15): 3 not started, 1 in progress. Memo 2 (2022-10-01): 1 in progress, 1 stalled, 1 achieved, 1 withdrawn. Memo 3 (2023-07-01): 1 in progress, 2 achieved.',
    );
    expect(text).toContain(
      'Add city members to the port authority board authority-board Not started Withdrawn — not listed',
    );
    for (const slug of [FIRST, SECOND, THIRD])
      expect(page).toContain(`href="../../${slug}/v1/memo.html"`);
    const index = await readFile(path.join(p.archive, 'index.html'), 'utf8');
    expect(index).toContain(`<a href="series/${SERIES}/index.html">${SERIES}</a>`);
  });

  it('memo verify passes, and fails when tracker.json is edited by hand', async () => {
    const passed = await runMemo(['verify', '--archive', p.archive]);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    const file = path.join(p.archive, 'series', SERIES, 'tracker.json');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('"withdrawn"', '"achieved"'));
    try {
      const failed = await runMemo(['verify', '--archive', p.archive]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(
        `${path.relative(path.resolve(import.meta.dirname, '..', '..'), file)}:1:1: error differs from the one rebuilt from versions.json and the manifests`,
      );
      expect(failed.stderr).toContain('[archive-index]');
    } finally {
      await writeFile(file, original);
    }
    await writeFile(path.join(p.archive, 'series', SERIES, 'notes.txt'), 'mine');
    const unexpected = await runMemo(['verify', '--archive', p.archive]);
    expect(unexpected.code).toBe(1);
    expect(unexpected.stderr).toContain(
      'notes.txt:1:1: error is not part of the archive (a file): a series folder holds only index.html, tracker.json, tracker.csv [archive-unexpected]',
    );
  });
});

describe('edge cases in the archive', () => {
  it('republishing an older memo replaces its column and keeps the later memos', async () => {
    const p = await project();
    for (const slug of [FIRST, SECOND, THIRD]) await publish(p, slug);
    const source = path.join(p.sources, `${FIRST}.md`);
    const text = await readFile(source, 'utf8');
    await writeFile(
      source,
      text
        .replace('    status: in-progress\n', '    status: stalled\n')
        .replace('date: 2022-01-15', 'date: 2022-01-14'),
    );
    await publish(p, FIRST, '--force', 'corrected the shore power status and the date');
    const tracker = JSON.parse(await seriesFile(p, 'tracker.json')) as typeof EXPECTED_TRACKER;
    expect(tracker.memos.map((memo) => `${memo.slug} v${memo.version} ${memo.date}`)).toEqual([
      `${FIRST} v2 2022-01-14`,
      `${SECOND} v1 2022-10-01`,
      `${THIRD} v1 2023-07-01`,
    ]);
    expect(tracker.recommendations[2]?.statuses).toEqual(['stalled', 'achieved', 'achieved']);
    const page = visibleText(await seriesFile(p, 'index.html'));
    expect(page).toContain(
      'January 14, 2022 : Harbor Renewal: The First 100 Days (version 2; PDF ; earlier versions: v1 )',
    );
    expect((await runMemo(['verify', '--archive', p.archive])).code).toBe(0);
  }, 120_000);

  it('a memo moved to another series leaves the first and starts its own page', async () => {
    const p = await project();
    for (const slug of [FIRST, SECOND]) await publish(p, slug);
    const source = path.join(p.sources, `${SECOND}.md`);
    await writeFile(
      source,
      (await readFile(source, 'utf8')).replace(`series: ${SERIES}`, 'series: harbor-labor'),
    );
    await publish(p, SECOND);
    const renewal = JSON.parse(await seriesFile(p, 'tracker.json')) as typeof EXPECTED_TRACKER;
    expect(renewal.memos.map((memo) => memo.slug)).toEqual([FIRST]);
    const labor = JSON.parse(
      await readFile(path.join(p.archive, 'series', 'harbor-labor', 'tracker.json'), 'utf8'),
    ) as typeof EXPECTED_TRACKER;
    expect(labor.memos.map((memo) => `${memo.slug} v${memo.version}`)).toEqual([`${SECOND} v2`]);
    // The third memo, a draft in the sources, now follows the first one: its previous memo.
    const check = await runCli(['check', `sources/${THIRD}.md`], p.cwd);
    expect(check.stderr).toContain(
      'warning recommendation `authority-board` (“Add city members to the port authority board”) was in the 2022-01-15 memo of the series, “Harbor Renewal: The First 100 Days”',
    );
    expect((await runMemo(['verify', '--archive', p.archive])).code).toBe(0);
  }, 120_000);

  it('a published memo names only published memos, never a draft beside its source', async () => {
    const p = await project();
    await publish(p, SECOND);
    const text = visibleText(
      await readFile(path.join(p.archive, SECOND, 'v1', 'memo.html'), 'utf8'),
    );
    // The appendix prints titles with typographic quotes.
    expect(text).toContain(
      'Open talks with the dockworkers’ union Status Stalled Recommendation 3',
    );
    expect(text).not.toContain(' — was ');
  }, 120_000);

  it('a series name in a tampered manifest never becomes a path', async () => {
    const p = await project();
    await publish(p, FIRST);
    const manifest = path.join(p.archive, FIRST, 'v1', 'manifest.json');
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace(`"series": "${SERIES}"`, '"series": "../../escaped"'));
    await publish(p, SECOND);
    expect(existsSync(path.join(p.cwd, 'escaped'))).toBe(false);
    expect(existsSync(path.join(p.archive, 'escaped'))).toBe(false);
    const tracker = JSON.parse(await seriesFile(p, 'tracker.json')) as typeof EXPECTED_TRACKER;
    expect(tracker.memos.map((memo) => memo.slug)).toEqual([SECOND]);
    const verify = await runMemo(['verify', '--archive', p.archive]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('[archive-manifest]');
  }, 120_000);

  it('refuses to publish a memo named `series`', async () => {
    const p = await project();
    const source = path.join(p.sources, 'series.md');
    await copyFile(path.join(seriesFixtures, `${FIRST}.md`), source);
    const run = await runMemo(['publish', source, '--archive', p.archive], ownBrowser);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'a memo cannot be named `series`: the archive keeps its series pages in `series/`; rename the file [archive-slug]',
    );
  });
});
