/**
 * Turn the bytes of a source file into the front matter text and the body.
 *
 * - The bytes must be UTF-8 (a BOM is dropped); CRLF and CR become LF, which
 *   keeps every line and column where the editor shows it.
 * - gray-matter splits the front matter from the body. Its engines are all
 *   replaced by a no-op: it never evaluates anything (gray-matter would run
 *   `---js` front matter as JavaScript); the YAML is parsed in validate.ts.
 * - The body keeps its true line numbers: the front matter lines are blanked,
 *   not removed, so remark reports positions as the editor shows them.
 */
import matter from 'gray-matter';
import type { VFile } from 'vfile';
import { fail, pointAt } from '../messages.js';

export interface SourceParts {
  /** The YAML between the `---` lines. */
  readonly yaml: string;
  /** 1-based line of the first YAML line. */
  readonly yamlLine: number;
  /** The whole text with the front matter replaced by empty lines. */
  readonly body: string;
}

const inert = { parse: () => ({}), stringify: () => '' };
const ENGINES = {
  yaml: inert,
  json: inert,
  js: inert,
  javascript: inert,
  coffee: inert,
  toml: inert,
};

function failEmpty(file: VFile): undefined {
  fail(
    file,
    'file is empty: expected YAML front matter between `---` lines, then the memo text',
    { line: 1, column: 1 },
    'source-empty',
  );
  return undefined;
}

export function decodeSource(file: VFile, bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return failEmpty(file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    fail(
      file,
      'file is not UTF-8 text: invalid byte sequence here; save the file as UTF-8',
      pointAt(lossy, Math.max(0, lossy.indexOf('\uFFFD'))),
      'source-encoding',
    );
    return undefined;
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return failEmpty(file);
  return text;
}

export function splitSource(file: VFile, text: string): SourceParts | undefined {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (!firstLine.startsWith('---')) {
    fail(
      file,
      'missing front matter: a memo starts with a `---` line, then YAML fields (title, author, organization, date), then `---`',
      { line: 1, column: 1 },
      'frontmatter-missing',
    );
    return undefined;
  }
  const language = firstLine.slice(3).trim();
  if (language !== '' && language !== 'yaml' && language !== 'yml') {
    fail(
      file,
      `front matter in \`${language}\` is not allowed: it would run as code; write YAML between plain \`---\` lines`,
      { line: 1, column: 4 },
      'frontmatter-language',
    );
    return undefined;
  }
  const close = /^---[ \t]*$/m;
  close.lastIndex = 0;
  const rest = text.slice(firstLine.length + 1);
  const closing = close.exec(rest);
  if (firstLine.length === text.length || !closing) {
    fail(
      file,
      'front matter is not closed: expected a `---` line after the YAML fields',
      { line: 1, column: 1 },
      'frontmatter-unclosed',
    );
    return undefined;
  }
  const parsed = matter(text, { engines: ENGINES, language: 'yaml' });
  const yaml = parsed.matter.replace(/^\n/, '');
  const bodyStart = text.length - parsed.content.length;
  const blank = text.slice(0, bodyStart).replace(/[^\n]/g, '');
  return { yaml, yamlLine: 2, body: blank + parsed.content };
}
