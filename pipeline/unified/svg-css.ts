/**
 * Hand-written because it is a security boundary: CSS in an SVG (its
 * stylesheets, `style` and presentation attributes) is read token by token as
 * a browser reads it, with comments skipped and escapes decoded (`u\72l(` is
 * `url(`), so that every function and at-rule is checked against an
 * allow-list and every `url(…)` points inside the drawing or holds embedded
 * image or font data. Anything else (`@import`, `image-set()`, `src()`,
 * `expression()`…) is refused.
 */

/** Functions that compute colours, lengths, transforms, filters, shapes and selectors: none fetches anything. */
const FUNCTIONS = new Set([
  'rgb',
  'rgba',
  'hsl',
  'hsla',
  'hwb',
  'lab',
  'lch',
  'oklab',
  'oklch',
  'color',
  'color-mix',
  'calc',
  'min',
  'max',
  'clamp',
  'var',
  'translate',
  'translatex',
  'translatey',
  'translatez',
  'translate3d',
  'rotate',
  'rotatex',
  'rotatey',
  'rotatez',
  'rotate3d',
  'scale',
  'scalex',
  'scaley',
  'scalez',
  'scale3d',
  'matrix',
  'matrix3d',
  'skew',
  'skewx',
  'skewy',
  'perspective',
  'cubic-bezier',
  'steps',
  'linear-gradient',
  'radial-gradient',
  'repeating-linear-gradient',
  'repeating-radial-gradient',
  'blur',
  'brightness',
  'contrast',
  'drop-shadow',
  'grayscale',
  'hue-rotate',
  'invert',
  'opacity',
  'saturate',
  'sepia',
  'inset',
  'circle',
  'ellipse',
  'polygon',
  'path',
  'rect',
  'local',
  'format',
  'not',
  'is',
  'where',
  'nth-child',
  'nth-last-child',
  'nth-of-type',
  'nth-last-of-type',
  'lang',
  'dir',
]);
const AT_RULES = new Set(['media', 'font-face', 'keyframes', '-webkit-keyframes', 'supports']);
const SAFE_URL =
  /^(?:#|data:image\/(?:png|jpeg|gif|webp)[;,]|data:font\/|data:application\/(?:x-)?font-)/i;
const NEWLINE = /[\n\r\f]/;
const SPACE = /[ \t\n\r\f]/;

function shown(text: string): string {
  const flat = [...text.replace(/\s+/g, ' ').trim()]
    .map((char) => (/[\p{Cc}\p{Cf}]/u.test(char) ? '?' : char))
    .join('');
  return flat.length <= 60 ? flat : `${flat.slice(0, 59)}…`;
}

/** The character an escape at `at` (the backslash) stands for, and where the escape ends. */
function readEscape(css: string, at: number): [string, number] {
  const hex = /^[0-9a-fA-F]{1,6}/.exec(css.slice(at + 1, at + 7));
  if (hex !== null) {
    let next = at + 1 + hex[0].length;
    if (css[next] === '\r' && css[next + 1] === '\n') next += 2;
    else if (SPACE.test(css[next] ?? '')) next += 1;
    const code = Number.parseInt(hex[0], 16);
    const invalid = code === 0 || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff;
    return [invalid ? '\uFFFD' : String.fromCodePoint(code), next];
  }
  const code = css.codePointAt(at + 1);
  if (code === undefined) return ['\uFFFD', at + 1];
  const char = String.fromCodePoint(code);
  return [char, at + 1 + char.length];
}

function isNameChar(char: string | undefined): boolean {
  return char !== undefined && (/[A-Za-z0-9_-]/.test(char) || char.charCodeAt(0) >= 0x80);
}

/** An identifier (or number, hash…) starting at `at`, escapes decoded. */
function readName(css: string, at: number): [string, number] {
  let name = '';
  let index = at;
  for (;;) {
    const char = css[index];
    if (char === '\\' && !NEWLINE.test(css[index + 1] ?? '\n')) {
      const [decoded, next] = readEscape(css, index);
      name += decoded;
      index = next;
    } else if (isNameChar(char)) {
      name += char;
      index += 1;
    } else return [name, index];
  }
}

/** A quoted string starting at `at` (the quote): its decoded text and where it ends (as a browser ends it, also at a newline). */
function readString(css: string, at: number): [string, number] {
  const quote = css[at];
  let text = '';
  let index = at + 1;
  while (index < css.length) {
    const char = css[index] ?? '';
    if (char === quote) return [text, index + 1];
    if (NEWLINE.test(char)) return [text, index];
    if (char === '\\') {
      const after = css[index + 1];
      if (after === undefined) return [text, index + 1];
      if (NEWLINE.test(after)) {
        index += after === '\r' && css[index + 2] === '\n' ? 3 : 2;
        continue;
      }
      const [decoded, next] = readEscape(css, index);
      text += decoded;
      index = next;
      continue;
    }
    text += char;
    index += 1;
  }
  return [text, index];
}

/** The target of `url(` whose argument starts at `at`, decoded, and where the function ends. */
function readUrl(css: string, at: number): [string, number] {
  let index = at;
  while (SPACE.test(css[index] ?? '')) index += 1;
  if (css[index] === '"' || css[index] === "'") {
    const [text, next] = readString(css, index);
    return [text, next];
  }
  let target = '';
  while (index < css.length && css[index] !== ')') {
    if (css[index] === '\\' && !NEWLINE.test(css[index + 1] ?? '\n')) {
      const [decoded, next] = readEscape(css, index);
      target += decoded;
      index = next;
    } else {
      target += css[index];
      index += 1;
    }
  }
  return [target, index + 1];
}

/** What in this CSS could run or fetch something (for the error message), or undefined. */
export function cssProblem(css: string): string | undefined {
  let index = 0;
  while (index < css.length) {
    const char = css[index];
    if (char === '/' && css[index + 1] === '*') {
      const end = css.indexOf('*/', index + 2);
      index = end === -1 ? css.length : end + 2;
    } else if (char === '"' || char === "'") {
      index = readString(css, index)[1];
    } else if (char === '@') {
      const [name, next] = readName(css, index + 1);
      if (!AT_RULES.has(name.toLowerCase())) return `the CSS rule \`@${shown(name)}\``;
      index = next;
    } else if (isNameChar(char) || (char === '\\' && !NEWLINE.test(css[index + 1] ?? '\n'))) {
      const [name, next] = readName(css, index);
      index = next;
      if (css[index] !== '(') continue;
      const lower = name.toLowerCase();
      if (lower === 'url') {
        const [target, after] = readUrl(css, index + 1);
        const url = target.trim().replace(/[\t\n\r]/g, '');
        if (!SAFE_URL.test(url))
          return `a reference to another file or site (\`url(${shown(target)})\`)`;
        index = after;
      } else if (!FUNCTIONS.has(lower)) return `the CSS function \`${shown(name)}()\``;
      else index += 1;
    } else index += 1;
  }
  return undefined;
}
