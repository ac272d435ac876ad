/**
 * Structure element ids renumbered in document order, so equal inputs give equal bytes.
 * Chromium names a table header cell's element (/ID, ISO 32000-1 14.7.2) after its DOM node
 * ("node00000052"), a per-renderer counter that depends on what the page did before; data
 * cells' /Headers attributes (14.8.5.7) name those ids and the StructTreeRoot's /IDTree maps
 * them to the elements, sorted by id. Every id gets `node` + its rank of first appearance in a
 * walk of the structure tree (an element's /ID, then its /Headers, then its kids in order);
 * the IDTree becomes one flat /Names array sorted by the new ids.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import type { ObjectStore } from './pdf-archival.js';
import type { IndexedPdf, Resolve } from './pdf-file.js';

/** Deeper structure trees than this are not Chromium's: left as they are. */
const MAX_DEPTH = 512;

/** What was renumbered: where the old ids' bytes are, for the incremental update to patch. */
export interface RenumberedIds {
  /** Old id → new id. */
  readonly renamed: ReadonlyMap<string, string>;
  /**
   * The indirect objects whose own bytes hold ids (elements, attribute objects), each with the
   * number of id strings it holds; `direct` when some id sits in an element written inline.
   */
  readonly holders: ReadonlyMap<PDFRef, number>;
  readonly direct: boolean;
  /** The IDTree's root, now a flat /Names array, and its former intermediate and leaf nodes. */
  readonly tree: { readonly root: PDFObject | undefined; readonly nodes: readonly PDFRef[] };
}

const idText = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFString || value instanceof PDFHexString
    ? Buffer.from(value.asBytes()).toString('latin1')
    : undefined;

const newId = (rank: number): string => `node${String(rank).padStart(8, '0')}`;

const isElement = (value: PDFObject | undefined): value is PDFDict =>
  value instanceof PDFDict && value.get(PDFName.of('S')) instanceof PDFName;

/**
 * Renumber every id of the structure tree under `catalog` in the parsed objects themselves
 * (elements, attribute dictionaries, the IDTree's root). Undefined when the tree has no
 * /IDTree: Chromium writes one whenever an element has an /ID.
 */
export function renumberStructIds(
  catalog: PDFDict,
  resolve: Resolve,
  context: PDFContext,
): RenumberedIds | undefined {
  const root = resolve(catalog.get(PDFName.of('StructTreeRoot')));
  if (!(root instanceof PDFDict) || !root.has(PDFName.of('IDTree'))) return undefined;
  const renamed = new Map<string, string>();
  const rename = (old: string): string => {
    let fresh = renamed.get(old);
    if (fresh === undefined) {
      fresh = newId(renamed.size + 1);
      renamed.set(old, fresh);
    }
    return fresh;
  };
  const holders = new Map<PDFRef, number>();
  let direct = false;
  const hold = (ref: PDFRef | undefined, count: number) => {
    if (count === 0) return;
    if (ref === undefined) direct = true;
    else holders.set(ref, (holders.get(ref) ?? 0) + count);
  };

  const seen = new Set<PDFDict>();
  // Depth-first in /K order: the stack holds each kid list reversed.
  const stack: Array<{ item: PDFObject | undefined; depth: number }> = [];
  const pushKids = (kids: PDFObject | undefined, depth: number) => {
    const list = kids instanceof PDFArray ? kids.asArray() : [kids];
    for (let index = list.length - 1; index >= 0; index -= 1)
      stack.push({ item: list[index], depth });
  };
  pushKids(root.get(PDFName.of('K')), 0);
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined || next.depth > MAX_DEPTH) continue;
    const { item, depth } = next;
    const ref = item instanceof PDFRef ? item : undefined;
    const element = resolve(item);
    if (!isElement(element) || seen.has(element)) continue;
    seen.add(element);
    const id = idText(element.get(PDFName.of('ID')));
    if (id !== undefined) {
      element.set(PDFName.of('ID'), PDFString.of(rename(id)));
      hold(ref, 1);
    }
    renameHeaders(element, ref, resolve, rename, hold);
    pushKids(resolve(element.get(PDFName.of('K'))), depth + 1);
  }

  const tree = rebuildIdTree(root.get(PDFName.of('IDTree')), resolve, renamed, rename, context);
  return { renamed, holders, direct, tree };
}

/** Rewrite the ids named by /Headers in an element's attributes (a dictionary or an array of them). */
function renameHeaders(
  element: PDFDict,
  ref: PDFRef | undefined,
  resolve: Resolve,
  rename: (old: string) => string,
  hold: (ref: PDFRef | undefined, count: number) => void,
): void {
  const attributes = element.get(PDFName.of('A'));
  const owner = attributes instanceof PDFRef ? attributes : ref;
  const value = resolve(attributes);
  const list = value instanceof PDFArray ? value.asArray() : [value];
  for (const entry of list) {
    const dict = resolve(entry);
    if (!(dict instanceof PDFDict)) continue; // a revision number
    const headers = resolve(dict.get(PDFName.of('Headers')));
    if (!(headers instanceof PDFArray)) continue;
    let count = 0;
    const renamed = headers.asArray().map((header) => {
      const id = idText(resolve(header));
      if (id === undefined) return header;
      count += 1;
      return PDFString.of(rename(id));
    });
    if (count === 0) continue;
    dict.set(PDFName.of('Headers'), dict.context.obj(renamed));
    hold(entry instanceof PDFRef ? entry : owner, count);
  }
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
): RenumberedIds['tree'] {
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
  if (!(root instanceof PDFDict)) return { root: undefined, nodes };
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
  return { root: rootEntry, nodes };
}

/** A literal string without escapes or nested parentheses: how Chromium writes an id. */
const LITERAL = /\(([^()\\]*)\)/g;

/**
 * The incremental update's share (pdf-amend.ts): each id in Chromium's bytes (`out`, a copy of
 * `file.pdf`) overwritten in place by its new id of the same length, so that no superseded
 * object keeps a run's ids; the IDTree's root as a new version in the update, its old bytes and
 * former nodes blanked. False when the file is not laid out as expected (an id written otherwise,
 * a new id of another length, an element written inline): the caller then rewrites the file.
 */
export function patchStructIds(
  file: IndexedPdf,
  out: Uint8Array,
  ids: RenumberedIds,
  store: ObjectStore,
  blank: (ref: PDFRef) => boolean,
): boolean {
  const { root, nodes } = ids.tree;
  if (ids.direct || !(root instanceof PDFRef)) return false;
  const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  for (const [ref, count] of ids.holders) {
    const start = file.read(ref)?.start;
    const end = start === undefined ? -1 : bytes.indexOf('endobj', start, 'latin1');
    if (start === undefined || end < 0) return false;
    let patched = 0;
    for (const match of bytes.toString('latin1', start, end).matchAll(LITERAL)) {
      const fresh = ids.renamed.get(match[1] ?? '');
      if (fresh === undefined) continue;
      if (fresh.length !== match[1]?.length) return false;
      bytes.write(fresh, start + match.index + 1, 'latin1');
      patched += 1;
    }
    if (patched !== count) return false;
  }
  const value = file.read(root)?.value;
  if (value === undefined || !blank(root) || !nodes.every(blank)) return false;
  store.replace(root, value);
  return true;
}

/** The full rewrite's share (pdf-metadata.ts): the IDTree's former nodes deleted, or pdf-lib would write them. */
export function dropOldIdNodes(ids: RenumberedIds | undefined, context: PDFContext): void {
  for (const node of ids?.tree.nodes ?? []) context.delete(node);
}
