/**
 * Pandoc's citation syntax in a run of text: `[@key]`, `[@key, p. 12]`,
 * `[see @a; @b]`, `[-@key]` (year only), and `@key` in the sentence
 * ("@key says…"). An `@` after a letter or digit (an e-mail address) is not a
 * citation.
 */

/** A key starts with a letter, digit or `_`; inner punctuation only between them. */
const KEY = String.raw`[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&+?<>~/-](?=[\p{L}\p{N}_]))*`;
const BRACKET = /\[([^[\]]*)\](?![([:])/gu;
const ITEM = new RegExp(String.raw`^(.*?)(-?)@(${KEY})(.*)$`, 'su');
const IN_TEXT = new RegExp(String.raw`(?<![\p{L}\p{N}_@.\\])@(${KEY})`, 'gu');

const LABELS: Readonly<Record<string, string>> = {
  p: 'page',
  pp: 'page',
  page: 'page',
  pages: 'page',
  chap: 'chapter',
  chapter: 'chapter',
  sec: 'section',
  section: 'section',
  para: 'paragraph',
  paragraph: 'paragraph',
  fig: 'figure',
  figure: 'figure',
  vol: 'volume',
  volume: 'volume',
  n: 'note',
  nn: 'note',
  note: 'note',
};
const LOCATOR = new RegExp(
  String.raw`^,?\s*(?:(${Object.keys(LABELS).join('|')})\.?\s+)?(\d[\p{L}\p{N}]*(?:\s*[-–,]\s*\d[\p{L}\p{N}]*)*)(.*)$`,
  'isu',
);

export interface CiteItem {
  readonly key: string;
  /** Offset of the `@` in the text. */
  readonly at: number;
  readonly prefix: string;
  readonly suffix: string;
  readonly locator?: string;
  readonly label?: string;
  readonly suppressAuthor: boolean;
}

export interface CiteMatch {
  readonly start: number;
  readonly end: number;
  readonly items: readonly CiteItem[];
  /** `@key` in the sentence: the author is named in the text. */
  readonly inText: boolean;
}

function locatorOf(rest: string): Pick<CiteItem, 'locator' | 'label' | 'suffix'> {
  const match = LOCATOR.exec(rest);
  if (match === null) return { suffix: rest.trimEnd() };
  const label = LABELS[(match[1] ?? 'p').toLowerCase()] ?? 'page';
  const suffix = (match[3] ?? '').trimEnd();
  return { locator: (match[2] ?? '').replace(/\s+/g, ''), label, suffix };
}

function bracketItems(inner: string, innerStart: number): CiteItem[] | undefined {
  const items: CiteItem[] = [];
  let offset = innerStart;
  for (const part of inner.split(';')) {
    const match = ITEM.exec(part);
    const prefix = match?.[1] ?? '';
    // `[write to a@b.org]` is not a citation: the `@` must not follow a letter.
    if (match === null || /[\p{L}\p{N}_.]$/u.test(prefix)) return undefined;
    const key = match[3] ?? '';
    items.push({
      key,
      at: offset + prefix.length + (match[2] ?? '').length,
      prefix: prefix.trim(),
      suppressAuthor: match[2] === '-',
      ...locatorOf(match[4] ?? ''),
    });
    offset += part.length + 1;
  }
  return items;
}

/** The citations in `text`, in order. */
export function findCitations(text: string): CiteMatch[] {
  if (!text.includes('@')) return []; // every citation has one
  const found: CiteMatch[] = [];
  for (const match of text.matchAll(BRACKET)) {
    const inner = match[1] ?? '';
    if (!inner.includes('@')) continue;
    const items = bracketItems(inner, match.index + 1);
    if (items === undefined) continue;
    found.push({ start: match.index, end: match.index + match[0].length, items, inText: false });
  }
  for (const match of text.matchAll(IN_TEXT)) {
    if (found.some((cite) => match.index >= cite.start && match.index < cite.end)) continue;
    const key = match[1] ?? '';
    found.push({
      start: match.index,
      end: match.index + match[0].length,
      items: [{ key, at: match.index, prefix: '', suffix: '', suppressAuthor: false }],
      inText: true,
    });
  }
  return found.sort((a, b) => a.start - b.start);
}
