/** The PDF checks of `memo audit`, in the order they report. A new check is one module and one line here. */
import type { PdfCheck } from '../check.js';
import { captions } from './captions.js';
import { figures } from './figures.js';
import { fonts } from './fonts.js';
import { headings } from './headings.js';
import { lang } from './lang.js';
import { links } from './links.js';
import { outputIntent } from './output-intent.js';
import { structureTypes } from './structure-types.js';
import { tagged } from './tagged.js';
import { title } from './title.js';
import { unsafe } from './unsafe.js';
import { xmp } from './xmp.js';

export const PDF_CHECKS: readonly PdfCheck[] = [
  tagged,
  lang,
  title,
  fonts,
  figures,
  captions,
  links,
  headings,
  structureTypes,
  xmp,
  outputIntent,
  unsafe,
];
