#!/usr/bin/env node
/**
 * The floor: the least any tool must do to print finished HTML to PDF with
 * Chromium — launch, setContent, page.pdf(), close. Same executable and the
 * same isolation flags memo-press uses, nothing else.
 *
 *   node bench/floor.mjs [--concurrency N] file.html [file.html …]
 *
 * Writes each PDF next to its HTML as floor.pdf.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import puppeteer from 'puppeteer';

const argv = process.argv.slice(2);
let concurrency = 1;
if (argv[0] === '--concurrency') {
  concurrency = Number(argv[1]);
  argv.splice(0, 2);
}
const executablePath = process.env.MEMO_CHROMIUM ?? '/usr/bin/chromium';
const browser = await puppeteer.launch({
  executablePath,
  pipe: true,
  headless: true,
  args: [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
});
try {
  const queue = [...argv];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      const page = await browser.newPage();
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        await page.setContent(await readFile(file, 'utf8'), { waitUntil: 'load' });
        const pdf = await page.pdf({
          preferCSSPageSize: true,
          printBackground: true,
          tagged: true,
          outline: true,
        });
        await writeFile(path.join(path.dirname(file), 'floor.pdf'), pdf);
      }
      await page.close();
    }),
  );
} finally {
  await browser.close();
}
