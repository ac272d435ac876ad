/**
 * The built-in templates and partials compiled ahead of time: scripts/ensure.mjs
 * writes Handlebars' `precompile` of each one to `dist/templates.precompiled.mjs`,
 * keyed by `templateKey` (the text, the compile options and Handlebars' version).
 * Compiling them at the first render was about a tenth of a cold build's Node
 * work (docs/performance.md). A file with another key (an override, an edited
 * template, another Handlebars) is compiled at run time, as before.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../paths.js';
import { sha256Hex } from '../util/hash.js';
import { handlebarsVersion } from './template-sources.js';

/** How every memo template and partial compiles (html.ts). Handlebars writes to its options: pass a copy. */
export const COMPILE_OPTIONS = Object.freeze({ strict: true, preventIndent: true });

/** The compiled templates, relative to the project's root. */
export const PRECOMPILED_PATH = path.join('dist', 'templates.precompiled.mjs');

/** Compiled templates by `templateKey`. */
export type Precompiled = ReadonlyMap<string, TemplateSpecification>;

export function templateKey(text: string): string {
  return sha256Hex(JSON.stringify([handlebarsVersion(), COMPILE_OPTIONS, text]));
}

/** JavaScript for `text` compiled (an object expression), as `Handlebars.template` takes it. */
export async function precompileSource(text: string): Promise<string> {
  const { default: Handlebars } = await import('handlebars');
  // `precompile` returns the source text; its type says otherwise.
  return String(
    Handlebars.precompile(Handlebars.parseWithoutProcessing(text), { ...COMPILE_OPTIONS }),
  );
}

function isSpec(value: unknown): value is TemplateSpecification {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'main') === 'function' &&
    Array.isArray(Reflect.get(value, 'compiler'))
  );
}

/** The compiled templates of this installation; none when they were not built. */
export async function loadPrecompiled(): Promise<Precompiled> {
  const file = path.join(projectRoot(), PRECOMPILED_PATH);
  const specs = new Map<string, TemplateSpecification>();
  if (!existsSync(file)) return specs;
  let table: unknown;
  try {
    table = await import(pathToFileURL(file).href);
  } catch {
    return specs; // a broken file only costs the compile it was meant to save
  }
  const entries: unknown =
    typeof table === 'object' && table !== null && Reflect.get(table, 'default');
  if (typeof entries !== 'object' || entries === null) return specs;
  for (const [key, spec] of Object.entries(entries)) if (isSpec(spec)) specs.set(key, spec);
  return specs;
}
