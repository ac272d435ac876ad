/** What one check of `memo audit` is: a name, and a function reporting what it finds. */
import type { AuditedPdf } from './audited-pdf.js';

/** One problem a check found: its rule id, the 1-based page when known, and plain words. */
export interface Finding {
  readonly ruleId: AuditRule;
  readonly page?: number;
  /** What is wrong and how to fix it, in a writer's words. */
  readonly message: string;
}

export interface PdfCheck {
  /** Short name, listed by the docs (docs/archival.md). */
  readonly name: string;
  readonly run: (pdf: AuditedPdf) => readonly Finding[];
}

/** The rule ids of `memo audit` (docs/errors.md has a row for each). */
export type AuditRule =
  'audit-unreadable' | 'audit-archival' | 'audit-accessibility' | 'audit-unsafe' | 'audit-contrast';
