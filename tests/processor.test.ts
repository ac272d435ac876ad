/** The Markdown → HTML stages, on a fixture that uses every body feature. */
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll, select } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from './helpers/compile-fixture.js';
import type { Compiled } from './helpers/compile-fixture.js';

let compiled: Compiled;
const body = () => fromHtml(compiled.view?.bodyHtml ?? '', { fragment: true });
const notes = () => fromHtml(compiled.view?.notesHtml ?? '', { fragment: true });

beforeAll(async () => {
  compiled = await compileFile(path.join(import.meta.dirname, 'fixtures', 'body', 'features.md'));
});

describe('body rendering', () => {
  it('builds, warning only about the raw HTML it removes', () => {
    const removed =
      'a memo keeps only plain formatting (no scripts, styles, frames, forms or embedded content)';
    const links =
      'a memo links only to web pages (https://…), e-mail (mailto:) and its own sections (#…)';
    expect(compiled.report.split('\n')).toEqual([
      `features.md:38:1: warning the HTML element \`<script>\` is removed, with everything inside it: ${removed} [html-removed]`,
      'features.md:38:26: warning the `onclick` attribute of `<b>` is removed: a memo runs no scripts [html-removed]',
      `features.md:38:56: warning the link “js” to \`javascript:alert(1)\` is removed (its text stays): ${links} [link-removed]`,
      `features.md:38:93: warning the link “file” to \`file:///etc/passwd\` is removed (its text stays): ${links} [link-removed]`,
    ]);
    expect(compiled.view).toBeDefined();
  });

  it('starts body headings at h2 and gives them unique ids that never take the memo’s own', () => {
    const headings = selectAll('h2, h3', body()).map((node) => [
      node.tagName,
      node.properties['id'],
    ]);
    expect(headings).toEqual([
      ['h2', 'overview'],
      ['h3', 'overview-1'],
      ['h3', 'distribution-1'],
    ]);
    expect(select('h1', body())).toBeUndefined();
  });

  it('keeps unknown inline directives and clock times as the writer typed them, with typographic quotes and dashes', () => {
    const first = toString(select('p', body()) ?? body());
    expect(first).toContain(
      'The “council” said – twice — that Annex B:table 3 and 10:30 stay as written.',
    );
  });

  it('turns :rec into numbered links to the appendix', () => {
    const links = selectAll('a.rec-ref', body()).map((node) => [
      node.properties['href'],
      toString(node),
    ]);
    expect(links).toEqual([
      ['#rec-trade', 'Recommendation 2'],
      ['#rec-partner', 'Recommendation 1: Treat the neighbour as a partner'],
    ]);
  });

  it('renders next-steps blocks with their label', () => {
    const labels = selectAll('aside.next-steps > p.next-steps-label', body()).map((node) =>
      toString(node),
    );
    expect(labels).toEqual(['Next steps', 'Immediate actions']);
    expect(toString(select('aside.next-steps', body()) ?? body())).toContain('Meet again in June.');
  });

  it('renders GFM tables, strikethrough and autolinks', () => {
    expect(select('table thead th', body())).toBeDefined();
    expect(toString(select('del', body()) ?? body())).toBe('done');
    expect(select('a[href="https://www.example.org/report"]', body())).toBeDefined();
  });

  it('links footnote references to the notes and every note back', () => {
    const refs = selectAll('a[data-footnote-ref]', body());
    expect(refs).toHaveLength(1);
    const target = String(refs[0]?.properties['href']).slice(1);
    const note = select(`li[id="${target}"]`, notes());
    expect(note).toBeDefined();
    const back = select('a[data-footnote-backref]', note ?? notes());
    expect(back?.properties['href']).toBe(`#${String(refs[0]?.properties['id'])}`);
    expect(toString(select('h2', notes()) ?? notes())).toBe('Notes');
  });

  it('removes scripts, handlers, javascript: and file: links, and foreign ids', () => {
    const html = compiled.view?.bodyHtml ?? '';
    expect(html).not.toMatch(/<script|onclick|javascript:|file:|steal\(\)/i);
    expect(select('b', body())).toBeDefined();
    expect(select('a[href="mailto:a@example.org"]', body())?.properties['id']).toBeUndefined();
  });
});
