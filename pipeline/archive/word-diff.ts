/**
 * Word-level differences, on top of the `diff` package (jsdiff):
 *
 * - `wordSegments(before, after)`: a run of kept / inserted / deleted pieces
 *   of text (jsdiff's `diffWords`, whitespace kept outside the changes);
 * - `alignBlocks(before, after)`: pair up the blocks of two versions. Equal
 *   blocks are matched first (jsdiff's `diffArrays`, a longest common
 *   subsequence); in each stretch of differing blocks, a deleted and an
 *   inserted block that share enough words are one *changed* block (shown
 *   word by word), the others are wholly deleted or inserted.
 */
import { diffArrays, diffWords } from 'diff';

export interface Segment {
  readonly text: string;
  readonly inserted: boolean;
  readonly deleted: boolean;
}

export type Change = 'same' | 'changed' | 'added' | 'removed';

export interface Aligned<T> {
  readonly change: Change;
  readonly before: T | undefined;
  readonly after: T | undefined;
}

/** Two blocks sharing at least this share of their words are the same passage, edited. */
const SIMILAR = 0.4;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

export const kept = (text: string): Segment => ({ text, inserted: false, deleted: false });
export const insertedText = (text: string): Segment => ({ text, inserted: true, deleted: false });
export const deletedText = (text: string): Segment => ({ text, inserted: false, deleted: true });

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

/** Move leading and trailing spaces of a change outside it, and merge neighbours of one kind. */
function tidy(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  const push = (segment: Segment) => {
    if (segment.text === '') return;
    const last = out.at(-1);
    if (
      last !== undefined &&
      last.inserted === segment.inserted &&
      last.deleted === segment.deleted
    ) {
      out[out.length - 1] = { ...last, text: last.text + segment.text };
    } else out.push(segment);
  };
  for (const segment of segments) {
    if (!segment.inserted && !segment.deleted) {
      push(segment);
      continue;
    }
    const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(segment.text);
    const [lead, core, trail] = [match?.[1] ?? '', match?.[2] ?? segment.text, match?.[3] ?? ''];
    push(kept(lead));
    push({ ...segment, text: core });
    push(kept(trail));
  }
  return out;
}

export function wordSegments(before: string, after: string): Segment[] {
  if (before === after) return [kept(after)];
  const changes = diffWords(before, after);
  const segments: Segment[] = [];
  // Within a replaced stretch, show the deletion before the insertion.
  for (const change of changes) {
    if (change.removed) segments.push(deletedText(change.value));
    else if (change.added) segments.push(insertedText(change.value));
    else segments.push(kept(change.value));
  }
  return tidy(segments);
}

function wordBag(text: string): Map<string, number> {
  const bag = new Map<string, number>();
  for (const word of text.toLowerCase().match(WORD) ?? []) bag.set(word, (bag.get(word) ?? 0) + 1);
  return bag;
}

/** Dice coefficient of the two texts' words: 1 when they use the same words. */
export function similarity(a: string, b: string): number {
  const [bagA, bagB] = [wordBag(a), wordBag(b)];
  let shared = 0;
  let total = 0;
  for (const count of bagA.values()) total += count;
  for (const [word, count] of bagB) {
    total += count;
    shared += Math.min(count, bagA.get(word) ?? 0);
  }
  return total === 0 ? 1 : (2 * shared) / total;
}

/**
 * Pair the deleted and inserted blocks of one stretch, keeping both orders;
 * at any one place, deletions come before insertions.
 */
function pairStretch<T>(
  removed: readonly T[],
  added: readonly T[],
  text: (block: T) => string,
  out: Aligned<T>[],
): void {
  let next = 0; // first removed block not yet placed
  let pending: T[] = []; // inserted blocks waiting for the deletions before them
  const placeRemovedUpTo = (end: number) => {
    for (; next < end; next += 1)
      out.push({ change: 'removed', before: removed[next], after: undefined });
  };
  const placePending = () => {
    for (const after of pending) out.push({ change: 'added', before: undefined, after });
    pending = [];
  };
  for (const after of added) {
    let best = -1;
    let bestScore = -1;
    for (let index = next; index < removed.length; index += 1) {
      const candidate = removed[index];
      const score = candidate === undefined ? 0 : similarity(text(candidate), text(after));
      if (score >= SIMILAR && score > bestScore) [best, bestScore] = [index, score];
      if (score === 1) break;
    }
    if (best === -1) {
      pending.push(after);
      continue;
    }
    placeRemovedUpTo(best);
    placePending();
    out.push({ change: 'changed', before: removed[best], after });
    next = best + 1;
  }
  placeRemovedUpTo(removed.length);
  placePending();
}

export function alignBlocks<T>(
  before: readonly T[],
  after: readonly T[],
  same: (a: T, b: T) => boolean,
  text: (block: T) => string,
): Aligned<T>[] {
  const out: Aligned<T>[] = [];
  let removed: T[] = [];
  let added: T[] = [];
  const flush = () => {
    pairStretch(removed, added, text, out);
    [removed, added] = [[], []];
  };
  const changes = diffArrays([...before], [...after], { comparator: same });
  let oldIndex = 0;
  for (const change of changes) {
    if (change.removed) {
      removed.push(...change.value);
      oldIndex += change.count;
    } else if (change.added) {
      added.push(...change.value);
    } else {
      flush();
      // The kept blocks: pair the old and new copies (equal by `same`).
      change.value.forEach((block, offset) =>
        out.push({ change: 'same', before: before[oldIndex + offset], after: block }),
      );
      oldIndex += change.count;
    }
  }
  flush();
  return out;
}
