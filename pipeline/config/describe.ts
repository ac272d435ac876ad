/**
 * Words for project config issues: what is wrong, what was expected, and the
 * path of the key to point at.
 */
import type { core as zodCore } from 'zod';
import { valueAt } from '../frontmatter/describe-issue.js';
import { didYouMean, suggest } from '../frontmatter/suggest.js';
import { CONFIG_KEYS, smtpSchema } from './schema.js';

/** `password` is refused, never suggested. */
const SMTP_KEYS = Object.keys(smtpSchema.shape).filter((key) => key !== 'password');

export interface ConfigProblem {
  readonly reason: string;
  /** The key to point at. */
  readonly path: readonly PropertyKey[];
  readonly ruleId: string;
}

/** "`paper`", "list `nsc` of `distributionLists`", "recipient 2 of list `nsc`". */
function fieldName(path: readonly PropertyKey[]): string {
  const [top, name, index] = path;
  if (top === 'distributionLists' && name !== undefined) {
    return typeof index === 'number'
      ? `recipient ${index + 1} of list \`${String(name)}\``
      : `list \`${String(name)}\` of \`distributionLists\``;
  }
  if (top === 'smtp' && name !== undefined) return `\`smtp.${String(name)}\``;
  if (top === 'recipients' && name !== undefined)
    return `${typeof index === 'string' ? `\`${index}\` of ` : ''}recipient \`${String(name)}\``;
  return `\`${String(top ?? 'config')}\``;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  array: 'a list',
  object: 'an object (`{ "name": … }`)',
  record: 'an object (`{ "name": … }`)',
};

function describeFormat(message: string, path: readonly PropertyKey[], got: string): ConfigProblem {
  const name = fieldName(path);
  if (message === 'lang') {
    return {
      reason: `${name} must be a language tag such as \`en\` or \`es-MX\`; got \`${got}\``,
      path,
      ruleId: 'config-lang',
    };
  }
  return { reason: `${name}: ${message}`, path, ruleId: 'config-invalid' };
}

/** One message per problem (an object with two unknown keys gives two). */
export function describeConfigIssue(issue: zodCore.$ZodIssue, data: unknown): ConfigProblem[] {
  const path = issue.path;
  const value = valueAt(data, path);
  const got = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const name = fieldName(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        reason: `unknown field \`${key}\`; ${suggest(key, path[0] === 'smtp' ? SMTP_KEYS : CONFIG_KEYS)}`,
        path: [...path, key],
        ruleId: 'config-unknown-field',
      }));
    case 'invalid_type':
      return [
        {
          reason: `${name} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${kindOf(value)}`,
          path,
          ruleId: 'config-type',
        },
      ];
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const best = didYouMean(got, allowed);
      return [
        {
          reason: `${name} must be one of ${allowed.join(', ')}; got \`${got}\`${best === undefined ? '' : `; did you mean \`${best}\`?`}`,
          path,
          ruleId: 'config-enum',
        },
      ];
    }
    case 'too_small':
      if (typeof value === 'number')
        return [
          {
            reason: `${name} must be at least ${String(issue.minimum)}; got ${got}`,
            path,
            ruleId: 'config-invalid',
          },
        ];
      return [
        {
          reason: Array.isArray(value)
            ? `${name} must list at least one recipient`
            : `${name} is empty`,
          path,
          ruleId: 'config-empty',
        },
      ];
    case 'too_big':
      return [
        {
          reason: `${name} must be at most ${String(issue.maximum)}; got ${got}`,
          path,
          ruleId: 'config-invalid',
        },
      ];
    case 'invalid_key':
      if (path[0] === 'recipients')
        return [
          {
            reason: `recipient id \`${String(path.at(-1))}\` must be a slug (lowercase letters, digits and single hyphens, such as \`jane-doe\`)`,
            path,
            ruleId: 'config-slug',
          },
        ];
      return [
        {
          reason: `distribution list name \`${String(path.at(-1))}\` must be a slug (lowercase letters, digits and single hyphens, such as \`nsc-state-dhs\`), so that a memo can tell it from a recipient's name`,
          path,
          ruleId: 'config-slug',
        },
      ];
    case 'invalid_format':
    case 'custom':
      return [describeFormat(issue.message, path, got)];
    default:
      return [{ reason: `${name}: ${issue.message}`, path, ruleId: 'config-invalid' }];
  }
}
