/**
 * Hand-written: fontkit inflates a WOFF table again at every glyph it reads, which made
 * each copy's subset cost ~100 ms; unpacking the WOFF once into its TrueType
 * (sfnt) form makes that a few milliseconds (docs/distribution.md, "Cost").
 */
import { inflateSync } from 'node:zlib';

const HEADER = 44;
const WOFF_ENTRY = 20;
const SFNT_ENTRY = 16;

/** The sfnt (TrueType/OpenType) file a WOFF 1.0 file packs, or undefined when `woff` is not one. */
export function unpackWoff(woff: Uint8Array): Uint8Array | undefined {
  const input = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (input.length < HEADER || input.toString('latin1', 0, 4) !== 'wOFF') return undefined;
  const count = input.readUInt16BE(12);
  if (input.length < HEADER + count * WOFF_ENTRY) return undefined;
  const tables: Array<{ tag: string; checksum: number; data: Buffer }> = [];
  for (let index = 0; index < count; index += 1) {
    const at = HEADER + index * WOFF_ENTRY;
    const offset = input.readUInt32BE(at + 4);
    const packed = input.readUInt32BE(at + 8);
    const length = input.readUInt32BE(at + 12);
    if (offset + packed > input.length) return undefined;
    const stored = input.subarray(offset, offset + packed);
    const data = packed < length ? inflateSync(stored) : Buffer.from(stored);
    if (data.length !== length) return undefined;
    tables.push({
      tag: input.toString('latin1', at, at + 4),
      checksum: input.readUInt32BE(at + 16),
      data,
    });
  }
  const power = 2 ** Math.floor(Math.log2(Math.max(1, count)));
  const head = Buffer.alloc(12 + count * SFNT_ENTRY);
  head.writeUInt32BE(input.readUInt32BE(4), 0);
  head.writeUInt16BE(count, 4);
  head.writeUInt16BE(power * 16, 6);
  head.writeUInt16BE(Math.log2(power), 8);
  head.writeUInt16BE(count * 16 - power * 16, 10);
  const parts: Buffer[] = [head];
  let offset = head.length;
  tables.forEach((table, index) => {
    const at = 12 + index * SFNT_ENTRY;
    head.write(table.tag, at, 'latin1');
    head.writeUInt32BE(table.checksum, at + 4);
    head.writeUInt32BE(offset, at + 8);
    head.writeUInt32BE(table.data.length, at + 12);
    const padded = Buffer.alloc(Math.ceil(table.data.length / 4) * 4);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  const sfnt = Buffer.concat(parts);
  return new Uint8Array(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength);
}
