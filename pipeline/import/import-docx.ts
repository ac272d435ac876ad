/**
 * `memo import <draft.docx>`: a Word draft as `sources/<slug>.md`, its images
 * in `sources/<slug>-images/`. The front matter takes the title, authors and
 * date from the document (its properties, else its Title paragraph), and the
 * rest as `memo new` writes them, listed for the writer to fill in. What Word
 * holds that Markdown cannot (comments, tracked changes, text boxes, fields),
 * and any paragraph whose text did not come through, is a warning naming the
 * Word paragraph: its number is the message's line.
 */
import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { Document } from 'yaml';
import type { ProjectConfig } from '../config/index.js';
import { writeNewFile } from '../config/new-memo.js';
import { readBounded } from '../io/read-bounded.js';
import { fail, warn } from '../messages.js';
import { SAMPLE } from '../placeholders.js';
import { docxToMarkdown } from './docx-to-markdown.js';
import type { Converted } from './docx-to-markdown.js';
import { inspectDocx } from './docx-inspect.js';
import type { Inspection, Uncarried } from './docx-inspect.js';

/** Larger than any text draft; a draft of scanned pages is refused rather than read whole. */
const MAX_DRAFT_BYTES = 64 * 1024 * 1024;

export interface ImportOptions {
  /** The draft, as the user named it. */
  readonly draft: string;
  readonly cwd: string;
  /** The memo's slug (a valid one: the command checks it). */
  readonly slug: string;
  readonly template: string;
  readonly config: ProjectConfig;
  /** YYYY-MM-DD: the date when the draft has none. */
  readonly today: string;
}

export interface ImportResult {
  /** The draft's vfile: its messages are what the import could not carry. */
  readonly file: VFile;
  /** Paths written, relative to cwd (the memo first); empty when nothing was. */
  readonly written: readonly string[];
  /** What the writer should fill in, one line each. */
  readonly todo: readonly string[];
}

const WHAT: Readonly<Record<Uncarried, (items: string) => string>> = {
  comment: (items) =>
    `a Word comment ${items} is not in the memo; act on it, then delete it in Word`,
  insertion: (items) =>
    `a tracked insertion not yet accepted, ${items}, is in the memo as if accepted; check it`,
  deletion: (items) =>
    `a tracked deletion not yet accepted, ${items}, is left out of the memo as if accepted; put the text back if the deletion is rejected`,
  'text box': (items) =>
    `a text box, ${items}, has no place in a memo: its text is now a paragraph of the body; move it where it belongs`,
  field: (items) =>
    `a Word field (${items}) is not carried as a field: a page number, cross-reference or date in it will not update; check the sentence`,
};

/** Word's elements that docx-inspect.ts reports paragraph by paragraph. */
const INSPECTED = new Set([
  'w:fldSimple',
  'w:instrText',
  'w:fldChar',
  'w:ins',
  'w:del',
  'w:commentReference',
  'w:commentRangeStart',
  'w:commentRangeEnd',
]);

/** Letters and digits only, lowercased: the text as compared, whatever Markdown did to spacing and punctuation. */
function bare(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();
}

function quoteStart(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim();
  return `“${words.length > 40 ? `${words.slice(0, 40).trimEnd()}…` : words}”`;
}

function reportInspection(file: VFile, inspection: Inspection, converted: Converted): void {
  const carried = bare(converted.text);
  for (const paragraph of inspection.paragraphs) {
    const place = { line: paragraph.number, column: 1 };
    const where = `Word paragraph ${paragraph.number}${paragraph.text === '' ? '' : ` (${quoteStart(paragraph.text)})`}`;
    for (const [kind, items] of paragraph.uncarried) {
      const list = items.join(', ') || '(empty)';
      const lost = kind === 'text box' && items.some((item) => !carried.includes(bare(item)));
      const what = lost
        ? `a text box, ${list}, did not come through to the memo; copy its text in by hand`
        : WHAT[kind](list);
      warn(file, `${where}: ${what}`, place, 'import-not-carried');
    }
    const text = bare(paragraph.text);
    if (text !== '' && !carried.includes(text)) {
      warn(
        file,
        `${where}: this text did not come through to the memo; copy it in by hand`,
        place,
        'import-not-carried',
      );
    }
  }
  for (const message of converted.converterWarnings) {
    const ignored = /^An unrecognised element was ignored: (\S+)/.exec(message)?.[1];
    // Fields, comments and tracked changes are named above, with their paragraph.
    if (ignored !== undefined && INSPECTED.has(ignored)) continue;
    warn(
      file,
      ignored === undefined
        ? `the conversion said: ${message}; check the memo against the draft`
        : `some Word content (${ignored}) was left out; check the memo against the draft`,
      { line: 1, column: 1 },
      'import-not-carried',
    );
  }
  if (converted.unknownStyles.length > 0) {
    warn(
      file,
      `paragraphs in the Word style${converted.unknownStyles.length > 1 ? 's' : ''} ${converted.unknownStyles.map((name) => `“${name}”`).join(', ')} became plain paragraphs; give them a heading, quote or list style if they are one`,
      { line: 1, column: 1 },
      'import-not-carried',
    );
  }
}

/** `Ana Ruiz; Tom Lee` or `Ana Ruiz and Tom Lee` → two authors. */
function authorsOf(creator: string): string[] {
  return creator
    .split(/\s*(?:;|,|\band\b|&)\s*/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

interface FrontMatterParts {
  readonly yaml: string;
  readonly todo: string[];
}

function frontMatter(
  options: ImportOptions,
  inspection: Inspection,
  converted: Converted,
): FrontMatterParts {
  const { config } = options;
  const todo: string[] = [];
  const properties = inspection.properties;
  const title = converted.title ?? properties.title;
  if (title === undefined) todo.push('title: the draft has no Title paragraph or title property');
  const authors = properties.creator === undefined ? [] : authorsOf(properties.creator);
  if (authors.length === 0)
    todo.push(`authors: the draft names no author (“${SAMPLE.authors.join('”, “')}” stand in)`);
  const date = properties.created ?? options.today;
  todo.push(
    properties.created === undefined
      ? `date: today's date stands in (the draft has no creation date)`
      : `date: the draft's creation date; make it the memo's date`,
  );
  const data: Record<string, unknown> = {
    title: title ?? options.slug,
    ...(converted.subtitle === undefined ? {} : { subtitle: converted.subtitle }),
    authors: authors.length > 0 ? authors : [...SAMPLE.authors],
  };
  if (config.organization === undefined) {
    data['organization'] = SAMPLE.organization;
    todo.push(`organization: “${SAMPLE.organization}” stands in`);
  }
  data['date'] = date;
  data['summary'] = SAMPLE.assessmentSummary;
  todo.push('summary: one or two sentences that say what the memo finds');
  data['template'] = options.template;
  if (converted.recommendations.length > 0) {
    data['recommendations'] = converted.recommendations.map((rec) => ({
      id: rec.id,
      title: rec.title,
      status: 'not-started',
    }));
    todo.push(
      `recommendations: the status of each (written as not-started): ${converted.recommendations.map((rec) => rec.id).join(', ')}`,
    );
  }
  const document = new Document(data);
  document.commentBefore = ` Imported from ${path.basename(options.draft)} by memo import. Fill in:\n${todo.map((line) => ` - ${line}`).join('\n')}`;
  return { yaml: document.toString({ lineWidth: 0 }), todo };
}

export async function importDocx(options: ImportOptions): Promise<ImportResult> {
  const { cwd, slug } = options;
  const file = new VFile({ path: path.relative(cwd, path.resolve(cwd, options.draft)), cwd });
  const nothing: ImportResult = { file, written: [], todo: [] };
  const sources = path.resolve(cwd, options.config.sourcesDir ?? 'sources');
  const target = path.join(sources, `${slug}.md`);
  const shown = path.relative(cwd, target);
  const exists = await lstat(target).then(
    () => true,
    () => false,
  );
  if (exists) {
    fail(
      file,
      `${shown} already exists; edit it, or import with another --slug; nothing was imported`,
      { line: 1, column: 1 },
      'import-exists',
    );
    return nothing;
  }
  const read = await readBounded(path.resolve(cwd, options.draft), MAX_DRAFT_BYTES);
  if (!read.ok) {
    const why = {
      missing: 'no such file',
      'not-a-file': 'this is not a file',
      'too-large': 'the draft is larger than 64 MB',
      unreadable: 'the file cannot be read (check its permissions)',
    }[read.problem];
    fail(file, `${why}; nothing was imported`, { line: 1, column: 1 }, 'import-unreadable');
    return nothing;
  }
  let inspection: Inspection;
  let converted: Converted;
  const imageFolder = `${slug}-images`;
  try {
    inspection = await inspectDocx(read.bytes);
    converted = await docxToMarkdown(read.bytes, imageFolder);
  } catch {
    fail(
      file,
      'this is not a Word document (.docx) that can be read: save it from Word as “Word Document (.docx)” and import that; nothing was imported',
      { line: 1, column: 1 },
      'import-unreadable',
    );
    return nothing;
  }
  reportInspection(file, inspection, converted);
  const { yaml, todo } = frontMatter(options, inspection, converted);
  const text = `---\n${yaml}---\n\n${converted.markdown}`;
  const images = path.join(sources, imageFolder);
  const written: string[] = [];
  if (converted.images.length > 0) {
    try {
      await mkdir(sources, { recursive: true });
      await mkdir(images);
    } catch {
      fail(
        file,
        `${path.relative(cwd, images)} already exists (or cannot be made); move it away, or import with another --slug; nothing was imported`,
        { line: 1, column: 1 },
        'import-exists',
      );
      return nothing;
    }
    for (const image of converted.images) {
      await writeFile(path.join(sources, image.path), image.bytes, { flag: 'wx' });
    }
  }
  if (!(await writeNewFile(target, text))) {
    if (converted.images.length > 0) await rm(images, { recursive: true, force: true });
    fail(
      file,
      `${shown} already exists; edit it, or import with another --slug; nothing was imported`,
      { line: 1, column: 1 },
      'import-exists',
    );
    return nothing;
  }
  written.push(shown);
  if (converted.images.length > 0) written.push(`${path.relative(cwd, images)}${path.sep}`);
  return { file, written, todo };
}
