/**
 * Inputs that are not plain files, names that would escape the output
 * folder, control characters, oversized fields and oversized image totals:
 * each ends at once with a clear error at its place, a non-zero exit and
 * nothing written, whatever the command.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { imageSources, png, tempDir } from './harness.js';

const memo = (fields: string, body = '## Findings\n\nText.\n') =>
  `---\n${fields}\nauthor: Ana Ruiz\norganization: Council\ndate: 2025-02-03\n---\n\n${body}`;
const GOOD = memo('title: Fine');

let root: string;
const fifos: string[] = [];

/** A FIFO no one writes to: an ordinary open of it blocks forever. */
async function fifo(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  execFileSync('mkfifo', [file]);
  fifos.push(file);
}

beforeAll(async () => {
  root = await tempDir('inputs');
});

afterAll(async () => {
  // Should a reader be stuck on a FIFO after all, opening it for writing sets it free.
  for (const file of fifos) {
    try {
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // no reader waiting (ENXIO): nothing to set free
    }
  }
  await rm(root, { recursive: true, force: true });
});

/** A fresh project folder holding `files` (name → text). */
async function project(name: string, files: Record<string, string | Buffer> = {}) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** The names in `dir`, or none when it was never made. */
async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** A control or bidi character other than a newline: never printed raw. */
const RAW_CONTROL = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

const lines = (text: string, prefix: string) =>
  text.split('\n').filter((line) => line.startsWith(prefix));

describe('sources that are not regular files', () => {
  const NOT_A_FILE =
    'error this is not a regular file (it is a device, a pipe or a socket): a memo must be a Markdown file saved on disk [source-not-file]';

  it.each([
    ['a FIFO', 'pipe.md', (file: string) => fifo(file)],
    ['a symbolic link to /dev/zero', 'zero.md', (file: string) => symlink('/dev/zero', file)],
    [
      'a symbolic link to /dev/urandom',
      'random.md',
      (file: string) => symlink('/dev/urandom', file),
    ],
    [
      'a symbolic link to a FIFO',
      'via-link.md',
      async (file: string) => {
        await fifo(`${file}.fifo`);
        await symlink(`${file}.fifo`, file);
      },
    ],
  ])(
    '%s is refused at once by build, check and publish',
    async (_kind, name, make) => {
      const dir = await project(`special-${name}`, { 'good.md': GOOD });
      await make(path.join(dir, name));
      const build = await runCli(
        ['build', name, 'good.md', '--out', 'out', '--format', 'html', '--quiet'],
        dir,
      );
      expect(lines(build.stderr, `${name}:`)).toEqual([`${name}:1:1: ${NOT_A_FILE}`]);
      expect(build.code).toBe(1);
      expect(await entries(path.join(dir, 'out'))).not.toContain(name.replace(/\.md$/, ''));
      const check = await runCli(['check', name], dir);
      expect(lines(check.stderr, `${name}:`)).toEqual([`${name}:1:1: ${NOT_A_FILE}`]);
      expect(check.code).toBe(1);
      const publish = await runCli(['publish', name], dir);
      expect(lines(publish.stderr, `${name}:`)).toEqual([
        `${name}:1:1: ${NOT_A_FILE}`,
        `${name}: not published`,
      ]);
      expect(publish.code).not.toBe(0);
    },
    60_000,
  );

  it('an image that is a FIFO, and a config (JSON, .ts or .js) that is a FIFO, are refused at once', async () => {
    const dir = await project('special-image', {
      'memo.md': memo('title: Fine', '## Figures\n\n![A chart](chart.png)\n'),
    });
    await fifo(path.join(dir, 'chart.png'));
    const build = await runCli(
      ['build', 'memo.md', '--out', 'out', '--format', 'html', '--quiet'],
      dir,
    );
    expect(lines(build.stderr, 'memo.md:')).toEqual([
      "memo.md:10:1: error image `chart.png` is not a regular file (it is a folder, a device or a pipe): save the image as a file in the memo's folder [image-source]",
    ]);
    const configured = await project('special-config', { 'memo.md': GOOD });
    await fifo(path.join(configured, 'memo.config.json'));
    const withConfig = await runCli(
      ['build', 'memo.md', '--out', 'out', '--format', 'html'],
      configured,
    );
    expect(withConfig.stderr).toContain(
      'memo.config.json:1:1: error the config could not be read: it is not a regular file [config-load]',
    );
    expect(withConfig.code).toBe(1);
    for (const name of ['memo.config.ts', 'memo.config.js']) {
      const code = await project(`special-${name.replaceAll('.', '-')}`, { 'memo.md': GOOD });
      await fifo(path.join(code, name));
      const run = await runCli(['check', 'memo.md'], code);
      expect(run.stderr).toContain(
        `${name}:1:1: error the config could not be read: it is not a regular file [config-load]`,
      );
      expect(run.code).toBe(1);
    }
  }, 60_000);
});

describe('file names that cannot name an output folder', () => {
  const BAD_NAME =
    'error this file name cannot name an output folder: rename the file to letters, digits and hyphens before `.md` (it must not start with `.` or hold control characters) [source-slug]';

  it.each([
    ['..md', '..md'],
    ['...md', '...md'],
    ['.md', '.md'],
    ['a\u001b[31mred.md', 'a<U+001B>[31mred.md'],
    ['evil\u202Egnp.md', 'evil<U+202E>gnp.md'],
  ])(
    '%j is refused by build and check, and nothing is written outside --out',
    async (name, shown) => {
      const dir = await project(`slug-${Buffer.from(name).toString('hex')}`, { 'good.md': GOOD });
      const work = path.join(dir, 'work');
      await mkdir(work);
      await writeFile(path.join(work, name), GOOD);
      const build = await runCli(['build', name, '--out', 'out', '--format', 'html'], work);
      expect(lines(build.stderr, `${shown}:`)).toEqual([`${shown}:1:1: ${BAD_NAME}`]);
      expect(build.code).toBe(1);
      // No raw control character reaches the terminal.
      expect(build.stderr + build.stdout).not.toMatch(RAW_CONTROL);
      expect(await readdir(work)).toEqual([name]);
      expect(await readdir(dir)).toEqual(expect.not.arrayContaining(['memo.html']));
      expect(await entries(path.join(work, 'out'))).toEqual([]);
      const check = await runCli(['check', name], work);
      expect(lines(check.stderr, `${shown}:`)).toEqual([`${shown}:1:1: ${BAD_NAME}`]);
      expect(check.code).toBe(1);
    },
    60_000,
  );
});

describe('control characters in front matter', () => {
  it.each([
    ['title: "Budget\\e[2J review"', 'title', '`title`', 'an invisible control character (U+001B)'],
    ['title: "Bell\\a"', 'title', '`title`', 'an invisible control character (U+0007)'],
    ['title: "Nul\\0 here"', 'title', '`title`', 'an invisible control character (U+0000)'],
    ['title: "CSI \\u009B here"', 'title', '`title`', 'an invisible control character (U+009B)'],
    [
      'title: "Invoice \\u202Efdp.exe"',
      'title',
      '`title`',
      'a character that changes the direction of the text (U+202E)',
    ],
    [
      'title: Fine\nsummary: "Isolated \\u2066text\\u2069"',
      'summary',
      '`summary`',
      'a character that changes the direction of the text (U+2066)',
    ],
    [
      'title: Fine\ndistribution:\n  - "Office \\x1b]0;pwned\\x07"',
      '  -',
      'item 1 of `distribution`',
      'an invisible control character (U+001B)',
    ],
  ])(
    '%s is an error at the field, and nothing is built',
    async (fields, key, name, kind) => {
      const source = memo(fields);
      const dir = await project(`control-${Buffer.from(fields).toString('hex').slice(0, 40)}`, {
        'memo.md': source,
      });
      const build = await runCli(['build', 'memo.md', '--out', 'out', '--format', 'html'], dir);
      const line = source.split('\n').findIndex((text) => text.startsWith(key)) + 1;
      expect(lines(build.stderr, 'memo.md:')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^memo\\.md:${line}:\\d+: error ${name.replace(/[`]/g, '`')} contains ${kind.replace(/[()+]/g, '\\$&')}: delete it .*\\[frontmatter-invalid\\]$`,
          ),
        ),
      ]);
      expect(build.stderr).not.toMatch(RAW_CONTROL);
      expect(build.code).toBe(1);
      expect(await entries(path.join(dir, 'out'))).not.toContain('memo');
    },
    60_000,
  );
});

describe('field lengths', () => {
  it('a 2 MB title fails at once with a clear error, before any browser work', async () => {
    const dir = await project('long-title', {
      'memo.md': memo(`title: ${'A'.repeat(2 * 1024 * 1024)}`),
    });
    const build = await runCli(['build', 'memo.md', '--out', 'out'], dir);
    expect(lines(build.stderr, 'memo.md:')).toEqual([
      'memo.md:2:8: error `title` is 2,097,152 characters long, more than the 300 it may have: shorten it (long text belongs in the body of the memo) [frontmatter-invalid]',
    ]);
    expect(build.stderr).not.toMatch(/protocolTimeout|puppeteer|Protocol error/i);
    expect(build.code).toBe(1);
  }, 60_000);

  it('limits every text field and list, each reported at its key', async () => {
    const source = [
      '---',
      'title: Fine',
      `subtitle: ${'s'.repeat(301)}`,
      'author: Ana Ruiz',
      `organization: ${'o'.repeat(400)}`,
      'date: 2025-02-03',
      `summary: ${'w '.repeat(2600)}`,
      'distribution:',
      ...Array.from({ length: 501 }, (_, index) => `  - Office ${index}`),
      '---',
      '',
      '## Findings',
      '',
      'Text.',
      '',
    ].join('\n');
    const dir = await project('long-fields', { 'memo.md': source });
    const build = await runCli(['build', 'memo.md', '--out', 'out', '--format', 'html'], dir);
    expect(lines(build.stderr, 'memo.md:')).toEqual([
      'memo.md:3:11: error `subtitle` is 301 characters long, more than the 300 it may have: shorten it (long text belongs in the body of the memo) [frontmatter-invalid]',
      'memo.md:5:15: error `organization` is 400 characters long, more than the 300 it may have: shorten it (long text belongs in the body of the memo) [frontmatter-invalid]',
      'memo.md:7:10: error `summary` is 5,199 characters long, more than the 5,000 it may have: shorten it (long text belongs in the body of the memo) [frontmatter-invalid]',
      'memo.md:9:3: error `distribution` lists 501 items, more than the 500 a memo may have [frontmatter-invalid]',
    ]);
    expect(build.code).toBe(1);
  }, 60_000);
});

describe('images inlined into one memo', () => {
  const MB = 1024 * 1024;
  it.each([3, 40])(
    '%i uses of one 9 MB image stop at the 20 MB total, with one error at the use that passes it',
    async (uses) => {
      const body = Array.from(
        { length: uses },
        (_, index) => `![Chart ${index + 1}](big.png)\n`,
      ).join('\n');
      const dir = await project(`inline-${uses}`, {
        'memo.md': memo('title: Fine', `## Figures\n\n${body}`),
        'big.png': Buffer.concat([png(2, 2), Buffer.alloc(9 * MB)]),
      });
      const build = await runCli(['build', 'memo.md', '--out', 'out', '--format', 'html'], dir);
      expect(lines(build.stderr, 'memo.md:')).toEqual([
        `memo.md:14:1: error image \`big.png\` brings the images of this memo to ${((3 * (9 * MB + png(2, 2).length)) / MB).toFixed(1)} MB, over the 20 MB a memo may hold (every use of an image counts, since the HTML carries a copy each time): make the images smaller or use fewer [image-source]`,
      ]);
      expect(build.code).toBe(1);
      expect(await entries(path.join(dir, 'out'))).not.toContain('memo');
    },
    60_000,
  );

  it('images under the total are inlined', async () => {
    const dir = await project('inline-fine', {
      'memo.md': memo('title: Fine', '## Figures\n\n![One](a.png)\n\n![Two](a.png)\n'),
      'a.png': Buffer.concat([png(2, 2), Buffer.alloc(9 * MB)]),
    });
    const build = await runCli(
      ['build', 'memo.md', '--out', 'out', '--format', 'html', '--quiet'],
      dir,
    );
    expect(lines(build.stderr, 'memo.md:')).toEqual([]);
    expect(build.code).toBe(0);
    const html = await readFile(path.join(dir, 'out', 'memo', 'memo.html'), 'utf8');
    expect(imageSources(html).map((src) => src.slice(0, 22))).toEqual([
      'data:image/png;base64,',
      'data:image/png;base64,',
    ]);
  }, 60_000);
});
