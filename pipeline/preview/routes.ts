/**
 * The preview's HTTP answers.
 *
 *   /            the shell page: reload client, overlay, warnings panel, and
 *                the memo in `<iframe sandbox="allow-same-origin">`
 *   /memo.html   the memo (last good build), untrusted
 *   /memo.pdf    printed on the first request after a change, then cached
 *   /pdfjs/…     pdf.js, which draws the PDF's pages in the shell's Pages view
 *   /events      Server-Sent Events: reload, error, ok
 *   anything else: 404; methods other than GET and HEAD: 405
 *
 * Only requests whose Host header names the server (`127.0.0.1:PORT` or
 * `localhost:PORT`) are answered (403 otherwise), so a web page cannot reach
 * the preview through DNS rebinding (its requests carry its own host name).
 * A request with an `Origin` header (a script's, a module's, a worker's) must
 * come from the preview's own origin too.
 *
 * The memo's body comes from writers, so it never gets a script. It keeps its
 * own CSP meta (no scripts), is served with a CSP header that adds `sandbox
 * allow-same-origin` (also when /memo.html is opened directly), and sits in an
 * iframe sandboxed without `allow-scripts`. `allow-same-origin` is granted so
 * the shell's script can read and restore the frame's scroll position across
 * reloads. What it would imply — memo script reaching into the shell, or
 * lifting its own sandbox — needs script in the memo, which the iframe
 * sandbox, both CSPs and the sanitizer each refuse. Nothing the server
 * answers changes anything.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { BuildState, PreviewBuilder } from './builder.js';
import type { EventHub, PreviewEvent } from './events.js';
import { problemsOf } from './problems.js';
import type { Shell } from './shell.js';
import type { MemoStats } from './stats.js';
import { placeholderPage } from './shell.js';

export interface RouteContext {
  readonly builder: PreviewBuilder;
  readonly hub: EventHub;
  readonly shell: Shell;
  /** Absolute path of the memo. */
  readonly source: string;
  /** Host headers this server answers, e.g. "127.0.0.1:4173". */
  readonly allowedHosts: ReadonlySet<string>;
  /** Resolves when no build is running (requests never see a half-built state). */
  readonly settled: () => Promise<void>;
}

/** Headers on every response. */
const COMMON = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** The memo's own CSP (templates/partials/head.hbs), plus the sandbox and framing rules. */
const MEMO_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'font-src data:',
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  'sandbox allow-same-origin',
].join('; ');

/** The `ok` or `error` event describing `state`, with the status line's figures. */
export function statusEvent(state: BuildState, stats: MemoStats | undefined): PreviewEvent {
  const [memo] = state.files;
  const problems = problemsOf(state.files, {
    cwd: memo?.cwd ?? process.cwd(),
    editorUrl: state.editorUrl,
  });
  const data = {
    path: memo?.path ?? '',
    title: state.title,
    problems,
    ...(stats === undefined ? {} : { stats }),
  };
  return { name: state.ok ? 'ok' : 'error', data };
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, { ...COMMON, 'Content-Type': type, ...extra });
  response.end(body);
}

function text(response: ServerResponse, status: number, body: string): void {
  send(response, status, 'text/plain; charset=utf-8', `memo preview: ${body}\n`);
}

export function createHandler(context: RouteContext) {
  const { builder, hub, shell, source } = context;
  const slug = path.basename(source).replace(/\.md$/i, '');

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!context.allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      text(
        response,
        403,
        `requests must be addressed to ${[...context.allowedHosts].join(' or ')}`,
      );
      return;
    }
    // A browser names the page behind a script's request: only the preview's own pages may ask.
    const origin = request.headers.origin;
    if (origin !== undefined && !context.allowedHosts.has(origin.replace(/^http:\/\//u, ''))) {
      text(
        response,
        403,
        `requests from ${origin} are refused: only the preview's own page may ask`,
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      text(response, 405, 'only GET and HEAD are supported');
      return;
    }
    const { pathname } = new URL(request.url ?? '/', 'http://preview.invalid');
    const script = pathname.startsWith('/pdfjs/')
      ? shell.scripts.get(pathname.slice('/pdfjs/'.length))
      : undefined;
    if (script !== undefined) {
      send(response, 200, 'text/javascript; charset=utf-8', script);
      return;
    }
    await context.settled();
    const state = builder.state();
    switch (pathname) {
      case '/': {
        const page = shell.render({ title: state.title, version: state.version });
        send(response, 200, 'text/html; charset=utf-8', page, {
          'Content-Security-Policy': shell.csp((request.headers.host ?? '').toLowerCase()),
        });
        return;
      }
      case '/memo.html': {
        const page = builder.html() ?? placeholderPage(path.basename(source));
        send(response, 200, 'text/html; charset=utf-8', page, {
          'Content-Security-Policy': MEMO_CSP,
        });
        return;
      }
      case '/memo.pdf': {
        const outcome = await builder.pdf();
        if (!outcome.ok) {
          text(response, 503, `no PDF: ${outcome.reason}`);
          return;
        }
        send(response, 200, 'application/pdf', outcome.pdf, {
          'Content-Disposition': `inline; filename="${slug.replace(/[^\w.-]/g, '_')}.pdf"`,
        });
        return;
      }
      case '/events':
        if (request.method === 'HEAD') send(response, 200, 'text/event-stream; charset=utf-8', '');
        else
          hub.connect(response, [
            statusEvent(state, builder.stats()),
            { name: 'reload', data: state.version },
          ]);
        return;
      default:
        text(response, 404, `nothing at ${pathname} (the memo is at /, /memo.html and /memo.pdf)`);
    }
  }

  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else text(response, 500, error instanceof Error ? error.message : String(error));
    });
  };
}
