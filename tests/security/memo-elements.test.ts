/**
 * The memo's own elements (`aside.next-steps`, `p.next-steps-label`,
 * `a.rec-ref`) come only from its directives: a writer's raw HTML that copies
 * their tags and classes, beside them or inside them, stays plain content.
 */
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFile } from '../helpers/compile-fixture.js';
import type { Compiled } from '../helpers/compile-fixture.js';
import { fixtures } from './harness.js';

let compiled: Compiled;
const body = () => fromHtml(compiled.view?.bodyHtml ?? '', { fragment: true });
const texts = (selector: string) => selectAll(selector, body()).map((node) => toString(node));

beforeAll(async () => {
  compiled = await compileFile(path.join(fixtures, 'forge', 'forge.md'));
});

describe('raw HTML copying the memo’s own elements', () => {
  it('builds, warning only that the writer’s own <aside> elements are removed', () => {
    const removed = (line: number) =>
      `forge.md:${line}:1: warning the HTML element \`<aside>\` is removed: a memo keeps only plain formatting (no scripts, styles, frames, forms or embedded content) [html-removed]`;
    expect(compiled.report.split('\n').filter((line) => line !== '')).toEqual([
      removed(17),
      removed(30),
    ]);
    expect(compiled.view).toBeDefined();
  });

  it('makes a recommendation link only of :rec', () => {
    expect(
      selectAll('a.rec-ref', body()).map((node) => [node.properties['href'], toString(node)]),
    ).toEqual([
      ['#rec-partner', 'Recommendation 1'],
      ['#rec-partner', 'Recommendation 1: Treat the neighbour as a partner'],
    ]);
    expect(selectAll('[class~="rec-ref"]', body())).toHaveLength(2);
  });

  it('makes a next-steps block and its label only of :::next-steps', () => {
    expect(selectAll('aside', body())).toHaveLength(2);
    expect(selectAll('[class~="next-steps"]', body())).toHaveLength(2);
    expect(texts('aside.next-steps > p.next-steps-label:first-child')).toEqual([
      'Next steps',
      'Genuine label',
    ]);
    expect(selectAll('[class~="next-steps-label"]', body())).toHaveLength(2);
  });

  it('keeps the forged elements’ text, as plain content', () => {
    const text = toString(body());
    for (const marker of ['FORGED-REC-1', 'FORGED-REC-3', 'FORGED-LABEL-1', 'FORGED-ASIDE-2']) {
      expect(text).toContain(marker);
    }
    expect(texts('aside.next-steps')[0]).toContain('FORGED-REC-3');
  });
});
