/** `memo check [paths…] [--frail]`: parse the flags, check (pipeline/check.ts), report. */
import path from 'node:path';
import type { Command } from 'commander';
import { loadProjectConfig } from '../../config/index.js';
import { hasErrors } from '../../messages.js';
import type { CliIo } from '../io.js';
import { configOption, templatesOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';

interface CheckFlags {
  readonly frail?: boolean;
  readonly config?: string;
  readonly templates?: string;
  readonly reporter: ReporterName;
}

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('report every problem of memos (errors and warnings) without building them')
    .argument('[paths...]', 'memo files or folders (default: sources, or sourcesDir of the config)')
    .option('--frail', 'exit 1 on warnings too')
    .addOption(configOption())
    .addOption(templatesOption())
    .addOption(reporterOption())
    .action(async (paths: string[], flags: CheckFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const loaded = await loadProjectConfig(io.cwd, flags.config);
      if (loaded.config === undefined) {
        reportNotLoaded(io.stderr, loaded.file, { reporter: flags.reporter, color }, setExit);
        return;
      }
      const config = loaded.config;
      const given = paths.length > 0 ? paths : [config.sourcesDir ?? 'sources'];
      // Loaded on use: `memo --help` and the other commands never pay for it.
      const { checkMemos } = await import('../../check.js');
      const files = await checkMemos(given, {
        cwd: io.cwd,
        config,
        ...(flags.templates === undefined
          ? {}
          : { templates: path.resolve(io.cwd, flags.templates) }),
      });
      const configWarnings = loaded.file?.messages.length ? [loaded.file] : [];
      const report = formatReport([...configWarnings, ...files], {
        reporter: flags.reporter,
        color,
      });
      const memos = files.length;
      if (report === '')
        io.stderr.write(`${memos} memo${memos === 1 ? '' : 's'} checked: no problems\n`);
      else io.stderr.write(`${report}\n`);
      const errors = files.some(hasErrors);
      const warnings = [...configWarnings, ...files].some((file) =>
        file.messages.some((message) => message.fatal !== true),
      );
      setExit(errors || (flags.frail === true && warnings) ? 1 : 0);
    });
}
