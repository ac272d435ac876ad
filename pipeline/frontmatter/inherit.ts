/**
 * What a memo inherits from the project config (memo.config.json): a default
 * for each field it leaves out (organization, program, template, paper,
 * classification, lang), and named distribution lists its `distribution` may
 * name (`distribution: [nsc-state-dhs, Office of Management and Budget]`).
 *
 * Applied to the front matter data before schema validation, so a field the
 * config provides is optional in the memo, and the memo's own fields keep
 * their positions (the YAML document is not touched).
 */
import type { VFile } from 'vfile';
import { warn } from '../messages.js';
import type { KeyPlaces } from './key-places.js';
import { didYouMean, normalise } from './suggest.js';
import { isSlug } from '../util/slug.js';

export interface Inherited {
  /** The config file, for messages: `memo.config.json`. */
  readonly source: string;
  /** Front matter field → default value. */
  readonly values: Readonly<Record<string, string>>;
  /** List name (a slug) → recipients. */
  readonly distributionLists: Readonly<Record<string, readonly string[]>>;
}

export interface Applied {
  readonly data: Readonly<Record<string, unknown>>;
  /** Fields whose value came from the config, not the memo. */
  readonly inheritedKeys: ReadonlySet<string>;
}

/**
 * A slug close to a list name (`nsc-state-dhz`), or a list name in other case
 * or spacing (`NSC State DHS`), is more likely a typo than a recipient's name.
 */
function warnNearMiss(
  file: VFile,
  entry: string,
  index: number,
  inherited: Inherited,
  places: KeyPlaces,
): void {
  const names = Object.keys(inherited.distributionLists);
  const best = didYouMean(entry, names);
  if (best === undefined) return;
  if (!isSlug(entry) && !names.includes(normalise(entry))) return;
  warn(
    file,
    `\`${entry}\` is not a distribution list of ${inherited.source}, so it is printed as a recipient; did you mean the list \`${best}\`?`,
    places[`distribution.${index}`],
    'distribution-list',
  );
}

/** List names replaced by their recipients; a recipient named twice is kept once. */
function expandDistribution(
  file: VFile,
  entries: readonly unknown[],
  inherited: Inherited,
  places: KeyPlaces,
): unknown[] {
  // A nested list or map is a type error the schema reports at its own item:
  // leave the list as written so every index still points at the right line.
  if (!entries.every((entry) => typeof entry === 'string')) return [...entries];
  const recipients: string[] = [];
  entries.forEach((entry, index) => {
    const list = Object.hasOwn(inherited.distributionLists, entry)
      ? inherited.distributionLists[entry]
      : undefined;
    if (list === undefined) warnNearMiss(file, entry, index, inherited, places);
    for (const recipient of list ?? [entry]) {
      if (!recipients.includes(recipient)) recipients.push(recipient);
    }
  });
  return recipients;
}

export function applyInherited(
  file: VFile,
  data: Readonly<Record<string, unknown>>,
  inherited: Inherited,
  places: KeyPlaces,
): Applied {
  const merged: Record<string, unknown> = { ...data };
  const inheritedKeys = new Set<string>();
  for (const [key, value] of Object.entries(inherited.values)) {
    if (merged[key] !== undefined) continue;
    merged[key] = value;
    inheritedKeys.add(key);
  }
  const distribution = merged['distribution'];
  if (Array.isArray(distribution)) {
    merged['distribution'] = expandDistribution(file, distribution, inherited, places);
  }
  return { data: merged, inheritedKeys };
}
