/**
 * The project settings the archive commands share: the project config
 * (memo.config.*, as `memo build` reads it) and the archive folder, from
 * `--archive`, else the config's `archiveDir`, else `archive`.
 */
import type { VFile } from 'vfile';
import { loadProjectConfig } from '../config/index.js';
import type { ProjectConfig } from '../config/index.js';

export interface ArchiveProject {
  readonly config: ProjectConfig;
  /** Absolute, or relative to the working directory. */
  readonly archiveDir: string;
}

export type LoadedProject =
  | { readonly project: ArchiveProject; readonly file: VFile | undefined }
  | { readonly project: undefined; readonly file: VFile | undefined };

export async function loadArchiveProject(
  cwd: string,
  configPath: string | undefined,
  archiveFlag: string | undefined,
): Promise<LoadedProject> {
  const { config, file } = await loadProjectConfig(cwd, configPath);
  if (config === undefined) return { project: undefined, file };
  return { project: { config, archiveDir: archiveFlag ?? config.archiveDir ?? 'archive' }, file };
}
