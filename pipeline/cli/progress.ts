/**
 * Progress of a batch `memo build`.
 *
 * - `bar` (stderr is a terminal, not CI, no `--quiet`): one line redrawn in
 *   place: memos done of total, the memo(s) in progress, the time elapsed.
 * - `lines` (CI, `--quiet`, or output to a file or pipe): one line per memo on
 *   stdout as it is done, `built <outputs>` or `failed <source> (N errors)`.
 * Both end with a summary: `3 memos built, 1 failed in 4.2 s`.
 */
import type { MemoResult, MemoStart } from '../build.js';
import { hasErrors } from '../messages.js';
import { printable } from '../util/unsafe-text.js';
import type { CliIo } from './io.js';

export type ProgressMode = 'bar' | 'lines';

export interface Progress {
  start(memo: MemoStart): void;
  done(result: MemoResult): void;
  /** Stop redrawing and clear the bar (before the problems are reported). */
  stop(): void;
  /** `3 memos built, 1 failed in 4.2 s`. */
  summary(counts: { readonly built: number; readonly failed: number }): string;
}

const BAR_WIDTH = 20;
/** Keep the line narrower than any terminal, so `\r` redraws it instead of wrapping. */
const MAX_LINE = 78;
const CLEAR_LINE = '\r\u001B[2K';

function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

export function progressMode(io: CliIo, quiet: boolean): ProgressMode {
  return io.stderr.isTTY === true && !quiet && !isCi(io.env) ? 'bar' : 'lines';
}

/** "0.8 s", "12 s", "2 min 05 s". */
export function formatElapsed(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** `[██████░░░░░░░░░░░░░░] 3/10 water-security-first-year +1  4.2 s` */
export function formatBar(
  done: number,
  total: number,
  current: readonly string[],
  elapsedMs: number,
): string {
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`;
  const time = formatElapsed(elapsedMs);
  const more = current.length > 1 ? ` +${current.length - 1}` : '';
  const room = MAX_LINE - bar.length - time.length - more.length - 4;
  let name = current[0] ?? '';
  if (name.length > room) name = room > 1 ? `${name.slice(0, room - 1)}…` : '';
  return `${bar} ${name}${more}  ${time}`;
}

function countErrors(result: MemoResult): number {
  return result.file.messages.filter((message) => message.fatal === true).length;
}

export function createProgress(io: CliIo, mode: ProgressMode): Progress {
  const started = performance.now();
  const inFlight: string[] = [];
  let done = 0;
  let total = 0;
  let finished = false;
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;

  const draw = () => {
    scheduled = false;
    if (finished) return;
    io.stderr.write(
      `${CLEAR_LINE}${formatBar(done, total, inFlight, performance.now() - started)}`,
    );
  };
  // Many memos start at once: draw once for the whole burst.
  const schedule = () => {
    if (scheduled || finished) return;
    scheduled = true;
    setImmediate(draw);
  };

  return {
    start(memo) {
      total = memo.total;
      inFlight.push(printable(memo.slug));
      if (mode !== 'bar') return;
      timer ??= setInterval(draw, 1000);
      timer.unref();
      schedule();
    },
    done(result) {
      done += 1;
      const index = inFlight.indexOf(printable(result.slug));
      if (index !== -1) inFlight.splice(index, 1);
      if (mode === 'bar') {
        schedule();
        return;
      }
      if (result.ok) {
        io.stdout.write(`built ${result.outputs.map(printable).join(', ')}\n`);
      } else {
        const errors = countErrors(result);
        const detail = hasErrors(result.file) ? ` (${errors} error${errors === 1 ? '' : 's'})` : '';
        io.stdout.write(`failed ${printable(result.file.path)}${detail}\n`);
      }
    },
    stop() {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearInterval(timer);
      if (mode === 'bar' && total > 0) io.stderr.write(CLEAR_LINE);
    },
    summary({ built, failed }) {
      const elapsed = formatElapsed(performance.now() - started);
      return `${built} memo${built === 1 ? '' : 's'} built, ${failed} failed in ${elapsed}`;
    },
  };
}
