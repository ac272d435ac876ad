/** Options several commands share, declared once so their wording and defaults stay the same. */
import { Option } from 'commander';
import { formatNames, parseFormats } from '../render/formats/index.js';
import type { FormatName } from '../render/formats/index.js';

export function configOption(): Option {
  return new Option(
    '-c, --config <file>',
    'project config (default: memo.config.json, .ts or .js in the working directory)',
  );
}

export function templatesOption(): Option {
  return new Option(
    '--templates <dir>',
    'folder of templates, partials and CSS overriding the built-in ones',
  );
}

export function reporterOption(): Option {
  return new Option('--reporter <name>', 'problem report format')
    .choices(['compact', 'stylish'])
    .default('compact');
}

/** A mistake in how the command was called (an option's value, an environment variable): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Most memos printed at once: each holds a browser page (about 100 MB) and a finished document. */
export const MAX_CONCURRENCY = 16;
/** Longest print timeout: one hour (Node's timers cannot wait longer than 24.8 days at all). */
export const MAX_TIMEOUT_MS = 3_600_000;

/** A parser for a whole number from `min` to `max`, naming `what` in its usage error. */
export function wholeNumber(what: string, min: number, max: number): (value: string) => number {
  return (value: string): number => {
    const parsed = Number(value.trim());
    if (value.trim() === '' || !Number.isInteger(parsed))
      throw new UsageError(`${what} must be a whole number from ${min} to ${max}, got ${value}`);
    if (parsed < min || parsed > max)
      throw new UsageError(`${what} must be between ${min} and ${max}, got ${value}`);
    return parsed;
  };
}

/** `--format html,pdf,docx` (or `both`): the formats in the registry's order. */
export function formatList(value: string): FormatName[] {
  const { formats, unknown } = parseFormats(value);
  if (unknown.length > 0 || formats.length === 0) {
    const wrong = unknown.length > 0 ? unknown.join(', ') : value;
    throw new UsageError(
      `--format takes ${formatNames().join(', ')}, or several of them with commas; got \`${wrong.trim()}\``,
    );
  }
  return formats.map((format) => format.name);
}
