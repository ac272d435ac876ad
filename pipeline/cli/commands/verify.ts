/** `memo verify [--archive DIR]`: exit 1 when any version's files changed or went missing. */
import path from 'node:path';
import type { Command } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import type { CliIo } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded, plural } from '../report.js';
import type { ReporterName } from '../report.js';
import { printable } from '../../util/unsafe-text.js';

interface VerifyFlags {
  readonly archive?: string;
  readonly config?: string;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
  readonly repair?: boolean;
}

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('verify')
    .description(
      're-hash every file of every archived version and report changed, missing or unexpected files',
    )
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .addOption(reporterOption())
    .option(
      '--repair',
      'rewrite the index, series pages and redlines from versions.json and the manifests when they are the only problem',
    )
    .option('-q, --quiet', 'print errors only')
    .action(async (flags: VerifyFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
      if (loaded.project === undefined) {
        reportNotLoaded(io.stderr, loaded.file, { reporter: flags.reporter, color }, setExit);
        return;
      }
      const archive = path.relative(io.cwd, path.resolve(io.cwd, loaded.project.archiveDir)) || '.';
      const { repairArchive, verifyArchive } = await import('../../archive/verify.js');
      const repair = flags.repair === true ? await repairArchive(archive, io.cwd) : undefined;
      const result = repair?.verified ?? (await verifyArchive(archive, io.cwd));
      if (flags.quiet !== true)
        for (const rewritten of repair?.rewritten ?? [])
          io.stdout.write(`repaired ${printable(rewritten)}\n`);
      const report = formatReport(result.files, {
        reporter: flags.reporter,
        color,
        quiet: flags.quiet === true,
      });
      if (report !== '') io.stderr.write(`${report}\n`);
      const failed = result.files.some((file) =>
        file.messages.some((message) => message.fatal === true),
      );
      const checked = `${plural(result.memos, 'memo')}, ${plural(result.versions, 'version')}, ${plural(result.hashed, 'file')} re-hashed`;
      if (repair?.refused === true)
        io.stderr.write(
          `${archive}: nothing was repaired: --repair rewrites only the index, series pages and redlines, and the problems above are in the versions or versions.json\n`,
        );
      if (failed) io.stderr.write(`${archive}: verification failed (${checked})\n`);
      else if (flags.quiet !== true)
        io.stdout.write(`${archive}: every version verified (${checked})\n`);
      setExit(failed ? 1 : 0);
    });
}
