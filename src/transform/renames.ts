import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { QualifiedName } from '../ir/types.js';
import { columnSubject, objectSubject, tableObjectSubject, tableSubject, type Subject } from '../diagnostics/subject.js';

import type { RenameKind, RenameReason } from '../diagnostics/catalogue.js';

export type { RenameKind, RenameReason };

/** One object whose TiDB name differs from its source name: an entry of report.json `renames`. */
export interface Rename {
  readonly kind: RenameKind;
  /** The TiDB database the object is in. */
  readonly database: string;
  /** The table (its TiDB name) for table-level objects. */
  readonly table?: string;
  readonly from: string;
  readonly to: string;
  readonly reason: RenameReason;
}

/** Where a claimed name would be reported if it changes. */
export interface RenameSite {
  readonly log: RenameLog;
  readonly kind: RenameKind;
  readonly database: string;
  readonly table?: string;
  /** The source table (its PostgreSQL name), which the diagnostic's subject names. */
  readonly sourceTable?: QualifiedName;
  readonly span?: SourceSpan | undefined;
}

/** The subject names the object as the source does (schema and table), like every other diagnostic. */
function subjectOf(r: Rename, sourceTable: QualifiedName | undefined): Subject {
  const table = sourceTable ?? { schema: r.database, name: r.table ?? '' };
  switch (r.kind) {
    case 'database':
      return objectSubject('database', r.from);
    case 'table':
      return tableSubject(sourceTable ?? { schema: r.database, name: r.from });
    case 'column':
      return columnSubject(table, r.from);
    case 'sequence':
      return objectSubject('sequence', `${r.database}.${r.from}`);
    case 'check':
      return tableObjectSubject('constraint', table, r.from);
    default:
      return tableObjectSubject(r.kind, table, r.from);
  }
}

/** Every rename of the run, each reported once as `identifier-renamed` (no name changes without a word). */
export class RenameLog {
  readonly items: Rename[] = [];

  constructor(private readonly diagnostics: DiagnosticBag) {}

  record(rename: Rename, at: { readonly span?: SourceSpan | undefined; readonly sourceTable?: QualifiedName | undefined } = {}): void {
    if (rename.from === rename.to) return;
    this.items.push(rename);
    this.diagnostics.add('identifier-renamed', rename, { subject: subjectOf(rename, at.sourceTable), ...(at.span ? { span: at.span } : {}) });
  }

  /** Records `from` → `to` for the object a site describes. */
  site(site: RenameSite, from: string, to: string, reason: RenameReason): void {
    const { log: _log, span, sourceTable, ...where } = site;
    this.record({ ...where, from, to, reason }, { span, sourceTable });
  }
}
