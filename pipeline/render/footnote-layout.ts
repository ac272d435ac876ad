/**
 * Page-bottom footnotes for the PDF. Hand-written: Chromium has no `float: footnote`, and the
 * libraries that emulate it need page JavaScript on (docs/print.md has the measurements).
 *
 * `placeNotes` runs in the memo's page through DevTools (`page.evaluate`), so page scripts stay
 * off. It lays the memo out in a multi-column box whose column is exactly the page's content box:
 * Chromium breaks columns with the engine it uses for pages, so column index = page. Page by page
 * it moves the notes referenced on that page into a block at the page's foot (splitting a
 * paragraph or list item at a line when needed; a note too long for the rest of its page is split
 * at a line and goes on in the next page's block), pads it down and forces a break after it. Pages
 * already finished leave the box (hidden), so each change re-lays out a few pages, not the memo.
 * The result is verified from the printed PDF (footnote-check.ts), never trusted as is.
 */
import type { Page } from 'puppeteer-core';

/** A note moved to the foot of a page: its element id (the PDF's named destination) and number. */
export interface PlacedNote {
  readonly id: string;
  readonly label: string;
}

export interface NoteLayout {
  readonly notes: readonly PlacedNote[];
  /** The 1-based page of each element asked for (by id) in the layout, when it has one. */
  readonly pages: ReadonlyMap<string, number>;
  /** Why the notes could not be laid out (then the page is unusable: reload the memo). */
  readonly failure: string | null;
}

/** Top-level blocks kept in the layout box at once. */
const WINDOW = 12;

/**
 * The page as the layout needs it, set once when the page opens, before any memo: print media,
 * and a viewport wide enough to point at a column several pages into the box
 * (caretPositionFromPoint). So a memo is laid out this way as it loads, not again before its
 * notes. Nothing on the page is ever shown on a screen, and a print depends on neither (the same
 * PDFs, docs/performance.md).
 */
export async function prepareLayoutPage(page: Page): Promise<void> {
  await Promise.all([
    page.emulateMediaType('print'),
    page.setViewport({ width: 16_000, height: 1_600 }),
  ]);
}

/**
 * Lay the page's notes out at the foot of their pages; the page must show the memo, fonts
 * loaded, and have been prepared (`prepareLayoutPage`). `pagesOf`: ids whose page the layout
 * tells too (the print still has the last word).
 */
export async function layoutFootnotes(
  page: Page,
  pagesOf: readonly string[] = [],
): Promise<NoteLayout> {
  // Under tsx (tests that run the CLI from source) functions are wrapped in `__name(…)` calls,
  // which the page does not define: an identity stands in for it. The bundle has none.
  if (placeNotes.toString().includes('__name('))
    await page.evaluate('globalThis.__name ??= (fn) => fn');
  const laid = await page.evaluate(placeNotes, WINDOW, [...pagesOf]);
  return { notes: laid.notes, failure: laid.failure, pages: new Map(laid.pages) };
}

interface Ref {
  readonly a: HTMLAnchorElement;
  readonly li: HTMLLIElement;
  readonly id: string;
  readonly label: string;
  unit: number;
}

/** What `placeNotes` hands back through DevTools (plain data). */
interface PlacedInPage {
  readonly notes: readonly PlacedNote[];
  readonly failure: string | null;
  readonly pages: readonly (readonly [string, number])[];
}

/** Runs in the page: self-contained (no imports, no helpers outside it). Never throws. */
function placeNotes(windowSize: number, pagesOf: readonly string[]): PlacedInPage {
  const cleanups: (() => void)[] = [];
  const result = (
    failure: string | null,
    notes: readonly PlacedNote[] = [],
    pages: readonly (readonly [string, number])[] = [],
  ): PlacedInPage => ({ notes, failure, pages });
  try {
    const section = document.querySelector('section[data-footnotes]');
    if (section === null) return result(null);

    // The page's content box, from the memo's @page rules: the last declaration wins, unless an
    // earlier one is `!important` (a stylesheet of one's own may turn the page: `letter landscape`).
    const declared = new Map<string, { value: string; important: boolean }>();
    for (const sheet of Array.from(document.styleSheets)) {
      for (const rule of Array.from(sheet.cssRules)) {
        if (!(rule instanceof CSSPageRule) || rule.selectorText !== '') continue;
        for (const name of ['size', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left']) {
          const value = rule.style.getPropertyValue(name);
          const important = rule.style.getPropertyPriority(name) === 'important';
          if (value !== '' && (important || declared.get(name)?.important !== true))
            declared.set(name, { value, important });
        }
      }
    }
    const size = declared.get('size')?.value ?? '';
    const margin = new Map<string, string>();
    for (const side of ['top', 'right', 'bottom', 'left']) {
      const value = declared.get(`margin-${side}`)?.value;
      if (value !== undefined) margin.set(side, value);
    }
    const probe = document.createElement('div');
    probe.style.cssText = 'position:absolute;visibility:hidden;left:0;top:0;height:0';
    document.body.append(probe);
    cleanups.push(() => probe.remove());
    // A length in px to 1/64000 px (a plain width is rounded to Chromium's 1/64 px).
    const px = (length: string): number => {
      probe.style.width = `calc(${length} * 1000)`;
      return probe.getBoundingClientRect().width / 1000;
    };
    const words = size.toLowerCase().trim().split(/\s+/);
    const turned = words.includes('landscape');
    const dimensions = words.filter((word) => word !== 'landscape' && word !== 'portrait');
    const sizes: Record<string, [string, string]> = {
      letter: ['8.5in', '11in'],
      a4: ['210mm', '297mm'],
      legal: ['8.5in', '14in'],
      a5: ['148mm', '210mm'],
    };
    const named = dimensions.length === 1 ? sizes[dimensions[0] ?? ''] : undefined;
    const portrait = named ?? (dimensions.length === 2 && !turned ? dimensions : undefined);
    const pair = turned && portrait !== undefined ? [portrait[1], portrait[0]] : portrait;
    const sides = ['top', 'right', 'bottom', 'left'].map((side) => margin.get(side));
    if (pair === undefined || sides.some((value) => value === undefined)) {
      return result(`the page size or margins are not set in the @page rule (size "${size}")`);
    }
    const [top, right, bottom, left] = sides.map((value) => px(value ?? '0'));
    // Chromium prints on a page area of whole pixels, rounded up: a column a fraction of a pixel
    // shorter would end pages a line early. An area a hair from a whole number may round either
    // way, so its margin grows by half a pixel (kept for the print).
    const widen: string[] = [];
    const area = (whole: number, a: number, b: number, side: string): number => {
      const exact = whole - a - b;
      if (Math.abs(exact - Math.round(exact)) > 0.01) return Math.ceil(exact);
      widen.push(`margin-${side}:calc(${margin.get(side) ?? '0'} + 0.5px)`);
      return Math.round(exact);
    };
    const bodyStyle = getComputedStyle(document.body);
    const inset =
      parseFloat(bodyStyle.paddingLeft) +
      parseFloat(bodyStyle.paddingRight) +
      parseFloat(bodyStyle.marginLeft) +
      parseFloat(bodyStyle.marginRight);
    const W = area(px(pair[0] ?? '0'), left ?? 0, right ?? 0, 'right') - inset;
    const H = area(px(pair[1] ?? '0'), top ?? 0, bottom ?? 0, 'bottom');
    if (!(W > 50 && H > 50)) return result('the page leaves no room for text');
    if (widen.length > 0) {
      const pageStyle = document.createElement('style');
      pageStyle.textContent = `@page{${widen.join(';')}}`;
      document.head.append(pageStyle);
    }

    // The notes, in the order of their first reference.
    const refs: Ref[] = [];
    const seen = new Set<string>();
    for (const a of Array.from(document.querySelectorAll('a[data-footnote-ref]'))) {
      if (!(a instanceof HTMLAnchorElement) || section.contains(a)) continue;
      const id = decodeURIComponent((a.getAttribute('href') ?? '').slice(1));
      if (seen.has(id)) continue;
      const li = document.getElementById(id);
      if (!(li instanceof HTMLLIElement) || !section.contains(li)) continue;
      seen.add(id);
      refs.push({ a, li, id, label: (a.textContent ?? '').trim(), unit: -1 });
    }
    const unreferenced = Array.from(section.querySelectorAll('li[id]')).filter(
      (li) => !seen.has(li.id),
    );
    if (unreferenced.length > 0) return result('a note is not referenced in the text');
    if (refs.length === 0) return result(null);

    // Each note: its number first, linking back to its reference.
    for (const ref of refs) {
      const back = document.createElement('a');
      back.className = 'page-note-number';
      back.href = `#${ref.a.id}`;
      back.textContent = ref.label;
      const first = ref.li.firstElementChild;
      if (first !== null && first.tagName === 'P') first.prepend(back, ' ');
      else ref.li.prepend(back, ' ');
    }
    section.remove();

    const style = document.createElement('style');
    style.textContent = [
      `#mp-flow{column-width:${W}px;column-gap:0;column-fill:auto;height:${H}px;width:${W}px;margin:0;padding:0;border:0}`,
      '[data-mp-off]{display:none!important}',
      '[data-mp-flat]{margin-top:0!important;padding-top:0!important;border-top-width:0!important}',
      '[data-mp-colbreak]{break-before:column!important}',
    ].join('\n');
    document.head.append(style);
    const flow = document.createElement('div');
    flow.id = 'mp-flow';
    const outside = Array.from(document.body.childNodes).filter((node) => node !== probe);
    document.body.prepend(flow);
    flow.append(...outside);
    const measure = document.createElement('div');
    measure.style.cssText = `position:absolute;left:0;top:${H + 400}px;width:${W}px`;
    document.body.append(measure);

    // The blocks of the memo, in order: containers are opened.
    const units: Element[] = [];
    const collect = (parent: Element): void => {
      for (const child of Array.from(parent.children)) {
        if (child.matches('main, article, .memo-body')) collect(child);
        else units.push(child);
      }
    };
    collect(flow);
    const unitIndex = new Map(units.map((unit, index) => [unit, index]));
    let cursor = 0;
    units.forEach((unit, index) => {
      while (cursor < refs.length && unit.contains(refs[cursor]?.a ?? null)) {
        const ref = refs[cursor];
        if (ref !== undefined) ref.unit = index;
        cursor += 1;
      }
      if (getComputedStyle(unit).breakBefore === 'page') unit.setAttribute('data-mp-colbreak', '');
    });
    if (refs.some((ref) => ref.unit < 0)) return result('a note is referenced outside the text');

    const hide = (element: Element): void => element.setAttribute('data-mp-off', '');
    const show = (element: Element): void => element.removeAttribute('data-mp-off');
    let lo = 0;
    let hi = Math.min(units.length, windowSize);
    units.slice(hi).forEach(hide);

    const left0 = flow.getBoundingClientRect().left;
    const top0 = flow.getBoundingClientRect().top;
    const floor = top0 + H;
    const colOf = (x: number): number => Math.floor((x - left0 + 0.5) / W);
    const rects = (element: Element): DOMRect[] =>
      Array.from(element.getClientRects()).filter((r) => r.height > 0 || r.width > 0);
    const colOfElement = (element: Element): number => {
      const first = rects(element)[0];
      return first === undefined ? -1 : colOf(first.left);
    };
    const lastColumn = (element: Element): number => {
      const last = rects(element).at(-1);
      return last === undefined ? -1 : colOf(last.right - 1);
    };
    const fits = (block: HTMLElement, column: number): boolean => {
      const parts = rects(block);
      const part = parts[0];
      return (
        parts.length === 1 &&
        part !== undefined &&
        colOf(part.left) === column &&
        part.bottom <= floor + 0.5
      );
    };
    const align = (block: HTMLElement): void => {
      block.style.marginLeft = '';
      block.style.width = '';
      const box = rects(block)[0];
      if (box === undefined) return;
      const offset = box.left - (left0 + colOf(box.left) * W);
      if (offset > 0.5) {
        block.style.marginLeft = `${-offset}px`;
        block.style.width = `${W}px`;
      }
    };
    const heightOf = (block: HTMLElement): number => {
      const saved = block.style.cssText;
      block.style.marginLeft = '';
      block.style.width = '';
      measure.append(block);
      const height = block.getBoundingClientRect().height;
      block.remove();
      block.style.cssText = saved;
      return height;
    };
    interface Caret {
      node: Node;
      offset: number;
    }
    const caret = (x: number, y: number): Caret | null => {
      const position = document.caretPositionFromPoint(x, y);
      return position === null ? null : { node: position.offsetNode, offset: position.offset };
    };
    const UNSPLITTABLE = 'table, pre, figure, svg, h1, h2, h3, h4, h5, h6, header, dl';
    /** Notes may go inside `node` (within `unit`): no table, heading, or box kept whole in print. */
    const splittable = (node: Element, unit: Element): boolean => {
      if (node.closest(UNSPLITTABLE) !== null) return false;
      for (let up: Element | null = node; up !== null; up = up.parentElement) {
        if (getComputedStyle(up).breakInside.startsWith('avoid')) return false;
        if (up === unit) break;
      }
      return true;
    };

    const blocks: HTMLElement[] = [];
    const breaks: HTMLElement[] = [];
    /** The rest of a note split at the foot of a page: it opens the next page's notes. */
    interface Carry {
      readonly li: HTMLLIElement;
      readonly label: string;
    }
    const carried: { rest: Carry | null } = { rest: null };
    const pending = (): Carry | null => carried.rest;
    const makeBlock = (take: readonly Ref[]): HTMLElement => {
      const block = document.createElement('div');
      block.className = 'page-notes';
      const list = document.createElement('ol');
      const rest = pending();
      if (rest !== null) list.append(rest.li);
      list.append(...take.map((ref) => ref.li));
      block.append(list);
      return block;
    };

    /**
     * Put `block` at a caret position inside `unit`; at the start of a paragraph or list item,
     * before it (so a list marker stays with its item).
     */
    const insertAt = (unit: Element, at: Caret, block: HTMLElement): void => {
      const range = document.createRange();
      let host = at.node.parentElement?.closest('li, p, blockquote') ?? null;
      let before: Element | null = null;
      while (host !== null && unit.contains(host)) {
        range.setStart(host, 0);
        range.setEnd(at.node, at.offset);
        if (range.toString().trim() !== '') break;
        before = host;
        if (host === unit) break;
        host = host.parentElement?.closest('li, p, blockquote') ?? null;
      }
      if (before !== null) before.before(block);
      else if (at.node instanceof Text && at.offset > 0) at.node.splitText(at.offset).before(block);
      else if (at.node instanceof Text) at.node.before(block);
    };

    /**
     * The notes of `take` in a block inside `unit`, at the start of a line near the page's foot;
     * references after that line move on to the next page (`take` shrinks). Null: no such line.
     */
    const splitInto = (unit: Element, column: number, take: Ref[]): HTMLElement | null => {
      if (!splittable(unit, unit)) return null;
      const step = parseFloat(getComputedStyle(unit).lineHeight) || 16;
      let block = makeBlock(take);
      for (let attempt = 0, tries = 0; attempt < 6 && tries < 40; attempt += 1, tries += 1) {
        const y = floor - heightOf(block) - 2 - attempt * step;
        if (y <= top0) return null;
        const at = caret(left0 + column * W + 1, y);
        if (at === null || !unit.contains(at.node) || !(at.node instanceof Text)) continue;
        const parent = at.node.parentElement;
        if (parent === null || !splittable(parent, unit)) return null;
        insertAt(unit, at, block);
        const follows = (ref: Ref): boolean =>
          (block.compareDocumentPosition(ref.a) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
        const after = refs[next + take.length];
        if (after !== undefined && !follows(after)) {
          // A reference left for the next page would stay above these notes: an earlier line.
          block.remove();
          unit.normalize();
          continue;
        }
        const moved = take.filter(follows);
        if (take.length > 0 && moved.length === take.length) {
          block.remove();
          unit.normalize();
          return null;
        }
        if (moved.length > 0) {
          // Fewer notes here: a smaller block, tried again from the same line.
          take.splice(take.length - moved.length);
          block.remove();
          unit.normalize();
          block = makeBlock(take);
          attempt -= 1;
          continue;
        }
        align(block);
        if (fits(block, column)) return block;
        block.remove();
        unit.normalize();
      }
      return null;
    };

    /** The notes of `take` right after (or before) `unit`, if they fit on the page. */
    const beside = (
      unit: Element,
      column: number,
      take: readonly Ref[],
      where: 'after' | 'before',
    ): HTMLElement | null => {
      const block = makeBlock(take);
      if (where === 'after') unit.after(block);
      else unit.before(block);
      align(block);
      if (fits(block, column)) return block;
      block.remove();
      return null;
    };

    const lineOf = (element: Element): number =>
      parseFloat(getComputedStyle(element).lineHeight) || 20;

    /**
     * The notes of `take` right after the last one's reference (after its block, or at the start
     * of the next line), the last note split at the page's foot at a line: its rest becomes
     * carried to the next page. Null when the notes before it do not fit whole, or not one line of it fits.
     */
    const splitNote = (take: readonly Ref[]): HTMLElement | null => {
      const lastRef = take.at(-1);
      const unit = lastRef === undefined ? undefined : units[lastRef.unit];
      const box = lastRef === undefined ? undefined : rects(lastRef.a).at(-1);
      if (lastRef === undefined || unit === undefined || box === undefined) return null;
      const following = refs[next + take.length];
      const block = makeBlock(take);
      // Chromium breaks the note between its lines (orphans and widows kept) at the column's end.
      block.style.breakInside = 'auto';
      if (lastColumn(unit) === column && (following === undefined || !unit.contains(following.a)))
        unit.after(block);
      else {
        const at = caret(left0 + column * W + 1, box.bottom + lineOf(unit) / 2);
        const parent = at?.node.parentElement ?? null;
        if (
          at === null ||
          !(at.node instanceof Text) ||
          !unit.contains(at.node) ||
          parent === null ||
          !splittable(parent, unit)
        )
          return null;
        insertAt(unit, at, block);
      }
      const undo = (): null => {
        block.remove();
        unit.normalize();
        return null;
      };
      const before = (ref: Ref): boolean =>
        (block.compareDocumentPosition(ref.a) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
      if (!before(lastRef) || (following !== undefined && before(following))) return undo();
      align(block);
      const start = rects(lastRef.li)[0];
      if (start === undefined || colOf(start.left) !== column || start.top >= floor) return undo();
      const over = rects(lastRef.li).find((part) => colOf(part.left) > column);
      const others = Array.from(block.querySelectorAll('li')).filter(
        (li) => !lastRef.li.contains(li) && li !== lastRef.li,
      );
      if (others.some((li) => rects(li).some((part) => colOf(part.left) !== column))) return undo();
      if (over === undefined) {
        block.style.breakInside = '';
        align(block);
        return fits(block, column) ? block : undo();
      }
      const at = caret(over.left + 1, over.top + lineOf(lastRef.li) / 2);
      if (at === null || !lastRef.li.contains(at.node)) return undo();
      const range = document.createRange();
      range.setStart(at.node, at.offset);
      range.setEnd(lastRef.li, lastRef.li.childNodes.length);
      const rest = range.extractContents();
      // The split leaves the paragraph it starts in empty when it starts at a paragraph.
      for (
        let end = lastRef.li.lastElementChild;
        end !== null && (end.textContent ?? '').trim() === '' && end.querySelector('img') === null;
        end = lastRef.li.lastElementChild
      )
        end.remove();
      const li = document.createElement('li');
      li.className = 'page-note-continued';
      li.append(rest);
      block.style.breakInside = '';
      align(block);
      // Chromium broke it there itself: the first part fits (anything else is a bug, not a memo).
      if (!fits(block, column)) throw new Error('a split note does not fit');
      carried.rest = { li, label: lastRef.label };
      return block;
    };

    /** Moves `block` above the headings right before it: a heading never ends a page. */
    const aboveHeadings = (block: HTMLElement): void => {
      for (
        let heading = block.previousElementSibling;
        heading !== null && heading.matches('h1, h2, h3, h4, h5, h6');
        heading = block.previousElementSibling
      ) {
        if (heading.querySelector('a[data-footnote-ref]') !== null) break;
        heading.before(block);
        align(block);
      }
    };

    /**
     * Only the rest of a split note, at the foot of the current page: after the last block that
     * ends above its place, or in a paragraph at a line. A reason when it has no place.
     */
    const footOf = (label: string): HTMLElement | string => {
      const y = floor - heightOf(makeBlock([])) - 2;
      if (y <= top0) return `note ${label} is longer than a whole page`;
      const at = caret(left0 + column * W + 1, y);
      let from = hi - 1;
      for (let up: Node | null = at?.node ?? null; up !== null; up = up.parentNode) {
        const index = up instanceof Element ? unitIndex.get(up) : undefined;
        if (index !== undefined && index >= lo && index < hi) {
          from = index;
          break;
        }
      }
      let seen = false;
      for (let i = from; i >= lo; i -= 1) {
        const unit = units[i];
        if (unit === undefined || unit.hasAttribute('data-mp-off') || rects(unit).length === 0)
          continue;
        if (colOfElement(unit) > column) continue;
        seen = true;
        const block = beside(unit, column, [], 'after') ?? splitInto(unit, column, []);
        if (block !== null) {
          aboveHeadings(block);
          return block;
        }
        if (lastColumn(unit) < column) break;
      }
      // Nothing left on the page (the memo ends): the rest has a page of its own.
      const previous = blocks.at(-1);
      if (!seen && previous !== undefined) {
        const block = makeBlock([]);
        previous.after(block);
        if (fits(block, column)) return block;
        block.remove();
      }
      return `note ${label} could not be continued on the next page`;
    };
    const startsColumn = (element: Element, column: number): boolean => {
      const box = rects(element)[0];
      return (
        box !== undefined && colOf(box.left) === column && box.top - top0 < 1.5 * lineOf(element)
      );
    };

    let column = 0;
    let next = 0;
    let guard = 0;
    while (next < refs.length || pending() !== null) {
      guard += 1;
      if (guard > refs.length * 20 + 1000) return result('the notes could not be laid out');
      const first = refs[next];
      // The box holds the page being filled and the next one, whatever the window.
      const reach = (page: number): void => {
        while (
          hi < units.length &&
          ((first !== undefined && hi <= first.unit + 1) ||
            hi - lo < windowSize ||
            lastColumn(units[hi - 1] ?? flow) <= page + 1)
        ) {
          const unit = units[hi];
          if (unit !== undefined) show(unit);
          hi += 1;
        }
      };
      reach(column);
      const where = first === undefined ? Infinity : colOfElement(first.a);
      if (where < column) return result(`note ${first?.label ?? ''} could not be kept on its page`);
      if (where > column && where !== Infinity) reach(where);
      let take: Ref[] = [];
      let block: HTMLElement | null = null;
      const rest = pending();
      if (rest !== null && where > column) {
        // The rest of a split note, alone at the foot of the page after its start.
        const placed = footOf(rest.label);
        if (typeof placed === 'string') return result(placed);
        block = placed;
      } else if (first !== undefined) {
        column = where;
        const here: Ref[] = [];
        for (let i = next; i < refs.length; i += 1) {
          const ref = refs[i];
          if (ref === undefined || ref.unit >= hi || colOfElement(ref.a) !== column) break;
          here.push(ref);
        }

        take = here.slice();
        while (take.length > 0 && block === null) {
          const lastRef = take.at(-1);
          const unit = lastRef === undefined ? undefined : units[lastRef.unit];
          if (lastRef === undefined || unit === undefined) break;
          block = beside(unit, column, take, 'after');
          if (block !== null) {
            // Fill the page: move the notes down past the blocks that follow in the memo's order
            // (out of the body: the distribution list) while they fit, or into the next one.
            for (let k = lastRef.unit + 1; k < units.length; k += 1) {
              const following = units[k];
              const previous = units[k - 1];
              if (
                following === undefined ||
                previous === undefined ||
                following.hasAttribute('data-mp-off') ||
                following.querySelector('a[data-footnote-ref]') !== null ||
                colOfElement(following) > column
              )
                break;
              following.after(block);
              align(block);
              if (fits(block, column)) continue;
              block.remove();
              block =
                splitInto(following, column, take.slice()) ??
                beside(previous, column, take, 'after');
              break;
            }
            // A heading never ends a page: the notes go above it, and it starts the next page.
            if (block !== null) aboveHeadings(block);
            break;
          }
          const split = take.slice();
          block = splitInto(unit, column, split);
          if (block !== null) {
            take = split;
            break;
          }
          // The block of the last reference moves on, with its notes.
          take = take.filter((ref) => ref.unit !== lastRef.unit);
          if (take.length > 0) block = beside(unit, column, take, 'before');
        }

        if (block === null) {
          // The last note that starts on this page continues at the foot of the next.
          for (let count = here.length; count > 0 && block === null; count -= 1) {
            take = here.slice(0, count);
            block = splitNote(take);
          }
        }

        if (block === null) {
          // Not even the first note starts here: its reference's line starts the next page.
          const unit = units[first.unit];
          const box = rects(first.a)[0];
          if (unit === undefined || box === undefined)
            return result(`note ${first.label} could not be kept on its page`);
          const pageBreak = document.createElement('div');
          pageBreak.className = 'page-notes-break';
          const at = caret(left0 + column * W + 1, box.top + box.height / 2);
          const parent = at?.node.parentElement ?? null;
          if (box.top - top0 < 1.5 * lineOf(unit) && colOfElement(unit) === column) {
            return result(`note ${first.label} is longer than a whole page`);
          } else if (
            at !== null &&
            at.node instanceof Text &&
            at.offset > 0 &&
            unit.contains(at.node) &&
            parent !== null &&
            splittable(parent, unit)
          ) {
            at.node.splitText(at.offset).before(pageBreak);
            pageBreak.style.breakAfter = 'column';
            breaks.push(pageBreak);
          } else if (!startsColumn(unit, column) && unit instanceof HTMLElement) {
            unit.style.breakBefore = 'column';
            breaks.push(unit);
          } else return result(`note ${first.label} could not be kept on its page`);
          if (colOfElement(first.a) === column)
            return result(`note ${first.label} could not be kept on its page`);
          continue;
        }
      }
      if (block === null) break;
      if (rest !== null && pending() === rest && block.contains(rest.li)) carried.rest = null;

      // Pad the notes down to the page's foot; the page ends after them.
      block.style.breakAfter = 'column';
      if (!fits(block, column))
        return result(`note ${first?.label ?? ''} could not be kept on its page`);
      // Less padding when the full amount would move the lines around it (widows, orphans).
      const box = block.getBoundingClientRect();
      for (
        let pad = Math.max(0, Math.floor(floor - box.bottom - 1));
        pad > 0;
        pad = Math.floor(pad / 2)
      ) {
        block.style.marginTop = `${pad}px`;
        if (fits(block, column)) break;
        block.style.marginTop = '';
      }
      blocks.push(block);
      next += take.length;

      // The finished pages leave the box.
      let holder: Element | null = block.parentElement;
      while (holder !== null && holder !== flow && !unitIndex.has(holder))
        holder = holder.parentElement;
      const inUnit = holder === null ? undefined : unitIndex.get(holder);
      let resume = hi;
      if (inUnit !== undefined) resume = inUnit;
      else {
        for (let i = lo; i < hi; i += 1) {
          const unit = units[i];
          if (
            unit !== undefined &&
            (block.compareDocumentPosition(unit) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0
          ) {
            resume = i;
            break;
          }
        }
        hide(block);
      }
      for (let i = lo; i < resume; i += 1) {
        const unit = units[i];
        if (unit !== undefined) hide(unit);
      }
      lo = Math.max(lo, resume);
      for (let up = units[lo]?.parentElement ?? null; up !== null && up !== flow;) {
        up.setAttribute('data-mp-flat', '');
        up = up.parentElement;
      }
      column = inUnit === undefined ? 0 : colOf(block.getBoundingClientRect().left) + 1;
    }

    // The whole memo in the box, every page as it prints: the page of each element asked for.
    for (const element of Array.from(document.querySelectorAll('[data-mp-off], [data-mp-flat]'))) {
      element.removeAttribute('data-mp-off');
      element.removeAttribute('data-mp-flat');
    }
    const pages: [string, number][] = [];
    for (const id of pagesOf) {
      const element = document.getElementById(id);
      const at = element === null || !flow.contains(element) ? -1 : colOfElement(element);
      if (at >= 0) pages.push([id, at + 1]);
    }
    // Back to the normal flow for printing: the breaks become page breaks.
    for (const element of Array.from(document.querySelectorAll('[data-mp-colbreak]')))
      element.removeAttribute('data-mp-colbreak');
    for (const block of blocks) block.style.breakAfter = 'page';
    for (const element of breaks) {
      if (element.style.breakAfter === 'column') element.style.breakAfter = 'page';
      if (element.style.breakBefore === 'column') element.style.breakBefore = 'page';
    }
    flow.replaceWith(...Array.from(flow.childNodes));
    measure.remove();
    style.remove();
    return result(
      null,
      refs.map((ref) => ({ id: ref.id, label: ref.label })),
      pages,
    );
  } catch {
    // Whatever went wrong in the page, the memo is printed with endnotes instead.
    return result('the notes could not be laid out on the pages');
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
}
