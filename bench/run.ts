/**
 * `npm run bench`: each case next to its floor, in one sitting, interleaved
 * run by run so that the machine's noise hits both sides alike. Prints a table
 * (median of RUNS runs, min, max, ratio to the floor, peak memory of the whole
 * process tree including Chromium) and writes it to BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findChromium } from '../pipeline/render/browser.js';
import { citedSection, evidenceSources, memoSource, writeMemos } from './generate.js';
import { measure, stats } from './measure.js';
import { ensurePandoc, pandocRun, pandocVersion } from './pandoc.js';
import type { Sample, Stats } from './measure.js';
import { previewLatency } from './preview-latency.js';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
/**
 * Cases 1 and 1f, against Pandoc, run more often: Pandoc's own time moves by about 0.1 s
 * from run to run on a shared machine, and a median of five moved the ratio as much.
 */
const PANDOC_RUNS = Number(process.env['BENCH_PANDOC_RUNS'] ?? Math.max(RUNS, 11));
/** `BENCH_CASES=1,4,5` runs only those cases (default: all). */
const CASES = new Set(
  (process.env['BENCH_CASES'] ?? '1,1f,2,3,4,5,6,7,8,charts,distribute,docx,citations')
    .split(',')
    .map((value) => value.trim()),
);
const memo = path.join(root, 'bin', 'memo.js');
const floor = path.join(root, 'bench', 'floor.mjs');
const node = process.execPath;

interface Row {
  readonly name: string;
  readonly tool: Stats;
  readonly floor: Stats | null;
  /** Pandoc + pdflatex on the same memo (case 1 only). */
  readonly pandoc?: Stats | null;
  readonly target: string;
  readonly note?: string;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function pair(
  tool: () => Promise<Sample>,
  base: (() => Promise<Sample>) | null,
  peer: (() => Promise<Sample>) | null = null,
  runs = RUNS,
) {
  const toolSamples: Sample[] = [];
  const baseSamples: Sample[] = [];
  const peerSamples: Sample[] = [];
  for (let run = 0; run < runs; run += 1) {
    const sample = await tool();
    if (sample.code !== 0) throw new Error(`tool run failed (${sample.code}): ${sample.stderr}`);
    toolSamples.push(sample);
    if (base) {
      const floorSample = await base();
      if (floorSample.code !== 0) throw new Error(`floor run failed: ${floorSample.stderr}`);
      baseSamples.push(floorSample);
    }
    if (peer) {
      const peerSample = await peer();
      if (peerSample.code !== 0) throw new Error(`pandoc run failed: ${peerSample.stderr}`);
      peerSamples.push(peerSample);
    }
  }
  return {
    tool: stats(toolSamples),
    floor: base ? stats(baseSamples) : null,
    pandoc: peer ? stats(peerSamples) : null,
  };
}

async function htmlFiles(out: string): Promise<string[]> {
  const slugs = (await readdir(out)).filter((name) => !name.startsWith('.')).sort();
  return slugs.map((slug) => path.join(out, slug, 'memo.html'));
}

let pandocNote = '';

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'memo-bench-'));
  const rows: Row[] = [];
  const push = (row: Row) => {
    rows.push(row);
    process.stderr.write(`${table([row]).split('\n').at(-1) ?? ''}\n`);
  };
  try {
    const sample = path.join(root, 'sources', 'water-security-first-year.md');
    const out1 = path.join(work, 'out1');
    if (CASES.has('1')) {
      const pandoc = ensurePandoc();
      if (pandoc.ok) pandocNote = `Pandoc + pdflatex: ${pandocVersion()}.`;
      else pandocNote = `Pandoc + pdflatex not measured: ${pandoc.why}.`;
      await measure(node, [memo, 'build', sample, '--out', out1, '--no-cache']);
      const [html1] = await htmlFiles(out1);
      const one = await pair(
        () => measure(node, [memo, 'build', sample, '--out', out1, '--no-cache', '--quiet']),
        () => measure(node, [floor, html1 ?? '']),
        pandoc.ok ? pandocRun(sample, work) : null,
        PANDOC_RUNS,
      );
      push({
        name: '1. one sample memo, cold (HTML + PDF)',
        ...one,
        target: '≤ 0.80× floor, ≤ 0.90× pandoc',
      });
    }

    // 1f. The sample memo with every feature on: notes at the foot of the page, contents,
    //     10 citations (Chicago notes, Sources section) and 3 charts; Pandoc gets the same
    //     file with --citeproc, --toc, the same bibliography and the same CSL style.
    if (CASES.has('1f')) {
      const pandoc = ensurePandoc();
      if (pandocNote === '')
        pandocNote = pandoc.ok
          ? `Pandoc + pdflatex: ${pandocVersion()}.`
          : `Pandoc + pdflatex not measured: ${pandoc.why}.`;
      const folder = path.join(work, 'full');
      await mkdir(folder, { recursive: true });
      const plain = await readFile(sample, 'utf8');
      const full = plain.replace(/^---\n/, '---\ntoc: true\nbibliography: evidence.bib\n');
      const source = path.join(folder, 'memo.md');
      await writeFile(source, `${full}\n${citedSection(10)}\n${chartSection()}`);
      const bib = path.join(folder, 'evidence.bib');
      await writeFile(bib, evidenceSources(true).bib);
      await writeFile(path.join(folder, 'series.csv'), chartCsv());
      const csl = path.join(root, 'styles', 'csl', 'chicago-notes-bibliography.csl');
      const out = path.join(work, 'out-full');
      await measure(node, [memo, 'build', source, '--out', out, '--no-cache']);
      const [html] = await htmlFiles(out);
      const timed = await pair(
        () => measure(node, [memo, 'build', source, '--out', out, '--no-cache', '--quiet']),
        () => measure(node, [floor, html ?? '']),
        pandoc.ok
          ? pandocRun(
              source,
              work,
              [bib, csl, path.join(folder, 'series.csv')],
              [
                '--citeproc',
                '--toc',
                '--bibliography',
                'evidence.bib',
                '--csl',
                path.basename(csl),
              ],
            )
          : null,
        PANDOC_RUNS,
      );
      push({
        name: '1f. the sample memo with footnotes, contents, 10 citations and 3 charts, cold',
        ...timed,
        target: '≤ 1.0× pandoc',
      });
    }

    // 2. 50 generated memos in one build vs the floor printing the same 50 pages.
    const gen50 = path.join(work, 'gen50');
    await writeMemos(gen50, 50, 2);
    const out2 = path.join(work, 'out2');
    if (CASES.has('2')) {
      await measure(node, [memo, 'build', gen50, '--out', out2, '--no-cache']);
      const html50 = await htmlFiles(out2);
      const fifty = await pair(
        () => measure(node, [memo, 'build', gen50, '--out', out2, '--no-cache', '--quiet']),
        () => measure(node, [floor, '--concurrency', '2', ...html50]),
      );
      push({
        name: '2. 50 memos, one build (concurrency 2)',
        ...fifty,
        target: '≤ 1.15×',
        note: `Case 2, memory over the build (peak of the tree in each quarter of its time): ${fifty.tool.quarterPeaks.map(mib).join(', ')}; the floor: ${(fifty.floor?.quarterPeaks ?? []).map(mib).join(', ')}.`,
      });
    }

    // 3. Long memos: 50, 100, 150 pages.
    for (const pages of CASES.has('3') ? [50, 100, 150] : []) {
      const folder = path.join(work, `long${pages}`);
      await writeMemos(folder, 1, pages);
      const out = path.join(work, `out-long${pages}`);
      await measure(node, [memo, 'build', folder, '--out', out, '--no-cache']);
      const [html] = await htmlFiles(out);
      const pdfPages = execFileSync('pdfinfo', [path.join(out, 'memo-001', 'memo.pdf')])
        .toString()
        .match(/Pages:\s+(\d+)/)?.[1];
      const long = await pair(
        () => measure(node, [memo, 'build', folder, '--out', out, '--no-cache', '--quiet']),
        () => measure(node, [floor, html ?? '']),
      );
      push({
        name: `3. long memo, ${pdfPages ?? '?'} pages`,
        ...long,
        target: pages === 150 ? '≤ 1.20×, ≤ 1.5 GiB' : 'linear',
      });
    }

    // 4. Rebuild with nothing changed (50 memos): the cache answers, no browser.
    if (CASES.has('4')) {
      await measure(node, [memo, 'build', gen50, '--out', out2]);
      const rebuild = await pair(
        () => measure(node, [memo, 'build', gen50, '--out', out2, '--quiet']),
        null,
      );
      push({ name: '4. rebuild 50 memos, nothing changed', ...rebuild, target: '≤ 0.50 s' });
    }

    // 5. Preview: save → reloaded page shows the change.
    if (CASES.has('5')) {
      const latency = await previewLatency(root, work, RUNS);
      push({
        name: '5. preview: save → page shows change',
        tool: latency,
        floor: null,
        target: '≤ 250 ms',
      });
    }

    // 6. Preview, Pages view: save → the printed pages show the change.
    if (CASES.has('6')) {
      const latency = await previewLatency(root, work, RUNS, 'pages');
      push({
        name: '6. preview Pages view: save → pages show change',
        tool: latency,
        floor: null,
        target: '≤ 1 s',
      });
    }

    // 7. Notes at the foot of their pages vs the same memo with `notes: endnotes` (the print
    //    before page-bottom notes existed): the sample memo, and 150 pages with 300 notes.
    if (CASES.has('7')) {
      const endnotes = (source: string) => source.replace(/^date: /m, 'notes: endnotes\ndate: ');
      const long = memoSource('Long memo with notes', 150, 2);
      const inputs: [string, string, string][] = [
        ['sample memo', await readFile(sample, 'utf8'), '≤ 1.25×'],
        ['150-page memo, 300 notes', long, '≤ 2.0×'],
      ];
      for (const [index, [name, source, target]] of inputs.entries()) {
        const feet = path.join(work, `notes${index}`, 'feet');
        const ends = path.join(work, `notes${index}`, 'ends');
        await mkdir(feet, { recursive: true });
        await mkdir(ends, { recursive: true });
        await writeFile(path.join(feet, 'memo.md'), source);
        await writeFile(path.join(ends, 'memo.md'), endnotes(source));
        const out = path.join(work, `out-notes${index}`);
        const build = (folder: string) => () =>
          measure(node, [memo, 'build', folder, '--out', out, '--no-cache', '--quiet']);
        await build(feet)();
        const timed = await pair(build(feet), build(ends));
        push({ name: `7. footnotes, ${name} (floor: the same with endnotes)`, ...timed, target });
      }
    }

    // charts: the sample memo with three charts drawn from a CSV beside it, vs the same memo
    //    without them (Vega loads only for a memo with a chart).
    if (CASES.has('charts')) {
      const plain = await readFile(sample, 'utf8');
      const withCharts = path.join(work, 'charts', 'with');
      const without = path.join(work, 'charts', 'without');
      await mkdir(withCharts, { recursive: true });
      await mkdir(without, { recursive: true });
      await writeFile(path.join(withCharts, 'memo.md'), `${plain}\n${chartSection()}`);
      await writeFile(path.join(withCharts, 'series.csv'), chartCsv());
      await writeFile(path.join(without, 'memo.md'), plain);
      const out = path.join(work, 'out-charts');
      const build = (folder: string) => () =>
        measure(node, [memo, 'build', folder, '--out', out, '--no-cache', '--quiet']);
      await build(withCharts)();
      const timed = await pair(build(withCharts), build(without));
      push({
        name: 'charts. sample memo + 3 charts from a CSV (floor: the same without charts)',
        ...timed,
        target: '≤ +1.5 s',
      });
    }

    // distribute: 20 numbered copies of a published, approved memo (each a stamped incremental update).
    if (CASES.has('distribute')) {
      const copies = 20;
      const project = path.join(work, 'distribute');
      await mkdir(path.join(project, 'sources'), { recursive: true });
      const ids = Array.from({ length: copies }, (_, index) => `recipient-${index + 1}`);
      const recipients = Object.fromEntries(
        ids.map((id, index) => [
          id,
          { name: `Person ${index + 1}`, office: 'Department of State' },
        ]),
      );
      await writeFile(
        path.join(project, 'memo.config.json'),
        JSON.stringify({ recipients, distributionLists: { everyone: ids } }),
      );
      await writeFile(path.join(project, 'sources', 'memo.md'), await readFile(sample, 'utf8'));
      const inProject = (args: string[]) =>
        execFileSync(node, [memo, ...args], { cwd: project, stdio: 'ignore' });
      inProject(['publish', 'sources/memo.md']);
      inProject(['approve', 'memo', '--by', 'Bench']);
      let run = 0;
      const distribute = await pair(async () => {
        run += 1;
        const archive = path.join(work, `distribute-archive-${run}`);
        await cp(path.join(project, 'archive'), archive, { recursive: true });
        const args = ['distribute', 'memo', '--to', 'everyone', '--archive', archive, '--quiet'];
        return measure(node, [memo, ...args], {}, project);
      }, null);
      push({
        name: `distribute. ${copies} numbered copies of the sample memo`,
        ...distribute,
        target: 'linear in copies',
        note: `Case distribute: ${sec(distribute.tool.median / copies)} per copy (median / ${copies}), process start included.`,
      });
    }

    // docx: the cost of the Word document: HTML + DOCX against HTML alone (no browser in either).
    if (CASES.has('docx')) {
      const out = path.join(work, 'out-docx');
      const build = (format: string) => () =>
        measure(node, [
          memo,
          'build',
          sample,
          '--out',
          out,
          '--format',
          format,
          '--no-cache',
          '-q',
        ]);
      await build('html,docx')();
      const timed = await pair(build('html,docx'), build('html'));
      push({
        name: 'docx. sample memo, --format html,docx (floor: --format html)',
        ...timed,
        target: '≤ 1.5×',
      });
    }

    // 8. Footnotes and a contents block with page numbers (`toc: true`) vs the print before
    //    issue 14 (`notes: endnotes`, `toc: false`): the sample memo, and 150 pages with 300 notes.
    if (CASES.has('8')) {
      const set = (source: string, lines: string) =>
        source.replace(/^toc: .*\n/m, '').replace(/^date: /m, `${lines}\ndate: `);
      const long = memoSource('Long memo with notes and contents', 150, 2);
      const inputs: [string, string, string][] = [
        ['sample memo', await readFile(sample, 'utf8'), '≤ 1.25×'],
        ['150-page memo, 300 notes', long, '≤ 2.0×'],
      ];
      for (const [index, [name, source, target]] of inputs.entries()) {
        const full = path.join(work, `toc${index}`, 'full');
        const plain = path.join(work, `toc${index}`, 'plain');
        await mkdir(full, { recursive: true });
        await mkdir(plain, { recursive: true });
        await writeFile(path.join(full, 'memo.md'), set(source, 'toc: true'));
        await writeFile(path.join(plain, 'memo.md'), set(source, 'notes: endnotes\ntoc: false'));
        const out = path.join(work, `out-toc${index}`);
        const build = (folder: string) => () =>
          measure(node, [memo, 'build', folder, '--out', out, '--no-cache', '--quiet']);
        await build(full)();
        const timed = await pair(build(full), build(plain));
        push({
          name: `8. footnotes + contents, ${name} (floor: endnotes, no contents)`,
          ...timed,
          target,
        });
      }
    }

    // citations. Evidence: `evidence-memo.md` with 20 citations (Chicago notes and a Sources section,
    //    from a 10-entry .bib) vs the same memo without them, HTML + PDF each.
    if (CASES.has('citations')) {
      const folders = ['cited', 'plain'].map((name) => path.join(work, 'evidence', name));
      for (const [index, folder] of folders.entries()) {
        const { memo: source, bib } = evidenceSources(index === 0);
        await mkdir(folder, { recursive: true });
        await writeFile(path.join(folder, 'evidence-memo.md'), source);
        if (index === 0) await writeFile(path.join(folder, 'evidence.bib'), bib);
      }
      const out = path.join(work, 'out-evidence');
      const build = (folder: string) => () =>
        measure(node, [memo, 'build', folder, '--out', out, '--no-cache', '--quiet']);
      const [cited = '', plain = ''] = folders;
      await build(cited)();
      const timed = await pair(build(cited), build(plain));
      push({
        name: 'citations. evidence memo, 20 citations (floor: the same memo without them)',
        ...timed,
        target: '≤ +2 s',
      });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const notes = rows.flatMap((row) => (row.note === undefined ? [] : [row.note]));
  if (pandocNote !== '') notes.unshift(pandocNote);
  const report = [table(rows), ...notes].join('\n\n');
  process.stdout.write(`${report}\n`);
  await writeFile(path.join(root, 'BENCHMARKS.md'), document(report));
}

/** 40 rows: four series over ten years. */
function chartCsv(): string {
  const rows = ['year,series,value'];
  for (const series of ['North', 'South', 'East', 'West'])
    for (let year = 2015; year < 2025; year += 1)
      rows.push(`${year},${series},${(year - 2000) * 7 + series.length * 13}`);
  return `${rows.join('\n')}\n`;
}

/** A line, a bar and a point chart of series.csv. */
function chartSection(): string {
  const chart = (mark: string, encoding: string) =>
    [
      '```chart',
      `title: A ${mark} chart of the series`,
      `description: The four series rise steadily from 2015 to 2024, drawn as a ${mark} chart.`,
      'data: { url: series.csv }',
      `mark: ${mark}`,
      'encoding:',
      encoding,
      '```',
    ].join('\n');
  const xy = '  x: { field: year, type: ordinal }\n  y: { field: value, type: quantitative }';
  return [
    '## Charts\n',
    chart('line', `${xy}\n  color: { field: series, type: nominal }`),
    chart(
      'bar',
      '  x: { field: series, type: nominal }\n  y: { aggregate: sum, field: value, type: quantitative }',
    ),
    chart('point', `${xy}\n  color: { field: series, type: nominal }`),
    '',
  ].join('\n\n');
}

function table(rows: readonly Row[]): string {
  const lines = [
    '| case | median | min | max | floor median | ratio | pandoc + pdflatex median | ratio | peak memory (tree) | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const ratio = (tool: Stats, base: Stats | null | undefined) =>
    base ? `${(tool.median / base.median).toFixed(2)}×` : '–';
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${sec(row.tool.median)} | ${sec(row.tool.min)} | ${sec(row.tool.max)} | ${row.floor ? sec(row.floor.median) : '–'} | ${ratio(row.tool, row.floor)} | ${row.pandoc ? sec(row.pandoc.median) : '–'} | ${ratio(row.tool, row.pandoc)} | ${row.tool.peakBytes > 0 ? mib(row.tool.peakBytes) : '–'}${row.floor ? ` (floor ${mib(row.floor.peakBytes)})` : ''} | ${row.target} |`,
    );
  }
  return lines.join('\n');
}

function versionOf(executable: string | undefined): string {
  if (executable === undefined) return 'none';
  try {
    return execFileSync(executable, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'not installed';
  }
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const loadAtStart = loadAverage();

function machine(): string {
  const printer = findChromium(process.env);
  const floorBrowser = process.env['MEMO_CHROMIUM'] ?? '/usr/bin/chromium';
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}; memo-press prints with ${printer ?? 'no browser'} (${versionOf(printer)}), the floor with ${floorBrowser} (${versionOf(floorBrowser)}); load average at the start ${loadAtStart}, at the end ${loadAverage()}`;
}

function document(report: string): string {
  return `# Benchmarks

Produced by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${machine()}.

Each case runs ${RUNS} times, interleaved with its floor, as whole processes (\`node bin/memo.js
build …\`); cases 1 and 1f also with Pandoc, ${PANDOC_RUNS} times. The floor (bench/floor.mjs) is the
issue's bare minimum: it launches \`/usr/bin/chromium\` with the five flags the project
brief lists, \`setContent\`s the same final HTML, calls \`page.pdf()\` and closes.
memo-press does more (Markdown, templates, metadata, cache, atomic writes) and also runs
Chromium differently, which is why it can beat the floor: it prints with Debian's
\`chromium-headless-shell\` when installed (the same Blink without the browser UI), launches
it with more flags, prints on the tab Chromium opens at start, inlines only the font subsets
the memo uses, and kills the browser rather than waiting for a graceful close
(docs/performance.md). The Pandoc peer (bench/pandoc.ts) runs \`pandoc memo.md -o memo.pdf
--pdf-engine pdflatex\` on the same Markdown file from a fresh empty folder each run: an
untagged PDF only, no HTML; in case 1f also with \`--citeproc --toc\`, the same bibliography
and the same CSL style (Chicago notes), so it formats the same citations and prints a
contents list (it has no charts to draw: the chart blocks print as code). Memory is the peak
resident set of the whole process tree, Chromium included (the sum over its processes),
sampled every 20 ms (the tree's processes found by a scan of /proc at every tenth sample,
which keeps the sampling under 2% of a core). Times are wall-clock, on a shared machine:
compare ratios, not absolute figures.

${report}
`;
}

await main();
