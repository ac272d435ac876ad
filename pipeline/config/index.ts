/**
 * The project config: public entry.
 *
 * - `defineConfig` for `memo.config.ts` / `memo.config.js`
 *   (`import { defineConfig } from 'memo-press/config'`);
 * - `loadProjectConfig(cwd, explicitPath?)` for commands: finds, reads and
 *   validates the config (problems on the returned vfile);
 * - `inheritedFrom(config)`: what memos inherit from it (for the front matter
 *   validation, see pipeline/frontmatter/inherit.ts).
 */
import type { Inherited } from '../frontmatter/inherit.js';
import { MEMO_DEFAULT_KEYS } from './schema.js';
import type { ProjectConfig } from './schema.js';

export { CONFIG_NAMES, loadProjectConfig, validateConfig } from './load.js';
export type { LoadedConfig } from './load.js';
export { defineConfig } from './define.js';
export { configSchema, DEFAULT_EDITOR_URL, emptyConfig } from './schema.js';
export type { ProjectConfig, ProjectConfigInput } from './schema.js';

/** The defaults and lists memos inherit; undefined when the config gives none. */
export function inheritedFrom(config: ProjectConfig): Inherited | undefined {
  const values: Record<string, string> = {};
  for (const key of MEMO_DEFAULT_KEYS) {
    const value = config[key];
    if (value !== undefined) values[key] = value;
  }
  const recipients = config.recipients ?? {};
  if (
    Object.keys(values).length === 0 &&
    Object.keys(config.distributionLists).length === 0 &&
    Object.keys(recipients).length === 0
  )
    return undefined;
  return {
    source: config.file ?? 'the project config',
    values,
    distributionLists: config.distributionLists,
    recipients,
  };
}
