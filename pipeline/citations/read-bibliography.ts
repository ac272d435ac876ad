/**
 * Find and read a memo's bibliography file: a path relative to the memo that
 * stays inside the memo's folder (no `../`, no absolute path, no symbolic link
 * leading out), a regular file of at most 5 MB, `.bib` or `.json`.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { readBoundedSync } from '../io/read-bounded.js';
import { parseBibtex, parseCslJson } from './bibliography.js';
import type { ParsedBibliography } from './bibliography.js';

const MAX_BYTES = 5 * 1024 * 1024;

export type ReadBibliography =
  | {
      readonly ok: true;
      readonly file: string;
      readonly bytes: Uint8Array;
      readonly parsed: ParsedBibliography;
    }
  | { readonly ok: false; readonly reason: string };

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `name` as the writer typed it, resolved in `folder` (the memo's). */
export function readBibliography(folder: string, name: string): ReadBibliography {
  const shown = `\`${name}\``;
  const kind = path.extname(name).toLowerCase();
  if (kind !== '.bib' && kind !== '.json') {
    return {
      ok: false,
      reason: `bibliography ${shown} must be a BibTeX file (\`.bib\`) or a CSL-JSON file (\`.json\`), as Zotero exports them`,
    };
  }
  const target = path.resolve(folder, name);
  const outside = `bibliography ${shown} is outside the memo's folder: keep the file in the memo's folder or below it`;
  if (path.isAbsolute(name) || !isInside(folder, target)) return { ok: false, reason: outside };
  let real = target;
  try {
    real = realpathSync(target);
    if (!isInside(realpathSync(folder), real)) return { ok: false, reason: outside };
  } catch {
    // missing: reported below
  }
  const read = readBoundedSync(real, MAX_BYTES);
  if (!read.ok) {
    const reason =
      read.problem === 'missing'
        ? `bibliography ${shown} was not found in the memo's folder: check the file name, or export your sources there (BibTeX or CSL-JSON)`
        : read.problem === 'too-large'
          ? `bibliography ${shown} is larger than 5 MB: export only the sources of this project`
          : read.problem === 'not-a-file'
            ? `bibliography ${shown} is not a regular file`
            : `bibliography ${shown} could not be read: check that you are allowed to open it`;
    return { ok: false, reason };
  }
  const text = new TextDecoder().decode(read.bytes).replace(/^\uFEFF/, '');
  return {
    ok: true,
    file: real,
    bytes: read.bytes,
    parsed: kind === '.bib' ? parseBibtex(text) : parseCslJson(text),
  };
}
