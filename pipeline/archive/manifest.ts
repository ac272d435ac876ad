/**
 * `manifest.json`: what a published version is, and the SHA-256 of each of its
 * files. The zod schema is the type; a manifest read back from disk is
 * validated before anything trusts it.
 *
 * The only clock value is `published_at`. Everything else is derived from the
 * source, the rendered files and the archive, and the memo files themselves
 * carry no version stamp, so a version's memo.html and memo.pdf are the very
 * bytes `memo build` gives for the same source.
 */
import { sha256Hex } from '../util/hash.js';
import { z } from 'zod';
import { PAPERS, STATUSES, isRealDate } from '../frontmatter/schema.js';
import { BLOCK_KINDS } from '../unified/data.js';
import { SLUG_PATTERN } from '../util/slug.js';
import { FORMATS } from '../render/formats/index.js';
import { ALWAYS_ARCHIVED, MAX_NOTE_CHARS, errorCode } from './layout.js';
import { NotRegularError, readRegular } from './safe-read.js';

/** More than the manifest of the largest memo (4 MB of source, its text blocks JSON-escaped). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * /2 may list a file for each archived output format beyond HTML and PDF
 * (`memo.docx`); /1, written before, lists exactly memo.html, memo.pdf and
 * source.md. Both are read and verified alike (docs/archive.md, "Manifest formats").
 */
export const MANIFEST_FORMAT = 'memo-press-archive/2';
export const MANIFEST_FORMATS = ['memo-press-archive/1', MANIFEST_FORMAT] as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits' });
const fileEntry = z.strictObject({ sha256, bytes: z.number().int().nonnegative() });

/** A version's files: always its HTML, PDF and source, and the files of any other format published with it. */
const filesSchema = z.strictObject({
  'memo.html': fileEntry,
  'memo.pdf': fileEntry,
  'source.md': fileEntry,
  /** The bibliography the memo's citations were formatted from, when it has one. */
  'bibliography.bib': fileEntry.optional(),
  'bibliography.json': fileEntry.optional(),
  ...Object.fromEntries(
    FORMATS.filter((format) => !ALWAYS_ARCHIVED.includes(format.name)).map((format) => [
      format.fileName,
      fileEntry.optional(),
    ]),
  ),
});

export const archivedRecommendationSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  status: z.enum(STATUSES),
});

/** A block of the memo's text (rehype-memo-blocks.ts). */
const textBlockSchema = z.strictObject({
  kind: z.enum(BLOCK_KINDS),
  level: z.number().int().min(0).max(6),
  text: z.string(),
});

export const manifestSchema = z.strictObject({
  format: z.enum(MANIFEST_FORMATS),
  slug: z.string().min(1),
  version: z.number().int().min(1),
  title: z.string().min(1),
  /** The memo's own `date` (YYYY-MM-DD). */
  date: z.string().refine(isRealDate, { error: 'expected a real date written YYYY-MM-DD' }),
  /** When `memo publish` added this version (UTC, ISO 8601): the one clock value. */
  published_at: z.iso.datetime(),
  /** The reason given with `--force` (publishing placeholders, or a memo dated before the previous version), else null. */
  forced_reason: z.string().min(1).nullable(),
  /** What changed, as given with `--note` (null when none); absent in versions published before. */
  note: z.string().min(1).max(MAX_NOTE_CHARS).nullable().optional(),
  files: filesSchema,
  /** The previous version and the SHA-256 of its manifest.json: a hash chain. */
  previous: z
    .strictObject({ version: z.number().int().min(1), manifest_sha256: sha256 })
    .nullable(),
  tool: z.strictObject({ name: z.literal('memo-press'), version: z.string().min(1) }),
  /** SHA-256 over every template, partial, stylesheet and font the memo was rendered with. */
  templates_sha256: sha256,
  /** The project config the memo was built with (memo.config.*), or null when there was none. */
  config: z.strictObject({ file: z.string().min(1), sha256 }).nullable(),
  chromium: z.string().min(1),
  source: z.strictObject({
    /** The source's file name as published. */
    file: z.string().min(1),
    /** null when the source was not inside a git work tree (or git is not installed). */
    git: z
      .strictObject({
        /** The last commit that touched the file; null when the file was never committed. */
        commit: z
          .string()
          .regex(/^[0-9a-f]{40,64}$/)
          .nullable(),
        /** The file's path inside the repository. */
        path: z.string().min(1),
        /** True when the published bytes differ from that commit (modified, staged or untracked). */
        uncommitted_changes: z.boolean(),
      })
      .nullable(),
  }),
  /** The front matter a reader and `memo diff` compare between versions. */
  memo: z.strictObject({
    subtitle: z.string().nullable(),
    authors: z.array(z.string()),
    organization: z.string(),
    classification: z.string().nullable(),
    summary: z.string().nullable(),
    lang: z.string().min(1),
    paper: z.enum(PAPERS),
    distribution: z.array(z.string()),
    recommendations: z.array(archivedRecommendationSchema),
    /** The memo's `series:` (null when none); absent in versions published before. */
    series: z.string().regex(SLUG_PATTERN).max(200).nullable().optional(),
    /** The body and notes as text blocks, as the pipeline cut them; absent in versions published before. */
    blocks: z.array(textBlockSchema).optional(),
  }),
});

export type Manifest = z.output<typeof manifestSchema>;
export type ArchivedRecommendation = z.output<typeof archivedRecommendationSchema>;
export type FileEntry = z.output<typeof fileEntry>;

export { sha256Hex };

export function fileEntryOf(bytes: Uint8Array | string): FileEntry {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return { sha256: sha256Hex(data), bytes: data.byteLength };
}

/** Stable bytes: two-space indentation, keys in schema order, final newline. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifestSchema.parse(manifest), null, 2)}\n`;
}

export type ManifestRead =
  | { readonly ok: true; readonly manifest: Manifest; readonly bytes: Uint8Array }
  | {
      readonly ok: false;
      readonly missing: boolean;
      readonly problem: string;
      readonly bytes?: Uint8Array;
    };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map(
      (issue) =>
        `${issue.path.length === 0 ? '(top level)' : issue.path.join('.')}: ${issue.message}`,
    )
    .join('; ');
}

/** Read and validate a manifest; a problem says what is wrong, never throws for bad content. */
export async function readManifest(file: string): Promise<ManifestRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegular(file, MAX_MANIFEST_BYTES);
  } catch (error) {
    if (error instanceof NotRegularError)
      return { ok: false, missing: false, problem: `manifest.json ${error.message}` };
    const missing = errorCode(error) === 'ENOENT';
    return {
      ok: false,
      missing,
      problem: missing
        ? 'manifest.json is missing'
        : `manifest.json cannot be read (${errorCode(error) ?? 'error'})`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, missing: false, problem: 'manifest.json is not valid JSON', bytes };
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      missing: false,
      problem: `manifest.json is not a memo-press manifest (${MANIFEST_FORMAT}): ${describeIssues(parsed.error)}`,
      bytes,
    };
  }
  return { ok: true, manifest: parsed.data, bytes };
}
