/**
 * The files an HTML page is made from — templates, partials, stylesheets and
 * fonts — read once per run, with the fingerprints the build cache keys on.
 *
 * Kept apart from the renderer (html.ts) so that a build whose memos are all
 * up to date only reads and hashes these files: it never loads Handlebars or
 * compiles a template.
 *
 * A project's own folder (`overridesDir`) overrides the built-in files by
 * name: `DIR/*.hbs` templates, `DIR/partials/*.hbs` partials and `DIR/*.css`
 * stylesheets replace the built-in file of the same name, or add one (new
 * stylesheets come after the built-in ones, so their rules win).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, parse as parsePath } from 'node:path';
import { readBounded } from '../io/read-bounded.js';
import { projectRoot } from '../paths.js';
import { loadFonts } from './fonts.js';
import type { LoadedFonts } from './fonts.js';

export interface HtmlRendererOptions {
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  /** The project's own templates, partials and CSS, overriding the built-in ones by name. */
  readonly overridesDir?: string;
}

export interface SourceFile {
  /** Labelled with its folder: `templates/memorandum.hbs`, `my-templates/partials/masthead.hbs`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface TemplateSources {
  readonly templateFiles: readonly SourceFile[];
  readonly partialFiles: readonly SourceFile[];
  readonly styleFiles: readonly SourceFile[];
  readonly fonts: LoadedFonts;
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

/** Bump when the renderer changes what it does with the same inputs. */
const RENDERER_VERSION = 'memo-press html renderer 2';

/** A template, partial or stylesheet: far more than any real one (fonts are separate files). */
const MAX_TEMPLATE_BYTES = 4 * 1024 * 1024;

/** A template file's bytes: only a regular file, never past the limit. */
async function readTemplateFile(file: string, label: string): Promise<Uint8Array> {
  const read = await readBounded(file, MAX_TEMPLATE_BYTES);
  if (read.ok) return read.bytes;
  const why =
    read.problem === 'too-large'
      ? `is larger than ${MAX_TEMPLATE_BYTES / 1024 / 1024} MB`
      : read.problem === 'not-a-file'
        ? 'is not a regular file'
        : 'could not be read';
  throw new Error(`${label} ${why}`);
}

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
      bytes: await readTemplateFile(join(dir, name), `${label}/${name}`),
    })),
  );
}

export function baseName(file: SourceFile): string {
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

/** Handlebars' version, without loading Handlebars: a new version may compile differently. */
export function handlebarsVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest: unknown = require('handlebars/package.json');
  const version: unknown =
    typeof manifest === 'object' && manifest !== null
      ? Object.getOwnPropertyDescriptor(manifest, 'version')?.value
      : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

function fingerprintOf(files: readonly SourceFile[], engine: string): string {
  const hash = createHash('sha256');
  hash.update(`${RENDERER_VERSION}\0handlebars ${engine}\0`);
  for (const file of files) {
    hash.update(`${file.name}\0${file.bytes.byteLength}\0`);
    hash.update(file.bytes);
  }
  return hash.digest('hex');
}

export async function readTemplateSources(
  options: HtmlRendererOptions = {},
): Promise<TemplateSources> {
  const root =
    options.templatesDir === undefined || options.stylesDir === undefined ? projectRoot() : '';
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
  const engine = handlebarsVersion();
  const shared = [...partialFiles, ...styleFiles, ...fonts.files];
  const perTemplate = new Map(
    templateFiles.map((file) => [baseName(file), fingerprintOf([file, ...shared], engine)]),
  );
  return {
    templateFiles,
    partialFiles,
    styleFiles,
    fonts,
    fingerprint: fingerprintOf([...templateFiles, ...shared], engine),
    templates: [...perTemplate.keys()].sort(),
    fingerprintFor: (template) => perTemplate.get(template),
  };
}
