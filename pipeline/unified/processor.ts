/**
 * `createProcessor` owns the plugin order. Build it once per run and reuse it
 * for every memo (unified processors are frozen and reusable).
 *
 * Markdown side: parse → GFM → directives → memo directives → footnote check
 * → typographic quotes and dashes → heading levels.
 * HTML side: raw HTML parsed → sanitized → images inlined → heading ids →
 * notes split off → stringified.
 */
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import './data.js';
import rehypeHeadingIds from './rehype-heading-ids.js';
import rehypeMemoImages from './rehype-memo-images.js';
import rehypeMemoParts from './rehype-memo-parts.js';
import remarkFootnoteCheck from './remark-footnote-check.js';
import remarkHeadingOffset from './remark-heading-offset.js';
import remarkMemoDirectives from './remark-memo-directives.js';
import { createSanitizeSchema } from './sanitize-schema.js';

export function createProcessor() {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkMemoDirectives)
    .use(remarkFootnoteCheck)
    .use(remarkSmartypants, { dashes: 'oldschool' })
    .use(remarkHeadingOffset)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      footnoteLabel: 'Notes',
      footnoteLabelTagName: 'h2',
      footnoteLabelProperties: {},
      footnoteBackLabel: (index: number) => `Back to reference ${index + 1}`,
    })
    .use(rehypeRaw)
    .use(rehypeSanitize, createSanitizeSchema())
    .use(rehypeMemoImages)
    .use(rehypeHeadingIds)
    .use(rehypeMemoParts)
    .use(rehypeStringify)
    .freeze();
}

export type MemoProcessor = ReturnType<typeof createProcessor>;
