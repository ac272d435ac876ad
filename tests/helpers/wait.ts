/**
 * Waiting in tests, never sleeping: on an event (`deferred`), or on a
 * condition polled until a generous deadline. A deadline only turns a hang
 * into a failure; it is never what a test measures, so it is long enough for
 * a loaded 2-core machine.
 */
import { setTimeout as pollInterval } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this many ms (default 30 s). */
  readonly timeout?: number;
  /** Poll every this many ms (default 25). */
  readonly interval?: number;
  /** What is awaited, for the error message. */
  readonly what?: string;
}

/**
 * The first truthy value of `check`, polled until the deadline; throws
 * `gave up waiting for <what>` after it.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: WaitOptions = {},
): Promise<NonNullable<T>> {
  const { timeout = 30_000, interval = 25, what = 'the condition' } = options;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeout} ms`);
    await pollInterval(interval);
  }
}

/**
 * `read()` once `done` holds for it, or its last value at the deadline (for
 * an assertion that then shows what is left, such as processes still alive).
 */
export async function settled<T>(
  read: () => T,
  done: (value: T) => boolean,
  options: Omit<WaitOptions, 'what'> = {},
): Promise<T> {
  const { timeout = 30_000, interval = 25 } = options;
  const deadline = Date.now() + timeout;
  for (let value = read(); ; value = read()) {
    if (done(value) || Date.now() > deadline) return value;
    await pollInterval(interval);
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/** A promise and the function that resolves it (the first call wins), for callbacks to signal. */
export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve: (value) => resolve(value) };
}
