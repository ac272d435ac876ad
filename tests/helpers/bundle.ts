/**
 * The CLI bundle's map (dist/bin/bundle.json: esbuild's metafile, written by
 * scripts/ensure.mjs): which modules each chunk of dist/bin holds, and which
 * chunks it imports, statically or through `import()`. The chunks themselves
 * carry no comments to tell.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..', '..');
export const binDir = path.join(root, 'dist', 'bin');

const metafileSchema = z.object({
  outputs: z.record(
    z.string(),
    z.object({
      inputs: z.record(z.string(), z.unknown()),
      imports: z.array(
        z.object({ path: z.string(), kind: z.string(), external: z.boolean().optional() }),
      ),
    }),
  ),
});

export interface BundleMap {
  /** The chunks, by file name (`main.js`, `chunk-….js`). */
  readonly chunks: readonly string[];
  /** The modules `chunk` holds, as paths from the project root (`node_modules/…`, `dist/…`). */
  modulesOf(chunk: string): readonly string[];
  /** Whether `chunk` holds a module whose path starts with `prefix`. */
  holds(chunk: string, prefix: string): boolean;
  /** The chunks `chunk` imports: statically, or through `import()`. */
  imports(chunk: string, kind: 'static' | 'dynamic'): readonly string[];
}

export async function readBundleMap(): Promise<BundleMap> {
  const { outputs } = metafileSchema.parse(
    JSON.parse(await readFile(path.join(binDir, 'bundle.json'), 'utf8')),
  );
  const byName = new Map(
    Object.entries(outputs)
      .filter(([file]) => file.endsWith('.js'))
      .map(([file, output]) => [path.basename(file), output] as const),
  );
  const modulesOf = (chunk: string): string[] => Object.keys(byName.get(chunk)?.inputs ?? {});
  return {
    chunks: [...byName.keys()],
    modulesOf,
    holds: (chunk, prefix) => modulesOf(chunk).some((module) => module.startsWith(prefix)),
    imports: (chunk, kind) =>
      (byName.get(chunk)?.imports ?? [])
        .filter(
          (entry) =>
            entry.external !== true &&
            entry.kind === (kind === 'static' ? 'import-statement' : 'dynamic-import'),
        )
        .map((entry) => path.basename(entry.path)),
  };
}
