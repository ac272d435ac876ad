/**
 * Links and images the output would get wrong:
 *
 * - a reference (`[text][ref]`, `[text][]`, `![alt][ref]`) with no
 *   `[ref]: …` definition, which Markdown prints as the literal text;
 * - a link with no address (`[text]()`) or no text (`[](https://…)`);
 * - a reference defined twice with different addresses (the first wins).
 */
import type { Definition, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail, pointAt } from '../messages.js';
import { textOf } from './remark-lint-link-text.js';

const LABEL = String.raw`((?:[^\[\]\\]|\\.)*)`;
const REFERENCE = new RegExp(String.raw`(?<!\\)(!?)\[(?!\^)${LABEL}\]\[${LABEL}\]`, 'g');

/** The identifier Markdown matches definitions by: case and spacing don't count. */
const normalize = (label: string) => label.replace(/\s+/g, ' ').trim().toLowerCase();

function undefinedReferences(tree: Root, file: VFile, source: string): void {
  visit(tree, 'text', (node) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const text = source.slice(start, end);
    if (!text.includes('][')) return; // every reference has it
    for (const match of text.matchAll(REFERENCE)) {
      const [written, bang, text = '', given = ''] = match;
      const label = given === '' ? text : given;
      const image = bang === '!';
      const fix = image
        ? `add a line \`[${label}]: chart.png\` (the image's file), or write \`![${text}](chart.png)\``
        : `add a line \`[${label}]: https://…\` (the link's address), or write \`[${text}](https://…)\``;
      fail(
        file,
        `${image ? 'image' : 'link'} reference \`[${label}]\` has no definition, so \`${written}\` prints as written; ${fix}`,
        pointAt(source, start + match.index),
        'reference-undefined',
      );
    }
  });
}

function duplicateDefinitions(tree: Root, file: VFile): void {
  const seen = new Map<string, Definition>();
  visit(tree, 'definition', (node) => {
    const key = normalize(node.label ?? node.identifier);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, node);
      return;
    }
    if (first.url === node.url) return;
    fail(
      file,
      `\`[${node.label ?? node.identifier}]\` is defined twice with different addresses (first at line ${first.position?.start.line ?? '?'}), and only the first is used; remove one, or rename it`,
      node.position?.start,
      'definition-duplicate',
    );
  });
}

export default function remarkCheckLinks() {
  return (tree: Root, file: VFile): undefined => {
    const source = String(file.value);
    undefinedReferences(tree, file, source);
    duplicateDefinitions(tree, file);
    visit(tree, 'link', (node) => {
      const text = textOf(node);
      const hasImage = node.children.some((child) => child.type === 'image');
      if (node.url.trim() === '') {
        fail(
          file,
          `link “${text}” has no address; put it between the parentheses, as in \`[${text}](https://…)\``,
          node.position?.start,
          'link-empty',
        );
      } else if (text === '' && !hasImage) {
        fail(
          file,
          `link to \`${node.url}\` has no text, so readers can't see it; write its text between the brackets, as in \`[the 2025 report](${node.url})\``,
          node.position?.start,
          'link-empty',
        );
      }
    });
  };
}
