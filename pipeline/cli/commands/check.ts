/**
 * `memo check [paths…] [--frail]`: every problem of the memos, without
 * writing or printing anything: the build's errors, plus the lint warnings
 * (heading levels, alt text, link text, empty sections, recommendations).
 * The HTML is rendered in memory, so a broken template shows too; the PDF
 * renderer (puppeteer, Chromium) is never loaded.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { VFile } from 'vfile';
import { loadProjectConfig } from '../../config/index.js';
import type { ProjectConfig } from '../../config/index.js';
import { checkedSlug, findSources, readSource } from '../../io/sources.js';
import { fail, hasErrors } from '../../messages.js';
import type { CliIo } from '../io.js';
import { configOption, templatesOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport } from '../report.js';
import type { ReporterName } from '../report.js';

interface CheckFlags {
  readonly frail?: boolean;
  readonly config?: string;
  readonly templates?: string;
  readonly reporter: ReporterName;
}

interface CheckOptions {
  readonly cwd: string;
  readonly config: ProjectConfig;
  readonly templates?: string;
}

/** Handlebars' strict mode says `"author" not defined in [object Object] - 1:44` (0-based column). */
function templateProblem(error: unknown, template: string): string {
  const reason = error instanceof Error ? error.message : String(error);
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
  const { openSession } = await import('../../session.js');
  const session = await openSession({
    config: options.config,
    lint: true,
    ...(options.templates === undefined ? {} : { templateOverridesDir: options.templates }),
  });
  try {
    for (const source of sources.files) {
      const file = new VFile({ path: path.relative(cwd, source), cwd });
      files.push(file);
      const bytes = await readSource(file, source);
      // The same slug rule as `build` and `publish`: a memo they would refuse is an error here too.
      if (bytes === undefined || checkedSlug(file, source) === undefined) continue;
      file.value = bytes;
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

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('report every problem of memos (errors and warnings) without building them')
    .argument('[paths...]', 'memo files or folders (default: sources, or sourcesDir of the config)')
    .option('--frail', 'exit 1 on warnings too')
    .addOption(configOption())
    .addOption(templatesOption())
    .addOption(reporterOption())
    .action(async (paths: string[], flags: CheckFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const loaded = await loadProjectConfig(io.cwd, flags.config);
      if (loaded.config === undefined) {
        if (loaded.file !== undefined)
          io.stderr.write(`${formatReport([loaded.file], { reporter: flags.reporter, color })}\n`);
        setExit(1);
        return;
      }
      const config = loaded.config;
      const given = paths.length > 0 ? paths : [config.sourcesDir ?? 'sources'];
      const files = await checkMemos(given, {
        cwd: io.cwd,
        config,
        ...(flags.templates === undefined
          ? {}
          : { templates: path.resolve(io.cwd, flags.templates) }),
      });
      const report = formatReport(files, { reporter: flags.reporter, color });
      const memos = files.length;
      if (report === '')
        io.stderr.write(`${memos} memo${memos === 1 ? '' : 's'} checked: no problems\n`);
      else io.stderr.write(`${report}\n`);
      const errors = files.some(hasErrors);
      const warnings = files.some((file) =>
        file.messages.some((message) => message.fatal !== true),
      );
      setExit(errors || (flags.frail === true && warnings) ? 1 : 0);
    });
}
