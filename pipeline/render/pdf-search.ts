/**
 * Finding objects of a printed PDF by searching its bytes, for the finish steps that look at a
 * few structure elements among thousands (pdf-captions.ts, pdf-struct-ids.ts): parsing only the
 * objects a search points at is what keeps their cost small on a long memo.
 */
import { PDFRef } from 'pdf-lib';
import type { Entry } from './pdf-file.js';

/** Object number → where its `N G obj` starts, for a file whose objects are each at their entry's offset. */
export type ObjectOffsets = ReadonlyMap<number, Entry>;

/** PDF delimiters and white space: what may follow a name (ISO 32000-1, 7.2.2). */
const NAME_ENDS: ReadonlySet<number> = new Set(Buffer.from('()<>[]{}/% \t\r\n\f\0', 'latin1'));

/** The bytes of `pdf`, without a copy. */
export function bytesOf(pdf: Uint8Array): Buffer {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/** Every offset where the name `name` (with its slash) occurs whole: `/Table`, not `/TableHead`. */
export function nameOffsets(bytes: Buffer, name: string): number[] {
  const needle = Buffer.from(name, 'latin1');
  const found: number[] = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) {
    const next = bytes[at + needle.length];
    if (next === undefined || NAME_ENDS.has(next)) found.push(at);
  }
  return found;
}

/** The objects whose bytes hold each of `offsets` (the last object starting before it), once each. */
export function objectsAt(entries: ObjectOffsets, offsets: readonly number[]): PDFRef[] {
  if (offsets.length === 0) return [];
  const sorted = [...entries].sort((a, b) => a[1].offset - b[1].offset);
  const found = new Map<number, PDFRef>();
  for (const at of offsets) {
    let low = 0;
    let high = sorted.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((sorted[middle]?.[1].offset ?? Infinity) <= at) low = middle;
      else high = middle - 1;
    }
    const object = sorted[low];
    if (object !== undefined && object[1].offset <= at)
      found.set(object[0], PDFRef.of(object[0], object[1].generation));
  }
  return [...found.values()];
}
