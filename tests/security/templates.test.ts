/**
 * Front matter values reach the page through Handlebars `{{ }}` (escaped) and
 * the PDF's running header through CSS strings: a value that looks like a
 * template, markup or CSS prints literally, and only the sanitized body is
 * inserted raw. Project templates run with prototype access off.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { CliRun } from '../helpers/cli.js';
import { pageTexts, readInfo } from '../helpers/pdf.js';
import { auditHtml, startLoopback, tempDir } from './harness.js';
import type { Loopback } from './harness.js';

const TITLE = '{{#each this}}<b>x</b>{{constructor.constructor}}';
const SUBTITLE = '{{{bodyHtml}}} {{> head}} </title><script>alert(1)</script>';
const AUTHOR = "{{lookup this 'constructor'}} & <i>Co</i>";
const CLASSIFICATION = '"; } @page { background: url(__BASE__/css) } .x { content: "';
const RECIPIENT = '<img src=x onerror=alert(1)>';

const yamlString = (value: string) => JSON.stringify(value); // JSON strings are YAML strings

let server: Loopback;
let root: string;
let run: CliRun;
let html: string;
let pdfText: string;
let pdf: Uint8Array;

beforeAll(async () => {
  server = await startLoopback();
  root = await tempDir('templates');
  await mkdir(path.join(root, 'memos'));
  await mkdir(path.join(root, 'theme', 'partials'), { recursive: true });
  const classification = CLASSIFICATION.replace('__BASE__', server.base);
  await writeFile(
    path.join(root, 'memos', 'literal.md'),
    `---
title: ${yamlString(TITLE)}
subtitle: ${yamlString(SUBTITLE)}
author: ${yamlString(AUTHOR)}
organization: "{{organization}}"
date: 2025-02-03
summary: "{{#with this}}{{title}}{{/with}}"
classification: ${yamlString(classification)}
distribution:
  - ${yamlString(RECIPIENT)}
---

## Body

The body **is** Markdown.
`,
  );
  // A project template that tries to reach prototypes: it gets nothing.
  await writeFile(
    path.join(root, 'theme', 'partials', 'colophon.hbs'),
    '<footer class="colophon"><p id="proto">[{{lookup this "constructor"}}][{{lookup title "constructor"}}][{{lookup this "__proto__"}}]</p></footer>\n',
  );
  run = await runCli(['build', 'memos', '--out', 'out', '--quiet', '--templates', 'theme'], root);
  html = await readFile(path.join(root, 'out', 'literal', 'memo.html'), 'utf8');
  pdf = new Uint8Array(await readFile(path.join(root, 'out', 'literal', 'memo.pdf')));
  pdfText = (await pageTexts(pdf)).join('\n');
});

afterAll(async () => {
  await server?.close();
});

describe('values that look like templates, markup or CSS', () => {
  it('build', () => {
    expect(run.stderr).toContain('1 memo built, 0 failed');
    expect(run.code).toBe(0);
  });

  it('print literally in the HTML', () => {
    const tree = fromHtml(html);
    const text = (selector: string) => toString(select(selector, tree) ?? fromHtml(''));
    expect(text('h1')).toBe(TITLE);
    expect(text('title')).toBe(TITLE);
    expect(text('.subtitle')).toBe(SUBTITLE);
    expect(text('.byline')).toBe(`By ${AUTHOR}`);
    expect(text('.masthead-organization')).toBe('{{organization}}');
    expect(select('meta[name="description"]', tree)?.properties['content']).toBe(
      '{{#with this}}{{title}}{{/with}}',
    );
    expect(selectAll('.distribution li', tree).map((node) => toString(node))).toEqual([RECIPIENT]);
    expect(auditHtml(html)).toEqual([]);
    expect(selectAll('.memo-body strong', tree)).toHaveLength(1); // the body is the only raw HTML
  });

  it('print literally in the PDF: text, running header and metadata', async () => {
    const flat = pdfText.replace(/\s+/g, ' ');
    expect(flat).toContain(TITLE);
    expect(flat).toContain('</title><script>alert(1)</script>');
    expect(flat).toContain(RECIPIENT);
    expect(flat).toContain(CLASSIFICATION.replace('__BASE__', server.base)); // the CSS stayed a string
    expect((await readInfo(pdf)).title).toBe(TITLE);
  });

  it('cannot break out of the page CSS to make a request', () => {
    expect(server.requests).toEqual([]);
    expect(server.connections()).toBe(0);
  });

  it('gives a project template no access to prototypes', () => {
    expect(toString(select('#proto', fromHtml(html)) ?? fromHtml(''))).toBe('[][][]');
  });
});
