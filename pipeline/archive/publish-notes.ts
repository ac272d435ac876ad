/** Warnings about what a publish found and repaired in the memo's archive folder. */
import path from 'node:path';
import { VFile } from 'vfile';
import { warn } from '../messages.js';
import type { AddedVersion } from './add-version.js';
import { MEMO_LOCK, memoFolder, versionName } from './layout.js';
import { describeOwner } from './lock.js';

/** Stale locks and temporary folders removed, unrecorded versions recorded. */
export function archiveNotes(added: AddedVersion, archive: string, cwd: string): VFile[] {
  const note = (name: string, reason: string, rule: string): VFile => {
    const where = path.join(memoFolder(archive, added.manifest.slug), name);
    const file = new VFile({ path: path.relative(cwd, where), cwd });
    warn(file, reason, undefined, rule);
    return file;
  };
  return [
    ...added.removedLocks.map((owner) =>
      note(
        MEMO_LOCK,
        `removed a stale lock held by ${describeOwner(owner)}, a publish that was killed or crashed`,
        'archive-stale-lock',
      ),
    ),
    ...added.adopted.map((version) =>
      note(
        versionName(version),
        `recorded version ${version}, which a publish that was interrupted had written but not yet listed in the index`,
        'archive-unfinished',
      ),
    ),
    ...added.removedTemps.map((name) =>
      note(
        name,
        'removed the temporary folder of an interrupted publish (it never became a version)',
        'archive-stray-temp',
      ),
    ),
  ];
}
