import { otherSubject, type Subject, type SubjectKind } from '../../src/diagnostics/subject.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { TranslateResult } from '../../src/index.js';
import type { QualifiedName } from '../../src/ir/types.js';

/**
 * Conservation judged on structure (issue 13): every object of the IR (`result.schema`) is in
 * `result.tidb` under its name or the name the rename map gives it, or a diagnostic's subject names
 * it (kind, database, table, column or name). Message text is never read. Returns what is neither,
 * one line per object, so a test shows exactly what was dropped silently.
 */
export function conservationGaps(result: TranslateResult): string[] {
  const gaps: string[] = [];
  const { schema, tidb, diagnostics } = result;
  const renames = result.report.renames;
  const dbOf = new Map(tidb.databases.map((d) => [d.source, d.name]));
  const bySource = new Map(tidb.tables.map((t) => [t.source, t]));
  const renamed = (kinds: readonly string[], from: string, table?: string): string => renames.find((r) => kinds.includes(r.kind) && r.from === from && (table === undefined || r.table === table))?.to ?? from;
  const named = (kinds: readonly SubjectKind[], want: Partial<Subject>): boolean => diagnostics.some((d) => subjectIs(d.subject, kinds, want));
  const key = (n: QualifiedName): string => (n.schema !== undefined ? `${n.schema}.${n.name}` : n.name);
  const inTable = (n: QualifiedName) => ({ database: n.schema ?? 'public', table: n.name });

  for (const t of schema.tables) {
    const tn = key(t.name);
    const at = inTable(t.name);
    const out = bySource.get(tn);
    if (!out) {
      // a partition folded into its parent's PARTITION BY
      const parent = t.partitionOf ? bySource.get(key(t.partitionOf.parent)) : undefined;
      if (parent?.partitioning?.partitions.some((p) => p.name === t.name.name)) continue;
      // HASH children become TiDB's p0..pN: the parent's diagnostic lists them in its typed payload
      // (not the subject: TODO a `partition` rename kind would put them in the rename map)
      if (t.partitionOf && diagnostics.some((d) => subjectIs(d.subject, ['table'], inTable(t.partitionOf!.parent)) && partitionsOf(d).includes(tn))) continue;
      if (!named(['table', 'materialized-view'], at)) gaps.push(`table ${tn}`);
      continue;
    }
    const tidbTable = out.name.name;
    const columns = new Set(out.columns.map((c) => c.name));
    for (const c of t.columns) {
      if (!columns.has(renamed(['column'], c.name, tidbTable)) && !named(['column'], { ...at, column: c.name })) gaps.push(`column ${tn}.${c.name}`);
    }
    const constraintNamed = (name: string | undefined, kinds: readonly SubjectKind[] = ['constraint', 'index', 'foreign-key']): boolean => named(kinds, { ...at, name });
    if (t.primaryKey && !out.primaryKey && !constraintNamed(t.primaryKey.name)) gaps.push(`primary key of ${tn}`);
    const indexes = new Set(out.indexes.map((i) => i.name));
    const indexColumns = out.indexes.map((i) => i.parts.map((k) => ('column' in k ? k.column : '')).join());
    for (const i of [...t.indexes.map((x) => ({ name: x.name, columns: x.keys.map((k) => k.column ?? '') })), ...t.uniques]) {
      if (i.name !== undefined && indexes.has(renamed(['index', 'constraint'], i.name, tidbTable))) continue;
      if (i.name === undefined && indexColumns.includes(i.columns.join())) continue;
      if (!constraintNamed(i.name)) gaps.push(`index ${tn}.${i.name ?? '(unnamed)'}`);
    }
    const outFks = [...out.foreignKeys, ...tidb.deferredForeignKeys.filter((d) => d.table.name === tidbTable && d.table.database === out.name.database).map((d) => d.foreignKey)];
    const fks = new Set(outFks.map((f) => f.name));
    for (const fk of t.foreignKeys) {
      if (fk.name !== undefined && fks.has(renamed(['foreign-key', 'constraint'], fk.name, tidbTable))) continue;
      // an unnamed key gets a name pg2tidb chooses: the same columns
      if (fk.name === undefined && outFks.some((f) => f.columns.join() === fk.columns.map((c) => renamed(['column'], c, tidbTable)).join())) continue;
      if (!constraintNamed(fk.name)) gaps.push(`foreign key ${tn}.${fk.name ?? `(${fk.columns.join(', ')})`}`);
    }
    const checks = new Set(out.checks.map((c) => c.name));
    for (const c of t.checks) {
      if (c.name !== undefined && checks.has(renamed(['check', 'constraint'], c.name, tidbTable))) continue;
      if (!constraintNamed(c.name, ['constraint'])) gaps.push(`check ${tn}.${c.name ?? '(unnamed)'}`);
    }
    for (const x of t.excludes) {
      if (x.name !== undefined && indexes.has(renamed(['index', 'constraint'], x.name, tidbTable))) continue;
      if (!constraintNamed(x.name, ['constraint', 'index'])) gaps.push(`exclude ${tn}.${x.name ?? '(unnamed)'}`);
    }
  }
  const sequences = new Set(tidb.sequences.map((s) => `${s.name.database}.${s.name.name}`));
  for (const s of schema.sequences) {
    const db = dbOf.get(s.name.schema ?? 'public');
    if (db !== undefined && sequences.has(`${db}.${renamed(['sequence'], s.name.name)}`)) continue;
    if (!named(['sequence'], { database: s.name.schema ?? 'public', name: s.name.name })) gaps.push(`sequence ${key(s.name)}`);
  }
  const views = new Set((tidb.views ?? []).map((v) => `${v.name.database}.${v.name.name}`));
  for (const v of schema.views) {
    const db = dbOf.get(v.name.schema ?? 'public');
    if (db !== undefined && views.has(`${db}.${v.name.name}`)) continue;
    if (!named(['view', 'materialized-view'], { database: v.name.schema ?? 'public', name: v.name.name })) gaps.push(`view ${key(v.name)}`);
  }
  for (const e of schema.enums) if (!named(['type'], { database: e.name.schema ?? 'public', name: e.name.name })) gaps.push(`enum ${key(e.name)}`);
  for (const d of schema.domains) if (!named(['domain'], { database: d.name.schema ?? 'public', name: d.name.name })) gaps.push(`domain ${key(d.name)}`);
  for (const c of schema.composites) if (!named(['type'], { database: c.name.schema ?? 'public', name: c.name.name })) gaps.push(`type ${key(c.name)}`);
  for (const x of schema.extensions) if (!named(['extension'], { name: x.name })) gaps.push(`extension ${x.name}`);
  for (const o of schema.others) {
    const s = otherSubject(o);
    // Reported one by one under its own subject, or in a group under the statement (data: its table).
    const own = s.name !== undefined || s.table !== undefined ? diagnostics.some((d) => sameSubject(d.subject, s)) : diagnostics.some((d) => sameSubject(d.subject, s) && sameSpan(d, o.span));
    const group = diagnostics.some((d) => sameSubject(d.subject, { kind: 'statement', name: o.statement }) || (o.kind === 'data' && o.name !== undefined && d.subject.kind === 'table' && sameSubject(d.subject, otherSubject({ kind: 'data', name: o.name }))));
    if (!own && !group) gaps.push(`statement ${o.statement} ${o.name ?? ''} at ${o.span?.file}:${o.span?.line}`);
  }
  for (const n of schema.notes) {
    const s = n.subject ?? (n.span ? { kind: 'file' as const, name: n.span.file } : { kind: 'statement' as const });
    if (!diagnostics.some((d) => d.id === n.id && sameSubject(d.subject, s) && sameSpan(d, n.span))) gaps.push(`note ${n.id} at ${n.span?.file}:${n.span?.line}`);
  }
  return gaps;
}

const FIELDS = ['database', 'table', 'column', 'name'] as const;

function partitionsOf(d: Diagnostic): readonly string[] {
  const p = (d.data as { readonly partitions?: unknown }).partitions;
  return Array.isArray(p) ? (p as string[]) : [];
}

/** The subject is of one of the kinds and has each given field (an absent `database` is public). */
function subjectIs(s: Subject, kinds: readonly SubjectKind[], want: Partial<Subject>): boolean {
  if (!kinds.includes(s.kind)) return false;
  return FIELDS.every((f) => !(f in want) || (f === 'database' ? (s.database ?? 'public') === (want.database ?? 'public') : s[f] === want[f]));
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && FIELDS.every((f) => a[f] === b[f]);
}

function sameSpan(d: Diagnostic, span: { readonly file: string; readonly offset: number } | undefined): boolean {
  return span === undefined || (d.span?.file === span.file && d.span.offset === span.offset);
}
