/**
 * Find, read and validate the project config.
 *
 * - `memo.config.json`, `memo.config.ts` or `memo.config.js` in the working
 *   directory (two of them at once is an error: which one counts?), or the
 *   file given with `--config FILE`.
 * - JSON is parsed strictly (JSON.parse), and a second time with the `yaml`
 *   package (JSON is YAML) only for the line and column of every key, so each
 *   problem points at its key.
 * - `.ts` and `.js` files are imported through tsx (`tsImport`), which needs
 *   no build step and re-reads the file on every load; they `export default`
 *   the config, usually `defineConfig({...})`. Their problems point at line 1
 *   and name the field.
 * - Folders in the config are relative to the config file's folder.
 *
 * Problems are messages on the returned vfile; nothing is printed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VFile } from 'vfile';
import { LineCounter, parseDocument } from 'yaml';
import { keyPlaces, placeKey } from '../frontmatter/key-places.js';
import type { KeyPlaces } from '../frontmatter/key-places.js';
import { readBounded } from '../io/read-bounded.js';
import { fail, pointAt, warn } from '../messages.js';
import { nearMiss } from '../frontmatter/distribution.js';
import { describeConfigIssue } from './describe.js';
import { FOLDER_KEYS, configSchema, emptyConfig } from './schema.js';
import type { ProjectConfig } from './schema.js';
import { firstLine } from '../util/errors.js';

export const CONFIG_NAMES = ['memo.config.json', 'memo.config.ts', 'memo.config.js'] as const;

export interface LoadedConfig {
  /** The validated config; undefined when the config file has errors. */
  readonly config: ProjectConfig | undefined;
  /** The config file, with its problems on `file.messages`; undefined when there is none. */
  readonly file: VFile | undefined;
}

const AT_START = { line: 1, column: 1 };
/** A config file: settings and distribution lists, far below this. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The deepest nesting a config may have. A real one is three levels deep
 * (`distributionLists` → a list → its names); the bound keeps a hostile or
 * broken file (100,000 nested brackets) from overflowing the stack of the
 * parsers and validators that walk it.
 */
export const MAX_CONFIG_DEPTH = 32;

/** The offset of the first bracket nested deeper than MAX_CONFIG_DEPTH in JSON text, if any. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > MAX_CONFIG_DEPTH) return index;
    } else if (char === '}' || char === ']') depth -= 1;
  }
  return undefined;
}

/** True when a loaded value (a .ts/.js config) nests deeper than MAX_CONFIG_DEPTH; walks without recursion. */
function valueTooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  const seen = new Set<object>();
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object' || seen.has(item)) continue;
    if (depth >= MAX_CONFIG_DEPTH) return true;
    seen.add(item);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}

const TOO_DEEP = `the config is nested more than ${MAX_CONFIG_DEPTH} levels deep; a memo config needs three at most (\`distributionLists\` → a list → names): look for stray brackets`;

/** Parse JSON strictly; key positions from the yaml parser. Undefined (with messages) on a syntax error. */
function parseJson(file: VFile, text: string): { data: unknown; places: KeyPlaces } | undefined {
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    fail(file, TOO_DEEP, pointAt(text, deep), 'config-nesting');
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = firstLine(error).replace(/ in JSON at position \d+.*$/, '');
    const offset = /at position (\d+)/.exec(firstLine(error))?.[1];
    const place = offset === undefined ? AT_START : pointAt(text, Number(offset));
    fail(file, `invalid JSON: ${reason}`, place, 'config-json');
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, logLevel: 'error' });
  const duplicate = doc.errors.find((error) => error.code === 'DUPLICATE_KEY');
  if (duplicate !== undefined) {
    const { line, col } = lines.linePos(duplicate.pos[0]);
    const key = /^"((?:[^"\\]|\\.)*)"/.exec(text.slice(duplicate.pos[0]))?.[1];
    const name = key === undefined ? 'a key' : `\`${key}\``;
    fail(
      file,
      `invalid JSON: ${name} appears twice in the same object; keep one`,
      { line, column: col },
      'config-json',
    );
    return undefined;
  }
  return { data, places: doc.errors.length === 0 ? keyPlaces(doc.contents, lines, 1) : {} };
}

async function importModule(file: VFile, absolute: string): Promise<unknown> {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const namespace: unknown = await tsImport(pathToFileURL(absolute).href, import.meta.url);
    let value: unknown =
      namespace !== null && typeof namespace === 'object'
        ? Reflect.get(namespace, 'default')
        : undefined;
    // Outside a `"type": "module"` package tsx loads the file as CommonJS, and the
    // namespace's default is then the exports object, which holds the real default.
    if (
      value !== null &&
      typeof value === 'object' &&
      Reflect.get(value, '__esModule') === true &&
      Reflect.has(value, 'default')
    )
      value = Reflect.get(value, 'default');
    if (value === undefined) {
      fail(
        file,
        `${path.basename(absolute)} must \`export default\` the config, as in \`export default defineConfig({ organization: '…' })\``,
        AT_START,
        'config-load',
      );
    }
    return value;
  } catch (error) {
    // esbuild reports syntax errors as `…/memo.config.ts:3:10: ERROR: Expected ";" but found "x"`.
    const syntax = /:(\d+):(\d+): ERROR: (.*)/.exec(error instanceof Error ? error.message : '');
    if (error instanceof RangeError) {
      fail(file, `the config could not be loaded: ${TOO_DEEP}`, AT_START, 'config-nesting');
    } else if (syntax !== null) {
      const place = { line: Number(syntax[1]), column: Number(syntax[2]) + 1 };
      fail(file, `the config could not be loaded: ${syntax[3] ?? ''}`, place, 'config-load');
    } else {
      fail(file, `the config could not be loaded: ${firstLine(error)}`, AT_START, 'config-load');
    }
    return undefined;
  }
}

function resolveFolders(config: ProjectConfig, base: string): ProjectConfig {
  const resolved: Record<string, string> = {};
  for (const key of FOLDER_KEYS) {
    const value = config[key];
    if (value !== undefined) resolved[key] = path.resolve(base, value);
  }
  return { ...config, ...resolved };
}

/** A list entry close to a recipient id (`jane-do`) is a typo, not an office. */
function warnListNearMisses(
  file: VFile,
  config: Pick<ProjectConfig, 'distributionLists' | 'recipients'>,
  places: KeyPlaces,
): void {
  const sources = { distributionLists: {}, recipients: config.recipients ?? {} };
  for (const [list, entries] of Object.entries(config.distributionLists)) {
    entries.forEach((entry, index) => {
      const miss = nearMiss(entry, sources, ['recipient']);
      if (miss === undefined) return;
      warn(
        file,
        `\`${entry}\` in list \`${list}\` is not a recipient id, so it is printed as an office; did you mean the recipient \`${miss.name}\`?`,
        places[placeKey(['distributionLists', list, index])] ?? AT_START,
        'distribution-list',
      );
    });
  }
}

/** Validate `data` read from `file`; messages point at the key when `places` knows it. */
export function validateConfig(
  file: VFile,
  data: unknown,
  places: KeyPlaces,
  base: string,
): ProjectConfig | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const got =
      data === null
        ? 'only `null`, which is an empty config: write {} for no settings'
        : Array.isArray(data)
          ? 'a list'
          : `a ${typeof data}`;
    fail(
      file,
      `the config must be an object of fields, such as { "organization": "…" }; the file holds ${got}`,
      AT_START,
      'config-type',
    );
    return undefined;
  }
  if (valueTooDeep(data)) {
    fail(file, TOO_DEEP, AT_START, 'config-nesting');
    return undefined;
  }
  const result = configSchema.safeParse(data);
  if (result.success) {
    warnListNearMisses(file, result.data, places);
    return resolveFolders({ ...result.data, file: file.path }, base);
  }
  for (const issue of result.error.issues) {
    for (const problem of describeConfigIssue(issue, data)) {
      let place = places[placeKey(problem.path)];
      for (let depth = problem.path.length - 1; place === undefined && depth > 0; depth -= 1) {
        place = places[placeKey(problem.path.slice(0, depth))];
      }
      fail(file, problem.reason, place ?? AT_START, problem.ruleId);
    }
  }
  return undefined;
}

/** The config file of `cwd`: the one given, or the one found; an error when two are found. */
function findConfig(
  cwd: string,
  explicitPath: string | undefined,
): { absolute?: string; problem?: VFile } {
  if (explicitPath !== undefined) {
    const absolute = path.resolve(cwd, explicitPath);
    if (existsSync(absolute)) return { absolute };
    const problem = new VFile({ path: explicitPath, cwd });
    fail(
      problem,
      `no such config file; expected one of ${CONFIG_NAMES.join(', ')}`,
      undefined,
      'config-missing',
    );
    return { problem };
  }
  const found = CONFIG_NAMES.filter((name) => existsSync(path.join(cwd, name)));
  const [first, second] = found;
  if (second !== undefined && first !== undefined) {
    const problem = new VFile({ path: second, cwd });
    fail(
      problem,
      `two config files, \`${first}\` and \`${second}\`: keep one`,
      undefined,
      'config-ambiguous',
    );
    return { problem };
  }
  return first === undefined ? {} : { absolute: path.join(cwd, first) };
}

/**
 * Load the project config of `cwd` (or `explicitPath`, relative to `cwd`).
 * Without a config file, the config is empty (every memo sets its own fields).
 */
export async function loadProjectConfig(cwd: string, explicitPath?: string): Promise<LoadedConfig> {
  const found = findConfig(cwd, explicitPath);
  if (found.problem !== undefined) return { config: undefined, file: found.problem };
  if (found.absolute === undefined) return { config: emptyConfig(), file: undefined };
  const absolute = found.absolute;
  const file = new VFile({ path: path.relative(cwd, absolute) || absolute, cwd });
  const base = path.dirname(absolute);
  // Only a regular file, never past the limit (io/read-bounded.ts); a .ts/.js
  // config is read here first so that a pipe or a device is refused before tsx opens it.
  const read = await readBounded(absolute, MAX_CONFIG_BYTES);
  if (!read.ok) {
    const why =
      read.problem === 'too-large'
        ? `it is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB`
        : read.problem === 'not-a-file'
          ? 'it is not a regular file'
          : 'check that it exists and that you are allowed to open it';
    fail(file, `the config could not be read: ${why}`, AT_START, 'config-load');
    return { config: undefined, file };
  }
  if (!absolute.endsWith('.json')) {
    const data = await importModule(file, absolute);
    if (data === undefined) return { config: undefined, file };
    return { config: validateConfig(file, data, {}, base), file };
  }
  const text = new TextDecoder()
    .decode(read.bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  file.value = text;
  const parsed = parseJson(file, text);
  if (parsed === undefined) return { config: undefined, file };
  return { config: validateConfig(file, parsed.data, parsed.places, base), file };
}
