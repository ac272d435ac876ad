/**
 * The registry of output formats. Adding one is a module beside this file and
 * one line in `FORMATS`; build, cache and `--format` loop over this list.
 */
import type { OutputFormat } from './format.js';
import { docxFormat } from './docx.js';
import { htmlFormat } from './html.js';
import { pdfFormat } from './pdf.js';

export type { FormatInput, OutputFormat } from './format.js';

/** In the order their files are written and listed. */
export const FORMATS = [
  htmlFormat,
  pdfFormat,
  docxFormat,
] as const satisfies readonly OutputFormat[];

export type FormatName = (typeof FORMATS)[number]['name'];

/** Names that stand for several formats: `both` is what `memo build` has always made. */
export const FORMAT_ALIASES: Readonly<Record<string, readonly FormatName[]>> = {
  both: ['html', 'pdf'],
};

/** What a build is asked for: one name, an alias, or a list of names. */
export type FormatRequest = FormatName | 'both' | readonly FormatName[];

export const DEFAULT_FORMATS: readonly FormatName[] = ['html', 'pdf'];

function formatNamed(name: string): OutputFormat | undefined {
  return FORMATS.find((format) => format.name === name);
}

/** Every name `--format` takes, aliases included. */
export function formatNames(): string[] {
  return [...FORMATS.map((format) => format.name), ...Object.keys(FORMAT_ALIASES)];
}

/**
 * Read `html,pdf,docx` (any order, aliases allowed, repeats ignored) into the
 * formats in registry order; `unknown` lists the names that are none.
 */
export function parseFormats(text: string): {
  formats: Array<(typeof FORMATS)[number]>;
  unknown: string[];
} {
  const wanted = new Set<string>();
  const unknown: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    const alias = FORMAT_ALIASES[name];
    if (alias !== undefined) for (const each of alias) wanted.add(each);
    else if (formatNamed(name) !== undefined) wanted.add(name);
    else unknown.push(part.trim());
  }
  return { formats: FORMATS.filter((format) => wanted.has(format.name)), unknown };
}

/** The formats `request` names, in registry order. */
export function resolveFormats(request: FormatRequest = DEFAULT_FORMATS): OutputFormat[] {
  const names: readonly string[] = typeof request === 'string' ? [request] : request;
  const { formats } = parseFormats(names.join(','));
  return formats;
}
