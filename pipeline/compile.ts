/**
 * One memo from bytes to the data its templates need, with every problem
 * recorded on the vfile. Nothing here touches the disk (beyond the images the
 * body names) or the browser.
 */
import { toHtml } from 'hast-util-to-html';
import type { VFile } from 'vfile';
import { decodeSource, splitSource } from './frontmatter/read-source.js';
import { validateFrontMatter } from './frontmatter/validate.js';
import { checkSourceSize, checkSourceText } from './io/limits.js';
import type { FrontMatterOptions } from './frontmatter/validate.js';
import { fail, hasErrors } from './messages.js';
import { checkCarryOver, earlierMemos } from './frontmatter/series.js';
import type { SeriesMemo } from './frontmatter/series.js';
import { createView } from './render/create-view.js';
import type { MemoView } from './render/view.js';
import type { MemoProcessor } from './unified/processor.js';

export interface CompileContext {
  readonly processor: MemoProcessor;
  /** "memo-press 0.1.0". */
  readonly generator: string;
  /** The project's templates and config defaults (default: built-in templates, no config). */
  readonly frontMatter?: FrontMatterOptions;
  /** The memos of every series the run knows of (archive or sources folder), for carry-over. */
  readonly series?: readonly SeriesMemo[];
}

/**
 * Validate and render the body of `file` (whose `value` holds the raw bytes).
 * Returns the view, or undefined when the memo has errors (all of them are on
 * `file.messages`: front matter and body problems are reported together).
 */
export async function compileMemo(
  file: VFile,
  context: CompileContext,
): Promise<MemoView | undefined> {
  const bytes = typeof file.value === 'string' ? new TextEncoder().encode(file.value) : file.value;
  if (!checkSourceSize(file, bytes.byteLength)) return undefined;
  const text = decodeSource(file, bytes);
  if (text === undefined || !checkSourceText(file, text)) return undefined;
  const parts = splitSource(file, text);
  if (parts === undefined) return undefined;
  const frontMatter = validateFrontMatter(file, parts.yaml, parts.yamlLine, context.frontMatter);
  if (frontMatter !== undefined) file.data.frontMatter = frontMatter;
  file.value = parts.body;
  let bodyHtml: string;
  try {
    const tree = await context.processor.run(context.processor.parse(file), file);
    bodyHtml = context.processor.stringify(tree, file);
  } catch (error) {
    const reason =
      error instanceof RangeError
        ? 'the memo is nested too deeply to process (lists or quotes inside each other thousands of levels deep)'
        : `the memo could not be processed: ${error instanceof Error ? error.message : String(error)}`;
    fail(file, reason, { line: 1, column: 1 }, 'internal');
    return undefined;
  }
  const series = frontMatter?.series;
  const earlier =
    frontMatter === undefined || series === undefined
      ? []
      : earlierMemos(context.series ?? [], {
          slug: file.stem ?? '',
          series,
          date: frontMatter.date,
        });
  if (frontMatter !== undefined) checkCarryOver(file, frontMatter.recommendations, earlier.at(-1));
  if (frontMatter === undefined || hasErrors(file)) return undefined;
  const { notes, contents } = file.data;
  return createView({
    frontMatter,
    earlier,
    bodyHtml,
    notesHtml: notes === undefined ? '' : toHtml(notes),
    contentsHtml: contents === undefined ? '' : toHtml(contents),
    generator: context.generator,
  });
}
