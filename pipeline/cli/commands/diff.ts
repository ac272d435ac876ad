/** `memo diff <slug> [vA] [vB] [--archive DIR] [--out FILE] [--pdf]` */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import { parseVersionArgument } from '../../archive/layout.js';
import type { CliIo } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded, plural } from '../report.js';
import type { ReporterName } from '../report.js';

interface DiffFlags {
  readonly archive?: string;
  readonly config?: string;
  readonly out?: string;
  readonly pdf?: boolean;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
}

function version(text: string): number {
  const parsed = parseVersionArgument(text);
  if (parsed === undefined)
    throw new InvalidArgumentError(`expected a version such as v2 or 2, got ${text}`);
  return parsed;
}

export function registerDiff(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('diff')
    .description('write a redline of two archived versions of a memo (default: the two newest)')
    .argument('<slug>', 'the memo (its source file name without .md)')
    .argument('[vA]', 'the older version (v1, v2, …)', version)
    .argument('[vB]', 'the newer version (default: the newest)', version)
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .option('-o, --out <file>', 'output file (default out/<slug>/redline-v<A>-v<B>.html, or .pdf)')
    .option('--pdf', 'print the redline to PDF instead of HTML')
    .addOption(reporterOption())
    .option('-q, --quiet', 'print errors only')
    .action(
      async (
        slug: string,
        from: number | undefined,
        to: number | undefined,
        flags: DiffFlags,
        command: Command,
      ) => {
        const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
        const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
        if (loaded.project === undefined) {
          reportNotLoaded(io.stderr, loaded.file, { reporter: flags.reporter, color }, setExit);
          return;
        }
        // Loaded on use: other commands never pay for the redline's modules.
        const { diffVersions } = await import('../../archive/diff-versions.js');
        const result = await diffVersions({
          archiveDir: loaded.project.archiveDir,
          cwd: io.cwd,
          env: io.env,
          slug,
          pdf: flags.pdf === true,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(flags.out === undefined ? {} : { outFile: flags.out }),
          ...(io.env['MEMO_CHROMIUM'] === undefined
            ? {}
            : { executablePath: io.env['MEMO_CHROMIUM'] }),
        });
        const report = formatReport([result.file], {
          reporter: flags.reporter,
          color,
          quiet: flags.quiet === true,
        });
        if (report !== '') io.stderr.write(`${report}\n`);
        if (result.written === undefined) {
          setExit(1);
          return;
        }
        const { path, from: a, to: b, redline } = result.written;
        const { insertedWords, deletedWords, changedBlocks, totalBlocks, changedFields } =
          redline.stats;
        if (flags.quiet !== true) {
          io.stdout.write(
            `wrote ${path}: v${a} → v${b}, ${plural(insertedWords, 'word')} inserted, ${deletedWords} deleted; ` +
              `${changedBlocks} of ${plural(totalBlocks, 'passage')} and ${plural(changedFields, 'front matter entry', 'front matter entries')} changed\n`,
          );
        }
        setExit(0);
      },
    );
}
