/** What the archive's derived pages (index, series pages, redlines) are made with: the same for publish and verify. */
import { SANS_FAMILY, SERIF_FAMILY } from '../render/fonts.js';
import type { FontFaceRule, LoadedFonts } from '../render/fonts.js';
import type { ArchiveTemplates } from './templates.js';

export interface ArchivePageKit {
  readonly templates: ArchiveTemplates;
  readonly fonts: LoadedFonts;
  readonly generator: string;
}

/**
 * The memo's faces the index and series stylesheets use (index.css): a few,
 * since those pages are rewritten at every publish and committed with the archive.
 */
export function archiveFace(face: FontFaceRule): boolean {
  if (face.style !== 'normal') return false;
  if (face.family === SERIF_FAMILY) return face.weight === 600;
  return face.family === SANS_FAMILY && (face.weight === 400 || face.weight === 700);
}
