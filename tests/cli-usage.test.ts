/**
 * Exit codes and limits of the command line: 2 for a usage error (an option
 * or variable out of range), everywhere, with the limit named; 1 for a
 * project file that cannot be used (a `null` or absurdly nested config).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './security/harness.js';

let root: string;

beforeAll(async () => {
  root = await tempDir('cli-usage');
  await mkdir(path.join(root, 'sources'));
  await writeFile(path.join(root, 'sources', 'memo.md'), '---\ntitle: T\n---\n\nText.\n');
});

describe('usage errors exit 2 and name the limit', () => {
  it.each([
    [
      ['build', '--concurrency', '1000000000'],
      '--concurrency must be between 1 and 16, got 1000000000',
    ],
    [['build', '--concurrency', '0'], '--concurrency must be between 1 and 16, got 0'],
    [['build', '-j', 'many'], '--concurrency must be a whole number from 1 to 16, got many'],
    [
      ['build', '--timeout', '99999999999'],
      '--timeout must be between 1 and 3600000, got 99999999999',
    ],
    [
      ['preview', 'sources/memo.md', '--port', '80000'],
      '--port (0: any free port) must be between 0 and 65535, got 80000',
    ],
    [
      ['preview', 'sources/memo.md', '--host', '0.0.0.0'],
      '--host must be a loopback address (127.0.0.1 or ::1), got 0.0.0.0',
    ],
    [
      ['publish', 'sources/memo.md', '--lock-timeout', '1e9'],
      '--lock-timeout must be a number of seconds from 0 to 3600, got 1e9',
    ],
  ])('memo %j', async (args, message) => {
    const run = await runCli(args, root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`memo: ${message}`);
    expect(run.stdout).toBe('');
  });

  it('checks environment variables the same way', async () => {
    const slots = await runCli(['publish', 'sources/memo.md'], root, {
      MEMO_BROWSER_SLOTS: '1000000000',
    });
    expect(slots.code).toBe(2);
    expect(slots.stderr).toContain(
      'memo: MEMO_BROWSER_SLOTS (0: no limit) must be between 0 and 64',
    );
    const timeout = await runCli(['build', '--format', 'html'], root, {
      MEMO_PDF_TIMEOUT_MS: '1e12',
    });
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('memo: MEMO_PDF_TIMEOUT_MS must be between 1 and 3600000');
  });

  it('lists the limit in the help', async () => {
    const help = await runCli(['build', '--help'], root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('memos printed at once, 1 to 16');
  });
});

describe('a config file that cannot be used exits 1 with its place', () => {
  async function withConfig(name: string, text: string): Promise<string> {
    const folder = await tempDir(`config-${name}`);
    await writeFile(path.join(folder, 'memo.config.json'), text);
    return folder;
  }

  it('a config that is null', async () => {
    const run = await runCli(['check'], await withConfig('null', 'null\n'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'memo.config.json:1:1: error the config must be an object of fields, such as { "organization": "…" }; the file holds only `null`, which is an empty config: write {} for no settings [config-type]',
    );
  });

  it.each([
    ['a list', '[]'],
    ['a number', '42'],
  ])('a config that is %s', async (what, text) => {
    const run = await runCli(['check'], await withConfig('scalar', text));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the file holds ${what} [config-type]`);
  });

  it.each([
    ['lists', `{\n  "organization": ${'['.repeat(100_000)}${']'.repeat(100_000)}\n}`],
    ['objects', `{\n  "distributionLists": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}\n}`],
  ])('a config nested 100,000 levels deep (%s)', async (_kind, text) => {
    const run = await runCli(['check'], await withConfig('deep', text));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^memo\.config\.json:2:\d+: error the config is nested more than 32 levels deep; .* \[config-nesting\]$/m,
    );
    expect(run.stderr).not.toContain('Maximum call stack');
  });

  it('a .js config whose value is nested 100,000 levels deep', async () => {
    const folder = await tempDir('config-deep-js');
    await writeFile(
      path.join(folder, 'memo.config.js'),
      'let value = [];\nfor (let i = 0; i < 100000; i += 1) value = [value];\nexport default { organization: value };\n',
    );
    const run = await runCli(['check'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'memo.config.js:1:1: error the config is nested more than 32 levels deep',
    );
  });
});
