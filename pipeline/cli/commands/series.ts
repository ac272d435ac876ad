/** `memo series [<series>] [--archive DIR] [--format text|json|csv]`: the status matrix of a series. */
import type { Command } from 'commander';
import { Option } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import type { CliIo } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';

interface SeriesFlags {
  readonly archive?: string;
  readonly config?: string;
  readonly format: 'text' | 'json' | 'csv';
  readonly reporter: ReporterName;
}

export function registerSeries(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('series')
    .description(
      "print every recommendation's status at each published memo of a series (default: every series)",
    )
    .argument('[series]', 'the series (the `series:` of its memos)')
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json', 'csv'])
        .default('text'),
    )
    .addOption(configOption())
    .addOption(reporterOption())
    .action(async (series: string | undefined, flags: SeriesFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
      if (loaded.project === undefined) {
        reportNotLoaded(io.stderr, loaded.file, { reporter: flags.reporter, color }, setExit);
        return;
      }
      const { seriesReport } = await import('../../archive/series-memos.js');
      const { trackerCsv, trackerJson, trackerText } = await import('../../archive/tracker.js');
      const report = await seriesReport({
        cwd: io.cwd,
        archiveDir: loaded.project.archiveDir,
        ...(loaded.project.config.sourcesDir === undefined
          ? {}
          : { sourcesDir: loaded.project.config.sourcesDir }),
        ...(series === undefined ? {} : { series }),
      });
      if (!report.ok) {
        io.stderr.write(`${formatReport([report.file], { reporter: flags.reporter, color })}\n`);
        setExit(1);
        return;
      }
      if (report.trackers.length === 0) {
        io.stderr.write(
          'no memo has a `series:` yet: give periodic memos the same `series:` slug\n',
        );
        setExit(0);
        return;
      }
      const format = { text: trackerText, json: trackerJson, csv: trackerCsv }[flags.format];
      // Several series: text blocks and CSV tables one after another, a blank line between; JSON a list.
      if (flags.format === 'json' && series === undefined && report.trackers.length > 1)
        io.stdout.write(`${JSON.stringify(report.trackers, null, 2)}\n`);
      else
        io.stdout.write(report.trackers.map(format).join(flags.format === 'csv' ? '\r\n' : '\n'));
      setExit(0);
    });
}
