/**
 * The web fonts of the memo, inlined as `data:font/woff2` URLs so that the
 * HTML page needs no request and Chromium prints with the real faces.
 *
 * Source Serif 4 (body) and Source Sans 3 (headings, masthead, badges), from
 * the @fontsource packages, latin and latin-ext subsets, each face with the
 * package's own `unicode-range` so the browser only decodes what it needs.
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

export interface LoadedFonts {
  /** `@font-face` rules with inlined data. */
  readonly css: string;
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

/** Read the font files once; the result is reused for every render. */
export async function loadFonts(): Promise<LoadedFonts> {
  const require = createRequire(import.meta.url);
  const rules: string[] = [];
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
        rules.push(
          [
            '@font-face {',
            `  font-family: "${spec.family}";`,
            `  font-style: ${face.style};`,
            `  font-weight: ${face.weight};`,
            '  font-display: block;',
            `  src: url(data:font/woff2;base64,${bytes.toString('base64')}) format("woff2");`,
            `  unicode-range: ${unicodeRange(ranges, subset, spec.pkg)};`,
            '}',
          ].join('\n'),
        );
      }
    }
  }
  return { css: `${rules.join('\n')}\n`, files };
}
