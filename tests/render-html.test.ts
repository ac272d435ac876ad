import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHtmlRenderer, findProjectRoot, type HtmlRenderer } from '../pipeline/render/html.js';
import { cssString, pageCss, type PageCssInput } from '../pipeline/render/page-css.js';
import { loadPrecompiled, templateKey } from '../pipeline/render/precompiled.js';
import { readTemplateSources } from '../pipeline/render/template-sources.js';
import type { MemoView } from '../pipeline/render/view.js';

const BODY = [
  '<h2 id="user-content-background">Background</h2>',
  '<p>Text with a note<sup><a href="#user-content-fn-1" id="user-content-fnref-1" data-footnote-ref aria-describedby="footnote-label">1</a></sup>',
  ' and <a href="#rec-fund-staff" class="rec-ref">Recommendation 1</a>.</p>',
  '<table><thead><tr><th>Region</th><th align="right">Share</th></tr></thead><tbody><tr><td>North</td><td align="right">61%</td></tr></tbody></table>',
  '<aside class="next-steps"><p class="next-steps-label">Next steps</p><p>Discuss in June.</p></aside>',
].join('\n');

const NOTES =
  '<section data-footnotes class="footnotes"><h2 id="footnote-label">Notes</h2><ol><li id="user-content-fn-1"><p>Source. <a href="#user-content-fnref-1" data-footnote-backref aria-label="Back to reference 1" class="data-footnote-backref">↩</a></p></li></ol></section>';

function makeView(overrides: Partial<MemoView> = {}): MemoView {
  return {
    lang: 'en-GB',
    title: 'Is the Fund Delivering?',
    subtitle: 'A mid-term assessment',
    shortTitle: 'Is the Fund Delivering?',
    authors: ['Ana Ruiz', 'Tom Lee'],
    byline: 'Ana Ruiz and Tom Lee',
    organization: 'Institute for Public Policy',
    program: 'Climate Program',
    date: '2021-04-30',
    dateDisplay: 'April 30, 2021',
    summary: 'The fund has disbursed less than half of its capital.',
    series: null,
    classification: 'INTERNAL',
    template: 'assessment',
    paper: 'letter',
    notes: 'footnotes',
    contents: 'auto',
    contentsHtml: '',
    notesFirst: false,
    distribution: ['Board of Directors', 'Regional Directors'],
    distributionNote: 'Not for further distribution.',
    recommendations: [
      {
        number: 1,
        id: 'fund-staff',
        anchor: 'rec-fund-staff',
        title: 'Fund technical staff',
        status: 'in-progress',
        statusLabel: 'In progress',
        statusNote: null,
        statusHistory: null,
        summary: 'Allow 10% of each grant for staff.',
      },
      {
        number: 2,
        id: 'publish-data',
        anchor: 'rec-publish-data',
        title: 'Publish the data',
        status: 'stalled',
        statusLabel: 'Stalled',
        statusNote: null,
        statusHistory: null,
        summary: null,
      },
    ],
    recommendationsTitle: 'Appendix: Recommendations',
    bodyHtml: BODY,
    notesHtml: NOTES,
    keywords: ['adaptation', 'public finance'],
    generator: 'memo-press 0.1.0',
    ...overrides,
  };
}

/** Undo `cssString`: strip the quotes and decode `\HEX ` and `\c` escapes. */
function decodeCssString(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  return literal
    .slice(1, -1)
    .replace(
      /\\([0-9a-fA-F]{1,6}) ?|\\(.)/gsu,
      (_, hex: string | undefined, char: string | undefined) =>
        hex !== undefined ? String.fromCodePoint(Number.parseInt(hex, 16)) : (char ?? ''),
    );
}

/** The part of the page after the last `/* page *\/` marker: the per-memo CSS. */
function memoCss(html: string): string {
  return html.slice(html.lastIndexOf('/* page */'), html.indexOf('</style>'));
}

/** The first match of `pattern` with some context, or null (keeps failure output short). */
function firstMatch(haystack: string, pattern: RegExp): string | null {
  const match = pattern.exec(haystack);
  return match === null ? null : haystack.slice(Math.max(0, match.index - 40), match.index + 40);
}

function count(haystack: string, needle: RegExp): number {
  return [...haystack.matchAll(needle)].length;
}

describe('cssString', () => {
  it('quotes plain text unchanged', () => {
    expect(cssString('Institute for Public Policy')).toBe('"Institute for Public Policy"');
    expect(cssString('Café – “naïve” 東京')).toBe('"Café – “naïve” 東京"');
  });

  it('escapes backslash, quotes, newlines and control characters as \\HEX escapes', () => {
    expect(cssString('a\\b')).toBe('"a\\5C b"');
    expect(cssString(`say "hi" it's`)).toBe('"say \\22 hi\\22  it\\27 s"');
    expect(cssString('line\nnext\r\n')).toBe('"line\\A next\\D \\A "');
    expect(cssString('tab\there\u000c\u007f')).toBe('"tab\\9 here\\C \\7F "');
    expect(cssString('nul\u0000')).toBe('"nul\\FFFD "');
    expect(cssString('lone\ud800')).toBe('"lone\\FFFD "');
    expect(cssString('emoji 🙂')).toBe('"emoji 🙂"');
  });

  it('cannot close the <style> element', () => {
    const literal = cssString('</style><script>alert(1)</script>');
    expect(literal).not.toMatch(/[<>]/u);
    expect(literal).toBe('"\\3C /style\\3E \\3C script\\3E alert(1)\\3C /script\\3E "');
  });

  it('round-trips tricky values', () => {
    for (const value of [
      '',
      'a b',
      '\\"\'',
      'x\n\ny',
      '</STYLE >',
      '1\\2 3',
      'a&b',
      '\u2028\u0085',
      '{{#each this}}',
    ]) {
      expect(decodeCssString(cssString(value))).toBe(value);
    }
  });
});

describe('pageCss', () => {
  const input: PageCssInput = {
    paper: 'letter',
    organization: 'Org',
    shortTitle: 'Short',
    classification: null,
  };

  it('sets the paper size', () => {
    expect(pageCss(input)).toContain('size: letter;');
    expect(pageCss({ ...input, paper: 'a4' })).toContain('size: A4;');
  });

  it('prints the running header from page 2 and the page counter on every page', () => {
    const css = pageCss(input);
    expect(css).toContain('@top-left { content: "Org"; }');
    expect(css).toContain('@top-right { content: "Short"; }');
    expect(css).toContain(
      '@bottom-right { content: "Page " counter(page) " of " counter(pages); }',
    );
    const first = css.slice(css.indexOf('@page :first'));
    expect(first).toContain('@top-left { content: none; }');
    expect(first).toContain('@top-right { content: none; }');
    expect(css).not.toContain('@top-center');
  });

  it('prints the classification top and bottom centre, also on the first page', () => {
    const css = pageCss({ ...input, classification: 'SECRET "x"' });
    expect(css).toContain('@top-center { content: "SECRET \\22 x\\22 "; }');
    expect(css).toContain('@bottom-center { content: "SECRET \\22 x\\22 "; }');
    expect(css.slice(css.indexOf('@page :first'))).not.toContain('center');
  });
});

describe('createHtmlRenderer', () => {
  let renderer: HtmlRenderer;
  let temp: string;

  beforeAll(async () => {
    renderer = await createHtmlRenderer();
    temp = await mkdtemp(join(tmpdir(), 'memo-press-html-'));
  });

  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  const variants: readonly [string, Partial<MemoView>][] = [
    ['assessment, full', {}],
    [
      'assessment, bare',
      { classification: null, distribution: [], recommendations: [], summary: null, keywords: [] },
    ],
    ['memorandum, full', { template: 'memorandum', paper: 'a4' }],
    [
      'memorandum, bare',
      { template: 'memorandum', classification: null, distribution: [], recommendations: [] },
    ],
  ];

  it.each(variants)('%s: is a complete, self-contained document', (_, overrides) => {
    const view = makeView(overrides);
    const html = renderer.render(view);
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>Is the Fund Delivering?</title>');
    expect(html).toContain('<meta name="author" content="Ana Ruiz and Tom Lee">');
    expect(html).toContain('<meta name="dcterms.date" content="2021-04-30">');
    expect(html).toContain('<meta name="generator" content="memo-press 0.1.0">');
    expect(html.includes('<meta name="description"')).toBe(view.summary !== null);
    expect(html.includes('<meta name="keywords" content="adaptation, public finance">')).toBe(
      view.keywords.length > 0,
    );
    for (const tag of ['<header', '<main', '<article', '<footer', '<time datetime="2021-04-30">']) {
      expect(html).toContain(tag);
    }
    expect(count(html, /<h1[\s>]/gu)).toBe(1);
    expect(html).toContain(BODY);
    expect(html).toContain(NOTES);

    // No request may leave the file.
    expect(firstMatch(html, /(?:https?|file):/iu)).toBeNull();
    expect(firstMatch(html, /url\((?!\s*["']?data:)/iu)).toBeNull();
    // Latin text: the latin faces of both families (5 + 3), not the latin-ext ones.
    expect(count(html, /@font-face \{/gu)).toBe(8);
    expect(count(html, /url\(data:font\/woff2;base64,/gu)).toBe(8);
    expect(count(html, /<\/style/giu)).toBe(1);
    expect(memoCss(html)).toContain(view.paper === 'a4' ? 'size: A4;' : 'size: letter;');
  });

  it('inlines the latin-ext faces only when a character of the memo needs them', () => {
    const latinExt = /unicode-range: U\+0100-/gu;
    expect(count(renderer.render(makeView({})), latinExt)).toBe(0);
    // In the title, in the body, or only once uppercased by CSS (ÿ → Ÿ, U+0178).
    for (const overrides of [{ title: 'Łódź after the floods' }, { bodyHtml: '<p>Gdańsk</p>' }]) {
      const html = renderer.render(makeView(overrides));
      expect(count(html, latinExt)).toBe(8);
      expect(count(html, /@font-face \{/gu)).toBe(16);
    }
    expect(count(renderer.render(makeView({ title: 'L’Haÿ-les-Roses' })), latinExt)).toBe(8);
  });

  it('escapes every value; only the body and notes are raw', () => {
    const html = renderer.render(
      makeView({
        title: '<b>x</b> {{#each this}}',
        shortTitle: '</style><b>x</b>',
        organization: 'A & B "Institute"',
        recommendations: [],
      }),
    );
    expect(html).toContain('<title>&lt;b&gt;x&lt;/b&gt; {{#each this}}</title>');
    expect(html).toContain('<h1>&lt;b&gt;x&lt;/b&gt; {{#each this}}</h1>');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('A &amp; B &quot;Institute&quot;');
    expect(count(html, /<\/style/giu)).toBe(1);
    expect(memoCss(html)).toContain(
      '@top-right { content: "\\3C /style\\3E \\3C b\\3E x\\3C /b\\3E "; }',
    );
    expect(memoCss(html)).toContain('@top-left { content: "A \\26  B \\22 Institute\\22 "; }');
  });

  it('lists the recommendations in an appendix with number, title and status text', () => {
    const html = renderer.render(makeView());
    expect(html).toContain(
      '<section class="appendix" id="recommendations" aria-labelledby="recommendations-title">',
    );
    expect(html).toContain('<h2 id="recommendations-title">Appendix: Recommendations</h2>');
    const entries = [
      ...html.matchAll(/<li id="(rec-[^"]+)" class="recommendation">([\s\S]*?)<\/li>/gu),
    ];
    expect(entries.map((entry) => entry[1])).toEqual(['rec-fund-staff', 'rec-publish-data']);
    const [first, second] = entries.map((entry) => entry[2] ?? '');
    expect(first).toContain('Recommendation 1');
    expect(first).toContain('Fund technical staff');
    expect(first).toContain('<span class="status status-in-progress">In progress</span>');
    expect(first).toContain('Allow 10% of each grant for staff.');
    expect(second).toContain('Recommendation 2');
    expect(second).toContain('<span class="status status-stalled">Stalled</span>');
    expect(second).not.toContain('recommendation-summary');
  });

  it('renders distribution and classification only when present', () => {
    const full = renderer.render(makeView());
    expect(full).toContain('<h2 id="distribution-title">Distribution</h2>');
    expect(full).toContain('<p class="distribution-note">Not for further distribution.</p>');
    expect(full).toContain('<li>Regional Directors</li>');
    expect(count(full, /class="classification classification-(?:top|bottom)"/gu)).toBe(2);
    expect(memoCss(full)).toContain('@top-center { content: "INTERNAL"; }');

    const bare = renderer.render(
      makeView({ classification: null, distribution: [], recommendations: [] }),
    );
    expect(bare).not.toContain('distribution-title');
    expect(bare).not.toContain('id="recommendations"');
    expect(bare).not.toContain('class="classification');
    expect(memoCss(bare)).not.toContain('@top-center');
  });

  it('memorandum: heading block with recipients, sender, date and the title as h1', () => {
    const html = renderer.render(makeView({ template: 'memorandum' }));
    expect(html).toContain('MEMORANDUM FOR:');
    expect(html).toMatch(/<dt>SUBJECT:<\/dt>\s*<dd><h1>Is the Fund Delivering\?<\/h1>/u);
    expect(html).toMatch(
      /<dt>FROM:<\/dt>\s*<dd>Ana Ruiz and Tom Lee<br>Institute for Public Policy<br>Climate Program<\/dd>/u,
    );
    expect(html).toContain('<li>Board of Directors</li>');
    const bare = renderer.render(makeView({ template: 'memorandum', distribution: [] }));
    expect(bare).toContain('Distribution below');
  });

  it('fingerprints every input: a changed template or stylesheet changes it', async () => {
    const root = findProjectRoot();
    const templatesDir = join(temp, 'templates');
    const stylesDir = join(temp, 'styles');
    await cp(join(root, 'templates'), templatesDir, { recursive: true });
    await cp(join(root, 'styles'), stylesDir, { recursive: true });

    const copy = await createHtmlRenderer({ templatesDir, stylesDir });
    expect(copy.fingerprint).toMatch(/^[0-9a-f]{64}$/u);
    expect(copy.fingerprint).toBe(renderer.fingerprint);
    expect(copy.render(makeView())).toBe(renderer.render(makeView()));

    const partial = join(templatesDir, 'partials', 'colophon.hbs');
    await writeFile(partial, `${await readFile(partial, 'utf8')}<!-- changed -->\n`);
    const changedTemplate = await createHtmlRenderer({ templatesDir, stylesDir });
    expect(changedTemplate.fingerprint).not.toBe(renderer.fingerprint);
    expect(changedTemplate.render(makeView())).toContain('<!-- changed -->');

    await writeFile(join(stylesDir, 'extra.css'), '.x { color: red; }\n');
    const changedStyles = await createHtmlRenderer({ templatesDir, stylesDir });
    expect(changedStyles.fingerprint).not.toBe(changedTemplate.fingerprint);
  });

  it('rejects a stylesheet that would end the <style> element', async () => {
    const stylesDir = join(temp, 'bad-styles');
    await cp(join(findProjectRoot(), 'styles'), stylesDir, { recursive: true });
    await writeFile(join(stylesDir, 'evil.css'), '/* </style><script>x</script> */\n');
    await expect(createHtmlRenderer({ stylesDir })).rejects.toThrow(/<\/style/u);
  });

  it('throws in strict mode when a template reads a field the view does not have', async () => {
    const templatesDir = join(temp, 'strict-templates');
    await cp(join(findProjectRoot(), 'templates'), templatesDir, { recursive: true });
    await writeFile(join(templatesDir, 'assessment.hbs'), '<p>{{nosuchfield}}</p>\n');
    const strict = await createHtmlRenderer({ templatesDir });
    expect(() => strict.render(makeView())).toThrow(/nosuchfield/u);
  });
});

describe('templates compiled ahead (scripts/ensure.mjs)', () => {
  it('has every built-in template and partial', async () => {
    const [specs, sources] = await Promise.all([loadPrecompiled(), readTemplateSources()]);
    const files = [...sources.templateFiles, ...sources.partialFiles];
    expect(files.length).toBeGreaterThan(10);
    const missing = files.filter(
      (file) => !specs.has(templateKey(Buffer.from(file.bytes).toString('utf8'))),
    );
    expect(missing.map((file) => file.name)).toEqual([]);
  });

  it('renders what the templates compiled at run time render, byte for byte', async () => {
    const ahead = await createHtmlRenderer();
    const here = await createHtmlRenderer({}, undefined, new Map());
    for (const view of [
      makeView(),
      makeView({ template: 'memorandum', distribution: [], classification: null }),
      makeView({
        notes: 'endnotes',
        contents: 'true',
        contentsHtml: '<ol><li>Background</li></ol>',
      }),
    ])
      expect(ahead.render(view)).toBe(here.render(view));
  });

  it('keeps strict mode: a missing field still throws', async () => {
    const ahead = await createHtmlRenderer();
    const view = makeView();
    Reflect.deleteProperty(view, 'title');
    expect(() => ahead.render(view)).toThrow(/"title" not defined/u);
  });
});
