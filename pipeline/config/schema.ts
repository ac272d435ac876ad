/**
 * The project config schema (`memo.config.json`, `.ts` or `.js`): the single
 * source of truth for its fields and their types. The memo defaults reuse the
 * front matter's own field rules, so a value the config accepts is a value a
 * memo accepts (except `template`, whose names depend on the templates folder
 * and are checked on each memo).
 */
import { z } from 'zod';
import { frontMatterSchema } from '../frontmatter/schema.js';
import { SLUG_PATTERN } from '../util/slug.js';

const field = frontMatterSchema.shape;
const text = z.string().trim().min(1);
const folder = text;

export const configSchema = z.strictObject({
  /** Defaults every memo inherits and may override. */
  organization: field.organization.optional(),
  program: field.program,
  template: text.optional(),
  paper: field.paper.unwrap().optional(),
  classification: field.classification,
  lang: field.lang.unwrap().optional(),
  /** Named recipient lists: `distribution: [nsc-state-dhs]` in a memo expands to the list. */
  distributionLists: z
    .record(z.string().regex(SLUG_PATTERN, { error: 'slug' }), z.array(text).min(1))
    .default({}),
  /** Folders, relative to the config file's folder. */
  sourcesDir: folder.optional(),
  outDir: folder.optional(),
  archiveDir: folder.optional(),
  templatesDir: folder.optional(),
});

/** What a config file holds (the argument of `defineConfig`). */
export type ProjectConfigInput = z.input<typeof configSchema>;

/** A loaded config: validated, folders made absolute. */
export type ProjectConfig = z.output<typeof configSchema> & {
  /** The config file as the user would name it (relative to the working directory), or null when there is none. */
  readonly file: string | null;
};

/** The front matter fields a config may give a default for. */
export const MEMO_DEFAULT_KEYS = [
  'organization',
  'program',
  'template',
  'paper',
  'classification',
  'lang',
] as const;

export const FOLDER_KEYS = ['sourcesDir', 'outDir', 'archiveDir', 'templatesDir'] as const;

export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);

/** The config of a project without a config file. */
export function emptyConfig(): ProjectConfig {
  return { distributionLists: {}, file: null };
}
