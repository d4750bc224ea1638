import { DiagnosticBag, type Diagnostic, type DiagnosticInit } from '../diagnostics/diagnostic.js';
import { objectSubject, tableObjectSubject, tableSubject } from '../diagnostics/subject.js';
import type { Schema, Table } from '../ir/schema.js';
import type { TidbColumn, TidbDatabase, TidbFkAction, TidbForeignKey, TidbName, TidbSchema, TidbSequence, TidbTable } from '../ir/tidb.js';
import { databaseFor, display, key, TransformContext } from './context.js';
import { RenameLog, type Rename } from './renames.js';
import { NameScope } from './names.js';
import type { TranslateOptions } from './options.js';
import { reportOthers } from './others.js';
import { applyTriggerPatterns, reportTriggerPatterns } from './trigger-patterns.js';
import { renameInvalidColumns } from './rename.js';
import { planPartitions } from './partitions.js';
import { SequencePlan } from './sequences.js';
import { buildTable, keyedColumns } from './tables.js';
import { fitKey, keyBytes, MAX_KEY_BYTES } from './indexes.js';
import { quoteIdent } from '../sql/quote.js';
import { resolveColumnType } from './column-types.js';
import { isLiteral } from './column-types.js';
import { targetHas, targetLacks } from './features.js';

export { resolveOptions, type TranslateOptions } from './options.js';
export type { Rename } from './renames.js';

export interface TransformResult {
  readonly tidb: TidbSchema;
  readonly diagnostics: readonly Diagnostic[];
  /** Every object whose TiDB name differs from its source name, each also an `identifier-renamed` diagnostic. */
  readonly renames: readonly Rename[];
}

const FK_ACTIONS: Record<string, TidbFkAction | undefined> = {
  'no action': undefined,
  // RESTRICT is TiDB's default; spelling it out would count as a referential action (error 3823 with CHECKs).
  restrict: undefined,
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': undefined,
};

/** Lowers a PostgreSQL schema to the TiDB schema it becomes, with every loss reported. */
export function lowerToTidb(source: Schema, requested: TranslateOptions): TransformResult {
  const bag = new DiagnosticBag();
  if (requested.cloudStarter === true && requested.tidbVersion !== undefined) {
    bag.add('target-ignored', { detail: `tidbVersion ${requested.tidbVersion} is ignored: the target is TiDB Cloud Starter, whose kernel (based on v8.5.3) and fixed configuration decide what it offers` }, {
      subject: objectSubject('option', 'tidbVersion'),
      fix: 'Drop tidbVersion, or cloudStarter for a self-managed target.',
    });
  }
  const options = targetCollation(requested, bag);
  const renames = new RenameLog(bag);
  // Before renames: trigger bodies name the source columns.
  const patterns = applyTriggerPatterns(source);
  const schema = renameInvalidColumns(patterns.schema, renames, (s) => databaseFor(options, s));
  const ctx = new TransformContext(schema, options, bag, renames);

  reportTriggerPatterns(patterns, bag);
  reportOthers(ctx, new Set([...patterns.converted.map((c) => c.trigger), ...patterns.convertedRoutines]));

  // Columns referenced by foreign keys are keys too (they need a bounded type).
  const referenced = new Set<string>();
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) {
      const parent = ctx.tables.get(key(fk.refTable));
      const cols = fk.refColumns.length > 0 ? fk.refColumns : parent?.primaryKey?.columns ?? [];
      for (const c of cols) referenced.add(`${key(fk.refTable)}.${c}`);
    }
  }

  const partitions = planPartitions(ctx, (table, column) => {
    const col = table.columns.find((c) => c.name === column);
    if (!col) return undefined;
    const keyed = keyedColumns(table, referenced).has(column);
    const resolved = resolveColumnType(ctx, col.type, { keyed, literalDefault: isLiteral(col.default) });
    return { name: column, type: resolved.type, nullable: !col.notNull, origin: { column, pgType: col.type.raw, rule: resolved.rule } };
  });
  const sequences = new SequencePlan(ctx, partitions.folded);

  const databases = new Map<string, TidbDatabase>();
  const checkScopes = new Map<string, NameScope>();
  const fkScopes = new Map<string, NameScope>();
  const tableNamesByDb = new Map<string, Map<string, string>>();
  const built: { source: Table; table: TidbTable }[] = [];

  for (const ns of schema.namespaces) {
    const db = ctx.database(ns.name);
    if (!databases.has(db)) databases.set(db, { name: db, charset: 'utf8mb4', collation: options.collation, source: ns.name });
  }
  for (const table of schema.tables) {
    const k = key(table.name);
    if (partitions.folded.has(k)) continue;
    const name: TidbName = ctx.tidbName(table.name);
    if (!databases.has(name.database)) databases.set(name.database, { name: name.database, charset: 'utf8mb4', collation: options.collation, source: table.name.schema ?? 'public' });
    const seen = tableNamesByDb.get(name.database) ?? new Map<string, string>();
    tableNamesByDb.set(name.database, seen);
    const lower = name.name.toLowerCase();
    if (seen.has(lower)) {
      bag.add('name-collision', { detail: `tables ${seen.get(lower)} and ${display(table.name)} both become ${name.database}.${lower}: TiDB compares table names case-insensitively (lower_case_table_names = 2); ${display(table.name)} is not created` }, { span: table.span, subject: tableSubject(table.name) });
      continue;
    }
    seen.set(lower, display(table.name));
    if (table.columns.length === 0) {
      bag.add('empty-table', { detail: `${display(table.name)} has no columns; TiDB cannot create a table without columns, so it is not created` }, { span: table.span, subject: tableSubject(table.name) });
      continue;
    }
    const checks = checkScopes.get(name.database) ?? new NameScope({ log: ctx.renames, kind: 'check', database: name.database });
    checkScopes.set(name.database, checks);
    const fks = fkScopes.get(name.database) ?? new NameScope({ log: ctx.renames, kind: 'foreign-key', database: name.database });
    fkScopes.set(name.database, fks);
    const { table: t } = buildTable(ctx, table, referenced, sequences, checks, fks, name);
    const partitioning = partitions.inline.get(k);
    built.push({ source: table, table: partitioning ? { ...t, partitioning } : t });
  }

  for (const ns of schema.namespaces) {
    if (ns.comment) bag.add('statement-ignored', { detail: `the comment on schema ${ns.name} is dropped: TiDB databases have no comments` }, { span: ns.span, subject: objectSubject('schema', ns.name) });
    if (ns.name !== 'public' && databases.has(ctx.database(ns.name))) {
      bag.add('schema-to-database', { database: ctx.database(ns.name) }, { span: ns.span, subject: objectSubject('schema', ns.name) });
    }
  }

  const withFks = attachForeignKeys(ctx, built, fkScopes);
  const ordered = orderTables(withFks);
  const checkCount = ordered.tables.reduce((n, t) => n + t.checks.length, 0);
  if (checkCount > 0 && !targetHas(options, 'checkConstraint')) {
    bag.add('target-feature', { detail: `${plural(checkCount, 'CHECK constraint')} emitted but not enforced (${targetLacks(options, 'checkConstraint')}): earlier versions parse CHECK and ignore it` }, { subject: objectSubject('option', 'tidbVersion') });
  } else if (checkCount > 0) {
    bag.add('check-constraint-off', { count: checkCount }, { subject: objectSubject('option', 'tidb_enable_check_constraint') });
  }
  const fkCount = ordered.tables.reduce((n, t) => n + t.foreignKeys.length, 0) + ordered.deferred.length;
  if (fkCount > 0 && !targetHas(options, 'foreignKey')) {
    bag.add('target-feature', { detail: `${plural(fkCount, 'foreign key')} emitted but not enforced (${targetLacks(options, 'foreignKey')}): earlier versions parse FOREIGN KEY without enforcing it, and keys created there stay unenforced after an upgrade` }, {
      subject: objectSubject('option', 'tidbVersion'),
      fix: 'Check references in the application, or target a TiDB version that enforces foreign keys.',
    });
  }
  const { tables, sequences: kept } = targetSequences(ordered.tables, sequences.sequences, options, bag);
  const usedDbs = new Set([...tables.map((t) => t.name.database), ...kept.map((s) => s.name.database)]);
  return {
    tidb: {
      databases: [...databases.values()].filter((db) => usedDbs.has(db.name)),
      sequences: kept,
      tables,
      deferredForeignKeys: ordered.deferred,
    },
    diagnostics: bag.items,
    renames: renames.items,
  };
}

function plural(n: number, what: string): string {
  return n === 1 ? `1 ${what} is` : `${n} ${what}s are`;
}

/** The utf8mb4_0900 collations need TiDB v7.4 (features.ts): older targets get the nearest older collation. */
function targetCollation(options: TranslateOptions, bag: DiagnosticBag): TranslateOptions {
  const fallback: Record<string, string> = { utf8mb4_0900_bin: 'utf8mb4_bin', utf8mb4_0900_ai_ci: 'utf8mb4_general_ci' };
  const older = fallback[options.collation];
  if (older === undefined || targetHas(options, 'collation0900')) return options;
  bag.add('target-feature', { detail: `collation ${options.collation} becomes ${older}, which also ignores trailing spaces ('a' = 'a '): ${targetLacks(options, 'collation0900')}` }, { subject: objectSubject('option', 'collation') });
  return { ...options, collation: older };
}

/** Sequences need TiDB v4.0 (features.ts): on older targets they are not created and DEFAULT NEXTVAL is dropped. */
function targetSequences(tables: TidbTable[], sequences: readonly TidbSequence[], options: TranslateOptions, bag: DiagnosticBag): { tables: TidbTable[]; sequences: readonly TidbSequence[] } {
  if (sequences.length === 0 || targetHas(options, 'sequence')) return { tables, sequences };
  for (const seq of sequences) {
    bag.add('target-feature', { detail: `sequence ${seq.name.database}.${seq.name.name} is not created, and columns lose their DEFAULT NEXTVAL: ${targetLacks(options, 'sequence')}` }, { span: seq.span, subject: objectSubject('sequence', `${seq.name.database}.${seq.name.name}`) });
  }
  const withoutNextval = (c: TidbColumn): TidbColumn => {
    if (c.default?.kind !== 'nextval') return c;
    const { default: _dropped, ...rest } = c;
    return rest;
  };
  return { tables: tables.map((t) => (t.columns.some((c) => c.default?.kind === 'nextval') ? { ...t, columns: t.columns.map(withoutNextval) } : t)), sequences: [] };
}

function sameType(a: TidbColumn, b: TidbColumn): boolean {
  const x = a.type;
  const y = b.type;
  return x.base === y.base && x.length === y.length && x.precision === y.precision && x.scale === y.scale && !!x.unsigned === !!y.unsigned && x.charset === y.charset && x.collation === y.collation && JSON.stringify(x.values) === JSON.stringify(y.values);
}

/** Resolves foreign keys against the built tables, aligning child column types with the parent's (TiDB requires identical types). */
function attachForeignKeys(ctx: TransformContext, built: { source: Table; table: TidbTable }[], fkScopes: Map<string, NameScope>): TidbTable[] {
  const d = ctx.diagnostics;
  const bySource = new Map<string, TidbTable>();
  for (const b of built) bySource.set(key(b.source.name), b.table);
  const result = new Map<string, TidbTable>(built.map((b) => [key(b.source.name), b.table]));

  for (const { source } of built) {
    const k = key(source.name);
    const subject = display(source.name);
    const fks: TidbForeignKey[] = [];
    let table = result.get(k)!;
    for (const fk of source.foreignKeys) {
      const label = `foreign key ${fk.name ?? `(${fk.columns.join(', ')})`} on ${subject}`;
      const at = { span: fk.span, subject: tableObjectSubject('foreign-key', source.name, fk.name ?? `(${fk.columns.join(', ')})`) };
      const parentKey = key(fk.refTable);
      const parentSource = ctx.tables.get(parentKey);
      const parent = result.get(parentKey);
      if (!parent || !parentSource) {
        d.add('fk-dropped', { detail: `${label} references ${display(fk.refTable)}, which is not ${parentSource ? 'created in TiDB' : 'in the input'}; dropped` }, at);
        continue;
      }
      if (table.partitioning || parent.partitioning) {
        d.add('fk-dropped', { detail: `${label}: TiDB does not support foreign keys on partitioned tables; dropped` }, at);
        continue;
      }
      const refColumns = fk.refColumns.length > 0 ? fk.refColumns : parentSource.primaryKey?.columns ?? [];
      if (refColumns.length !== fk.columns.length) {
        d.add('fk-dropped', { detail: `${label}: the referenced key of ${display(fk.refTable)} cannot be determined; dropped` }, at);
        continue;
      }
      const childCols = fk.columns.map((c) => table.columns.find((x) => x.name === c));
      const parentCols = refColumns.map((c) => parent.columns.find((x) => x.name === c));
      if (childCols.some((c) => !c) || parentCols.some((c) => !c)) {
        d.add('fk-dropped', { detail: `${label} names a column that does not exist; dropped` }, at);
        continue;
      }
      const keyLength = parentCols.reduce((n, c) => n + keyBytes(c!.type), 0);
      if (keyLength > MAX_KEY_BYTES) {
        d.add('fk-dropped', { detail: `${label}: the referenced columns need a ${keyLength}-byte index, over TiDB's 3072-byte key limit; dropped` }, { ...at, fix: 'Shorten the key columns (varchar(768) at most for one utf8mb4 column).' });
        continue;
      }
      if (childCols.some((c) => ['JSON', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'BLOB', 'LONGBLOB', 'MEDIUMBLOB'].includes(c!.type.base))) {
        d.add('fk-dropped', { detail: `${label}: TiDB cannot put a foreign key on TEXT, BLOB or JSON columns; dropped` }, at);
        continue;
      }
      let columns = table.columns;
      childCols.forEach((child, i) => {
        const parentCol = parentCols[i]!;
        if (!sameType(child!, parentCol)) {
          d.add('fk-type-aligned', { detail: `${subject}.${child!.name} is ${describeType(child!)} but references ${display(fk.refTable)}.${parentCol.name} ${describeType(parentCol)}; TiDB requires identical types, so the child column becomes ${describeType(parentCol)}` }, at);
          const aligned: TidbColumn = { ...child!, type: parentCol.type, origin: { ...child!.origin, rule: `${child!.origin.rule}->fk-aligned` } };
          columns = columns.map((c) => (c.name === child!.name ? aligned : c));
        }
      });
      if (columns !== table.columns) {
        table = refitIndexes(ctx, { ...table, columns });
        result.set(k, table);
      }
      ensureParentIndex(ctx, result, parentKey, refColumns, label, at);
      let onDelete = FK_ACTIONS[fk.onDelete];
      let onUpdate = FK_ACTIONS[fk.onUpdate];
      // TiDB rejects SET NULL on a NOT NULL column at CREATE time (1830); PostgreSQL fails at delete time instead.
      const notNull = childCols.filter((c) => !c!.nullable).map((c) => c!.name);
      if (notNull.length > 0 && (onDelete === 'SET NULL' || onUpdate === 'SET NULL')) {
        d.add('fk-action-changed', { detail: `${label}: SET NULL on NOT NULL column ${notNull.join(', ')} becomes RESTRICT (TiDB rejects it, error 1830; PostgreSQL would fail the delete anyway)` }, at);
        if (onDelete === 'SET NULL') onDelete = undefined;
        if (onUpdate === 'SET NULL') onUpdate = undefined;
      }
      if (fk.onDelete === 'set default' || fk.onUpdate === 'set default') {
        d.add('fk-action-changed', { detail: `${label}: ON ${fk.onDelete === 'set default' ? 'DELETE' : 'UPDATE'} SET DEFAULT becomes RESTRICT (TiDB accepts SET DEFAULT but acts as RESTRICT)` }, at);
      }
      if (fk.deferrable || fk.initiallyDeferred) d.add('fk-deferrable', { detail: `${label} is DEFERRABLE; TiDB checks it immediately` }, at);
      if (fk.match === 'full' || fk.match === 'partial') d.add('fk-action-changed', { detail: `${label}: MATCH ${fk.match.toUpperCase()} becomes MATCH SIMPLE (a row with some NULL key columns is not checked)` }, at);
      if (fk.notValid) d.add('constraint-not-valid', { detail: `${label} is NOT VALID in PostgreSQL; TiDB checks rows inserted from now on` }, at);
      const scope = fkScopes.get(table.name.database)!;
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
    if (fks.length > 0) result.set(k, dropChecksOnActionColumns(ctx, { ...result.get(k)!, foreignKeys: fks }));
  }
  // A parent column may have been aligned after its child copied it; one more pass settles chains.
  return [...result.values()];
}

/** TiDB needs an index on the referenced columns, leading columns first (tidb.md §4.1, error 1822). */
function ensureParentIndex(ctx: TransformContext, tables: Map<string, TidbTable>, parentKey: string, columns: readonly string[], label: string, at: DiagnosticInit): void {
  const parent = tables.get(parentKey)!;
  const leads = (cols: readonly string[]) => columns.every((c, i) => cols[i] === c);
  if (parent.primaryKey && leads(parent.primaryKey.columns)) return;
  if (parent.indexes.some((i) => leads(i.parts.map((p) => ('column' in p && p.length === undefined ? p.column : '\u0000'))))) return;
  const names = new Set(parent.indexes.map((i) => i.name.toLowerCase()));
  let name = `${parent.name.name}_${columns.join('_')}_fk_idx`.slice(0, 64);
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `${name.slice(0, 60)}_${n}`;
  tables.set(parentKey, { ...parent, indexes: [...parent.indexes, { name, unique: false, parts: columns.map((c) => ({ column: c })) }] });
  ctx.diagnostics.add('fk-parent-index', { detail: `${label} references (${columns.join(', ')}) of ${parent.source}, which has no index starting with those columns; TiDB requires one, so index ${name} is added` }, at);
}

/** Aligning a column to its parent's wider type can push an index over 3072 bytes: fit it again. */
function refitIndexes(ctx: TransformContext, table: TidbTable): TidbTable {
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  const indexes = table.indexes.map((index) => {
    if (!index.parts.every((p) => 'column' in p)) return index;
    const parts = index.parts as { column: string; length?: number }[];
    const fitted = fitKey(parts.map((p) => ({ column: p.column, type: types.get(p.column)!, ...(p.length !== undefined ? { prefix: p.length } : {}) })));
    if (!fitted || JSON.stringify(fitted.parts) === JSON.stringify(parts)) return index;
    ctx.diagnostics.add('index-key-too-long', { detail: `index ${index.name} of ${table.source}: a column widened to match its foreign-key parent makes the key longer than 3072 bytes; indexed on column prefixes${index.unique ? ', so uniqueness now applies to the prefixes only' : ''}` }, { span: index.span, subject: tableObjectSubject('index', table.source, index.name) });
    return { ...index, parts: fitted.parts };
  });
  return { ...table, indexes };
}

/** MySQL/TiDB reject a CHECK on a column that a foreign key with CASCADE or SET NULL changes (error 3823). */
function dropChecksOnActionColumns(ctx: TransformContext, table: TidbTable): TidbTable {
  const acted = new Set(table.foreignKeys.filter((f) => (f.onDelete && f.onDelete !== 'RESTRICT' && f.onDelete !== 'NO ACTION') || (f.onUpdate && f.onUpdate !== 'RESTRICT' && f.onUpdate !== 'NO ACTION')).flatMap((f) => f.columns));
  if (acted.size === 0) return table;
  const keep = table.checks.filter((c) => {
    const hit = [...acted].find((col) => c.sql.includes(quoteIdent(col)));
    if (!hit) return true;
    ctx.diagnostics.add('check-dropped', { detail: `CHECK ${c.name ?? ''} on ${table.source} reads ${hit}, which a foreign key with ON DELETE/UPDATE CASCADE or SET NULL changes; TiDB forbids that combination (error 3823), so the CHECK is dropped` }, { span: c.span, subject: tableObjectSubject('constraint', table.source, c.name) });
    return false;
  });
  return keep.length === table.checks.length ? table : { ...table, checks: keep };
}

function describeType(c: TidbColumn): string {
  const t = c.type;
  const args = t.length !== undefined ? `(${t.length})` : t.precision !== undefined ? `(${t.precision},${t.scale ?? 0})` : '';
  return `${t.base}${args}${t.unsigned ? ' UNSIGNED' : ''}`;
}

/**
 * Orders tables so that each comes after the tables its foreign keys reference; keys that
 * close a cycle are moved to ALTER TABLE statements after all tables. Ties keep input order.
 */
function orderTables(tables: TidbTable[]): { tables: TidbTable[]; deferred: { table: TidbName; foreignKey: TidbForeignKey }[] } {
  const id = (n: TidbName) => `${n.database}.${n.name}`;
  const index = new Map(tables.map((t, i) => [id(t.name), i]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: TidbTable[] = [];
  const deferred: { table: TidbName; foreignKey: TidbForeignKey }[] = [];
  const byId = new Map(tables.map((t) => [id(t.name), t]));
  const kept = new Map<string, TidbForeignKey[]>();

  const visit = (t: TidbTable): void => {
    const tid = id(t.name);
    if (done.has(tid)) return;
    visiting.add(tid);
    const keep: TidbForeignKey[] = [];
    for (const fk of t.foreignKeys) {
      const pid = id(fk.refTable);
      if (pid === tid || done.has(pid)) {
        keep.push(fk);
        continue;
      }
      if (visiting.has(pid) || !byId.has(pid)) {
        deferred.push({ table: t.name, foreignKey: fk });
        continue;
      }
      visit(byId.get(pid)!);
      keep.push(fk);
    }
    visiting.delete(tid);
    done.add(tid);
    kept.set(tid, keep);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => index.get(id(a.name))! - index.get(id(b.name))!)) visit(t);
  return {
    tables: out.map((t) => {
      const keep = kept.get(id(t.name))!;
      return keep.length === t.foreignKeys.length ? t : { ...t, foreignKeys: keep };
    }),
    deferred,
  };
}
