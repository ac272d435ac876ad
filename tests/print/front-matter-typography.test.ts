/**
 * Front matter text gets the body's typography: curly quotes and dashes in the subtitle, the
 * recommendation titles, summaries and status notes, and the distribution note, as the HTML shows
 * them; and the end matter in its configured order.
 */
import { VFile } from 'vfile';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSession } from '../../pipeline/session.js';
import type { OwnSession } from '../../pipeline/session.js';

let session: OwnSession;
beforeAll(async () => {
  session = await openSession({ handleSignals: false });
});
afterAll(async () => {
  await session?.close();
});

it('educates the subtitle, recommendation titles and summaries, and the distribution note', async () => {
  const file = new VFile({
    path: 'memo.md',
    value: [
      '---',
      'title: Ports',
      'subtitle: The "lost half-day" -- and what it costs',
      'author: Ana Ruiz',
      'organization: Institute for Public Policy',
      'date: 2026-03-15',
      'distribution: [Board]',
      'distribution_note: "Shared with the Board\'s \\"core\\" members --- not further..."',
      'recommendations:',
      '  - id: fund-staff',
      '    title: "Fund the \\"inspection\\" staff -- now"',
      '    status: in-progress',
      "    summary: It's overdue --- since the '90s.",
      '    status_note: Funded in the "spring" budget -- partly',
      '---',
      '',
      'See :rec{#fund-staff}.',
      '',
    ].join('\n'),
  });
  const view = await session.compile(file);
  expect(file.messages.map(String)).toEqual([]);
  expect(view?.subtitle).toBe('The “lost half-day” – and what it costs');
  expect(view?.distributionNote).toBe('Shared with the Board’s “core” members — not further…');
  expect(view?.recommendations[0]?.title).toBe('Fund the “inspection” staff – now');
  expect(view?.recommendations[0]?.summary).toBe('It’s overdue — since the ’90s.');
  const html = view === undefined ? '' : session.renderHtml(view);
  expect(html).toContain('Fund the “inspection” staff – now');
  expect(view?.recommendations[0]?.statusNote).toBe('Funded in the “spring” budget – partly');
  expect(html).toContain('Funded in the “spring” budget – partly');
});

it('prints the endnotes after the appendix by default, and before it with `end_matter: notes-first`', async () => {
  const order = async (extra: string[]): Promise<string[]> => {
    const file = new VFile({
      path: 'memo.md',
      value: [
        '---',
        'title: Ports',
        'author: Ana Ruiz',
        'organization: Institute for Public Policy',
        'date: 2026-03-15',
        'notes: endnotes',
        'distribution: [Board]',
        'recommendations:',
        '  - id: fund-staff',
        '    title: Fund the staff',
        '    status: in-progress',
        ...extra,
        '---',
        '',
        'See :rec{#fund-staff}.[^a]',
        '',
        '[^a]: A note.',
        '',
      ].join('\n'),
    });
    const view = await session.compile(file);
    expect(file.messages.map(String)).toEqual([]);
    const html = view === undefined ? '' : session.renderHtml(view);
    const at = (marker: string): number => html.indexOf(marker);
    return ['class="memo-body"', 'id="distribution"', 'id="recommendations"', 'data-footnotes']
      .map((marker) => [marker, at(marker)] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([marker]) => marker);
  };
  expect(await order([])).toEqual([
    'class="memo-body"',
    'id="distribution"',
    'id="recommendations"',
    'data-footnotes',
  ]);
  expect(await order(['end_matter: notes-first'])).toEqual([
    'class="memo-body"',
    'data-footnotes',
    'id="distribution"',
    'id="recommendations"',
  ]);
});
