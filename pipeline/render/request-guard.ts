/**
 * Every request a memo's page makes is refused, except the memo's own `data:` URLs (its
 * inlined fonts and images). The DevTools Fetch domain pauses each request that matches one
 * of its URL patterns until the tool answers; puppeteer's request interception pauses all of
 * them, `data:` included, and a memo's eight or so font faces then each wait for a round trip
 * to Node while the page loads (docs/performance.md). Patterns have wildcards but no negation,
 * so "every URL that does not start with `data:`" is spelled out: every first character but
 * `d`, then `d` and every second character but `a`, and so on up to `data` followed by
 * anything but `:`. A URL outside them starts with `data:`.
 */
import type { CDPSession, Page } from 'puppeteer-core';

/** What a URL may start with: printable ASCII; Chromium's URLs are canonical, so this is generous. */
const CHARACTERS = Array.from({ length: 0x7e - 0x20 }, (_, index) =>
  String.fromCharCode(0x21 + index),
);

/** A Fetch URL pattern for `text` as a literal (`*`, `?` and `\` escaped). */
function literal(text: string): string {
  return text.replace(/[*?\\]/g, (character) => `\\${character}`);
}

/** Fetch patterns that together match exactly the URLs that do not start with `data:`. */
export function patternsExceptData(): string[] {
  const prefix = 'data:';
  const patterns: string[] = [];
  for (let at = 0; at < prefix.length; at += 1) {
    for (const character of CHARACTERS) {
      if (character === prefix[at]) continue;
      patterns.push(`${literal(prefix.slice(0, at) + character)}*`);
    }
  }
  return patterns;
}

/**
 * Refuse every request of `page` but `data:` ones, from now on, and report each refused URL.
 * The page's own DevTools session is left to puppeteer; this one is closed with the page.
 */
export async function refuseRequests(
  page: Page,
  onRefused: (url: string) => void,
): Promise<CDPSession> {
  const session = await page.createCDPSession();
  session.on('Fetch.requestPaused', (event) => {
    onRefused(event.request.url);
    // The page may be gone by now; nothing to do about a failed answer then.
    session
      .send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })
      .catch(() => {});
  });
  await session.send('Fetch.enable', {
    patterns: patternsExceptData().map((urlPattern) => ({ urlPattern })),
  });
  return session;
}
