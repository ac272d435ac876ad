/**
 * The printing browser draws nothing on a screen (render/chromium-process.ts,
 * memoChromiumArgs): no frame unless DevTools asks for one (begin-frame control, which the
 * headless shell honours), and no GPU, not even a software one. A print paints on its own,
 * so memos print the same (tests/browsers.test.ts and the PDF fixtures check what they print).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, launchBrowser } from '../pipeline/render/browser.js';
import type { Chromium } from '../pipeline/render/browser.js';
import { headlessMode } from '../pipeline/render/chromium-process.js';
import { chromium } from './helpers/chromium.js';

const asRoot = process.getuid?.() === 0;
const executablePath = chromium();

/** The shared libraries process `pid` has loaded. */
function librariesOf(pid: number): string[] {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  return [
    ...new Set(maps.split('\n').flatMap((line) => /\s(\/\S+\.so[.\d]*)$/.exec(line)?.[1] ?? [])),
  ];
}

describe('the printing browser draws nothing', () => {
  let launched: Chromium;
  beforeAll(async () => {
    launched = await launchBrowser({ executablePath });
  }, 60_000);
  afterAll(async () => {
    if (launched !== undefined) await closeBrowser(launched);
  });

  it.runIf(headlessMode(executablePath) === 'shell')(
    'gives a loaded page no animation frame, and still prints it',
    async () => {
      const page = await launched.browser.newPage();
      await page.setContent(
        '<!doctype html><html lang="en"><title>No frames</title><h1>Progress</h1><p>Printed.</p>',
      );
      // A drawn frame runs requestAnimationFrame callbacks within milliseconds; none comes.
      const frame = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            requestAnimationFrame(() => resolve('a frame was drawn'));
            setTimeout(() => resolve('no frame'), 1_500);
          }),
      );
      expect(frame).toBe('no frame');
      const pdf = await page.pdf({ preferCSSPageSize: true });
      expect(Buffer.from(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await page.close();
    },
    60_000,
  );

  // As root Chromium is one process (tests/one-process.test.ts): its GPU service is a thread.
  it.runIf(asRoot)(
    'loads no software GPU (SwiftShader, Vulkan)',
    async () => {
      const page = await launched.browser.newPage();
      await page.setContent('<!doctype html><html lang="en"><title>No GPU</title><p>Printed.</p>');
      await page.pdf({ preferCSSPageSize: true });
      const pid = launched.child.pid;
      expect(pid).toBeTypeOf('number');
      const libraries = librariesOf(pid ?? 0);
      expect(libraries.some((library) => library.endsWith('/libc.so.6'))).toBe(true); // read right
      expect(libraries.filter((library) => /swiftshader|vulkan/i.test(library))).toEqual([]);
      await page.close();
    },
    60_000,
  );
});
