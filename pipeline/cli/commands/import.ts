/** `memo import <draft.docx> [--slug SLUG] [--template NAME]`: a Word draft as a memo source. */
import path from 'node:path';
import type { Command } from 'commander';
import GithubSlugger from 'github-slugger';
import { loadProjectConfig } from '../../config/index.js';
import type { CliIo } from '../io.js';
import { configOption, reporterOption } from '../options.js';
import { useColor } from '../io.js';
import { formatReport, reportNotLoaded } from '../report.js';
import type { ReporterName } from '../report.js';
import { isSlug } from '../../util/slug.js';

interface ImportFlags {
  readonly slug?: string;
  readonly template?: string;
  readonly config?: string;
  readonly reporter: ReporterName;
}

/** `Draft v3 (final).docx` → `draft-v3-final`. */
function slugFromName(draft: string): string {
  return new GithubSlugger()
    .slug(path.basename(draft).replace(/\.docx$/i, ''))
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

export function registerImport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('import')
    .description('turn a Word draft (.docx) into sources/<slug>.md, its images beside it')
    .argument('<draft>', 'the Word document (.docx)')
    .option('--slug <slug>', "the memo's file name without .md (default: from the draft's name)")
    .option('-t, --template <name>', "the memo's template (default: the config's, else assessment)")
    .addOption(configOption())
    .addOption(reporterOption())
    .action(async (draft: string, flags: ImportFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const slug = flags.slug ?? slugFromName(draft);
      if (!isSlug(slug)) {
        io.stderr.write(
          `memo import: \`${slug}\` is not a slug: give one with --slug, in lowercase letters, digits and single hyphens; it names the memo's file and output folder\n`,
        );
        setExit(2);
        return;
      }
      const loaded = await loadProjectConfig(io.cwd, flags.config);
      if (loaded.config === undefined) {
        reportNotLoaded(io.stderr, loaded.file, { reporter: 'compact', color }, setExit);
        return;
      }
      const config = loaded.config;
      // Loaded here: mammoth, the Markdown writer and Handlebars (new-memo) cost nothing to the other commands.
      const [{ importDocx }, { localDate }] = await Promise.all([
        import('../../import/import-docx.js'),
        import('../../config/new-memo.js'),
      ]);
      const result = await importDocx({
        draft,
        cwd: io.cwd,
        slug,
        template: flags.template ?? config.template ?? 'assessment',
        config,
        today: localDate(),
      });
      const report = formatReport([result.file], { reporter: flags.reporter, color });
      if (report !== '') io.stderr.write(`${report}\n`);
      if (result.written.length === 0) {
        setExit(1);
        return;
      }
      const memo = result.written[0] ?? '';
      io.stdout.write(
        [
          ...result.written.map((written) => `created ${written}`),
          `fill in, in ${memo}:`,
          ...result.todo.map((line) => `  - ${line}`),
          `then run: memo check ${memo}`,
          '',
        ].join('\n'),
      );
      setExit(0);
    });
}
