/**
 * What a preview watches: the memo's folder (for the memo and its images),
 * the project config, the built-in templates and styles, and the project's
 * own templates folder when there is one.
 */
import path from 'node:path';
import { CONFIG_NAMES } from '../config/index.js';
import type { WatchSpec } from './watch.js';

export interface PreviewInputs {
  /** All absolute. */
  readonly source: string;
  readonly cwd: string;
  readonly templatesDir: string;
  readonly stylesDir: string;
  /** `--config FILE`, relative to cwd; default: any of CONFIG_NAMES in cwd. */
  readonly configPath?: string | undefined;
  readonly overridesDir?: string | undefined;
}

/**
 * Another file of the memo's folder that may be one of its images: not another
 * memo, and not an editor's swap, backup or temporary file (hidden or `~`),
 * which change all the time while typing. (Editors that save through a
 * temporary file rename it to the memo's own name, which counts.) A rebuild
 * that changes nothing reloads nothing anyway; this only saves the work.
 */
function isMemoAsset(name: string): boolean {
  const base = path.basename(name);
  return !base.toLowerCase().endsWith('.md') && !base.startsWith('.') && !base.endsWith('~');
}

export function watchSpecs(inputs: PreviewInputs): WatchSpec[] {
  const memoName = path.basename(inputs.source);
  const config =
    inputs.configPath === undefined ? undefined : path.resolve(inputs.cwd, inputs.configPath);
  const configNames: readonly string[] =
    config === undefined ? CONFIG_NAMES : [path.basename(config)];
  const folders = [inputs.templatesDir, inputs.stylesDir, inputs.overridesDir].filter(
    (folder): folder is string => folder !== undefined,
  );
  return [
    {
      id: 'memo',
      folder: path.dirname(inputs.source),
      recursive: false,
      reopen: false,
      accept: (name) => name === null || name === memoName || isMemoAsset(name),
    },
    {
      id: 'config',
      folder: config === undefined ? inputs.cwd : path.dirname(config),
      recursive: false,
      reopen: true,
      accept: (name) => name === null || configNames.includes(name),
    },
    ...folders.map((folder) => ({ id: `folder:${folder}`, folder, recursive: true, reopen: true })),
  ];
}
