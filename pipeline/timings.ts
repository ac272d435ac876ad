/**
 * Per-stage timings of a build (`memo build --timings`): wall-clock phases
 * and, for the per-memo stages that run concurrently, the summed time.
 */
export interface Timings {
  /** Add `ms` to `stage`. */
  add(stage: string, ms: number): void;
  /** Time `work` and add it to `stage`. */
  time<T>(stage: string, work: () => Promise<T>): Promise<T>;
  entries(): ReadonlyArray<readonly [string, number]>;
}

export function createTimings(): Timings {
  const totals = new Map<string, number>();
  const add = (stage: string, ms: number) => totals.set(stage, (totals.get(stage) ?? 0) + ms);
  return {
    add,
    async time(stage, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        add(stage, performance.now() - started);
      }
    },
    entries: () => [...totals],
  };
}
