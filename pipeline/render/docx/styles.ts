/**
 * The Word styles a memo's .docx uses: Word's own (Title, Subtitle, Heading
 * 1–3, Quote, List Paragraph, Caption, Footnote Text) so that an editor's
 * template restyles it, and a few of the memo's own, named for what they are.
 */
import { AlignmentType, LevelFormat } from 'docx';
import type { INumberingOptions, IStylesOptions } from 'docx';

export const STYLE = {
  title: 'Title',
  subtitle: 'Subtitle',
  quote: 'Quote',
  caption: 'Caption',
  code: 'MemoCode',
  byline: 'MemoByline',
  nextSteps: 'MemoNextSteps',
  marking: 'MemoClassification',
} as const;

const SERIF = 'Source Serif 4';
const SANS = 'Source Sans 3';

export function memoStyles(lang: string): IStylesOptions {
  return {
    default: {
      document: {
        run: { font: SERIF, size: 22, language: { value: lang } },
        paragraph: { spacing: { after: 120, line: 276 } },
      },
      title: { run: { font: SANS, size: 44, bold: true }, paragraph: { spacing: { after: 120 } } },
      heading1: {
        run: { font: SANS, size: 30, bold: true },
        paragraph: { spacing: { before: 280, after: 120 }, keepNext: true },
      },
      heading2: {
        run: { font: SANS, size: 26, bold: true },
        paragraph: { spacing: { before: 240, after: 100 }, keepNext: true },
      },
      heading3: {
        run: { font: SANS, size: 23, bold: true, italics: true },
        paragraph: { spacing: { before: 200, after: 80 }, keepNext: true },
      },
      listParagraph: { paragraph: { spacing: { after: 60 } } },
      caption: { run: { font: SANS, size: 18, italics: true } },
    },
    paragraphStyles: [
      {
        id: STYLE.subtitle,
        name: 'Subtitle',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { font: SANS, size: 28, color: '444444' },
      },
      {
        id: STYLE.quote,
        name: 'Quote',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { italics: true },
        paragraph: { indent: { left: 720, right: 720 } },
      },
      {
        id: STYLE.code,
        name: 'Memo Code',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: 'Courier New', size: 19 },
        paragraph: { spacing: { after: 0 } },
      },
      {
        id: STYLE.byline,
        name: 'Memo Byline',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: SANS, size: 21 },
        paragraph: { spacing: { after: 40 } },
      },
      {
        id: STYLE.nextSteps,
        name: 'Memo Next Steps',
        basedOn: 'Normal',
        next: 'Normal',
        paragraph: {
          indent: { left: 360 },
          border: { left: { style: 'single', size: 18, color: '1F4E79', space: 8 } },
        },
      },
      {
        id: STYLE.marking,
        name: 'Memo Classification',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: SANS, size: 18, bold: true, allCaps: true },
        paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 0 } },
      },
    ],
  };
}

export const BULLETS = 'memo-bullets';
export const NUMBERS = 'memo-numbers';

const LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

export function memoNumbering(): INumberingOptions {
  return {
    config: [
      {
        reference: BULLETS,
        levels: LEVELS.map((level) => ({
          level,
          format: LevelFormat.BULLET,
          text: ['•', '◦', '▪'][level % 3] ?? '•',
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
        })),
      },
      {
        reference: NUMBERS,
        levels: LEVELS.map((level) => ({
          level,
          format:
            [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN][level % 3] ??
            LevelFormat.DECIMAL,
          text: `%${level + 1}.`,
          alignment: AlignmentType.LEFT,
          style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
        })),
      },
    ],
  };
}
