/**
 * The PDF's bookmarks, retitled with the text of the headings they stand for.
 *
 * Chromium makes one outline item per h1–h6 in document order, but titles it
 * with the text it painted for the heading: a heading moved to the next page
 * by the break rules has some of its pieces twice ("ConclusionConclusion"),
 * and a heading that wraps loses the space at the line end ("low-water
 * contingency" becomes "low-watercontingency"). The true texts are read from
 * the page just before it prints (pdf-page.ts): what Chromium laid out,
 * template headings (Notes, Distribution, the appendix) and the footnote
 * layout's changes included.
 *
 * Items and headings are paired in order, and an item is retitled only when
 * its title is its heading's text once whitespace is removed and repeated
 * pieces are collapsed: a heading Chromium did not bookmark, or a title this
 * cannot explain, leaves the item as Chromium wrote it. Never a worse title.
 */
import { PDFDict, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import type { PDFObject } from 'pdf-lib';
import { withoutControls } from '../util/unsafe-text.js';

/** Outline items looked at, at most (a malformed outline could be endless). */
const MAX_ITEMS = 20_000;
/** Longest heading (without whitespace) checked for repeated pieces; longer ones must match exactly. */
const MAX_PIECES_CHECK = 500;

/** A heading's text as a reader sees it: collapsible (ASCII) whitespace as one space, no control character. */
export function headingTitle(text: string): string {
  return withoutControls(text)
    .replace(/[ \t\n\f\r]+/g, ' ')
    .trim();
}

const squeeze = (text: string) => text.replace(/\s+/gu, '');

/**
 * Whether `title` is `heading` as Chromium paints it into a bookmark: the same
 * characters once whitespace is removed, except that consecutive pieces of the
 * heading may each appear more than once ("Progress on Progress on Rec…").
 */
export function isPaintedAs(title: string, heading: string): boolean {
  const painted = squeeze(title);
  const text = squeeze(heading);
  if (painted === text) return true;
  if (text.length === 0 || text.length > MAX_PIECES_CHECK) return false;
  if (painted.length < text.length || painted.length > 3 * text.length) return false;
  // States (i, j): text[0, i) accounts for painted[0, j).
  const width = painted.length + 1;
  const seen = new Set<number>();
  const pending: Array<readonly [number, number]> = [[0, 0]];
  for (let state = pending.pop(); state !== undefined; state = pending.pop()) {
    const [i, j] = state;
    if (i === text.length) {
      if (j === painted.length) return true;
      continue;
    }
    if (seen.has(i * width + j)) continue;
    seen.add(i * width + j);
    let common = 0;
    while (
      i + common < text.length &&
      j + common < painted.length &&
      text[i + common] === painted[j + common]
    )
      common += 1;
    for (let end = i + 1; end <= i + common; end += 1) {
      const piece = text.slice(i, end);
      for (let at = j + piece.length; ; at += piece.length) {
        pending.push([end, at]);
        if (!painted.startsWith(piece, at)) break;
      }
    }
  }
  return false;
}

function decoded(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString
    ? value.decodeText()
    : undefined;
}

/** The outline's items that are objects of their own, depth first (a heading's subheadings follow it). */
function outlineItems(
  catalog: PDFDict,
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): Array<{ ref: PDFRef; item: PDFDict }> {
  const outlines = resolve(catalog.get(PDFName.of('Outlines')));
  if (!(outlines instanceof PDFDict)) return [];
  const items: Array<{ ref: PDFRef; item: PDFDict }> = [];
  const visited = new Set<number>();
  const pending: Array<PDFObject | undefined> = [outlines.get(PDFName.of('First'))];
  while (pending.length > 0 && items.length < MAX_ITEMS) {
    const ref = pending.pop();
    if (!(ref instanceof PDFRef) || visited.has(ref.objectNumber)) continue;
    visited.add(ref.objectNumber);
    const item = resolve(ref);
    if (!(item instanceof PDFDict)) continue;
    items.push({ ref, item });
    // Its children before its next sibling.
    pending.push(item.get(PDFName.of('Next')), item.get(PDFName.of('First')));
  }
  return items;
}

/**
 * Give each outline item its heading's text (`headings`: every h1–h6 of the
 * printed page, in document order). The items changed are returned, already
 * changed: objects `resolve` gave, so the full rewrite needs nothing more and
 * the incremental update writes them anew.
 */
export function retitleOutline(
  catalog: PDFDict,
  headings: readonly string[],
  resolve: (value: PDFObject | undefined) => PDFObject | undefined,
): Array<{ ref: PDFRef; item: PDFDict }> {
  if (headings.length === 0) return [];
  const texts = headings.map(headingTitle);
  const changed: Array<{ ref: PDFRef; item: PDFDict }> = [];
  let next = 0;
  for (const entry of outlineItems(catalog, resolve)) {
    const title = decoded(resolve(entry.item.get(PDFName.of('Title'))));
    if (title === undefined) continue;
    const at = texts.findIndex((text, index) => index >= next && isPaintedAs(title, text));
    const text = texts[at];
    if (text === undefined) continue; // no heading explains it: left as Chromium wrote it
    next = at + 1;
    if (text === title) continue;
    entry.item.set(PDFName.of('Title'), PDFHexString.fromText(text));
    changed.push(entry);
  }
  return changed;
}
