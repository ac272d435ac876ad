/** `memo audit [paths…]`: exit 1 when a built PDF or a stylesheet fails the archival and accessibility checklist. */
import type { Command } from 'commander';
import { loadProjectConfig } from '../../config/index.js';
import { projectRoot } from '../../paths.js';
import type { CliIo } from '../io.js';
import { useColor } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { formatReport, reportNotLoaded, plural } from '../report.js';
import type { ReporterName } from '../report.js';

interface AuditFlags {
  readonly config?: string;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
}

export function registerAudit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('audit')
    .description(
      'check built PDFs (PDF/A-2u and PDF/UA-1 identification, tags, links, fonts, safety) and the stylesheets’ text contrast',
    )
    .argument('[paths...]', 'PDF files or folders of PDFs (default: out, or outDir of the config)')
    .addOption(configOption())
    .addOption(reporterOption())
    .option('-q, --quiet', 'print errors only')
    .action(async (paths: string[], flags: AuditFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      let targets = paths;
      if (targets.length === 0) {
        const { config, file } = await loadProjectConfig(io.cwd, flags.config);
        if (config === undefined) {
          reportNotLoaded(io.stderr, file, { reporter: flags.reporter, color }, setExit);
          return;
        }
        targets = [config.outDir ?? 'out'];
      }
      const { audit, toolStylesheets, CHECK_NAMES } = await import('../../archive/audit/audit.js');
      const result = await audit(targets, await toolStylesheets(projectRoot()), io.cwd);
      const report = formatReport(result.files, {
        reporter: flags.reporter,
        color,
        quiet: flags.quiet === true,
      });
      if (report !== '') io.stderr.write(`${report}\n`);
      const failed = result.files.some((file) =>
        file.messages.some((message) => message.fatal === true),
      );
      const what = `${plural(result.pdfs, 'PDF')} and ${plural(result.stylesheets, 'stylesheet')}, ${plural(CHECK_NAMES.length, 'check')}`;
      if (failed) io.stderr.write(`audit failed (${what})\n`);
      else if (flags.quiet !== true) io.stdout.write(`audit passed (${what})\n`);
      setExit(failed ? 1 : 0);
    });
}
