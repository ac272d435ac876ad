/**
 * Placeholders left in a memo (warnings; `memo publish` refuses them unless
 * forced): the sample values of `memo new` (pipeline/placeholders.ts), in the
 * front matter or the body, and markers such as TODO, TBD, TK or XXX as whole
 * words in the text (not in code, URLs or HTML comments, which never show).
 */
import type { Root } from 'mdast';
import type { Point } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { fail, pointAt, warn } from '../messages.js';
import { findMarkers, findSamples } from '../placeholders.js';

export const SAMPLE_RULE = 'placeholder-sample';
export const MARKER_RULE = 'placeholder-marker';
export const PLACEHOLDER_RULES: readonly string[] = [SAMPLE_RULE, MARKER_RULE];

const markerReason = (marker: string, where: string) =>
  `“${marker}”${where} marks something left to finish; write the missing text and remove the marker (\`memo publish\` refuses it)`;

/** Every string in the front matter, with its dotted key path (`recommendations.0.title`). */
function strings(value: unknown, prefix: string, into: [string, string][]): [string, string][] {
  if (typeof value === 'string') into.push([prefix, value]);
  else if (Array.isArray(value))
    value.forEach((item, index) => strings(item, `${prefix}.${index}`, into));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value))
      strings(item, prefix === '' ? key : `${prefix}.${key}`, into);
  }
  return into;
}

function checkFrontMatter(file: VFile): void {
  const places = file.data.frontMatterPlaces ?? {};
  const placeOf = (key: string): Point | undefined => {
    for (let parts = key.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
      const place = places[parts.join('.')];
      if (place !== undefined) return place;
    }
    return undefined;
  };
  for (const [key, value] of strings(file.data.frontMatter, '', [])) {
    const shown = key.replace(/\.(\d+)/g, (_, index: string) => `[${index}]`);
    for (const sample of findSamples(value)) {
      warn(
        file,
        `\`${shown}\` still has the sample value “${sample.value}” of \`memo new\`; replace it with the memo's own`,
        placeOf(key),
        SAMPLE_RULE,
      );
    }
    for (const hit of findMarkers(value))
      warn(file, markerReason(hit.marker, ` in \`${shown}\``), placeOf(key), MARKER_RULE);
  }
}

export default function remarkPlaceholders() {
  return (tree: Root, file: VFile): undefined => {
    checkFrontMatter(file);
    const source = String(file.value);
    visit(tree, (node) => {
      if (node.type === 'image' && node.alt) {
        for (const hit of findMarkers(node.alt))
          warn(
            file,
            markerReason(hit.marker, ' in an image description'),
            node.position?.start,
            MARKER_RULE,
          );
        return;
      }
      if (node.type !== 'text') return;
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const text = source.slice(start, end);
      for (const sample of findSamples(text)) {
        warn(
          file,
          `“${sample.value}” is sample text of \`memo new\`; replace it with the memo's own`,
          pointAt(source, start + sample.index),
          SAMPLE_RULE,
        );
      }
      for (const hit of findMarkers(text))
        warn(file, markerReason(hit.marker, ''), pointAt(source, start + hit.index), MARKER_RULE);
    });
  };
}

/**
 * For `memo publish` (unless forced): the placeholder warnings become errors,
 * followed by one that says how to publish anyway. True when there were any.
 */
export function placeholdersRefused(file: VFile): boolean {
  const found = file.messages.filter(
    (message) => message.fatal !== true && PLACEHOLDER_RULES.includes(message.ruleId ?? ''),
  );
  if (found.length === 0) return false;
  for (const message of found) message.fatal = true;
  const many = found.length > 1;
  fail(
    file,
    `${found.length} placeholder${many ? 's are' : ' is'} left in the memo, so it is not published; replace ${many ? 'them' : 'it'} with the memo's own text, or publish anyway with --force "reason"`,
    { line: 1, column: 1 },
    'placeholder-publish',
  );
  return true;
}
