/**
 * For tests that prove a stage of memo-press's own gives what the library stage it replaces
 * gives: the processor with one plugin swapped, and every sample memo and fixture compiled.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { unified } from 'unified';
import type { Pluggable, PluggableList, Preset } from 'unified';
import { VFile } from 'vfile';
import { compileMemo } from '../../pipeline/compile.js';
import { createProcessor } from '../../pipeline/unified/processor.js';
import type { MemoProcessor } from '../../pipeline/unified/processor.js';

const root = path.join(import.meta.dirname, '..', '..');

/** Plugins compared by identity (unified's types cannot be compared directly). */
export const samePlugin = (a: unknown, b: unknown): boolean => a === b;

/** createProcessor's stages, with `from` replaced by `to` (same options). */
export function swapStage(
  from: unknown,
  to: Exclude<Pluggable, unknown[] | Preset>,
): MemoProcessor {
  const plugins: PluggableList = createProcessor().attachers.map(([plugin, ...options]) =>
    samePlugin(plugin, from) ? [to, ...options] : [plugin, ...options],
  );
  // createProcessor's own stages, so its types (unified cannot infer them from a list).
  return unified().use(plugins).freeze() as unknown as MemoProcessor;
}

/** Every .md under sources/ and tests/fixtures/, sorted, as absolute paths. */
export async function everyMemoSource(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of ['sources', path.join('tests', 'fixtures')])
    for (const name of await readdir(path.join(root, folder), { recursive: true }))
      if (name.endsWith('.md')) files.push(path.join(root, folder, name));
  return files.sort();
}

/** What a writer gets from a memo: its body and notes, and its messages. */
export async function compiledWith(file: string, processor: MemoProcessor) {
  const vfile = new VFile({ path: file, value: await readFile(file) });
  const view = await compileMemo(vfile, { processor, generator: 'memo-press test' });
  return {
    body: view?.bodyHtml,
    notes: view?.notesHtml,
    messages: vfile.messages.map(
      (m) => `${m.line ?? ''}:${m.column ?? ''} ${m.ruleId ?? ''} ${m.reason}`,
    ),
  };
}

/** A path relative to the project, for a failure's label. */
export const fromRoot = (file: string): string => path.relative(root, file);
