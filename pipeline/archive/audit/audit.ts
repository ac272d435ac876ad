/**
 * `memo audit`: built PDFs checked against the archival and accessibility
 * checklist (checks/index.ts), and the stylesheets' text colours against
 * WCAG AA (contrast.ts). One vfile per audited path; for a PDF, a problem's
 * line is its page (column 1), or 1 when it concerns the whole file.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { readBounded } from '../../io/read-bounded.js';
import { fail } from '../../messages.js';
import { openPdf } from './audited-pdf.js';
import type { AuditedPdf } from './audited-pdf.js';
import type { Finding } from './check.js';
import { PDF_CHECKS } from './checks/index.js';
import { contrastProblems } from './contrast.js';

/** Largest PDF audited (a 300-page memo with images is far below). */
const MAX_PDF_BYTES = 256 * 1024 * 1024;
/** Largest stylesheet read. */
const MAX_CSS_BYTES = 4 * 1024 * 1024;
/** PDFs collected from one folder, at most. */
const MAX_PDFS = 10_000;

/** Every check `memo audit` runs: reading the file, the PDF checks and the contrast check. */
export const CHECK_NAMES: readonly string[] = [
  'parses cleanly',
  ...PDF_CHECKS.map((check) => check.name),
  'text contrast (WCAG AA)',
];

export interface AuditResult {
  readonly files: VFile[];
  readonly pdfs: number;
  readonly stylesheets: number;
}

/** The .pdf files in `folder` and below, sorted; symbolic links are not followed. */
async function pdfsIn(folder: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [folder];
  while (pending.length > 0 && found.length < MAX_PDFS) {
    const current = pending.pop();
    if (current === undefined) break;
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.pdf')) found.push(full);
    }
  }
  return found.sort();
}

async function auditPdf(file: VFile, absolute: string): Promise<void> {
  const read = await readBounded(absolute, MAX_PDF_BYTES);
  if (!read.ok) {
    const why = {
      missing: 'the file is missing',
      'not-a-file': 'this is not a file',
      'too-large': 'the file is larger than 256 MB',
      unreadable: 'the file cannot be read',
    }[read.problem];
    fail(file, `${why}; give the path of a PDF memo-press built`, undefined, 'audit-unreadable');
    return;
  }
  let pdf: AuditedPdf;
  try {
    pdf = await openPdf(read.bytes);
  } catch {
    fail(
      file,
      'the file cannot be read as a PDF (damaged, encrypted or not a PDF); rebuild it with `memo build`',
      undefined,
      'audit-unreadable',
    );
    return;
  }
  for (const check of PDF_CHECKS) {
    let findings: readonly Finding[];
    try {
      findings = check.run(pdf);
    } catch {
      findings = [
        {
          ruleId: 'audit-unreadable',
          message: `part of the file could not be read for the check “${check.name}”; rebuild it with \`memo build\``,
        },
      ];
    }
    for (const finding of findings) {
      const place = finding.page === undefined ? undefined : { line: finding.page, column: 1 };
      const where = finding.page === undefined ? '' : `page ${finding.page}: `;
      fail(file, `${where}${finding.message}`, place, finding.ruleId);
    }
  }
}

async function auditStylesheet(file: VFile, absolute: string): Promise<void> {
  const read = await readBounded(absolute, MAX_CSS_BYTES);
  if (!read.ok) {
    fail(
      file,
      'the stylesheet cannot be read; check that the file is there',
      undefined,
      'audit-unreadable',
    );
    return;
  }
  const css = Buffer.from(read.bytes).toString('utf8');
  for (const problem of contrastProblems(css, absolute)) {
    const rule = problem.unreadable === true ? 'audit-unreadable' : 'audit-contrast';
    fail(file, problem.message, { line: problem.line, column: problem.column }, rule);
  }
}

/**
 * Audit `targets` (PDF files, or folders searched for PDFs) and
 * `stylesheets`, all relative to `cwd` or absolute. A target that does not
 * exist, or a folder without a PDF, is an error.
 */
export async function audit(
  targets: readonly string[],
  stylesheets: readonly string[],
  cwd: string,
): Promise<AuditResult> {
  const files: VFile[] = [];
  const fileFor = (absolute: string) => {
    const file = new VFile({ path: path.relative(cwd, absolute) || '.', cwd });
    files.push(file);
    return file;
  };
  let pdfs = 0;
  for (const target of targets) {
    const absolute = path.resolve(cwd, target);
    let list: string[];
    try {
      list = await pdfsIn(absolute);
    } catch {
      list = [absolute]; // not a folder: a file, or missing (auditPdf says which)
    }
    if (list.length === 0) {
      fail(
        fileFor(absolute),
        'there is no PDF in this folder; build the memos first with `memo build`',
        undefined,
        'audit-unreadable',
      );
      continue;
    }
    for (const pdf of list) {
      await auditPdf(fileFor(pdf), pdf);
      pdfs += 1;
    }
  }
  for (const stylesheet of stylesheets) {
    await auditStylesheet(fileFor(path.resolve(cwd, stylesheet)), path.resolve(cwd, stylesheet));
  }
  return { files, pdfs, stylesheets: stylesheets.length };
}

/**
 * The stylesheets of what memo-press publishes: styles/*.css (the memo) and
 * every .css under templates/ except templates/preview/ (the writer's local
 * preview shell, whose text sits on backgrounds its CSS alone does not name).
 */
export async function toolStylesheets(root: string): Promise<string[]> {
  const found: string[] = [];
  const skipped = path.join(root, 'templates', 'preview');
  const pending = [path.join(root, 'styles'), path.join(root, 'templates')];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === undefined) break;
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && full !== skipped) pending.push(full);
      else if (entry.isFile() && entry.name.endsWith('.css')) found.push(full);
    }
  }
  return found.sort();
}
