/**
 * The archive's own Handlebars templates (templates/archive/): the archive
 * index and the redline page, with their stylesheets. Compiled in strict
 * mode (a missing field throws) into a Handlebars instance of their own;
 * every value is HTML-escaped except the stylesheet, which is checked not to
 * contain `</style`.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../paths.js';

export interface ArchiveTemplates {
  /** Render `templates/archive/<name>.hbs` with `data` plus `stylesheet` (the given CSS, unescaped). */
  render(name: 'index' | 'redline' | 'series' | 'search', data: object, css: string): string;
  /** The text of `templates/archive/<name>.css`. */
  readonly css: {
    readonly index: string;
    readonly redline: string;
    readonly series: string;
    readonly search: string;
  };
  /** The search page's own script, `templates/archive/search.js`. */
  readonly searchScript: string;
}

export function archiveTemplatesDir(): string {
  return path.join(projectRoot(), 'templates', 'archive');
}

function assertStyleSafe(css: string): void {
  if (/<\/style/i.test(css))
    throw new Error(
      'an archive stylesheet contains "</style", which would end the <style> element',
    );
}

export async function loadArchiveTemplates(
  dir: string = archiveTemplatesDir(),
): Promise<ArchiveTemplates> {
  const hb = Handlebars.create();
  const options = { strict: true, preventIndent: true } as const;
  const read = (name: string) => readFile(path.join(dir, name), 'utf8');
  const partialsDir = path.join(dir, 'partials');
  const partialNames = (await readdir(partialsDir)).filter((name) => name.endsWith('.hbs')).sort();
  for (const name of partialNames) {
    hb.registerPartial(
      name.slice(0, -'.hbs'.length),
      hb.compile(await read(path.join('partials', name)), options),
    );
  }
  const [index, redline, series, search, indexCss, redlineCss, seriesCss, searchCss, script] =
    await Promise.all([
      read('index.hbs'),
      read('redline.hbs'),
      read('series.hbs'),
      read('search.hbs'),
      read('index.css'),
      read('redline.css'),
      read('series.css'),
      read('search.css'),
      read('search.js'),
    ]);
  const templates = {
    index: hb.compile(index, options),
    redline: hb.compile(redline, options),
    series: hb.compile(series, options),
    search: hb.compile(search, options),
  };
  return {
    css: { index: indexCss, redline: redlineCss, series: seriesCss, search: searchCss },
    searchScript: script,
    render(name, data, css) {
      assertStyleSafe(css);
      return templates[name]({ ...data, stylesheet: new hb.SafeString(css) });
    },
  };
}
