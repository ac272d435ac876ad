/**
 * A compiled memo as an editable Word document: the front matter's parts
 * from the view, the body and notes from their hast trees (`file.data.body`,
 * `file.data.notes`), never from the HTML text. Word's own styles carry the
 * structure (styles.ts); notes become real Word footnotes.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toString as hastText } from 'hast-util-to-string';
import {
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { IRunOptions, ParagraphChild } from 'docx';
import type { VFile } from 'vfile';
import { warn } from '../../messages.js';
import type { MemoView } from '../view.js';
import { rasterOf } from './image-size.js';
import { reproducibleDocx } from './reproducible.js';
import { BULLETS, NUMBERS, STYLE, memoNumbering, memoStyles } from './styles.js';

type Block = Paragraph | Table;

/** Inline formatting in force: what the enclosing `strong`, `em`… give each run. */
interface Marks {
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly strike?: boolean;
  readonly code?: boolean;
  readonly superScript?: boolean;
  readonly subScript?: boolean;
}

/** Where a paragraph sits: its style, or its list and level. */
interface Place {
  readonly style?: string;
  readonly heading?: (typeof HeadingLevel)[keyof typeof HeadingLevel];
  readonly list?: { readonly reference: string; readonly level: number; readonly instance: number };
  readonly indent?: number;
}

/** Largest width of an image in the text column (6 inches at 96 px/in). */
const MAX_IMAGE_PX = 576;

const HEADINGS: Readonly<Record<string, (typeof HeadingLevel)[keyof typeof HeadingLevel]>> = {
  h1: HeadingLevel.HEADING_1,
  h2: HeadingLevel.HEADING_1,
  h3: HeadingLevel.HEADING_2,
  h4: HeadingLevel.HEADING_3,
  h5: HeadingLevel.HEADING_3,
  h6: HeadingLevel.HEADING_3,
};

const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'br',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'img',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);

function classes(node: Element): string[] {
  const value = node.properties['className'];
  return Array.isArray(value) ? value.map(String) : [];
}

function isElement(node: RootContent | ElementContent, tagName?: string): node is Element {
  return node.type === 'element' && (tagName === undefined || node.tagName === tagName);
}

/** The footnote number a `sup > a[data-footnote-ref]` points at. */
function footnoteTarget(node: Element): string | undefined {
  const link = node.children.find((child): child is Element => isElement(child, 'a'));
  if (link === undefined || !('dataFootnoteRef' in link.properties)) return undefined;
  const href = link.properties['href'];
  return typeof href === 'string' && href.startsWith('#') ? href.slice(1) : undefined;
}

class DocxWriter {
  /** Note id (`user-content-fn-x`) → Word footnote number. */
  private readonly noteNumbers = new Map<string, number>();
  private listInstance = 0;

  constructor(
    private readonly file: VFile,
    notes: readonly Element[],
  ) {
    notes.forEach((note, index) => {
      const id = note.properties['id'];
      if (typeof id === 'string') this.noteNumbers.set(id, index + 1);
    });
  }

  runs(nodes: readonly ElementContent[], marks: Marks = {}): ParagraphChild[] {
    return nodes.flatMap((node) => this.run(node, marks));
  }

  private text(value: string, marks: Marks): TextRun {
    const options: IRunOptions = {
      text: value,
      ...(marks.bold === true ? { bold: true } : {}),
      ...(marks.italics === true ? { italics: true } : {}),
      ...(marks.strike === true ? { strike: true } : {}),
      ...(marks.superScript === true ? { superScript: true } : {}),
      ...(marks.subScript === true ? { subScript: true } : {}),
      ...(marks.code === true ? { font: 'Courier New' } : {}),
    };
    return new TextRun(options);
  }

  private run(node: ElementContent, marks: Marks): ParagraphChild[] {
    if (node.type === 'text') {
      // A line break in the Markdown is a space in the paragraph.
      const value = node.value.replace(/[ \t]*\n\s*/g, ' ');
      return value === '' ? [] : [this.text(value, marks)];
    }
    if (node.type !== 'element') return [];
    const children = node.children;
    switch (node.tagName) {
      case 'strong':
      case 'b':
        return this.runs(children, { ...marks, bold: true });
      case 'em':
      case 'i':
      case 'cite':
      case 'dfn':
      case 'var':
        return this.runs(children, { ...marks, italics: true });
      case 'del':
      case 's':
        return this.runs(children, { ...marks, strike: true });
      case 'code':
      case 'kbd':
      case 'samp':
        return this.runs(children, { ...marks, code: true });
      case 'sub':
        return this.runs(children, { ...marks, subScript: true });
      case 'sup': {
        const target = footnoteTarget(node);
        const number = target === undefined ? undefined : this.noteNumbers.get(target);
        if (number !== undefined) return [new FootnoteReferenceRun(number)];
        return this.runs(children, { ...marks, superScript: true });
      }
      case 'br':
        return [new TextRun({ break: 1 })];
      case 'img':
        return this.image(node);
      case 'a': {
        const href = node.properties['href'];
        const inner = this.runs(children, marks);
        if (typeof href === 'string' && /^(?:https?|mailto):/i.test(href)) {
          return [
            new ExternalHyperlink({
              link: href,
              children: inner.length > 0 ? inner : [this.text(href, marks)],
            }),
          ];
        }
        return inner;
      }
      default:
        return this.runs(children, marks);
    }
  }

  private image(node: Element): ParagraphChild[] {
    const src = node.properties['src'];
    const alt = typeof node.properties['alt'] === 'string' ? node.properties['alt'] : '';
    const match = typeof src === 'string' ? /^data:([^;,]+);base64,(.*)$/s.exec(src) : null;
    const mime = match?.[1] ?? '';
    const bytes =
      match?.[2] === undefined ? undefined : new Uint8Array(Buffer.from(match[2], 'base64'));
    const raster = bytes === undefined ? undefined : rasterOf(mime, bytes);
    if (bytes === undefined || raster === undefined) {
      warn(
        this.file,
        `the image “${alt || 'without alt text'}” is not in the Word document (Word takes PNG, JPEG and GIF images; this one is ${mime === '' ? 'missing' : mime}): its alt text stands in its place; save it as PNG to carry it`,
        node.position,
        'docx-image',
      );
      return [this.text(`[${alt || 'image'}]`, { italics: true })];
    }
    const scale = Math.min(1, MAX_IMAGE_PX / raster.width);
    return [
      new ImageRun({
        type: raster.type,
        data: bytes,
        transformation: {
          width: Math.round(raster.width * scale),
          height: Math.round(raster.height * scale),
        },
        altText: { name: alt, description: alt, title: alt },
      }),
    ];
  }

  paragraph(children: ParagraphChild[], place: Place = {}): Paragraph {
    return new Paragraph({
      children,
      ...(place.style === undefined ? {} : { style: place.style }),
      ...(place.heading === undefined ? {} : { heading: place.heading }),
      ...(place.list === undefined ? {} : { numbering: place.list }),
      ...(place.indent === undefined ? {} : { indent: { left: place.indent } }),
    });
  }

  /** Block content: consecutive inline nodes gather into one paragraph. */
  blocks(nodes: readonly (RootContent | ElementContent)[], place: Place = {}): Block[] {
    const out: Block[] = [];
    let inline: ElementContent[] = [];
    const flush = (): void => {
      if (inline.some((node) => node.type !== 'text' || node.value.trim() !== '')) {
        out.push(this.paragraph(this.runs(trimmed(inline)), place));
      }
      inline = [];
    };
    for (const node of nodes) {
      if (node.type === 'doctype' || node.type === 'comment') continue;
      if (node.type === 'text' || (node.type === 'element' && INLINE.has(node.tagName))) {
        inline.push(node);
        continue;
      }
      flush();
      if (node.type === 'element') out.push(...this.block(node, place));
    }
    flush();
    return out;
  }

  private block(node: Element, place: Place): Block[] {
    const heading = HEADINGS[node.tagName];
    if (heading !== undefined) return [this.paragraph(this.runs(node.children), { heading })];
    switch (node.tagName) {
      case 'p':
        return [
          this.paragraph(
            this.runs(
              node.children,
              classes(node).includes('next-steps-label') ? { bold: true } : {},
            ),
            place,
          ),
        ];
      case 'blockquote':
        return this.blocks(node.children, { ...place, style: STYLE.quote });
      case 'aside':
        return this.blocks(node.children, {
          ...place,
          style: classes(node).includes('next-steps') ? STYLE.nextSteps : STYLE.quote,
        });
      case 'ul':
      case 'ol':
        return this.list(node, place);
      case 'pre':
        return hastText(node)
          .replace(/\n$/, '')
          .split('\n')
          .map((line) => this.paragraph([this.text(line, {})], { style: STYLE.code }));
      case 'table':
        return [this.table(node)];
      case 'hr':
        return [new Paragraph({ thematicBreak: true })];
      case 'svg':
        return [this.drawing(node, place)];
      case 'figcaption':
      case 'caption':
        return [this.paragraph(this.runs(node.children), { style: STYLE.caption })];
      case 'dt':
        return [this.paragraph(this.runs(node.children, { bold: true }), place)];
      case 'dd':
        return this.blocks(node.children, { ...place, indent: 720 });
      default:
        return this.blocks(node.children, place);
    }
  }

  /** A drawing (a chart): Word takes no inline SVG, so its description stands in its place. */
  private drawing(node: Element, place: Place): Paragraph {
    const label = node.properties['ariaLabel'];
    const title = node.children.find((child): child is Element => isElement(child, 'title'));
    const description =
      typeof label === 'string' && label.trim() !== ''
        ? label.trim()
        : title === undefined
          ? 'a drawing'
          : hastText(title).trim();
    warn(
      this.file,
      `the chart “${title === undefined ? description : hastText(title).trim()}” is in the Word document as its description, not as a drawing (Word cannot take this SVG); paste the chart from the HTML by hand where it must be seen`,
      node.position,
      'docx-image',
    );
    return this.paragraph([this.text(`[${description}]`, { italics: true })], place);
  }

  private list(node: Element, place: Place): Block[] {
    const reference = node.tagName === 'ol' ? NUMBERS : BULLETS;
    const level = place.list === undefined ? 0 : Math.min(place.list.level + 1, 8);
    this.listInstance += 1;
    const list = { reference, level, instance: this.listInstance };
    const out: Block[] = [];
    for (const item of node.children) {
      if (isElement(item, 'li')) out.push(...this.blocks(item.children, { list }));
    }
    return out;
  }

  private table(node: Element): Table {
    const rows: Array<{ cells: Element[]; header: boolean }> = [];
    const collect = (parent: Element, header: boolean): void => {
      for (const child of parent.children) {
        if (!isElement(child)) continue;
        if (child.tagName === 'tr') {
          rows.push({
            cells: child.children.filter(
              (cell): cell is Element => isElement(cell, 'td') || isElement(cell, 'th'),
            ),
            header,
          });
        } else if (child.tagName === 'thead') collect(child, true);
        else if (child.tagName === 'tbody' || child.tagName === 'tfoot') collect(child, false);
      }
    };
    collect(node, false);
    const columns = Math.max(1, ...rows.map((row) => row.cells.length));
    return new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: rows.map(
        (row) =>
          new TableRow({
            // Only on header rows: readers that see the property at all take it as on.
            ...(row.header ? { tableHeader: true } : {}),
            children: Array.from({ length: columns }, (_, index) => {
              const cell = row.cells[index];
              const content = cell === undefined ? [] : this.blocks(cell.children);
              const paragraphs = content.length > 0 ? content : [new Paragraph({})];
              return new TableCell({
                children: row.header
                  ? [new Paragraph({ children: this.runs(cell?.children ?? [], { bold: true }) })]
                  : paragraphs,
              });
            }),
          }),
      ),
    });
  }
}

/** Inline nodes without the whitespace that only separated blocks in the HTML. */
function trimmed(nodes: readonly ElementContent[]): ElementContent[] {
  const out = [...nodes];
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, value: first.value.replace(/^\s+/, '') };
  const last = out.at(-1);
  if (last?.type === 'text')
    out[out.length - 1] = { ...last, value: last.value.replace(/\s+$/, '') };
  return out;
}

/** The notes' `li` elements, in order (GFM footnotes: `section > ol > li#user-content-fn-…`). */
function noteItems(notes: Root | undefined): Element[] {
  const items: Element[] = [];
  const visit = (node: Root | Element): void => {
    for (const child of node.children) {
      if (!isElement(child)) continue;
      if (child.tagName === 'li' && typeof child.properties['id'] === 'string') items.push(child);
      else visit(child);
    }
  };
  if (notes !== undefined) visit(notes);
  return items;
}

/** A note's content without its "back to reference" links. */
function withoutBackrefs(node: Element): Element {
  const strip = (children: ElementContent[]): ElementContent[] =>
    children
      .filter((child) => !(isElement(child, 'a') && 'dataFootnoteBackref' in child.properties))
      .map((child) => (isElement(child) ? { ...child, children: strip(child.children) } : child));
  return { ...node, children: strip(node.children) };
}

function frontParts(view: MemoView, writer: DocxWriter): Paragraph[] {
  const line = (text: string, style: string): Paragraph =>
    writer.paragraph([new TextRun(text)], { style });
  return [
    new Paragraph({ text: view.title, heading: HeadingLevel.TITLE }),
    ...(view.subtitle === null ? [] : [line(view.subtitle, STYLE.subtitle)]),
    ...(view.byline === '' ? [] : [line(view.byline, STYLE.byline)]),
    line(
      [view.organization, view.program].filter((part) => part !== null && part !== '').join(' · '),
      STYLE.byline,
    ),
    line(view.dateDisplay, STYLE.byline),
    ...(view.summary === null
      ? []
      : [writer.paragraph([new TextRun({ text: view.summary, italics: true })])]),
  ];
}

function distribution(view: MemoView, writer: DocxWriter): Paragraph[] {
  if (view.distribution.length === 0) return [];
  return [
    new Paragraph({ text: 'Distribution', heading: HeadingLevel.HEADING_1 }),
    ...(view.distributionNote === null
      ? []
      : [writer.paragraph([new TextRun(view.distributionNote)])]),
    ...view.distribution.map((recipient) =>
      writer.paragraph([new TextRun(recipient)], {
        list: { reference: BULLETS, level: 0, instance: 0 },
      }),
    ),
  ];
}

function appendix(view: MemoView, writer: DocxWriter): Paragraph[] {
  if (view.recommendations.length === 0) return [];
  return [
    new Paragraph({
      text: view.recommendationsTitle,
      heading: HeadingLevel.HEADING_1,
      pageBreakBefore: true,
    }),
    ...view.recommendations.flatMap((rec) => [
      new Paragraph({
        text: `Recommendation ${rec.number}: ${rec.title}`,
        heading: HeadingLevel.HEADING_2,
      }),
      writer.paragraph([
        new TextRun({ text: 'Status: ', bold: true }),
        new TextRun(rec.statusLabel),
        ...(rec.statusHistory === null ? [] : [new TextRun(` — ${rec.statusHistory}`)]),
      ]),
      ...(rec.statusNote === null ? [] : [writer.paragraph([new TextRun(rec.statusNote)])]),
      ...(rec.summary === null ? [] : [writer.paragraph([new TextRun(rec.summary)])]),
    ]),
  ];
}

function marking(view: MemoView): { headers?: { default: Header }; footers?: { default: Footer } } {
  if (view.classification === null) return {};
  const mark = (): Paragraph =>
    new Paragraph({ text: view.classification ?? '', style: STYLE.marking });
  return {
    headers: { default: new Header({ children: [mark()] }) },
    footers: { default: new Footer({ children: [mark()] }) },
  };
}

export interface DocxInput {
  readonly file: VFile;
  readonly view: MemoView;
  /** The document's dates: SOURCE_DATE_EPOCH, else the memo's date. */
  readonly date: Date;
}

/** The memo as .docx bytes: the same bytes for the same memo and date. */
export async function renderDocx({ file, view, date }: DocxInput): Promise<Uint8Array> {
  const notes = noteItems(file.data.notes);
  const writer = new DocxWriter(file, notes);
  const body = file.data.body;
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  notes.forEach((note, index) => {
    const paragraphs = writer
      .blocks(withoutBackrefs(note).children)
      .filter((block): block is Paragraph => block instanceof Paragraph);
    footnotes[String(index + 1)] = { children: paragraphs };
  });
  const document = new Document({
    title: view.title,
    subject: view.summary ?? view.subtitle ?? view.title,
    creator: view.byline === '' ? view.organization : view.byline,
    keywords: view.keywords.join(', '),
    description: view.subtitle ?? '',
    lastModifiedBy: view.generator,
    revision: 1,
    styles: memoStyles(view.lang),
    numbering: memoNumbering(),
    footnotes,
    sections: [
      {
        properties: {
          page: {
            size:
              view.paper === 'a4'
                ? { width: 11906, height: 16838 }
                : { width: 12240, height: 15840 },
          },
        },
        ...marking(view),
        children: [
          ...frontParts(view, writer),
          ...writer.blocks(body?.children ?? []),
          ...distribution(view, writer),
          ...appendix(view, writer),
        ],
      },
    ],
  });
  const packed = new Uint8Array(await Packer.toBuffer(document));
  return reproducibleDocx(packed, date, view.lang);
}
