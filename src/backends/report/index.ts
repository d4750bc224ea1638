import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { SourceFile } from '../../diagnostics/span.js';
import type { Schema } from '../../ir/schema.js';
import { assess } from './assessment.js';
import { renderReportHtml } from './html.js';
import { renderReportMarkdown } from './markdown.js';


/** report.md and report.html: the migration assessment of one run. */
export function emitReport(schema: Schema, diagnostics: readonly Diagnostic[], files: readonly SourceFile[]): { markdown: string; html: string } {
  const a = assess(schema, diagnostics, files);
  return { markdown: renderReportMarkdown(a), html: renderReportHtml(a) };
}
