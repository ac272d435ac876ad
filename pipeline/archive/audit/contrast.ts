/**
 * Text colours of the stylesheets (styles/*.css, the templates' CSS) against
 * their background, by WCAG 2.1's contrast ratio: AA asks 4.5:1 for body
 * text, 3:1 for large text (24px, or 18.66px bold). CSS read by postcss,
 * colours by colorjs.io.
 *
 * Each rule that sets a text colour is checked; its background is the
 * rule's own, else that of the nearest ancestor its selector names
 * ("#side" for "#side h2"), else the page's (html, body or :root); custom
 * properties are those of :root. A value that is not one colour (a
 * gradient, an image) is not judged, nor a rule that sets only a background
 * (the CSS alone does not say whose text sits on it).
 */
import Color from 'colorjs.io';
import postcss from 'postcss';
import type { Declaration, Rule } from 'postcss';

export interface ContrastProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The CSS could not be read at all. */
  readonly unreadable?: boolean;
}

const AA_BODY = 4.5;
const AA_LARGE = 3;
const PAGE_SELECTORS = new Set([':root', 'html', 'body']);
const MAX_VAR_DEPTH = 10;

/** The last declaration of `prop` (or of any of `props`) directly in `rule`. */
function last(rule: Rule, props: readonly string[]): Declaration | undefined {
  let found: Declaration | undefined;
  rule.each((node) => {
    if (node.type === 'decl' && props.includes(node.prop.toLowerCase())) found = node;
  });
  return found;
}

function substitute(value: string, vars: ReadonlyMap<string, string>): string | undefined {
  let current = value;
  for (let depth = 0; depth < MAX_VAR_DEPTH && current.includes('var('); depth += 1) {
    let missing = false;
    current = current.replace(
      /var\(\s*(--[\w-]+)\s*(?:,\s*([^)]*))?\)/g,
      (_, name: string, fallback?: string) => {
        const found = vars.get(name) ?? fallback;
        if (found === undefined) missing = true;
        return found ?? '';
      },
    );
    if (missing) return undefined;
  }
  return current.includes('var(') ? undefined : current.trim();
}

/** A colour, or undefined when the value is not one colour. */
function parseColor(value: string | undefined): Color | undefined {
  if (value === undefined) return undefined;
  try {
    return new Color(value).to('srgb');
  } catch {
    return undefined;
  }
}

/** `top` seen over the opaque `bottom`. */
function over(top: Color, bottom: Color): Color {
  const alpha = top.alpha ?? 1;
  if (alpha >= 1) return top;
  const [r1 = 0, g1 = 0, b1 = 0] = top.coords;
  const [r2 = 0, g2 = 0, b2 = 0] = bottom.to('srgb').coords;
  const mix = (a: number | null, b: number | null) => (a ?? 0) * alpha + (b ?? 0) * (1 - alpha);
  return new Color('srgb', [mix(r1, r2), mix(g1, g2), mix(b1, b2)]);
}

/** Whether a rule's font size makes its text "large" in WCAG's sense. */
function isLarge(rule: Rule): boolean {
  const size = /^([\d.]+)(px|pt|rem|em)$/.exec(last(rule, ['font-size'])?.value.trim() ?? '');
  if (size?.[1] === undefined || size[2] === undefined) return false;
  const px = Number(size[1]) * ({ px: 1, pt: 4 / 3, rem: 16, em: 16 }[size[2]] ?? 0);
  const weight = last(rule, ['font-weight'])?.value.trim() ?? '';
  const bold = weight === 'bold' || Number(weight) >= 700;
  return px >= 24 || (bold && px >= 18.66);
}

/** "#a > b:has(+ c) d" → ["#a", "b:has(+ c)", "d"]: the compound selectors, split at descendant and child combinators outside brackets. */
function compounds(selector: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of selector.trim()) {
    if (char === '(' || char === '[') depth += 1;
    if (char === ')' || char === ']') depth = Math.max(0, depth - 1);
    if (depth === 0 && (char === ' ' || char === '>' || char === '\n' || char === '\t')) {
      if (current !== '') parts.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current !== '') parts.push(current);
  return parts;
}

const hex = (color: Color) => color.to('srgb').toString({ format: 'hex' });

/** The contrast problems of one stylesheet. */
export function contrastProblems(css: string, from: string): ContrastProblem[] {
  let root: postcss.Root;
  try {
    root = postcss.parse(css, { from });
  } catch (error) {
    const where = error instanceof postcss.CssSyntaxError ? error : undefined;
    return [
      {
        line: where?.line ?? 1,
        column: where?.column ?? 1,
        unreadable: true,
        message: `the stylesheet cannot be read (${where?.reason ?? 'not CSS'}); fix the CSS there`,
      },
    ];
  }
  const vars = new Map<string, string>();
  let pageInk: string | undefined;
  let pageBackground: string | undefined;
  root.walkRules((rule) => {
    const isPage = rule.selectors.some((selector) => PAGE_SELECTORS.has(selector.trim()));
    if (!isPage) return;
    rule.each((node) => {
      if (node.type !== 'decl') return;
      const prop = node.prop.toLowerCase();
      if (node.prop.startsWith('--') && rule.selectors.includes(':root'))
        vars.set(node.prop, node.value);
      if (prop === 'color') pageInk = node.value;
      if (prop === 'background' || prop === 'background-color') pageBackground = node.value;
    });
  });
  const ink = parseColor(substitute(pageInk ?? 'black', vars)) ?? new Color('black');
  const paper = parseColor(substitute(pageBackground ?? 'white', vars)) ?? new Color('white');

  // The last background set for each single selector, to find an ancestor's.
  const backgrounds = new Map<string, string>();
  root.walkRules((rule) => {
    const value = last(rule, ['background', 'background-color'])?.value;
    if (value !== undefined)
      for (const selector of rule.selectors) backgrounds.set(selector.trim(), value);
  });
  const ancestorBackground = (selector: string): string | undefined => {
    const parts = compounds(selector);
    for (let length = parts.length - 1; length > 0; length -= 1) {
      const found = backgrounds.get(parts.slice(0, length).join(' '));
      if (found !== undefined) return found;
    }
    return undefined;
  };

  const problems: ContrastProblem[] = [];
  root.walkRules((rule) => {
    const colorDecl = last(rule, ['color']);
    if (colorDecl === undefined) return;
    const ownInk = colorDecl.value.trim().toLowerCase();
    const inherits = ['inherit', 'currentcolor', 'unset', 'initial'].includes(ownInk);
    const foreground = inherits ? ink : parseColor(substitute(colorDecl.value, vars));
    const backgroundValue =
      last(rule, ['background', 'background-color'])?.value ??
      rule.selectors.map(ancestorBackground).find((value) => value !== undefined);
    const clear = ['transparent', 'none', 'inherit'].includes(
      backgroundValue?.trim().toLowerCase() ?? '',
    );
    const background =
      backgroundValue === undefined || clear
        ? paper
        : parseColor(substitute(backgroundValue, vars));
    if (foreground === undefined || background === undefined) return;
    const base = over(background, paper);
    const text = over(foreground, base);
    const ratio = text.contrast(base, 'WCAG21');
    const needed = isLarge(rule) ? AA_LARGE : AA_BODY;
    if (ratio >= needed) return;
    const at = colorDecl.source?.start;
    problems.push({
      line: at?.line ?? 1,
      column: at?.column ?? 1,
      message: `text in ${hex(text)} on ${hex(base)} (${rule.selector.replace(/\s+/g, ' ')}) has a contrast of ${ratio.toFixed(2)}:1, below the ${needed}:1 WCAG AA asks; darken the text or lighten the background`,
    });
  });
  return problems;
}
