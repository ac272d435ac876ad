/**
 * The series tests' fixtures: three memos of `harbor-renewal`
 * (tests/fixtures/series), copied into a fresh project folder, and the text a
 * reader sees in a built memo.
 */
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const seriesFixtures = path.resolve(import.meta.dirname, '..', 'fixtures', 'series');
export const FIRST = 'harbor-first-100-days';
export const SECOND = 'harbor-one-year';
export const THIRD = 'harbor-18-months';

/** A project folder with `sources/` holding the given fixture memos (default: all three). */
export async function seriesProject(
  slugs: readonly string[] = [FIRST, SECOND, THIRD],
): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'memo-series-'));
  await mkdir(path.join(cwd, 'sources'));
  for (const slug of slugs)
    await copyFile(
      path.join(seriesFixtures, `${slug}.md`),
      path.join(cwd, 'sources', `${slug}.md`),
    );
  return cwd;
}

/** Rewrite `sources/<slug>.md` in `cwd`, replacing each key's first occurrence by its value. */
export async function editSource(
  cwd: string,
  slug: string,
  replacements: Record<string, string>,
): Promise<void> {
  const file = path.join(cwd, 'sources', `${slug}.md`);
  let text = await readFile(file, 'utf8');
  for (const [from, to] of Object.entries(replacements)) {
    if (!text.includes(from)) throw new Error(`${slug}.md has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  await writeFile(file, text);
}

/** The text of an HTML document as a reader sees it: tags removed, entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
