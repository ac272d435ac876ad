/**
 * `memo preview <file> [--port N] [--host 127.0.0.1]`: serve one memo on a
 * local server and reload the page in the browser on every change, until
 * Ctrl-C (SIGINT) or SIGTERM, which close everything and exit 0.
 *
 * Problems are printed as the build prints them (compact report), each time
 * the set of problems changes, besides being shown on the page.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { constants as osConstants } from 'node:os';
import type { Command } from 'commander';
import { VFile } from 'vfile';
import { fail } from '../../messages.js';
import { DEFAULT_PORT } from '../../preview/defaults.js';
import type { CliIo } from '../io.js';
import { UsageError, configOption, templatesOption, wholeNumber } from '../options.js';
import { useColor } from '../io.js';
import { formatReport } from '../report.js';

interface PreviewFlags {
  readonly port: number;
  readonly host: string;
  readonly config?: string;
  readonly templates?: string;
  readonly color?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const portNumber = wholeNumber('--port (0: any free port)', 0, 65_535);

/** Only a loopback address: the preview serves unpublished memos to this machine only. */
function loopbackHost(value: string): string {
  if (value === '127.0.0.1' || value === '::1') return value;
  throw new UsageError(
    `--host must be a loopback address (127.0.0.1 or ::1), got ${value}: the preview serves unpublished memos to this machine only`,
  );
}

/** Resolves with the first of SIGINT/SIGTERM/SIGHUP; a second one exits at once. */
function untilSignal(): { stopped: Promise<void>; dispose(): void } {
  let received = false;
  let resolveStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (resolveStop = resolve));
  const handlers = SIGNALS.map((signal) => {
    const handler = (): void => {
      if (received) process.exit(128 + osConstants.signals[signal]); // impatient second Ctrl-C
      received = true;
      resolveStop();
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    stopped,
    dispose: () => {
      for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    },
  };
}

/** A missing file or a folder: reported like `memo build` reports it. */
async function checkFile(file: string, cwd: string): Promise<VFile | undefined> {
  const info = await stat(path.resolve(cwd, file)).catch(() => undefined);
  if (info?.isFile() === true) return undefined;
  const problem = new VFile({ path: file, cwd });
  const reason =
    info === undefined
      ? 'no such file: `memo preview` takes one memo file, such as sources/my-memo.md'
      : 'this is a folder: `memo preview` takes one memo file, such as sources/my-memo.md';
  fail(problem, reason, undefined, 'source-missing');
  return problem;
}

export function registerPreview(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('preview')
    .description(
      'serve a memo on a local web page that reloads whenever the source, a template or a style changes',
    )
    .argument('<file>', 'the memo (a .md file)')
    .option('-p, --port <n>', 'port to listen on (0: any free port)', portNumber, DEFAULT_PORT)
    .option(
      '--host <address>',
      'loopback address to listen on (127.0.0.1 or ::1)',
      loopbackHost,
      '127.0.0.1',
    )
    .addOption(configOption())
    .addOption(templatesOption())
    .action(async (file: string, flags: PreviewFlags, command: Command) => {
      const color = useColor(io, command.optsWithGlobals<{ color?: boolean }>().color);
      const missing = await checkFile(file, io.cwd);
      if (missing !== undefined) {
        io.stderr.write(`${formatReport([missing], { reporter: 'compact', color })}\n`);
        setExit(1);
        return;
      }
      let lastReport = '';
      // Loaded on use: other commands never pay for the preview server.
      const { PreviewError, startPreview } = await import('../../preview/server.js');
      const signals = untilSignal();
      try {
        const preview = await startPreview({
          file,
          cwd: io.cwd,
          port: flags.port,
          host: flags.host,
          ...(flags.config === undefined ? {} : { configPath: flags.config }),
          ...(flags.templates === undefined ? {} : { templateOverridesDir: flags.templates }),
          env: io.env,
          ...(io.env['MEMO_CHROMIUM'] === undefined
            ? {}
            : { executablePath: io.env['MEMO_CHROMIUM'] }),
          onBuild: (state) => {
            const report = formatReport(state.files, { reporter: 'compact', color });
            if (report === lastReport) return;
            if (report !== '') io.stderr.write(`${report}\n`);
            else io.stderr.write(`memo preview: ${file} has no problems now\n`);
            lastReport = report;
          },
        });
        io.stdout.write(`memo preview: ${preview.url} (Ctrl-C to stop)\n`);
        await signals.stopped;
        await preview.close();
        setExit(0);
      } catch (error) {
        if (!(error instanceof PreviewError)) throw error;
        io.stderr.write(`memo preview: ${error.message}\n`);
        setExit(1);
      } finally {
        signals.dispose();
      }
    });
}
