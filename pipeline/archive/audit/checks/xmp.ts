/**
 * XMP metadata: present, well-formed, identifying PDF/A-2u and PDF/UA-1 (with
 * the extension schema PDF/A needs for pdfuaid), and saying what the Info
 * dictionary says (PDF/A-2, 6.6.2.3.1, 6.6.3).
 */
import { PDFName, PDFString } from 'pdf-lib';
import { SaxesParser } from 'saxes';
import type { SaxesTagNS } from 'saxes';
import { streamBytes, textOf } from '../audited-pdf.js';
import type { Finding, PdfCheck } from '../check.js';

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const NS = {
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  pdf: 'http://ns.adobe.com/pdf/1.3/',
  pdfaid: 'http://www.aiim.org/pdfa/ns/id/',
  pdfuaid: 'http://www.aiim.org/pdfua/ns/id/',
  pdfaExtension: 'http://www.aiim.org/pdfa/ns/extension/',
};

/** Each property of the packet's rdf:Description elements (namespace URI + local name) → its texts. */
export function readXmp(xml: string): Map<string, string[]> {
  const properties = new Map<string, string[]>();
  const parser = new SaxesParser({ xmlns: true });
  const stack: SaxesTagNS[] = [];
  let property: string | undefined;
  let depthOfProperty = -1;
  const add = (key: string, text: string) =>
    properties.set(key, [...(properties.get(key) ?? []), text]);
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    if (property === undefined && parent?.uri === RDF && parent.local === 'Description') {
      property = `${tag.uri}${tag.local}`;
      depthOfProperty = stack.length;
    }
    if (tag.uri === RDF && tag.local === 'Description' && property === undefined) {
      for (const attribute of Object.values(tag.attributes)) {
        if (
          attribute.uri !== RDF &&
          attribute.uri !== '' &&
          attribute.uri !== 'http://www.w3.org/2000/xmlns/'
        )
          add(`${attribute.uri}${attribute.local}`, attribute.value);
      }
    }
    stack.push(tag);
  });
  parser.on('text', (text) => {
    if (property !== undefined && text.trim() !== '') add(property, text.trim());
  });
  parser.on('closetag', () => {
    stack.pop();
    if (stack.length === depthOfProperty) property = undefined;
  });
  parser.write(xml).close();
  return properties;
}

/** A PDF date (D:YYYYMMDDHHmmSS±HH'mm') → milliseconds, or undefined. */
function pdfDate(text: string | undefined): number | undefined {
  const match = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(
    text ?? '',
  );
  if (match === null) return undefined;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone = 'Z'] =
    match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5)}`;
  const time = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`);
  return Number.isNaN(time) ? undefined : time;
}

export const xmp: PdfCheck = {
  name: 'XMP metadata',
  run: ({ catalog, info, resolve }) => {
    const problem = (message: string): Finding => ({ ruleId: 'audit-archival', message });
    const bytes = streamBytes(resolve(catalog.get(PDFName.of('Metadata'))));
    if (bytes === undefined)
      return [
        problem('the PDF has no XMP metadata, which PDF/A requires; rebuild it with `memo build`'),
      ];
    let properties: Map<string, string[]>;
    try {
      properties = readXmp(Buffer.from(bytes).toString('utf8'));
    } catch {
      return [
        problem('the PDF’s XMP metadata is not well-formed XML; rebuild it with `memo build`'),
      ];
    }
    const first = (ns: string, local: string) => properties.get(`${ns}${local}`)?.[0];
    const found: Finding[] = [];
    if (first(NS.pdfaid, 'part') !== '2' || first(NS.pdfaid, 'conformance') !== 'U')
      found.push(
        problem(
          'the XMP metadata does not identify the file as PDF/A-2u; rebuild it with `memo build`',
        ),
      );
    if (first(NS.pdfuaid, 'part') !== '1')
      found.push(
        problem(
          'the XMP metadata does not identify the file as PDF/UA-1; rebuild it with `memo build`',
        ),
      );
    const extension = properties.get(`${NS.pdfaExtension}schemas`) ?? [];
    if (!extension.includes(NS.pdfuaid))
      found.push(
        problem(
          'the XMP metadata does not describe the PDF/UA schema, as PDF/A requires; rebuild it with `memo build`',
        ),
      );
    const infoText = (key: string) => textOf(resolve(info?.get(PDFName.of(key))));
    const pairs: Array<[string, string | undefined, string | undefined]> = [
      ['title', infoText('Title'), first(NS.dc, 'title')],
      ['author', infoText('Author'), first(NS.dc, 'creator')],
      ['subject', infoText('Subject'), first(NS.dc, 'description')],
      ['keywords', infoText('Keywords'), first(NS.pdf, 'Keywords')],
      ['creator tool', infoText('Creator'), first(NS.xmp, 'CreatorTool')],
      ['producer', infoText('Producer'), first(NS.pdf, 'Producer')],
    ];
    for (const [what, inInfo, inXmp] of pairs) {
      if ((inInfo ?? '') !== (inXmp ?? ''))
        found.push(
          problem(
            `the XMP metadata and the document information disagree on the ${what}; rebuild it with \`memo build\``,
          ),
        );
    }
    const dates: Array<[string, string, string]> = [
      ['creation date', 'CreationDate', 'CreateDate'],
      ['modification date', 'ModDate', 'ModifyDate'],
    ];
    for (const [what, infoKey, xmpKey] of dates) {
      const inInfo = resolve(info?.get(PDFName.of(infoKey)));
      const infoTime = pdfDate(inInfo instanceof PDFString ? inInfo.asString() : textOf(inInfo));
      const xmpText = first(NS.xmp, xmpKey);
      const xmpTime = xmpText === undefined ? undefined : Date.parse(xmpText);
      if (infoTime !== xmpTime && !(infoTime === undefined && xmpText === undefined))
        found.push(
          problem(
            `the XMP metadata and the document information disagree on the ${what}; rebuild it with \`memo build\``,
          ),
        );
    }
    return found;
  },
};
