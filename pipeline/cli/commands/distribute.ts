/** `memo distribute <slug> [vN] [--to LIST|ID …] [--archive DIR] [--force "reason"] [--send | --dry-run] [--again]` */
import path from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { VFile } from 'vfile';
import type { DeliverySummary } from '../../archive/distribution/deliver.js';
import type { Distributed } from '../../archive/distribution/distribute.js';
import type { DeliveryEntry } from '../../archive/distribution/log-schema.js';
import { loadArchiveProject } from '../../archive/project.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { UsageError, configOption, reporterOption } from '../options.js';
import { formatReport, reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';
import { archiveProblemOf, reportArchiveProblem } from './archive-problem.js';
import { versionArgument } from './approve.js';

interface DistributeFlags {
  readonly to?: string[];
  readonly force?: string;
  readonly archive?: string;
  readonly config?: string;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
  readonly send?: boolean;
  readonly dryRun?: boolean;
  readonly again?: boolean;
}

/** Ctrl-C while delivering: stop starting new messages (the one under way is cut off). */
function interruptible(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  return { signal: controller.signal, release: () => process.off('SIGINT', stop) };
}

function reason(value: string): string {
  if (value.trim() === '')
    throw new InvalidArgumentError(
      '--force needs a reason, e.g. --force "approved by phone, paperwork follows"',
    );
  return value.trim();
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerDistribute(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('distribute')
    .description('make one numbered, stamped copy of a published version per recipient, and log it')
    .argument('<slug>', "the memo's slug, e.g. border-trade")
    .argument('[version]', 'v1, v2, … (default: the newest published version)')
    .option(
      '--to <list-or-id>',
      "a distribution list or recipient id of the config (repeatable; default: the memo's distribution)",
      collect,
    )
    .option(
      '--force <reason>',
      'distribute a version nobody approved (the reason is logged with each copy)',
      reason,
    )
    .addOption(
      new Option('--send', "e-mail each copy to its recipient through the config's `smtp`"),
    )
    .addOption(
      new Option(
        '--dry-run',
        'write each message as a .eml file beside its copy instead of sending',
      ).conflicts('send'),
    )
    .option('--again', 'with --send: send also to those already sent to')
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .addOption(reporterOption())
    .option('-q, --quiet', 'print errors only')
    .action(
      async (
        slug: string,
        versionText: string | undefined,
        flags: DistributeFlags,
        command: Command,
      ) => {
        const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
        const options = { reporter: flags.reporter, color };
        const version = versionArgument(versionText);
        const delivering = flags.send === true || flags.dryRun === true;
        if (flags.again === true && !delivering)
          throw new UsageError('--again goes with --send (or --dry-run)');
        const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
        if (loaded.project === undefined) {
          reportNotLoaded(io.stderr, loaded.file, options, setExit);
          return;
        }
        const archive = path.resolve(io.cwd, loaded.project.archiveDir);
        const { distributeCopies } = await import('../../archive/distribution/distribute.js');
        const problems = new VFile({ path: path.relative(io.cwd, archive) || '.' });
        let summary: DeliverySummary | undefined;
        const send = delivering ? await import('../../archive/distribution/send.js') : undefined;
        const interrupt = delivering ? interruptible() : undefined;
        let result;
        try {
          result = await distributeCopies({
            archive,
            slug,
            version,
            to: flags.to,
            config: loaded.project.config,
            force: flags.force,
            now: new Date(),
            ...(send === undefined || interrupt === undefined
              ? {}
              : {
                  afterLogged: async (
                    distributed: Distributed,
                    append: (entries: readonly DeliveryEntry[]) => Promise<void>,
                  ) => {
                    // Delivery problems are reported at the version's log.
                    problems.path = path.relative(
                      io.cwd,
                      path.join(distributed.folder, 'log.json'),
                    );
                    summary = await send.deliverDistributed(distributed, append, {
                      config: loaded.project.config,
                      again: flags.again === true,
                      dryRun: flags.dryRun === true,
                      env: io.env,
                      now: () => new Date(),
                      signal: interrupt.signal,
                      file: problems,
                    });
                  },
                }),
          });
        } catch (error) {
          const problem = archiveProblemOf(error);
          if (problem === undefined) throw error;
          reportArchiveProblem(io.stderr, io.cwd, problem, options);
          setExit(1);
          return;
        } finally {
          interrupt?.release();
        }
        const where = (file: string) => path.relative(io.cwd, path.join(result.folder, file));
        if (flags.quiet !== true) {
          for (const copy of result.existing)
            io.stdout.write(
              `already made: copy ${copy.copy} of ${copy.of} for ${copy.name}, ${copy.office}: ${where(copy.file)}\n`,
            );
          for (const copy of result.made)
            io.stdout.write(
              `copy ${copy.copy} of ${copy.of} for ${copy.name}, ${copy.office}: ${where(copy.file)}\n`,
            );
          io.stdout.write(
            `${slug} v${result.version}: ${result.made.length} new ${result.made.length === 1 ? 'copy' : 'copies'}, logged in ${where('log.json')}\n`,
          );
          for (const line of summary === undefined || send === undefined
            ? []
            : send.summaryLines(summary))
            io.stdout.write(`${line}\n`);
        }
        if (problems.messages.length > 0) io.stderr.write(`${formatReport([problems], options)}\n`);
        const failed = problems.messages.some((message) => message.fatal === true);
        setExit(summary?.stopped === true ? 130 : failed ? 1 : 0);
      },
    );
}
