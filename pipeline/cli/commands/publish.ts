/** `memo publish <source> [--archive DIR] [--force REASON]` */
import type { Command } from 'commander';
import { Option } from 'commander';
import { publishMemo } from '../../archive/publish.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { formatReport } from '../report.js';
import type { ReporterName } from '../report.js';

interface PublishFlags {
  readonly archive: string;
  readonly force?: string;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
}

function reason(value: string): string {
  if (value.trim() === '') throw new Error('--force needs a reason, e.g. --force "corrects the 2026-03 figures"');
  return value.trim();
}

export function registerPublish(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description('build a memo and store it as the next version in the archive')
    .argument('<source>', 'the memo to publish, e.g. sources/<slug>.md')
    .option('-a, --archive <dir>', 'archive folder', 'archive')
    .option('--force <reason>', "publish even though its date is older than the newest version's (the reason is kept in manifest.json)", reason)
    .addOption(new Option('--reporter <name>', 'problem report format').choices(['compact', 'stylish']).default('compact'))
    .option('-q, --quiet', 'print errors only')
    .action(async (source: string, flags: PublishFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const result = await publishMemo(source, {
        archiveDir: flags.archive,
        cwd: io.cwd,
        env: io.env,
        ...(flags.force === undefined ? {} : { forceReason: flags.force }),
        onLockWait: (lock, holder) => {
          if (flags.quiet !== true) io.stderr.write(`waiting for ${lock}, held by ${holder}…\n`);
        },
        ...(io.env['MEMO_CHROMIUM'] === undefined ? {} : { executablePath: io.env['MEMO_CHROMIUM'] }),
      });
      const report = formatReport([result.file, ...result.archiveFiles], {
        reporter: flags.reporter,
        color,
        quiet: flags.quiet === true,
      });
      if (report !== '') io.stderr.write(`${report}\n`);
      if (result.published === undefined) {
        io.stderr.write(`${result.file.path}: not published\n`);
        setExit(1);
        return;
      }
      const { folder, version, files } = result.published;
      if (flags.quiet !== true) io.stdout.write(`published ${folder} (version ${version}): ${files.join(', ')}\n`);
      setExit(0);
    });
}
