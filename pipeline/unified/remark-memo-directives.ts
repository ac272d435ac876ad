/**
 * The memo's directives (remark-directive syntax):
 *
 * - `:rec{#id}` → link "Recommendation N" to the appendix entry `#rec-id`;
 *   `:rec{#id title}` → "Recommendation N: <title>". N is the position of the
 *   recommendation in the front matter list. An unknown id is an error.
 * - `:::next-steps` … `:::` → a highlighted "Next steps" block
 *   (`:::next-steps[Label]` sets another label).
 * - Any other block (`:::x`) or leaf (`::x`) directive is an error; any other
 *   inline directive is the writer's literal text (as in "Annex B:table 3").
 */
import { closest } from 'fastest-levenshtein';
import type { Paragraph, PhrasingContent, Root, Text } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';
import type { Recommendation } from '../frontmatter/schema.js';

export const BLOCK_DIRECTIVES = ['next-steps'] as const;

function literal(node: TextDirective, file: VFile): Text {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  const source = String(file.value);
  const value =
    start !== undefined && end !== undefined ? source.slice(start, end) : `:${node.name}`;
  return { type: 'text', value };
}

function recommendationLink(
  node: TextDirective,
  file: VFile,
  recommendations: readonly Recommendation[] | undefined,
  referenced: string[],
): PhrasingContent {
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
  // Without valid front matter the ids can't be checked; its errors are reported already.
  if (recommendations === undefined) return literal(node, file);
  const index = recommendations.findIndex((item) => item.id === id);
  const recommendation = recommendations[index];
  if (recommendation === undefined) {
    const known = recommendations.map((item) => item.id);
    const hint =
      known.length === 0
        ? 'the front matter lists no `recommendations`'
        : `did you mean \`${closest(id, known)}\`? Known ids: ${known.join(', ')}`;
    fail(
      file,
      `unknown recommendation id \`${id}\` in \`:rec\`; ${hint}`,
      node.position,
      'rec-unknown-id',
    );
    return literal(node, file);
  }
  referenced.push(id);
  const withTitle =
    node.attributes !== null && node.attributes !== undefined && 'title' in node.attributes;
  const label = `Recommendation ${index + 1}${withTitle ? `: ${recommendation.title}` : ''}`;
  return {
    type: 'link',
    url: `#rec-${id}`,
    children: [{ type: 'text', value: label }],
    data: { hProperties: { className: ['rec-ref'] } },
  };
}

function nextSteps(node: ContainerDirective): void {
  const [first, ...rest] = node.children;
  const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel === true;
  const labelChildren: PhrasingContent[] =
    hasLabel && first.type === 'paragraph'
      ? first.children
      : [{ type: 'text', value: 'Next steps' }];
  const label: Paragraph = {
    type: 'paragraph',
    children: labelChildren,
    data: { hProperties: { className: ['next-steps-label'] } },
  };
  node.children = [label, ...(hasLabel ? rest : node.children)];
  node.data = { hName: 'aside', hProperties: { className: ['next-steps'] } };
}

export default function remarkMemoDirectives() {
  return (tree: Root, file: VFile): undefined => {
    const recommendations = file.data.frontMatter?.recommendations;
    const referenced: string[] = [];
    visit(tree, (node, index, parent) => {
      if (node.type === 'textDirective') {
        const replacement =
          node.name === 'rec'
            ? recommendationLink(node, file, recommendations, referenced)
            : literal(node, file);
        if (parent && index !== undefined) parent.children.splice(index, 1, replacement);
        return SKIP;
      }
      if (node.type === 'containerDirective' && node.name === 'next-steps') {
        nextSteps(node);
        return undefined;
      }
      if (node.type === 'containerDirective' || node.type === 'leafDirective') {
        const marker = node.type === 'containerDirective' ? ':::' : '::';
        fail(
          file,
          `unknown directive \`${marker}${node.name}\`; the block directives are: ${BLOCK_DIRECTIVES.map((name) => `:::${name}`).join(', ')}`,
          node.position?.start,
          'directive-unknown',
        );
        return undefined;
      }
      return undefined;
    });
    file.data.referencedRecommendations = referenced;
  };
}
