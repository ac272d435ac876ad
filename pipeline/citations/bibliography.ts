/**
 * A bibliography file's text turned into CSL items by citation key: BibTeX
 * (`.bib`, read by biblatex-csl-converter, which knows the line of each
 * problem) or CSL-JSON (`.json`, as Zotero exports it). A malformed entry is a
 * problem at its line and column in that file, in plain words.
 */
import { BibLatexParser, CSLExporter } from 'biblatex-csl-converter';
import type { Point } from 'unist';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { keyPlaces } from '../frontmatter/key-places.js';
import { pointAt } from '../messages.js';

export interface SourceProblem {
  readonly reason: string;
  readonly place: Point;
}

export type ParsedBibliography =
  | { readonly ok: true; readonly items: ReadonlyMap<string, Readonly<Record<string, unknown>>> }
  | { readonly ok: false; readonly problems: readonly SourceProblem[] };

/**
 * What the BibTeX conversion leaves for the styles to get right: a short
 * title for notes after the first (the title up to its colon, as Chicago
 * shortens), and a BibTeX `@article` in a journal as a journal article, with
 * its `number` as the issue.
 */
function normalised(item: Record<string, unknown>): Record<string, unknown> {
  const out = { ...item };
  const title = out['title'];
  if (out['title-short'] === undefined && typeof title === 'string') {
    const colon = title.indexOf(': ');
    if (colon > 0) out['title-short'] = title.slice(0, colon);
  }
  // A report's number is its own, not a series number.
  if (
    out['type'] === 'report' &&
    out['number'] === undefined &&
    out['collection-number'] !== undefined
  ) {
    out['number'] = out['collection-number'];
    delete out['collection-number'];
  }
  if (out['type'] === 'article' && out['container-title'] !== undefined) {
    out['type'] = 'article-journal';
    if (out['issue'] === undefined && out['collection-number'] !== undefined) {
      out['issue'] = out['collection-number'];
      delete out['collection-number'];
    }
  }
  return out;
}

interface EntryStart {
  readonly key: string;
  readonly line: number;
}

const ENTRY_START = /^[ \t]*@([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)/gm;

function entryStarts(text: string): EntryStart[] {
  const starts: EntryStart[] = [];
  for (const match of text.matchAll(ENTRY_START)) {
    const kind = (match[1] ?? '').toLowerCase();
    if (kind === 'comment' || kind === 'string' || kind === 'preamble') continue;
    starts.push({ key: match[2] ?? '', line: pointAt(text, match.index).line });
  }
  return starts;
}

interface BibError {
  readonly type: string;
  readonly expected?: string;
  readonly found?: string;
  readonly line?: number;
}

/** The column of `found` on `line` (1-based), else of the line's first character. */
function columnOn(text: string, line: number, found: string | undefined): number {
  const lineText = text.split('\n')[line - 1] ?? '';
  const at = found === undefined || found === '' ? -1 : lineText.indexOf(found);
  if (at >= 0) return at + 1;
  const first = lineText.search(/\S/);
  return first >= 0 ? first + 1 : 1;
}

function bibReason(error: BibError, entry: EntryStart | undefined): string {
  const which = entry === undefined ? 'an entry' : `entry \`${entry.key}\` (line ${entry.line})`;
  switch (error.type) {
    case 'token_mismatch':
      return `${which} has \`${error.found ?? ''}\` where \`${error.expected ?? ''}\` belongs: check its braces, quotes and commas`;
    case 'unexpected_eof':
      return `the file ends inside ${which}: a \`{\` or \`"\` in it is not closed`;
    case 'missing_equal_sign':
      return `a field of ${which} has no \`=\`: write each field as \`title = {…},\``;
    case 'runaway_key':
      return `the key of ${which} does not end: write it followed by a comma, as in \`@report{gao2021,\``;
    default:
      return `${which} could not be read: check its braces, quotes and commas`;
  }
}

/** The text of a parsed BibTeX field (nested lists of `{type: 'text', text}` nodes). */
function plainText(value: unknown): string {
  if (Array.isArray(value))
    return value.map(plainText).join(value.every(Array.isArray) ? ' and ' : '');
  if (value === null || typeof value !== 'object') return '';
  const text: unknown = Reflect.get(value, 'text');
  return typeof text === 'string' ? text : '';
}

export function parseBibtex(text: string): ParsedBibliography {
  const parsed = new BibLatexParser(text, {
    processUnexpected: true,
    processUnknown: true,
  }).parse();
  const starts = entryStarts(text);
  const problems: SourceProblem[] = [];
  const seenLines = new Set<number>();
  for (const error of parsed.errors) {
    const line = Math.max(1, error.line ?? 1);
    if (seenLines.has(line)) continue;
    seenLines.add(line);
    if (error.type === 'token_mismatch' && error.found === '@') {
      // Found at the next entry: point at the entry that was left open.
      const open = starts.filter((start) => start.line < line).at(-1);
      problems.push({
        reason: `entry \`${open?.key ?? ''}\` is not closed before the next entry starts (line ${line}): a \`{\` in it has no matching \`}\`; check the braces of its fields`,
        place: { line: open?.line ?? line, column: columnOn(text, open?.line ?? line, '@') },
      });
      continue;
    }
    const entry = starts.filter((start) => start.line <= line).at(-1);
    problems.push({
      reason: bibReason(error, entry),
      place: { line, column: columnOn(text, line, error.found) },
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const csl = new CSLExporter(parsed.entries, false, { useEntryKeys: true }).parse();
  // The converter leaves out a report's `institution`: it is the report's publisher.
  const institutions = new Map<string, string>();
  for (const entry of Object.values(parsed.entries)) {
    const institution = plainText(entry.fields['institution']).trim();
    if (institution !== '') institutions.set(entry.entry_key, institution);
  }
  const items = new Map<string, Readonly<Record<string, unknown>>>();
  for (const entry of Object.values(csl)) {
    if (typeof entry.id !== 'string' || entry.id === '') continue;
    const institution = institutions.get(entry.id);
    items.set(
      entry.id,
      normalised(
        institution === undefined || entry['publisher'] !== undefined
          ? entry
          : { ...entry, publisher: institution },
      ),
    );
  }
  return { ok: true, items };
}

const cslItemSchema = z.looseObject({
  id: z.union([z.string().trim().min(1), z.number()]),
  type: z.string().min(1),
});
const cslJsonSchema = z.array(cslItemSchema);

/** Where JSON.parse stopped ("… in JSON at position 42"), else the start. */
function jsonErrorPlace(text: string, error: unknown): Point {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return pointAt(text, match === null ? 0 : Number(match[1]));
}

export function parseCslJson(text: string): ParsedBibliography {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          reason:
            'the file is not valid CSL-JSON here: check the commas, quotes and brackets (export it again from Zotero as “CSL JSON” if unsure)',
          place: jsonErrorPlace(text, error),
        },
      ],
    };
  }
  const checked = cslJsonSchema.safeParse(data);
  if (!checked.success) {
    const lines = new LineCounter();
    const places = keyPlaces(parseDocument(text, { lineCounter: lines }).contents, lines, 1);
    return {
      ok: false,
      problems: checked.error.issues.slice(0, 10).map((issue) => {
        const path = issue.path.map(String);
        const item = path[0];
        const place = places[path.join('.')] ?? (item === undefined ? undefined : places[item]);
        const reason =
          path.length === 0
            ? 'a CSL-JSON file holds a list of entries (`[{"id": "gao2021", "type": "report", …}]`)'
            : path[1] === 'id'
              ? `entry ${Number(item) + 1} has no usable \`id\`: give each entry the key the memo cites it by`
              : path[1] === 'type'
                ? `entry ${Number(item) + 1} has no \`type\` (such as \`"report"\`, \`"book"\` or \`"article-journal"\`)`
                : `entry ${Number(item) + 1} is not an entry: each item of the list is an object with an \`id\` and a \`type\``;
        return { reason, place: place ?? { line: 1, column: 1 } };
      }),
    };
  }
  const items = new Map<string, Readonly<Record<string, unknown>>>();
  for (const item of checked.data) {
    const id = String(item.id).trim();
    items.set(id, normalised({ ...item, id }));
  }
  return { ok: true, items };
}
