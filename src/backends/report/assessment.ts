import { catalogueEntry, EFFORT, type Bucket, type EffortClass } from '../../diagnostics/catalogue.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { groupDiagnostics, type DiagnosticGroup } from '../../diagnostics/group.js';
import type { SourceFile } from '../../diagnostics/span.js';
import { columnSubject, objectSubject, otherSubject, subjectKey, subjectTable, tableObjectSubject, tableSubject, type Subject } from '../../diagnostics/subject.js';
import type { Schema } from '../../ir/schema.js';

/** The object kinds the assessment counts, in the order it shows them. */
export const OBJECT_KINDS = ['tables', 'columns', 'indexes', 'constraints', 'sequences', 'views', 'functions', 'triggers', 'policies', 'data statements'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

export const BUCKETS: readonly Bucket[] = ['automatic', 'loss', 'action', 'unsupported'];
export const BUCKET_LABEL: Record<Bucket, string> = {
  automatic: 'converted automatically',
  loss: 'converted with a reported loss',
  action: 'needs action',
  unsupported: 'not supported',
};
const BUCKET_RANK: Record<Bucket, number> = { automatic: 0, loss: 1, action: 2, unsupported: 3 };

export interface KindTotals {
  readonly kind: ObjectKind;
  readonly total: number;
  readonly buckets: Record<Bucket, number>;
}

export interface EffortLine {
  readonly effort: EffortClass;
  readonly items: number;
  readonly minutes: number;
  readonly assumption: string;
}

export interface ActionItem {
  readonly diagnostic: Diagnostic;
  readonly bucket: Bucket;
  /** The source lines the diagnostic points at (at most 12). */
  readonly excerpt?: string;
}

export interface Assessment {
  readonly inputs: readonly string[];
  readonly totals: readonly KindTotals[];
  readonly groups: readonly DiagnosticGroup[];
  readonly diagnostics: readonly Diagnostic[];
  readonly actions: readonly ActionItem[];
  readonly effort: readonly EffortLine[];
  readonly totalMinutes: number;
  /** ora2pg-style: A runs automatically, B needs rewriting of up to 5 person-days, C more. */
  readonly level: 'A' | 'B' | 'C';
}

export function bucketOf(d: Diagnostic): Bucket {
  // An error needs someone's action whatever the catalogue says of its id (a config level may raise one).
  const b = catalogueEntry(d.id).bucket;
  return d.severity === 'error' && b !== 'unsupported' ? 'action' : b;
}

/** Source objects by kind, each with the subject its diagnostics name. */
function sourceObjects(schema: Schema): Map<ObjectKind, Subject[]> {
  const out = new Map<ObjectKind, Subject[]>(OBJECT_KINDS.map((k) => [k, []]));
  const push = (k: ObjectKind, s: Subject) => out.get(k)!.push(s);
  for (const t of schema.tables) {
    push('tables', tableSubject(t.name));
    for (const c of t.columns) push('columns', columnSubject(t.name, c.name));
    const display = t.name.schema ? `${t.name.schema}.${t.name.name}` : t.name.name;
    for (const i of t.indexes) push('indexes', tableObjectSubject('index', display, i.name));
    if (t.primaryKey) push('constraints', tableObjectSubject('constraint', t.name, t.primaryKey.name ?? 'PRIMARY'));
    for (const u of t.uniques) push('constraints', tableObjectSubject('constraint', t.name, u.name));
    for (const c of t.checks) push('constraints', tableObjectSubject('constraint', t.name, c.name));
    for (const e of t.excludes) push('constraints', tableObjectSubject('constraint', t.name, e.name));
    for (const f of t.foreignKeys) push('constraints', tableObjectSubject('foreign-key', t.name, f.name ?? `(${f.columns.join(', ')})`));
  }
  for (const s of schema.sequences) push('sequences', objectSubject('sequence', `${s.name.schema ?? 'public'}.${s.name.name}`));
  for (const v of schema.views) push('views', objectSubject(v.materialized ? 'materialized-view' : 'view', v.name));
  const OTHER_KIND: Partial<Record<string, ObjectKind>> = {
    function: 'functions', procedure: 'functions', aggregate: 'functions', operator: 'functions', cast: 'functions',
    trigger: 'triggers', 'event-trigger': 'triggers', rule: 'triggers',
    policy: 'policies', 'row-level-security': 'policies', data: 'data statements',
  };
  for (const o of schema.others) {
    const k = OTHER_KIND[o.kind];
    if (k) push(k, otherSubject(o));
  }
  return out;
}

function excerptOf(d: Diagnostic, files: ReadonlyMap<string, SourceFile>): string | undefined {
  if (!d.span || d.id === 'input-error') return undefined;
  const file = files.get(d.span.file);
  if (!file) return undefined;
  const text = file.text.slice(d.span.offset, d.span.offset + Math.min(d.span.length, 4000));
  const lines = text.split('\n');
  const start = file.text.lastIndexOf('\n', d.span.offset - 1) + 1;
  const lead = file.text.slice(start, d.span.offset);
  const shown = lines.slice(0, 12).map((l, i) => (i === 0 ? lead + l : l));
  return shown.join('\n') + (lines.length > 12 ? '\n…' : '');
}

/** What the report pages print: counts by object kind and bucket, the action items, and the effort. */
export function assess(schema: Schema, diagnostics: readonly Diagnostic[], sources: readonly SourceFile[]): Assessment {
  const files = new Map(sources.map((f) => [f.path, f]));
  const worst = new Map<string, Bucket>();
  for (const d of diagnostics) {
    const k = subjectKey(d.subject);
    const b = bucketOf(d);
    const prev = worst.get(k);
    if (prev === undefined || BUCKET_RANK[b] > BUCKET_RANK[prev]) worst.set(k, b);
  }
  const totals: KindTotals[] = [];
  for (const [kind, subjects] of sourceObjects(schema)) {
    const buckets: Record<Bucket, number> = { automatic: 0, loss: 0, action: 0, unsupported: 0 };
    for (const s of subjects) buckets[worst.get(subjectKey(s)) ?? 'automatic']++;
    totals.push({ kind, total: subjects.length, buckets });
  }
  const actions = diagnostics.flatMap((d): ActionItem[] => {
    const bucket = bucketOf(d);
    if (bucket !== 'action' && bucket !== 'unsupported') return [];
    const excerpt = excerptOf(d, files);
    return [{ diagnostic: d, bucket, ...(excerpt !== undefined ? { excerpt } : {}) }];
  });
  const byEffort = new Map<EffortClass, number>();
  for (const d of diagnostics) {
    const e = catalogueEntry(d.id).effort;
    byEffort.set(e, (byEffort.get(e) ?? 0) + 1);
  }
  const effort = (Object.keys(EFFORT) as EffortClass[]).map((e) => ({ effort: e, items: byEffort.get(e) ?? 0, minutes: (byEffort.get(e) ?? 0) * EFFORT[e].minutes, assumption: EFFORT[e].assumption }));
  const totalMinutes = effort.reduce((n, e) => n + e.minutes, 0);
  const personDay = 8 * 60;
  const level = actions.length === 0 ? 'A' : totalMinutes <= 5 * personDay ? 'B' : 'C';
  return { inputs: sources.map((f) => f.path), totals, groups: groupDiagnostics(diagnostics), diagnostics, actions, effort, totalMinutes, level };
}

export function tableOf(d: Diagnostic): string {
  return subjectTable(d.subject) ?? '';
}

export function hours(minutes: number): string {
  const h = minutes / 60;
  return h < 10 ? `${Math.round(h * 10) / 10} h` : `${Math.round(h)} h`;
}
