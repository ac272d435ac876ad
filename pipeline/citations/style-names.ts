/**
 * The citation styles a memo may choose with `csl:`, apart from the engine
 * that formats them (styles.ts), so that reading the front matter never loads
 * citeproc: only a memo that cites does.
 */

/** The styles shipped in styles/csl/, the first the default. */
export const CSL_STYLES = ['chicago-notes-bibliography', 'apa'] as const;
export type CslStyle = (typeof CSL_STYLES)[number];

/** Notes styles turn each citation into a note; the others cite in the text. */
export const NOTE_STYLES: ReadonlySet<CslStyle> = new Set(['chicago-notes-bibliography']);
