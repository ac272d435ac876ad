/**
 * The ids listed under `recommendations:`, read from the YAML tree before and
 * whatever the schema says, so the body's `:rec` references are checked even
 * when another field of the front matter is wrong (`file.data.recommendationIds`).
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';

/**
 * The ids in order, `[]` when the front matter lists no recommendations, or
 * undefined when a YAML error makes the list uncertain (the error is inside
 * it, or the list cannot be found past an error).
 */
export function readRecommendationIds(doc: Document): string[] | undefined {
  const errorsAt = doc.errors.map((error) => error.pos[0]);
  const root = doc.contents;
  if (!isMap(root)) return errorsAt.length === 0 ? [] : undefined;
  const pair = root.items.find(
    (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === 'recommendations',
  );
  if (pair === undefined) return errorsAt.length === 0 ? [] : undefined;
  const list = pair.value;
  if (!isSeq(list)) return errorsAt.length === 0 ? [] : undefined;
  const start = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
  const end = list.range?.[2] ?? Infinity;
  if (errorsAt.some((offset) => offset >= start && offset <= end)) return undefined;
  const ids: string[] = [];
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const id = item.get('id', true);
    if (isScalar(id) && id.value !== null && String(id.value).trim() !== '')
      ids.push(String(id.value).trim());
  }
  return ids;
}
