/**
 * `memo check`: every problem of the memos, without writing or printing
 * anything: the build's errors, plus the lint warnings (heading levels, alt
 * text, link text, empty sections, recommendations). The HTML is rendered in
 * memory, so a broken template shows too; the PDF renderer (puppeteer,
 * Chromium) is never loaded. Sources are read as the build reads them, with
 * the same size limit.
 */
import { VFile } from 'vfile';
import { readSource } from './build-jobs.js';
import type { ProjectConfig } from './config/index.js';
import { seriesForRun } from './archive/series-memos.js';
import { checkedSlug, findSources } from './io/sources.js';
import { fail, hasErrors } from './messages.js';
import { messageOf } from './util/errors.js';

export interface CheckOptions {
  readonly cwd: string;
  readonly config: ProjectConfig;
  /** The project's own templates folder (absolute); default: the config's `templatesDir`. */
  readonly templates?: string;
}

/** Handlebars' strict mode says `"author" not defined in [object Object] - 1:44` (0-based column). */
function templateProblem(error: unknown, template: string): string {
  const reason = messageOf(error);
  const missing = /^"([^"]+)" not defined in .* - (\d+):(\d+)$/.exec(reason);
  if (missing === null) return `the template \`${template}\` failed on this memo: ${reason}`;
  const [, field = '', line = '', column = ''] = missing;
  return `the template \`${template}\` reads \`${field}\` (line ${line}, column ${Number(column) + 1} of it or of a partial), which memos don't have; see the data templates receive`;
}

/** Check `paths`: one vfile per memo (and per missing path), each with its messages. */
export async function checkMemos(
  paths: readonly string[],
  options: CheckOptions,
): Promise<VFile[]> {
  const { cwd } = options;
  const sources = await findSources(paths, cwd);
  const files = sources.missing.map((given) => {
    const file = new VFile({ path: given, cwd });
    fail(file, 'no such file, or a folder with no `.md` memo in it', undefined, 'source-missing');
    return file;
  });
  if (sources.files.length === 0) return files;
  // Loaded on use: `memo --help` and the other commands never pay for the pipeline.
  const { openSession } = await import('./session.js');
  const session = await openSession({
    config: options.config,
    lint: true,
    series: await seriesForRun(paths, cwd, options.config.archiveDir),
    ...(options.templates === undefined ? {} : { templateOverridesDir: options.templates }),
  });
  try {
    for (const source of sources.files) {
      const { file } = await readSource(source, cwd);
      files.push(file);
      // The same slug rule as `build` and `publish`: a memo they would refuse is an error here too.
      if (hasErrors(file) || checkedSlug(file, source) === undefined) continue;
      const view = await session.compile(file);
      if (view === undefined) continue;
      try {
        session.renderHtml(view);
      } catch (error) {
        fail(file, templateProblem(error, view.template), undefined, 'template-render');
      }
    }
  } finally {
    await session.close();
  }
  return files;
}
