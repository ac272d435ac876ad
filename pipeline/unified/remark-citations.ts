/**
 * Citations: Pandoc's `[@key]`, `[@key, p. 12]`, `[see @a; @b]` and `@key`
 * are looked up in the memo's `bibliography` file and formatted by citeproc in
 * the memo's `csl` style. In a notes style (Chicago, the default) each
 * citation becomes a footnote, full the first time and short after, so the
 * notes machinery places it (page-bottom notes in the PDF, endnotes in HTML);
 * in an author-date style (APA) it stays in the sentence. The cited sources
 * close the body under a "Sources" heading (`bibliography_title`, off with
 * `bibliography_section: false`).
 *
 * Errors: a key the bibliography lacks (with the closest key), a malformed
 * entry (at its line in the bibliography file), a missing or unusable file (at
 * the `bibliography` key); in `memo check`, entries never cited are a warning.
 */
import path from 'node:path';
import type { FootnoteDefinition, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import type { Citation, CitationItem } from 'citeproc';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import type { EngineCache } from '../citations/styles.js';
import { NOTE_STYLES } from '../citations/style-names.js';
import { findCitations } from '../citations/syntax.js';
import type { CiteMatch } from '../citations/syntax.js';
import { didYouMean } from '../frontmatter/suggest.js';
import { fail, inOtherFile, pointAt, warn } from '../messages.js';

export interface RemarkCitationsOptions {
  /** `memo check`: also warn about entries the memo never cites. */
  readonly lint?: boolean;
}

interface Found {
  readonly parent: Parent;
  readonly node: Text;
  readonly matches: readonly CiteMatch[];
  /** Inside one of the writer's own footnotes: formatted in place, not a new note. */
  readonly inNote: boolean;
  /** Source offset of the node's text, when known. */
  readonly offset: number | undefined;
}

/** Every text node holding a citation, in document order. */
function collect(tree: Root): Found[] {
  const found: Found[] = [];
  const walk = (parent: Parent, inNote: boolean) => {
    for (const child of parent.children) {
      if (child.type === 'text') {
        const matches = findCitations(child.value);
        if (matches.length > 0)
          found.push({
            parent,
            node: child,
            matches,
            inNote,
            offset: child.position?.start.offset,
          });
      } else if ('children' in child && child.type !== 'link' && child.type !== 'linkReference') {
        walk(child, inNote || child.type === 'footnoteDefinition');
      }
    }
  };
  walk(tree, false);
  return found;
}

/** Where `@key` is in the source (the text node's value may differ from it by escapes). */
function placeOf(source: string, found: Found, key: string, at: number): Point | undefined {
  if (found.offset === undefined) return found.node.position?.start;
  const end = found.node.position?.end.offset ?? source.length;
  const slice = source.slice(found.offset, end);
  const index = slice.indexOf(`@${key}`, Math.max(0, at - 8));
  return pointAt(source, found.offset + (index >= 0 ? index : slice.indexOf(`@${key}`)));
}

/** "Doe", "Doe and Roe", "Smith et al.", or the short title, for `@key says…`. */
function authorOf(item: Readonly<Record<string, unknown>>): string {
  const names = [item['author'], item['editor']].find(
    (value): value is unknown[] => Array.isArray(value) && value.length > 0,
  );
  const nameOf = (name: unknown): string => {
    if (name === null || typeof name !== 'object') return '';
    const family: unknown = Reflect.get(name, 'family');
    const literal: unknown = Reflect.get(name, 'literal');
    return typeof family === 'string' ? family : typeof literal === 'string' ? literal : '';
  };
  if (names !== undefined) {
    const first = nameOf(names[0]);
    if (names.length === 1) return first;
    if (names.length === 2) return `${first} and ${nameOf(names[1])}`;
    return `${first} et al.`;
  }
  const title = item['title-short'] ?? item['title'];
  return typeof title === 'string' ? title : String(item['id']);
}

function citationItems(match: CiteMatch, authorDate: boolean): CitationItem[] {
  return match.items.map((item) => ({
    id: item.key,
    ...(item.prefix === '' ? {} : { prefix: `${item.prefix} ` }),
    ...(item.suffix === '' ? {} : { suffix: item.suffix }),
    ...(item.locator === undefined ? {} : { locator: item.locator }),
    ...(item.label === undefined ? {} : { label: item.label }),
    ...(item.suppressAuthor || (match.inText && authorDate) ? { 'suppress-author': true } : {}),
  }));
}

function trimFinalStop(content: PhrasingContent[]): void {
  const last = content.at(-1);
  if (last?.type === 'text') last.value = last.value.replace(/\.$/, '');
}

/** A note is a sentence: `[see @a]` starts it with "See". */
function capitalised(content: PhrasingContent[]): PhrasingContent[] {
  const first = content[0];
  if (first?.type !== 'text') return content;
  return [
    { ...first, value: first.value.charAt(0).toUpperCase() + first.value.slice(1) },
    ...content.slice(1),
  ];
}

/** The bibliography's place for messages: its front matter key, or the top when it is the config's. */
function bibliographyPlace(file: VFile): Point {
  return file.data.frontMatterPlaces?.['bibliography'] ?? { line: 1, column: 1 };
}

function unusedEntries(
  file: VFile,
  name: string,
  keys: Iterable<string>,
  cited: ReadonlySet<string>,
): void {
  // A project-wide bibliography (from the config) is shared: only a memo's own is checked.
  const place = file.data.frontMatterPlaces?.['bibliography'];
  if (place === undefined) return;
  const unused = [...keys].filter((key) => !cited.has(key));
  if (unused.length === 0) return;
  const shown = unused
    .slice(0, 8)
    .map((key) => `\`${key}\``)
    .join(', ');
  const more = unused.length > 8 ? ` and ${unused.length - 8} more` : '';
  warn(
    file,
    `\`${name}\` has ${unused.length === 1 ? 'an entry' : `${unused.length} entries`} this memo never cites: ${shown}${more}; cite ${unused.length === 1 ? 'it' : 'them'} or remove ${unused.length === 1 ? 'it' : 'them'} from the file`,
    place,
    'citation-unused',
  );
}

export default function remarkCitations(options: RemarkCitationsOptions = {}) {
  // One citeproc engine per style for the whole run (building one takes about a second),
  // loaded with the bibliography reader only when a memo names a bibliography.
  let engines: EngineCache | undefined;
  return async (tree: Root, file: VFile): Promise<undefined> => {
    const frontMatter = file.data.frontMatter;
    if (frontMatter === undefined) return;
    const source = String(file.value);
    const found = collect(tree);
    const name = frontMatter.bibliography;
    if (name === undefined) {
      for (const entry of found) {
        for (const match of entry.matches) {
          const first = match.items[0];
          if (match.inText || first === undefined) continue;
          fail(
            file,
            `\`[@${first.key}]\` is a citation, but the memo names no bibliography: add \`bibliography: sources.bib\` (your BibTeX or CSL-JSON file) to the front matter`,
            placeOf(source, entry, first.key, match.start),
            'citation-unknown',
          );
        }
      }
      return;
    }

    const folder = path.resolve(file.cwd, file.dirname ?? '.');
    const { readBibliography } = await import('../citations/read-bibliography.js');
    const read = readBibliography(folder, name);
    if (!read.ok) {
      fail(file, read.reason, bibliographyPlace(file), 'bibliography-file');
      return;
    }
    (file.data.dependencies ??= []).push(read.file);
    file.data.bibliography = { file: read.file, bytes: read.bytes };
    if (!read.parsed.ok) {
      const shownPath = path.join(path.dirname(file.path), name);
      for (const problem of read.parsed.problems)
        inOtherFile(fail(file, problem.reason, problem.place, 'bibliography-syntax'), shownPath);
      return;
    }
    const items = read.parsed.items;
    const keys = [...items.keys()];

    // `@word` in a sentence is only a citation when it names an entry (or nearly does).
    let unknown = false;
    const matchesOf = new Map<Found, CiteMatch[]>();
    for (const entry of found) {
      const kept: CiteMatch[] = [];
      for (const match of entry.matches) {
        const first = match.items[0];
        if (match.inText && first !== undefined && !items.has(first.key)) {
          const near = didYouMean(first.key, keys);
          if (near === undefined) continue;
          fail(
            file,
            `\`@${first.key}\` is not in \`${name}\`; did you mean \`${near}\`?`,
            placeOf(source, entry, first.key, first.at),
            'citation-unknown',
          );
          unknown = true;
          continue;
        }
        for (const item of match.items) {
          if (items.has(item.key)) continue;
          const near = didYouMean(item.key, keys);
          fail(
            file,
            near === undefined
              ? `\`@${item.key}\` is not in \`${name}\`: add the source to that file, or check the key (it has ${
                  keys.length === 0
                    ? 'no entries'
                    : keys
                        .slice(0, 6)
                        .map((key) => `\`${key}\``)
                        .join(', ') + (keys.length > 6 ? ', …' : '')
                })`
              : `\`@${item.key}\` is not in \`${name}\`; did you mean \`${near}\`?`,
            placeOf(source, entry, item.key, item.at),
            'citation-unknown',
          );
          unknown = true;
        }
        kept.push(match);
      }
      if (kept.length > 0) matchesOf.set(entry, kept);
    }
    const cited = new Set<string>();
    for (const matches of matchesOf.values())
      for (const match of matches) for (const item of match.items) cited.add(item.key);
    if (options.lint === true) unusedEntries(file, name, keys, cited);
    if (unknown || matchesOf.size === 0) return;

    const style = frontMatter.csl;
    const notes = NOTE_STYLES.has(style);
    engines ??= new (await import('../citations/styles.js')).EngineCache();
    const { cslHtmlToPhrasing } = await import('../citations/csl-html.js'); // with its HTML parser
    const styled = engines.get(style);
    styled.items = items;
    styled.engine.updateItems([...cited]);

    // Note numbers: citations and the writer's own notes, in reading order.
    const citations: Citation[] = [];
    let noteIndex = 0;
    const order = new Map<CiteMatch, string>();
    for (const [entry, matches] of matchesOf) {
      for (const match of matches) {
        if (notes && !entry.inNote) noteIndex += 1;
        const id = `c${citations.length}`;
        order.set(match, id);
        citations.push({
          citationID: id,
          citationItems: citationItems(match, !notes),
          properties: { noteIndex: notes ? Math.max(1, noteIndex) : 0 },
        });
      }
    }
    const formatted = new Map<string, string>();
    for (const [id, , html] of styled.engine.rebuildProcessorState(citations, 'html'))
      formatted.set(id, html);

    const taken = new Set<string>();
    for (const child of tree.children)
      if (child.type === 'footnoteDefinition') taken.add(child.identifier);
    let next = 0;
    const definitions: FootnoteDefinition[] = [];
    const newNote = (content: PhrasingContent[]): PhrasingContent => {
      let identifier: string;
      do identifier = `cite-${(next += 1)}`;
      while (taken.has(identifier));
      definitions.push({
        type: 'footnoteDefinition',
        identifier,
        label: identifier,
        children: [{ type: 'paragraph', children: content }],
      });
      return { type: 'footnoteReference', identifier, label: identifier };
    };

    for (const [entry, matches] of matchesOf) {
      const value = entry.node.value;
      const replaced: PhrasingContent[] = [];
      let cursor = 0;
      let pending = '';
      for (const match of matches) {
        const content = cslHtmlToPhrasing(formatted.get(order.get(match) ?? '') ?? '');
        let before = pending + value.slice(cursor, match.start);
        pending = '';
        cursor = match.end;
        const author = match.inText
          ? authorOf(items.get(match.items[0]?.key ?? '') ?? {})
          : undefined;
        if (notes && !entry.inNote) {
          if (author === undefined) before = before.replace(/\s+$/, '');
          // The note mark goes after the punctuation that follows it.
          const punctuation = /^[.,;:!?]+/.exec(value.slice(cursor))?.[0] ?? '';
          cursor += punctuation.length;
          replaced.push({ type: 'text', value: before + (author ?? '') + punctuation });
          replaced.push(newNote(capitalised(content)));
        } else if (author !== undefined) {
          const [open, close] = notes ? [' (', ')'] : [' ', ''];
          replaced.push({ type: 'text', value: before + author + open }, ...content);
          if (close !== '') replaced.push({ type: 'text', value: close });
        } else {
          // In a sentence of the writer's note, the sentence's own full stop ends it.
          if (value.slice(cursor).startsWith('.')) trimFinalStop(content);
          replaced.push({ type: 'text', value: before }, ...content);
        }
      }
      replaced.push({ type: 'text', value: value.slice(cursor) });
      const merged = replaced.filter((node) => node.type !== 'text' || node.value !== '');
      const index = entry.parent.children.indexOf(entry.node);
      entry.parent.children.splice(index, 1, ...merged);
    }
    tree.children.push(...definitions);

    if (frontMatter.bibliography_section === 'false') return;
    const bibliography = styled.engine.makeBibliography();
    if (bibliography === false || bibliography[1].length === 0) return;
    tree.children.push(
      {
        type: 'heading',
        depth: 2,
        children: [{ type: 'text', value: frontMatter.bibliography_title }],
      },
      ...bibliography[1].map((html): RootContent => ({
        type: 'paragraph',
        children: cslHtmlToPhrasing(html),
      })),
    );
  };
}
