/**
 * Numbered captions. A table, an image alone in its paragraph, or a `figure` made earlier in the
 * pipeline (a chart), next to a paragraph `Table: …` / `Figure: …` (just before or just after
 * it, optionally followed by a `Source: …` paragraph), gets "Table N." / "Figure N." and the
 * caption inside the element a screen reader reads with it: `<table><caption>`,
 * `<figure><figcaption>`. A `figure` that already has a `figcaption` is numbered as it is. A
 * caption may end with `{#tbl-id}` / `{#fig-id}`, the id `:ref` points at (docs/print.md).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { h } from 'hastscript';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';

const KINDS = { Table: 'table', Figure: 'figure' } as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];
const PREFIX = /^\s*(Table|Figure):\s+/;
const SOURCE = /^\s*Source:\s+/;
const ID = /\s*\{#([A-Za-z][\w-]*)\}\s*$/;

interface Caption {
  readonly kind: Kind;
  readonly content: ElementContent[];
  readonly id: string | undefined;
}

const isElement = (node: RootContent | undefined, tag?: string): node is Element =>
  node?.type === 'element' && (tag === undefined || node.tagName === tag);
const isBlank = (node: RootContent): boolean => node.type === 'text' && node.value.trim() === '';

/** A lone image's paragraph: `<p><img></p>`. */
function loneImage(node: RootContent | undefined): Element | undefined {
  if (!isElement(node, 'p')) return undefined;
  const inner = node.children.filter((child) => !isBlank(child));
  const [only] = inner;
  return inner.length === 1 && isElement(only) && (only.tagName === 'img' || only.tagName === 'svg')
    ? only
    : undefined;
}

/** `Table: …` / `Figure: …` paragraph → its kind, content (prefix and id removed) and id. */
function captionOf(node: RootContent | undefined): Caption | undefined {
  if (!isElement(node, 'p')) return undefined;
  const first = node.children[0];
  if (first?.type !== 'text') return undefined;
  const match = PREFIX.exec(first.value);
  const word = match?.[1];
  if (match === null || (word !== 'Table' && word !== 'Figure')) return undefined;
  const content = structuredClone(node.children);
  const head = content[0];
  if (head?.type === 'text') head.value = head.value.slice(match[0].length);
  const last = content.at(-1);
  let id: string | undefined;
  if (last?.type === 'text') {
    const found = ID.exec(last.value);
    if (found !== null) {
      id = found[1];
      last.value = last.value.slice(0, found.index);
    }
  }
  return { kind: KINDS[word], content, id };
}

function sourceOf(node: RootContent | undefined): ElementContent[] | undefined {
  if (!isElement(node, 'p')) return undefined;
  const first = node.children[0];
  return first?.type === 'text' && SOURCE.test(first.value) ? node.children : undefined;
}

export default function rehypeMemoCaptions() {
  return (tree: Root, file: VFile): undefined => {
    const counters: Record<Kind, number> = { table: 0, figure: 0 };
    const used = new Set((file.data.headings ?? []).map((heading) => heading.id));
    const captions: { id: string; label: string }[] = [];

    const visitParent = (parent: Root | Element): void => {
      const children = parent.children;
      const next = (from: number, step: 1 | -1): number => {
        let at = from + step;
        while (at >= 0 && at < children.length && isBlank(children[at] as RootContent)) at += step;
        return at;
      };
      for (let i = 0; i < children.length; i += 1) {
        const node = children[i] as RootContent;
        if (!isElement(node)) continue;
        const image = loneImage(node);
        const isTable = node.tagName === 'table';
        const isFigure = node.tagName === 'figure';
        if (!isTable && !isFigure && image === undefined) {
          if (!['pre', 'svg', 'math'].includes(node.tagName)) visitParent(node);
          continue;
        }
        const kind: Kind = isTable ? 'table' : 'figure';
        const hasOwn = isFigure && node.children.some((child) => isElement(child, 'figcaption'));
        // The caption paragraph: after the element, else before it.
        let captionAt = next(i, 1);
        let caption = hasOwn ? undefined : captionOf(children[captionAt] as RootContent);
        if (caption === undefined || caption.kind !== kind) {
          captionAt = next(i, -1);
          caption = hasOwn ? undefined : captionOf(children[captionAt] as RootContent);
        }
        if (caption !== undefined && caption.kind !== kind) caption = undefined;
        if (caption === undefined && !hasOwn) continue;
        counters[kind] += 1;
        const label = `${kind === 'table' ? 'Table' : 'Figure'} ${counters[kind]}`;
        const labelSpan = h('span.caption-label', `${label}.`);
        const remove: number[] = [];
        let source: ElementContent[] | undefined;
        if (caption !== undefined) {
          remove.push(captionAt);
          // A source line follows the caption, or the element when the caption comes before it.
          const afterCaption = next(captionAt, 1);
          const afterElement = next(i, 1);
          const sourceAt = captionAt > i ? afterCaption : afterElement;
          source = sourceOf(children[sourceAt] as RootContent);
          if (source !== undefined) remove.push(sourceAt);
        }
        const sourceSpan = source === undefined ? [] : [h('span.caption-source', source)];
        const id = caption?.id;
        let target: Element;
        if (isTable) {
          target = node;
          node.children.unshift(
            h('caption', [labelSpan, ' ', ...(caption?.content ?? []), ...sourceSpan]),
          );
        } else if (isFigure) {
          target = node;
          const own = node.children.find((child): child is Element =>
            isElement(child, 'figcaption'),
          );
          if (own !== undefined) own.children.unshift(labelSpan, { type: 'text', value: ' ' });
          else
            node.children.push(
              h('figcaption', [labelSpan, ' ', ...(caption?.content ?? []), ...sourceSpan]),
            );
        } else {
          // role=group: a bare <figure> prints as a Figure of its own without alt
          // text around the image's; as a group it is a Div holding the image's
          // Figure (with its alt text) and the Caption (PDF/UA, memo audit).
          target = h('figure', { role: 'group' }, [
            ...(image === undefined ? [] : [image]),
            h('figcaption', [labelSpan, ' ', ...(caption?.content ?? []), ...sourceSpan]),
          ]);
          children[i] = target;
        }
        // A figure made earlier with its caption keeps its markup; only the number is added.
        if (!hasOwn)
          target.properties['className'] = [
            ...(Array.isArray(target.properties['className'])
              ? target.properties['className']
              : []),
            'memo-captioned',
          ];
        // A figure made earlier (a chart) keeps the id it was given, and `:ref` finds it.
        const givenId = target.properties['id'];
        if (id === undefined && hasOwn && typeof givenId === 'string' && givenId !== '') {
          used.add(givenId);
          captions.push({ id: givenId, label });
        } else if (id !== undefined) {
          if (used.has(id)) {
            fail(
              file,
              `the id \`${id}\` of this caption is used twice in the memo; give the caption an id of its own, such as \`{#${kind === 'table' ? 'tbl' : 'fig'}-${counters[kind]}}\``,
              children[captionAt]?.position?.start,
              'caption-id',
            );
          } else {
            used.add(id);
            target.properties['id'] = id;
            captions.push({ id, label });
          }
        }
        for (const at of remove.sort((a, b) => b - a)) {
          children.splice(at, 1);
          if (at < i) i -= 1;
        }
      }
    };
    visitParent(tree);
    file.data.captions = captions;
  };
}
