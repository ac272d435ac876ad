/** Where the project's own files (templates, styles, package.json) live. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding memo-press's package.json, found from this module's location. */
export function projectRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      existsSync(path.join(folder, 'package.json')) &&
      existsSync(path.join(folder, 'templates'))
    ) {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('memo-press: cannot find its own package.json');
    folder = parent;
  }
}
