/**
 * Structure element ids renumbered in document order, so equal inputs give equal bytes.
 * Chromium names a table header cell's element (/ID, ISO 32000-1 14.7.2) after its DOM node
 * ("node00000052"), a per-renderer counter that depends on what the page printed before; data
 * cells' /Headers attributes (14.8.5.7) name those ids and the StructTreeRoot's /IDTree maps
 * them to the elements, sorted by id. Each element's /ID becomes `node` + its rank in document
 * order (`node00000001`…; an id only /Headers names, after them); /Headers follow; the IDTree
 * becomes one flat /Names array sorted by the new ids.
 * The incremental update overwrites the ids in Chromium's bytes in place (same length) and parses
 * only the elements that have an /ID and their ancestors: walking the whole tree doubled the
 * finish on a 150-page memo (docs/performance.md).
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import type { ObjectStore } from './pdf-archival.js';
import { bytesOf, nameOffsets, objectsAt } from './pdf-search.js';
import type { ObjectOffsets } from './pdf-search.js';
import type { IndexedPdf, Resolve } from './pdf-file.js';

/** Deeper structure trees than this are not Chromium's: left as they are. */
const MAX_DEPTH = 512;

const idText = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFString || value instanceof PDFHexString
    ? Buffer.from(value.asBytes()).toString('latin1')
    : undefined;

const isElement = (value: PDFObject | undefined): value is PDFDict =>
  value instanceof PDFDict && value.get(PDFName.of('S')) instanceof PDFName;

/** A structure element, and its object when it is one of its own. */
interface Element {
  readonly ref: PDFRef | undefined;
  readonly element: PDFDict;
}

/** Old id → new id, numbered in the order first asked for. */
function numbering() {
  const renamed = new Map<string, string>();
  const rename = (old: string): string => {
    let fresh = renamed.get(old);
    if (fresh === undefined) {
      fresh = `node${String(renamed.size + 1).padStart(8, '0')}`;
      renamed.set(old, fresh);
    }
    return fresh;
  };
  return { renamed, rename };
}

/**
 * The full rewrite's step (pdf-metadata.ts), on a document pdf-lib has loaded whole: the
 * parsed elements and IDTree renumbered, the IDTree's former nodes deleted (or pdf-lib would
 * write them). Nothing to do when the structure tree has no /IDTree: Chromium writes one
 * whenever an element has an /ID.
 */
export function renumberStructIds(catalog: PDFDict, resolve: Resolve, context: PDFContext): void {
  const root = resolve(catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict) || !root.has(PDFName.of('IDTree'))) return;
  const { renamed, rename } = numbering();
  const elements = walkTree(root, resolve);
  for (const { element } of elements) {
    const id = idText(element.get(PDFName.of('ID')));
    if (id !== undefined) element.set(PDFName.of('ID'), PDFString.of(rename(id)));
  }
  for (const { element } of elements) renameHeaders(element, resolve, rename);
  const tree = rebuildIdTree(root.get(PDFName.of('IDTree')), resolve, renamed, rename, context);
  for (const node of tree.nodes) context.delete(node);
}

/** Every element under `root`, depth first in /K order (document order). */
function walkTree(root: PDFDict, resolve: Resolve): Element[] {
  const found: Element[] = [];
  const seen = new Set<PDFDict>();
  // The stack holds each kid list reversed.
  const stack: Array<{ item: PDFObject | undefined; depth: number }> = [];
  const pushKids = (kids: PDFObject | undefined, depth: number) => {
    const list = kids instanceof PDFArray ? kids.asArray() : [kids];
    for (let index = list.length - 1; index >= 0; index -= 1)
      stack.push({ item: list[index], depth });
  };
  pushKids(resolve(root.get(PDFName.of('K'))), 0);
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || next.depth > MAX_DEPTH) continue;
    const { item, depth } = next;
    const element = resolve(item);
    if (!isElement(element) || seen.has(element)) continue;
    seen.add(element);
    found.push({ ref: item instanceof PDFRef ? item : undefined, element });
    pushKids(resolve(element.get(PDFName.of('K'))), depth + 1);
  }
  return found;
}

/** Rewrite the ids named by /Headers in an element's attributes (a dictionary or an array of them). */
function renameHeaders(element: PDFDict, resolve: Resolve, rename: (old: string) => string): void {
  const value = resolve(element.get(PDFName.of('A')));
  const list = value instanceof PDFArray ? value.asArray() : [value];
  for (const entry of list) {
    const dict = resolve(entry);
    if (!(dict instanceof PDFDict)) continue; // a revision number
    const headers = resolve(dict.get(PDFName.of('Headers')));
    if (!(headers instanceof PDFArray)) continue;
    const renamed = headers.asArray().map((header) => {
      const id = idText(resolve(header));
      return id === undefined ? header : PDFString.of(rename(id));
    });
    dict.set(PDFName.of('Headers'), dict.context.obj(renamed));
  }
}

/** /ID or /Headers as a name (not /IDTree), and its value when written as Chromium writes it. */
const ID_ENTRY = /\/(ID|Headers)(?![^\s()<>[\]{}/%])\s*(\([^()\\]*\)|\[[^\]]*\])?/g;
/** A literal string without escapes or nested parentheses: how Chromium writes an id. */
const LITERAL = /\(([^()\\]*)\)/g;

/** An id string in the file's bytes: where its text starts, and the text. */
interface IdBytes {
  readonly at: number;
  readonly text: string;
}

/**
 * The ids an object's bytes hold as its /ID and in /Headers arrays, with where each sits;
 * undefined when one is written otherwise (a hex string, a reference, an escape).
 */
function idsInObject(
  bytes: Buffer,
  start: number,
): { readonly id: IdBytes | undefined; readonly headers: IdBytes[] } | undefined {
  const end = bytes.indexOf('endobj', start, 'latin1');
  if (end < 0) return undefined;
  const text = bytes.toString('latin1', start, end);
  let id: IdBytes | undefined;
  const headers: IdBytes[] = [];
  for (const match of text.matchAll(ID_ENTRY)) {
    const value = match[2];
    if (value === undefined) return undefined;
    const at = start + match.index + match[0].length - value.length;
    const literals = [...value.matchAll(LITERAL)].map((literal) => ({
      at: at + literal.index + 1,
      text: literal[1] ?? '',
    }));
    if (match[1] === 'ID') {
      const [only] = literals;
      if (id !== undefined || only === undefined || value.startsWith('[')) return undefined;
      id = only;
    } else {
      // Nothing but literal strings and white space in the array.
      if (value.slice(1, -1).replace(LITERAL, '').trim() !== '') return undefined;
      headers.push(...literals);
    }
  }
  return { id, headers };
}

/**
 * The incremental update's step (pdf-amend.ts): in `out` (a copy of `file.pdf`), each id
 * overwritten in place by its new id of the same length, so that no superseded object keeps a
 * run's ids; the IDTree's root as a new version in `store`, its old bytes and former nodes
 * blanked. False when the file is not laid out as expected (an id written otherwise, an element
 * outside the tree, an id that only /Headers names): the caller then rewrites the file.
 */
export function renumberStructIdsInPlace(
  file: IndexedPdf,
  catalog: PDFDict,
  out: Uint8Array,
  store: ObjectStore,
  blank: (ref: PDFRef) => boolean,
): boolean {
  const { resolve } = file;
  const root = resolve(catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict) || !root.has(PDFName.of('IDTree'))) return true;
  const treeRef = root.get(PDFName.of('IDTree'));
  if (!(treeRef instanceof PDFRef)) return false;
  const bytes = bytesOf(out);
  const found: Array<{ ref: PDFRef; id: IdBytes | undefined; headers: IdBytes[] }> = [];
  for (const ref of objectsNamingIds(file.pdf, file.entries)) {
    const start = file.entries.get(ref.objectNumber)?.offset;
    const ids = start === undefined ? undefined : idsInObject(bytes, start);
    if (ids === undefined) return false;
    found.push({ ref, ...ids });
  }
  const withId = new Map(found.flatMap(({ ref, id }) => (id === undefined ? [] : [[ref, id]])));
  const ordered = inTreeOrder([...withId.keys()], root, resolve);
  if (ordered === undefined) return false;
  const { renamed, rename } = numbering();
  for (const { ref, element } of ordered) {
    const id = idText(element.get(PDFName.of('ID')));
    if (id === undefined || ref === undefined || id !== withId.get(ref)?.text) return false;
    element.set(PDFName.of('ID'), PDFString.of(rename(id)));
  }
  for (const { id, headers } of found)
    for (const { at, text } of [...(id === undefined ? [] : [id]), ...headers]) {
      const fresh = renamed.get(text);
      if (fresh === undefined || fresh.length !== text.length) return false;
      bytes.write(fresh, at, 'latin1');
    }
  const tree = rebuildIdTree(treeRef, resolve, renamed, rename, file.context);
  const value = resolve(treeRef);
  if (value === undefined || !blank(treeRef) || !tree.nodes.every(blank)) return false;
  store.replace(treeRef, value);
  return true;
}

/**
 * `candidates` in document order, found from each one's place among its parent's kids, up to the
 * root: the same order as `walkTree`'s without parsing the elements that hold no /ID. Undefined
 * when a candidate is no element, or its /P and its parent's /K disagree.
 */
function inTreeOrder(
  candidates: readonly PDFRef[],
  root: PDFDict,
  resolve: Resolve,
): Element[] | undefined {
  const places = new Map<PDFDict, Map<PDFRef, number>>();
  const placeIn = (parent: PDFDict, child: PDFRef): number | undefined => {
    let place = places.get(parent);
    if (place === undefined) {
      const kids = resolve(parent.get(PDFName.of('K')));
      const list = kids instanceof PDFArray ? kids.asArray() : [parent.get(PDFName.of('K'))];
      place = new Map();
      for (const [index, kid] of list.entries())
        if (kid instanceof PDFRef && !place.has(kid)) place.set(kid, index);
      places.set(parent, place);
    }
    return place.get(child);
  };
  const paths = new Map<PDFRef, number[] | undefined>();
  const pathOf = (ref: PDFRef, depth: number): number[] | undefined => {
    if (paths.has(ref)) return paths.get(ref);
    const element = resolve(ref);
    const parentRef = isElement(element) ? element.get(PDFName.of('P')) : undefined;
    const parent = resolve(parentRef);
    let path: number[] | undefined;
    if (parentRef instanceof PDFRef && parent instanceof PDFDict && depth <= MAX_DEPTH) {
      const index = placeIn(parent, ref);
      const above = parent === root ? [] : pathOf(parentRef, depth + 1);
      if (index !== undefined && above !== undefined) path = [...above, index];
    }
    paths.set(ref, path);
    return path;
  };
  const found: Array<Element & { readonly path: number[] }> = [];
  for (const ref of candidates) {
    const element = resolve(ref);
    const path = pathOf(ref, 0);
    if (!isElement(element) || path === undefined) return undefined;
    found.push({ ref, element, path });
  }
  const compare = (a: readonly number[], b: readonly number[]): number => {
    for (let index = 0; index < Math.min(a.length, b.length); index += 1)
      if (a[index] !== b[index]) return (a[index] ?? 0) - (b[index] ?? 0);
    return a.length - b.length;
  };
  return found.sort((a, b) => compare(a.path, b.path));
}

/**
 * The name tree's pairs under new keys, sorted, as the root's one /Names array (a root has no
 * /Limits). A key no element carried (none in Chromium's files) is numbered after the walk's,
 * in the order of its element's object number.
 */
function rebuildIdTree(
  rootEntry: PDFObject | undefined,
  resolve: Resolve,
  renamed: ReadonlyMap<string, string>,
  rename: (old: string) => string,
  context: PDFContext,
): { readonly nodes: readonly PDFRef[] } {
  const root = resolve(rootEntry);
  const nodes: PDFRef[] = [];
  const pairs: Array<[string, PDFObject]> = [];
  const seen = new Set<PDFObject>();
  const visit = (item: PDFObject | undefined, depth: number) => {
    const node = resolve(item);
    if (!(node instanceof PDFDict) || seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    if (item instanceof PDFRef && node !== root) nodes.push(item);
    const names = resolve(node.get(PDFName.of('Names')));
    if (names instanceof PDFArray)
      for (let index = 0; index + 1 < names.size(); index += 2) {
        const key = idText(resolve(names.get(index)));
        if (key !== undefined) pairs.push([key, names.get(index + 1)]);
      }
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) visit(kid, depth + 1);
  };
  visit(rootEntry, 0);
  if (!(root instanceof PDFDict)) return { nodes };
  const number = (value: PDFObject) => (value instanceof PDFRef ? value.objectNumber : Infinity);
  const unnamed = pairs.filter(([key]) => !renamed.has(key));
  unnamed.sort(([a, x], [b, y]) => number(x) - number(y) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [key] of unnamed) rename(key);
  const entries = pairs.map(([key, value]): [string, PDFObject] => [rename(key), value]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const key of root.keys()) root.delete(key);
  root.set(
    PDFName.of('Names'),
    context.obj(entries.flatMap(([key, value]) => [PDFString.of(key), value])),
  );
  return { nodes };
}

/**
 * The objects whose bytes name /ID or /Headers, of a file whose objects are each at their
 * entry's offset: a search of the bytes, so that only table cells are parsed, not the thousands
 * of elements of a long memo. A match that is not an element's entry (in a string, say) makes
 * `renumberStructIds` walk the whole tree instead.
 */
function objectsNamingIds(pdf: Uint8Array, entries: ObjectOffsets): PDFRef[] {
  const bytes = bytesOf(pdf);
  return objectsAt(entries, [...nameOffsets(bytes, '/ID'), ...nameOffsets(bytes, '/Headers')]);
}
