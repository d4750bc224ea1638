import { CATALOGUE, type DiagnosticCode, type DiagnosticId, type Severity } from './catalogue.js';
import type { Diagnostic } from './diagnostic.js';
import { subjectTable, subjectText, type Subject, type SubjectKind } from './subject.js';

/** Diagnostics that say the same thing about different objects, as one entry with the list of subjects. */
export interface DiagnosticGroup {
  readonly id: DiagnosticId;
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  /** What every occurrence says, without its subject. */
  readonly headline: string;
  /** How many objects, e.g. `337 columns in 52 tables`. */
  readonly extent: string;
  readonly count: number;
  readonly subjects: readonly Subject[];
  /** Indexes into the diagnostics list, in its order; the first is the example. */
  readonly occurrences: readonly number[];
}

const MARK = '\u0000';

/** The message with its subject masked: two diagnostics group when these and their id and severity agree. */
function masked(d: Diagnostic): string {
  const names = new Set<string>([subjectText(d.subject)]);
  if (d.subject.name !== undefined && d.subject.name.length >= 3) names.add(d.subject.name);
  let text = d.message;
  for (const n of [...names].filter((n) => n.length > 0).sort((a, b) => b.length - a.length)) text = text.split(n).join(MARK);
  return text;
}

function headlineOf(d: Diagnostic, mask: string): string {
  if (d.id === 'collation-equality') return `${CATALOGUE[d.id].title}: ${(d.data as { effects: readonly string[] }).effects.join('; ')}`;
  const lead = `${MARK}: `;
  if (mask.startsWith(lead)) return mask.slice(lead.length).split(MARK).join('…');
  return mask.split(MARK).join('…');
}

/** The key that decides "says the same": ids with per-object wording in their payload say which part matters. */
function groupKey(d: Diagnostic, mask: string): string {
  if (d.id === 'collation-equality') return `${d.id}${MARK}${d.severity}${MARK}${(d.data as { effects: readonly string[] }).effects.join(';')}`;
  return `${d.id}${MARK}${d.severity}${MARK}${mask}`;
}

const PLURAL: Record<SubjectKind, [string, string]> = {
  database: ['database', 'databases'], schema: ['schema', 'schemas'], table: ['table', 'tables'], column: ['column', 'columns'],
  index: ['index', 'indexes'], constraint: ['constraint', 'constraints'], 'foreign-key': ['foreign key', 'foreign keys'],
  sequence: ['sequence', 'sequences'], view: ['view', 'views'], 'materialized-view': ['materialized view', 'materialized views'],
  function: ['function', 'functions'], procedure: ['procedure', 'procedures'], trigger: ['trigger', 'triggers'], policy: ['policy', 'policies'],
  type: ['type', 'types'], domain: ['domain', 'domains'], extension: ['extension', 'extensions'], role: ['role', 'roles'],
  revision: ['revision', 'revisions'], model: ['model', 'models'], statement: ['statement', 'statements'], file: ['file', 'files'], option: ['option', 'options'],
};

export function plural(n: number, kind: SubjectKind): string {
  return `${n} ${PLURAL[kind][n === 1 ? 0 : 1]}`;
}

/** `337 columns in 52 tables`, `281 views in 2 schemas`, `3 indexes and 2 constraints in 4 tables`. */
export function extentOf(subjects: readonly Subject[]): string {
  const byKind = new Map<SubjectKind, number>();
  for (const s of subjects) byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + 1);
  const parts = [...byKind].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => plural(n, k));
  const tables = new Set(subjects.filter((s) => s.kind !== 'table').flatMap((s) => (subjectTable(s) !== undefined ? [subjectTable(s)!] : [])));
  const schemas = new Set(subjects.flatMap((s) => (s.database !== undefined ? [s.database] : [])));
  const kinds = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '');
  if (tables.size > 0 && !byKind.has('table')) return `${kinds} in ${plural(tables.size, 'table')}`;
  if (schemas.size > 1) return `${kinds} in ${plural(schemas.size, 'schema')}`;
  return kinds;
}

/** Groups in order of first occurrence; every diagnostic is in exactly one group. */
export function groupDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticGroup[] {
  const groups = new Map<string, { first: Diagnostic; headline: string; occurrences: number[] }>();
  diagnostics.forEach((d, i) => {
    const mask = masked(d);
    const key = groupKey(d, mask);
    const g = groups.get(key);
    if (g) g.occurrences.push(i);
    else groups.set(key, { first: d, headline: headlineOf(d, mask), occurrences: [i] });
  });
  return [...groups.values()].map(({ first, headline: masked, occurrences }) => {
    // One occurrence says it in its own words; only a group needs its subjects masked.
    const own = `${subjectText(first.subject)}: `;
    const headline = occurrences.length > 1 ? masked : first.message.startsWith(own) && own.length > 2 ? first.message.slice(own.length) : first.message;
    const subjects = occurrences.map((i) => diagnostics[i]!.subject);
    return {
      id: first.id,
      code: first.code,
      severity: first.severity,
      headline,
      extent: extentOf(subjects),
      count: occurrences.length,
      subjects,
      occurrences,
    };
  });
}
