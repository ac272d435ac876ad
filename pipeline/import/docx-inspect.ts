/**
 * What a Word document holds that its conversion (mammoth) does not carry,
 * paragraph by paragraph: comments, tracked changes not yet accepted, text
 * boxes and fields; and its properties (title, author, date). Read with a
 * streaming XML parser (saxes) from the package's parts (JSZip): only what
 * mammoth has no word for is looked at here.
 */
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';

export type Uncarried = 'comment' | 'insertion' | 'deletion' | 'text box' | 'field';

export interface WordParagraph {
  /** 1-based, in document order (table cells included). */
  readonly number: number;
  readonly text: string;
  readonly uncarried: ReadonlyMap<Uncarried, readonly string[]>;
}

export interface WordProperties {
  readonly title: string | undefined;
  readonly creator: string | undefined;
  /** YYYY-MM-DD of `dcterms:created`, when it is a date. */
  readonly created: string | undefined;
}

export interface Inspection {
  readonly paragraphs: readonly WordParagraph[];
  readonly properties: WordProperties;
}

/** A part's text, or '' when the package has no such part. */
async function part(zip: JSZip, name: string): Promise<string> {
  return (await zip.file(name)?.async('string')) ?? '';
}

/** Each comment's author and text, by id (`word/comments.xml`). */
function readComments(xml: string): Map<string, string> {
  const comments = new Map<string, string>();
  if (xml === '') return comments;
  const parser = new SaxesParser();
  let id: string | undefined;
  let author = '';
  let text = '';
  let inText = false;
  parser.on('opentag', (tag) => {
    if (tag.name === 'w:comment') {
      id = String(tag.attributes['w:id'] ?? '');
      author = String(tag.attributes['w:author'] ?? '');
      text = '';
    } else if (tag.name === 'w:t') inText = true;
  });
  parser.on('text', (value) => {
    if (inText && id !== undefined) text += value;
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'w:t') inText = false;
    else if (tag.name === 'w:comment' && id !== undefined) {
      comments.set(id, author === '' ? `“${text}”` : `by ${author} (“${text}”)`);
      id = undefined;
    }
  });
  parser.write(xml).close();
  return comments;
}

function readParagraphs(xml: string, comments: ReadonlyMap<string, string>): WordParagraph[] {
  const paragraphs: WordParagraph[] = [];
  const parser = new SaxesParser();
  let depth = 0;
  let text = '';
  let uncarried = new Map<Uncarried, string[]>();
  /** Open `w:ins`, `w:del`, text boxes: what the text read now belongs to. */
  const within: Uncarried[] = [];
  let capture: 'text' | 'deleted' | 'instruction' | undefined;
  let changed = '';
  const note = (kind: Uncarried, what: string): void => {
    const list = uncarried.get(kind) ?? [];
    if (what !== '' && !list.includes(what)) list.push(what);
    uncarried.set(kind, list);
  };
  parser.on('opentag', (tag) => {
    switch (tag.name) {
      case 'w:p':
        depth += 1;
        if (depth === 1) {
          text = '';
          uncarried = new Map();
        }
        break;
      case 'w:t':
        capture = 'text';
        break;
      case 'w:delText':
        capture = 'deleted';
        break;
      case 'w:instrText':
        capture = 'instruction';
        break;
      case 'w:ins':
      case 'w:moveTo':
        within.push('insertion');
        changed = '';
        break;
      case 'w:del':
      case 'w:moveFrom':
        within.push('deletion');
        changed = '';
        break;
      case 'w:txbxContent':
        within.push('text box');
        changed = '';
        break;
      case 'w:commentReference':
        note('comment', comments.get(String(tag.attributes['w:id'] ?? '')) ?? '');
        break;
      case 'w:fldSimple':
        note('field', String(tag.attributes['w:instr'] ?? '').trim());
        break;
      default:
        break;
    }
  });
  parser.on('text', (value) => {
    if (capture === 'instruction') note('field', value.trim());
    else if (capture === 'deleted') changed += value;
    else if (capture === 'text') {
      if (within.includes('text box')) changed += value;
      else if (within.at(-1) === 'insertion') {
        changed += value;
        text += value;
      } else text += value;
    }
  });
  parser.on('closetag', (tag) => {
    switch (tag.name) {
      case 'w:t':
      case 'w:delText':
      case 'w:instrText':
        capture = undefined;
        break;
      case 'w:ins':
      case 'w:moveTo':
      case 'w:del':
      case 'w:moveFrom':
      case 'w:txbxContent': {
        const kind = within.pop();
        if (kind !== undefined) note(kind, `“${changed.trim()}”`);
        changed = '';
        break;
      }
      case 'w:p':
        depth -= 1;
        if (depth === 0) {
          paragraphs.push({ number: paragraphs.length + 1, text: text.trim(), uncarried });
        }
        break;
      default:
        break;
    }
  });
  parser.write(xml).close();
  return paragraphs;
}

function readProperties(xml: string): WordProperties {
  const found = new Map<string, string>();
  if (xml !== '') {
    const parser = new SaxesParser();
    let current: string | undefined;
    parser.on('opentag', (tag) => {
      current = tag.name;
    });
    parser.on('text', (value) => {
      if (current !== undefined) found.set(current, (found.get(current) ?? '') + value);
    });
    parser.on('closetag', () => {
      current = undefined;
    });
    parser.write(xml).close();
  }
  const clean = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? undefined : value.trim();
  const created = /^(\d{4}-\d{2}-\d{2})T/.exec(found.get('dcterms:created') ?? '')?.[1];
  return {
    title: clean(found.get('dc:title')),
    creator: clean(found.get('dc:creator')),
    created: created === undefined || created.startsWith('1601') ? undefined : created,
  };
}

export async function inspectDocx(bytes: Uint8Array): Promise<Inspection> {
  const zip = await JSZip.loadAsync(bytes);
  const comments = readComments(await part(zip, 'word/comments.xml'));
  return {
    paragraphs: readParagraphs(await part(zip, 'word/document.xml'), comments),
    properties: readProperties(await part(zip, 'docProps/core.xml')),
  };
}
