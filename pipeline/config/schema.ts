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

/** `memos@example.org` or `Policy Office <memos@example.org>`. */
const MAILBOX = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/u;

/** How `memo distribute --send` reaches the mail server (pipeline/archive/distribution/deliver.ts). */
export const smtpSchema = z
  .strictObject({
    host: text,
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    from: text.regex(MAILBOX, {
      error:
        'must be an address, such as `memos@example.org` or `Policy Office <memos@example.org>`',
    }),
    user: text.optional(),
    /** The name of the environment variable that holds the password; never the password itself. */
    passwordEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, {
        error: 'must be the name of an environment variable, such as `MEMO_SMTP_PASSWORD`',
      })
      .optional(),
    password: z
      .unknown()
      .refine((value) => value === undefined, {
        error:
          'a password must not be written in the config, which everyone who has the memos can read: put it in an environment variable and name that variable in `passwordEnv`',
      })
      .optional(),
  })
  .refine((smtp) => (smtp.user === undefined) === (smtp.passwordEnv === undefined), {
    error: 'give both `user` and `passwordEnv` (a server that needs a login), or neither',
    path: [],
  });

export type SmtpConfig = z.output<typeof smtpSchema>;

export const configSchema = z.strictObject({
  /** Defaults every memo inherits and may override. */
  organization: field.organization.optional(),
  program: field.program,
  template: text.optional(),
  paper: field.paper.unwrap().optional(),
  notes: field.notes.unwrap().optional(),
  /** `true`, `false` or `"auto"` (JSON booleans or the front matter's words). */
  toc: z.union([z.boolean(), z.string()]).transform(String).pipe(field.toc.unwrap()).optional(),
  toc_depth: z
    .union([z.number(), z.string()])
    .transform(String)
    .pipe(field.toc_depth.unwrap())
    .optional(),
  end_matter: field.end_matter.unwrap().optional(),
  classification: field.classification,
  lang: field.lang.unwrap().optional(),
  /** A bibliography every memo uses unless it names its own, relative to each memo. */
  bibliography: field.bibliography,
  csl: field.csl.unwrap().optional(),
  /** Named recipient lists: `distribution: [nsc-state-dhs]` in a memo expands to the list. */
  distributionLists: z
    .record(z.string().regex(SLUG_PATTERN, { error: 'slug' }), z.array(text).min(1))
    .default({}),
  /**
   * People copies go to (`memo distribute`), by id: a memo's `distribution` or
   * a list may name the id; the printed block shows the office, never the e-mail.
   */
  recipients: z
    .record(
      z.string().regex(SLUG_PATTERN, { error: 'slug' }),
      z.strictObject({
        name: text,
        office: text,
        title: text.optional(),
        email: z
          .email({ error: 'must be an e-mail address such as `jane.doe@example.gov`' })
          .optional(),
      }),
    )
    .optional(),
  /** Folders, relative to the config file's folder. */
  sourcesDir: folder.optional(),
  outDir: folder.optional(),
  archiveDir: folder.optional(),
  templatesDir: folder.optional(),
  /**
   * Where `memo preview` links each problem's place: `{path}` (the absolute
   * path, starting with `/`), `{line}` and `{column}` are filled in.
   */
  editorUrl: text
    .refine((value) => value.includes('{path}'), {
      error: 'must contain `{path}`, such as `vscode://file{path}:{line}:{column}`',
    })
    .refine((value) => /^[a-z][a-z0-9+.-]*:/iu.test(value), {
      error: "must start with the editor's link scheme, such as `vscode:` or `idea:`",
    })
    .refine((value) => !/^(?:javascript|data|vbscript):/iu.test(value), {
      error: 'must open an editor, not run a script: use a scheme such as `vscode:`',
    })
    .optional(),
  /** The mail server of `memo distribute --send`. */
  smtp: smtpSchema.optional(),
});

/** The editor link of `memo preview` when the config names none (Visual Studio Code). */
export const DEFAULT_EDITOR_URL = 'vscode://file{path}:{line}:{column}';

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
  'notes',
  'toc',
  'toc_depth',
  'end_matter',
  'classification',
  'lang',
  'bibliography',
  'csl',
] as const;

export const FOLDER_KEYS = ['sourcesDir', 'outDir', 'archiveDir', 'templatesDir'] as const;

export const CONFIG_KEYS: readonly string[] = Object.keys(configSchema.shape);

/** The config of a project without a config file. */
export function emptyConfig(): ProjectConfig {
  return { distributionLists: {}, file: null };
}
