/**
 * At most `max` tasks at once; the others wait their turn, first come first
 * served. Used for the memos a build works on at once (build.ts) and the memos
 * printed at once (render/pdf.ts).
 */
export function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the place straight to the next task, or give it back.
      const next = waiting.shift();
      if (next === undefined) active -= 1;
      else next();
    }
  };
}
