/**
 * A Word document's body as memo Markdown: mammoth makes HTML of it (with its
 * footnotes, endnotes and images), rehype-parse reads that, the memo's own
 * parts are recognised on the tree, and rehype-remark → remark-stringify
 * (with GFM tables and footnotes, and directives) write the Markdown.
 *
 * Recognised: the Title and Subtitle paragraphs (front matter, not body);
 * headings "Progress on Recommendation N: …" (`:rec` headings, the title in
 * the front matter's list); paragraphs starting "NEXT STEPS:" (`:::next-steps`).
 */
import type { Element, ElementContent, Root as HastRoot, RootContent } from 'hast';
import { toString as hastText } from 'hast-util-to-string';
import mammoth from 'mammoth';
import type {
  BlockContent,
  FootnoteDefinition,
  Nodes as MdastNodes,
  Root as MdastRoot,
} from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { slug as githubSlug } from 'github-slugger';

/** An image of the document, to be written beside the memo. */
export interface ImportedImage {
  /** Relative to the memo: `<slug>-images/image-1.png`. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface ImportedRecommendation {
  readonly id: string;
  readonly title: string;
}

export interface Converted {
  readonly markdown: string;
  readonly title: string | undefined;
  readonly subtitle: string | undefined;
  readonly recommendations: readonly ImportedRecommendation[];
  readonly images: readonly ImportedImage[];
  /** The memo's text, as a reader sees it: to check that no paragraph of the draft was lost. */
  readonly text: string;
  /** mammoth's warnings, in its words. */
  readonly converterWarnings: readonly string[];
  /** Paragraph styles mammoth does not know (their paragraphs became plain ones). */
  readonly unknownStyles: readonly string[];
}

const STYLE_MAP = [
  "p[style-name='Title'] => h1.memo-title:fresh",
  "p[style-name='Subtitle'] => p.memo-subtitle:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Block Text'] => blockquote > p:fresh",
  "p[style-name='Caption'] => p:fresh",
];

const PROGRESS = /^\s*Progress on Recommendation\s+(\d+)\s*[:.\u2013\u2014-]\s*(.+?)\s*$/i;
const NEXT_STEPS = /^\s*next steps\s*:\s*/i;
const NOTE_ID = /^(footnote|endnote)-(\d+)$/;

function isElement(
  node: RootContent | ElementContent | undefined,
  tagName?: string,
): node is Element {
  return node?.type === 'element' && (tagName === undefined || node.tagName === tagName);
}

function classes(node: Element): string[] {
  const value = node.properties['className'];
  return Array.isArray(value) ? value.map(String) : [];
}

function element(
  tagName: string,
  properties: Element['properties'],
  children: ElementContent[],
): Element {
  return { type: 'element', tagName, properties, children };
}

/** Remove `length` characters from the start of `node`'s text, then empty elements. */
function dropStart(node: Element, length: number): void {
  let left = length;
  const walk = (parent: Element): void => {
    for (const child of parent.children) {
      if (left <= 0) return;
      if (child.type === 'text') {
        const cut = Math.min(left, child.value.length);
        child.value = child.value.slice(cut);
        left -= cut;
      } else if (isElement(child)) walk(child);
    }
    parent.children = parent.children.filter(
      (child) =>
        !(isElement(child) && hastText(child) === '' && child.tagName !== 'img') &&
        !(child.type === 'text' && child.value === ''),
    );
  };
  walk(node);
}

/** `Fund the network (phase 1)` → `fund-the-network-phase-1`, at most 60 characters. */
function slugify(text: string): string {
  return githubSlug(text)
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 56)
    .replace(/^-|-$/g, '');
}

/** The note label of a mammoth note id: footnote-3 → 3, endnote-2 → endnote-2. */
function noteLabel(id: string): string | undefined {
  const match = NOTE_ID.exec(id);
  if (match === null) return undefined;
  return match[1] === 'footnote' ? match[2] : `endnote-${match[2] ?? ''}`;
}

interface Recognised {
  title?: string;
  subtitle?: string;
  recommendations: Array<ImportedRecommendation & { number: number }>;
  /** Text the tree no longer holds word for word (labels, recognised headings). */
  moved: string[];
}

/** Mark the memo's parts on mammoth's tree (in place). */
function recognise(tree: HastRoot): Recognised {
  const found: Recognised = { recommendations: [], moved: [] };
  const ids = new Set<string>();
  const transform = (parent: HastRoot | Element): void => {
    const out: Array<RootContent | ElementContent> = [];
    for (const node of parent.children) {
      if (!isElement(node)) {
        out.push(node);
        continue;
      }
      // Title and subtitle: front matter.
      if (
        node.tagName === 'h1' &&
        classes(node).includes('memo-title') &&
        found.title === undefined
      ) {
        found.title = hastText(node).trim();
        continue;
      }
      if (
        node.tagName === 'p' &&
        classes(node).includes('memo-subtitle') &&
        found.subtitle === undefined
      ) {
        found.subtitle = hastText(node).trim();
        continue;
      }
      // Footnote references: `sup > a[href=#footnote-1]`.
      const link =
        node.tagName === 'sup' ? node.children.find((child) => isElement(child, 'a')) : undefined;
      const href = isElement(link) ? link.properties['href'] : undefined;
      const label =
        typeof href === 'string' && href.startsWith('#') ? noteLabel(href.slice(1)) : undefined;
      if (label !== undefined) {
        out.push(element('span', { dataMemoNote: label }, []));
        continue;
      }
      // Notes: `ol > li#footnote-1`, without the "↑" link back.
      if (
        node.tagName === 'ol' &&
        node.children.some(
          (child) =>
            isElement(child, 'li') &&
            typeof child.properties['id'] === 'string' &&
            noteLabel(child.properties['id']) !== undefined,
        )
      ) {
        for (const item of node.children) {
          if (!isElement(item, 'li')) continue;
          const id = item.properties['id'];
          const itemLabel = typeof id === 'string' ? noteLabel(id) : undefined;
          const cleaned = stripBacklinks(item);
          transform(cleaned);
          out.push(element('memo-fndef', { dataLabel: itemLabel ?? '' }, cleaned.children));
        }
        continue;
      }
      // Headings: one level down (the title is the memo's only top-level heading).
      const level = /^h([1-6])$/.exec(node.tagName)?.[1];
      if (level !== undefined) {
        node.tagName = `h${Math.min(6, Number(level) + 1)}`;
        const progress = PROGRESS.exec(hastText(node));
        if (progress !== null) {
          const title = progress[2] ?? '';
          const base = slugify(title) || 'recommendation';
          let id = base;
          for (let n = 2; ids.has(id); n += 1) id = `${base}-${n}`;
          ids.add(id);
          found.recommendations.push({ id, title, number: Number(progress[1]) });
          found.moved.push(hastText(node));
          node.children = [
            { type: 'text', value: 'Progress on ' },
            element('span', { dataMemoRec: id }, [{ type: 'text', value: title }]),
          ];
        }
      }
      // "NEXT STEPS: …" paragraphs.
      if (node.tagName === 'p') {
        const label = NEXT_STEPS.exec(hastText(node));
        if (label !== null) {
          found.moved.push(hastText(node));
          dropStart(node, label[0].length);
          transform(node);
          out.push(element('memo-next-steps', {}, [node]));
          continue;
        }
      }
      transform(node);
      out.push(node);
    }
    parent.children = out as typeof parent.children;
  };
  transform(tree);
  return found;
}

function stripBacklinks(item: Element): Element {
  const strip = (children: ElementContent[]): ElementContent[] =>
    children
      .filter((child) => {
        if (!isElement(child, 'a')) return true;
        const href = child.properties['href'];
        return !(typeof href === 'string' && /^#(?:footnote|endnote)-ref-/.test(href));
      })
      .map((child) => (isElement(child) ? { ...child, children: strip(child.children) } : child));
  return { ...item, children: strip(item.children) };
}

function dataOf(node: Element, key: string): string {
  const value = node.properties[key];
  return typeof value === 'string' ? value : '';
}

function recDirective(id: string): TextDirective {
  return { type: 'textDirective', name: 'rec', attributes: { id }, children: [] };
}

const toMdast = unified()
  .use(rehypeParse, { fragment: true })
  .use(rehypeRemark, {
    handlers: {
      // `span`s are the memo's marks (note references, `:rec`), else their content.
      span: (state, node): MdastNodes | MdastNodes[] => {
        const note = dataOf(node, 'dataMemoNote');
        if (note !== '') return { type: 'footnoteReference', identifier: note, label: note };
        const rec = dataOf(node, 'dataMemoRec');
        if (rec !== '') return recDirective(rec);
        return state.all(node);
      },
      'memo-fndef': (state, node): FootnoteDefinition => {
        const label = dataOf(node, 'dataLabel');
        return {
          type: 'footnoteDefinition',
          identifier: label,
          label,
          children: state.toFlow(state.all(node)) as BlockContent[],
        };
      },
      'memo-next-steps': (state, node): ContainerDirective => ({
        type: 'containerDirective',
        name: 'next-steps',
        attributes: {},
        children: state.toFlow(state.all(node)) as BlockContent[],
      }),
    },
  });

const toMarkdown = unified()
  .use(remarkGfm)
  .use(remarkDirective)
  .use(remarkStringify, { bullet: '-', emphasis: '*', strong: '*', rule: '-', fences: true });

/** All text of an mdast tree, for the "nothing lost" comparison. */
function mdastText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const value = 'value' in node && typeof node.value === 'string' ? node.value : '';
  const alt = 'alt' in node && typeof node.alt === 'string' ? node.alt : '';
  const children = 'children' in node && Array.isArray(node.children) ? node.children : [];
  return `${value} ${alt} ${children.map(mdastText).join(' ')}`;
}

export async function docxToMarkdown(bytes: Uint8Array, imageFolder: string): Promise<Converted> {
  const images: ImportedImage[] = [];
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      styleMap: STYLE_MAP,
      externalFileAccess: false,
      convertImage: mammoth.images.imgElement(async (image) => {
        const extension =
          image.contentType
            .split('/')[1]
            ?.replace('jpeg', 'jpg')
            .replace(/[^a-z0-9]/g, '') ?? 'bin';
        const file = `${imageFolder}/image-${images.length + 1}.${extension}`;
        images.push({ path: file, bytes: new Uint8Array(await image.readAsBuffer()) });
        return { src: file };
      }),
    },
  );
  const warnings = result.messages.map((message) => message.message);
  const unknownStyles = warnings
    .map((message) => /^Unrecognised paragraph style: '([^']*)'/.exec(message)?.[1])
    .filter((name): name is string => name !== undefined);
  const tree = toMdast.parse(result.value);
  const recognised = recognise(tree);
  const mdast = (await toMdast.run(tree)) as MdastRoot;
  const markdown = toMarkdown.stringify(mdast);
  const recommendations = [...recognised.recommendations]
    .sort((a, b) => a.number - b.number)
    .map(({ id, title }) => ({ id, title }));
  return {
    markdown: String(markdown),
    title: recognised.title,
    subtitle: recognised.subtitle,
    recommendations,
    images,
    text: [
      recognised.title ?? '',
      recognised.subtitle ?? '',
      ...recognised.moved,
      mdastText(mdast),
    ].join(' '),
    converterWarnings: warnings.filter(
      (message) => !message.startsWith('Unrecognised paragraph style'),
    ),
    unknownStyles: [...new Set(unknownStyles)],
  };
}
