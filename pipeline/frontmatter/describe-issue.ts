/**
 * Words for schema issues: what is wrong and what was expected, in terms a
 * writer (not a programmer) understands. The schema marks its own checks with
 * short codes (`date`, `slug`, `author-missing`, ...) that are expanded here.
 */
import type { core as zodCore } from 'zod';
import { codePointName, firstUnsafeChar } from '../util/unsafe-text.js';
import { isoReadings } from './date-hint.js';
import { didYouMean, slugify } from './suggest.js';

export interface DescribedIssue {
  readonly reason: string;
  /** Where to point: the issue's path, or its parent when a field is missing. */
  readonly path: readonly PropertyKey[];
  readonly ruleId: string;
}

/** The value at `path` in plain data (undefined when absent). */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Reflect.get(value, segment);
  }
  return value;
}

/** "`title`", or "`status` of recommendation 2" for nested fields. */
export function fieldName(path: readonly PropertyKey[]): string {
  const [top, index, field] = path;
  if (top === 'recommendations' && typeof index === 'number') {
    return field === undefined
      ? `recommendation ${index + 1}`
      : `\`${String(field)}\` of recommendation ${index + 1}`;
  }
  if (typeof index === 'number') return `item ${index + 1} of \`${String(top)}\``;
  return `\`${String(top ?? 'front matter')}\``;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a group of fields';
  return 'text';
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  array: 'a list (one `- item` per line)',
  object: 'fields (`key: value` lines)',
};

function describeMissing(path: readonly PropertyKey[]): DescribedIssue {
  const inRecommendation = path[0] === 'recommendations' && path.length === 3;
  const reason = inRecommendation
    ? `${fieldName(path.slice(0, 2))} is missing its required field \`${String(path[2])}\``
    : `missing required field ${fieldName(path)}`;
  return { reason, path: path.slice(0, -1), ruleId: 'frontmatter-required' };
}

/** What to do instead, for the type mistakes writers make. */
function typeHint(path: readonly PropertyKey[], value: unknown, expected: string): string {
  const [top] = path;
  if (top === 'authors' && path.length === 1 && typeof value === 'string')
    return `; for one writer write \`author: ${value}\`, for several put each name on its own line below \`authors:\`, starting with \`- \``;
  if (top === 'author' && Array.isArray(value))
    return '; for several writers write `authors:` instead of `author:`';
  if (expected === 'array' && typeof value === 'string')
    return `; put each entry on its own line below \`${String(top)}:\`, indented by two spaces and starting with \`- \``;
  if (expected === 'object' && top === 'recommendations')
    return '; write `- id: …` and, below it and lined up with `id`, `title: …` and `status: …`';
  if (expected === 'string' && kindOf(value) === 'a group of fields')
    return '; if the `:` is part of the text, put the whole value in quotes';
  return '';
}

function describeType(issue: zodCore.$ZodIssueInvalidType, data: unknown): DescribedIssue {
  const value = valueAt(data, issue.path);
  const name = fieldName(issue.path);
  if (value === undefined) return describeMissing(issue.path);
  const expected = EXPECTED[issue.expected] ?? issue.expected;
  return {
    reason: `${name} must be ${expected}, not ${kindOf(value)}${typeHint(issue.path, value, issue.expected)}`,
    path: issue.path,
    ruleId: 'frontmatter-type',
  };
}

function dateHint(got: string): string {
  const readings = isoReadings(got);
  if (readings.length === 0) return '';
  return `; did you mean ${readings.map((date) => `\`${date}\``).join(' or ')}?`;
}

function slugHint(got: string): string {
  const slug = slugify(got);
  return slug === '' || slug === got ? '' : `; did you mean \`${slug}\`?`;
}

function describeCustom(code: string, path: readonly PropertyKey[], got: string): DescribedIssue {
  const name = fieldName(path);
  switch (code) {
    case 'date':
      return {
        reason: `${name} must be a real date written YYYY-MM-DD, such as 2026-03-15; got \`${got}\`${dateHint(got)}`,
        path,
        ruleId: 'frontmatter-date',
      };
    case 'slug':
      return {
        reason: `${name} must be a slug (lowercase letters, digits and single hyphens, such as \`border-trade\`); got \`${got}\`${slugHint(got)}`,
        path,
        ruleId: 'frontmatter-slug',
      };
    case 'lang':
      return {
        reason: `${name} must be a language tag such as \`en\` or \`es-MX\`; got \`${got}\``,
        path,
        ruleId: 'frontmatter-lang',
      };
    case 'author-missing':
      return {
        reason: 'missing required field `author` (or `authors`, a list, for several writers)',
        path,
        ruleId: 'frontmatter-required',
      };
    case 'author-both':
      return {
        reason: 'use either `author` (one writer) or `authors` (a list), not both',
        path,
        ruleId: 'frontmatter-author',
      };
    case 'control': {
      const char = firstUnsafeChar(got) ?? '';
      const kind = /[\u202A-\u202E\u2066-\u2069]/.test(char)
        ? 'a character that changes the direction of the text'
        : 'an invisible control character';
      return {
        reason: `${name} contains ${kind} (${codePointName(char)}): delete it and type that part again (it often comes with text copied from another program)`,
        path,
        ruleId: 'frontmatter-invalid',
      };
    }
    case 'duplicate-id':
      return {
        reason: `duplicate recommendation id \`${got}\`: each id must be unique`,
        path,
        ruleId: 'frontmatter-duplicate-id',
      };
    default:
      return { reason: `${name}: ${code}`, path, ruleId: 'frontmatter-invalid' };
  }
}

export function describeIssue(issue: zodCore.$ZodIssue, data: unknown): DescribedIssue {
  const value = valueAt(data, issue.path);
  const got = typeof value === 'string' ? value : '';
  const name = fieldName(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return describeType(issue, data);
    case 'invalid_value': {
      if (value === undefined) return describeMissing(issue.path);
      const allowed = issue.values.map(String);
      const best = didYouMean(got, allowed);
      const hint = best === undefined ? '' : `; did you mean \`${best}\`?`;
      return {
        reason: `${name} must be one of ${allowed.join(', ')}; got \`${got}\`${hint}`,
        path: issue.path,
        ruleId: 'frontmatter-enum',
      };
    }
    case 'too_small':
      return {
        reason: Array.isArray(value) ? `${name} must list at least one item` : `${name} is empty`,
        path: issue.path,
        ruleId: 'frontmatter-empty',
      };
    case 'too_big': {
      const limit = Number(issue.maximum).toLocaleString('en-US');
      return {
        reason: Array.isArray(value)
          ? `${name} lists ${value.length.toLocaleString('en-US')} items, more than the ${limit} a memo may have`
          : `${name} is ${got.trim().length.toLocaleString('en-US')} characters long, more than the ${limit} it may have: shorten it (long text belongs in the body of the memo)`,
        path: issue.path,
        ruleId: 'frontmatter-invalid',
      };
    }
    case 'invalid_format':
    case 'custom':
      return describeCustom(issue.message, issue.path, got);
    default:
      return {
        reason: `${name}: ${issue.message}`,
        path: issue.path,
        ruleId: 'frontmatter-invalid',
      };
  }
}
