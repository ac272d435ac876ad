import { defineConfig } from 'vitest/config';

/**
 * Two projects, both run by `npm test` (`vitest run`); one alone with
 * `npx vitest run --project unit` (or `integration`).
 *
 * unit: no Chromium and no child process: the Markdown pipeline, messages,
 * HTML, config, progress output. Seconds.
 *
 * integration: everything else: real Chromium, child processes (the compiled
 * CLI, signals, kill -9), the 300-page memo, concurrent publishes. Minutes.
 * A file belongs here unless it is listed in UNIT.
 */
const UNIT = [
  'tests/architecture.test.ts',
  'tests/body-rules.test.ts',
  'tests/check-limits.test.ts',
  'tests/cli-usage.test.ts',
  'tests/config/config.test.ts',
  'tests/errors.test.ts',
  'tests/frontmatter-messages.test.ts',
  'tests/processor.test.ts',
  'tests/progress.test.ts',
  'tests/readme.test.ts',
  'tests/render-html.test.ts',
  'tests/security/memo-elements.test.ts',
  'tests/security/request-guard.test.ts',
  'tests/typography.test.ts',
];

export default defineConfig({
  test: {
    // 2 cores: two test files at once, across both projects.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: UNIT,
          // Only these run the compiled CLI (bin/memo.js → dist/).
          globalSetup: ['tests/global-setup.ts'],
          // Deadlines, not measurements: a hang becomes a failure, a loaded machine passes.
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
