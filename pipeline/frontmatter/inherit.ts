/**
 * What a memo inherits from the project config (memo.config.json): a default
 * for each field it leaves out (organization, program, template, paper,
 * classification, lang), and named distribution lists and recipients its
 * `distribution` may name (`distribution: [nsc-state-dhs, jane-doe, Office of
 * Management and Budget]`, see distribution.ts).
 *
 * Applied to the front matter data before schema validation, so a field the
 * config provides is optional in the memo, and the memo's own fields keep
 * their positions (the YAML document is not touched).
 */
import type { VFile } from 'vfile';
import { warn } from '../messages.js';
import type { KeyPlaces } from './key-places.js';
import { nearMiss, resolveDistribution } from './distribution.js';
import type { DistributionSources, RecipientEntry } from './distribution.js';

export interface Inherited {
  /** The config file, for messages: `memo.config.json`. */
  readonly source: string;
  /** Front matter field → default value. */
  readonly values: Readonly<Record<string, string>>;
  /** List name (a slug) → recipients. */
  readonly distributionLists: Readonly<Record<string, readonly string[]>>;
  /** Recipient id (a slug) → recipient; a memo or a list naming one prints the office. */
  readonly recipients?: Readonly<Record<string, RecipientEntry>>;
}

export interface Applied {
  readonly data: Readonly<Record<string, unknown>>;
  /** Fields whose value came from the config, not the memo. */
  readonly inheritedKeys: ReadonlySet<string>;
}

/** An entry close to a list name or recipient id is more likely a typo than an office. */
function warnNearMiss(
  file: VFile,
  entry: string,
  index: number,
  inherited: Inherited,
  places: KeyPlaces,
): void {
  const miss = nearMiss(entry, sourcesOf(inherited));
  if (miss === undefined) return;
  const reason =
    miss.kind === 'list'
      ? `\`${entry}\` is not a distribution list of ${inherited.source}, so it is printed as a recipient; did you mean the list \`${miss.name}\`?`
      : `\`${entry}\` is not a recipient or distribution list of ${inherited.source}, so it is printed as an office; did you mean the recipient \`${miss.name}\`?`;
  warn(file, reason, places[`distribution.${index}`], 'distribution-list');
}

function sourcesOf(inherited: Inherited): DistributionSources {
  return {
    distributionLists: inherited.distributionLists,
    recipients: inherited.recipients ?? {},
  };
}

/** List names and recipient ids replaced by offices; an office named twice is kept once. */
function expandDistribution(
  file: VFile,
  entries: readonly unknown[],
  inherited: Inherited,
  places: KeyPlaces,
): unknown[] {
  // A nested list or map is a type error the schema reports at its own item:
  // leave the list as written so every index still points at the right line.
  if (!entries.every((entry) => typeof entry === 'string')) return [...entries];
  entries.forEach((entry, index) => {
    warnNearMiss(file, entry, index, inherited, places);
  });
  return [...resolveDistribution(entries, sourcesOf(inherited)).offices];
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
