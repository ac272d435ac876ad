/** `memo identify <file.pdf> [--archive DIR]`: exit 0 when the file is a copy of this archive, 1 when not. */
import path from 'node:path';
import type { Command } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import { readRegular } from '../../archive/safe-read.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';
import { reportArchiveProblem } from './archive-problem.js';

interface IdentifyFlags {
  readonly archive?: string;
  readonly config?: string;
  readonly reporter: ReporterName;
}

/** The largest PDF read: far above any memo's. */
const MAX_PDF_BYTES = 512 * 1024 * 1024;

const HOW = {
  hash: 'by its SHA-256: it is the copy as made',
  metadata: 'by its copy metadata: the file was altered or re-saved since it was made',
  text: 'by its stamped text: the file was altered or re-saved since it was made',
} as const;

export function registerIdentify(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('identify')
    .description('say which memo, version, copy and recipient a PDF copy is')
    .argument('<file>', 'a PDF, e.g. a copy found on a shared drive')
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .addOption(reporterOption())
    .action(async (file: string, flags: IdentifyFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const options = { reporter: flags.reporter, color };
      const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
      if (loaded.project === undefined) {
        reportNotLoaded(io.stderr, loaded.file, options, setExit);
        return;
      }
      const archive = path.resolve(io.cwd, loaded.project.archiveDir);
      let bytes: Uint8Array;
      try {
        bytes = await readRegular(path.resolve(io.cwd, file), MAX_PDF_BYTES);
      } catch (error) {
        const why =
          error instanceof Error && 'code' in error && error.code === 'ENOENT'
            ? 'there is no such file'
            : error instanceof Error
              ? `it cannot be read (${error.message})`
              : 'it cannot be read';
        reportArchiveProblem(
          io.stderr,
          io.cwd,
          {
            target: file,
            message: `${why}: give the path of a PDF`,
            ruleId:
              error instanceof Error && 'code' in error && error.code === 'ENOENT'
                ? 'source-missing'
                : 'source-not-file',
          },
          options,
        );
        setExit(1);
        return;
      }
      const { identifyCopy } = await import('../../archive/distribution/identify.js');
      const result = await identifyCopy(archive, bytes);
      const shown = path.relative(io.cwd, path.resolve(io.cwd, file));
      if (!result.found) {
        io.stdout.write(
          `${shown}: not a copy from ${path.relative(io.cwd, archive) || '.'}: ${result.reason}\n`,
        );
        setExit(1);
        return;
      }
      const { memo, version, copy } = result.copy;
      io.stdout.write(
        `${shown}: ${memo} v${version}, copy ${copy.copy} of ${copy.of}, for ${copy.name}, ${copy.office} (${copy.recipient}); identified ${HOW[result.by]}\n`,
      );
      setExit(0);
    });
}
