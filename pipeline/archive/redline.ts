/**
 * The redline of two versions of a memo: the data of the page (front matter
 * entries, recommendations, distribution and text blocks, each as kept /
 * inserted / deleted segments) and its rendering through
 * templates/archive/redline.hbs.
 *
 * The front matter and the text blocks are compared from the two manifests
 * (what was published, validated; rehype-memo-blocks.ts cut the text).
 */
import { diffArrays } from 'diff';
import { STATUS_LABELS, displayDate, joinNames } from '../render/create-view.js';
import { cssString, pageSize } from '../render/page-css.js';
import { displayTime } from './display-time.js';
import type { ArchivedRecommendation, Manifest } from './manifest.js';
import type { TextBlock } from '../unified/data.js';
import type { ArchiveTemplates } from './templates.js';
import {
  alignBlocks,
  countWords,
  deletedText,
  insertedText,
  kept,
  wordSegments,
} from './word-diff.js';
import type { Change, Segment } from './word-diff.js';

export interface VersionInput {
  readonly manifest: Manifest;
  /** The version's body and notes as text blocks. */
  readonly blocks: readonly TextBlock[];
}

interface Row {
  readonly change: Change;
  readonly segments: readonly Segment[];
}

export interface RedlineStats {
  readonly insertedWords: number;
  readonly deletedWords: number;
  readonly changedBlocks: number;
  readonly totalBlocks: number;
  readonly changedFields: number;
}

export interface Redline {
  readonly slug: string;
  /** The newer version's classification marking, printed on every page. */
  readonly classification: string | null;
  readonly documentTitle: string;
  readonly description: string;
  readonly stats: RedlineStats;
  /** Template data. */
  readonly page: object;
}

function segmentsFor(before: string | null, after: string | null): Row | undefined {
  if (before === null && after === null) return undefined;
  if (before === null) return { change: 'added', segments: [insertedText(after ?? '')] };
  if (after === null) return { change: 'removed', segments: [deletedText(before)] };
  if (before === after) return { change: 'same', segments: [kept(after)] };
  return { change: 'changed', segments: wordSegments(before, after) };
}

function fieldRows(a: Manifest, b: Manifest) {
  const authors = (manifest: Manifest) =>
    manifest.memo.authors.length === 0 ? null : joinNames(manifest.memo.authors);
  const date = (manifest: Manifest) => displayDate(manifest.date, manifest.memo.lang);
  const fields: [string, string | null, string | null][] = [
    ['Title', a.title, b.title],
    ['Subtitle', a.memo.subtitle, b.memo.subtitle],
    ['Authors', authors(a), authors(b)],
    ['Organization', a.memo.organization, b.memo.organization],
    ['Date', date(a), date(b)],
    ['Classification', a.memo.classification, b.memo.classification],
    ['Summary', a.memo.summary, b.memo.summary],
  ];
  return fields.flatMap(([label, before, after]) => {
    const row = segmentsFor(before, after);
    return row === undefined ? [] : [{ label, ...row, changed: row.change !== 'same' }];
  });
}

function recommendationRows(manifestA: Manifest, manifestB: Manifest) {
  const [a, b] = [manifestA.memo.recommendations, manifestB.memo.recommendations];
  const rows = [];
  const numberIn = (list: readonly ArchivedRecommendation[], id: string) =>
    list.findIndex((item) => item.id === id) + 1;
  const byIdA = new Map(a.map((item) => [item.id, item]));
  for (const part of diffArrays([...a], [...b], { comparator: (x, y) => x.id === y.id })) {
    for (const item of part.value) {
      const before = part.added ? undefined : byIdA.get(item.id);
      const after = part.removed ? undefined : item;
      const title = segmentsFor(before?.title ?? null, after?.title ?? null);
      const status = segmentsFor(
        before === undefined ? null : STATUS_LABELS[before.status],
        after === undefined ? null : STATUS_LABELS[after.status],
      );
      const changes = [title?.change, status?.change];
      const change: Change =
        after === undefined
          ? 'removed'
          : before === undefined
            ? 'added'
            : changes.includes('changed')
              ? 'changed'
              : 'same';
      const notes = {
        removed: 'removed',
        added: 'added',
        same: null,
        changed:
          status?.change === 'changed'
            ? title?.change === 'changed'
              ? 'title and status changed'
              : 'status changed'
            : 'title changed',
      };
      rows.push({
        label:
          after === undefined
            ? `Recommendation ${numberIn(a, item.id)} of version ${manifestA.version}`
            : `Recommendation ${numberIn(b, item.id)}`,
        change,
        changeLabel: notes[change],
        title: title?.segments ?? [],
        status: status?.segments ?? [],
      });
    }
  }
  return rows;
}

function distributionRows(a: readonly string[], b: readonly string[]): Row[] {
  return diffArrays([...a], [...b]).flatMap((change) =>
    change.value.map((name): Row => {
      if (change.added) return { change: 'added', segments: [insertedText(name)] };
      if (change.removed) return { change: 'removed', segments: [deletedText(name)] };
      return { change: 'same', segments: [kept(name)] };
    }),
  );
}

/** A note reference as rehype-memo-blocks.ts writes it: "[3]". */
const NOTE_REF = /\[\d+\]/g;

/** The text with note numbers taken out: a note added earlier renumbers the later ones, which is no change of theirs. */
const withoutNoteNumbers = (text: string) => text.replace(NOTE_REF, '[#]');

/** The cells of a table row block ("a | b | c", rehype-memo-blocks.ts). */
const cellsOf = (text: string) => text.split(' | ');

/** A table row, cell by cell: each cell its own word diff, added or removed cells whole. */
function rowCells(before: string | null, after: string | null) {
  const [a, b] = [before === null ? [] : cellsOf(before), after === null ? [] : cellsOf(after)];
  return Array.from({ length: Math.max(a.length, b.length) }, (_, index) => {
    const row = segmentsFor(a[index] ?? null, b[index] ?? null);
    return {
      change: row?.change ?? 'same',
      changed: row !== undefined && row.change !== 'same',
      segments: row?.segments ?? [],
    };
  });
}

function blockRows(a: readonly TextBlock[], b: readonly TextBlock[]) {
  const same = (x: TextBlock, y: TextBlock) =>
    x.kind === y.kind &&
    x.level === y.level &&
    withoutNoteNumbers(x.text) === withoutNoteNumbers(y.text);
  let changes = 0;
  return alignBlocks(a, b, same, (block) => block.text).map(({ change, before, after }) => {
    const block = after ?? before;
    // Renumbered notes only: the block reads as the new version has it, unmarked.
    const row =
      change === 'same'
        ? segmentsFor(after?.text ?? null, after?.text ?? null)
        : segmentsFor(before?.text ?? null, after?.text ?? null);
    const isRow = block?.kind === 'row';
    const changed = change !== 'same';
    if (changed) changes += 1;
    return {
      change,
      changed,
      /** The anchor of the n-th change, for the jump list. */
      anchor: changed ? `change-${changes}` : null,
      kind: block?.kind ?? 'paragraph',
      heading: block?.kind === 'heading',
      row: isRow,
      cells: isRow ? rowCells(before?.text ?? null, after?.text ?? null) : [],
      // The page's h1 is the title, its h2 the sections: memo headings go one level down.
      level: Math.min(6, (block?.level ?? 2) + 1),
      segments: row?.segments ?? [],
    };
  });
}

type BlockRow = ReturnType<typeof blockRows>[number];

/** Consecutive table rows as one table; every other block on its own. */
function blockParts(rows: readonly BlockRow[]) {
  const parts: { table: boolean; rows: BlockRow[] }[] = [];
  for (const row of rows) {
    const last = parts.at(-1);
    if (row.row && last?.table === true) last.rows.push(row);
    else parts.push({ table: row.row, rows: [row] });
  }
  return parts;
}

/** The text of the newer version (of the older one, for a removed passage). */
function readText(segments: readonly Segment[], change: Change): string {
  return segments
    .filter((segment) => (change === 'removed' ? !segment.inserted : !segment.deleted))
    .map((segment) => segment.text)
    .join('');
}

/** The jump list: each changed passage, the heading it is under, and a short excerpt. */
function jumpList(rows: readonly BlockRow[]) {
  let section = '';
  const out = [];
  for (const row of rows) {
    const text = row.row
      ? `table row: ${row.cells.map((cell) => readText(cell.segments, row.change)).join(', ')}`
      : readText(row.segments, row.change);
    if (row.heading && row.change !== 'removed') section = text;
    if (row.anchor === null) continue;
    const excerpt = text.length > 90 ? `${text.slice(0, 87).trimEnd()}…` : text;
    out.push({
      anchor: row.anchor,
      what: { added: 'Added', removed: 'Removed', changed: 'Changed', same: '' }[row.change],
      section,
      excerpt,
    });
  }
  return out;
}

function versionFacts(manifest: Manifest) {
  return {
    version: manifest.version,
    date: manifest.date,
    dateDisplay: displayDate(manifest.date, manifest.memo.lang),
    publishedAt: manifest.published_at,
    publishedDisplay: displayTime(manifest.published_at),
  };
}

function countIn(
  rows: readonly { readonly segments: readonly Segment[] }[],
  pick: (segment: Segment) => boolean,
): number {
  return rows.reduce(
    (sum, row) =>
      sum +
      row.segments.filter(pick).reduce((words, segment) => words + countWords(segment.text), 0),
    0,
  );
}

/** `indexHref`: the archive index, from a redline page stored in the archive (null for `memo diff`). */
export function buildRedline(
  a: VersionInput,
  b: VersionInput,
  generator: string,
  indexHref: string | null = null,
): Redline {
  const fields = fieldRows(a.manifest, b.manifest);
  const recommendations = recommendationRows(a.manifest, b.manifest);
  const distribution = distributionRows(a.manifest.memo.distribution, b.manifest.memo.distribution);
  const blocks = blockRows(a.blocks, b.blocks);
  const recommendationSegments = recommendations.map((row) => ({
    segments: [...row.title, ...row.status],
  }));
  const all = [...fields, ...recommendationSegments, ...distribution, ...blocks];
  const stats: RedlineStats = {
    insertedWords: countIn(all, (segment) => segment.inserted),
    deletedWords: countIn(all, (segment) => segment.deleted),
    changedBlocks: blocks.filter((row) => row.change !== 'same').length,
    totalBlocks: blocks.length,
    changedFields: [...fields, ...recommendations, ...distribution].filter(
      (row) => row.change !== 'same',
    ).length,
  };
  const [versionA, versionB] = [a.manifest.version, b.manifest.version];
  const documentTitle = `Redline of ${b.manifest.title}: version ${versionA} to version ${versionB}`;
  const description = `${stats.insertedWords} words inserted, ${stats.deletedWords} deleted, between version ${versionA} and version ${versionB} of ${b.manifest.slug}.`;
  return {
    slug: b.manifest.slug,
    classification: b.manifest.memo.classification,
    documentTitle,
    description,
    stats,
    page: {
      lang: b.manifest.memo.lang,
      slug: b.manifest.slug,
      title: b.manifest.title,
      documentTitle,
      description,
      generator,
      indexHref,
      a: versionFacts(a.manifest),
      b: versionFacts(b.manifest),
      stats: {
        ...stats,
        oneInserted: stats.insertedWords === 1,
        oneDeleted: stats.deletedWords === 1,
        oneField: stats.changedFields === 1,
      },
      fields,
      recommendations,
      distribution,
      parts: blockParts(blocks),
      jumps: jumpList(blocks),
      classification: b.manifest.memo.classification,
      textChanged: stats.changedBlocks > 0,
    },
  };
}

/** The redline as one self-contained HTML page (fonts inlined, no requests). */
export function renderRedline(
  redline: Redline,
  paper: Manifest['memo']['paper'],
  templates: ArchiveTemplates,
  fontsCss: string,
): string {
  // The classification marking on every page, top and bottom, as on the memo (page-css.ts).
  const marking = redline.classification === null ? null : cssString(redline.classification);
  const page = [
    `@page {`,
    `  size: ${pageSize(paper)};`,
    ...(marking === null
      ? []
      : [`  @top-center { content: ${marking}; }`, `  @bottom-center { content: ${marking}; }`]),
    '}',
  ].join('\n');
  const css = `${fontsCss}\n${templates.css.redline}\n${page}\n`;
  return templates.render('redline', redline.page, css);
}
