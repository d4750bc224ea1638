import { CATALOGUE, type DiagnosticId, type Severity } from './catalogue.js';
import type { SourceSpan } from './span.js';

export interface Diagnostic {
  readonly id: DiagnosticId;
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: SourceSpan;
  /** What it is about, e.g. `public.film.special_features`. */
  readonly subject?: string;
  readonly fix?: string;
}

export interface DiagnosticInit {
  readonly span?: SourceSpan | undefined;
  readonly subject?: string | undefined;
  readonly fix?: string | undefined;
  readonly severity?: Severity | undefined;
}

export function diagnostic(id: DiagnosticId, message: string, init: DiagnosticInit = {}): Diagnostic {
  const entry = CATALOGUE[id];
  const fix = init.fix ?? ('fix' in entry ? entry.fix : undefined);
  return {
    id,
    code: entry.code,
    severity: init.severity ?? entry.severity,
    message,
    ...(init.span ? { span: init.span } : {}),
    ...(init.subject ? { subject: init.subject } : {}),
    ...(fix ? { fix } : {}),
  };
}

/** Collects diagnostics; `once` keys suppress repeats of file-wide advice. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  private readonly onceKeys = new Set<string>();

  add(id: DiagnosticId, message: string, init: DiagnosticInit = {}): void {
    this.items.push(diagnostic(id, message, init));
  }

  once(key: string, id: DiagnosticId, message: string, init: DiagnosticInit = {}): void {
    if (this.onceKeys.has(key)) return;
    this.onceKeys.add(key);
    this.add(id, message, init);
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
    const sa = a.subject ?? '';
    const sb = b.subject ?? '';
    if (sa !== sb) return sa < sb ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}
