/** `memo build [paths…] [--out DIR] [--format html,pdf,docx|both]` */
import type { Command } from 'commander';
import { Option } from 'commander';
import path from 'node:path';
import type { FormatName } from '../../render/formats/index.js';
import { formatList } from '../options.js';
import { loadProjectConfig } from '../../config/index.js';
import type { CliIo } from '../io.js';
import {
  MAX_CONCURRENCY,
  MAX_TIMEOUT_MS,
  configOption,
  reporterOption,
  templatesOption,
  wholeNumber,
} from '../options.js';
import { useColor } from '../io.js';
import { createProgress, progressMode } from '../progress.js';
import { formatReport } from '../report.js';
import type { ReporterName } from '../report.js';

interface BuildFlags {
  readonly out?: string;
  readonly config?: string;
  readonly templates?: string;
  readonly format: readonly FormatName[];
  readonly reporter: ReporterName;
  readonly concurrency: number;
  readonly quiet?: boolean;
  readonly color?: boolean;
  readonly cache: boolean;
  readonly timings?: boolean;
  readonly timeout?: number;
}

function formatTimings(entries: ReadonlyArray<readonly [string, number]>): string {
  const width = Math.max(...entries.map(([stage]) => stage.length));
  return entries
    .map(([stage, ms]) => `  ${stage.padEnd(width)}  ${ms.toFixed(0).padStart(6)} ms`)
    .join('\n');
}

const concurrency = wholeNumber('--concurrency', 1, MAX_CONCURRENCY);
const timeout = wholeNumber('--timeout', 1, MAX_TIMEOUT_MS);

/** `MEMO_PDF_TIMEOUT_MS`, when set: the default of `--timeout`. */
function timeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env['MEMO_PDF_TIMEOUT_MS'];
  if (value === undefined || value.trim() === '') return undefined;
  return wholeNumber('MEMO_PDF_TIMEOUT_MS', 1, MAX_TIMEOUT_MS)(value);
}

export function registerBuild(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('build')
    .description('build memos to <out>/<slug>/memo.html, memo.pdf (and memo.docx with --format)')
    .argument(
      '[paths...]',
      'memo files or folders, searched for *.md (default: sources, or sourcesDir of the config)',
    )
    .option('-o, --out <dir>', 'output folder (default: out, or outDir of the config)')
    .addOption(configOption())
    .addOption(templatesOption())
    .addOption(
      new Option(
        '-f, --format <formats>',
        'what to produce: html, pdf, docx, several with commas (html,docx), or both (html and pdf)',
      )
        .argParser(formatList)
        .default(['html', 'pdf'], 'both'),
    )
    .addOption(reporterOption())
    .option(
      '-j, --concurrency <n>',
      `memos printed at once, 1 to ${MAX_CONCURRENCY} (each holds a browser page)`,
      concurrency,
      2,
    )
    .option(
      '--no-cache',
      'rebuild every memo, even those whose sources, templates and config are unchanged',
    )
    .option('--timings', 'print how long each stage took')
    .option(
      '--timeout <ms>',
      'longest a memo may take to print, at most 3600000 (default: MEMO_PDF_TIMEOUT_MS, else 60 s + 100 s per MB of HTML)',
      timeout,
    )
    .option('-q, --quiet', 'no progress bar and no warnings: one line per memo, then the errors')
    .action(async (paths: string[], flags: BuildFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const { config, file: configFile } = await loadProjectConfig(io.cwd, flags.config);
      if (config === undefined) {
        if (configFile !== undefined)
          io.stderr.write(`${formatReport([configFile], { reporter: flags.reporter, color })}\n`);
        setExit(1);
        return;
      }
      const timeoutMs = flags.timeout ?? timeoutFromEnv(io.env);
      const progress = createProgress(io, progressMode(io, flags.quiet === true));
      // Loaded here, not at start-up: other commands never pay for the build's modules.
      const { buildMemos } = await import('../../build.js');
      const result = await buildMemos(paths.length > 0 ? paths : [config.sourcesDir ?? 'sources'], {
        outDir: flags.out ?? config.outDir ?? 'out',
        format: flags.format,
        cwd: io.cwd,
        concurrency: flags.concurrency,
        cache: flags.cache,
        env: io.env,
        config,
        ...(flags.templates === undefined
          ? {}
          : { templateOverridesDir: path.resolve(io.cwd, flags.templates) }),
        ...(io.env['MEMO_CHROMIUM'] === undefined
          ? {}
          : { executablePath: io.env['MEMO_CHROMIUM'] }),
        pdf: {
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(io.onPrintStart === undefined ? {} : { onPrintStart: io.onPrintStart }),
          ...(io.earlyChromium === undefined ? {} : { early: io.earlyChromium }),
        },
        onMemoStart: (memo) => progress.start(memo),
        onMemoDone: (memo) => progress.done(memo),
      }).finally(() => progress.stop());
      const files = [...result.other, ...result.memos.map((memo) => memo.file)];
      const report = formatReport(files, {
        reporter: flags.reporter,
        color,
        quiet: flags.quiet === true,
      });
      if (report !== '') io.stderr.write(`${report}\n`);
      const failed = result.memos.filter((memo) => !memo.ok).length + result.other.length;
      const built = result.memos.length - result.memos.filter((memo) => !memo.ok).length;
      const upToDate = result.memos.filter((memo) => memo.cached === true).length;
      const summary = progress.summary({ built, failed });
      io.stderr.write(`${upToDate > 0 ? `${summary} (${upToDate} up to date)` : summary}\n`);
      if (flags.timings === true) io.stderr.write(`timings:\n${formatTimings(result.timings)}\n`);
      setExit(failed > 0 ? 1 : 0);
    });
}
