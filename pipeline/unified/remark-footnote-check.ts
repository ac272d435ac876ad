/**
 * GFM footnotes: a reference without a definition is an error (micromark
 * leaves it as the literal text `[^x]`, so it is found in the text), and so
 * are a note defined twice (only the first would show) and a note with no
 * text; a definition that is never referenced is a warning.
 */
import type { FootnoteDefinition, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail, pointAt, warn } from '../messages.js';

const DANGLING = /(?<!\\)\[\^([^\]\s]+)\](?!:)/g;

export default function remarkFootnoteCheck() {
  return (tree: Root, file: VFile): undefined => {
    const source = String(file.value);
    const referenced = new Set<string>();
    visit(tree, 'footnoteReference', (node) => {
      referenced.add(node.identifier);
    });
    visit(tree, 'text', (node) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const slice = source.slice(start, end);
      if (!slice.includes('[^')) return; // every reference has it
      for (const match of slice.matchAll(DANGLING)) {
        const label = match[1] ?? '';
        fail(
          file,
          `footnote \`[^${label}]\` has no definition; add a line \`[^${label}]: …\` with the note's text`,
          pointAt(source, start + match.index),
          'footnote-undefined',
        );
      }
    });
    const defined = new Map<string, FootnoteDefinition>();
    visit(tree, 'footnoteDefinition', (node) => {
      const label = node.label ?? node.identifier;
      const first = defined.get(node.identifier);
      if (first !== undefined) {
        fail(
          file,
          `footnote \`[^${label}]\` is defined twice (first at line ${first.position?.start.line ?? '?'}), and only the first shows; merge the two notes, or give this one another label`,
          node.position?.start,
          'definition-duplicate',
        );
        return;
      }
      defined.set(node.identifier, node);
      if (node.children.length === 0) {
        fail(
          file,
          `footnote \`[^${label}]\` has no text; write the note after \`[^${label}]: \``,
          node.position?.start,
          'footnote-empty',
        );
      }
      if (!referenced.has(node.identifier)) {
        warn(
          file,
          `footnote \`[^${node.label ?? node.identifier}]\` is defined but never referenced; it is left out`,
          node.position?.start,
          'footnote-unused',
        );
      }
    });
  };
}
