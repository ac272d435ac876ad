/**
 * The build context (pipeline/context.ts): options resolved once, the
 * template files read and compiled once, and Chromium started only when a
 * PDF is wanted and ended by the context's `close`.
 */
import { describe, expect, it } from 'vitest';
import { emptyConfig } from '../pipeline/config/index.js';
import { createContext } from '../pipeline/context.js';
import { resolveRunOptions } from '../pipeline/session-options.js';
import { chromiumChildren } from './helpers/chromium.js';

describe('resolveRunOptions', () => {
  it('fills in every default once, grouped by the part that reads it', () => {
    const run = resolveRunOptions({ concurrency: 3, pdf: { timeoutMs: 5_000 }, env: {} });
    expect(run.pdf).toEqual({
      env: {},
      concurrency: 3,
      handleSignals: true,
      timeoutMs: 5_000,
      memosPerBrowser: 100,
      memosPerPage: 20,
      footnoteCheck: 'pdf',
    });
    expect(run.templates).toEqual({});
    expect(run.lint).toBe(false);
  });

  it("takes the project's templates folder from --templates, else from the config", () => {
    const config = { ...emptyConfig(), templatesDir: '/project/my-templates' };
    expect(resolveRunOptions({ config }).templates).toEqual({
      overridesDir: '/project/my-templates',
    });
    expect(
      resolveRunOptions({ config, templateOverridesDir: '/elsewhere' }).templates.overridesDir,
    ).toBe('/elsewhere');
  });
});

describe('createContext', () => {
  it('reads the template files once and compiles them once', async () => {
    const context = createContext(resolveRunOptions({ handleSignals: false }));
    try {
      const [sources, again] = await Promise.all([
        context.templateSources(),
        context.templateSources(),
      ]);
      expect(again).toBe(sources);
      const html = await context.htmlRenderer();
      expect(await context.htmlRenderer()).toBe(html);
      expect(html.templates).toEqual(['assessment', 'memorandum']);
      expect(html.fingerprint).toBe(sources.fingerprint);
    } finally {
      await context.close();
    }
  });

  it('starts Chromium only when asked, and its close ends it', async () => {
    const context = createContext(resolveRunOptions({ handleSignals: false }));
    expect(context.browserStarted()).toBeUndefined();
    expect(await context.browserVersion()).toBeNull();
    const before = chromiumChildren();
    await context.startBrowser();
    expect(context.browserStarted()).toBeDefined();
    const renderer = await context.pdfRenderer();
    expect(await context.pdfRenderer()).toBe(renderer);
    expect(await context.browserVersion()).toMatch(/Chrom/);
    const started = [...chromiumChildren()].filter((pid) => !before.has(pid));
    expect(started).toHaveLength(1);

    await context.close();
    await expect
      .poll(() => chromiumChildren().has(started[0] ?? -1), { timeout: 10_000 })
      .toBe(false);
    await expect(renderer.render('<p>late</p>', meta)).rejects.toThrow(/closed/);
  });

  it('starts nothing once closed', async () => {
    const context = createContext(resolveRunOptions({ handleSignals: false }));
    await context.close();
    const before = chromiumChildren();
    await context.startBrowser();
    await expect(context.pdfRenderer()).rejects.toThrow(/closed/);
    expect(context.browserStarted()).toBeUndefined();
    expect([...chromiumChildren()].filter((pid) => !before.has(pid))).toEqual([]);
  });
});

const meta = {
  title: 'Late',
  author: 'Test',
  subject: 'Late',
  keywords: [],
  lang: 'en',
  date: new Date('2026-01-01T00:00:00Z'),
  creator: 'memo-press test',
};
