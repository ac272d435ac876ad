/**
 * The preview's status line figures, from the built memo: words of the body,
 * notes, and recommendations by status. Pages come from the printed PDF (the
 * page counts them).
 */
import { fromHtml } from 'hast-util-from-html';
import { toString } from 'hast-util-to-string';
import type { Root } from 'hast';
import type { MemoView } from '../render/view.js';

export interface MemoStats {
  readonly words: number;
  readonly notes: number;
  /** In the order statuses first appear in the front matter, e.g. [{ label: 'In progress', count: 2 }]. */
  readonly recommendations: ReadonlyArray<{ readonly label: string; readonly count: number }>;
}

function countElements(tree: Root, name: string): number {
  let count = 0;
  const walk = (node: Root | Root['children'][number]): void => {
    if (node.type === 'element' && node.tagName === name) count += 1;
    if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return count;
}

export function memoStats(view: MemoView): MemoStats {
  const body = toString(fromHtml(view.bodyHtml, { fragment: true }));
  const words = body.split(/\s+/u).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  const notes = countElements(fromHtml(view.notesHtml, { fragment: true }), 'li');
  const byStatus = new Map<string, number>();
  for (const recommendation of view.recommendations) {
    byStatus.set(recommendation.statusLabel, (byStatus.get(recommendation.statusLabel) ?? 0) + 1);
  }
  return {
    words,
    notes,
    recommendations: [...byStatus].map(([label, count]) => ({ label, count })),
  };
}
