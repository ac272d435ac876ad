/**
 * What the security suites check a built memo with: a loopback server that
 * counts every connection, an HTML audit (what could run or make a request
 * when the page is opened), and the PDF's links, images and active entries
 * read back with pdf-lib.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  PDFHexString,
} from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';

export const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'security');

/** Something that must never show up in an output: the first line of /etc/passwd. */
export const PASSWD_CONTENT = 'root:x:0:0';

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly port: number;
  /** Connections accepted so far (a request needs one; a preconnect makes one without a request). */
  connections(): number;
  /** Request URLs received so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (port 0) that answers everything and counts it. */
export async function startLoopback(): Promise<Loopback> {
  const requests: string[] = [];
  let connections = 0;
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.end('LOOPBACK-RESPONSE-CANARY');
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `memo-${prefix}-`));
}

/** Copy a fixture, with `__PORT__` replaced by the loopback server's port. */
export async function copyFixture(from: string, to: string, port: number): Promise<void> {
  const text = await readFile(from, 'utf8');
  await writeFile(to, text.replaceAll('__PORT__', String(port)));
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A solid-colour RGB PNG of the given size: its dimensions identify it in a PDF. */
export function png(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x5a)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', new Uint8Array()),
  ]);
}

const FORBIDDEN = [
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'link',
  'base',
  'form',
  'video',
  'audio',
  'source',
  'track',
  'svg',
  'math',
  'noscript',
  'template',
  'portal',
];
/** Attributes a browser fetches or navigates to (hast property names). */
const URL_PROPERTIES = [
  'src',
  'srcSet',
  'poster',
  'data',
  'action',
  'formAction',
  'background',
  'ping',
  'xLinkHref',
  'manifest',
  'longDesc',
  'cite',
  'href',
  'codeBase',
  'archive',
  'lowsrc',
  'dynsrc',
  'imageSrcSet',
];

function values(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined || value === null ? [] : [String(value)];
}

/**
 * Everything in a built page that could run, or make a request when it is
 * opened, or link anywhere but http(s), mailto and the page itself; empty
 * when the page is inert.
 */
export function auditHtml(html: string): string[] {
  const tree: Root = fromHtml(html);
  const problems: string[] = [];
  for (const selector of FORBIDDEN) {
    for (const node of selectAll(selector, tree)) problems.push(`<${node.tagName}> element`);
  }
  const metas = selectAll('meta[http-equiv]', tree);
  for (const meta of metas) {
    const equiv = String(meta.properties['httpEquiv']).toLowerCase();
    const content = String(meta.properties['content']);
    if (equiv !== 'content-security-policy' || !content.startsWith("default-src 'none';")) {
      problems.push(`<meta http-equiv="${equiv}" content="${content}">`);
    }
  }
  if (metas.length !== 1)
    problems.push(`${metas.length} <meta http-equiv> elements, expected the one CSP`);
  const styles = selectAll('style', tree);
  if (styles.length !== 1)
    problems.push(`${styles.length} <style> elements, expected the template's one`);
  for (const style of styles) {
    // Comments and strings are matched first, so a `url(` inside a CSS string
    // (a running header's text) is skipped, as the browser skips it.
    const tokens =
      /\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|@import|url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)]*))\)/gi;
    for (const match of toString(style).matchAll(tokens)) {
      if (match[0].toLowerCase() === '@import') problems.push('@import in a <style>');
      const target = match[1] ?? match[2] ?? match[3];
      if (target !== undefined && !/^data:(?:font|image)\//.test(target.trim())) {
        problems.push(`url(${target}) in a <style>`);
      }
    }
  }
  for (const node of selectAll('*', tree) as Element[]) {
    for (const [key, value] of Object.entries(node.properties)) {
      const texts = values(value);
      if (/^on/i.test(key)) problems.push(`<${node.tagName} ${key}>`);
      if (texts.some((text) => /(?:java|vb)script:/i.test(text)))
        problems.push(`<${node.tagName} ${key}="${texts.join(' ')}">`);
      if (key === 'style' && texts.some((text) => /url\(|@import|image-set\(/i.test(text))) {
        problems.push(`<${node.tagName} style="${texts.join(' ')}">`);
      }
      if (!URL_PROPERTIES.includes(key)) continue;
      const text = texts.join(' ');
      const allowed =
        (node.tagName === 'a' && key === 'href' && /^(?:https?:\/\/|mailto:|#)/.test(text)) ||
        (node.tagName === 'img' &&
          key === 'src' &&
          /^data:image\/(?:png|jpeg|gif|webp|svg\+xml);base64,/.test(text)) ||
        ((key === 'cite' || key === 'longDesc') && /^https?:\/\//.test(text));
      if (!allowed) problems.push(`<${node.tagName} ${key}="${text.slice(0, 80)}">`);
    }
  }
  return problems;
}

/** The `src` of every image in the page. */
export function imageSources(html: string): string[] {
  return selectAll('img', fromHtml(html)).map((node) => String(node.properties['src']));
}

export interface PdfLink {
  readonly subtype: string;
  /** The action's /S (URI, GoTo, Launch, JavaScript…), or "Dest" for a direct destination. */
  readonly action: string;
  readonly uri: string | undefined;
}

function text(object: PDFObject | undefined): string | undefined {
  return object instanceof PDFString || object instanceof PDFHexString
    ? object.decodeText()
    : undefined;
}

/** Every annotation of every page, with its action. */
export async function pdfLinks(bytes: Uint8Array): Promise<PdfLink[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const links: PdfLink[] = [];
  for (const page of doc.getPages()) {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (const ref of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(ref);
      if (!(annot instanceof PDFDict)) continue;
      const subtype = annot.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() ?? '?';
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      if (action === undefined) {
        links.push({
          subtype,
          action: annot.has(PDFName.of('Dest')) ? 'Dest' : 'none',
          uri: undefined,
        });
      } else {
        const kind = action.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText() ?? '?';
        links.push({ subtype, action: kind, uri: text(action.lookup(PDFName.of('URI'))) });
      }
    }
  }
  return links;
}

/** Width × height of every image XObject in the file. */
export async function pdfImages(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const images: string[] = [];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    if (object.dict.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() !== 'Image') continue;
    // A soft mask (alpha channel) is an image too, referenced by the one it masks.
    if (object.dict.has(PDFName.of('SMaskInData')) || isSoftMask(doc, object)) continue;
    images.push(
      `${String(object.dict.lookup(PDFName.of('Width')))}x${String(object.dict.lookup(PDFName.of('Height')))}`,
    );
  }
  return images.sort();
}

function isSoftMask(doc: PDFDocument, candidate: PDFRawStream): boolean {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const mask = object.dict.get(PDFName.of('SMask'));
    if (mask instanceof PDFRef && doc.context.lookup(mask) === candidate) return true;
  }
  return false;
}

const ACTIVE_KEYS = [
  'JavaScript',
  'JS',
  'Launch',
  'EmbeddedFile',
  'EmbeddedFiles',
  'OpenAction',
  'AA',
  'GoToR',
  'GoToE',
  'SubmitForm',
  'ImportData',
  'RichMedia',
  'XFA',
];

/** Keys or action types anywhere in the file that make a PDF run or open something. */
export async function pdfActiveEntries(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const found = new Set<string>();
  const dicts: PDFDict[] = [doc.catalog];
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict) dicts.push(object);
    if (object instanceof PDFRawStream) dicts.push(object.dict);
  }
  for (const dict of dicts) {
    for (const [key, value] of dict.entries()) {
      if (ACTIVE_KEYS.includes(key.decodeText())) found.add(key.decodeText());
      if (
        key.decodeText() === 'S' &&
        value instanceof PDFName &&
        ACTIVE_KEYS.includes(value.decodeText())
      ) {
        found.add(`/S /${value.decodeText()}`);
      }
    }
  }
  return [...found].sort();
}
