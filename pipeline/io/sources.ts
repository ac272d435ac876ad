/**
 * Find the memo sources named on the command line: files as given, folders
 * searched recursively for `*.md` (hidden folders and node_modules skipped),
 * in a stable (sorted) order.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface SourceList {
  readonly files: string[];
  /** Paths that don't exist or hold no memo. */
  readonly missing: string[];
}

async function walk(folder: string, into: string[]): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await walk(full, into);
    else if (entry.isFile() && entry.name.endsWith('.md')) into.push(full);
  }
}

export async function findSources(paths: readonly string[], cwd: string): Promise<SourceList> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    try {
      const info = await stat(full);
      if (info.isDirectory()) {
        const found: string[] = [];
        await walk(full, found);
        if (found.length === 0) missing.push(given);
        files.push(...found);
      } else {
        files.push(full);
      }
    } catch {
      missing.push(given);
    }
  }
  return { files: [...new Set(files)], missing };
}

/** The memo's slug: its file name without `.md`. */
export function slugOf(file: string): string {
  return path.basename(file).replace(/\.md$/i, '');
}
