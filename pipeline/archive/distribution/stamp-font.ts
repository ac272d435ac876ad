/**
 * The faces a copy's stamp is written in: Source Sans 3 Regular, its latin
 * and latin-ext files, from the @fontsource package the memo's own fonts come
 * from (WOFF: pdf-lib's fontkit subsets WOFF into the TrueType program PDF/A
 * embeds). latin-ext holds only the letters latin lacks (Ł, ř, ğ…), so a line
 * is written in runs, each character in the first face that has it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import type { CustomFontSubsetEmbedder } from 'pdf-lib';
import { unpackWoff } from './woff.js';

/** pdf-lib's fontkit interface (not exported by name). */
type Fontkit = Parameters<typeof CustomFontSubsetEmbedder.for>[0];

export interface StampFace {
  /** The face's TrueType bytes (the WOFF file unpacked: woff.ts). */
  readonly bytes: Uint8Array;
  /** PostScript name, e.g. SourceSans3-Regular. */
  readonly name: string;
  /** Whether the face has a glyph for this character. */
  readonly covers: (char: string) => boolean;
  /** A fontkit whose `create` gives this face parsed once (each subset is still its own). */
  readonly fontkit: Fontkit;
}

const PACKAGE = '@fontsource/source-sans-3';
const FILES = ['source-sans-3-latin-400-normal.woff', 'source-sans-3-latin-ext-400-normal.woff'];

function loadFace(root: string, file: string): StampFace {
  const woff = new Uint8Array(readFileSync(join(root, 'files', file)));
  const bytes = unpackWoff(woff) ?? woff;
  const font = fontkit.create(bytes);
  return {
    bytes,
    name: font.postscriptName ?? 'SourceSans3-Regular',
    covers: (char) => font.hasGlyphForCodePoint(char.codePointAt(0) ?? 0),
    fontkit: { create: () => font },
  };
}

/** Read the faces, latin first (once per run; a few milliseconds). */
export function loadStampFaces(): readonly StampFace[] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve(`${PACKAGE}/package.json`));
  return FILES.map((file) => loadFace(root, file));
}

/** Characters of `text` no face has a glyph for (each once), or [] when they can write all. */
export function missingFrom(faces: readonly StampFace[], text: string): string[] {
  const bad = new Set<string>();
  for (const char of text)
    if (char < ' ' || !faces.some((face) => face.covers(char))) bad.add(char);
  return [...bad];
}

/** A stretch of the line written in one face (`face`: its index in the faces). */
export interface StampRun {
  readonly face: number;
  readonly text: string;
}

/** `text` cut into runs, each character in the first face that has it (call missingFrom first). */
export function runsOf(faces: readonly StampFace[], text: string): StampRun[] {
  const runs: StampRun[] = [];
  for (const char of text) {
    const face = Math.max(
      0,
      faces.findIndex((candidate) => candidate.covers(char)),
    );
    const last = runs.at(-1);
    if (last?.face === face) runs[runs.length - 1] = { face, text: last.text + char };
    else runs.push({ face, text: char });
  }
  return runs;
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
