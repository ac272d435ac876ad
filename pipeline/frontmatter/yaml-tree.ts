/**
 * Front matter that parses but does not say what the writer wrote: YAML
 * silently joins an indented `- ` line to the item above, drops the text
 * after ` #`, and takes `&`, `!` and `*` at the start of a value as markers
 * (the value is dropped or replaced). Each is found on the parsed tree and
 * reported at the character that causes it.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { fieldName } from './describe-issue.js';
import { quoted } from './yaml-syntax.js';

export interface TreeProblem {
  readonly reason: string;
  readonly offset: number;
  readonly ruleId: string;
  readonly fatal: boolean;
  /** The value the problem is about: schema issues at or under it are not reported again. */
  readonly path: readonly PropertyKey[];
}

interface Walk {
  readonly source: string;
  readonly problems: TreeProblem[];
}

function lineEnd(source: string, offset: number): number {
  const end = source.indexOf('\n', offset);
  return end === -1 ? source.length : end;
}

/** `title: "…"` or `- "…"`: how the line should read. */
function fixed(path: readonly PropertyKey[], value: string): string {
  const last = path.at(-1);
  return typeof last === 'string' ? `${last}: ${quoted(value)}` : `- ${quoted(value)}`;
}

/** "the value of `title`", "item 2 of `distribution`". */
function subject(path: readonly PropertyKey[]): string {
  return typeof path.at(-1) === 'string' ? `the value of ${fieldName(path)}` : fieldName(path);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 70 ? `${flat.slice(0, 67)}…` : flat;
}

function checkMerged(walk: Walk, node: YamlNode, path: readonly PropertyKey[]): boolean {
  if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) return false;
  const [start, end] = node.range;
  const text = walk.source.slice(start, end);
  const continued = /\n([ \t]*)-(?:[ \t]|$)/.exec(text);
  if (continued?.[1] === undefined) return false;
  walk.problems.push({
    reason: `this \`- \` line is joined to the line above into one entry (\`${short(String(node.value))}\`) because it is indented differently; put each entry on its own line starting with \`- \`, indented the same`,
    offset: start + continued.index + 1 + continued[1].length,
    ruleId: 'frontmatter-merged-items',
    fatal: true,
    path,
  });
  return true;
}

/** Fields whose value is a code (`a4`, a date, a slug): a `#` note after it is never part of it. */
const CODES = new Set(['paper', 'notes', 'template', 'lang', 'date', 'series', 'id', 'status']);

function checkComment(walk: Walk, node: YamlNode, path: readonly PropertyKey[]): void {
  if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) return;
  const last = path.at(-1);
  if (typeof last === 'string' && CODES.has(last)) return;
  if (String(node.value) === '') return;
  const [start, end] = node.range;
  const rest = walk.source.slice(end, lineEnd(walk.source, end));
  const comment = /^[ \t]+#/.exec(rest);
  if (!comment) return;
  const whole = walk.source.slice(start, lineEnd(walk.source, end)).trimEnd();
  walk.problems.push({
    reason: `the text after \`#\` is left out of ${fieldName(path)} (a \`#\` after a space starts a note that is not printed); if it belongs to the value, put the whole value in quotes: \`${fixed(path, whole)}\``,
    offset: end + comment[0].length - 1,
    ruleId: 'frontmatter-comment',
    fatal: false,
    path,
  });
}

/**
 * `&name`, `!tag` or `*alias` where a field's text value starts: the writer
 * meant text. Only on a field's own value: anchors and aliases inside lists,
 * and `!!` tags, are written on purpose by someone who knows YAML (and stay
 * plain data, see tests/security/frontmatter.test.ts).
 */
function checkMarker(
  walk: Walk,
  node: YamlNode,
  path: readonly PropertyKey[],
  from: number,
): boolean {
  if (!node.range || !(isScalar(node) || isAlias(node))) return false;
  const [start] = node.range;
  let marker: string | undefined;
  if (isAlias(node)) marker = '*';
  else if (node.anchor !== undefined) marker = '&';
  else if (node.tag !== undefined) marker = '!';
  if (marker === undefined) return false;
  const found = walk.source.indexOf(marker, from);
  const offset = found !== -1 && found <= start ? found : start;
  if (marker === '!' && walk.source.startsWith('!!', offset)) return false;
  const whole = walk.source.slice(offset, lineEnd(walk.source, offset)).trimEnd();
  walk.problems.push({
    reason: `${subject(path)} starts with \`${marker}\`, which has a special meaning at the start of a value; put the whole value in quotes: \`${fixed(path, whole)}\``,
    offset,
    ruleId: 'frontmatter-special-start',
    fatal: true,
    path,
  });
  return true;
}

function visit(walk: Walk, node: unknown, path: readonly PropertyKey[], from: number): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const keyEnd = pair.key.range?.[1] ?? from;
      const value: unknown = pair.value;
      const field = [...path, String(pair.key.value)];
      if ((isScalar(value) || isAlias(value)) && checkMarker(walk, value, field, keyEnd)) continue;
      visit(walk, value, field, keyEnd);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => visit(walk, item, [...path, index], from));
  } else if (isScalar(node) && path.length > 0) {
    if (!checkMerged(walk, node, path)) checkComment(walk, node, path);
  }
}

/** The problems of a document that parsed without errors. */
export function treeProblems(root: unknown, source: string): TreeProblem[] {
  const walk: Walk = { source, problems: [] };
  visit(walk, root, [], 0);
  return walk.problems.sort((a, b) => a.offset - b.offset);
}
