/**
 * How the writer fenced the boxes (`:::next-steps` … `:::`), checked on the
 * source, before remark-memo-directives:
 *
 * - a box never closed (its end is the end of the memo, not a `:::` line):
 *   it swallowed everything after it;
 * - a heading inside a next-steps box (usually a box closed too late);
 * - a line that looks like a fence but is not one, so it prints as text:
 *   `::: next-steps` (a space after the colons), or a lone `:::` line with no
 *   box open.
 */
import type { Heading, Root } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail, pointAt } from '../messages.js';
import { textOf } from './remark-lint-link-text.js';
import { BLOCK_DIRECTIVES, nearestDirective } from './remark-memo-directives.js';

const OPENER_WITH_SPACE = /^(:{2,})[ \t]+([A-Za-z][\w-]*)/;
const LONE_FENCE = /^:{3,}[ \t]*$/;
/** Block quote and list markers before a paragraph's later lines. */
const CONTAINER_PREFIX = /^[ \t]*(?:>[ \t]?)*[ \t]*/;

function unclosed(node: ContainerDirective, file: VFile, source: string): void {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return;
  const lines = source.slice(start, end).split('\n');
  if (lines.length > 1 && LONE_FENCE.test((lines.at(-1) ?? '').trim())) return;
  const opener = (lines[0] ?? '').replace(/[[{].*$/, '').trim();
  fail(
    file,
    `\`${opener}\` is never closed, so it takes in the rest of the memo; add a \`:::\` line after its text`,
    node.position?.start,
    'directive-unclosed',
  );
}

function headingsInside(node: ContainerDirective, file: VFile): void {
  if (node.name !== 'next-steps') return;
  const line = node.position?.start.line;
  visit(node, 'heading', (heading: Heading) => {
    fail(
      file,
      `the heading “${textOf(heading)}” is inside the \`:::next-steps\` box opened at line ${line ?? '?'}; end the box with a \`:::\` line before the heading`,
      heading.position?.start,
      'directive-heading-inside',
    );
  });
}

function openerReason(colons: string, name: string): string {
  const block = nearestDirective(name, BLOCK_DIRECTIVES);
  const fix =
    block === undefined
      ? `write the name right after the colons, as in \`:::${BLOCK_DIRECTIVES[0]}\``
      : block === name
        ? `write \`:::${block}\``
        : `did you mean \`:::${block}\`?`;
  return `\`${colons} ${name}\` prints as text, not a box, because of the space after the colons; ${fix}`;
}

export default function remarkDirectiveFences() {
  return (tree: Root, file: VFile): undefined => {
    const source = String(file.value);
    visit(tree, 'containerDirective', (node) => {
      unclosed(node, file, source);
      headingsInside(node, file);
    });
    // A fence written wrongly opens nothing; the `:::` that was to close it is not reported again.
    let pendingClose = 0;
    visit(tree, 'paragraph', (node) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const text = source.slice(start, end);
      if (!text.includes('::')) return; // neither pattern can match
      let offset = start;
      for (const [index, raw] of text.split('\n').entries()) {
        const prefix = index === 0 ? '' : (CONTAINER_PREFIX.exec(raw)?.[0] ?? '');
        const line = raw.slice(prefix.length);
        const at = offset + prefix.length;
        offset += raw.length + 1;
        const opener = OPENER_WITH_SPACE.exec(line);
        if (opener !== null) {
          const [, colons = '', name = ''] = opener;
          fail(file, openerReason(colons, name), pointAt(source, at), 'directive-malformed');
          pendingClose += 1;
        } else if (LONE_FENCE.test(line)) {
          if (pendingClose > 0) pendingClose -= 1;
          else
            fail(
              file,
              `this \`${line.trim()}\` line ends a box, but no box is open here; remove it, or open the box with \`:::${BLOCK_DIRECTIVES[0]}\` before its text`,
              pointAt(source, at),
              'directive-malformed',
            );
        }
      }
    });
  };
}
