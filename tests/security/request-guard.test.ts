import { describe, expect, it } from 'vitest';
import { patternsExceptData } from '../../pipeline/render/request-guard.js';

/** Chromium's Fetch pattern match: `*` any run, `?` one character, `\` escapes the next. */
function matches(pattern: string, url: string): boolean {
  let source = '^';
  for (let at = 0; at < pattern.length; at += 1) {
    const character = pattern[at] ?? '';
    if (character === '\\') {
      at += 1;
      source += (pattern[at] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (character === '*') source += '[\\s\\S]*';
    else if (character === '?') source += '[\\s\\S]';
    else source += character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${source}$`).test(url);
}

const refused = (url: string): boolean =>
  patternsExceptData().some((pattern) => matches(pattern, url));

describe('the request guard', () => {
  it('lets the memo’s own data: URLs through', () => {
    expect(refused('data:font/woff2;base64,d09GMgABAAAAA')).toBe(false);
    expect(refused('data:image/png;base64,iVBORw0KGgo=')).toBe(false);
    expect(refused('data:,')).toBe(false);
  });

  it.each([
    'http://127.0.0.1:9/x.png',
    'https://example.org/font.woff2',
    'file:///etc/passwd',
    'blob:null/0b6c',
    'ws://127.0.0.1/',
    'chrome://settings',
    'about:srcdoc',
    'ftp://host/file',
    'd:/x',
    'da://x',
    'dat:x',
    'datax:x',
    'dataa:x',
    'DATA:text/html,hi',
    'javascript:alert(1)',
    '*weird',
    '?odd',
    '\\back',
  ])('refuses %s', (url) => {
    expect(refused(url)).toBe(true);
  });
});
