import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { VFile } from 'vfile';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { compileMemo } from '../../pipeline/compile.js';
import { formatCompact } from '../../pipeline/cli/report.js';
import { problemsOf } from '../../pipeline/preview/problems.js';
import { createProcessor } from '../../pipeline/unified/processor.js';
import { compileFile } from '../helpers/compile-fixture.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'citations');
const fixture = (name: string) => compileFile(path.join(fixtures, name));
const text = (html: string) => toString(fromHtml(html, { fragment: true })).replace(/\s+/g, ' ');
/** The text of each note, without its back link. */
const notes = (html: string) =>
  [...html.matchAll(/<li id="user-content-fn-[^"]*">([\s\S]*?)<\/li>/g)].map((match) =>
    text(match[1] ?? '')
      .replace(/↩/g, '')
      .trim(),
  );

describe('citations in Chicago notes-bibliography style (the default)', () => {
  it('makes each citation a note, in full the first time and short after', async () => {
    const { view, report } = await fixture('notes.md');
    expect(report).toBe('');
    expect(notes(view?.notesHtml ?? '')).toEqual([
      'U.S. Government Accountability Office, Rail Transit: FTA Should Strengthen Its Oversight of State Safety Programs, GAO-21-105 (U.S. Government Accountability Office, 2021), 12.',
      'See Adaeze Okafor and Maria Lindqvist, Safety Culture in Public Transit: Lessons from Three Decades (Urban Policy Press, 2019); Thomas Brennan, “Measuring near Misses on Urban Rail Networks,” Journal of Transport Safety 14, no. 2 (2020): 101–24.',
      'Okafor and Lindqvist, Safety Culture in Public Transit.',
      'U.S. Government Accountability Office, Rail Transit, 14.',
    ]);
  });

  it('puts the note mark after the punctuation and names the author of `@key says`', async () => {
    const { view } = await fixture('notes.md');
    const body = text(view?.bodyHtml ?? '');
    expect(body).toContain('Oversight is thin.1 Two studies agree.2');
    expect(body).toContain('Okafor and Lindqvist3 argue that culture matters.');
  });

  it('closes the body with the cited sources under "Sources", in order', async () => {
    const { view } = await fixture('notes.md');
    const html = view?.bodyHtml ?? '';
    expect(html).toContain('<h2 id="sources">Sources</h2>');
    const sources = text(html.slice(html.indexOf('id="sources"')));
    expect(sources).toContain(
      'Brennan, Thomas. “Measuring near Misses on Urban Rail Networks.” Journal of Transport Safety 14, no. 2 (2020): 101–24.',
    );
    expect(sources.indexOf('Brennan')).toBeLessThan(sources.indexOf('Okafor, Adaeze, and Maria'));
    expect(sources).toContain(
      'U.S. Government Accountability Office. Rail Transit: FTA Should Strengthen Its Oversight of State Safety Programs. GAO-21-105. U.S. Government Accountability Office, 2021.',
    );
    // Only what the memo cites.
    expect(sources).not.toContain('Ramirez');
  });

  it('formats a citation inside a note of the writer’s own in place; `bibliography_section: false` leaves out Sources', async () => {
    const { view, report } = await fixture('no-section.md');
    expect(report).toBe('');
    expect(view?.bodyHtml).not.toContain('Sources');
    expect(notes(view?.notesHtml ?? '')).toEqual([
      'U.S. Government Accountability Office, Rail Transit: FTA Should Strengthen Its Oversight of State Safety Programs, GAO-21-105 (U.S. Government Accountability Office, 2021).',
      'A note of the writer’s own, citing Elena Ramirez, Federal Transit Safety Oversight: Background and Issues for Congress, no. R47012 (Congressional Research Service, 2022).',
    ]);
  });
});

describe('one run, many memos', () => {
  it('starts each memo afresh: first notes in full again, only its own sources', async () => {
    await fixture('no-section.md');
    const { view } = await fixture('notes.md');
    expect(notes(view?.notesHtml ?? '')[0]).toMatch(
      /^U\.S\. Government Accountability Office, Rail Transit: FTA/,
    );
    expect(text(view?.bodyHtml ?? '')).not.toContain('Ramirez');
  });
});

describe('a bibliography cannot add markup', () => {
  it('prints tags in a title or name as text', async () => {
    const { view, report } = await fixture('hostile.md');
    expect(report).toBe('');
    const tree = fromHtml(`${view?.bodyHtml ?? ''}${view?.notesHtml ?? ''}`, { fragment: true });
    expect(selectAll('script, img, b, [onclick], [onerror]', tree)).toEqual([]);
    expect(text(view?.notesHtml ?? '')).toContain('Office of <b onclick="x()">Review</b>');
  });
});

describe('citations in APA style (`csl: apa`)', () => {
  it('cites author and year in the sentence, with a References section', async () => {
    const { view, report } = await fixture('apa.md');
    expect(report).toBe('');
    expect(view?.notesHtml).toBe('');
    const body = text(view?.bodyHtml ?? '');
    expect(body).toContain(
      'Oversight is thin (U.S. Government Accountability Office, 2021, p. 12). Okafor and Lindqvist (2019) argue',
    );
    expect(body).toContain(
      'References Okafor, A., & Lindqvist, M. (2019). Safety culture in public transit: lessons from three decades. Urban Policy Press.',
    );
  });

  it('reads a CSL-JSON bibliography, and leaves e-mail addresses alone', async () => {
    const { view, report } = await fixture('csl-json.md');
    expect(report).toBe('');
    const body = text(view?.bodyHtml ?? '');
    expect(body).toContain('Oversight is thin (U.S. Government Accountability Office, 2021).');
    expect(body).toContain('Write to press@example.org for copies.');
    expect(body).toContain('Sources U.S. Government Accountability Office. (2021).');
  });
});

describe('citation errors, each at its place', () => {
  it('an unknown key, with the closest key', async () => {
    const { view, report } = await fixture('unknown-key.md');
    expect(view).toBeUndefined();
    expect(report).toBe(
      'unknown-key.md:11:20: error `@gao2012` is not in `sources.bib`; did you mean `gao2021`? [citation-unknown]',
    );
  });

  it('a malformed BibTeX entry, at its line in the .bib file', async () => {
    const { view, report } = await fixture('broken.md');
    expect(view).toBeUndefined();
    expect(report).toBe(
      `${path.join(fixtures, 'broken.bib')}:7:1: error entry \`okafor2019\` is not closed before the next entry starts (line 13): a \`{\` in it has no matching \`}\`; check the braces of its fields [bibliography-syntax]`,
    );
  });

  it('the preview links a .bib problem to the .bib file', async () => {
    const { file } = await fixture('broken.md');
    const [problem] = problemsOf([file], {
      cwd: fixtures,
      editorUrl: 'vscode://file{path}:{line}:{column}',
    });
    const bib = path.join(fixtures, 'broken.bib');
    expect(problem?.place).toBe(`${bib}:7:1`);
    expect(problem?.href).toBe(`vscode://file${bib}:7:1`);
  });

  it('a malformed CSL-JSON file, at the place JSON stops making sense', async () => {
    const { report } = await fixture('broken-json.md');
    expect(report).toMatch(/broken\.json:5:5: error the file is not valid CSL-JSON here/);
  });

  it('a missing bibliography file, at the front matter key', async () => {
    const { report } = await fixture('missing.md');
    expect(report).toBe(
      "missing.md:6:1: error bibliography `nowhere.bib` was not found in the memo's folder: check the file name, or export your sources there (BibTeX or CSL-JSON) [bibliography-file]",
    );
  });

  it('a bibliography outside the memo’s folder, never read', async () => {
    const { report } = await fixture('outside.md');
    expect(report).toBe(
      "outside.md:6:1: error bibliography `../../../package.json` is outside the memo's folder: keep the file in the memo's folder or below it [bibliography-file]",
    );
  });

  it('a citation in a memo without a bibliography', async () => {
    const { report } = await fixture('no-bibliography.md');
    expect(report).toBe(
      'no-bibliography.md:10:20: error `[@gao2021]` is a citation, but the memo names no bibliography: add `bibliography: sources.bib` (your BibTeX or CSL-JSON file) to the front matter [citation-unknown]',
    );
  });

  it('entries never cited: a warning in `memo check` only', async () => {
    const source = path.join(fixtures, 'apa.md');
    const file = new VFile({ path: source, value: await readFile(source) });
    const view = await compileMemo(file, {
      processor: createProcessor({ lint: true }),
      generator: 'memo-press test',
    });
    expect(view).toBeDefined();
    const named = new VFile({ path: 'apa.md' });
    named.messages.push(...file.messages);
    expect(formatCompact([named], { reporter: 'compact', color: false })).toBe(
      'apa.md:6:1: warning `sources.bib` has 2 entries this memo never cites: `brennan2020`, `crs2022`; cite them or remove them from the file [citation-unused]',
    );
  });
});
