/**
 * The web fonts of the memo, inlined as `data:font/woff2` URLs so that the
 * HTML page needs no request and Chromium prints with the real faces.
 *
 * Source Serif 4 (body) and Source Sans 3 (headings, masthead, badges), from
 * the @fontsource packages, latin and latin-ext subsets, each face with the
 * package's own `unicode-range`. A memo's page carries only the subsets its
 * characters fall in (`fontCssFor`): the browser would not use the others,
 * yet parsing their inlined data costs time at every print and doubles the
 * HTML file (docs/performance.md).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const SERIF_FAMILY = 'Source Serif 4';
export const SANS_FAMILY = 'Source Sans 3';

interface FontFamilySpec {
  readonly family: string;
  /** npm package name. */
  readonly pkg: string;
  /** File name prefix inside the package's `files/` folder. */
  readonly prefix: string;
  readonly faces: readonly { readonly weight: number; readonly style: 'normal' | 'italic' }[];
}

const FAMILIES: readonly FontFamilySpec[] = [
  {
    family: SERIF_FAMILY,
    pkg: '@fontsource/source-serif-4',
    prefix: 'source-serif-4',
    faces: [
      { weight: 400, style: 'normal' },
      { weight: 400, style: 'italic' },
      { weight: 600, style: 'normal' },
      { weight: 700, style: 'normal' },
      { weight: 700, style: 'italic' },
    ],
  },
  {
    family: SANS_FAMILY,
    pkg: '@fontsource/source-sans-3',
    prefix: 'source-sans-3',
    faces: [
      { weight: 400, style: 'normal' },
      { weight: 600, style: 'normal' },
      { weight: 700, style: 'normal' },
    ],
  },
];

/** latin-ext first, latin last: the later rule wins where ranges overlap. */
const SUBSETS = ['latin-ext', 'latin'] as const;

/** A file whose bytes went into the output (for the renderer fingerprint). */
export interface FontSourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** One `@font-face` rule and the code points it covers (its `unicode-range`). */
export interface FontFaceRule {
  readonly family: string;
  readonly weight: number;
  readonly style: 'normal' | 'italic';
  readonly css: string;
  /** Inclusive [first, last] code point ranges. */
  readonly ranges: readonly (readonly [number, number])[];
}

export interface LoadedFonts {
  /** Every `@font-face` rule with inlined data. */
  readonly css: string;
  readonly faces: readonly FontFaceRule[];
  readonly files: readonly FontSourceFile[];
}

const UNICODE_RANGE = /^U\+[0-9A-F?]+(-[0-9A-F]+)?(,U\+[0-9A-F?]+(-[0-9A-F]+)?)*$/iu;

function unicodeRange(json: unknown, subset: string, pkg: string): string {
  if (typeof json === 'object' && json !== null) {
    const value: unknown = Object.getOwnPropertyDescriptor(json, subset)?.value;
    if (typeof value === 'string' && UNICODE_RANGE.test(value)) return value;
  }
  throw new Error(`${pkg}/unicode.json has no valid range for subset "${subset}"`);
}

/** `U+0100-024F,U+1E??` → [[0x100, 0x24f], [0x1e00, 0x1eff]] (the format `UNICODE_RANGE` checked). */
function parseRanges(range: string): [number, number][] {
  return range.split(',').map((part) => {
    const [first = '', last] = part.slice(2).split('-');
    if (last !== undefined) return [parseInt(first, 16), parseInt(last, 16)];
    return [parseInt(first.replace(/\?/g, '0'), 16), parseInt(first.replace(/\?/g, 'F'), 16)];
  });
}

/**
 * The `@font-face` rules a page whose whole source is `text` needs: those
 * whose range holds one of its characters, or that character's upper or lower
 * case (CSS `text-transform` may print either). Scanning the whole document
 * (markup, style sheets, generated `content:` strings) can only keep a rule
 * too many, never drop one the browser would use.
 */
export function fontCssFor(
  fonts: LoadedFonts,
  text: string,
  keep: (face: FontFaceRule) => boolean = () => true,
): string {
  // Printable ASCII counts as present (every memo has it); only the rest is
  // looked for, which keeps this fast on a long, mostly ASCII memo.
  const points = new Set<number>(Array.from({ length: 0x5f }, (_, index) => 0x20 + index));
  for (const char of new Set(text.match(/[^\0-\x7f]/gu))) {
    for (const variant of [char, char.toUpperCase(), char.toLowerCase()]) {
      for (const each of variant) points.add(each.codePointAt(0) ?? 0);
    }
  }
  const used = fonts.faces.filter(
    (face) =>
      keep(face) &&
      face.ranges.some(([first, last]) => {
        for (const point of points) if (point >= first && point <= last) return true;
        return false;
      }),
  );
  return used.map((face) => `${face.css}\n`).join('');
}

/** Read the font files once; the result is reused for every render. */
export async function loadFonts(): Promise<LoadedFonts> {
  const require = createRequire(import.meta.url);
  const faces: FontFaceRule[] = [];
  const files: FontSourceFile[] = [];
  for (const spec of FAMILIES) {
    const root = dirname(require.resolve(`${spec.pkg}/package.json`));
    const unicodeBytes = await readFile(join(root, 'unicode.json'));
    files.push({ name: `${spec.pkg}/unicode.json`, bytes: unicodeBytes });
    const ranges: unknown = JSON.parse(unicodeBytes.toString('utf8'));
    for (const face of spec.faces) {
      for (const subset of SUBSETS) {
        const fileName = `${spec.prefix}-${subset}-${face.weight}-${face.style}.woff2`;
        const bytes = await readFile(join(root, 'files', fileName));
        files.push({ name: `${spec.pkg}/files/${fileName}`, bytes });
        const range = unicodeRange(ranges, subset, spec.pkg);
        faces.push({
          family: spec.family,
          weight: face.weight,
          style: face.style,
          ranges: parseRanges(range),
          css: [
            '@font-face {',
            `  font-family: "${spec.family}";`,
            `  font-style: ${face.style};`,
            `  font-weight: ${face.weight};`,
            '  font-display: block;',
            `  src: url(data:font/woff2;base64,${bytes.toString('base64')}) format("woff2");`,
            `  unicode-range: ${range};`,
            '}',
          ].join('\n'),
        });
      }
    }
  }
  return { css: faces.map((face) => `${face.css}\n`).join(''), faces, files };
}
