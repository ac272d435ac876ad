/**
 * `memo publish <source>`: build the memo and store it as the next version of
 * that memo in the archive.
 *
 * 1. Read and compile the source; a memo with errors is refused (its problems
 *    are on the vfile, reported like `memo build`'s).
 * 2. Refuse placeholders and a `date` older than the newest version's, unless forced.
 * 3. Render HTML and PDF (the slow part, done before taking the memo's
 *    lock, holding one of the machine's browser slots), then close the browser.
 * 4. Holding the memo's lock: number, write, flush and rename the version
 *    into place (add-version.ts); then rebuild the index under its own lock.
 *
 * The memo files carry no version stamp and no clock value, so they are the
 * bytes `memo build` gives for the same source (the version and publication
 * time are in manifest.json and the index).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import type { ProjectConfig } from '../config/index.js';
import { checkedSlug, readSource } from '../io/sources.js';
import { describeFsError, errorTarget, isFsError } from '../io/fs-errors.js';
import { fail, pointAt, warn } from '../messages.js';
import type { MemoView } from '../render/view.js';
import { placeholdersRefused } from '../unified/remark-placeholders.js';
import { openSession } from '../session.js';
import type { MemoSession, SessionOptions } from '../session.js';
import { toolVersion } from '../version.js';
import { ArchiveStateError, addVersion, newestVersion } from './add-version.js';
import type { Newest } from './add-version.js';
import { VersionExistsError } from './durable.js';
import { gitInfo } from './git.js';
import type { GitInfo } from './git.js';
import { displayTime } from './display-time.js';
import { loadIndexKit, recordVersions } from './index-page.js';
import { archiveNotes } from './publish-notes.js';
import {
  ALWAYS_ARCHIVED,
  MANIFEST,
  MEMO_LOCK,
  RESERVED_NAMES,
  SERIES_DIR,
  VERSION_FILES,
  memoFolder,
} from './layout.js';
import type { BibliographyFileName } from './layout.js';
import { resolveFormats } from '../render/formats/index.js';
import type { FormatRequest } from '../render/formats/index.js';
import { LockError, describeOwner } from './lock.js';
import type { Manifest } from './manifest.js';
import { MANIFEST_FORMAT, fileEntryOf, sha256Hex } from './manifest.js';
import { withRenderSlot } from './render-slots.js';
import type { RenderSlotOptions } from './render-slots.js';
import { archivedSeriesMemos } from './series-memos.js';

export interface PublishOptions extends Pick<SessionOptions, 'executablePath' | 'env' | 'config'> {
  /** The archive folder (default `archive`), relative to cwd. */
  readonly archiveDir: string;
  readonly cwd?: string;
  /** Publish despite placeholders or a date that goes backwards; the reason goes into the manifest. */
  readonly forceReason?: string;
  /** How long to wait for another publish of the same memo (default 120 s). */
  readonly lockTimeoutMs?: number;
  /** Called when another publish of the memo holds its lock, as waiting for it begins. */
  readonly onLockWait?: (lockPath: string, holder: string) => void;
  /** The machine-wide limit on browsers printing at once (render-slots.ts). */
  readonly renderSlots?: RenderSlotOptions;
  /** Formats published besides HTML and PDF, which every version has (`docx`). */
  readonly formats?: FormatRequest;
  /** What changed in this version (`--note`), kept in the manifest and shown in the index. */
  readonly note?: string;
  /** Refuse a source with changes not committed to git, or not in git at all. */
  readonly requireCommitted?: boolean;
}

export interface PublishResult {
  /** The source, with its problems. */
  readonly file: VFile;
  /** Notes about the archive itself (stale lock or temporary folder removed). */
  readonly archiveFiles: readonly VFile[];
  readonly published:
    | {
        readonly slug: string;
        readonly version: number;
        readonly folder: string;
        readonly files: readonly string[];
      }
    | undefined;
}

class Refused extends Error {
  override name = 'Refused';
}

/** The `date:` line of the source, for messages about the date. */
function datePlace(text: string) {
  const match = /^date[ \t]*:/m.exec(text);
  return match === null ? { line: 1, column: 1 } : pointAt(text, match.index);
}

function dateCheck(file: VFile, text: string, date: string, forceReason: string | undefined) {
  return (newest: Newest | undefined): void => {
    if (newest === undefined || date >= newest.manifest.date || forceReason !== undefined) return;
    fail(
      file,
      `\`date\` ${date} is older than the newest published version, v${newest.version} (dated ${newest.manifest.date}): ` +
        'a new version must not be dated before the previous one; correct the date, or publish anyway with --force "reason"',
      datePlace(text),
      'archive-date-older',
    );
    throw new Refused('date');
  };
}

/** Refuse a version whose files are byte for byte the newest version's: there is nothing new. */
function unchangedCheck(file: VFile, files: Manifest['files']) {
  return (newest: Newest | undefined): void => {
    if (newest === undefined) return;
    const same = VERSION_FILES.every(
      (name) => newest.manifest.files[name].sha256 === files[name].sha256,
    );
    if (!same) return;
    fail(
      file,
      `nothing new to publish: the source, HTML and PDF are byte for byte version ${newest.version} ` +
        `(published ${displayTime(newest.manifest.published_at)}); change the memo, then publish again`,
      undefined,
      'archive-unchanged',
    );
    throw new Refused('unchanged');
  };
}

/** Warn about (or, with --require-committed, refuse) a source git does not have as it is. */
function committedCheck(file: VFile, git: GitInfo | null, required: boolean): 'ok' | 'refused' {
  if (git === null) {
    if (!required) return 'ok';
    fail(
      file,
      `this file is not in a git repository, and --require-committed asks for a committed source; commit it in the project's repository, or publish without --require-committed`,
      undefined,
      'archive-uncommitted',
    );
    return 'refused';
  }
  if (!git.uncommitted_changes) return 'ok';
  const what =
    git.commit === null
      ? 'this file was never committed to git'
      : `this file has changes not committed to git since commit ${git.commit.slice(0, 7)}`;
  if (required) {
    fail(
      file,
      `${what}, and --require-committed asks for a committed source; commit it (\`git commit ${git.path}\`), then publish again`,
      undefined,
      'archive-uncommitted',
    );
    return 'refused';
  }
  warn(
    file,
    `${what}: the version records that, but no commit holds its source; commit it, or use --require-committed to refuse such a publish`,
    undefined,
    'archive-uncommitted',
  );
  return 'ok';
}

function memoSnapshot(view: MemoView, file: VFile): Manifest['memo'] {
  return {
    subtitle: view.subtitle,
    authors: [...view.authors],
    organization: view.organization,
    classification: view.classification,
    summary: view.summary,
    lang: view.lang,
    paper: view.paper,
    distribution: [...view.distribution],
    // As written in the front matter (the view's titles have typographic quotes): the
    // series compares them with the next memo's front matter (frontmatter/series.ts).
    recommendations: (file.data.frontMatter?.recommendations ?? view.recommendations).map(
      ({ id, title, status }) => ({ id, title, status }),
    ),
    series: view.series,
    blocks: file.data.blocks ?? [],
  };
}

interface Rendered {
  readonly view: MemoView;
  readonly html: string;
  readonly pdf: Uint8Array;
  readonly chromium: string;
  /** The HTML renderer's fingerprint (templates, styles, fonts). */
  readonly templates: string;
}

/** The files of the formats asked for besides HTML and PDF, from the memo already rendered; undefined when one failed. */
async function renderOthers(
  file: VFile,
  rendered: Rendered,
  options: PublishOptions,
): Promise<Record<string, Uint8Array | string> | undefined> {
  const files: Record<string, Uint8Array | string> = {};
  const formats = resolveFormats(options.formats ?? []).filter(
    (format) => !ALWAYS_ARCHIVED.includes(format.name),
  );
  for (const format of formats) {
    const bytes = await format.render({
      file,
      view: rendered.view,
      html: () => rendered.html,
      print: () => Promise.resolve(rendered.pdf),
      env: options.env ?? process.env,
    });
    if (bytes === undefined) return undefined;
    files[format.fileName] = bytes;
  }
  return files;
}

async function renderView(
  file: VFile,
  view: MemoView,
  session: MemoSession,
): Promise<Rendered | undefined> {
  const html = session.renderHtml(view);
  const pdf = await session.renderPdf(file, view, html);
  const chromium = await session.browserVersion();
  if (pdf === undefined || chromium === null) return undefined;
  return { view, html, pdf, chromium, templates: session.html.fingerprint };
}

export async function publishMemo(source: string, options: PublishOptions): Promise<PublishResult> {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, source);
  const archive = path.resolve(cwd, options.archiveDir);
  const file = new VFile({ path: path.relative(cwd, absolute), cwd });
  const refused: PublishResult = { file, archiveFiles: [], published: undefined };
  const bytes = await readSource(file, absolute);
  if (bytes === undefined) return refused;
  file.value = bytes;
  const slug = checkedSlug(file, absolute, 'archive-slug');
  if (slug === undefined) return refused;
  if (RESERVED_NAMES.includes(slug)) {
    fail(
      file,
      `a memo cannot be named \`${slug}\`: the archive keeps its ${slug === SERIES_DIR ? 'series pages' : 'search page'} in \`${slug}/\`; rename the file`,
      undefined,
      'archive-slug',
    );
    return refused;
  }
  const text = Buffer.from(bytes).toString('utf8');
  const git = gitInfo(absolute, options.env);
  // Before rendering: a refused source costs no browser.
  if (options.requireCommitted === true && committedCheck(file, await git, true) === 'refused')
    return refused;
  try {
    // Before rendering, so a refused memo costs no browser; checked again under the lock.
    const preview = await newestVersion(archive, slug);
    const rendered = await renderChecked(file, text, preview, options);
    if (rendered === undefined) return refused;
    const bibliography = storedBibliography(file);
    const manifest: Omit<Manifest, 'version' | 'published_at' | 'files' | 'previous'> = {
      format: MANIFEST_FORMAT,
      slug,
      title: rendered.view.title,
      date: rendered.view.date,
      forced_reason: options.forceReason ?? null,
      note: options.note ?? null,
      tool: { name: 'memo-press', version: toolVersion() },
      chromium: rendered.chromium,
      templates_sha256: rendered.templates,
      config: await configRecord(options.config, cwd),
      source: { file: path.basename(absolute), git: await git },
      memo: memoSnapshot(rendered.view, file),
    };
    const extra = await renderOthers(file, rendered, options);
    if (extra === undefined) return refused;
    const files = {
      'memo.html': rendered.html,
      'memo.pdf': rendered.pdf,
      'source.md': bytes,
      ...extra,
      ...(bibliography === undefined ? {} : { [bibliography.name]: bibliography.bytes }),
    };
    const checkDate = dateCheck(file, text, rendered.view.date, options.forceReason);
    const checkUnchanged = unchangedCheck(file, {
      'memo.html': fileEntryOf(files['memo.html']),
      'memo.pdf': fileEntryOf(files['memo.pdf']),
      'source.md': fileEntryOf(files['source.md']),
    });
    const added = await addVersion({
      archive,
      slug,
      files,
      manifest,
      check: (newest) => {
        checkUnchanged(newest);
        checkDate(newest);
      },
      record: async (entries) =>
        recordVersions(archive, entries, await loadIndexKit(), {
          ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
        }),
      lock: {
        ...(options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs }),
        onWait: (owner) =>
          options.onLockWait?.(
            path.relative(cwd, path.join(memoFolder(archive, slug), MEMO_LOCK)),
            describeOwner(owner),
          ),
      },
    });
    committedCheck(file, await git, false);
    return {
      file,
      archiveFiles: archiveNotes(added, archive, cwd),
      published: {
        slug,
        version: added.version,
        folder: path.relative(cwd, added.folder),
        files: [...Object.keys(files), MANIFEST],
      },
    };
  } catch (error) {
    if (error instanceof Refused) return refused;
    if (
      error instanceof ArchiveStateError ||
      error instanceof LockError ||
      error instanceof VersionExistsError
    ) {
      fail(file, `not published: ${error.message}`, undefined, 'archive-state');
      return refused;
    }
    if (!isFsError(error)) throw error;
    const reason = await describeFsError(error, 'write', errorTarget(error, archive), cwd);
    fail(file, `not published: ${reason}`, undefined, 'archive-write');
    return refused;
  } finally {
    await git.catch(() => null);
  }
}

/** The bibliography the memo was built from, under its archive name. */
function storedBibliography(
  file: VFile,
): { readonly name: BibliographyFileName; readonly bytes: Uint8Array } | undefined {
  const read = file.data.bibliography;
  if (read === undefined) return undefined;
  const name = read.file.toLowerCase().endsWith('.json') ? 'bibliography.json' : 'bibliography.bib';
  return { name, bytes: read.bytes };
}

/** The config file the memo was built with, and its hash. */
async function configRecord(
  config: ProjectConfig | undefined,
  cwd: string,
): Promise<Manifest['config']> {
  if (config?.file === undefined || config.file === null) return null;
  return {
    file: path.basename(config.file),
    sha256: sha256Hex(await readFile(path.resolve(cwd, config.file))),
  };
}

async function renderChecked(
  file: VFile,
  text: string,
  newest: Newest | undefined,
  options: PublishOptions,
): Promise<Rendered | undefined> {
  // Compile first (fast, no browser): errors and the date are checked before printing.
  const session = await openSession({
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.config === undefined ? {} : { config: options.config }),
    // Published memos name only published memos: the archive alone, never the drafts beside the source.
    series: await archivedSeriesMemos(
      path.resolve(options.cwd ?? process.cwd(), options.archiveDir),
    ),
  });
  try {
    const view = await session.compile(file);
    if (view === undefined) return undefined;
    if (options.forceReason === undefined && placeholdersRefused(file)) return undefined;
    dateCheck(file, text, view.date, options.forceReason)(newest);
    // The browser starts, prints and closes inside a slot: no idle browsers wait for locks.
    return await withRenderSlot(options.renderSlots ?? {}, async () => {
      try {
        return await renderView(file, view, session);
      } finally {
        await session.close();
      }
    });
  } finally {
    await session.close();
  }
}
