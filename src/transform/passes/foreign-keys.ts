import type { DiagnosticInit } from '../../diagnostics/diagnostic.js';
import { columnSubject, tableObjectSubject } from '../../diagnostics/subject.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type { ForeignKey } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import { defaultFits } from '../default-fits.js';
import { FK_FAMILY, FK_GROUP_RULES, groupFamily, sameFkType } from '../fk-type-rules.js';
import type { TidbColumn, TidbFkAction, TidbForeignKey, TidbTable, TidbType } from '../../ir/tidb.js';
import { display, key, type TransformContext } from '../context.js';
import { keyBytes, MAX_KEY_BYTES } from '../indexes.js';
import type { ParentIndexNeed, Stage } from './stage.js';

const FK_ACTIONS: Record<string, TidbFkAction | undefined> = {
  'no action': undefined,
  // RESTRICT is TiDB's default; spelling it out would count as a referential action (error 3823 with CHECKs).
  restrict: undefined,
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': undefined,
};

const UNKEYABLE = new Set(['JSON', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'BLOB', 'LONGBLOB', 'MEDIUMBLOB']);

export function describeType(t: TidbType): string {
  const args = t.length !== undefined ? `(${t.length})` : t.precision !== undefined ? `(${t.precision},${t.scale ?? 0})` : t.fsp !== undefined ? `(${t.fsp})` : '';
  return `${t.base}${args}${t.unsigned ? ' UNSIGNED' : ''}`;
}

/**
 * The old and the new type as fk-type-aligned shows them, with charset and collation when those
 * change (tidb-server refuses a VARCHAR(20) referencing a VARCHAR(20) COLLATE utf8mb4_bin, 3780).
 */
function describeAlignment(old: TidbType, aligned: TidbType): { from: string; to: string } {
  const from = describeType(old);
  const to = describeType(aligned);
  if (old.charset === aligned.charset && old.collation === aligned.collation) return { from, to };
  const collation = (t: TidbType) => `${t.charset ? ` CHARACTER SET ${t.charset}` : ''}${t.collation ? ` COLLATE ${t.collation}` : ' (database collation)'}`;
  return { from: from + collation(old), to: to + collation(aligned) };
}

/** A foreign key whose parent, columns and key were found: the one it becomes, if nothing drops it. */
interface Resolved {
  readonly parentKey: string;
  readonly parent: TidbTable;
  readonly refColumns: readonly string[];
}

type Check = { readonly ok: Resolved } | { readonly drop: 'temporal' | FkDropReason; readonly bytes?: number; readonly parentInInput?: boolean };
type FkDropReason = 'parent-missing' | 'partitioned' | 'key-unknown' | 'missing-column' | 'key-too-long' | 'blob-column';

/** Whether the foreign key can be created, judged on the lowered tables. */
function checkForeignKey(fk: ForeignKey, table: TidbTable, result: ReadonlyMap<string, TidbTable>, ctx: TransformContext): Check {
  if (fk.period) return { drop: 'temporal' };
  const parentKey = key(fk.refTable);
  const parentSource = ctx.tables.get(parentKey);
  const parent = result.get(parentKey);
  if (!parent || !parentSource) return { drop: 'parent-missing', parentInInput: parentSource !== undefined };
  if (table.partitioning || parent.partitioning) return { drop: 'partitioned' };
  const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parentSource.primaryKey?.columns ?? [];
  if (refColumns.length !== fk.columns.length) return { drop: 'key-unknown' };
  const childCols = fk.columns.map((c) => table.columns.find((x) => x.name === c));
  const parentCols = refColumns.map((c) => parent.columns.find((x) => x.name === c));
  if (childCols.some((c) => !c) || parentCols.some((c) => !c)) return { drop: 'missing-column' };
  // The parent's primary key is fitted by the key-fitting pass, which checks the key again (referencedKeyTooLong).
  const pk = parent.primaryKey?.columns;
  const onPrimaryKey = pk !== undefined && pk.length === refColumns.length && refColumns.every((c) => pk.includes(c));
  const bytes = parentCols.reduce((n, c) => n + keyBytes(c!.type), 0);
  if (!onPrimaryKey && bytes > MAX_KEY_BYTES) return { drop: 'key-too-long', bytes };
  if (childCols.some((c) => UNKEYABLE.has(c!.type.base))) return { drop: 'blob-column' };
  return { ok: { parentKey, parent, refColumns } };
}

/** The bytes of the parent index a kept foreign key needs, when over TiDB's key limit (after key fitting). */
export function referencedKeyTooLong(parent: TidbTable, refColumns: readonly string[]): number | undefined {
  const bytes = refColumns.reduce((n, c) => n + keyBytes(parent.columns.find((x) => x.name === c)?.type ?? { base: 'INT' }), 0);
  return bytes > MAX_KEY_BYTES ? bytes : undefined;
}

/**
 * Foreign keys: references resolved against the built tables, the columns every kept key joins
 * given one type per group (graph-wide, `alignGroups`), actions TiDB cannot keep changed. Tables
 * it widens and parent indexes TiDB needs are left to the key-fitting and parent-index passes.
 */
export function attachForeignKeys(stage: Stage, ctx: TransformContext): Stage {
  const d = ctx.diagnostics;
  const result = new Map<string, TidbTable>(stage.tables.map((b) => [key(b.source.name), b.table]));
  const widened = new Set(stage.widened);
  const parentIndexes: ParentIndexNeed[] = [...stage.parentIndexes];
  const checks = new Map<ForeignKey, Check>();
  for (const { source } of stage.tables) for (const fk of source.foreignKeys) checks.set(fk, checkForeignKey(fk, result.get(key(source.name))!, result, ctx));

  alignGroups(stage, ctx, result, widened, checks);

  for (const { source } of stage.tables) {
    const k = key(source.name);
    const subject = display(source.name);
    const fks: TidbForeignKey[] = [];
    for (const fk of source.foreignKeys) {
      const table = result.get(k)!;
      const label = `foreign key ${fk.name ?? `(${fk.columns.join(', ')})`} on ${subject}`;
      const at = { span: fk.span, subject: tableObjectSubject('foreign-key', source.name, fk.name ?? `(${fk.columns.join(', ')})`) };
      const check = checks.get(fk)!;
      if ('drop' in check) {
        if (check.drop === 'temporal') {
          // An equality key on the period would reject children PostgreSQL accepts (covered by several parent rows).
          d.add('temporal-key', { constraint: label, kind: 'foreign-key', columns: fk.columns }, at);
        } else if (check.drop === 'parent-missing') {
          d.add('fk-dropped', { constraint: label, reason: 'parent-missing', parent: display(fk.refTable), parentInInput: check.parentInInput ?? false }, at);
        } else if (check.drop === 'key-unknown') {
          d.add('fk-dropped', { constraint: label, reason: 'key-unknown', parent: display(fk.refTable) }, at);
        } else if (check.drop === 'key-too-long') {
          d.add('fk-dropped', { constraint: label, reason: 'key-too-long', bytes: check.bytes ?? 0 }, { ...at, fix: 'Shorten the key columns (varchar(768) at most for one utf8mb4 column).' });
        } else {
          d.add('fk-dropped', { constraint: label, reason: check.drop }, at);
        }
        continue;
      }
      const { parentKey, parent, refColumns } = check.ok;
      const childCols = fk.columns.map((c) => table.columns.find((x) => x.name === c)!);
      let onDelete = FK_ACTIONS[fk.onDelete];
      let onUpdate = FK_ACTIONS[fk.onUpdate];
      // TiDB rejects SET NULL on a NOT NULL column at CREATE time (1830); PostgreSQL fails at delete time instead.
      const notNull = childCols.filter((c) => !c.nullable).map((c) => c.name);
      if (notNull.length > 0 && (onDelete === 'SET NULL' || onUpdate === 'SET NULL')) {
        d.add('fk-action-changed', { constraint: label, reason: 'set-null-not-null', columns: notNull }, at);
        if (onDelete === 'SET NULL') onDelete = undefined;
        if (onUpdate === 'SET NULL') onUpdate = undefined;
      }
      if (fk.onDelete === 'set default' || fk.onUpdate === 'set default') {
        d.add('fk-action-changed', { constraint: label, reason: 'set-default', event: fk.onDelete === 'set default' ? 'DELETE' : 'UPDATE' }, at);
      }
      if (fk.deferrable || fk.initiallyDeferred) d.add('fk-deferrable', { constraint: label }, at);
      if (fk.match === 'full' || fk.match === 'partial') d.add('fk-action-changed', { constraint: label, reason: 'match', match: fk.match }, at);
      if (fk.notValid) d.add('constraint-not-valid', { constraint: label, kind: 'foreign-key' }, at);
      const scope = stage.fkScopes.get(table.name.database)!;
      const name = scope.claim(fk.name ?? `${table.name.name}_${fk.columns.join('_')}_fkey`, { table: table.name.name, sourceTable: source.name, span: fk.span });
      parentIndexes.push({ parent: parentKey, columns: refColumns, label, at, child: k, foreignKey: name });
      fks.push({
        name,
        columns: fk.columns,
        refTable: parent.name,
        refColumns,
        ...(onDelete ? { onDelete } : {}),
        ...(onUpdate ? { onUpdate } : {}),
        ...(fk.span ? { span: fk.span } : {}),
      });
    }
    if (fks.length > 0) result.set(k, { ...result.get(k)!, foreignKeys: fks });
  }
  return { ...stage, tables: stage.tables.map((b) => ({ source: b.source, table: result.get(key(b.source.name))! })), widened, parentIndexes };
}

/** One column of a group: its table (`key()` of the source name) and name. */
interface Node {
  readonly t: string;
  readonly c: string;
}

/** Where a group member is a child: the first kept foreign key naming it, for the diagnostic's place. */
interface ChildEdge {
  readonly parent: Node;
  readonly at: DiagnosticInit;
}

/**
 * The columns kept foreign keys join (through composite keys position by position) form groups; each
 * group takes one type, decided by its family's rule in FK_GROUP_RULES, in one step for the whole graph:
 * copying the parent's type key by key cannot settle a column referencing two parents, or a chain
 * declared child first (fixtures fk-chain-alignment, prop-fk-two-parent-widths). Each changed column is
 * reported, and a literal default its new type cannot hold is dropped (TiDB refuses it, 1067).
 */
function alignGroups(stage: Stage, ctx: TransformContext, result: Map<string, TidbTable>, widened: Set<string>, checks: ReadonlyMap<ForeignKey, Check>): void {
  const up = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (up.get(r) !== r) r = up.get(r)!;
    return r;
  };
  const id = (n: Node) => `${n.t}\0${n.c}`;
  const add = (n: Node) => {
    if (!up.has(id(n))) up.set(id(n), id(n));
    return id(n);
  };
  const order = new Map<string, number>();
  stage.tables.forEach((b, i) => b.table.columns.forEach((c, j) => order.set(id({ t: key(b.source.name), c: c.name }), i * 10_000 + j)));
  const childEdges = new Map<string, ChildEdge>();
  const kept: { t: string; columns: readonly string[]; parentKey: string; refColumns: readonly string[] }[] = [];
  const referenced = new Set<string>();
  const sources = new Map(stage.tables.map((b) => [key(b.source.name), b.source]));
  for (const { source } of stage.tables) {
    const t = key(source.name);
    for (const fk of source.foreignKeys) {
      const check = checks.get(fk)!;
      if (!('ok' in check)) continue;
      const at = { span: fk.span, subject: tableObjectSubject('foreign-key', source.name, fk.name ?? `(${fk.columns.join(', ')})`) };
      kept.push({ t, columns: fk.columns, parentKey: check.ok.parentKey, refColumns: check.ok.refColumns });
      fk.columns.forEach((c, i) => {
        const child = add({ t, c });
        const parent = add({ t: check.ok.parentKey, c: check.ok.refColumns[i]! });
        referenced.add(parent);
        if (!childEdges.has(child)) childEdges.set(child, { parent: { t: check.ok.parentKey, c: check.ok.refColumns[i]! }, at });
        const a = find(child);
        const b = find(parent);
        if (a !== b) up.set(a, b);
      });
    }
  }
  const groups = new Map<string, string[]>();
  for (const n of up.keys()) groups.set(find(n), [...(groups.get(find(n)) ?? []), n]);
  const column = (n: string) => {
    const [t, c] = n.split('\0') as [string, string];
    return { t, c, col: result.get(t)!.columns.find((x) => x.name === c)! };
  };
  interface Planned {
    readonly m: ReturnType<typeof column>;
    type: TidbType;
    readonly root: TidbColumn;
    readonly decided: TidbType;
    readonly members: readonly ReturnType<typeof column>[];
  }
  const planned = new Map<string, Planned>();
  for (const ids of groups.values()) {
    const members = ids.sort((a, b) => order.get(a)! - order.get(b)!).map(column);
    // The group's parent: a referenced column that references nothing (the first, in input order; any referenced one in a cycle).
    const root = members.find((m) => referenced.has(id(m)) && !childEdges.has(id(m))) ?? members.find((m) => referenced.has(id(m)))!;
    const rule = FK_GROUP_RULES[groupFamily(members.map((m) => m.col))];
    const decided = rule.decide(members.map((m) => m.col), root.col);
    for (const m of members) planned.set(id(m), { m, type: rule.apply(m.col, decided), root: root.col, decided, members });
  }
  // A declared length is kept only while the child's key index, which TiDB creates on the key's columns, fits
  // in 3072 bytes (1071, found by the generator at seed 42): otherwise it takes the parent's, all its values can be.
  for (const { t, columns, parentKey, refColumns } of kept) {
    const childTypes = columns.map((c) => planned.get(id({ t, c }))!.type);
    if (childTypes.reduce((n, x) => n + keyBytes(x), 0) <= MAX_KEY_BYTES) continue;
    columns.forEach((c, i) => {
      const p = planned.get(id({ t, c }))!;
      const parentType = planned.get(id({ t: parentKey, c: refColumns[i]! }))!.type;
      if (FK_FAMILY[p.type.base] === 'string' && p.type.base === parentType.base && parentType.length !== undefined && (p.type.length ?? 0) > parentType.length) p.type = { ...p.type, length: parentType.length };
    });
  }
  for (const { m, type, root, decided, members } of planned.values()) {
    if (sameFkType(type, m.col.type)) continue;
    const edge = childEdges.get(id(m));
    // A child names its parent; a parent the group changed names the member its type comes from.
    const named = edge?.parent ?? members.find((x) => x !== m && sameFkType(x.col.type, decided)) ?? members.find((x) => x !== m)!;
    const source = sources.get(m.t)!;
    const { from, to } = describeAlignment(m.col.type, type);
    ctx.diagnostics.add('fk-type-aligned', { column: m.c, from, parent: display(sources.get(named.t)!.name), parentColumn: named.c, to, ...(members.length > 2 || !edge ? { group: true } : {}) }, edge?.at ?? { subject: columnSubject(source.name, m.c) });
    const table = result.get(m.t)!;
    const aligned = alignedColumn(ctx, source.name, m.col, type, root, edge?.at.span);
    result.set(m.t, { ...table, columns: table.columns.map((c) => (c.name === m.c ? aligned : c)) });
    widened.add(m.t);
  }
}

/** The column with its group's type: the rule named in its origin, a default the type cannot hold dropped, CURRENT_TIMESTAMP at the new fsp (1067 otherwise, measured). */
function alignedColumn(ctx: TransformContext, table: QualifiedName, col: TidbColumn, type: TidbType, root: TidbColumn, span: SourceSpan | undefined): TidbColumn {
  const integer = FK_FAMILY[col.type.base] === 'integer' && FK_FAMILY[type.base] === 'integer';
  // A length copied from the parent is chosen by pg2tidb only if the parent's was.
  const { lengthChosen: _own, ...origin } = col.origin;
  const chosen = type.length === col.type.length ? col.origin.lengthChosen : root.origin.lengthChosen;
  let aligned: TidbColumn = { ...col, type, origin: { ...origin, rule: `${col.origin.rule}->${integer ? 'fk-widened' : 'fk-aligned'}`, ...(chosen ? { lengthChosen: true as const } : {}) } };
  const fsp = type.fsp ?? 0;
  if (aligned.default?.kind === 'current-timestamp' && aligned.default.fsp !== fsp) aligned = { ...aligned, default: { kind: 'current-timestamp', fsp } };
  if (aligned.onUpdateCurrentTimestamp && aligned.onUpdateCurrentTimestamp.fsp !== fsp) aligned = { ...aligned, onUpdateCurrentTimestamp: { fsp } };
  if (aligned.default?.kind !== 'literal' || defaultFits(aligned.default.sql, type)) return aligned;
  ctx.diagnostics.add('default-dropped', { reason: 'fk-aligned', expression: aligned.default.sql, type: describeType(type) }, { ...(span ? { span } : {}), subject: columnSubject(table, col.name) });
  const { default: _dropped, ...rest } = aligned;
  return rest;
}
