/**
 * Hand-written because it is a security boundary: an allow-list over the SVG's
 * XML tree (read by the strict XML parser saxes) and over its CSS tokens, as a
 * browser reads them after XML and CSS escapes are decoded.
 *
 * An SVG image is inlined into the HTML as a `data:` URL inside `<img>`, where
 * browsers show it as a static picture. But a reader can save it and open it
 * on its own, where scripts, event handlers and references to other files or
 * sites are live. So an SVG must be a plain drawing: elements and attributes
 * are checked by namespace and local name against what charts and logos use,
 * references (`href`, `url(…)`) may only point inside the drawing or hold
 * embedded raster data, and anything else is refused with the reason and the
 * line of the SVG it is on.
 */
import { SaxesParser } from 'saxes';
import type { SaxesAttributeNS, SaxesTagNS } from 'saxes';
import { cssProblem } from './svg-css.js';

const SVG = 'http://www.w3.org/2000/svg';
const XLINK = 'http://www.w3.org/1999/xlink';
const XML = 'http://www.w3.org/XML/1998/namespace';
const XMLNS = 'http://www.w3.org/2000/xmlns/';
/** Editors' metadata (Inkscape, RDF licence blocks): browsers give these elements no behaviour. */
const METADATA = new Set([
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://purl.org/dc/elements/1.1/',
  'http://purl.org/dc/terms/',
  'http://creativecommons.org/ns#',
  'http://web.resource.org/cc/',
  'http://www.inkscape.org/namespaces/inkscape',
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
]);

const FILTER_PRIMITIVES = [
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feImage',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
];
/** SVG elements of a plain drawing (no script, foreignObject, animation, iframe…). */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'switch',
  'a',
  'view',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'title',
  'desc',
  'metadata',
  'image',
  'style',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
  'filter',
  ...FILTER_PRIMITIVES,
]);

/** Presentation attributes: their values are CSS, checked as such. */
const PRESENTATION = [
  'alignment-baseline',
  'baseline-shift',
  'clip',
  'clip-path',
  'clip-rule',
  'color',
  'color-interpolation',
  'color-interpolation-filters',
  'color-profile',
  'color-rendering',
  'cursor',
  'direction',
  'display',
  'dominant-baseline',
  'enable-background',
  'fill',
  'fill-opacity',
  'fill-rule',
  'filter',
  'flood-color',
  'flood-opacity',
  'font',
  'font-family',
  'font-size',
  'font-size-adjust',
  'font-stretch',
  'font-style',
  'font-variant',
  'font-weight',
  'glyph-orientation-horizontal',
  'glyph-orientation-vertical',
  'image-rendering',
  'isolation',
  'kerning',
  'letter-spacing',
  'lighting-color',
  'marker',
  'marker-end',
  'marker-mid',
  'marker-start',
  'mask',
  'mask-type',
  'mix-blend-mode',
  'opacity',
  'overflow',
  'paint-order',
  'pointer-events',
  'shape-rendering',
  'stop-color',
  'stop-opacity',
  'stroke',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-opacity',
  'stroke-width',
  'style',
  'text-anchor',
  'text-decoration',
  'text-rendering',
  'transform',
  'transform-origin',
  'unicode-bidi',
  'vector-effect',
  'visibility',
  'word-spacing',
  'writing-mode',
];
/** Geometry and structure: numbers, names and keywords, still read as CSS to be safe. */
const GEOMETRY = [
  'amplitude',
  'azimuth',
  'baseFrequency',
  'baseProfile',
  'bias',
  'clipPathUnits',
  'contentScriptType',
  'contentStyleType',
  'cx',
  'cy',
  'd',
  'diffuseConstant',
  'divisor',
  'dx',
  'dy',
  'edgeMode',
  'elevation',
  'exponent',
  'filterUnits',
  'fr',
  'fx',
  'fy',
  'gradientTransform',
  'gradientUnits',
  'height',
  'in',
  'in2',
  'intercept',
  'k1',
  'k2',
  'k3',
  'k4',
  'kernelMatrix',
  'kernelUnitLength',
  'lengthAdjust',
  'limitingConeAngle',
  'markerHeight',
  'markerUnits',
  'markerWidth',
  'maskContentUnits',
  'maskUnits',
  'media',
  'method',
  'mode',
  'numOctaves',
  'offset',
  'operator',
  'order',
  'orient',
  'path',
  'pathLength',
  'patternContentUnits',
  'patternTransform',
  'patternUnits',
  'points',
  'pointsAtX',
  'pointsAtY',
  'pointsAtZ',
  'preserveAlpha',
  'preserveAspectRatio',
  'primitiveUnits',
  'r',
  'radius',
  'refX',
  'refY',
  'requiredExtensions',
  'requiredFeatures',
  'result',
  'rotate',
  'rx',
  'ry',
  'scale',
  'seed',
  'side',
  'slope',
  'spacing',
  'specularConstant',
  'specularExponent',
  'spreadMethod',
  'startOffset',
  'stdDeviation',
  'stitchTiles',
  'surfaceScale',
  'systemLanguage',
  'tableValues',
  'targetX',
  'targetY',
  'textLength',
  'type',
  'values',
  'version',
  'viewBox',
  'width',
  'x',
  'x1',
  'x2',
  'xChannelSelector',
  'y',
  'y1',
  'y2',
  'yChannelSelector',
  'z',
  'zoomAndPan',
];
const CSS_ATTRIBUTES = new Set([...PRESENTATION, ...GEOMETRY]);
/** Plain text for people and tools; never read as CSS or as a URL. */
const TEXT_ATTRIBUTES = new Set(['id', 'class', 'lang', 'role', 'tabindex', 'focusable', 'target']);

const LOCAL = /^#/;
const RASTER_DATA = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
const LINK = /^(?:https?:\/\/|mailto:)/i;

class Refused extends Error {
  override name = 'Refused';
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(reason);
  }
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // Control characters never reach the message (it is printed to a terminal).
  const shown = [...flat].map((char) => (/[\p{Cc}\p{Cf}]/u.test(char) ? '?' : char)).join('');
  return shown.length <= 60 ? shown : `${shown.slice(0, 59)}…`;
}

/** A URL attribute: a reference inside the drawing, embedded raster data, or (on `<a>`) a web or mail link. */
function checkReference(element: string, name: string, value: string, line: number): void {
  // Browsers strip surrounding spaces and drop tabs and newlines inside a URL.
  const url = value.trim().replace(/[\t\n\r]/g, '');
  if (LOCAL.test(url) || RASTER_DATA.test(url)) return;
  if (element === 'a' && LINK.test(url)) return;
  throw new Refused(`a reference to another file or site (\`${name}="${short(value)}"\`)`, line);
}

function checkAttribute(element: string, attribute: SaxesAttributeNS, line: number): void {
  const { uri, local, name, value } = attribute;
  if (uri === XMLNS) return; // a namespace declaration; the elements using it are checked
  if (uri === XLINK) {
    if (local === 'href') checkReference(element, name, value, line);
    else if (!['title', 'type', 'show', 'actuate', 'role', 'arcrole'].includes(local))
      throw new Refused(`an attribute \`${name}\` on <${element}>`, line);
    return;
  }
  if (uri === XML) {
    if (local !== 'space' && local !== 'lang')
      throw new Refused(`an attribute \`${name}\` on <${element}>`, line);
    return;
  }
  if (uri !== '') {
    if (METADATA.has(uri)) return; // editor settings (inkscape:label…), inert
    throw new Refused(`an attribute \`${name}\` from the namespace ${uri}`, line);
  }
  if (/^on/i.test(local)) throw new Refused(`an event handler (\`${local}\`)`, line);
  if (local === 'href' || local === 'src') return checkReference(element, local, value, line);
  if (TEXT_ATTRIBUTES.has(local) || /^(?:aria|data)-/.test(local)) return;
  if (!CSS_ATTRIBUTES.has(local))
    throw new Refused(`an attribute \`${local}\` on <${element}>`, line);
  const problem = cssProblem(value);
  if (problem !== undefined)
    throw new Refused(`${problem} in \`${local}="${short(value)}"\``, line);
}

function checkElement(tag: SaxesTagNS, line: number): void {
  const uri = tag.uri ?? '';
  const local = tag.local ?? tag.name;
  if (uri === SVG) {
    if (!ELEMENTS.has(local)) throw new Refused(`a <${tag.name}> element`, line);
    for (const attribute of Object.values(tag.attributes)) checkAttribute(local, attribute, line);
    return;
  }
  if (METADATA.has(uri)) {
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === '' && /^on/i.test(attribute.local))
        throw new Refused(`an event handler (\`${attribute.name}\`)`, line);
      if (attribute.uri === XLINK || attribute.uri === XML)
        throw new Refused(`an attribute \`${attribute.name}\` on <${tag.name}>`, line);
    }
    return;
  }
  if (uri === '')
    throw new Refused(
      `a <${tag.name}> element outside the SVG namespace (the drawing must declare xmlns="${SVG}")`,
      line,
    );
  throw new Refused(`a <${tag.name}> element from the namespace ${uri}`, line);
}

/** Walk the whole document; throws Refused at the first thing that is not part of a plain drawing. */
function check(text: string): void {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let tagLine = 1;
  let styleDepth = 0;
  let styleLine = 1;
  let css = '';
  let sawRoot = false;
  parser.on('error', (error) => {
    // The parser's own words are for programmers: say where, not what it calls the error.
    const line = /^(?:[^:]*:)?(\d+):\d+:/.exec(error.message)?.[1];
    throw new Refused(
      'a syntax error (it is not well-formed XML, so no browser would show it)',
      Number(line ?? parser.line),
    );
  });
  parser.on('xmldecl', (declaration) => {
    const encoding = declaration.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'us-ascii')
      throw new Refused(
        `the text encoding ${short(declaration.encoding ?? '')} (save as UTF-8)`,
        1,
      );
  });
  parser.on('doctype', () => {
    throw new Refused('a DOCTYPE (which may declare entities)', parser.line);
  });
  parser.on('processinginstruction', (instruction) => {
    throw new Refused(`a processing instruction \`<?${short(instruction.target)}\``, parser.line);
  });
  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    if (!sawRoot && (tag.uri !== SVG || tag.local !== 'svg'))
      throw new Refused(`a <${tag.name}> element where <svg xmlns="${SVG}"> must be`, tagLine);
    sawRoot = true;
    checkElement(tag, tagLine);
    if (styleDepth > 0) styleDepth += 1;
    else if (tag.uri === SVG && tag.local === 'style') {
      styleDepth = 1;
      styleLine = tagLine;
      css = '';
    }
  });
  const collect = (chunk: string) => {
    if (styleDepth > 0) css += chunk;
  };
  parser.on('text', collect);
  parser.on('cdata', collect);
  parser.on('closetag', () => {
    if (styleDepth === 0) return;
    styleDepth -= 1;
    if (styleDepth > 0) return;
    const problem = cssProblem(css);
    if (problem !== undefined) throw new Refused(`${problem} in a stylesheet`, styleLine);
  });
  parser.write(text).close();
}

/**
 * What makes this SVG unsafe to save and open (for the error message: what
 * and at which line of the SVG), or undefined for a plain drawing. Bytes must
 * be UTF-8.
 */
export function svgActiveContent(source: string | Uint8Array): string | undefined {
  let text: string;
  if (typeof source === 'string') text = source;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(source);
    } catch {
      return 'text that is not UTF-8 (save the drawing as UTF-8)';
    }
  }
  try {
    check(text);
    return undefined;
  } catch (error) {
    if (error instanceof Refused) return `${error.reason} (line ${error.line} of the SVG)`;
    throw error;
  }
}
