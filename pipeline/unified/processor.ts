/**
 * `createProcessor` owns the plugin order. Build it once per run and reuse it
 * for every memo (unified processors are frozen and reusable).
 *
 * Markdown side: parse (GFM, directives: remark-markdown.ts) → box fences checked → memo
 * directives → footnote, link, heading and placeholder checks → typographic
 * quotes and dashes → heading levels → citations (notes or in-text, and the
 * Sources section).
 * HTML side: raw HTML parsed → what the sanitizer will remove reported →
 * sanitized → the memo's own elements made from the directives' neutral ones
 * → ```chart blocks drawn as SVG figures → images inlined → heading ids → notes split off → text blocks recorded
 * (for `memo diff`) → stringified.
 *
 * With `lint: true` (`memo check`), the lint plugins (`*-lint-*.ts`, each a
 * warning with its own rule id) run among them, where what they look at is
 * still as the writer typed it: `:rec` numbers before the directives are
 * replaced, unreferenced recommendations after; heading levels, empty
 * sections and link text before the heading offset; image alt text before
 * the images are inlined.
 *
 * A turn of the event loop (yield-turn.ts) before every stage lets Node read the browser's
 * answers while a memo compiles.
 */
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import remarkSmartypants from './remark-smartypants-lean.js';
import { unified } from 'unified';
import type { Pluggable, PluggableList } from 'unified';
import './data.js';
import rehypeHeadingIds from './rehype-heading-ids.js';
import { SMARTYPANTS_OPTIONS } from './smart-text.js';
import { yieldTurnHtml, yieldTurnMarkdown } from './yield-turn.js';
import rehypeMemoBlocks from './rehype-memo-blocks.js';
import rehypeMemoCaptions from './rehype-memo-captions.js';
import rehypeMemoCharts from './rehype-memo-charts.js';
import rehypeMemoContents from './rehype-memo-contents.js';
import rehypeMemoRefs from './rehype-memo-refs.js';
import rehypeMemoElements from './rehype-memo-elements.js';
import rehypeMemoImages from './rehype-memo-images.js';
import rehypeMemoParts from './rehype-memo-parts.js';
import rehypeRawIfAny from './rehype-raw-if-any.js';
import rehypeRemovedHtml from './rehype-removed-html.js';
import remarkCheckHeadings from './remark-check-headings.js';
import remarkCheckLinks from './remark-check-links.js';
import remarkCitations from './remark-citations.js';
import remarkDirectiveFences from './remark-directive-fences.js';
import remarkFootnoteCheck from './remark-footnote-check.js';
import remarkHeadingOffset from './remark-heading-offset.js';
import remarkMarkdown from './remark-markdown.js';
import rehypeLintImageAlt from './rehype-lint-image-alt.js';
import remarkLintEmptySection from './remark-lint-empty-section.js';
import remarkLintHeadingIncrement from './remark-lint-heading-increment.js';
import remarkLintLinkText from './remark-lint-link-text.js';
import remarkLintRecNumber from './remark-lint-rec-number.js';
import remarkLintRecUnreferenced from './remark-lint-rec-unreferenced.js';
import remarkMemoDirectives from './remark-memo-directives.js';
import remarkMemoRef from './remark-memo-ref.js';
import remarkPlaceholders from './remark-placeholders.js';
import { createSanitizeSchema } from './sanitize-schema.js';

export interface ProcessorOptions {
  /** Also run the lint plugins (warnings only). Default false. */
  readonly lint?: boolean;
}

export function createProcessor(options: ProcessorOptions = {}) {
  const lint = options.lint === true;
  return unified()
    .use(remarkMarkdown)
    .use(
      withTurns(yieldTurnMarkdown, [
        ...(lint ? [remarkLintRecNumber] : []),
        remarkDirectiveFences,
        remarkMemoRef,
        remarkMemoDirectives,
        ...(lint ? [remarkLintRecUnreferenced] : []),
        remarkFootnoteCheck,
        remarkCheckLinks,
        remarkCheckHeadings,
        remarkPlaceholders,
        [remarkSmartypants, SMARTYPANTS_OPTIONS],
        ...(lint ? [remarkLintHeadingIncrement, remarkLintEmptySection, remarkLintLinkText] : []),
        remarkHeadingOffset,
        [remarkCitations, { lint }],
      ]),
    )
    .use(remarkRehype, {
      allowDangerousHtml: true,
      footnoteLabel: 'Notes',
      footnoteLabelTagName: 'h2',
      footnoteLabelProperties: {},
      footnoteBackLabel: (index: number) => `Back to reference ${index + 1}`,
    })
    .use(
      withTurns(yieldTurnHtml, [
        rehypeRawIfAny,
        rehypeRemovedHtml,
        [rehypeSanitize, createSanitizeSchema()],
        rehypeMemoElements,
        rehypeMemoCharts,
        ...(lint ? [rehypeLintImageAlt] : []),
        rehypeMemoImages,
        rehypeHeadingIds,
        rehypeMemoCaptions,
        rehypeMemoRefs,
        rehypeMemoContents,
        rehypeMemoParts,
        rehypeMemoBlocks,
      ]),
    )
    .use(rehypeStringify)
    .freeze();
}

/**
 * The stages in order with a turn of the event loop before each and after the last
 * (yield-turn.ts): the browser's page opens during a compile in about ten DevTools
 * exchanges, one per turn.
 */
function withTurns(turn: () => Pluggable, stages: PluggableList): PluggableList {
  return [...stages.flatMap((stage) => [turn(), stage]), turn()];
}

export type MemoProcessor = ReturnType<typeof createProcessor>;
