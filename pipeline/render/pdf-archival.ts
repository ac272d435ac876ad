/**
 * What makes a memo-press PDF identifiable as PDF/A-2u and PDF/UA-1, added
 * after Chromium prints by the incremental update (pdf-amend.ts) and by the
 * full rewrite it falls back to (pdf-metadata.ts):
 * - an XMP metadata stream saying what the Info dictionary says (pdf-entries.ts
 *   writes both from the same PdfMeta), with pdfaid part 2 / conformance U,
 *   pdfuaid part 1 and the PDF/A extension-schema entry pdfuaid needs;
 * - an sRGB OutputIntent whose ICC profile ships in assets/icc/ (Zlib licence);
 * - a RoleMap for the PDF 2.0 structure types Chromium writes (Em, Strong…),
 *   which PDF/UA-1 (PDF 1.7) does not know;
 * - /Contents for link annotations: the text of the link, read from the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDict, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import { projectRoot } from '../paths.js';
import { withoutControls } from '../util/unsafe-text.js';
import type { PdfMeta } from './pdf-options.js';

/** The Producer of every PDF, in the Info dictionary and the XMP alike. */
export const PRODUCER = 'memo-press';

/** The profile's name, as the OutputIntent names it. */
const SRGB = 'sRGB IEC61966-2.1';

const SELF_DESCRIBING = /^(?:https?:\/\/|mailto:|#)/i;

/** A link as the printed page had it: where it goes (`href`) and what a reader hears for it. */
export interface PrintedLink {
  readonly href: string;
  readonly text: string;
}

/** Metadata text as it reaches the Info dictionary and the XMP: no control or bidi character. */
export const metaText = (value: string): string => withoutControls(value);

/**
 * The sRGB profile shipped with memo-press (assets/icc/sRGB.icc, from Debian's icc-profiles-free),
 * deflated as its PDF stream holds it (assets/icc/sRGB.icc.flate, pdf-lib's `flateStream` of it):
 * deflated ahead of time, as deflating it was half of every finish's time (docs/performance.md).
 */
export function srgbProfile(): Uint8Array {
  return readFileSync(path.join(projectRoot(), 'assets', 'icc', 'sRGB.icc.flate'));
}

/** "2026-11-30T00:00:00Z": the XMP form of the date the Info dictionary holds as D:20261130000000Z. */
export function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** An XML element: a name, attributes, and children (text is escaped). */
interface XmlNode {
  readonly name: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly children?: ReadonlyArray<XmlNode | string>;
}

const el = (
  name: string,
  children: ReadonlyArray<XmlNode | string> = [],
  attributes: Readonly<Record<string, string>> = {},
): XmlNode => ({ name, attributes, children });

function writeXml(node: XmlNode | string): string {
  if (typeof node === 'string') return node.replace(/[&<>"]/g, (char) => XML_ESCAPES[char] ?? char);
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => ` ${key}="${writeXml(value)}"`)
    .join('');
  const children = (node.children ?? []).map(writeXml).join('');
  return `<${node.name}${attributes}>${children}</${node.name}>`;
}

const NAMESPACES = {
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:xmp': 'http://ns.adobe.com/xap/1.0/',
  'xmlns:pdf': 'http://ns.adobe.com/pdf/1.3/',
  'xmlns:pdfaid': 'http://www.aiim.org/pdfa/ns/id/',
  'xmlns:pdfuaid': 'http://www.aiim.org/pdfua/ns/id/',
  'xmlns:pdfaExtension': 'http://www.aiim.org/pdfa/ns/extension/',
  'xmlns:pdfaSchema': 'http://www.aiim.org/pdfa/ns/schema#',
  'xmlns:pdfaProperty': 'http://www.aiim.org/pdfa/ns/property#',
};

/** The namespace of a distribution copy's identity in its XMP (docs/archival.md). */
export const COPY_NAMESPACE = 'https://memo-press.invalid/ns/copy/1.0/';

/** A distribution copy's identity, as its XMP records it (prefix memopress). */
export interface XmpCopy {
  readonly memo: string;
  readonly version: number;
  readonly copy: number;
  readonly of: number;
  readonly recipient: string;
}

const COPY_PROPERTIES: ReadonlyArray<[keyof XmpCopy, 'Text' | 'Integer', string]> = [
  ['memo', 'Text', 'The memo the copy was made of (its archive slug)'],
  ['version', 'Integer', 'The published version the copy was made of'],
  ['copy', 'Integer', 'The copy number'],
  ['of', 'Integer', 'How many copies of the version were made when it was'],
  ['recipient', 'Text', 'The recipient id the copy was made for'],
];

const property = (name: string, valueType: string, description: string) =>
  el(
    'rdf:li',
    [
      el('pdfaProperty:name', [name]),
      el('pdfaProperty:valueType', [valueType]),
      el('pdfaProperty:category', ['internal']),
      el('pdfaProperty:description', [description]),
    ],
    { 'rdf:parseType': 'Resource' },
  );

const schema = (
  name: string,
  uri: string,
  prefix: string,
  properties: readonly XmlNode[],
): XmlNode =>
  el(
    'rdf:li',
    [
      el('pdfaSchema:schema', [name]),
      el('pdfaSchema:namespaceURI', [uri]),
      el('pdfaSchema:prefix', [prefix]),
      el('pdfaSchema:property', [el('rdf:Seq', properties)]),
    ],
    { 'rdf:parseType': 'Resource' },
  );

/** The copy's identity schema, described as PDF/A-2 (6.6.2.3.3) requires of a custom schema. */
const COPY_SCHEMA = schema(
  'memo-press distribution copy',
  COPY_NAMESPACE,
  'memopress',
  COPY_PROPERTIES.map(([name, type, description]) => property(name, type, description)),
);

/** PDF/A-2 (6.6.2.3.3): a schema outside XMP's own must be described in the file; pdfuaid is one. */
const PDFUA_SCHEMA = schema(
  'PDF/UA Universal Accessibility Schema',
  'http://www.aiim.org/pdfua/ns/id/',
  'pdfuaid',
  [property('part', 'Integer', 'Indicates, which part of ISO 14289 standard is followed')],
);

/**
 * The XMP packet: the Info dictionary's entries in XMP terms, the PDF/A and
 * PDF/UA identification, and for a distribution copy its identity.
 */
export function xmpPacket(meta: PdfMeta, copy?: XmpCopy): string {
  const alt = (value: string) =>
    el('rdf:Alt', [el('rdf:li', [metaText(value)], { 'xml:lang': 'x-default' })]);
  const date = xmpDate(meta.date);
  const keywords = meta.keywords.length > 0 ? metaText(meta.keywords.join(', ')) : undefined;
  const description = el(
    'rdf:Description',
    [
      el('dc:format', ['application/pdf']),
      el('dc:title', [alt(meta.title)]),
      el('dc:creator', [el('rdf:Seq', [el('rdf:li', [metaText(meta.author)])])]),
      el('dc:description', [alt(meta.subject)]),
      el('dc:language', [el('rdf:Bag', [el('rdf:li', [meta.lang])])]),
      el('xmp:CreatorTool', [metaText(meta.creator)]),
      el('xmp:CreateDate', [date]),
      el('xmp:ModifyDate', [date]),
      el('xmp:MetadataDate', [date]),
      el('pdf:Producer', [PRODUCER]),
      ...(keywords === undefined ? [] : [el('pdf:Keywords', [keywords])]),
      el('pdfaid:part', ['2']),
      el('pdfaid:conformance', ['U']),
      el('pdfuaid:part', ['1']),
      ...(copy === undefined
        ? []
        : COPY_PROPERTIES.map(([name]) => el(`memopress:${name}`, [metaText(String(copy[name]))]))),
      el('pdfaExtension:schemas', [
        el('rdf:Bag', copy === undefined ? [PDFUA_SCHEMA] : [PDFUA_SCHEMA, COPY_SCHEMA]),
      ]),
    ],
    {
      'rdf:about': '',
      ...NAMESPACES,
      ...(copy === undefined ? {} : { 'xmlns:memopress': COPY_NAMESPACE }),
    },
  );
  const rdf = el('x:xmpmeta', [el('rdf:RDF', [description], { 'xmlns:rdf': RDF_NS })], {
    'xmlns:x': 'adobe:ns:meta/',
  });
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n${writeXml(rdf)}\n<?xpacket end="r"?>`;
}

const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/** The metadata stream, uncompressed (PDF/A readers and `pdfinfo -meta` read it as it is). */
export function metadataStream(context: PDFContext, meta: PdfMeta, copy?: XmpCopy): PDFObject {
  return context.stream(Buffer.from(xmpPacket(meta, copy), 'utf8'), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
}

/**
 * A distribution copy's metadata stream: what its Info dictionary says (read
 * back from it, with the catalog's /Lang) and the copy's identity.
 */
export function copyMetadata(
  context: PDFContext,
  catalog: PDFDict,
  info: PDFDict,
  copy: XmpCopy,
): PDFObject {
  const resolve = (key: string, dict = info) => {
    const value = dict.get(PDFName.of(key));
    return value instanceof PDFRef ? context.lookup(value) : value;
  };
  const textOf = (key: string, dict = info) => {
    const value = resolve(key, dict);
    return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : '';
  };
  const dateOf = (key: string) => {
    const value = resolve(key);
    try {
      if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeDate();
    } catch {
      // not a date: the epoch, as for a missing one
    }
    return new Date(0);
  };
  const keywords = textOf('Keywords');
  const meta: PdfMeta = {
    title: textOf('Title'),
    author: textOf('Author'),
    subject: textOf('Subject'),
    keywords: keywords === '' ? [] : [keywords],
    lang: textOf('Lang', catalog),
    date: dateOf('CreationDate'),
    creator: textOf('Creator'),
  };
  return metadataStream(context, meta, copy);
}

/** The ICC profile's stream (three components: RGB), from the profile deflated (`srgbProfile`). */
export function iccStream(context: PDFContext, deflated: Uint8Array): PDFObject {
  // What `context.flateStream(profile, { N: 3 })` makes, byte for byte.
  return context.stream(deflated, { N: 3, Filter: 'FlateDecode' });
}

/** The catalog's /OutputIntents: one sRGB intent (GTS_PDFA1 is PDF/A's subtype for every part). */
export function outputIntents(context: PDFContext, iccRef: PDFRef): PDFObject {
  return context.obj([
    context.obj({
      Type: 'OutputIntent',
      S: 'GTS_PDFA1',
      OutputConditionIdentifier: PDFString.of(SRGB),
      Info: PDFString.of(SRGB),
      RegistryName: PDFString.of('http://www.color.org'),
      DestOutputProfile: iccRef,
    }),
  ]);
}

/**
 * PDF 2.0 structure types Chromium may write, and the PDF 1.7 type each
 * stands for (ISO 32000-2, 14.8.4; PDF/UA-1 requires every type to be a
 * standard 1.7 one or role-mapped to one).
 */
export const CHROMIUM_ROLES: Readonly<Record<string, string>> = {
  Em: 'Span',
  Strong: 'Span',
  Sub: 'Span',
  Title: 'P',
  Aside: 'Sect',
  FENote: 'Note',
  DocumentFragment: 'Div',
};

/** The structure tree root with a RoleMap for CHROMIUM_ROLES (entries it has already are kept). */
export function withRoleMap(
  structRoot: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  context: PDFContext,
): PDFDict {
  const existing = resolve(structRoot.get(PDFName.of('RoleMap')));
  const roles = existing instanceof PDFDict ? existing.clone() : context.obj({});
  for (const [from, to] of Object.entries(CHROMIUM_ROLES)) {
    if (!roles.has(PDFName.of(from))) roles.set(PDFName.of(from), PDFName.of(to));
  }
  const updated = structRoot.clone();
  updated.set(PDFName.of('RoleMap'), roles);
  return updated;
}

/**
 * What a link annotation says to a screen reader (its /Contents), from the
 * links of the printed page. Annotations are matched by target (URI, or the
 * named destination as "#id"); a target whose links all read alike gets that
 * text, otherwise the annotations take the links' texts in order; a target
 * the page did not have is described by itself when it is a web, mail or
 * in-memo address (never a script or file address), else as "link".
 */
export function linkDescriber(
  links: readonly PrintedLink[],
): (target: string | undefined) => string | undefined {
  const byTarget = new Map<string, string[]>();
  for (const link of links) {
    const text = metaText(link.text).replace(/\s+/g, ' ').trim();
    const list = byTarget.get(link.href) ?? [];
    list.push(text === '' ? link.href : text);
    byTarget.set(link.href, list);
  }
  const used = new Map<string, number>();
  return (target) => {
    if (target === undefined) return undefined;
    const texts = byTarget.get(target);
    if (texts === undefined || texts.length === 0)
      return SELF_DESCRIBING.test(target) ? target : 'link';
    const count = used.get(target) ?? 0;
    used.set(target, count + 1);
    return texts[Math.min(count, texts.length - 1)];
  };
}

/** The target an annotation goes to: its URI, or "#name" for a named destination; undefined for others. */
export function annotationTarget(
  annot: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): string | undefined {
  const named = (value: PDFObject | undefined): string | undefined => {
    if (value instanceof PDFName) return `#${value.decodeText()}`;
    if (value instanceof PDFString || value instanceof PDFHexString)
      return `#${value.decodeText()}`;
    return undefined;
  };
  const dest = named(resolve(annot.get(PDFName.of('Dest'))));
  if (dest !== undefined) return dest;
  const action = resolve(annot.get(PDFName.of('A')));
  if (!(action instanceof PDFDict)) return undefined;
  const uri = resolve(action.get(PDFName.of('URI')));
  if (uri instanceof PDFString || uri instanceof PDFHexString) return uri.decodeText();
  return named(resolve(action.get(PDFName.of('D'))));
}

/** Set /Contents on a link annotation that has none; true when it changed. */
export function describeLink(
  annot: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  describe: (target: string | undefined) => string | undefined,
): boolean {
  const subtype = annot.get(PDFName.of('Subtype'));
  if (!(subtype instanceof PDFName) || subtype.decodeText() !== 'Link') return false;
  if (annot.has(PDFName.of('Contents'))) return false;
  const text = describe(annotationTarget(annot, resolve));
  if (text === undefined) return false;
  annot.set(PDFName.of('Contents'), PDFHexString.fromText(text));
  return true;
}

/** How the caller stores objects: a new indirect object, and a new version of an existing one. */
export interface ObjectStore {
  readonly register: (value: PDFObject) => PDFRef;
  readonly replace: (ref: PDFRef, value: PDFObject) => void;
}

/**
 * Add to the catalog the XMP stream and the sRGB OutputIntent, and give the
 * structure tree (when there is one) its RoleMap.
 */
export function addArchival(
  catalog: PDFDict,
  meta: PdfMeta,
  profile: Uint8Array,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
  context: PDFContext,
  store: ObjectStore,
): void {
  catalog.set(PDFName.of('Metadata'), store.register(metadataStream(context, meta)));
  const iccRef = store.register(iccStream(context, profile));
  catalog.set(PDFName.of('OutputIntents'), outputIntents(context, iccRef));
  const rootValue = catalog.get(PDFName.of('StructTreeRoot'));
  const structRoot = resolve(rootValue);
  if (!(structRoot instanceof PDFDict)) return;
  const updated = withRoleMap(structRoot, resolve, context);
  if (rootValue instanceof PDFDict) catalog.set(PDFName.of('StructTreeRoot'), updated);
  else if (rootValue instanceof PDFRef) store.replace(rootValue, updated);
}
