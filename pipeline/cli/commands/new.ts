/** `memo new <slug> [--template assessment|memorandum]`: start a memo from a commented skeleton. */
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import GithubSlugger from 'github-slugger';
import { loadProjectConfig } from '../../config/index.js';
import { SKELETONS } from '../../config/skeletons.js';
import type { SkeletonName } from '../../config/skeletons.js';
import type { CliIo } from '../io.js';
import { configOption } from '../options.js';
import { useColor } from '../io.js';
import { reportNotLoaded } from '../report.js';
import { isSlug } from '../../util/slug.js';

interface NewFlags {
  readonly template?: SkeletonName;
  readonly config?: string;
}

function isSkeleton(name: string | undefined): name is SkeletonName {
  return SKELETONS.some((skeleton) => skeleton === name);
}

/** What to suggest for a slug that isn't one: `Border Trade.md` → `border-trade`. */
function suggestSlug(given: string): string {
  const slug = new GithubSlugger()
    .slug(given.replace(/\.md$/i, ''))
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
  return isSlug(slug) ? ` such as \`${slug}\`` : '';
}

export function registerNew(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('new')
    .description('start a memo: write sources/<slug>.md from a skeleton with every field explained')
    .argument('<slug>', "the memo's file name without .md (lowercase letters, digits, hyphens)")
    .addOption(
      new Option(
        '-t, --template <name>',
        "skeleton (default: the config's template, else assessment)",
      ).choices([...SKELETONS]),
    )
    .addOption(configOption())
    .action(async (slug: string, flags: NewFlags, command: Command) => {
      // Loaded here, not at start-up: Handlebars is no other command's first need.
      const { localDate, renderNewMemo, writeNewFile } = await import('../../config/new-memo.js');
      if (!isSlug(slug)) {
        io.stderr.write(
          `memo new: \`${slug}\` is not a slug: use lowercase letters, digits and single hyphens${suggestSlug(slug)}; it names the file and the output folder\n`,
        );
        setExit(2);
        return;
      }
      const loaded = await loadProjectConfig(io.cwd, flags.config);
      if (loaded.config === undefined) {
        const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
        reportNotLoaded(io.stderr, loaded.file, { reporter: 'compact', color }, setExit);
        return;
      }
      const config = loaded.config;
      const template = flags.template ?? config.template ?? 'assessment';
      const skeleton: SkeletonName = isSkeleton(template) ? template : 'assessment';
      const target = path.join(path.resolve(io.cwd, config.sourcesDir ?? 'sources'), `${slug}.md`);
      const shown = path.relative(io.cwd, target);
      const text = await renderNewMemo({
        slug,
        skeleton,
        template,
        date: localDate(),
        config,
        displayPath: shown,
      });
      if (!(await writeNewFile(target, text))) {
        io.stderr.write(
          `memo new: ${shown} already exists; edit it, or choose another slug (nothing was written)\n`,
        );
        setExit(1);
        return;
      }
      io.stdout.write(`created ${shown}\nedit it, then run: memo check ${shown}\n`);
      setExit(0);
    });
}
