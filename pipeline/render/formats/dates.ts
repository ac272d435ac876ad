/** The date a rendered file carries (PDF and Word properties), never the clock. */
import type { MemoView } from '../view.js';

/** SOURCE_DATE_EPOCH when set, else the memo's own date. */
export function documentDate(view: MemoView, env: NodeJS.ProcessEnv): Date {
  const epoch = env['SOURCE_DATE_EPOCH'];
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(`${view.date}T00:00:00Z`);
}
