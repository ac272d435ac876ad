/**
 * The YYYY-MM-DD form of a date written another way (`30 April 2021`,
 * `April 30, 2021`, `2021/4/30`, `30/04/2021`), for the `frontmatter-date`
 * message. Only unambiguous dates are rewritten: `03/04/2021` could be March
 * or April, so both readings are offered.
 */
import { isRealDate } from './schema.js';

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthNumber(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, '');
  if (lower === 'sept') return 9;
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

function iso(year: number, month: number, day: number): string | undefined {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isRealDate(text) ? text : undefined;
}

/** The possible YYYY-MM-DD readings of `value` (none when it is not a recognisable date). */
export function isoReadings(value: string): string[] {
  const text = value.trim().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const numeric = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/.exec(text);
  if (numeric) {
    const [a, b, c] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    if (numeric[1]?.length === 4) return [iso(a, b, c)].filter((date) => date !== undefined);
    if (numeric[3]?.length !== 4) return [];
    const readings = [iso(c, b, a), iso(c, a, b)].filter((date) => date !== undefined);
    return [...new Set(readings)];
  }
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([A-Za-z.]+) (\d{4})$/i.exec(text);
  if (dayFirst) {
    const month = monthNumber(dayFirst[2] ?? '');
    const date =
      month === undefined ? undefined : iso(Number(dayFirst[3]), month, Number(dayFirst[1]));
    return date === undefined ? [] : [date];
  }
  const monthFirst = /^([A-Za-z.]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/i.exec(text);
  if (monthFirst) {
    const month = monthNumber(monthFirst[1] ?? '');
    const date =
      month === undefined ? undefined : iso(Number(monthFirst[3]), month, Number(monthFirst[2]));
    return date === undefined ? [] : [date];
  }
  return [];
}
