/**
 * Images come only from files inside the memo's own folder, and are inlined
 * as `data:` URLs at build time, so the HTML opens offline and the PDF
 * renderer never fetches anything. Remote, absolute, `file:`, `data:` and
 * `../` sources (and symbolic links leading out of the folder) are errors at
 * the image's line, and so is an SVG with scripts, event handlers or
 * references to other files (svg-check.ts). Only regular files are read, at
 * most 10 MB each and 20 MB for all the images of a memo, every use counted.
 * A rejected image loses its `src`.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { readBoundedSync } from '../io/read-bounded.js';
import { fail } from '../messages.js';

type SvgCheck = (typeof import('./svg-check.js'))['svgActiveContent'];

const MB = 1024 * 1024;
const MAX_BYTES = 10 * MB;
/**
 * Bytes of all the images one memo inlines, each use counted (the HTML holds
 * a copy per use, in base64): a memo's HTML stays under about 30 MB, and a
 * memo that names one big image forty times fails at once instead of
 * building gigabytes.
 */
export const MAX_INLINED_BYTES = 20 * MB;
const MAX_SHOWN = 80;

/** The image type from its first bytes; never trust the file name. */
export function sniffImage(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) =>
    signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45) return 'image/webp';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  // A DOCTYPE (refused by svg-check.ts, with its line) still makes the file an SVG.
  if (
    /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg(?:[^>[]|\[[\s\S]*?\])*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(
      head,
    )
  )
    return 'image/svg+xml';
  return undefined;
}

/** Whether `target` is `folder` or below it (lexically). */
function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `src` resolved in `folder`; undefined when it leads out of it (charts' data files too). */
export function resolveInside(folder: string, src: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(src.split(/[?#]/)[0] ?? '');
  } catch {
    return undefined;
  }
  if (decoded === '' || path.isAbsolute(decoded) || decoded.startsWith('\\')) return undefined;
  const target = path.resolve(folder, decoded);
  // `../` that leaves the folder is refused whether or not the file exists.
  if (!isInside(folder, target)) return undefined;
  try {
    // …and so is a symbolic link (of the file or of a folder on the way) that leads out.
    const real = realpathSync(target);
    return isInside(realpathSync(folder), real) ? real : undefined;
  } catch {
    return target; // missing: reported as such
  }
}

/** The source as the writer typed it, cut short for a message (a data: URL can be megabytes). */
function shown(src: string): string {
  return src.length <= MAX_SHOWN ? src : `${src.slice(0, MAX_SHOWN - 1)}…`;
}

function schemeProblem(src: string): [reason: string, rule: string] | undefined {
  const name = `image \`${shown(src)}\``;
  if (/^data:/i.test(src)) {
    return [
      `${name} is a data: URL: save the image as a file in the memo's folder and use a relative path, as in \`![Chart of X](chart.png)\``,
      'image-source',
    ];
  }
  if (/^file:/i.test(src)) {
    return [
      `${name} is a file: URL: give an image as a path relative to the memo, to a file in its folder or below it, as in \`![Chart of X](chart.png)\``,
      'image-source',
    ];
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    return [
      `${name} is not a local file: a memo must open offline, so save the image in the memo's folder and use a relative path`,
      'image-source',
    ];
  }
  return undefined;
}

interface Budget {
  /** Bytes inlined so far in this memo. */
  used: number;
}

/** The image's bytes, or undefined with the reason on `file`. */
function readImage(file: VFile, src: string, target: string, place: Element['position']) {
  const at = place?.start;
  const read = readBoundedSync(target, MAX_BYTES);
  if (read.ok) {
    (file.data.dependencies ??= []).push(target);
    return read.bytes;
  }
  const name = `image \`${shown(src)}\``;
  if (read.problem === 'too-large')
    fail(
      file,
      `${name} is larger than 10 MB; reduce it before adding it to a memo`,
      at,
      'image-source',
    );
  else if (read.problem === 'not-a-file')
    fail(
      file,
      `${name} is not a regular file (it is a folder, a device or a pipe): save the image as a file in the memo's folder`,
      at,
      'image-source',
    );
  else if (read.problem === 'unreadable')
    fail(
      file,
      `${name} could not be read: check that you are allowed to open it`,
      at,
      'image-missing',
    );
  else fail(file, `${name} was not found in the memo's folder`, at, 'image-missing');
  return undefined;
}

/** Inline the image as a data: URL; on any problem, record it and drop the `src`. */
async function inline(
  node: Element,
  file: VFile,
  folder: string,
  budget: Budget,
  svgCheck: () => Promise<SvgCheck>,
): Promise<void> {
  const src = node.properties['src'];
  const place = node.position?.start;
  const rule = 'image-source';
  if (typeof src !== 'string' || src === '') {
    fail(
      file,
      "image has no usable source: use an image file in the memo's folder, as in `![Chart of X](chart.png)`",
      place,
      rule,
    );
    return;
  }
  node.properties['src'] = undefined; // restored below only when inlined
  const found = schemeProblem(src);
  if (found !== undefined) {
    fail(file, found[0], place, found[1]);
    return;
  }
  const target = resolveInside(folder, src);
  if (target === undefined) {
    fail(
      file,
      `image \`${shown(src)}\` is outside the memo's folder: images must be files in the folder of the memo or below it`,
      place,
      rule,
    );
    return;
  }
  // Past the total, the error is given once (below) and no further image is read.
  if (budget.used > MAX_INLINED_BYTES) return;
  const bytes = readImage(file, src, target, node.position);
  if (bytes === undefined) return;
  budget.used += bytes.byteLength;
  if (budget.used > MAX_INLINED_BYTES) {
    fail(
      file,
      `image \`${shown(src)}\` brings the images of this memo to ${(budget.used / MB).toFixed(1)} MB, over the ${MAX_INLINED_BYTES / MB} MB a memo may hold (every use of an image counts, since the HTML carries a copy each time): make the images smaller or use fewer`,
      place,
      'image-source',
    );
    return;
  }
  const type = sniffImage(bytes);
  if (type === undefined) {
    fail(
      file,
      `image \`${shown(src)}\` is not a PNG, JPEG, GIF, WebP or SVG image`,
      place,
      'image-type',
    );
    return;
  }
  const active = type === 'image/svg+xml' ? (await svgCheck())(bytes) : undefined;
  if (active !== undefined) {
    fail(
      file,
      `image \`${shown(src)}\` is an SVG with ${active}; export it again as a plain drawing (or as PNG), since a reader who saves and opens the image would be exposed to it`,
      place,
      'image-type',
    );
    return;
  }
  node.properties['src'] = `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

async function inlineAll(images: readonly Element[], file: VFile): Promise<undefined> {
  // A relative path is relative to the file's own cwd (the CLI's), not the process's.
  const folder = path.resolve(file.cwd, file.dirname ?? '.');
  const budget: Budget = { used: 0 };
  let check: Promise<SvgCheck> | undefined;
  // The SVG check (and its XML parser) loads only for a memo with an SVG image.
  const svgCheck = () =>
    (check ??= import('./svg-check.js').then((module) => module.svgActiveContent));
  for (const node of images) await inline(node, file, folder, budget, svgCheck);
  return undefined;
}

export default function rehypeMemoImages() {
  return (tree: Root, file: VFile): Promise<undefined> | undefined => {
    const images: Element[] = [];
    visit(tree, 'element', (node) => {
      if (node.tagName === 'img') images.push(node);
    });
    return images.length === 0 ? undefined : inlineAll(images, file);
  };
}
