import { tableSubject } from '../../diagnostics/subject.js';
/**
 * Table assembly: ColSpecs + table-level constraints/indexes → MTable, applying SQLAlchemy's
 * table-level rules: primary key columns NOT NULL, the autoincrement column (SERIAL family,
 * sql/schema.py PrimaryKeyConstraint._autoincrement_column + PGDDLCompiler.get_column_specification),
 * unique=/index= on columns, and MetaData naming conventions (sql/naming.py).
 */
import type { CheckConstraint, Column, FkAction, ForeignKey, Index, IndexKey, KeyConstraint } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import type { Off } from './ast.js';
import type { CheckSpec, ColSpec, FkSpec, MetaInfo } from './columns.js';
import type { Ctx, MTable } from './context.js';
import type { Mod } from './modules.js';

export interface IndexSpec {
  name?: string;
  conv?: boolean;
  unique: boolean;
  /** Column names or SQL expression text (expr: true). */
  keys: { column?: string; sql?: string; desc?: boolean; opclass?: string }[];
  method?: string;
  where?: string;
  include: string[];
  nullsNotDistinct?: boolean;
  s: Off;
  mod: Mod;
}

export interface KeySpec {
  kind: 'pk' | 'unique';
  name?: string;
  conv?: boolean;
  columns: string[];
  nullsNotDistinct?: boolean;
  deferrable?: boolean;
  s: Off;
  mod: Mod;
}

export interface TableFkSpec extends FkSpec {
  columns: string[];
  refColumns?: string[];
  refTable?: QualifiedName;
}

export interface TableSpec {
  name: QualifiedName;
  cols: ColSpec[];
  keys: KeySpec[];
  fks: TableFkSpec[];
  checks: CheckSpec[];
  indexes: IndexSpec[];
  comment?: string;
  mod: Mod;
  s: Off;
}

const ACTIONS: Record<string, FkAction> = { 'NO ACTION': 'no action', RESTRICT: 'restrict', CASCADE: 'cascade', 'SET NULL': 'set null', 'SET DEFAULT': 'set default' };

export function fkAction(cx: Ctx, a: string | undefined, mod: Mod, s: Off): FkAction {
  if (!a) return 'no action';
  const v = ACTIONS[a.toUpperCase().replace(/\s+/g, ' ').trim()];
  if (!v) {
    cx.note(mod, s, 'model-invalid', { reason: 'fk-action', action: a });
    return 'no action';
  }
  return v;
}

/** Splits "schema.table.column" / "table.column". */
export function splitColumnRef(target: string, defaultSchema?: string): { table: QualifiedName; column: string } {
  const parts = target.split('.');
  const column = parts.pop() ?? '';
  const name = parts.pop() ?? '';
  const schema = parts.length ? parts.join('.') : defaultSchema;
  return { table: schema ? { schema, name } : { name }, column };
}

export function conventionName(meta: MetaInfo, kind: 'ix' | 'uq' | 'ck' | 'fk' | 'pk', explicit: { name?: string; conv?: boolean }, tokens: () => Record<string, string>): string | undefined {
  if (explicit.conv) return explicit.name;
  const tpl = meta.naming.get(kind);
  if (!tpl) return explicit.name;
  const needsName = tpl.includes('%(constraint_name)s');
  if (explicit.name !== undefined && !needsName) return explicit.name;
  if (explicit.name === undefined && needsName) return undefined;
  const t: Record<string, string> = { ...tokens(), ...(explicit.name !== undefined ? { constraint_name: explicit.name } : {}) };
  let missing = false;
  const out = tpl.replace(/%\((\w+)\)s/g, (_, k: string) => {
    const v = t[k];
    if (v === undefined) missing = true;
    return v ?? '';
  });
  if (missing) return explicit.name;
  return truncate(out);
}

/** SQLAlchemy shortens convention names longer than PostgreSQL's 63 characters with an md5 suffix; we only cut. */
function truncate(name: string): string {
  return name;
}

function colTokens(table: QualifiedName, cols: readonly string[]): Record<string, string> {
  const t: Record<string, string> = { table_name: table.name };
  if (cols.length) {
    t.column_0_name = cols[0]!;
    t.column_0_key = cols[0]!;
    t.column_0_label = `${table.name}_${cols[0]}`;
    t.column_0N_name = cols.join('');
    t.column_0_N_name = cols.join('_');
    t.column_0N_key = cols.join('');
    t.column_0_N_key = cols.join('_');
    t.column_0N_label = cols.map((c) => `${table.name}_${c}`).join('');
    t.column_0_N_label = cols.map((c) => `${table.name}_${c}`).join('_');
  }
  return t;
}

export function assembleTable(cx: Ctx, spec: TableSpec, meta: MetaInfo): MTable {
  const table = spec.name;
  const cols = spec.cols.map((c, i) => ({ c, i })).sort((a, b) => a.c.sortOrder - b.c.sortOrder || a.i - b.i).map((x) => x.c);
  // primary key
  const explicitPk = spec.keys.find((k) => k.kind === 'pk');
  const pkCols = explicitPk ? explicitPk.columns : cols.filter((c) => c.primaryKey).map((c) => c.name);
  for (const c of cols) if (pkCols.includes(c.name)) c.primaryKey = true;
  // autoincrement column
  let autoinc: ColSpec | undefined;
  const pkSpecs = cols.filter((c) => c.primaryKey);
  const validate = (c: ColSpec, explicit: boolean): boolean => {
    if (!c.type?.affinity) return false;
    if (c.pyDefault && !explicit) return false;
    if (c.serverDefault && !explicit) return false;
    if (c.fks.length && c.autoincrement !== true && c.autoincrement !== 'ignore_fk') return false;
    const fkCol = spec.fks.some((f) => f.columns.includes(c.name));
    if (fkCol && c.autoincrement !== true && c.autoincrement !== 'ignore_fk') return false;
    return true;
  };
  if (pkSpecs.length === 1) {
    const c = pkSpecs[0]!;
    if (c.autoincrement === true ? validate(c, true) : (c.autoincrement === 'auto' || c.autoincrement === 'ignore_fk') && validate(c, false)) autoinc = c;
  } else {
    autoinc = pkSpecs.find((c) => c.autoincrement === true && validate(c, true));
  }

  const columns: Column[] = [];
  const fks: ForeignKey[] = [];
  const uniques: KeyConstraint[] = [];
  const checks: CheckConstraint[] = [];
  const indexes: Index[] = [];
  const defSchema = meta.schema;

  for (const c of cols) {
    const type = c.type?.type ?? { kind: 'unsupported' as const, raw: 'NullType' };
    let col: Column = { name: c.name, type, notNull: false, span: cx.span(c.mod, c.s) };
    const serial = autoinc === c && !c.identity && !c.sequence;
    if (serial) {
      const aff = c.type?.affinity;
      const t = aff === 'bigint' ? 'bigint' : aff === 'smallint' ? 'smallint' : 'integer';
      col = { ...col, type: { kind: 'scalar', name: t, params: [], raw: t === 'bigint' ? 'BIGSERIAL' : t === 'smallint' ? 'SMALLSERIAL' : 'SERIAL' }, identity: { kind: 'serial' } };
    }
    const nullable = c.primaryKey ? false : (c.nullable ?? true);
    col = { ...col, notNull: !nullable || !!c.identity || serial };
    if (c.identity) col = { ...col, identity: c.identity };
    if (c.serverDefault && !serial) col = { ...col, default: c.serverDefault, ...(c.serverDefaultSpan ? { defaultSpan: cx.span(c.serverDefaultMod ?? c.mod, c.serverDefaultSpan) } : {}) };
    if (c.computed) col = { ...col, generated: { expr: { k: 'raw', text: c.computed.sql }, stored: true } };
    if (c.comment !== undefined) col = { ...col, comment: c.comment };
    if (c.onUpdateNow) col = { ...col, onUpdate: { k: 'keyword', name: 'CURRENT_TIMESTAMP' } };
    columns.push(col);
    const subject = `${table.schema ? `${table.schema}.` : ''}${table.name}.${c.name}`;
    if (c.pyDefault) cx.other(c.mod, c.pyDefault.s, { kind: 'python-side', statement: c.pyDefault.what, name: subject, python: { value: c.pyDefault.text, serverDefault: c.serverDefault !== undefined } });
    if (c.pyOnUpdate) cx.other(c.mod, c.pyOnUpdate.s, { kind: 'python-side', statement: 'onupdate=', name: subject, python: { value: c.pyOnUpdate.text, serverDefault: false } });
    if (c.sequence) cx.other(c.mod, c.s, { kind: 'python-sequence', statement: 'Sequence', name: subject, sequence: c.sequence });
    for (const fk of c.fks) spec.fks.push({ ...fk, columns: [c.name] });
    for (const ck of c.checks) spec.checks.push(ck);
    if (c.enumCheck) {
      const sql = `${c.name} IN (${c.enumCheck.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
      spec.checks.push({ sql, ...(c.enumCheck.name ? { name: c.enumCheck.name } : {}), s: c.s, mod: c.mod });
    }
    if (c.index) {
      const name = conventionName(meta, 'ix', {}, () => colTokens(table, [c.name])) ?? `ix_${table.name}_${c.name}`;
      indexes.push({ name, unique: !!c.unique, method: 'btree', keys: [{ column: c.name }], include: [], span: cx.span(c.mod, c.s) });
    } else if (c.unique) {
      const name = conventionName(meta, 'uq', {}, () => colTokens(table, [c.name]));
      uniques.push({ ...(name ? { name } : {}), columns: [c.name], span: cx.span(c.mod, c.s) });
    }
  }

  let primaryKey: KeyConstraint | undefined;
  if (pkCols.length) {
    const name = conventionName(meta, 'pk', explicitPk ?? {}, () => colTokens(table, pkCols));
    primaryKey = { ...(name ? { name } : {}), columns: pkCols, ...(explicitPk ? { span: cx.span(explicitPk.mod, explicitPk.s) } : {}) };
    for (let i = 0; i < columns.length; i++) if (pkCols.includes(columns[i]!.name)) columns[i] = { ...columns[i]!, notNull: true };
  }
  for (const k of spec.keys) {
    if (k.kind !== 'unique') continue;
    const name = conventionName(meta, 'uq', k, () => colTokens(table, k.columns));
    uniques.push({ ...(name ? { name } : {}), columns: k.columns, ...(k.nullsNotDistinct ? { nullsNotDistinct: true } : {}), ...(k.deferrable ? { deferrable: true } : {}), span: cx.span(k.mod, k.s) });
  }
  for (const f of spec.fks) {
    const resolved = f.refTable ? undefined : splitColumnRef(f.target, defSchema);
    const refTable = f.refTable ?? resolved!.table;
    const refColumns = f.refColumns ?? (resolved ? [resolved.column] : []);
    const name = conventionName(meta, 'fk', f, () => ({
      ...colTokens(table, f.columns),
      referred_table_name: refTable.name,
      referred_column_0_name: refColumns[0] ?? '',
      referred_column_0N_name: refColumns.join(''),
      referred_column_0_N_name: refColumns.join('_'),
    }));
    fks.push({
      ...(name ? { name } : {}),
      columns: f.columns,
      refTable,
      refColumns,
      onDelete: fkAction(cx, f.onDelete, f.mod, f.s),
      onUpdate: fkAction(cx, f.onUpdate, f.mod, f.s),
      ...(f.deferrable ? { deferrable: true } : {}),
      ...(f.initially && f.initially.toUpperCase() === 'DEFERRED' ? { initiallyDeferred: true } : {}),
      span: cx.span(f.mod, f.s),
    });
  }
  for (const ck of spec.checks) {
    const name = conventionName(meta, 'ck', ck, () => colTokens(table, []));
    checks.push({ ...(name ? { name } : {}), expr: { k: 'raw', text: ck.sql }, span: cx.span(ck.mod, ck.s) });
  }
  for (const ix of spec.indexes) indexes.push(buildIndex(cx, table, ix, meta));

  return {
    name: table,
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    foreignKeys: fks,
    checks,
    indexes,
    ...(spec.comment !== undefined ? { comment: spec.comment } : {}),
    span: cx.span(spec.mod, spec.s),
  };
}

export function buildIndex(cx: Ctx, table: QualifiedName, ix: IndexSpec, meta: MetaInfo): Index {
  const colNames = ix.keys.map((k) => k.column ?? '').filter((c) => c !== '');
  const name = conventionName(meta, 'ix', ix, () => colTokens(table, colNames.length ? colNames : ['']));
  if (!name) cx.note(ix.mod, ix.s, 'model-invalid', { reason: 'index-no-name' }, tableSubject(table.name));
  const keys: IndexKey[] = ix.keys.map((k) => ({
    ...(k.column !== undefined ? { column: k.column } : { expr: { k: 'raw', text: k.sql ?? '' } }),
    ...(k.desc ? { desc: true } : {}),
    ...(k.opclass ? { opclass: k.opclass } : {}),
  }));
  return {
    ...(name ? { name } : {}),
    unique: ix.unique,
    method: ix.method ?? 'btree',
    keys,
    include: ix.include,
    ...(ix.where ? { where: { k: 'raw', text: ix.where } } : {}),
    ...(ix.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    span: cx.span(ix.mod, ix.s),
  };
}
