/**
 * Images come only from files inside the memo's own folder, and are inlined
 * as `data:` URLs at build time, so the HTML opens offline and the PDF
 * renderer never fetches anything. Remote, absolute, `file:`, `data:` and
 * `../` sources are errors at the image's line.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail } from '../messages.js';

const MAX_BYTES = 10 * 1024 * 1024;

/** The image type from its first bytes; never trust the file name. */
export function sniffImage(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return undefined;
}

function resolveInside(folder: string, src: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(src.split(/[?#]/)[0] ?? '');
  } catch {
    return undefined;
  }
  if (decoded === '' || path.isAbsolute(decoded) || decoded.startsWith('\\')) return undefined;
  const target = path.resolve(folder, decoded);
  try {
    const real = realpathSync(target);
    const relative = path.relative(realpathSync(folder), real);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return real;
  } catch {
    return target;
  }
}

function inline(node: Element, file: VFile, folder: string): void {
  const src = node.properties['src'];
  const place = node.position?.start;
  const rule = 'image-source';
  if (typeof src !== 'string' || src === '') {
    fail(file, 'image has no usable source: use an image file in the memo\'s folder, as in `![Chart of X](chart.png)`', place, rule);
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    fail(file, `image \`${src}\` is not a local file: a memo must open offline, so save the image in the memo's folder and use a relative path`, place, rule);
    return;
  }
  const target = resolveInside(folder, src);
  if (target === undefined) {
    fail(file, `image \`${src}\` is outside the memo's folder: images must be files in the folder of the memo or below it`, place, rule);
    return;
  }
  let bytes: Uint8Array;
  try {
    const stat = statSync(target);
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > MAX_BYTES) {
      fail(file, `image \`${src}\` is larger than 10 MB; reduce it before adding it to a memo`, place, rule);
      return;
    }
    bytes = readFileSync(target);
  } catch {
    fail(file, `image \`${src}\` was not found in the memo's folder`, place, 'image-missing');
    return;
  }
  const type = sniffImage(bytes);
  if (type === undefined) {
    fail(file, `image \`${src}\` is not a PNG, JPEG, GIF, WebP or SVG image`, place, 'image-type');
    return;
  }
  node.properties['src'] = `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

export default function rehypeMemoImages() {
  return (tree: Root, file: VFile): undefined => {
    const folder = file.dirname ?? process.cwd();
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img') inline(node, file, folder);
    });
  };
}
