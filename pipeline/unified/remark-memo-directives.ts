/**
 * The memo's directives (remark-directive syntax):
 *
 * - `:rec{#id}` → link "Recommendation N" to the appendix entry `#rec-id`;
 *   `:rec{#id title}` → "Recommendation N: <title>". N is the position of the
 *   recommendation in the front matter list. An unknown id is an error, and so
 *   is an id without `#`, text in brackets or any other option.
 * - `:::next-steps` … `:::` → a highlighted "Next steps" block
 *   (`:::next-steps[Label]` sets another label).
 * - Any other block (`:::x`) or leaf (`::x`) directive is an error, with the
 *   nearest known name; so is an inline one with `{…}` or `[…]` (`:recs{#x}`)
 *   or named like a block (`:next-steps`). Any other inline directive is the
 *   writer's literal text (as in "Annex B:table 3").
 *
 * The ids come from the validated front matter or, when it has errors, from
 * `recommendationIds` (the ids it lists), so a mistyped id is still reported.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { Paragraph, PhrasingContent, Root, Text } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';
import { markMemoElement } from './rehype-memo-elements.js';
import type { Recommendation } from '../frontmatter/schema.js';
import { textOf } from './remark-lint-link-text.js';

export const BLOCK_DIRECTIVES = ['next-steps'] as const;
export const INLINE_DIRECTIVES = ['rec', 'ref'] as const;

/** The known directive nearest to `name` (same letters in another case, or a typo or two away). */
export function nearestDirective(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const gap = distance(lower, candidate);
    if (gap < bestDistance) [best, bestDistance] = [candidate, gap];
  }
  return bestDistance <= Math.max(1, Math.min(2, Math.floor(lower.length / 3))) ? best : undefined;
}

function literal(node: TextDirective, file: VFile): Text {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  const source = String(file.value);
  const value =
    start !== undefined && end !== undefined ? source.slice(start, end) : `:${node.name}`;
  return { type: 'text', value };
}

interface Known {
  /** The front matter's recommendations, when it is valid. */
  readonly recommendations: readonly Recommendation[] | undefined;
  /** Their ids (from the front matter even when it has errors), or undefined when unknown. */
  readonly ids: readonly string[] | undefined;
}

/** Problems with how `:rec` is written (label, options); true when one was reported. */
function recFormProblem(node: TextDirective, file: VFile): boolean {
  const attributes = node.attributes ?? {};
  const id = attributes.id ?? '';
  const others = Object.keys(attributes).filter((key) => key !== 'id' && key !== 'title');
  const label = textOf({ type: 'paragraph', children: node.children }).trim();
  const place = node.position?.start;
  if (id === '' && others.length === 1 && attributes[others[0] ?? ''] === '') {
    const written = others[0] ?? '';
    fail(
      file,
      `write the recommendation id with \`#\`: \`:rec{#${written}${'title' in attributes ? ' title' : ''}}\``,
      place,
      'rec-form',
    );
    return true;
  }
  if (node.children.length > 0) {
    const asId = id === '' && /^[\w-]+$/.test(label);
    const reason = asId
      ? `put the recommendation id in braces with \`#\`: \`:rec{#${label}}\` (\`:rec\` writes its own text)`
      : `\`:rec\` writes its own text (“Recommendation N”) and would drop “${label}”; remove the \`[…]\`, and write \`:rec{#${id || 'id'} title}\` to add the recommendation's title`;
    fail(file, reason, place, 'rec-form');
    return true;
  }
  if (others.length > 0 || (attributes.title ?? '') !== '') {
    const what = others.length > 0 ? `\`${others[0]}\`` : '`title` with a value';
    fail(
      file,
      `\`:rec\` takes an id and, optionally, the word \`title\`, not ${what}: write \`:rec{#${id || 'id'}}\` or \`:rec{#${id || 'id'} title}\` (the title comes from the front matter)`,
      place,
      'rec-form',
    );
    return true;
  }
  return false;
}

function recommendationLink(
  node: TextDirective,
  file: VFile,
  known: Known,
  referenced: string[],
): PhrasingContent {
  if (recFormProblem(node, file)) return literal(node, file);
  const id = node.attributes?.id ?? '';
  if (id === '') {
    fail(
      file,
      '`:rec` needs a recommendation id, as in `:rec{#first-id}` or `:rec{#first-id title}`',
      node.position,
      'rec-missing-id',
    );
    return literal(node, file);
  }
  // Without the front matter's ids they can't be checked; its errors are reported already.
  if (known.ids === undefined) return literal(node, file);
  const index = known.ids.indexOf(id);
  if (index === -1) {
    const hint =
      known.ids.length === 0
        ? 'the front matter lists no `recommendations`'
        : `did you mean \`${closest(id, [...known.ids])}\`? Known ids: ${known.ids.join(', ')}`;
    fail(
      file,
      `unknown recommendation id \`${id}\` in \`:rec\`; ${hint}`,
      node.position,
      'rec-unknown-id',
    );
    return literal(node, file);
  }
  const recommendation = known.recommendations?.[index];
  // Front matter with errors: the memo is not built, so the link needn't be.
  if (recommendation === undefined) return literal(node, file);
  referenced.push(id);
  const withTitle =
    node.attributes !== null && node.attributes !== undefined && 'title' in node.attributes;
  const label = `Recommendation ${index + 1}${withTitle ? `: ${recommendation.title}` : ''}`;
  const link: PhrasingContent = {
    type: 'link',
    url: `#rec-${id}`,
    children: [{ type: 'text', value: label }],
    ...(node.position === undefined ? {} : { position: node.position }),
  };
  markMemoElement(file, link, { neutral: 'a', tagName: 'a', className: ['rec-ref'] });
  return link;
}

function nextSteps(node: ContainerDirective, file: VFile): void {
  const [first, ...rest] = node.children;
  const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel === true;
  const label: Paragraph =
    hasLabel && first.type === 'paragraph'
      ? first
      : { type: 'paragraph', children: [{ type: 'text', value: 'Next steps' }] };
  node.children = [label, ...(hasLabel ? rest : node.children)];
  const at = node.position?.start;
  markMemoElement(file, node, { neutral: 'div', tagName: 'aside', className: ['next-steps'] });
  markMemoElement(file, label, { neutral: 'p', tagName: 'p', className: ['next-steps-label'] }, at);
}

const blockList = BLOCK_DIRECTIVES.map((name) => `:::${name}`).join(', ');

function unknownBlock(node: ContainerDirective | LeafDirective, file: VFile): void {
  const marker = node.type === 'containerDirective' ? ':::' : '::';
  const written = `\`${marker}${node.name}\``;
  const block = nearestDirective(node.name, BLOCK_DIRECTIVES);
  const inline = nearestDirective(node.name, INLINE_DIRECTIVES);
  let reason: string;
  if (block !== undefined && marker === '::')
    reason = `${written} has two colons; a box opens with three, \`:::${block}\`, and ends with a \`:::\` line`;
  else if (block !== undefined && block === node.name.toLowerCase())
    reason = `directive names are lower case: write \`:::${block}\` instead of ${written}`;
  else if (block !== undefined)
    reason = `unknown directive ${written}; did you mean \`:::${block}\`?`;
  else if (inline !== undefined)
    reason = `${written} is not a block: \`:${inline}\` goes inside a sentence, with one colon, as in \`:rec{#first-id}\``;
  else reason = `unknown directive ${written}; the block directives are: ${blockList}`;
  fail(file, reason, node.position?.start, 'directive-unknown');
}

/** An inline directive that is not `:rec`: an error when it can't be the writer's text. */
function otherInline(node: TextDirective, file: VFile): void {
  const hasBraces = Object.keys(node.attributes ?? {}).length > 0 || node.children.length > 0;
  const lower = node.name.toLowerCase();
  const block = BLOCK_DIRECTIVES.find((name) => name === lower);
  if (block !== undefined) {
    fail(
      file,
      `\`:${node.name}\` needs three colons at the start of its own line: \`:::${block}\`, its text, then a \`:::\` line`,
      node.position?.start,
      'directive-unknown',
    );
    return;
  }
  if (!hasBraces) return;
  const inline = nearestDirective(node.name, INLINE_DIRECTIVES);
  fail(
    file,
    inline === undefined
      ? `unknown directive \`:${node.name}\`; the only inline directive is \`:rec{#id}\` (write \`\\:\` to keep a colon before a word)`
      : `unknown directive \`:${node.name}\`; did you mean \`:${inline}\`?`,
    node.position?.start,
    'directive-unknown',
  );
}

export default function remarkMemoDirectives() {
  return (tree: Root, file: VFile): undefined => {
    const recommendations = file.data.frontMatter?.recommendations;
    const known: Known = {
      recommendations,
      ids: recommendations?.map((item) => item.id) ?? file.data.recommendationIds,
    };
    const referenced: string[] = [];
    visit(tree, (node, index, parent) => {
      if (node.type === 'textDirective') {
        let replacement: PhrasingContent;
        if (node.name === 'rec') replacement = recommendationLink(node, file, known, referenced);
        else {
          otherInline(node, file);
          replacement = literal(node, file);
        }
        if (parent && index !== undefined) parent.children.splice(index, 1, replacement);
        return SKIP;
      }
      if (node.type === 'containerDirective' && node.name === 'next-steps') {
        nextSteps(node, file);
        return undefined;
      }
      if (node.type === 'containerDirective' || node.type === 'leafDirective')
        unknownBlock(node, file);
      return undefined;
    });
    file.data.referencedRecommendations = referenced;
  };
}
