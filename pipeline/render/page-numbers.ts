/**
 * Page numbers in the printed memo: the contents block's and each `:ref`'s " (page N)". Chromium
 * has no `target-counter()`, so the numbers are read back from the printed PDF (the page of each
 * heading's named destination, pdf-links.ts), written into the page through DevTools (page
 * scripts stay off) and printed again, until a print carries the numbers it was printed with.
 * The contents' numbers sit in fixed-width boxes, so filling them cannot move a line; a `:ref`'s
 * number is inline text and may, rarely, take one more pass.
 */
import type { Page } from 'puppeteer-core';

/** A memo whose contents would print longer than this many pages gets one with `toc: auto`. */
export const AUTO_CONTENTS_PAGES = 10;

/**
 * With `toc: auto`, a memo with at least this many characters of text is first printed with its
 * contents, as a long memo: about 30 pages at the density of the generated benchmark memo and
 * still 13 at 6,000 characters a page. The print then confirms it (docs/print.md).
 */
export const LONG_MEMO_TEXT = 80_000;

/** Prints spent on the page numbers at most, counting the first. */
export const MAX_NUMBER_PRINTS = 4;

/** A page-number slot: its attribute names the id whose page it shows. */
export const PAGE_SLOT = '[data-memo-page-of]';
/** The contents block (kept or dropped as the memo loads, pdf-page.ts). */
export const CONTENTS = '[data-memo-contents]';

export interface Filled {
  /** Page-number slots in the page. */
  readonly slots: number;
  /** Slots whose number changed. */
  readonly changed: number;
  /** Ids whose page the PDF does not tell. */
  readonly missing: readonly string[];
}

/** Write each slot's page from `pages` (id → 1-based page). */
export async function fillPageNumbers(
  page: Page,
  pages: ReadonlyMap<string, number>,
): Promise<Filled> {
  return page.evaluate(
    (selector, entries) => {
      const known = new Map(entries);
      let slots = 0;
      let changed = 0;
      const missing: string[] = [];
      for (const slot of Array.from(document.querySelectorAll(selector))) {
        slots += 1;
        const id = slot.getAttribute('data-memo-page-of') ?? '';
        const number = known.get(id);
        if (number === undefined) {
          missing.push(id);
          continue;
        }
        const text = String(number);
        if (slot.textContent !== text) {
          slot.textContent = text;
          changed += 1;
        }
      }
      return { slots, changed, missing };
    },
    PAGE_SLOT,
    [...pages],
  );
}
