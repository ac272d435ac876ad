/**
 * The preview's own pages: the shell served at `/` (templates/preview/shell.hbs
 * with the reload client and its stylesheet inlined) and the placeholder served
 * at `/memo.html` while the memo has never built.
 *
 * The shell's script and style are inlined and allowed by hash in the
 * Content-Security-Policy *header* (`shellCsp`), so the page can run nothing
 * else: no other inline script, no remote script, no eval. Hashes rather than a
 * per-response nonce because the two files are fixed for the whole run.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import Handlebars from 'handlebars';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';

export interface ShellData {
  /** The memo's title, or its file name while it has errors. */
  readonly title: string;
  /** The memo version the shell's iframe will load, so the client knows what it shows. */
  readonly version: string;
}

export interface Shell {
  render(data: ShellData): string;
  /** The Content-Security-Policy header value for the shell page served as `host` ("127.0.0.1:4173"). */
  csp(host: string): string;
  /** The preview's own scripts served under /pdfjs/ (the Pages view's PDF renderer). */
  readonly scripts: ReadonlyMap<string, string>;
}

/**
 * pdf.js (pdfjs-dist), which draws the printed PDF's pages in the Pages view:
 * the PDF `memo build` writes, not a re-layout of the HTML.
 */
export const PDFJS_FILES = ['pdf.min.mjs', 'pdf.worker.min.mjs'] as const;

async function loadPdfjs(): Promise<Map<string, string>> {
  const require = createRequire(import.meta.url);
  const entries = await Promise.all(
    PDFJS_FILES.map(
      async (name) =>
        [name, await readFile(require.resolve(`pdfjs-dist/build/${name}`), 'utf8')] as const,
    ),
  );
  return new Map(entries);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function assertInlineSafe(text: string, element: 'script' | 'style', name: string): void {
  if (new RegExp(`</${element}`, 'iu').test(text)) {
    throw new Error(`${name} contains "</${element}", which would end the <${element}> element`);
  }
}

/** Read and compile the shell from `dir` (templates/preview). */
export async function loadShell(dir: string): Promise<Shell> {
  const [[template, script, style], scripts] = await Promise.all([
    Promise.all(
      ['shell.hbs', 'client.js', 'shell.css'].map((name) => readFile(path.join(dir, name), 'utf8')),
    ),
    loadPdfjs(),
  ]);
  if (template === undefined || script === undefined || style === undefined) {
    throw new Error(`the preview shell files are missing from ${dir}`);
  }
  assertInlineSafe(script, 'script', 'client.js');
  assertInlineSafe(style, 'style', 'shell.css');
  const hb = Handlebars.create();
  const render = hb.compile<ShellData & { script: unknown; style: unknown }>(template, {
    strict: true,
  });
  // pdf.js is allowed by its exact URLs; it gets `isEvalSupported: false`, so no eval.
  // CSP host sources cannot name an IPv6 address: on [::1] the origin stands in.
  const pdfjs = (host: string): string =>
    host.startsWith('[')
      ? "'self'"
      : PDFJS_FILES.map((name) => `http://${host}/pdfjs/${name}`).join(' ');
  const csp = (host: string): string =>
    [
      "default-src 'none'",
      `script-src ${sha256(script)} ${pdfjs(host)}`,
      `worker-src ${pdfjs(host)}`,
      `style-src ${sha256(style)}`,
      "connect-src 'self'", // EventSource('/events'), fetch('/memo.pdf')
      "frame-src 'self'", // /memo.html
      'img-src blob:', // images pdf.js decodes from the PDF
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  return {
    csp,
    scripts,
    render: (data) =>
      render({ ...data, script: new hb.SafeString(script), style: new hb.SafeString(style) }),
  };
}

/** What `/memo.html` shows before the memo has ever built (the overlay says why). */
export function placeholderPage(fileName: string): string {
  return toHtml({
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: 'en' }, [
        h('head', [h('meta', { charset: 'utf-8' }), h('title', `${fileName} — not built yet`)]),
        h('body', [
          h(
            'p',
            `${fileName} has not built yet. Fix the problems listed and save: the memo appears here by itself.`,
          ),
        ]),
      ]),
    ],
  });
}
