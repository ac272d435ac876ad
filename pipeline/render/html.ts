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
 * of the page (the fonts its characters need, styles/*.css, per-memo `@page`
 * rules) as a SafeString,
 * so `<style>{{stylesheet}}</style>` inserts it without HTML-escaping. It can
 * not end the `<style>` element: user strings in it go through `cssString`
 * (which escapes `<`), and stylesheets containing `</style` are rejected.
 *
 * A project's own folder (`overridesDir`: `memo build --templates DIR`, or
 * `templatesDir` in memo.config.json) overrides the built-in files by name
 * (template-sources.ts, which reads the files); a new template name such as
 * `briefing` becomes valid in `template:`.
 */
import Runtime from 'handlebars/runtime.js';
import { projectRoot } from '../paths.js';
import { fontCssFor } from './fonts.js';
import { pageCss } from './page-css.js';
import { COMPILE_OPTIONS, loadPrecompiled, templateKey } from './precompiled.js';
import type { Precompiled } from './precompiled.js';
import { baseName, readTemplateSources } from './template-sources.js';
import type { HtmlRendererOptions, SourceFile, TemplateSources } from './template-sources.js';
import type { MemoView } from './view.js';

export type { HtmlRendererOptions } from './template-sources.js';

export interface HtmlRenderer {
  /** Full self-contained HTML document. */
  render(view: MemoView): string;
  /** sha256 hex of every template, partial, CSS and font byte used. */
  readonly fingerprint: string;
  /** The names a memo's `template:` may take (built-in and the project's own), sorted. */
  readonly templates: readonly string[];
  /** See `TemplateSources.fingerprintFor`. */
  fingerprintFor(template: string): string | undefined;
}

type Template = (context: unknown) => string;

/** The project's root (kept as an export for the tests). */
export const findProjectRoot = projectRoot;

function text(file: SourceFile): string {
  return Buffer.from(file.bytes).toString('utf8');
}

function assertStyleSafe(css: string, name: string): void {
  if (/<\/style/iu.test(css))
    throw new Error(`${name} contains "</style", which would end the <style> element`);
}

/**
 * Compile the templates; `sources` when the run has read them already (the
 * build cache does), `precompiled` to use other compiled templates than the
 * installation's (none: compile every file here).
 */
export async function createHtmlRenderer(
  options: HtmlRendererOptions = {},
  given?: TemplateSources,
  precompiled?: Precompiled,
): Promise<HtmlRenderer> {
  const [sources, specs] = await Promise.all([
    given ?? readTemplateSources(options),
    precompiled ?? loadPrecompiled(),
  ]);
  const { templateFiles, partialFiles, styleFiles, fonts } = sources;
  const ahead = new Map(
    [...templateFiles, ...partialFiles].map((file) => [file, specs.get(templateKey(text(file)))]),
  );
  // The runtime runs compiled templates; the compiler (and source-map) loads only for a file
  // compiled here. One environment runs every template, partial and helper.
  const compiler = [...ahead.values()].includes(undefined)
    ? (await import('handlebars')).default
    : undefined;
  const hb = (compiler ?? Runtime).create(); // the runtime's type claims `compile`; used only with the compiler
  const compile = (file: SourceFile): Template => {
    const spec = ahead.get(file);
    if (spec !== undefined) return hb.template(spec); // compiled by scripts/ensure.mjs
    let ast: hbs.AST.Program;
    try {
      ast = hb.parseWithoutProcessing(text(file)); // syntax errors now, not at the first render
    } catch (error) {
      throw new Error(`${file.name}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    return hb.compile(ast, { ...COMPILE_OPTIONS }); // compiles this tree: one parse per file, not two
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
  const staticCss = styleFiles.map((file) => `/* ${file.name} */\n${text(file)}`).join('\n');
  // Every character a page can hold comes from these files or from the view.
  const staticText = [...templateFiles, ...partialFiles].map(text).concat(staticCss).join('\n');

  return {
    fingerprint: sources.fingerprint,
    templates: [...templates.keys()].sort(),
    fingerprintFor: (template) => sources.fingerprintFor(template),
    render(view: MemoView): string {
      const template = templates.get(view.template);
      if (template === undefined) {
        throw new Error(
          `Unknown template "${view.template}" (have: ${[...templates.keys()].join(', ')})`,
        );
      }
      const memoCss = pageCss(view);
      assertStyleSafe(memoCss, 'page CSS'); // cssString already escapes `<`; belt and braces
      const fontCss = fontCssFor(fonts, `${staticText}\n${memoCss}\n${JSON.stringify(view)}`);
      const stylesheet = new hb.SafeString(`${fontCss}${staticCss}\n/* page */\n${memoCss}`);
      return template({ ...view, stylesheet });
    },
  };
}
