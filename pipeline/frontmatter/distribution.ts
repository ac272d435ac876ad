/**
 * What each entry of a memo's `distribution` stands for: a named list of the
 * project config (`distributionLists`), a recipient id (`recipients`), or a
 * plain office name. Lists may name recipient ids and offices too. The
 * printed block shows offices; `memo distribute` makes copies for recipients.
 */
import { didYouMean, normalise } from './suggest.js';
import { isSlug } from '../util/slug.js';

/** A person the project config knows by id (`recipients` of memo.config.json). */
export interface RecipientEntry {
  readonly name: string;
  readonly office: string;
  readonly title?: string | undefined;
  readonly email?: string | undefined;
}

export interface DistributionSources {
  /** List name (a slug) → list entries (recipient ids or offices). */
  readonly distributionLists: Readonly<Record<string, readonly string[]>>;
  /** Recipient id (a slug) → recipient. */
  readonly recipients: Readonly<Record<string, RecipientEntry>>;
}

export interface ResolvedDistribution {
  /** The printed block: offices, in order, each once. */
  readonly offices: readonly string[];
  /** Recipient ids, in order, each once. */
  readonly recipients: readonly string[];
}

const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** One entry of a list (never itself a list): a recipient's office, or the office as written. */
function resolveItem(
  item: string,
  sources: DistributionSources,
  offices: string[],
  recipients: string[],
): void {
  const recipient = own(sources.recipients, item);
  const office = recipient?.office ?? item;
  if (recipient !== undefined && !recipients.includes(item)) recipients.push(item);
  if (!offices.includes(office)) offices.push(office);
}

/** Lists expanded, recipient ids replaced by their office; duplicates kept once. */
export function resolveDistribution(
  entries: readonly string[],
  sources: DistributionSources,
): ResolvedDistribution {
  const offices: string[] = [];
  const recipients: string[] = [];
  for (const entry of entries) {
    const list = own(sources.distributionLists, entry);
    for (const item of list ?? [entry]) resolveItem(item, sources, offices, recipients);
  }
  return { offices, recipients };
}

export interface NearMiss {
  readonly kind: 'list' | 'recipient';
  readonly name: string;
}

/**
 * A slug close to a list name or recipient id (`nsc-state-dhz`), or one in
 * other case or spacing (`NSC State DHS`), is more likely a typo than an
 * office's name. `kinds` says which names `entry` may stand for.
 */
export function nearMiss(
  entry: string,
  sources: DistributionSources,
  kinds: readonly NearMiss['kind'][] = ['list', 'recipient'],
): NearMiss | undefined {
  if (own(sources.distributionLists, entry) !== undefined) return undefined;
  if (own(sources.recipients, entry) !== undefined) return undefined;
  const lists = kinds.includes('list') ? Object.keys(sources.distributionLists) : [];
  const ids = kinds.includes('recipient') ? Object.keys(sources.recipients) : [];
  const best = didYouMean(entry, [...lists, ...ids]);
  if (best === undefined) return undefined;
  if (!isSlug(entry) && ![...lists, ...ids].includes(normalise(entry))) return undefined;
  return { kind: lists.includes(best) ? 'list' : 'recipient', name: best };
}
