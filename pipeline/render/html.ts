/**
 * HTML renderer: Handlebars templates + inlined CSS and fonts → one
 * self-contained HTML document per memo.
 *
 * Everything is read and compiled once in `createHtmlRenderer`; `render` is
 * then pure and synchronous. Templates compile in strict mode (a missing
 * field throws), values are HTML-escaped with `{{ }}`; only `bodyHtml` and
 * `notesHtml` (already sanitized) are inserted raw.
 *
 * Besides the `MemoView` fields, templates receive `stylesheet`: the whole CSS
 * of the page (fonts, styles/*.css, per-memo `@page` rules) as a SafeString,
 * so `<style>{{stylesheet}}</style>` inserts it without HTML-escaping. It can
 * not end the `<style>` element: user strings in it go through `cssString`
 * (which escapes `<`), and stylesheets containing `</style` are rejected.
 *
 * A project's own folder (`overridesDir`: `memo build --templates DIR`, or
 * `templatesDir` in memo.config.json) overrides the built-in files by name:
 * `DIR/*.hbs` templates, `DIR/partials/*.hbs` partials and `DIR/*.css`
 * stylesheets replace the built-in file of the same name, or add one (a new
 * template name such as `briefing` becomes valid in `template:`; new
 * stylesheets come after the built-in ones, so their rules win).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, parse as parsePath } from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../paths.js';
import { loadFonts } from './fonts.js';
import { pageCss } from './page-css.js';
import type { MemoView } from './view.js';

export interface HtmlRendererOptions {
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  /** The project's own templates, partials and CSS, overriding the built-in ones by name. */
  readonly overridesDir?: string;
}

export interface HtmlRenderer {
  /** Full self-contained HTML document. */
  render(view: MemoView): string;
  /** sha256 hex of every template, partial, CSS and font byte used. */
  readonly fingerprint: string;
  /** The names a memo's `template:` may take (built-in and the project's own), sorted. */
  readonly templates: readonly string[];
  /**
   * sha256 hex of what a memo with `template` depends on: that template, every
   * partial, CSS file and font (not the other templates). The build cache keys
   * on it, so editing one template rebuilds only the memos that use it.
   */
  fingerprintFor(template: string): string | undefined;
}

/** Bump when this module changes what it does with the same inputs. */
const RENDERER_VERSION = 'memo-press html renderer 1';

type Template = (context: unknown) => string;

interface SourceFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The project's root (kept as an export for the tests). */
export const findProjectRoot = projectRoot;

/** Files of `dir` ending in `ext`, sorted by name (not recursive). */
async function readDir(dir: string, ext: string, label: string): Promise<SourceFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(ext))
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name: `${label}/${name}`,
      bytes: await readFile(join(dir, name)),
    })),
  );
}

function text(file: SourceFile): string {
  return Buffer.from(file.bytes).toString('utf8');
}

function baseName(file: SourceFile): string {
  return parsePath(file.name).name;
}

/** `base` with each file of `overrides` replacing the one of the same file name; new ones after, sorted. */
function overlay(base: readonly SourceFile[], overrides: readonly SourceFile[]): SourceFile[] {
  const fileName = (file: SourceFile) => parsePath(file.name).base;
  const replacing = new Map(overrides.map((file) => [fileName(file), file]));
  const names = new Set(base.map(fileName));
  return [
    ...base.map((file) => replacing.get(fileName(file)) ?? file),
    ...overrides.filter((file) => !names.has(fileName(file))),
  ];
}

/** The project's own files, labelled with the folder's name (`my-templates/partials/masthead.hbs`). */
async function readOverrides(dir: string | undefined) {
  if (dir === undefined) return { templates: [], partials: [], styles: [] };
  if (!existsSync(dir)) throw new Error(`the templates folder ${dir} does not exist`);
  const label = basename(dir);
  const partialsDir = join(dir, 'partials');
  const [templates, partials, styles] = await Promise.all([
    readDir(dir, '.hbs', label),
    existsSync(partialsDir)
      ? readDir(partialsDir, '.hbs', `${label}/partials`)
      : Promise.resolve([]),
    readDir(dir, '.css', label),
  ]);
  return { templates, partials, styles };
}

function assertStyleSafe(css: string, name: string): void {
  if (/<\/style/iu.test(css))
    throw new Error(`${name} contains "</style", which would end the <style> element`);
}

function fingerprintOf(files: readonly SourceFile[]): string {
  const hash = createHash('sha256');
  hash.update(`${RENDERER_VERSION}\0handlebars ${Handlebars.VERSION}\0`);
  for (const file of files) {
    hash.update(`${file.name}\0${file.bytes.byteLength}\0`);
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}

export async function createHtmlRenderer(options: HtmlRendererOptions = {}): Promise<HtmlRenderer> {
  const root =
    options.templatesDir === undefined || options.stylesDir === undefined ? findProjectRoot() : '';
  const templatesDir = options.templatesDir ?? join(root, 'templates');
  const stylesDir = options.stylesDir ?? join(root, 'styles');

  const partialsDir = join(templatesDir, 'partials');
  const [builtInTemplates, builtInPartials, builtInStyles, overrides, fonts] = await Promise.all([
    readDir(templatesDir, '.hbs', 'templates'),
    existsSync(partialsDir)
      ? readDir(partialsDir, '.hbs', 'templates/partials')
      : Promise.resolve([]),
    readDir(stylesDir, '.css', 'styles'),
    readOverrides(options.overridesDir),
    loadFonts(),
  ]);
  const templateFiles = overlay(builtInTemplates, overrides.templates);
  const partialFiles = overlay(builtInPartials, overrides.partials);
  const styleFiles = overlay(builtInStyles, overrides.styles);

  const hb = Handlebars.create();
  const compileOptions = { strict: true, preventIndent: true } as const;
  const compile = (file: SourceFile): Template => {
    const source = text(file);
    try {
      hb.parse(source); // surface syntax errors now, not at the first render
    } catch (error) {
      throw new Error(`${file.name}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return hb.compile(source, compileOptions);
  };

  hb.registerHelper('join', (list: unknown, separator: unknown) => {
    if (!Array.isArray(list) || typeof separator !== 'string')
      throw new Error('join: expects (list, "separator")');
    return list.map(String).join(separator);
  });
  for (const file of partialFiles) hb.registerPartial(baseName(file), compile(file));

  const templates = new Map<string, Template>();
  for (const file of templateFiles) templates.set(baseName(file), compile(file));

  for (const file of styleFiles) assertStyleSafe(text(file), file.name);
  const staticCss = [
    fonts.css,
    ...styleFiles.map((file) => `/* ${file.name} */\n${text(file)}`),
  ].join('\n');

  const fingerprint = fingerprintOf([
    ...templateFiles,
    ...partialFiles,
    ...styleFiles,
    ...fonts.files,
  ]);

  const shared = [...partialFiles, ...styleFiles, ...fonts.files];
  const perTemplate = new Map(
    templateFiles.map((file) => [baseName(file), fingerprintOf([file, ...shared])]),
  );

  return {
    fingerprint,
    templates: [...templates.keys()].sort(),
    fingerprintFor: (template) => perTemplate.get(template),
    render(view: MemoView): string {
      const template = templates.get(view.template);
      if (template === undefined) {
        throw new Error(
          `Unknown template "${view.template}" (have: ${[...templates.keys()].join(', ')})`,
        );
      }
      const memoCss = pageCss(view);
      assertStyleSafe(memoCss, 'page CSS'); // cssString already escapes `<`; belt and braces
      const stylesheet = new hb.SafeString(`${staticCss}\n/* page */\n${memoCss}`);
      return template({ ...view, stylesheet });
    },
  };
}
