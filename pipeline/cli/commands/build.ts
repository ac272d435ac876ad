/** `memo build [paths…] [--out DIR] [--format html|pdf|both]` */
import type { Command } from 'commander';
import { Option } from 'commander';
import { buildMemos } from '../../build.js';
import type { OutputFormat } from '../../build.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { formatReport } from '../report.js';
import type { ReporterName } from '../report.js';

interface BuildFlags {
  readonly out: string;
  readonly format: OutputFormat;
  readonly reporter: ReporterName;
  readonly concurrency: number;
  readonly quiet?: boolean;
  readonly color?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`expected a whole number ≥ 1, got ${value}`);
  return parsed;
}

export function registerBuild(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('build')
    .description('build memos to <out>/<slug>/memo.html and memo.pdf')
    .argument('[paths...]', 'memo files or folders (searched for *.md)', ['sources'])
    .option('-o, --out <dir>', 'output folder', 'out')
    .addOption(new Option('-f, --format <format>', 'what to produce').choices(['html', 'pdf', 'both']).default('both'))
    .addOption(new Option('--reporter <name>', 'problem report format').choices(['compact', 'stylish']).default('compact'))
    .option('-j, --concurrency <n>', 'memos printed at once', positiveInteger, 2)
    .option('-q, --quiet', 'print errors only')
    .action(async (paths: string[], flags: BuildFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const result = await buildMemos(paths, {
        outDir: flags.out,
        format: flags.format,
        cwd: io.cwd,
        concurrency: flags.concurrency,
        ...(io.env['MEMO_CHROMIUM'] === undefined ? {} : { executablePath: io.env['MEMO_CHROMIUM'] }),
        onMemoDone: (memo) => {
          if (flags.quiet !== true && memo.ok) io.stdout.write(`built ${memo.outputs.join(', ')}\n`);
        },
      });
      const files = [...result.other, ...result.memos.map((memo) => memo.file)];
      const report = formatReport(files, { reporter: flags.reporter, color, quiet: flags.quiet === true });
      if (report !== '') io.stderr.write(`${report}\n`);
      const failed = result.memos.filter((memo) => !memo.ok).length + result.other.length;
      const built = result.memos.length - result.memos.filter((memo) => !memo.ok).length;
      if (flags.quiet !== true || failed > 0) {
        io.stderr.write(`${built} memo${built === 1 ? '' : 's'} built, ${failed} failed\n`);
      }
      setExit(failed > 0 ? 1 : 0);
    });
}
