/** A Word draft as writers send them, made with the docx package: what `memo import` is tested on. */
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  EndnoteReferenceRun,
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  SimpleField,
  TextRun,
  Textbox,
} from 'docx';
import { png } from '../security/harness.js';

const cell = (text: string, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

export async function wordDraft(): Promise<Uint8Array> {
  const document = new Document({
    title: 'Safer Crossings: Six-Month Review',
    creator: 'Ana Ruiz; Tom Lee',
    styles: {
      paragraphStyles: [{ id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal' }],
    },
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: [0, 1].map((level) => ({
            level,
            format: LevelFormat.BULLET,
            text: level === 0 ? '•' : '◦',
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    footnotes: {
      1: { children: [new Paragraph('City crash records, January to June 2026.')] },
      2: { children: [new Paragraph('Counted by the school board in May.')] },
    },
    endnotes: {
      1: { children: [new Paragraph('Data portal figures as of 30 June.')] },
    },
    comments: {
      children: [
        {
          id: 0,
          author: 'Editor',
          date: new Date('2026-06-01T00:00:00Z'),
          children: [new Paragraph('Check this figure')],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Safer Crossings: Six-Month Review', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: 'Where the crossings programme stands', style: 'Subtitle' }),
          new Paragraph({ text: 'Summary', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('Crashes at school crossings fell by a '),
              new TextRun({ text: 'third', bold: true }),
              new TextRun(' in six months.'),
              new FootnoteReferenceRun(1),
              new TextRun(' '),
              new CommentRangeStart(0),
              new TextRun('Twelve crossings are done.'),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new DeletedTextRun({
                text: ' Eight remain.',
                id: 1,
                author: 'Editor',
                date: '2026-06-01T00:00:00Z',
              }),
            ],
          }),
          new Paragraph({
            text: 'Progress on Recommendation 1: Redesign the worst crossings',
            heading: HeadingLevel.HEADING_1,
          }),
          new Paragraph({ text: 'The work so far:' }),
          new Paragraph({
            text: 'Raised crossings',
            numbering: { reference: 'bullets', level: 0 },
          }),
          new Paragraph({ text: 'Near schools', numbering: { reference: 'bullets', level: 1 } }),
          new Paragraph({ text: 'Near hospitals', numbering: { reference: 'bullets', level: 1 } }),
          new Paragraph({ text: 'New signals', numbering: { reference: 'bullets', level: 0 } }),
          new Table({
            rows: [
              new TableRow({
                tableHeader: true,
                children: [cell('District', true), cell('Crossings done', true)],
              }),
              new TableRow({ children: [cell('North'), cell('7')] }),
              new TableRow({ children: [cell('South'), cell('5')] }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun({ text: 'NEXT STEPS:', bold: true }),
              new TextRun(' Fund the remaining crossings in the autumn budget.'),
              new FootnoteReferenceRun(2),
            ],
          }),
          new Paragraph({
            text: 'Progress on Recommendation 2: Publish crossing data',
            heading: HeadingLevel.HEADING_1,
          }),
          new Paragraph({
            children: [
              new TextRun('The data is online at '),
              new TextRun({ text: 'the open data portal', italics: true }),
              new TextRun('.'),
              new EndnoteReferenceRun(1),
            ],
          }),
          new Textbox({
            style: { width: '200pt', height: '40pt' },
            children: [new Paragraph('Boxed aside on school travel')],
          }),
          new Paragraph({
            children: [
              new TextRun('This review has '),
              new SimpleField('NUMPAGES', '3'),
              new TextRun(' pages.'),
            ],
          }),
          new Paragraph({
            children: [
              new ImageRun({
                type: 'png',
                data: png(30, 20),
                transformation: { width: 30, height: 20 },
                altText: {
                  name: 'Crossings by district',
                  description: 'Crossings by district',
                  title: 'Crossings by district',
                },
              }),
            ],
          }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
