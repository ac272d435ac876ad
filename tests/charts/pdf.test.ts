/**
 * In the PDF a chart is vector (no raster image anywhere), its labels are
 * text a reader can select and search, and it is tagged as a Figure whose
 * alt text is the chart's description. Printed with the real Chromium.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OPS, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { pageTexts } from '../helpers/pdf.js';

const source = path.join(import.meta.dirname, '..', 'fixtures', 'charts', 'good', 'charts.md');

interface StructNode {
  readonly role?: string;
  readonly alt?: string;
  readonly children?: readonly (StructNode | { readonly type: string })[];
}

interface PdfFacts {
  /** Raster images painted, over all pages. */
  readonly images: number;
  /** Every Figure of the structure tree that has alt text, with it. */
  readonly figureAlts: string[];
}

function figureAlts(node: StructNode | null | undefined, out: string[]): void {
  if (node === null || node === undefined) return;
  if (node.role === 'Figure' && node.alt !== undefined) out.push(node.alt);
  for (const child of node.children ?? []) if (!('type' in child)) figureAlts(child, out);
}

async function pdfFacts(bytes: Uint8Array): Promise<PdfFacts> {
  const doc = await getDocument({ data: bytes.slice(), isEvalSupported: false, verbosity: 0 })
    .promise;
  try {
    const raster = new Set<number>([
      OPS.paintImageXObject,
      OPS.paintInlineImageXObject,
      OPS.paintImageMaskXObject,
      OPS.paintImageXObjectRepeat,
      OPS.paintInlineImageXObjectGroup,
    ]);
    let images = 0;
    const alts: string[] = [];
    for (let number = 1; number <= doc.numPages; number += 1) {
      const page = await doc.getPage(number);
      const operators = await page.getOperatorList();
      images += operators.fnArray.filter((fn) => raster.has(fn)).length;
      figureAlts(await page.getStructTree(), alts);
    }
    return { images, figureAlts: alts };
  } finally {
    await doc.destroy();
  }
}

let out: string;
let pdf: Uint8Array;

beforeAll(async () => {
  out = await mkdtemp(path.join(tmpdir(), 'memo-charts-pdf-'));
  const run = await runCli(['build', source, '--out', out], path.dirname(source));
  expect(run.stderr).toMatch(/1 memo built, 0 failed/);
  expect(run.code).toBe(0);
  pdf = new Uint8Array(await readFile(path.join(out, 'charts', 'memo.pdf')));
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('a chart in the PDF', () => {
  it('is vector: the PDF paints no raster image', async () => {
    expect((await pdfFacts(pdf)).images).toBe(0);
  });

  it('keeps its labels as text', async () => {
    const text = (await pageTexts(pdf)).join('\n');
    for (const label of ['2019', '2022', 'Year', 'Arrests', 'North', 'South', 'Region', '1,200'])
      expect(text).toContain(label);
    expect(text).toContain('Arrests per year by region'); // the caption
  });

  it('is a Figure with the description as its alt text', async () => {
    expect((await pdfFacts(pdf)).figureAlts).toEqual([
      'Arrests fell in both regions from 2019 to 2022, faster in the North.',
      'The North had 800 arrests in 2022, the South 700.',
    ]);
  });
});
