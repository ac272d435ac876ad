/**
 * The guard on page-bottom notes, read from the printed PDF alone: each note (a named
 * destination, its element id) must be on the page of the first link to it (its reference).
 */
import type { PlacedNote } from './footnote-layout.js';
import { readPdfLinks } from './pdf-links.js';
import type { PdfLinks } from './pdf-links.js';

/** Why a note is not on its reference's page, or undefined when every note is. */
export function misplacedIn(links: PdfLinks, notes: readonly PlacedNote[]): string | undefined {
  for (const note of notes) {
    const notePage = links.destinations.get(note.id);
    const refPage = links.firstLink.get(note.id);
    if (notePage === undefined || refPage === undefined)
      return `note ${note.label} could not be found in the printed PDF`;
    if (notePage !== refPage)
      return `note ${note.label} would print on page ${notePage}, its reference on page ${refPage}`;
  }
  return undefined;
}

/** `misplacedIn` for PDF bytes. */
export async function misplacedNote(
  pdf: Uint8Array,
  notes: readonly PlacedNote[],
): Promise<string | undefined> {
  return misplacedIn(await readPdfLinks(pdf), notes);
}
