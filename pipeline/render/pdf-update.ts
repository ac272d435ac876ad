/**
 * Writing a PDF incremental update: changed objects appended after the file,
 * then their cross-reference table and a trailer that points back to the
 * previous one (PDF 1.7, 7.5.6). Used by the finish of every printed PDF
 * (pdf-amend.ts) and by the stamp of each distribution copy.
 */
import type { PDFDict, PDFObject, PDFRef } from 'pdf-lib';

export function serializePdfObject(value: PDFObject): Uint8Array {
  const bytes = new Uint8Array(value.sizeInBytes());
  value.copyBytesInto(bytes, 0);
  return bytes;
}

/**
 * `base` followed by `objects` (in the order given), a classic cross-reference
 * table with one subsection per run of consecutive object numbers, `trailer`
 * (which must hold /Size, /Root, /Prev and whatever else the file needs) and
 * `startxref`.
 */
export function appendPdfUpdate(
  base: Uint8Array,
  objects: ReadonlyArray<readonly [PDFRef, PDFObject]>,
  trailer: PDFDict,
): Uint8Array {
  const parts: Uint8Array[] = [base];
  let offset = base.length;
  const add = (chunk: Uint8Array | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    parts.push(bytes);
    offset += bytes.length;
  };
  if (base[base.length - 1] !== 0x0a) add('\n');
  const written: Array<{ ref: PDFRef; offset: number }> = [];
  for (const [ref, value] of objects) {
    written.push({ ref, offset });
    add(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    add(serializePdfObject(value));
    add('\nendobj\n');
  }
  const xrefAt = offset;
  add('xref\n');
  // One subsection per run of consecutive object numbers; 20-byte entries.
  const runs: Array<typeof written> = [];
  for (const item of written) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run !== undefined && last?.ref.objectNumber === item.ref.objectNumber - 1) run.push(item);
    else runs.push([item]);
  }
  for (const run of runs) {
    add(`${run[0]?.ref.objectNumber ?? 0} ${run.length}\n`);
    for (const item of run) {
      const generation = String(item.ref.generationNumber).padStart(5, '0');
      add(`${String(item.offset).padStart(10, '0')} ${generation} n \n`);
    }
  }
  add('trailer\n');
  add(serializePdfObject(trailer));
  add(`\nstartxref\n${xrefAt}\n%%EOF\n`);
  const bytes = Buffer.concat(parts);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
