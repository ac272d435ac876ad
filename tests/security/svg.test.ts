/**
 * An SVG image is refused unless it is a plain drawing that stays inert when
 * a reader saves it and opens it on its own: checked as an XML tree (after
 * entity and character-reference decoding) by namespace and local name, with
 * CSS read after its escapes are decoded. Each class has several spellings.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { svgActiveContent } from '../../pipeline/unified/svg-check.js';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { auditHtml, imageSources, startLoopback, tempDir } from './harness.js';
import type { Loopback } from './harness.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const svg = (inner: string, attributes = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20"${attributes}>\n${inner}\n</svg>\n`;
const remote = 'http://127.0.0.1:9/x';

/** The reason's first words, without the line (checked separately). */
function refusal(text: string): string | undefined {
  return svgActiveContent(text)?.replace(/ \(line \d+ of the SVG\)$/, '');
}

describe('plain drawings are accepted', () => {
  it.each([
    [
      'a chart with gradients, clip paths, markers, symbols and internal references',
      svg(
        '<defs><linearGradient id="g" gradientTransform="rotate(90)"><stop offset="0" stop-color="#123"/><stop offset="1" style="stop-color: rgb(1, 2, 3)"/></linearGradient>' +
          '<clipPath id="c"><rect width="9" height="9"/></clipPath><marker id="m" markerWidth="4" markerHeight="4" refX="2" refY="2" orient="auto"><circle r="2"/></marker>' +
          '<symbol id="s" viewBox="0 0 9 9"><path d="M0 0h9v9z"/></symbol></defs>' +
          '<g clip-path="url(#c)" transform="translate(1, 2) scale(2)"><rect fill="url(#g)" style="fill: url(&quot;#g&quot;)" width="9" height="9"/></g>' +
          '<polyline points="0,0 4,4" marker-end="url(#m)" stroke="black" stroke-dasharray="2 1"/><use href="#s" x="3"/><use xlink:href="#s"/>',
      ),
    ],
    [
      'a matplotlib-style export with a stylesheet in CDATA and a filter',
      svg(
        '<metadata><title>Figure</title></metadata><defs><style type="text/css"><![CDATA[\n*{stroke-linejoin: round; stroke-linecap: butt}\n.a { fill: url("#g"); font-family: "DejaVu Sans", sans-serif; }\n@media print { .b { opacity: calc(1 / 2) } }\n]]></style>' +
          '<filter id="f" x="0" y="0"><feGaussianBlur in="SourceGraphic" stdDeviation="2" result="b"/><feOffset dx="1" dy="1"/><feMerge><feMergeNode in="b"/></feMerge></filter></defs>' +
          '<text x="1" y="9" filter="url(#f)" xml:space="preserve">Sales (2024) <tspan font-weight="bold">up</tspan></text>',
      ),
    ],
    [
      'an Inkscape export with editor namespaces and an RDF licence block',
      svg(
        '<sodipodi:namedview id="base" pagecolor="#ffffff" inkscape:zoom="1.4"/>' +
          '<metadata><rdf:RDF><cc:Work rdf:about=""><dc:format>image/svg+xml</dc:format><dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/></cc:Work></rdf:RDF></metadata>' +
          '<g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1"><path d="M1 1L9 9" style="fill:none;stroke:#000000;stroke-width:1px"/></g>',
        ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"' +
          ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"',
      ),
    ],
    [
      'an Illustrator-style logo with classes, data-name, a web link and embedded raster data',
      svg(
        '<defs><style>.cls-1{fill:#fff;}.cls-2{fill:#e30613;}</style></defs><title>Logo</title><desc>Our logo</desc>' +
          '<g id="Layer_1" data-name="Layer 1"><rect class="cls-2" width="40" height="20" rx="3"/></g>' +
          '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/><a href="https://example.org/source" target="_blank"><text class="cls-1" aria-label="Source">Source</text></a>',
        ' viewBox="0 0 40 20" version="1.1"',
      ),
    ],
  ])('%s', (_name, drawing) => {
    expect(svgActiveContent(drawing)).toBeUndefined();
    expect(svgActiveContent(new TextEncoder().encode(drawing))).toBeUndefined();
  });
});

describe('scripts and active elements, in any namespace spelling', () => {
  it.each([
    ['<script>alert(1)</script>', 'a <script> element'],
    [`<svg:script xmlns:svg="${SVG_NS}">alert(1)</svg:script>`, 'a <svg:script> element'],
    [`<x:script xmlns:x="${SVG_NS}">alert(1)</x:script>`, 'a <x:script> element'],
    [`<g xmlns="${SVG_NS}"><script>alert(1)</script></g>`, 'a <script> element'],
    [
      '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
      'a <h:script> element from the namespace http://www.w3.org/1999/xhtml',
    ],
    [
      '<metadata><script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script></metadata>',
      'a <script> element from the namespace http://www.w3.org/1999/xhtml',
    ],
    ['<foreignObject><div>x</div></foreignObject>', 'a <foreignObject> element'],
    ['<handler type="application/ecmascript">alert(1)</handler>', 'a <handler> element'],
    ['<Script>alert(1)</Script>', 'a <Script> element'],
    ['<set attributeName="href" to="javascript:alert(1)"/>', 'a <set> element'],
    [`<animate attributeName="fill" values="url(${remote})"/>`, 'a <animate> element'],
    ['<iframe src="x"/>', 'a <iframe> element'],
    ['<rect onclick="alert(1)"/>', 'an event handler (`onclick`)'],
    ['<rect ONLOAD="alert(1)"/>', 'an event handler (`ONLOAD`)'],
    [
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" onload="alert(1)"/>',
      'an event handler (`onload`)',
    ],
    [
      '<rect h:onclick="alert(1)" xmlns:h="http://www.w3.org/1999/xhtml"/>',
      'an attribute `h:onclick` from the namespace http://www.w3.org/1999/xhtml',
    ],
  ])('refuses %s', (inner, reason) => {
    expect(refusal(svg(inner))).toBe(reason);
  });

  it('names the line of the SVG the element is on', () => {
    expect(svgActiveContent(svg('<g>\n<rect/>\n<script>alert(1)</script></g>'))).toBe(
      'a <script> element (line 5 of the SVG)',
    );
  });
});

describe('url() hidden by XML character references or CSS escapes', () => {
  const refused = (shown: string) => `a reference to another file or site (\`url(${shown})\`)`;
  it.each([
    ['<rect fill="url(&#104;ttp://127.0.0.1:9/x)"/>', 'fill'],
    ['<rect fill="&#x75;&#x72;&#x6C;(http://127.0.0.1:9/x)"/>', 'fill'],
    ['<rect style="fill: u\\72l(http://127.0.0.1:9/x)"/>', 'style'],
    ['<rect style="fill: \\75\\72\\6c(http://127.0.0.1:9/x)"/>', 'style'],
    ['<rect style="fill: \\000075 rl(http://127.0.0.1:9/x)"/>', 'style'],
    ['<rect style="fill: URL( &quot;http://127.0.0.1:9/x&quot; )"/>', 'style'],
    ['<rect style="fill: url(\\68ttp://127.0.0.1:9/x)"/>', 'style'],
    ['<rect style="fill: url(\'\\68 ttp://127.0.0.1:9/x\')"/>', 'style'],
    ['<rect style="fill: url(&#x27;http://127.0.0.1:9/x&#x27;)"/>', 'style'],
    ['<rect style="fill: red; /* a comment */ stroke: url(http://127.0.0.1:9/x)"/>', 'style'],
  ])('refuses %s', (inner) => {
    expect(refusal(svg(inner))).toMatch(/^a reference to another file or site \(`url\(/);
    expect(refusal(svg(inner))).toContain('127.0.0.1:9/x');
  });

  it.each([
    ['<style>.a { fill: url(http://127.0.0.1:9/x) }</style>'],
    ['<style><![CDATA[ .a { fill: \\75 rl(http://127.0.0.1:9/x) } ]]></style>'],
    ['<style>.a { content: "*/"; } /* "*/ .b { fill: url(http://127.0.0.1:9/x) }</style>'],
    ['<style>.a { fill: u&#114;l(http://127.0.0.1:9/x) }</style>'],
  ])('refuses a stylesheet: %s', (inner) => {
    expect(refusal(svg(inner))).toBe(`${refused('http://127.0.0.1:9/x')} in a stylesheet`);
  });

  it.each([
    ['<style>@import "http://127.0.0.1:9/x.css";</style>', 'the CSS rule `@import`'],
    ['<style>@\\69mport url(x.css);</style>', 'the CSS rule `@import`'],
    ['<style>&#64;import "x.css";</style>', 'the CSS rule `@import`'],
    ['<style>@namespace url(x);</style>', 'the CSS rule `@namespace`'],
    ['<style>.a { background: image-set("x.png" 1x) }</style>', 'the CSS function `image-set()`'],
    [
      '<style>.a { background: -webkit-image-set("x.png" 1x) }</style>',
      'the CSS function `-webkit-image-set()`',
    ],
    ['<style>@font-face { src: src("x.woff") }</style>', 'the CSS function `src()`'],
    ['<style>.a { width: expression(alert(1)) }</style>', 'the CSS function `expression()`'],
  ])('refuses %s', (inner, reason) => {
    expect(refusal(svg(inner))).toBe(`${reason} in a stylesheet`);
  });
});

describe('filter, mask, clip-path and other references to another file or site', () => {
  it.each([
    [`<rect filter="url(${remote}#f)"/>`, `url(${remote}#f)`],
    [`<rect mask="url('${remote}#m')"/>`, `url(${remote}#m)`],
    [`<rect clip-path="url(&quot;${remote}#c&quot;)"/>`, `url(${remote}#c)`],
    [`<path marker-end="url(${remote}#m)"/>`, `url(${remote}#m)`],
    [`<rect cursor="url(${remote}.cur), auto"/>`, `url(${remote}.cur)`],
    [`<rect style="filter: url(other.svg#f)"/>`, 'url(other.svg#f)'],
    [`<rect fill="url(file:///etc/passwd#x)"/>`, 'url(file:///etc/passwd#x)'],
  ])('refuses %s', (inner, shown) => {
    expect(refusal(svg(inner))).toMatch(
      new RegExp(
        `^a reference to another file or site \\(\`${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\\) in`,
      ),
    );
  });

  it.each([
    ['<image href="file:///etc/passwd"/>', '`href="file:///etc/passwd"`'],
    [`<image xlink:href="${remote}.png"/>`, `\`xlink:href="${remote}.png"\``],
    ['<use href="other.svg#icon"/>', '`href="other.svg#icon"`'],
    ['<feImage href="http://127.0.0.1:9/x.png"/>', '`href="http://127.0.0.1:9/x.png"`'],
    ['<a href="javascript:alert(1)"><text>x</text></a>', '`href="javascript:alert(1)"`'],
    ['<a href=" java&#9;script:alert(1)"><text>x</text></a>', '`href="java script:alert(1)"`'],
    ['<image href="data:image/svg+xml,&lt;svg/&gt;"/>', '`href="data:image/svg+xml,<svg/>"`'],
    ['<use href="data:text/html,x"/>', '`href="data:text/html,x"`'],
  ])('refuses %s', (inner, shown) => {
    expect(refusal(svg(inner))).toBe(`a reference to another file or site (${shown})`);
  });
});

describe('what only an XML parser reads, and files that are not plain UTF-8 XML', () => {
  it.each([
    [
      `<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;">]><svg xmlns="${SVG_NS}">&x;</svg>`,
      'a DOCTYPE (which may declare entities)',
    ],
    [
      `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="${SVG_NS}"/>`,
      'a DOCTYPE (which may declare entities)',
    ],
    [
      `<?xml-stylesheet href="${remote}.css"?><svg xmlns="${SVG_NS}"/>`,
      'a processing instruction `<?xml-stylesheet`',
    ],
    [`<svg xmlns="${SVG_NS}"><?php echo 1; ?></svg>`, 'a processing instruction `<?php`'],
    [
      `<svg xmlns="${SVG_NS}">&x;</svg>`,
      'a syntax error (it is not well-formed XML, so no browser would show it)',
    ],
    [
      `<svg xmlns="${SVG_NS}"><rect></svg>`,
      'a syntax error (it is not well-formed XML, so no browser would show it)',
    ],
    [
      `<svg xmlns="${SVG_NS}"><rect xlink:href="#a"/></svg>`,
      'a syntax error (it is not well-formed XML, so no browser would show it)',
    ],
    [
      `<?xml version="1.0" encoding="ISO-2022-JP"?><svg xmlns="${SVG_NS}"/>`,
      'the text encoding ISO-2022-JP (save as UTF-8)',
    ],
    ['<svg><rect/></svg>', `a <svg> element where <svg xmlns="${SVG_NS}"> must be`],
    [
      `<svg xmlns="${SVG_NS}" xml:base="${remote}/"><use href="#a"/></svg>`,
      'an attribute `xml:base` on <svg>',
    ],
  ])('refuses %s', (text, reason) => {
    expect(refusal(text)).toBe(reason);
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(svg('<text>caf')), 0xe9, 0x3c]);
    expect(svgActiveContent(bytes)).toBe('text that is not UTF-8 (save the drawing as UTF-8)');
  });
});

describe('a build with hostile SVG images', () => {
  let server: Loopback;
  let root: string;
  let run: CliRun;
  const hostile: Array<[string, string]> = [
    ['namespaced.svg', `<s:script xmlns:s="${SVG_NS}">fetch('URL/a')</s:script>`],
    ['char-ref.svg', '<rect width="9" height="9" fill="url(&#104;ttp://HOST/b)"/>'],
    ['css-escape.svg', '<rect width="9" height="9" style="fill: u\\72l(http://HOST/c)"/>'],
    ['filter.svg', '<rect width="9" height="9" filter="url(http://HOST/d#f)"/>'],
  ];

  beforeAll(async () => {
    server = await startLoopback();
    root = await tempDir('svg');
    const host = `127.0.0.1:${server.port}`;
    const lines = [
      '---',
      'title: Drawings',
      'author: Ana Ruiz',
      'organization: Council',
      'date: 2025-02-03',
      '---',
      '',
      '## Figures',
      '',
    ];
    for (const [name, inner] of hostile) {
      const text = inner.replaceAll('URL', server.base).replaceAll('HOST', host);
      await writeFile(path.join(root, name), svg(text));
      lines.push(`![A drawing](${name})`, '');
    }
    await writeFile(path.join(root, 'hostile.md'), lines.join('\n'));
    await writeFile(
      path.join(root, 'plain.md'),
      lines.slice(0, 9).join('\n') + '![A plain drawing](plain.svg)\n',
    );
    await writeFile(path.join(root, 'plain.svg'), svg('<rect width="9" height="9" fill="#124"/>'));
    // A DOCTYPE makes no other kind of file: it is an SVG, refused with the DOCTYPE's line.
    const doctypes = [
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
      '<!DOCTYPE svg [\n  <!ENTITY x "y">\n]>',
    ];
    for (const [index, doctype] of doctypes.entries())
      await writeFile(
        path.join(root, `doctype-${index}.svg`),
        `<?xml version="1.0"?>\n${doctype}\n<svg xmlns="${SVG_NS}"><rect width="9" height="9"/></svg>\n`,
      );
    await writeFile(
      path.join(root, 'doctype.md'),
      lines.slice(0, 9).join('\n') + '![One](doctype-0.svg)\n\n![Two](doctype-1.svg)\n',
    );
    run = await runCli(
      [
        'build',
        'hostile.md',
        'plain.md',
        'doctype.md',
        '--out',
        'out',
        '--format',
        'html',
        '--quiet',
      ],
      root,
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('refuses each at the image’s line, with the reason and the line of the SVG', () => {
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('hostile.md:'));
    expect(lines).toHaveLength(hostile.length);
    hostile.forEach(([name], index) => {
      expect(lines[index]).toMatch(
        new RegExp(
          `^hostile\\.md:${10 + 2 * index}:1: error image \`${name.replace('.', '\\.')}\` is an SVG with .+ \\(line 3 of the SVG\\); export it again as a plain drawing .* \\[image-type\\]$`,
        ),
      );
    });
    expect(run.code).toBe(1);
  });

  it('refuses an SVG with a DOCTYPE as an SVG, with the DOCTYPE’s line', () => {
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('doctype.md:'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^doctype\.md:9:1: error image `doctype-0\.svg` is an SVG with a DOCTYPE .*\(line 2 of the SVG\).*\[image-type\]$/,
      ),
      expect.stringMatching(
        /^doctype\.md:11:1: error image `doctype-1\.svg` is an SVG with a DOCTYPE .*\(line [24] of the SVG\).*\[image-type\]$/,
      ),
    ]);
  });

  it('writes nothing for that memo and fetches nothing; a plain SVG is inlined', async () => {
    await expect(readFile(path.join(root, 'out', 'hostile', 'memo.html'))).rejects.toThrow();
    expect(server.connections()).toBe(0);
    const html = await readFile(path.join(root, 'out', 'plain', 'memo.html'), 'utf8');
    expect(auditHtml(html)).toEqual([]);
    expect(imageSources(html)).toEqual([
      `data:image/svg+xml;base64,${Buffer.from(svg('<rect width="9" height="9" fill="#124"/>')).toString('base64')}`,
    ]);
  });
});
