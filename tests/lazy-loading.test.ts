/**
 * What a build loads before its memo reaches Chromium (docs/performance.md, 'Cold start,
 * second pass'): every built-in template is compiled ahead, so a memo with no SVG image,
 * chart or citation loads neither Handlebars' compiler nor an XML or HTML parser, and the
 * bundle holds no js-yaml at all (gray-matter's YAML engine, which memo-press never uses)
 * and does not name each node's visitor (unist-util-visit-parents, for stack traces only).
 * A memo that needs one still loads it, and gets the same output as before.
 *
 * The built CLI (dist/bin, scripts/ensure.mjs) runs in a child process with a module hook
 * that lists every file it loads.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binDir, readBundleMap } from './helpers/bundle.js';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'memo.js');
const sample = path.join(root, 'sources', 'water-security-first-year.md');

/** Modules, by the start of their path (the bundle's map, tests/helpers/bundle.ts). */
const COMPILER = 'node_modules/handlebars/dist/cjs/handlebars/compiler/';
const PARSE5 = 'node_modules/parse5/';
const SAXES = 'node_modules/saxes/';

let temp = '';

beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'memo-lazy-'));
  // Records the URL of every module loaded from a file into the file named by MEMO_LOADED_LOG.
  await writeFile(
    path.join(temp, 'record.mjs'),
    [
      "import { appendFileSync } from 'node:fs';",
      'export async function load(url, context, next) {',
      "  if (url.startsWith('file:')) appendFileSync(process.env.MEMO_LOADED_LOG, url + '\\n');",
      '  return next(url, context);',
      '}',
    ].join('\n'),
  );
  await writeFile(
    path.join(temp, 'hook.mjs'),
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(path.join(temp, 'record.mjs')).href)});\n`,
  );
});

afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** Build `memo` (HTML only) in `folder`; the files the process loaded, and their modules. */
async function build(folder: string, memo: string, ...args: string[]) {
  const log = path.join(folder, 'loaded.txt');
  await writeFile(log, '');
  const out = path.join(folder, 'out');
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      pathToFileURL(path.join(temp, 'hook.mjs')).href,
      bin,
      'build',
      memo,
      '--format',
      'html',
      '--no-cache',
      '--out',
      out,
      ...args,
    ],
    { cwd: folder, env: { ...process.env, MEMO_LOADED_LOG: log, NO_COLOR: '1' } },
  );
  const urls = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
  const chunks = urls
    .map((url) => fileURLToPath(url))
    .filter((file) => path.dirname(file) === binDir)
    .map((file) => path.basename(file));
  const map = await readBundleMap();
  const slug = path.basename(memo, '.md');
  return {
    files: urls.length,
    loads: (module: string) => chunks.some((chunk) => map.holds(chunk, module)),
    html: await readFile(path.join(out, slug, 'memo.html'), 'utf8'),
  };
}

async function folderWith(name: string): Promise<string> {
  const folder = path.join(temp, name);
  await mkdir(folder, { recursive: true });
  await copyFile(sample, path.join(folder, 'memo.md'));
  return folder;
}

describe('a cold build loads what its memo needs', () => {
  it('the sample memo: the Handlebars runtime alone, no HTML or XML parser', async () => {
    const run = await build(await folderWith('sample'), 'memo.md');
    expect(run.files).toBeGreaterThan(10);
    expect(run.loads('node_modules/handlebars/dist/cjs/handlebars/runtime.js')).toBe(true);
    expect(run.loads(COMPILER)).toBe(false);
    expect(run.loads(PARSE5)).toBe(false);
    expect(run.loads(SAXES)).toBe(false);
    expect(run.html).toContain('First-Year Water Security Assessment');
  });

  it('a template of its own: the compiler too, and the edit shows', async () => {
    const folder = await folderWith('override');
    await mkdir(path.join(folder, 'mine'));
    const builtIn = await readFile(path.join(root, 'templates', 'assessment.hbs'), 'utf8');
    expect(builtIn).toContain('</body>');
    await writeFile(
      path.join(folder, 'mine', 'assessment.hbs'),
      builtIn.replace('</body>', '<p class="edited">{{title}} (own template)</p></body>'),
    );
    const run = await build(folder, 'memo.md', '--templates', 'mine');
    expect(run.loads(COMPILER)).toBe(true);
    expect(run.html).toContain(
      '<p class="edited">First-Year Water Security Assessment (own template)</p>',
    );
  });

  it('an SVG image: the SVG check and its XML parser', async () => {
    const folder = await folderWith('svg');
    await writeFile(
      path.join(folder, 'dot.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>\n',
    );
    const text = await readFile(path.join(folder, 'memo.md'), 'utf8');
    await writeFile(
      path.join(folder, 'memo.md'),
      text.replace(/\n## /u, '\n![A dot](dot.svg)\n\n## '),
    );
    const run = await build(folder, 'memo.md');
    expect(run.loads(SAXES)).toBe(true);
    expect(run.html).toContain('src="data:image/svg+xml;base64,');
  });
});

describe('the bundle', () => {
  it('holds gray-matter without js-yaml', async () => {
    const map = await readBundleMap();
    const chunks = (await readdir(binDir)).filter((name) => name.endsWith('.js'));
    expect([...map.chunks].sort()).toEqual(chunks.sort());
    const holding = (module: string) => chunks.filter((chunk) => map.holds(chunk, module));
    expect(holding('node_modules/gray-matter/index.js')).toHaveLength(1);
    expect(holding('node_modules/js-yaml/')).toEqual([]);
  });

  it('holds unist-util-visit-parents without a name for each visited node', async () => {
    const map = await readBundleMap();
    const chunks = (await readdir(binDir)).filter((name) =>
      map.holds(name, 'node_modules/unist-util-visit-parents/lib/index.js'),
    );
    expect(chunks).toHaveLength(1);
    const code = await readFile(path.join(binDir, chunks[0] ?? ''), 'utf8');
    // The walk is still there; the name it gave each node's visitor (`node (heading)`) is not.
    expect(code).toMatch(/function visitParents\(/u);
    expect(code).not.toContain('"node ("');
    expect(code).not.toMatch(/defineProperty\(visit\w*,\s*"name"/u);
  });
});
