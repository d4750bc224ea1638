import { columnSubject, tableObjectSubject } from '../../diagnostics/subject.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type { QualifiedName } from '../../ir/types.js';
import { defaultFits } from '../default-fits.js';
import type { TidbColumn, TidbFkAction, TidbForeignKey, TidbTable } from '../../ir/tidb.js';
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

export function sameType(a: TidbColumn, b: TidbColumn): boolean {
  const x = a.type;
  const y = b.type;
  return x.base === y.base && x.length === y.length && x.precision === y.precision && x.scale === y.scale && !!x.unsigned === !!y.unsigned && x.charset === y.charset && x.collation === y.collation && x.fsp === y.fsp && JSON.stringify(x.values) === JSON.stringify(y.values);
}

export function describeType(c: TidbColumn): string {
  const t = c.type;
  const args = t.length !== undefined ? `(${t.length})` : t.precision !== undefined ? `(${t.precision},${t.scale ?? 0})` : t.fsp !== undefined ? `(${t.fsp})` : '';
  return `${t.base}${args}${t.unsigned ? ' UNSIGNED' : ''}`;
}

/**
 * The child's and the parent's types as fk-type-aligned shows them, with charset and collation when
 * only those differ (tidb-server refuses a VARCHAR(20) referencing a VARCHAR(20) COLLATE utf8mb4_bin, 3780).
 */
function describeAlignment(child: TidbColumn, parent: TidbColumn): { from: string; to: string } {
  const from = describeType(child);
  const to = describeType(parent);
  if (from !== to) return { from, to };
  const collation = (c: TidbColumn) => `${c.type.charset ? ` CHARACTER SET ${c.type.charset}` : ''}${c.type.collation ? ` COLLATE ${c.type.collation}` : ' (database collation)'}`;
  return { from: from + collation(child), to: to + collation(parent) };
}

/**
 * Foreign keys: references resolved against the built tables, child column types aligned with
 * the parent's (TiDB requires identical types), actions TiDB cannot keep changed. Tables it widens
 * and parent indexes TiDB needs are left to the key-fitting and parent-index passes.
 */
export function attachForeignKeys(stage: Stage, ctx: TransformContext): Stage {
  const d = ctx.diagnostics;
  const result = new Map<string, TidbTable>(stage.tables.map((b) => [key(b.source.name), b.table]));
  const widened = new Set(stage.widened);
  const parentIndexes: ParentIndexNeed[] = [...stage.parentIndexes];

  widenIntegerGroups(stage, ctx, result, widened);
  // A parent aligned after its child copied its type: align again until nothing changes (chains in any order).
  for (let changed = true, rounds = 0; changed && rounds <= stage.tables.length; rounds++) {
    changed = false;
    for (const { source } of stage.tables) {
      const k = key(source.name);
      for (const fk of source.foreignKeys) {
        const table = result.get(k)!;
        const parent = result.get(key(fk.refTable));
        const parentSource = ctx.tables.get(key(fk.refTable));
        if (fk.period || !parent || !parentSource || table.partitioning || parent.partitioning) continue;
        const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parentSource.primaryKey?.columns ?? [];
        const childCols = fk.columns.map((c) => table.columns.find((x) => x.name === c));
        const parentCols = refColumns.map((c) => parent.columns.find((x) => x.name === c));
        if (refColumns.length !== fk.columns.length || childCols.some((c) => !c) || parentCols.some((c) => !c)) continue;
        if (rounds === 0 || childCols.every((c, i) => sameType(c!, parentCols[i]!))) continue;
        // Round 0 is the attaching loop below; later rounds only re-align what a parent's alignment changed.
        if (parentCols.reduce((n, c) => n + keyBytes(c!.type), 0) > MAX_KEY_BYTES || childCols.some((c) => UNKEYABLE.has(c!.type.base))) continue;
        let columns = table.columns;
        childCols.forEach((child, i) => {
          const parentCol = parentCols[i]!;
          if (sameType(child!, parentCol)) return;
          d.add('fk-type-aligned', { column: child!.name, from: describeAlignment(child!, parentCol).from, parent: display(fk.refTable), parentColumn: parentCol.name, to: describeAlignment(child!, parentCol).to }, { span: fk.span, subject: tableObjectSubject('foreign-key', source.name, fk.name ?? `(${fk.columns.join(', ')})`) });
          const aligned = alignColumn(child!, parentCol, source.name, fk.span);
          columns = columns.map((c) => (c.name === child!.name ? aligned : c));
        });
        result.set(k, { ...table, columns });
        widened.add(k);
        changed = true;
      }
    }
    if (rounds === 0) {
      changed = attachAll();
    }
  }
  return { ...stage, tables: stage.tables.map((b) => ({ source: b.source, table: result.get(key(b.source.name))! })), widened, parentIndexes };

  function attachAll(): boolean {
  let aligned = false;
  for (const { source } of stage.tables) {
    const k = key(source.name);
    const subject = display(source.name);
    const fks: TidbForeignKey[] = [];
    for (const fk of source.foreignKeys) {
      const table = result.get(k)!;
      const label = `foreign key ${fk.name ?? `(${fk.columns.join(', ')})`} on ${subject}`;
      const at = { span: fk.span, subject: tableObjectSubject('foreign-key', source.name, fk.name ?? `(${fk.columns.join(', ')})`) };
      if (fk.period) {
        // An equality key on the period would reject children PostgreSQL accepts (covered by several parent rows).
        d.add('temporal-key', { constraint: label, kind: 'foreign-key', columns: fk.columns }, at);
        continue;
      }
      const parentKey = key(fk.refTable);
      const parentSource = ctx.tables.get(parentKey);
      const parent = result.get(parentKey);
      if (!parent || !parentSource) {
        d.add('fk-dropped', { constraint: label, reason: 'parent-missing', parent: display(fk.refTable), parentInInput: parentSource !== undefined }, at);
        continue;
      }
      if (table.partitioning || parent.partitioning) {
        d.add('fk-dropped', { constraint: label, reason: 'partitioned' }, at);
        continue;
      }
      const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parentSource.primaryKey?.columns ?? [];
      if (refColumns.length !== fk.columns.length) {
        d.add('fk-dropped', { constraint: label, reason: 'key-unknown', parent: display(fk.refTable) }, at);
        continue;
      }
      const childCols = fk.columns.map((c) => table.columns.find((x) => x.name === c));
      const parentCols = refColumns.map((c) => parent.columns.find((x) => x.name === c));
      if (childCols.some((c) => !c) || parentCols.some((c) => !c)) {
        d.add('fk-dropped', { constraint: label, reason: 'missing-column' }, at);
        continue;
      }
      const keyLength = parentCols.reduce((n, c) => n + keyBytes(c!.type), 0);
      if (keyLength > MAX_KEY_BYTES) {
        d.add('fk-dropped', { constraint: label, reason: 'key-too-long', bytes: keyLength }, { ...at, fix: 'Shorten the key columns (varchar(768) at most for one utf8mb4 column).' });
        continue;
      }
      if (childCols.some((c) => UNKEYABLE.has(c!.type.base))) {
        d.add('fk-dropped', { constraint: label, reason: 'blob-column' }, at);
        continue;
      }
      let columns = table.columns;
      childCols.forEach((child, i) => {
        const parentCol = parentCols[i]!;
        if (!sameType(child!, parentCol)) {
          d.add('fk-type-aligned', { column: child!.name, from: describeAlignment(child!, parentCol).from, parent: display(fk.refTable), parentColumn: parentCol.name, to: describeAlignment(child!, parentCol).to }, at);
          const aligned = alignColumn(child!, parentCol, source.name, fk.span);
          columns = columns.map((c) => (c.name === child!.name ? aligned : c));
        }
      });
      if (columns !== table.columns) {
        result.set(k, { ...table, columns });
        widened.add(k);
        aligned = true;
      }
      parentIndexes.push({ parent: parentKey, columns: refColumns, label, at });
      let onDelete = FK_ACTIONS[fk.onDelete];
      let onUpdate = FK_ACTIONS[fk.onUpdate];
      // TiDB rejects SET NULL on a NOT NULL column at CREATE time (1830); PostgreSQL fails at delete time instead.
      const notNull = childCols.filter((c) => !c!.nullable).map((c) => c!.name);
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
      fks.push({
        name: scope.claim(fk.name ?? `${table.name.name}_${fk.columns.join('_')}_fkey`, { table: table.name.name, sourceTable: source.name, span: fk.span }),
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
  return aligned;
  }

  /** The child column with the parent's type; a literal default the new type cannot hold is dropped (TiDB refuses it, 1067). */
  function alignColumn(child: TidbColumn, parentCol: TidbColumn, table: QualifiedName, span: SourceSpan | undefined): TidbColumn {
    // The length is now the parent's: chosen by pg2tidb only if the parent's was.
    const { lengthChosen: _own, ...origin } = child.origin;
    const aligned: TidbColumn = { ...child, type: parentCol.type, origin: { ...origin, rule: `${child.origin.rule}->fk-aligned`, ...(parentCol.origin.lengthChosen ? { lengthChosen: true as const } : {}) } };
    if (child.default?.kind !== 'literal' || defaultFits(child.default.sql, parentCol.type)) return aligned;
    d.add('default-dropped', { reason: 'fk-aligned', expression: child.default.sql, type: describeType(parentCol) }, { ...(span ? { span } : {}), subject: columnSubject(table, child.name) });
    const { default: _dropped, ...rest } = aligned;
    return rest;
  }
}

const INTEGER_RANK: Readonly<Record<string, number>> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 5 };

/**
 * Integer columns joined by foreign keys take the widest type of their group. Copying the parent's
 * type FK by FK cannot settle a column that references two parents of different widths, or a key
 * that is a child of one width and a parent of another: tidb-server refused the other FK (3780;
 * found by the generator, fixture prop-fk-two-parent-widths). Widening an integer loses nothing.
 */
function widenIntegerGroups(stage: Stage, ctx: TransformContext, result: Map<string, TidbTable>, widened: Set<string>): void {
  const up = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (up.get(r) !== r) r = up.get(r)!;
    return r;
  };
  const node = (t: string, c: string) => {
    const n = `${t}\0${c}`;
    if (!up.has(n)) up.set(n, n);
    return n;
  };
  const column = (t: string, c: string) => result.get(t)?.columns.find((x) => x.name === c);
  const integer = (c: TidbColumn | undefined): c is TidbColumn => c !== undefined && INTEGER_RANK[c.type.base] !== undefined && !c.type.unsigned;
  const sources = new Map(stage.tables.map((b) => [key(b.source.name), b.source]));
  const referenced = new Set<string>();
  const parentsOf = new Map<string, Set<string>>();
  for (const { source } of stage.tables) {
    const k = key(source.name);
    for (const fk of source.foreignKeys) {
      const p = key(fk.refTable);
      const parentSource = ctx.tables.get(p);
      const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parentSource?.primaryKey?.columns ?? [];
      if (fk.period || !parentSource || !result.has(p) || refColumns.length !== fk.columns.length || result.get(k)!.partitioning || result.get(p)!.partitioning) continue;
      fk.columns.forEach((c, i) => {
        if (!integer(column(k, c)) || !integer(column(p, refColumns[i]!))) return;
        const child = node(k, c);
        const parent = node(p, refColumns[i]!);
        referenced.add(parent);
        parentsOf.set(child, new Set([...(parentsOf.get(child) ?? []), parent]));
        const a = find(child);
        const b = find(parent);
        if (a !== b) up.set(a, b);
      });
    }
  }
  const groups = new Map<string, { t: string; c: string }[]>();
  for (const n of up.keys()) {
    const [t, c] = n.split('\0') as [string, string];
    const r = find(n);
    groups.set(r, [...(groups.get(r) ?? []), { t, c }]);
  }
  for (const members of groups.values()) {
    const cols = members.map((m) => ({ ...m, col: column(m.t, m.c)! }));
    const widest = cols.reduce((w, x) => (INTEGER_RANK[x.col.type.base]! > INTEGER_RANK[w.col.type.base]! ? x : w));
    for (const x of cols) {
      // A child of one parent only is aligned with it by the FK loop, as any other type.
      const n = `${x.t}\0${x.c}`;
      if (x.col.type.base === widest.col.type.base || (!referenced.has(n) && (parentsOf.get(n)?.size ?? 0) <= 1)) continue;
      const source = sources.get(x.t)!;
      const parent = sources.get(widest.t)!;
      ctx.diagnostics.add('fk-type-aligned', { column: x.c, from: describeType(x.col), parent: display(parent.name), parentColumn: widest.c, to: describeType(widest.col), group: true }, { subject: columnSubject(source.name, x.c) });
      const table = result.get(x.t)!;
      result.set(x.t, { ...table, columns: table.columns.map((c) => (c.name === x.c ? { ...c, type: { ...c.type, base: widest.col.type.base }, origin: { ...c.origin, rule: `${c.origin.rule}->fk-widened` } } : c)) });
      widened.add(x.t);
    }
  }
}
