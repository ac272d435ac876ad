/** `memo publish <source> [--archive DIR] [--config FILE] [--force REASON]` */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadArchiveProject } from '../../archive/project.js';
import type { CliIo } from '../io.js';
import { UsageError, configOption, formatList, reporterOption, wholeNumber } from '../options.js';
import type { FormatName } from '../../render/formats/index.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';
import { codePointName, firstUnsafeChar, printable } from '../../util/unsafe-text.js';
import { MAX_NOTE_CHARS } from '../../archive/layout.js';

interface PublishFlags {
  readonly archive?: string;
  readonly config?: string;
  readonly force?: string;
  readonly note?: string;
  readonly requireCommitted?: boolean;
  readonly lockTimeout: number;
  readonly reporter: ReporterName;
  readonly quiet?: boolean;
  readonly format?: readonly FormatName[];
}

/** Longest wait for another publish's lock: one hour. */
const MAX_LOCK_WAIT_S = 3600;
/** Most browser slots `MEMO_BROWSER_SLOTS` may ask for. */
const MAX_SLOTS = 64;

function seconds(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > MAX_LOCK_WAIT_S)
    throw new UsageError(
      `--lock-timeout must be a number of seconds from 0 to ${MAX_LOCK_WAIT_S}, got ${value}`,
    );
  return parsed;
}

function reason(value: string): string {
  if (value.trim() === '')
    throw new InvalidArgumentError(
      '--force needs a reason, e.g. --force "corrects the 2026-03 figures"',
    );
  return value.trim();
}

function note(value: string): string {
  const text = value.trim();
  if (text === '')
    throw new InvalidArgumentError('--note needs a text, e.g. --note "updates the 2026 figures"');
  if (text.length > MAX_NOTE_CHARS)
    throw new InvalidArgumentError(
      `--note is ${text.length} characters long; keep it under ${MAX_NOTE_CHARS} (the memo says the rest)`,
    );
  if (firstUnsafeChar(text) !== undefined)
    throw new InvalidArgumentError(
      `--note contains the control character ${codePointName(firstUnsafeChar(text) ?? '')}; write it as plain text`,
    );
  return text;
}

export function registerPublish(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('publish')
    .description('build a memo and store it as the next version in the archive')
    .argument('<source>', 'the memo to publish, e.g. sources/<slug>.md')
    .option('-a, --archive <dir>', 'archive folder (default: archive, or archiveDir of the config)')
    .addOption(configOption())
    .option(
      '--force <reason>',
      "publish even though it has placeholders or its date is older than the newest version's (the reason is kept in manifest.json)",
      reason,
    )
    .option(
      '--note <text>',
      'what changed in this version, in a sentence (kept in manifest.json, shown in the archive index)',
      note,
    )
    .option(
      '--require-committed',
      'refuse a source with changes not committed to git (default: publish with a warning)',
    )
    .option(
      '--lock-timeout <seconds>',
      `how long to wait while another publish of the same memo holds its lock (at most ${MAX_LOCK_WAIT_S})`,
      seconds,
      120,
    )
    .option(
      '-f, --format <formats>',
      'formats to publish besides HTML and PDF, which every version has (docx)',
      formatList,
    )
    .addOption(reporterOption())
    .option('-q, --quiet', 'print errors only')
    .action(async (source: string, flags: PublishFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const slotsVariable = io.env['MEMO_BROWSER_SLOTS'];
      const slots =
        slotsVariable === undefined
          ? undefined
          : wholeNumber('MEMO_BROWSER_SLOTS (0: no limit)', 0, MAX_SLOTS)(slotsVariable);
      const loaded = await loadArchiveProject(io.cwd, flags.config, flags.archive);
      if (loaded.project === undefined) {
        reportNotLoaded(io.stderr, loaded.file, { reporter: flags.reporter, color }, setExit);
        return;
      }
      // Loaded on use: other commands never pay for the pipeline.
      const { publishMemo } = await import('../../archive/publish.js');
      const result = await publishMemo(source, {
        archiveDir: loaded.project.archiveDir,
        config: loaded.project.config,
        cwd: io.cwd,
        env: io.env,
        ...(flags.force === undefined ? {} : { forceReason: flags.force }),
        ...(flags.note === undefined ? {} : { note: flags.note }),
        ...(flags.requireCommitted === true ? { requireCommitted: true } : {}),
        lockTimeoutMs: flags.lockTimeout * 1000,
        ...(flags.format === undefined ? {} : { formats: flags.format }),
        ...(slots === undefined ? {} : { renderSlots: { slots } }),
        onLockWait: (lock, holder) => {
          if (flags.quiet !== true) io.stderr.write(`waiting for ${lock}, held by ${holder}…\n`);
        },
        ...(io.env['MEMO_CHROMIUM'] === undefined
          ? {}
          : { executablePath: io.env['MEMO_CHROMIUM'] }),
      });
      const report = formatReport([result.file, ...result.archiveFiles], {
        reporter: flags.reporter,
        color,
        quiet: flags.quiet === true,
      });
      if (report !== '') io.stderr.write(`${report}\n`);
      if (result.published === undefined) {
        io.stderr.write(`${printable(result.file.path)}: not published\n`);
        setExit(1);
        return;
      }
      const { folder, version, files } = result.published;
      if (flags.quiet !== true)
        io.stdout.write(`published ${folder} (version ${version}): ${files.join(', ')}\n`);
      setExit(0);
    });
}
