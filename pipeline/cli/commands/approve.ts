/** `memo approve <slug> [vN] --by "Name" [--note "…"] [--archive DIR]` */
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import { parseVersionArgument } from '../../archive/layout.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { UsageError, configOption, reporterOption } from '../options.js';
import { reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';
import { archiveProblemOf, reportArchiveProblem } from './archive-problem.js';

interface ApproveFlags {
  readonly by: string;
  readonly note?: string;
  readonly archive?: string;
  readonly config?: string;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
}

function words(option: string, example: string): (value: string) => string {
  return (value) => {
    if (value.trim() === '')
      throw new InvalidArgumentError(`${option} needs words, e.g. ${option} ${example}`);
    return value.trim();
  };
}

/** `v3` or `3` → 3; undefined (the newest) when not given. */
export function versionArgument(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const version = parseVersionArgument(text);
  if (version === undefined)
    throw new UsageError(
      `\`${text}\` is not a version: write it as v1, v2, … (or leave it out for the newest)`,
    );
  return version;
}

export function registerApprove(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('approve')
    .description('record who approved a published version (needed before `memo distribute`)')
    .argument('<slug>', "the memo's slug, e.g. border-trade")
    .argument('[version]', 'v1, v2, … (default: the newest published version)')
    .requiredOption('--by <name>', 'who approves it', words('--by', '"Jane Doe"'))
    .option('--note <text>', 'a note kept with the approval', words('--note', '"cleared by legal"'))
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .addOption(reporterOption())
    .option('-q, --quiet', 'print errors only')
    .action(
      async (
        slug: string,
        versionText: string | undefined,
        flags: ApproveFlags,
        command: Command,
      ) => {
        const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
        const options = { reporter: flags.reporter, color };
        const version = versionArgument(versionText);
        const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
        if (loaded.project === undefined) {
          reportNotLoaded(io.stderr, loaded.file, options, setExit);
          return;
        }
        const archive = path.resolve(io.cwd, loaded.project.archiveDir);
        const { approve } = await import('../../archive/distribution/approve.js');
        try {
          const result = await approve({
            archive,
            slug,
            version,
            by: flags.by,
            note: flags.note,
            now: new Date(),
          });
          if (flags.quiet !== true)
            io.stdout.write(
              result.added
                ? `approved ${slug} v${result.version} by ${result.approval.by}\n`
                : `${slug} v${result.version} was already approved by ${result.approval.by} (${result.approval.at}); nothing recorded\n`,
            );
          setExit(0);
        } catch (error) {
          const problem = archiveProblemOf(error);
          if (problem === undefined) throw error;
          reportArchiveProblem(io.stderr, io.cwd, problem, options);
          setExit(1);
        }
      },
    );
}
