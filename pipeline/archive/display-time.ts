/** How the archive's pages and messages show a publication time. */

/** "2026-03-15 14:05 UTC" from an ISO time. */
export function displayTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
