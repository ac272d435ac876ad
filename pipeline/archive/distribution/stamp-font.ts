/**
 * The face a copy's stamp is written in: Source Sans 3 Regular, latin subset,
 * from the @fontsource package the memo's own fonts come from (its WOFF file:
 * pdf-lib's fontkit subsets WOFF into the TrueType program PDF/A embeds).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';

export interface StampFace {
  /** The WOFF file's bytes, as pdf-lib embeds them. */
  readonly bytes: Uint8Array;
  /** PostScript name, e.g. SourceSans3-Regular. */
  readonly name: string;
  /** Whether the face has a glyph for this character. */
  readonly covers: (char: string) => boolean;
}

const PACKAGE = '@fontsource/source-sans-3';
const FILE = 'source-sans-3-latin-400-normal.woff';

/** Read the face (once per stamper; a few milliseconds). */
export function loadStampFace(): StampFace {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve(`${PACKAGE}/package.json`));
  const bytes = new Uint8Array(readFileSync(join(root, 'files', FILE)));
  const font = fontkit.create(bytes);
  return {
    bytes,
    name: font.postscriptName ?? 'SourceSans3-Regular',
    covers: (char) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0),
  };
}

/** Characters of `text` the face has no glyph for (each once), or [] when it can write all. */
export function missingFrom(face: StampFace, text: string): string[] {
  const bad = new Set<string>();
  for (const char of text) if (char < ' ' || !face.covers(char)) bad.add(char);
  return [...bad];
}

/**
 * The subset's BaseFont, "ABCDEF+SourceSans3-Regular" (ISO 32000-1, 9.6.4):
 * the six-letter tag comes from the characters the subset holds, not from chance.
 */
export function subsetName(face: StampFace, text: string): string {
  const chars = [...new Set(text)].sort().join('');
  const digest = createHash('sha256').update(face.name).update('\0').update(chars).digest();
  const tag = [...digest.subarray(0, 6)].map((byte) => String.fromCharCode(65 + (byte % 26)));
  return `${tag.join('')}+${face.name}`;
}
