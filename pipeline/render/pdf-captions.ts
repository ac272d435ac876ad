/**
 * Table captions tagged /Caption, the first kid of their /Table (PDF/UA-1, ISO 32000-1 14.8.4.3).
 * Found by structure order, not by text: HTML allows nothing but a caption beside a table's rows,
 * so a /Table's element kids before its first row (or after its last) are its caption's content.
 */
import { PDFArray, PDFDict, PDFName, PDFRef } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import type { ObjectStore } from './pdf-archival.js';
import type { Resolve } from './pdf-file.js';
import { bytesOf, nameOffsets, objectsAt } from './pdf-search.js';
import type { ObjectOffsets } from './pdf-search.js';

const ROWS: ReadonlySet<string> = new Set(['TR', 'THead', 'TBody', 'TFoot']);

const typeOf = (value: PDFObject | undefined): string | undefined => {
  const type = value instanceof PDFDict ? value.get(PDFName.of('S')) : undefined;
  return type instanceof PDFName ? type.decodeText() : undefined;
};

/** A table's kids, as its /K lists them (one kid may be written without an array). */
function kidsOf(table: PDFDict, resolve: Resolve): PDFObject[] {
  const kids = resolve(table.get(PDFName.of('K')));
  if (kids instanceof PDFArray) return kids.asArray();
  return kids === undefined ? [] : [table.get(PDFName.of('K')) ?? kids];
}

interface LooseCaption {
  /** The caption's content, in order. */
  readonly kids: readonly PDFObject[];
  /** The table's other kids, in order. */
  readonly rest: readonly PDFObject[];
  readonly at: 'first' | 'last';
}

/**
 * The caption content a /Table holds outside a /Caption: its element kids (not rows, not bare
 * marked content: that is the table's own borders and background) before its first row, or after
 * its last, with where they sit. Undefined when the table has a /Caption kid or no loose caption.
 */
export function looseCaption(table: PDFDict, resolve: Resolve): LooseCaption | undefined {
  const kids = kidsOf(table, resolve);
  const types = kids.map((kid) => typeOf(resolve(kid)));
  if (types.includes('Caption')) return undefined;
  const rows = types.flatMap((type, index) =>
    type !== undefined && ROWS.has(type) ? [index] : [],
  );
  const first = rows[0];
  const last = rows.at(-1);
  if (first === undefined || last === undefined) return undefined;
  const loose = (index: number) => types[index] !== undefined && !ROWS.has(types[index] ?? '');
  const before = kids.filter((_, index) => index < first && loose(index));
  const after = kids.filter((_, index) => index > last && loose(index));
  const between = kids.some((_, index) => index > first && index < last && loose(index));
  // Content both before and after the rows, or among them, is no layout Chromium writes: leave it.
  const sides = Number(before.length > 0) + Number(after.length > 0);
  if (between || sides !== 1) return undefined;
  const caption = before.length > 0 ? before : after;
  const rest = kids.filter((kid) => !caption.includes(kid));
  return { kids: caption, rest, at: before.length > 0 ? 'first' : 'last' };
}

/**
 * Wrap each given /Table's loose caption content in a new /Caption element, placed as the
 * table's first kid (or last, when that content follows the rows). The new element and every
 * changed one go to `store`; a table without loose caption content is left as it is, so a memo
 * without such a table gets no new object.
 */
export function tagTableCaptions(
  tables: Iterable<PDFRef>,
  resolve: Resolve,
  context: PDFContext,
  store: ObjectStore,
): void {
  for (const tableRef of tables) {
    const table = resolve(tableRef);
    if (!(table instanceof PDFDict) || typeOf(table) !== 'Table') continue;
    const caption = looseCaption(table, resolve);
    // Each element of the caption gets a new parent: only indirect ones can be given it.
    if (caption === undefined || !caption.kids.every((kid) => kid instanceof PDFRef)) continue;
    const captionRef = store.register(
      context.obj({
        Type: 'StructElem',
        S: 'Caption',
        P: tableRef,
        K: context.obj([...caption.kids]),
      }),
    );
    for (const kid of caption.kids) {
      const element = resolve(kid);
      if (!(kid instanceof PDFRef) || !(element instanceof PDFDict)) continue;
      element.set(PDFName.of('P'), captionRef);
      store.replace(kid, element);
    }
    const { rest } = caption;
    const kids = caption.at === 'first' ? [captionRef, ...rest] : [...rest, captionRef];
    table.set(PDFName.of('K'), context.obj(kids));
    store.replace(tableRef, table);
  }
}

/** Every /Table structure element of a document pdf-lib has loaded whole. */
export function tablesIn(context: PDFContext): PDFRef[] {
  return context
    .enumerateIndirectObjects()
    .filter(([, value]) => typeOf(value) === 'Table')
    .map(([ref]) => ref);
}

const WHITE: ReadonlySet<number> = new Set(Buffer.from(' \t\r\n\f', 'latin1'));

/**
 * The objects whose bytes hold `/S /Table`, of a file whose objects are each at their entry's
 * offset (object number → where its `N G obj` starts): a search of the bytes, without parsing
 * the thousands of structure elements of a long memo. A match outside a /Table element (in a
 * string, say) is one object more to look at; `tagTableCaptions` checks each.
 */
export function tablesByOffset(pdf: Uint8Array, entries: ObjectOffsets): PDFRef[] {
  const bytes = bytesOf(pdf);
  const values = nameOffsets(bytes, '/Table').filter((at) => {
    let key = at - 1;
    while (WHITE.has(bytes[key] ?? 0)) key -= 1;
    return bytes[key] === 0x53 && bytes[key - 1] === 0x2f; // the value of /S
  });
  return objectsAt(entries, values);
}
