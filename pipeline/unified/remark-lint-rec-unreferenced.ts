/**
 * Lint (`memo check`): a recommendation of the front matter that the body
 * never refers to with `:rec{#id}`. It still appears in the appendix, but the
 * memo never says why; usually a reference was forgotten or the id changed.
 * The warning points at the recommendation's `id` in the front matter.
 * Runs after remark-memo-directives, which records the referenced ids.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { warn } from '../messages.js';

export const RULE = 'rec-unreferenced';

export default function remarkLintRecUnreferenced() {
  return (_tree: Root, file: VFile): undefined => {
    const recommendations = file.data.frontMatter?.recommendations ?? [];
    const referenced = new Set(file.data.referencedRecommendations ?? []);
    const places = file.data.frontMatterPlaces ?? {};
    recommendations.forEach((item, index) => {
      if (referenced.has(item.id)) return;
      warn(
        file,
        `recommendation \`${item.id}\` (Recommendation ${index + 1}) is never referenced in the body; refer to it with \`:rec{#${item.id}}\` where the memo discusses it`,
        places[`recommendations.${index}.id`] ?? places[`recommendations.${index}`],
        RULE,
      );
    });
  };
}
