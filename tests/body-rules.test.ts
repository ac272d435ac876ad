/**
 * Body rules that depend on what earlier stages hand on: `:rec` ids are
 * checked against the front matter's ids even when the front matter has
 * errors (`file.data.recommendationIds`), so a bad date does not hide a
 * mistyped id. The rules' messages themselves are in the fixtures
 * (tests/fixtures/errors and tests/fixtures/check).
 */
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { formatCompact } from '../pipeline/cli/report.js';
import { compileMemo } from '../pipeline/compile.js';
import { createProcessor } from '../pipeline/unified/processor.js';

const processor = createProcessor();

async function bodyReport(body: string, recommendationIds?: string[]): Promise<string> {
  const file = new VFile({ path: 'memo.md', value: body });
  if (recommendationIds !== undefined) file.data.recommendationIds = recommendationIds;
  await processor.run(processor.parse(file), file);
  return formatCompact([file], { reporter: 'compact', color: false });
}

describe(':rec ids when the front matter has errors', () => {
  it('checks them against the ids the front matter lists', async () => {
    expect(await bodyReport('See :rec{#partnr} and :rec{#trade}.\n', ['partner', 'trade'])).toBe(
      'memo.md:1:5: error unknown recommendation id `partnr` in `:rec`; did you mean `partner`? Known ids: partner, trade [rec-unknown-id]',
    );
  });

  it('says when the front matter lists none', async () => {
    expect(await bodyReport('See :rec{#trade}.\n', [])).toBe(
      'memo.md:1:5: error unknown recommendation id `trade` in `:rec`; the front matter lists no `recommendations` [rec-unknown-id]',
    );
  });

  it('leaves them unchecked when even the YAML did not parse', async () => {
    expect(await bodyReport('See :rec{#trade}.\n')).toBe('');
  });

  it('reports the front matter and the body problems in one run', async () => {
    const source = [
      '---',
      'title: Both',
      'author: Ana Ruiz',
      'organization: Council',
      'date: 2026-02-30',
      '---',
      '',
      'See [the report][report].',
      '',
    ].join('\n');
    const file = new VFile({ path: 'memo.md', value: source });
    const view = await compileMemo(file, { processor, generator: 'test' });
    expect(view).toBeUndefined();
    expect(file.messages.map((message) => [message.line, message.ruleId])).toEqual([
      [5, 'frontmatter-date'],
      [8, 'reference-undefined'],
    ]);
  });
});
