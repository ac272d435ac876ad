/**
 * `memo identify <file.pdf>`: which memo, version, copy and recipient a PDF
 * is. First by SHA-256 against every distribution log of the archive (the
 * copy as made); then, for a file altered or re-saved by another tool, by the
 * copy's identity in its information dictionary (copy-keys.ts); then by
 * the stamped line "Copy NN of MM — Name, Office" in its page content (the
 * /ActualText of the stamp's marked content; WinAnsi text for older copies). A
 * match on the metadata or the text must agree with a copy the log records.
 */
import path from 'node:path';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  decodePDFRawStream,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { listSlugs, listVersions } from '../layout.js';
import { sha256Hex } from '../manifest.js';
import type { CopyEntry } from './log-schema.js';
import { DISTRIBUTION_DIR, copiesOf, readLog } from './log.js';
import { COPY_KEYS } from './copy-keys.js';

export interface KnownCopy {
  readonly memo: string;
  readonly version: number;
  readonly copy: CopyEntry;
  /** The copy's path in the archive. */
  readonly file: string;
}

export type Identified =
  | { readonly found: true; readonly by: 'hash' | 'metadata' | 'text'; readonly copy: KnownCopy }
  | { readonly found: false; readonly reason: string };

/** Every copy every log of the archive records. */
async function knownCopies(archive: string): Promise<KnownCopy[]> {
  const copies: KnownCopy[] = [];
  for (const slug of await listSlugs(archive)) {
    const base = path.join(archive, slug, DISTRIBUTION_DIR);
    for (const version of await listVersions(path.join(archive, slug), DISTRIBUTION_DIR)) {
      const folder = path.join(base, `v${version}`);
      const read = await readLog(folder);
      if (!read.ok || read.log === undefined) continue;
      for (const copy of copiesOf(read.log))
        copies.push({ memo: slug, version, copy, file: path.join(folder, copy.file) });
    }
  }
  return copies;
}

function text(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** memo, version, copy and recipient from the information dictionary, when all are there. */
function fromMetadata(
  doc: PDFDocument,
): { memo: string; version: number; copy: number; recipient: string } | undefined {
  const ref = doc.context.trailerInfo.Info;
  const info = ref === undefined ? undefined : doc.context.lookup(ref);
  if (!(info instanceof PDFDict)) return undefined;
  const field = (key: string) => text(info.get(PDFName.of(key)));
  const memo = field(COPY_KEYS.memo);
  const version = Number(field(COPY_KEYS.version));
  const copy = Number(field(COPY_KEYS.copy));
  const recipient = field(COPY_KEYS.recipient);
  if (
    memo === undefined ||
    recipient === undefined ||
    !Number.isInteger(version) ||
    !Number.isInteger(copy)
  )
    return undefined;
  return { memo, version, copy, recipient };
}

/** WinAnsi bytes (the stamp's font) → text. */
const WIN_ANSI_HIGH: Record<number, string> = { 0x97: '\u2014', 0x96: '\u2013', 0x92: '\u2019' };
function winAnsi(bytes: Uint8Array): string {
  return [...bytes].map((byte) => WIN_ANSI_HIGH[byte] ?? String.fromCharCode(byte)).join('');
}

const ESCAPES = new Map([
  ['n', 10],
  ['r', 13],
  ['t', 9],
  ['b', 8],
  ['f', 12],
]);

/** The bytes of a literal string's body, escapes resolved. */
function literal(body: string): Uint8Array {
  const out: number[] = [];
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index] ?? '';
    if (char !== '\\') {
      out.push(char.charCodeAt(0));
      continue;
    }
    const next = body[index + 1] ?? '';
    index += 1;
    const octal = /^[0-7]{1,3}/u.exec(body.slice(index));
    if (octal !== null) {
      out.push(parseInt(octal[0], 8));
      index += octal[0].length - 1;
    } else out.push(ESCAPES.get(next) ?? next.charCodeAt(0));
  }
  return Uint8Array.from(out);
}

/** The /ActualText of a marked-content property list named in the page's resources. */
function actualText(doc: PDFDocument, resources: PDFDict | undefined, name: string): string[] {
  const lookup = (value: PDFObject | undefined) =>
    value instanceof PDFRef ? doc.context.lookup(value) : value;
  const lists = lookup(resources?.get(PDFName.of('Properties')));
  if (!(lists instanceof PDFDict)) return [];
  const list = lookup(lists.get(PDFName.of(name)));
  if (!(list instanceof PDFDict)) return [];
  const actual = text(lookup(list.get(PDFName.of('ActualText'))));
  return actual === undefined ? [] : [actual];
}

/** The stamped lines ("Copy 3 of 5 — Jane Doe, National Security Council") of the first page's content. */
function stampedLines(doc: PDFDocument): string[] {
  const page = doc.getPages()[0];
  if (page === undefined) return [];
  const contents = page.node.get(PDFName.of('Contents'));
  const refs =
    contents instanceof PDFArray ? contents.asArray() : contents === undefined ? [] : [contents];
  const lines: string[] = [];
  for (const ref of refs) {
    const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref;
    if (!(stream instanceof PDFRawStream)) continue;
    let content: string;
    try {
      content = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    } catch {
      continue;
    }
    if (!content.includes('/Artifact')) continue;
    for (const match of content.matchAll(/\/Artifact\s*\/([^\s/<>[\]()]+)\s*BDC/gu))
      lines.push(...actualText(doc, page.node.Resources(), match[1] ?? ''));
    for (const match of content.matchAll(/<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/gu)) {
      const bytes =
        match[1] === undefined
          ? literal(match[2] ?? '')
          : Uint8Array.from(Buffer.from(match[1].replace(/\s/gu, ''), 'hex'));
      lines.push(winAnsi(bytes));
    }
  }
  return lines.filter((line) => line.startsWith('Copy '));
}

function byText(lines: readonly string[], known: readonly KnownCopy[], memo: string | undefined) {
  const matches = known.filter((entry) =>
    lines.some((line) => {
      const found = /^Copy 0*(\d+) of 0*(\d+) \u2014 (.*)$/u.exec(line);
      return (
        found !== null &&
        Number(found[1]) === entry.copy.copy &&
        found[3] === `${entry.copy.name}, ${entry.copy.office}`
      );
    }),
  );
  if (matches.length <= 1 || memo === undefined) return matches;
  return matches.filter((entry) => entry.memo === memo);
}

export async function identifyCopy(archive: string, bytes: Uint8Array): Promise<Identified> {
  const known = await knownCopies(archive);
  if (known.length === 0)
    return { found: false, reason: 'the archive holds no distributed copies' };
  const hash = sha256Hex(bytes);
  const exact = known.find((entry) => entry.copy.sha256 === hash);
  if (exact !== undefined) return { found: true, by: 'hash', copy: exact };
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch {
    return {
      found: false,
      reason: 'it is not a PDF memo-press can read, and no copy has its SHA-256',
    };
  }
  const meta = fromMetadata(doc);
  if (meta !== undefined) {
    const match = known.find(
      (entry) =>
        entry.memo === meta.memo &&
        entry.version === meta.version &&
        entry.copy.copy === meta.copy &&
        entry.copy.recipient === meta.recipient,
    );
    if (match !== undefined) return { found: true, by: 'metadata', copy: match };
  }
  const matches = byText(stampedLines(doc), known, meta?.memo);
  if (matches.length === 1 && matches[0] !== undefined)
    return { found: true, by: 'text', copy: matches[0] };
  if (matches.length > 1)
    return {
      found: false,
      reason: `its stamp matches ${matches.length} copies (${matches.map((entry) => `${entry.memo} v${entry.version} copy ${entry.copy.copy}`).join(', ')})`,
    };
  return {
    found: false,
    reason: 'no copy of this archive has its SHA-256, copy metadata or stamp',
  };
}
