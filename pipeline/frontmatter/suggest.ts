/**
 * "Did you mean …?" for every closed set a writer types from memory: field
 * names, statuses, templates, paper sizes, distribution list names. A value
 * that differs only in case, spaces, hyphens or underscores (`In Progress`,
 * `distribution note`) is matched first; then the closest name by edit
 * distance, when it is close enough to be a typo.
 */
import { closest, distance } from 'fastest-levenshtein';

/** `In Progress` → `in-progress`, `distribution_note` → `distribution-note`. */
export function normalise(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-');
}

/** The known name `value` most likely stands for, or undefined when none is close. */
export function didYouMean(value: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const wanted = normalise(value);
  const same = known.find((name) => normalise(name) === wanted);
  if (same !== undefined) return same === value ? undefined : same;
  const byNormal = new Map(known.map((name) => [normalise(name), name]));
  // `memo` for `memorandum`: a unique name the value begins.
  const begun = [...byNormal.keys()].filter(
    (name) => wanted.length >= 3 && name.startsWith(wanted),
  );
  if (begun.length === 1 && begun[0] !== undefined) return byNormal.get(begun[0]);
  const best = closest(wanted, [...byNormal.keys()]);
  if (distance(wanted, best) > Math.max(1, Math.floor(best.length / 3))) return undefined;
  return byNormal.get(best);
}

/** "did you mean `author`?" when a known name is close, else the list of known names. */
export function suggest(key: string, known: readonly string[]): string {
  const best = didYouMean(key, known);
  return best === undefined ? `expected one of: ${known.join(', ')}` : `did you mean \`${best}\`?`;
}

/** `Not A Slug` → `not-a-slug`, `Frontera Norte` → `frontera-norte`; '' when nothing is left. */
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
