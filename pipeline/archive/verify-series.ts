/**
 * `memo verify` of archive/series/: every series folder and file the archive's
 * memos call for (series-files.ts, rebuilt from versions.json and the
 * manifests and compared byte for byte), and nothing else.
 */
import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { describeCause } from '../io/fs-errors.js';
import { SERIES_DIR, errorCode } from './layout.js';
import type { LedgerEntry } from './ledger.js';
import { NotRegularError, kindOf, readRegular } from './safe-read.js';
import { isStraySeriesTemp, renderSeriesFiles } from './series-files.js';
import type { ArchivePageKit } from './page-kit.js';
import { REWRITE } from './verify-problems.js';
import type { Problems } from './verify-problems.js';

/** Far above any series page's size (40 memos × 30 recommendations is ~100 kB). */
const MAX_SERIES_FILE_BYTES = 64 * 1024 * 1024;

async function entries(folder: string): Promise<Dirent[]> {
  try {
    return await readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

export async function checkSeries(
  archive: string,
  kit: ArchivePageKit,
  present: Dirent | undefined,
  recorded: readonly LedgerEntry[],
  problems: Problems,
): Promise<number> {
  const root = path.join(archive, SERIES_DIR);
  const expected = await renderSeriesFiles(archive, kit, recorded);
  if (present !== undefined && !present.isDirectory()) {
    problems.error(
      root,
      `is ${kindOf(present)}, where the archive keeps its series pages in a folder; remove it, and the next \`memo publish\` rewrites them`,
      present.isSymbolicLink() ? 'archive-file-type' : 'archive-unexpected',
    );
    return 0;
  }
  const folders = present === undefined ? [] : await entries(root);
  for (const entry of folders) {
    if (!entry.isDirectory() || !expected.has(entry.name)) {
      problems.error(
        path.join(root, entry.name),
        `is not part of the archive (${kindOf(entry)}): \`${SERIES_DIR}/\` holds one folder per series of the published memos`,
        entry.isSymbolicLink() ? 'archive-file-type' : 'archive-unexpected',
      );
    }
  }
  let checked = 0;
  for (const [series, files] of expected) {
    const folder = path.join(root, series);
    const found = folders.find((entry) => entry.name === series && entry.isDirectory());
    if (found === undefined) {
      problems.derived(
        folder,
        `is missing: the archive has memos of the series \`${series}\`; ${REWRITE}`,
        'archive-missing',
      );
      continue;
    }
    const names = new Map(files);
    for (const entry of await entries(folder)) {
      if (names.has(entry.name) && entry.isFile()) continue;
      const target = path.join(folder, entry.name);
      if (isStraySeriesTemp(entry.name) && entry.isFile())
        problems.warning(
          target,
          'left by an interrupted publish; the next publish removes it',
          'archive-stray-temp',
        );
      else
        problems.error(
          target,
          `is not part of the archive (${kindOf(entry)}): a series folder holds only ${files.map(([name]) => name).join(', ')}`,
          entry.isSymbolicLink() ? 'archive-file-type' : 'archive-unexpected',
        );
    }
    for (const [name, content] of files) {
      const target = path.join(folder, name);
      let bytes: Uint8Array;
      try {
        bytes = await readRegular(target, MAX_SERIES_FILE_BYTES);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') {
          problems.derived(target, `is missing; ${REWRITE}`, 'archive-missing');
        } else if (!(error instanceof NotRegularError)) {
          problems.error(
            target,
            `cannot be read: ${describeCause(errorCode(error))}`,
            'archive-index',
          );
        }
        continue;
      }
      checked += 1;
      if (Buffer.from(bytes).equals(Buffer.from(content, 'utf8'))) continue;
      problems.derived(
        target,
        `differs from the one rebuilt from versions.json and the manifests: it was edited, or written by another version of memo-press; ${REWRITE}`,
        'archive-index',
      );
    }
  }
  return checked;
}
