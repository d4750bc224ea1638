import { catalogueEntry, type DiagnosticCode, type DiagnosticId, type ExactPayload, type PayloadOf, type Severity } from './catalogue.js';
import type { SourceSpan } from './span.js';
import { subjectText, type Subject } from './subject.js';

export interface Diagnostic<K extends DiagnosticId = DiagnosticId> {
  readonly id: K;
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** From the catalogue's template over `data` and `subject`. */
  readonly message: string;
  readonly span?: SourceSpan;
  /** What it is about, e.g. `{ kind: 'column', database: 'public', table: 'film', column: 'special_features' }`. */
  readonly subject: Subject;
  readonly data: PayloadOf<K>;
  readonly fix?: string;
}

export interface DiagnosticInit {
  readonly subject: Subject;
  readonly span?: SourceSpan | undefined;
  readonly fix?: string | undefined;
}

export function diagnostic<K extends DiagnosticId>(id: K, data: ExactPayload<K>, init: DiagnosticInit): Diagnostic<K> {
  const entry = catalogueEntry(id);
  const fix = init.fix ?? entry.fix;
  return {
    id,
    code: entry.code as DiagnosticCode,
    severity: entry.severity,
    message: entry.message(data as PayloadOf<K>, init.subject),
    ...(init.span ? { span: init.span } : {}),
    subject: init.subject,
    data: data as PayloadOf<K>,
    ...(fix ? { fix } : {}),
  };
}

/** An id with its own payload, as one value (a decision's note): each member pairs an id with that id's payload. */
export type Note = { readonly [K in DiagnosticId]: { readonly id: K; readonly data: PayloadOf<K>; readonly fix?: string | undefined } }[DiagnosticId];

/** Collects diagnostics; `once` keys suppress repeats of file-wide advice. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private readonly onceKeys = new Set<string>();

  /** `data` is checked against the payload of `id`; an id of a union type needs a payload every one of its ids accepts. */
  add<K extends DiagnosticId>(id: K, data: ExactPayload<K>, init: DiagnosticInit): void {
    this.items.push(diagnostic(id, data, init) as Diagnostic);
  }

  /** A decision's note (an id with its payload, decided away from the bag), reported here. */
  addNote(note: Note, init: DiagnosticInit): void {
    this.add(note.id, note.data as ExactPayload<typeof note.id>, { ...init, ...(note.fix ? { fix: note.fix } : {}) });
  }

  once<K extends DiagnosticId>(key: string, id: K, data: ExactPayload<K>, init: DiagnosticInit): void {
    if (this.onceKeys.has(key)) return;
    this.onceKeys.add(key);
    this.add(id, data, init);
  }
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.span?.file ?? '';
    const fb = b.span?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const oa = a.span?.offset ?? -1;
    const ob = b.span?.offset ?? -1;
    if (oa !== ob) return oa - ob;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    if (SEVERITY_RANK[a.severity] !== SEVERITY_RANK[b.severity]) return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
    const sa = subjectText(a.subject);
    const sb = subjectText(b.subject);
    if (sa !== sb) return sa < sb ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
