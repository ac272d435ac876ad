/**
 * `defineConfig`, the type helper of `memo.config.ts` / `memo.config.js`:
 *
 * ```ts
 * import { defineConfig } from 'memo-press/config';
 * export default defineConfig({ organization: 'Great Lakes Policy Council' });
 * ```
 *
 * This module is what `memo-press/config` points at (package.json
 * `exports`): it imports nothing at run time, so a config loads fast.
 */
import type { ProjectConfigInput } from './schema.js';

export type { ProjectConfigInput } from './schema.js';

/** Returns its argument: it exists so the editor checks and completes the fields. */
export function defineConfig(config: ProjectConfigInput): ProjectConfigInput {
  return config;
}
