/**
 * Every error a writer can make has a fixture: tests/fixtures/errors/<case>/
 * holds `input.md` and `expected.txt`, the exact report lines
 * (`input.md:line:column: severity message [rule]`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from './helpers/compile-fixture.js';

const root = path.join(import.meta.dirname, 'fixtures', 'errors');
const cases = readdirSync(root).sort();

describe('source errors are reported at the line and column the writer sees', () => {
  it.each(cases)('%s', async (name) => {
    const expected = readFileSync(path.join(root, name, 'expected.txt'), 'utf8').trimEnd();
    const { report, view } = await compileFile(path.join(root, name, 'input.md'));
    expect(report).toBe(expected);
    expect(view).toBeUndefined();
  });

  it('never runs JavaScript front matter', async () => {
    await compileFile(path.join(root, 'js-frontmatter', 'input.md'));
    expect(Reflect.get(globalThis, '__memoPressPwned')).toBeUndefined();
  });
});
