/**
 * Every mistake in a chart block has a fixture: tests/fixtures/charts/errors/<case>/
 * holds `input.md` and `expected.txt`, the exact report lines, each at the
 * line and column inside the block that is at fault.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { compileFile } from '../helpers/compile-fixture.js';

const root = path.join(import.meta.dirname, '..', 'fixtures', 'charts', 'errors');
const cases = (await readdir(root)).sort();

const FRONT =
  '---\ntitle: Chart\nauthor: Ana Ruiz\norganization: Council\ndate: 2026-01-10\n---\n\n';

let folder: string | undefined;
afterEach(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

describe('chart errors are reported at the line inside the block', () => {
  it.each(cases)('%s', async (name) => {
    const expected = (await readFile(path.join(root, name, 'expected.txt'), 'utf8')).trimEnd();
    const { report, view } = await compileFile(path.join(root, name, 'input.md'));
    expect(report).toBe(expected);
    expect(report).not.toMatch(/\n\s+at /); // no stack trace
    expect(view).toBeUndefined();
  });

  it('refuses a data file reached through a symbolic link that leads out of the folder', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'memo-charts-'));
    await mkdir(path.join(folder, 'memo'));
    await writeFile(path.join(folder, 'secret.csv'), 'year,arrests\n2021,3\n');
    await symlink(path.join(folder, 'secret.csv'), path.join(folder, 'memo', 'data.csv'));
    const source = path.join(folder, 'memo', 'memo.md');
    await writeFile(
      source,
      `${FRONT}\`\`\`chart\ntitle: T\ndescription: D.\ndata: { url: data.csv }\nmark: bar\n\`\`\`\n`,
    );
    const { report, view } = await compileFile(source);
    expect(report).toBe(
      "memo.md:11:14: error chart data `data.csv` is outside the memo's folder: a chart's data must be a file in the folder of the memo or below it [chart-data]",
    );
    expect(view).toBeUndefined();
  });

  it('reports what Vega-Lite warns about as a warning at the block’s line, and builds the memo', async () => {
    const { report, view } = await compileFile(path.join(root, '..', 'warning.md'));
    expect(report).toBe(
      'warning.md:10:1: warning Vega-Lite warns about this chart: shape dropped as it is incompatible with "bar". [chart-spec]',
    );
    expect(view?.bodyHtml).toContain('<figure class="chart" role="group">');
  });

  it('`memo check` fails on a chart without a description, at the block’s line', async () => {
    const run = await runCli(['check', path.join(root, 'no-description', 'input.md')], root);
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(
      /input\.md:10:1: error the chart has no `description`.*\[chart-text\]/,
    );
  });
});
