/**
 * Per-memo CSS for the printed page: paper size and the strings of the
 * `@page` margin boxes (running header, classification marking).
 *
 * Margin boxes cannot take their text from the DOM (Chromium supports neither
 * `string-set` nor `element()`), so the organization, short title and
 * classification are written into the stylesheet as CSS string literals.
 * They are user data: `cssString` escapes them so that they can neither end
 * the string nor the `<style>` element that holds the sheet.
 */
import type { MemoView } from './view.js';

/** NUL and lone surrogates: not allowed in CSS, written as U+FFFD. */
function isInvalid(code: number): boolean {
  return code === 0 || (code >= 0xd800 && code <= 0xdfff);
}

/** Code points that `cssString` writes as a `\HEX ` escape. */
function needsEscape(code: number): boolean {
  return (
    code < 0x20 || // C0 controls, including newline and tab
    (code >= 0x7f && code <= 0x9f) || // DEL and C1 controls
    code === 0x2028 ||
    code === 0x2029 ||
    isInvalid(code) ||
    '"\'\\<>&'.includes(String.fromCodePoint(code))
  );
}

/**
 * Quote `value` as a CSS string literal: `"..."`.
 *
 * Backslash, both quotes, newlines and every control character become
 * `\HEX ` escapes (the trailing space ends the escape and is not part of the
 * value); so do `<`, `>` and `&`, so the literal can sit in a `<style>`
 * element and never form `</style`. NUL and lone surrogates, which CSS
 * forbids, become U+FFFD.
 */
export function cssString(value: string): string {
  let escaped = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0xfffd;
    escaped += needsEscape(code)
      ? `\\${(isInvalid(code) ? 0xfffd : code).toString(16).toUpperCase()} `
      : char;
  }
  return `"${escaped}"`;
}

/** CSS `size` keyword for the paper of the view. */
export function pageSize(paper: MemoView['paper']): string {
  return paper === 'a4' ? 'A4' : 'letter';
}

/** The part of the view that the page CSS depends on. */
export type PageCssInput = Pick<
  MemoView,
  'paper' | 'organization' | 'shortTitle' | 'classification'
>;

/**
 * The per-memo `@page` rules. Typography of the margin boxes lives in
 * styles/memo.css; this only supplies what differs from memo to memo.
 *
 * - every page: "Page X of Y" bottom-right, classification top and bottom centre;
 * - from page 2: organization top-left, short title top-right.
 */
export function pageCss(view: PageCssInput): string {
  const lines = [
    '@page {',
    `  size: ${pageSize(view.paper)};`,
    `  @top-left { content: ${cssString(view.organization)}; }`,
    `  @top-right { content: ${cssString(view.shortTitle)}; }`,
    '  @bottom-right { content: "Page " counter(page) " of " counter(pages); }',
  ];
  if (view.classification !== null) {
    const marking = cssString(view.classification);
    lines.push(
      `  @top-center { content: ${marking}; }`,
      `  @bottom-center { content: ${marking}; }`,
    );
  }
  lines.push(
    '}',
    '@page :first {',
    '  @top-left { content: none; }',
    '  @top-right { content: none; }',
    '}',
  );
  return `${lines.join('\n')}\n`;
}
