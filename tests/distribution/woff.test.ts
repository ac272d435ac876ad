/** woff.ts: the TrueType a WOFF file packs, read by fontkit as the WOFF itself is. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { unpackWoff } from '../../pipeline/archive/distribution/woff.js';

const require = createRequire(import.meta.url);
const files = path.join(
  path.dirname(require.resolve('@fontsource/source-sans-3/package.json')),
  'files',
);

describe('unpackWoff', () => {
  it.each(['latin', 'latin-ext'])(
    'unpacks Source Sans 3 %s into a TrueType file with the same glyphs',
    (subset) => {
      const woff = new Uint8Array(
        readFileSync(path.join(files, `source-sans-3-${subset}-400-normal.woff`)),
      );
      const ttf = unpackWoff(woff);
      if (ttf === undefined) throw new Error('not unpacked');
      expect(Buffer.from(ttf.subarray(0, 4)).toString('hex')).toBe('00010000');
      const packed = fontkit.create(woff);
      const unpacked = fontkit.create(ttf);
      expect(unpacked.postscriptName).toBe(packed.postscriptName);
      expect(unpacked.characterSet).toEqual(packed.characterSet);
      const text = subset === 'latin' ? 'Copy 01 of 05 \u2014 Jane Doe' : '\u0141\u0159\u011f';
      expect(unpacked.layout(text).glyphs.map((glyph) => [glyph.id, glyph.advanceWidth])).toEqual(
        packed.layout(text).glyphs.map((glyph) => [glyph.id, glyph.advanceWidth]),
      );
    },
  );

  it('says a file that is not WOFF is not one', () => {
    expect(unpackWoff(new Uint8Array(Buffer.from('%PDF-1.7\n')))).toBeUndefined();
    const woff = new Uint8Array(
      readFileSync(path.join(files, 'source-sans-3-latin-400-normal.woff')),
    );
    expect(unpackWoff(woff.subarray(0, 200))).toBeUndefined();
  });
});
