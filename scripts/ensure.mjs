#!/usr/bin/env node
// Makes a fresh clone of memo-press ready to run, and does nothing (quickly)
// when it already is. Runs before `npm install`, so it must not import any
// dependency: Node built-ins only.
//
//   node scripts/ensure.mjs [--no-browser | --build-only]
//
// Steps, each printing one line to stderr when it acts:
//   1. npm packages  – `npm ci` (or `npm install` without a lock file) when
//      node_modules is missing or package-lock.json changed since the last install.
//   2. TypeScript    – `tsc -p tsconfig.build.json` when dist/ is missing or older
//      than pipeline/, package.json or tsconfig*.json (stamp: dist/.build-stamp);
//      then esbuild bundles the CLI into dist/bin/ (what bin/memo.js runs), and
//      Handlebars compiles the built-in templates ahead (dist/templates.precompiled.mjs,
//      again whenever templates/ is newer).
//   3. Chromium      – needed to print PDFs (`npm start`, `npm run bench`, and the
//      test suite, which prints with the real browser); installed with apt-get when
//      possible, otherwise a clear message and exit 1. Debian's chromium-headless-shell,
//      which prints faster, is installed next to it where apt offers it (never an error
//      when it does not). A command that does not need
//      the browser passes --no-browser to skip this step.
// --build-only does step 2 alone (the test suite's global setup: it never installs).
//
// The fonts are not system fonts: they come from npm (@fontsource/*), step 1.

import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stderr.write('usage: node scripts/ensure.mjs [--no-browser | --build-only]\n');
  process.exit(0);
}
const unknown = argv.filter((a) => a !== '--no-browser' && a !== '--build-only');
if (unknown.length > 0) {
  fail(
    `unknown argument(s): ${unknown.join(' ')} (usage: node scripts/ensure.mjs [--no-browser | --build-only])`,
  );
}
const buildOnly = argv.includes('--build-only');
const skipBrowser = buildOnly || argv.includes('--no-browser');

function say(line) {
  process.stderr.write(`memo-press: ${line}\n`);
}

function fail(line, code = 1) {
  say(line);
  process.exit(code);
}

/** mtime in ms, or undefined when the path does not exist. */
function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function touch(path, time = new Date()) {
  try {
    utimesSync(path, time, time);
  } catch {
    writeFileSync(path, '');
    utimesSync(path, time, time);
  }
}

// ---------------------------------------------------------------- npm packages

function ensurePackages() {
  const nodeModules = join(root, 'node_modules');
  const lock = mtime(join(root, 'package-lock.json'));
  const hiddenLockPath = join(nodeModules, '.package-lock.json');
  const hiddenLock = mtime(hiddenLockPath);

  const missing = mtime(nodeModules) === undefined;
  const stale = lock !== undefined && (hiddenLock === undefined || lock > hiddenLock);
  if (!missing && !stale) return false;

  const args = lock !== undefined ? ['ci'] : ['install'];
  args.push('--no-audit', '--no-fund');
  say(
    `${missing ? 'node_modules is missing' : 'package-lock.json changed'}: running npm ${args[0]}…`,
  );
  const result = spawnSync(isWindows ? 'npm.cmd' : 'npm', args, {
    cwd: root,
    // npm's own output goes to stderr: stdout belongs to the command that follows.
    stdio: ['ignore', 2, 2],
    shell: isWindows,
    env: {
      ...process.env,
      // The system Chromium is used (see .puppeteerrc.cjs): never download one.
      PUPPETEER_SKIP_DOWNLOAD: 'true',
    },
  });
  if (result.error) fail(`could not run npm: ${result.error.message}`);
  if (result.status !== 0) {
    fail(
      `npm ${args[0]} failed (exit ${result.status ?? result.signal}).` +
        (args[0] === 'ci'
          ? ' If package.json and package-lock.json disagree, run `npm install` and commit the lock file.'
          : ''),
    );
  }
  // npm may write package-lock.json after its copy in node_modules: make sure the
  // copy is the newer one, or the next run would install again.
  if (mtime(hiddenLockPath) !== undefined) touch(hiddenLockPath);
  return true;
}

// ------------------------------------------------------------------ TypeScript

/** Newest mtime of a directory tree (directories included: a deleted file changes them). */
function newestIn(dir) {
  let newest = mtime(dir) ?? 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return newest;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestIn(path) : (mtime(path) ?? 0);
    if (time > newest) newest = time;
  }
  return newest;
}

function listFiles(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

const OUTPUT_TO_SOURCES = [
  [/\.d\.ts$/, ['.ts', '.tsx']],
  [/\.js(\.map)?$/, ['.ts', '.tsx', '.js']],
  [/\.mjs(\.map)?$/, ['.mts', '.mjs']],
  [/\.cjs(\.map)?$/, ['.cts', '.cjs']],
];

/** Removes compiled files whose source was deleted or renamed (tsc never does). */
function pruneOrphans(pipelineDir, distDir) {
  let removed = 0;
  for (const file of listFiles(distDir)) {
    const rel = relative(distDir, file);
    for (const [pattern, sourceExts] of OUTPUT_TO_SOURCES) {
      if (!pattern.test(rel)) continue;
      const base = rel.replace(pattern, '');
      if (!sourceExts.some((ext) => mtime(join(pipelineDir, base + ext)) !== undefined)) {
        unlinkSync(file);
        removed++;
      }
      break;
    }
  }
  if (removed > 0) say(`removed ${removed} stale file(s) from dist/`);
}

async function ensureBuild(force) {
  const pipelineDir = join(root, 'pipeline');
  const distDir = join(root, 'dist');
  const stampPath = join(distDir, '.build-stamp');
  if (mtime(pipelineDir) === undefined) return; // nothing to compile

  const stamp = mtime(stampPath);
  let stale = force || stamp === undefined;
  if (!stale) {
    // The bundle's own recipe too: this script and the modules it puts in for packages.
    const inputs = [join(root, 'package.json'), fileURLToPath(import.meta.url)];
    for (const name of readdirSync(root)) {
      if (/^tsconfig.*\.json$/.test(name)) inputs.push(join(root, name));
    }
    stale =
      newestIn(pipelineDir) > stamp ||
      newestIn(join(root, 'scripts', 'bundle-stubs')) > stamp ||
      inputs.some((path) => (mtime(path) ?? 0) > stamp);
  }
  if (!stale) {
    // A built-in template edited since: compiled again ahead (the CLI would compile it itself).
    const compiled = mtime(join(root, PRECOMPILED_PATH));
    if (compiled === undefined || newestIn(join(root, 'templates')) > compiled)
      await precompileTemplates(distDir);
    return;
  }

  say('compiling TypeScript (tsc -p tsconfig.build.json, then esbuild)…');
  const started = new Date();
  const localTsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const tscArgs = ['-p', 'tsconfig.build.json'];
  const result =
    mtime(localTsc) !== undefined
      ? spawnSync(process.execPath, [localTsc, ...tscArgs], { cwd: root, encoding: 'utf8' })
      : spawnSync(isWindows ? 'npx.cmd' : 'npx', ['--no-install', 'tsc', ...tscArgs], {
          cwd: root,
          encoding: 'utf8',
          shell: isWindows,
        });
  if (result.error) fail(`could not run tsc: ${result.error.message}`);
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail(
      `TypeScript build failed (tsc exit ${result.status ?? result.signal}); dist/ is not up to date.`,
    );
  }
  pruneOrphans(pipelineDir, distDir);
  await bundle(distDir);
  await precompileTemplates(distDir);
  // Stamp with the start time: a source saved while tsc ran is still seen as newer.
  touch(stampPath, started);
}

// ---------------------------------------------------------------------- bundle

/**
 * The command-line entry, bundled with its dependencies into a few ES module
 * chunks in dist/bin/ (esbuild, code splitting so that lazily imported
 * commands stay lazy). Measured: a cold `memo build --format html` of one
 * memo spends about a third of its time resolving and reading the hundreds of
 * small modules of the unified ecosystem, pdf-lib and puppeteer-core; the
 * bundle removes that (and puppeteer-core loads about 0.1 s sooner). tsx
 * (loads memo.config.ts, registers hooks) stays an ordinary import. dist/
 * (tsc's output, type-checked) remains the source of the bundle. Without
 * whitespace and comments (docs/performance.md); which modules each chunk
 * holds is in dist/bin/bundle.json, esbuild's metafile.
 */
async function bundle(distDir) {
  // Loaded only now: this script runs before `npm ci` has installed anything.
  const esbuild = createRequire(import.meta.url)('esbuild');
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [join(distDir, 'cli', 'main.js'), join(distDir, 'cli', 'early.js')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: join(distDir, 'bin'),
      chunkNames: 'chunk-[hash]',
      external: ['tsx', 'tsx/*'],
      alias: { 'proxy-agent': join(root, 'scripts', 'bundle-stubs', 'proxy-agent.mjs') },
      plugins: [zodEnglishOnly, grayMatterWithoutJsYaml, visitorsWithoutNames],
      legalComments: 'none',
      minifyWhitespace: true,
      metafile: true,
      absWorkingDir: root,
      logLevel: 'warning',
      // CommonJS dependencies bundled into ES modules still call require().
      banner: {
        js: "import { createRequire as __memoRequire } from 'node:module'; const require = __memoRequire(import.meta.url);",
      },
    });
  } catch (error) {
    fail(
      `bundling failed (${error instanceof Error ? error.message : String(error)}); dist/ is not up to date.`,
    );
  }
  // What each chunk holds, by module path: the comments that said it are gone (tests read it).
  const meta = join(distDir, 'bin', 'bundle.json');
  writeFileSync(`${meta}.tmp`, `${JSON.stringify(result.metafile)}\n`);
  renameSync(`${meta}.tmp`, meta);
}

/** Where the compiled templates go (pipeline/render/precompiled.ts reads them). */
const PRECOMPILED_PATH = join('dist', 'templates.precompiled.mjs');

/**
 * The built-in memo templates and partials compiled ahead with Handlebars
 * (pipeline/render/precompiled.ts, which gives the key and the options):
 * compiling them at the first render was about a tenth of a cold build's Node
 * work. A file that fails to compile is left out: the CLI compiles it, and
 * reports its error, itself. Written atomically.
 */
async function precompileTemplates(distDir) {
  const target = join(root, PRECOMPILED_PATH);
  try {
    const { precompileSource, templateKey } = await import(
      pathToFileURL(join(distDir, 'render', 'precompiled.js')).href
    );
    const entries = [];
    for (const folder of [join(root, 'templates'), join(root, 'templates', 'partials')]) {
      for (const name of readdirSync(folder)
        .filter((name) => name.endsWith('.hbs'))
        .sort()) {
        const text = readFileSync(join(folder, name), 'utf8');
        try {
          entries.push(`  ${JSON.stringify(templateKey(text))}: ${await precompileSource(text)},`);
        } catch {
          // compiled, and its error reported, by the CLI
        }
      }
    }
    const module = `// Written by scripts/ensure.mjs: templates/*.hbs and templates/partials/*.hbs compiled by Handlebars.\nexport default {\n${entries.join('\n')}\n};\n`;
    writeFileSync(`${target}.tmp`, module);
    renameSync(`${target}.tmp`, target);
  } catch (error) {
    try {
      unlinkSync(target);
    } catch {
      // there was none
    }
    say(
      `could not compile the templates ahead (${error instanceof Error ? error.message : String(error)}); the CLI compiles them at each run`,
    );
  }
}

/**
 * zod's `z` namespace re-exports every locale's error messages (`z.locales`),
 * which esbuild cannot drop: about 360 KB of the startup chunk, parsed by every
 * command before Chromium could start. memo-press writes its own messages and
 * uses only zod's English default, so the bundle gets a locale index with
 * `en` alone (docs/performance.md).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](?:core|classic)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, '..', 'locales', 'en-only.js'), namespace: 'zod-en' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * gray-matter's default engines load js-yaml 3 (about 100 KB of the bundle, and
 * esprima from node_modules through a `require` esbuild cannot see), parsed by
 * every build before its memo reaches Chromium. memo-press calls gray-matter
 * only with engines of its own (pipeline/frontmatter/read-source.ts) and reads
 * YAML with `yaml`, so the bundle gets gray-matter with a YAML engine that
 * throws, and no js-yaml: the bundle fails if gray-matter stops loading it as
 * expected, or if anything else imports it (docs/performance.md).
 */
const grayMatterWithoutJsYaml = {
  name: 'gray-matter-without-js-yaml',
  setup(build) {
    build.onResolve({ filter: /^js-yaml(?:[\\/]|$)/ }, (args) => ({
      errors: [
        {
          text: `${args.importer} imports js-yaml, which the bundle leaves out (grayMatterWithoutJsYaml)`,
        },
      ],
    }));
    const noEngine =
      "function () { throw new Error('gray-matter has no YAML engine in memo-press: pass engines'); }";
    editOnLoad(build, {
      filter: /[\\/]gray-matter[\\/]lib[\\/]engines\.js$/,
      find: "const yaml = require('js-yaml');",
      replace: `const yaml = { safeLoad: ${noEngine}, safeDump: ${noEngine} };`,
      unchanged: 'no longer loads js-yaml as expected: update grayMatterWithoutJsYaml',
    });
  },
};

/**
 * unist-util-visit-parents names the function it makes for every node it visits after that
 * node (`node (element<h2>)`, for stack traces): a string and a property definition per node
 * and per walk, and every compile stage walks the tree. The bundle leaves the name out; it
 * fails if the code changes (docs/performance.md, sixth pass).
 */
const visitorsWithoutNames = {
  name: 'visitors-without-names',
  setup(build) {
    editOnLoad(build, {
      filter: /[\\/]unist-util-visit-parents[\\/]lib[\\/]index\.js$/,
      find: /Object\.defineProperty\(visit, 'name', \{\s*value:\s*'node \(' \+ color\(node\.type \+ \(name \? '<' \+ name \+ '>' : ''\)\) \+ '\)'\s*\}\)/u,
      replace: '',
      unchanged: 'no longer names its visitors as expected: update visitorsWithoutNames',
    });
  },
};

/**
 * A dependency's file edited as esbuild loads it: `find` (a string or a pattern, first match)
 * becomes `replace`; the bundle fails, saying `unchanged`, when `find` is no longer there.
 */
function editOnLoad(build, { filter, find, replace, unchanged }) {
  build.onLoad({ filter }, async (args) => {
    const source = await readFile(args.path, 'utf8');
    const patched = source.replace(find, replace);
    if (patched === source) throw new Error(`${args.path} ${unchanged}`);
    return { contents: patched, loader: 'js' };
  });
}

// -------------------------------------------------------------------- Chromium

const BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
];

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return true;
  }
  return false;
}

function run(command, args, env) {
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], env });
  return !result.error && result.status === 0;
}

/** Debian's headless shell: preferred for printing when present (pipeline/render/browser.ts). */
const SHELL_PATHS = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
];

/** apt-get as root or through password-less sudo, or undefined when neither is possible. */
function aptRunner() {
  if (isWindows || !onPath('apt-get')) return undefined;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const canSudo = !isRoot && onPath('sudo') && run('sudo', ['-n', 'true'], process.env);
  if (!isRoot && !canSudo) return undefined;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  return (args) =>
    isRoot
      ? run('apt-get', args, env)
      : run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], env);
}

/** Whether apt's package lists (as they are, without an update) know `name`. */
function aptKnows(name) {
  if (!onPath('apt-cache')) return false;
  const result = spawnSync('apt-cache', ['show', '--no-all-versions', name], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return !result.error && result.status === 0 && result.stdout.length > 0;
}

/**
 * Install what is missing of `chromium` (required) and `chromium-headless-shell`
 * (optional: it only makes printing faster, so a distribution without it, or
 * a failed install of it, is no error).
 */
function installWithApt({ full, shell }) {
  const apt = aptRunner();
  if (apt === undefined) return false;
  if (full) {
    say('installing Chromium with apt-get (needed to print PDFs)…');
    if (!apt(['update', '-q'])) {
      say('apt-get update failed');
      return false;
    }
    if (!apt(['install', '-y', '-q', '--no-install-recommends', 'chromium'])) {
      say('apt-get install chromium failed');
      return false;
    }
  }
  if (shell && aptKnows('chromium-headless-shell')) {
    say('installing chromium-headless-shell with apt-get (prints PDFs faster)…');
    if (!apt(['install', '-y', '-q', '--no-install-recommends', 'chromium-headless-shell'])) {
      say('apt-get install chromium-headless-shell failed; printing with chromium');
    }
  }
  return true;
}

function ensureBrowser() {
  if (skipBrowser) return;

  // An explicit choice wins; if it points nowhere, installing another browser won't help.
  for (const name of ['MEMO_CHROMIUM', 'PUPPETEER_EXECUTABLE_PATH']) {
    const path = process.env[name];
    if (!path) continue;
    if (isExecutable(path)) return;
    missingBrowser(`${name}=${path} is not an executable file: fix or unset it.`);
    return;
  }
  const hasFull = () => BROWSER_PATHS.some(isExecutable);
  const hasShell = () => SHELL_PATHS.some(isExecutable);
  if (hasFull() && hasShell()) return;

  installWithApt({ full: !hasFull(), shell: !hasShell() });
  if (hasFull() || hasShell()) return;
  missingBrowser('no Chromium or Chrome found.');
}

/**
 * qpdf and poppler-utils (optional): tests/distribution re-saves a numbered copy
 * with qpdf, as another PDF tool would, to check that `memo identify` still names
 * the recipient, and reads copies and memos back with pdftotext, pdffonts and
 * pdfinfo -meta; without them those checks are skipped (pdf.js and pdf-lib checks
 * still run).
 */
function ensureQpdf() {
  if (skipBrowser) return;
  const wanted = [
    ['qpdf', 'qpdf'],
    ['pdftotext', 'poppler-utils'],
  ]
    .filter(([command, name]) => !onPath(command) && aptKnows(name))
    .map(([, name]) => name);
  if (wanted.length === 0) return;
  const apt = aptRunner();
  if (apt === undefined) return;
  say(`installing ${wanted.join(' and ')} with apt-get (for the tests that read PDFs back)…`);
  if (!apt(['install', '-y', '-q', '--no-install-recommends', ...wanted]))
    say(`apt-get install ${wanted.join(' ')} failed`);
}

function missingBrowser(reason) {
  say(
    `${reason} PDFs are printed with Chromium: install it (Debian/Ubuntu: ` +
      '`sudo apt-get install chromium`), or set MEMO_CHROMIUM=/path/to/chrome.',
  );
  process.exit(1);
}

// ------------------------------------------------------------------------ main

const installed = buildOnly ? false : ensurePackages();
await ensureBuild(installed);
ensureBrowser();
ensureQpdf();
