/**
 * `startPreview`: a local HTTP server showing one memo, rebuilt and reloaded
 * in the browser whenever its source, an image next to it, a template, a
 * style or the project config changes. See routes.ts for what it serves and
 * why it is safe, builder.ts for how it builds, watch.ts for what it watches.
 *
 * Flow: a change (debounced) → rebuild (one at a time; changes meanwhile are
 * merged into one more) → `ok` or `error` event to every open page, plus
 * `reload` when the served HTML changed.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import type { BaseSessionOptions, BuildState } from './builder.js';
import { createPreviewBuilder } from './builder.js';
import { createEventHub } from './events.js';
import { watchSpecs } from './inputs.js';
import { createHandler, statusEvent } from './routes.js';
import { loadShell } from './shell.js';
import { createWatcher } from './watch.js';

export interface PreviewOptions {
  /** The memo, absolute or relative to `cwd`. */
  readonly file: string;
  readonly cwd?: string;
  /** Default 4173; 0 picks a free port. */
  readonly port?: number;
  /** A loopback address: 127.0.0.1 (default) or ::1. */
  readonly host?: string;
  /** `--config FILE`, relative to cwd; default: the config found in cwd, like `memo build`. */
  readonly configPath?: string;
  /** `--templates DIR`: the project's own templates (default: the config's `templatesDir`). */
  readonly templateOverridesDir?: string;
  /** The built-in templates and styles (default: memo-press's own). */
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  readonly executablePath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** After every build (the first one included). */
  readonly onBuild?: (state: BuildState) => void;
}

export interface Preview {
  /** e.g. "http://127.0.0.1:4173/" */
  readonly url: string;
  close(): Promise<void>;
}

/** A problem with the preview itself (port taken, bad host): say it and stop. */
export class PreviewError extends Error {
  override name = 'PreviewError';
}

export type { BuildState } from './builder.js';

import { DEFAULT_PORT } from './defaults.js';

export { DEFAULT_PORT };
const LOOPBACK = new Set(['127.0.0.1', '::1']);

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} is in use: choose another with --port N, or --port 0 for any free port`
          : `cannot listen on ${host}:${port}: ${error.message}`;
      reject(new PreviewError(reason));
    };
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.removeListener('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string')
        reject(new PreviewError('the server has no TCP address'));
      else resolve(address);
    });
  });
}

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const cwd = options.cwd ?? process.cwd();
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new PreviewError(
      `--host must be a loopback address (127.0.0.1 or ::1), got ${host}: the preview serves unpublished memos to this machine only`,
    );
  }
  const root = projectRoot();
  const source = path.resolve(cwd, options.file);
  const templatesDir = path.resolve(cwd, options.templatesDir ?? path.join(root, 'templates'));
  const stylesDir = path.resolve(cwd, options.stylesDir ?? path.join(root, 'styles'));
  const overridesDir =
    options.templateOverridesDir === undefined
      ? undefined
      : path.resolve(cwd, options.templateOverridesDir);
  const shell = await loadShell(path.join(root, 'templates', 'preview'));
  const session: BaseSessionOptions = {
    concurrency: 1,
    handleSignals: false, // the caller owns the signals (`memo preview` exits 0 on Ctrl-C)
    ...(options.executablePath === undefined ? {} : { executablePath: options.executablePath }),
    ...(options.env === undefined ? {} : { env: options.env }),
  };
  const builder = createPreviewBuilder({
    source,
    cwd,
    templatesDir,
    stylesDir,
    session,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    ...(overridesDir === undefined ? {} : { templateOverridesDir: overridesDir }),
  });
  const hub = createEventHub();
  const inputs = { source, cwd, templatesDir, stylesDir, configPath: options.configPath };

  // Builds run one at a time; changes during a build are merged into one more.
  let queued: { reopen: boolean } | undefined;
  let running: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    try {
      while (queued !== undefined) {
        const { reopen } = queued;
        queued = undefined;
        const before = builder.state().version;
        const state = await builder.rebuild(reopen); // never rejects
        // The config may have named another templates folder.
        watcher.set(watchSpecs({ ...inputs, overridesDir: builder.overridesDir() }));
        if (state.version !== before) builder.printAhead();
        // The reload first: the figures of the status line can wait a few milliseconds.
        if (state.version !== before) hub.broadcast([{ name: 'reload', data: state.version }]);
        hub.broadcast([statusEvent(state, builder.stats())]);
        options.onBuild?.(state);
      }
    } finally {
      running = undefined;
    }
  };
  const requestBuild = (reopen: boolean): void => {
    queued = { reopen: (queued?.reopen ?? false) || reopen };
    running ??= drain();
  };
  const watcher = createWatcher((change) => requestBuild(change.reopen));

  const server = createServer();
  // Listen first, so a taken port fails fast; requests wait for the first build.
  const address = await listen(server, options.port ?? DEFAULT_PORT, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  server.on(
    'request',
    createHandler({
      builder,
      hub,
      shell,
      source,
      allowedHosts: new Set([`${urlHost}:${address.port}`, `localhost:${address.port}`]),
      settled: async () => {
        while (running !== undefined) await running;
      },
    }),
  );
  watcher.set(watchSpecs({ ...inputs, overridesDir }));
  requestBuild(false);
  await running;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}/`,
    close() {
      closing ??= (async () => {
        watcher.close();
        hub.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await running;
        await builder.close();
      })();
      return closing;
    },
  };
}
