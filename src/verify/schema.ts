/**
 * The schema half of verify: the live TiDB schema, read back from information_schema, against the
 * TidbSchema `translate` emits. Compared per object: tables, columns (type, length, precision,
 * nullability, comment), the primary key, indexes (uniqueness, columns in order), foreign keys
 * (columns, referenced table and columns), table comments, column defaults (with ON UPDATE
 * CURRENT_TIMESTAMP), generated-column expressions, expression index parts, CHECK constraints and
 * partitioning (method, expression, partition names and bounds), definitions compared in the normal
 * form of ./normalise.ts; index prefix lengths, foreign-key actions, character sets and collations
 * of databases, tables and columns; views (./views.ts). An index TiDB adds by itself for a foreign
 * key (named after it) is not drift.
 */
import type { TidbColumn, TidbForeignKey, TidbKeyPart, TidbSchema, TidbTable, TidbType } from '../ir/tidb.js';
import { actualDefault, actualOnUpdate, expectedCollation, expectedDefault, expectedOnUpdate, normBound, normExpr } from './normalise.js';
import type { Drift, Queryable } from './types.js';
import { compareViews, type LiveView } from './views.js';

export type { Drift } from './types.js';

/** information_schema DATA_TYPE per base type (BOOLEAN is TINYINT(1)). */
const DATA_TYPE: Partial<Record<TidbType['base'], string>> = { BOOLEAN: 'tinyint' };
const LENGTHED = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

function typeText(t: TidbType): string {
  const base = DATA_TYPE[t.base] ?? t.base.toLowerCase();
  if (LENGTHED.has(t.base)) return `${base}(${t.length ?? 1})`;
  if (t.base === 'DECIMAL') return `${base}(${t.precision ?? 10},${t.scale ?? 0})`;
  return base;
}

const rowsOf = async (conn: Queryable, sql: string): Promise<Record<string, unknown>[]> => ((await conn.query(sql)) as [Record<string, unknown>[]])[0];
const lit = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
const str = (v: unknown): string => (v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

export async function compareSchema(conn: Queryable, schema: TidbSchema): Promise<Drift[]> {
  const tables: readonly TidbTable[] = schema.tables;
  // Keys closing a cycle are added after all tables (ALTER TABLE ... ADD FOREIGN KEY): they are the table's all the same.
  const deferred = new Map<string, TidbForeignKey[]>();
  for (const d of schema.deferredForeignKeys) deferred.set(`${d.table.database}.${d.table.name}`, [...(deferred.get(`${d.table.database}.${d.table.name}`) ?? []), d.foreignKey]);
  const drift: Drift[] = [];
  const views = schema.views ?? [];
  const dbs = [...new Set([...tables, ...views].map((t) => t.name.database))].map(lit).join(', ');
  if (dbs === '') return drift;
  const key = (db: unknown, t: unknown) => `${str(db)}.${str(t)}`;
  const group = (rows: Record<string, unknown>[], f: (r: Record<string, unknown>) => string): Map<string, Record<string, unknown>[]> => {
    const m = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) m.set(f(r), [...(m.get(f(r)) ?? []), r]);
    return m;
  };
  const liveTables = group(await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, TABLE_COLLATION FROM information_schema.tables WHERE TABLE_SCHEMA IN (${dbs})`), (r) => key(r['TABLE_SCHEMA'], r['TABLE_NAME']));
  const liveColumns = group(await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_COMMENT, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_DEFAULT, HEX(COLUMN_DEFAULT) AS DEFAULT_HEX, EXTRA, GENERATION_EXPRESSION FROM information_schema.columns WHERE TABLE_SCHEMA IN (${dbs}) ORDER BY ORDINAL_POSITION`), (r) => key(r['TABLE_SCHEMA'], r['TABLE_NAME']));
  const liveIndexes = group(await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, EXPRESSION FROM information_schema.statistics WHERE TABLE_SCHEMA IN (${dbs}) ORDER BY SEQ_IN_INDEX`), (r) => key(r['TABLE_SCHEMA'], r['TABLE_NAME']));
  const liveFks = group(await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.key_column_usage WHERE TABLE_SCHEMA IN (${dbs}) AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY ORDINAL_POSITION`), (r) => key(r['TABLE_SCHEMA'], r['TABLE_NAME']));

  const liveFkRules = new Map((await rowsOf(conn, `SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.referential_constraints WHERE CONSTRAINT_SCHEMA IN (${dbs})`)).map((r) => [`${key(r['CONSTRAINT_SCHEMA'], r['TABLE_NAME'])} ${str(r['CONSTRAINT_NAME']).toLowerCase()}`, r]));
  const liveDbs = new Map((await rowsOf(conn, `SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.schemata WHERE SCHEMA_NAME IN (${dbs})`)).map((r) => [str(r['SCHEMA_NAME']), r]));
  const liveChecks = group(await rowsOf(conn, `SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.tidb_check_constraints WHERE CONSTRAINT_SCHEMA IN (${dbs})`), (r) => key(r['CONSTRAINT_SCHEMA'], r['TABLE_NAME']));
  const livePartitions = group(await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION FROM information_schema.partitions WHERE TABLE_SCHEMA IN (${dbs}) AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION`), (r) => key(r['TABLE_SCHEMA'], r['TABLE_NAME']));
  // With tidb_enable_check_constraint OFF TiDB accepts a CHECK and drops it: every expected one is then missing.
  const checksOn = /^(on|1)$/i.test(str(((await rowsOf(conn, 'SELECT @@tidb_enable_check_constraint AS v'))[0] ?? {})['v']));

  const dbCollation = new Map<string, string>();
  for (const d of schema.databases) {
    dbCollation.set(d.name, d.collation);
    const r = liveDbs.get(d.name);
    const want = charsetCollation(d.charset, d.collation);
    // A database that no table or view uses is not created (architecture step 15).
    if (r && charsetCollation(str(r['DEFAULT_CHARACTER_SET_NAME']), str(r['DEFAULT_COLLATION_NAME'])) !== want) drift.push({ object: `${d.name} collation`, expected: want, actual: charsetCollation(str(r['DEFAULT_CHARACTER_SET_NAME']), str(r['DEFAULT_COLLATION_NAME'])) });
  }

  for (const t of tables) {
    const name = `${t.name.database}.${t.name.name}`;
    const live = liveTables.get(name)?.[0];
    if (!live) {
      drift.push({ object: name, expected: 'table', actual: 'missing' });
      continue;
    }
    if (str(live['TABLE_COMMENT']) !== (t.comment ?? '')) drift.push({ object: `${name} comment`, expected: t.comment ?? '', actual: str(live['TABLE_COMMENT']) });
    // Tables are created without options: they take their database's default collation.
    const tableCollation = dbCollation.get(t.name.database) ?? '';
    if (str(live['TABLE_COLLATION']).toLowerCase() !== tableCollation.toLowerCase()) drift.push({ object: `${name} collation`, expected: tableCollation, actual: str(live['TABLE_COLLATION']) });
    const cols = new Map((liveColumns.get(name) ?? []).map((r) => [str(r['COLUMN_NAME']).toLowerCase(), r]));
    for (const c of t.columns) {
      const r = cols.get(c.name.toLowerCase());
      const obj = `${name}.${c.name}`;
      if (!r) {
        drift.push({ object: obj, expected: 'column', actual: 'missing' });
        continue;
      }
      cols.delete(c.name.toLowerCase());
      const base = str(r['DATA_TYPE']).toLowerCase();
      const actualType = LENGTHED.has(c.type.base) ? `${base}(${str(r['CHARACTER_MAXIMUM_LENGTH'])})` : c.type.base === 'DECIMAL' ? `${base}(${str(r['NUMERIC_PRECISION'])},${str(r['NUMERIC_SCALE'])})` : base;
      if (actualType !== typeText(c.type)) drift.push({ object: `${obj} type`, expected: typeText(c.type), actual: actualType });
      const nullable = str(r['IS_NULLABLE']) === 'YES';
      if (nullable !== c.nullable) drift.push({ object: `${obj} nullability`, expected: c.nullable ? 'NULL' : 'NOT NULL', actual: nullable ? 'NULL' : 'NOT NULL' });
      if (str(r['COLUMN_COMMENT']) !== (c.comment ?? '')) drift.push({ object: `${obj} comment`, expected: c.comment ?? '', actual: str(r['COLUMN_COMMENT']) });
      const wantColl = expectedCollation(c.type, tableCollation);
      const want = wantColl === null ? 'none' : charsetCollation(charsetOf(wantColl), wantColl);
      const got = r['COLLATION_NAME'] == null ? 'none' : charsetCollation(str(r['CHARACTER_SET_NAME']), str(r['COLLATION_NAME']));
      if (want !== got) drift.push({ object: `${obj} collation`, expected: want, actual: got });
      columnDefinitionDrift(c, r, obj, drift);
    }
    for (const extra of cols.keys()) drift.push({ object: `${name}.${extra}`, expected: 'absent', actual: 'column' });

    const idx = group(liveIndexes.get(name) ?? [], (r) => str(r['INDEX_NAME']).toLowerCase());
    const shape = (unique: boolean, parts: readonly string[]) => `${unique ? 'UNIQUE ' : ''}(${parts.join(', ')})`;
    const liveShape = (rows: Record<string, unknown>[]) => shape(str(rows[0]!['NON_UNIQUE']) === '0', rows.map((r) => (r['EXPRESSION'] != null ? `(${str(r['EXPRESSION'])})` : r['SUB_PART'] != null ? `${str(r['COLUMN_NAME'])}(${str(r['SUB_PART'])})` : str(r['COLUMN_NAME']))));
    const expected: [string, string, string][] = t.indexes.map((i) => [i.name.toLowerCase(), `${name} index ${i.name}`, shape(i.unique, i.parts.map((p) => partText(p, t)))]);
    if (t.primaryKey) expected.push(['primary', `${name} primary key`, shape(true, t.primaryKey.columns)]);
    for (const [k, obj, want] of expected) {
      const rows = idx.get(k);
      idx.delete(k);
      if (!rows) drift.push({ object: obj, expected: want, actual: 'missing' });
      else {
        // Expression parts are compared in normal form (TiDB prints them back its own way).
        const got = liveShape(rows);
        if (normExpr(got) !== normExpr(want)) drift.push({ object: obj, expected: want, actual: got });
      }
    }
    const foreignKeys = [...t.foreignKeys, ...(deferred.get(name) ?? [])];
    const fkNames = new Set(foreignKeys.map((f) => f.name.toLowerCase()));
    for (const [k, rows] of idx) if (!fkNames.has(k)) drift.push({ object: `${name} index ${str(rows[0]!['INDEX_NAME'])}`, expected: 'absent', actual: liveShape(rows) });

    const fks = group(liveFks.get(name) ?? [], (r) => str(r['CONSTRAINT_NAME']).toLowerCase());
    for (const f of foreignKeys) {
      const rows = fks.get(f.name.toLowerCase());
      fks.delete(f.name.toLowerCase());
      const want = `(${f.columns.join(', ')}) REFERENCES ${f.refTable.database}.${f.refTable.name} (${f.refColumns.join(', ')})`;
      if (!rows) {
        drift.push({ object: `${name} foreign key ${f.name}`, expected: want, actual: 'missing' });
        continue;
      }
      const got = `(${rows.map((r) => str(r['COLUMN_NAME'])).join(', ')}) REFERENCES ${str(rows[0]!['REFERENCED_TABLE_SCHEMA'])}.${str(rows[0]!['REFERENCED_TABLE_NAME'])} (${rows.map((r) => str(r['REFERENCED_COLUMN_NAME'])).join(', ')})`;
      if (got.toLowerCase() !== want.toLowerCase()) drift.push({ object: `${name} foreign key ${f.name}`, expected: want, actual: got });
      const rules = liveFkRules.get(`${name} ${f.name.toLowerCase()}`);
      const wantRules = `ON DELETE ${f.onDelete ?? 'NO ACTION'} ON UPDATE ${f.onUpdate ?? 'NO ACTION'}`;
      const gotRules = rules ? `ON DELETE ${str(rules['DELETE_RULE'])} ON UPDATE ${str(rules['UPDATE_RULE'])}` : 'none';
      if (gotRules.toUpperCase() !== wantRules) drift.push({ object: `${name} foreign key ${f.name} actions`, expected: wantRules, actual: gotRules });
    }
    for (const [, rows] of fks) drift.push({ object: `${name} foreign key ${str(rows[0]!['CONSTRAINT_NAME'])}`, expected: 'absent', actual: 'foreign key' });
    checkDrift(t, liveChecks.get(name) ?? [], checksOn, drift);
    partitionDrift(t, livePartitions.get(name) ?? [], drift);
  }
  if (views.length > 0) {
    const live = new Map<string, LiveView>();
    const definitions = new Map((await rowsOf(conn, `SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM information_schema.views WHERE TABLE_SCHEMA IN (${dbs})`)).map((r) => [key(r['TABLE_SCHEMA'], r['TABLE_NAME']), str(r['VIEW_DEFINITION'])]));
    for (const v of views) {
      const name = `${v.name.database}.${v.name.name}`;
      const row = liveTables.get(name)?.[0];
      if (!row) continue;
      const columns = (liveColumns.get(name) ?? []).map((r) => str(r['COLUMN_NAME']));
      live.set(name, { kind: /view/i.test(str(row['TABLE_TYPE'])) ? 'view' : 'table', columns, definition: definitions.get(name) ?? '' });
    }
    drift.push(...(await compareViews(conn, views, live)));
  }
  return drift;
}

const charsetCollation = (charset: string, collation: string): string => `CHARACTER SET ${charset.toLowerCase()} COLLATE ${collation.toLowerCase()}`;
/** A collation's character set: the name up to its first `_` (utf8mb4_bin, ascii_bin, latin1_swedish_ci). */
const charsetOf = (collation: string): string => collation.split('_')[0]!;

/**
 * A key part as information_schema.STATISTICS shows it: a prefix as long as the whole CHAR/VARCHAR/
 * BINARY/VARBINARY column has SUB_PART NULL (measured on tidb-server v8.5: `KEY (name(20))` on a
 * VARCHAR(20) reads back as `name`).
 */
function partText(p: TidbKeyPart, t: TidbTable): string {
  if ('expr' in p) return `(${p.expr})`;
  if (p.length === undefined) return p.column;
  const col = t.columns.find((c) => c.name === p.column);
  const whole = col && LENGTHED.has(col.type.base) && col.type.length !== undefined && p.length >= col.type.length;
  return whole ? p.column : `${p.column}(${p.length})`;
}

/** Default, ON UPDATE and generation expression of one column against its information_schema row. */
function columnDefinitionDrift(c: TidbColumn, r: Record<string, unknown>, obj: string, drift: Drift[]): void {
  const extra = str(r['EXTRA']);
  const gen = /(VIRTUAL|STORED) GENERATED/i.exec(extra);
  const wantGen = c.generated ? `${c.generated.stored ? 'STORED' : 'VIRTUAL'} AS (${c.generated.sql})` : 'none';
  const gotGen = gen ? `${gen[1]!.toUpperCase()} AS (${str(r['GENERATION_EXPRESSION'])})` : 'none';
  if ((c.generated ? `${c.generated.stored ? 'stored' : 'virtual'}:${normExpr(c.generated.sql)}` : 'none') !== (gen ? `${gen[1]!.toLowerCase()}:${normExpr(str(r['GENERATION_EXPRESSION']))}` : 'none')) drift.push({ object: `${obj} generated`, expected: wantGen, actual: gotGen });
  if (!c.generated && !gen) {
    const raw = r['COLUMN_DEFAULT'] === null || r['COLUMN_DEFAULT'] === undefined ? null : str(r['COLUMN_DEFAULT']);
    const want = expectedDefault(c.default, c);
    const got = actualDefault(raw, extra, { type: str(r['COLUMN_TYPE']), base: str(r['DATA_TYPE']).toLowerCase(), hex: str(r['DEFAULT_HEX']) });
    if (want !== got) drift.push({ object: `${obj} default`, expected: c.default ? defaultText(c.default) : 'none', actual: raw ?? 'none' });
  }
  const wantUpd = expectedOnUpdate(c);
  const gotUpd = actualOnUpdate(extra);
  if (wantUpd !== gotUpd) drift.push({ object: `${obj} on update`, expected: wantUpd ?? 'none', actual: gotUpd ?? 'none' });
}

function defaultText(d: NonNullable<TidbColumn['default']>): string {
  switch (d.kind) {
    case 'literal':
      return d.sql;
    case 'expression':
      return `(${d.sql})`;
    case 'current-timestamp':
      return d.fsp ? `CURRENT_TIMESTAMP(${d.fsp})` : 'CURRENT_TIMESTAMP';
    case 'nextval':
      return `nextval(${d.sequence.database}.${d.sequence.name})`;
  }
}

/** CHECK constraints by name (an unnamed one is `<lower-cased table>_chk_<n>`, as TiDB names it). */
function checkDrift(t: TidbTable, rows: readonly Record<string, unknown>[], checksOn: boolean, drift: Drift[]): void {
  const name = `${t.name.database}.${t.name.name}`;
  const live = new Map(rows.map((r) => [str(r['CONSTRAINT_NAME']).toLowerCase(), r]));
  let n = 0;
  for (const c of t.checks) {
    const cname = c.name ?? `${t.name.name.toLowerCase()}_chk_${++n}`;
    const r = live.get(cname.toLowerCase());
    live.delete(cname.toLowerCase());
    const obj = `${name} check ${cname}`;
    if (!r) drift.push({ object: obj, expected: c.sql, actual: checksOn ? 'missing' : 'missing (tidb_enable_check_constraint is OFF)' });
    else if (normExpr(c.sql) !== normExpr(str(r['CHECK_CLAUSE']))) drift.push({ object: obj, expected: c.sql, actual: str(r['CHECK_CLAUSE']) });
  }
  for (const [, r] of live) drift.push({ object: `${name} check ${str(r['CONSTRAINT_NAME'])}`, expected: 'absent', actual: str(r['CHECK_CLAUSE']) });
}

/** Method, expression, then each partition's name and bound, in order. */
function partitionDrift(t: TidbTable, rows: readonly Record<string, unknown>[], drift: Drift[]): void {
  const name = `${t.name.database}.${t.name.name}`;
  const p = t.partitioning;
  const method = rows.length > 0 ? str(rows[0]!['PARTITION_METHOD']) : undefined;
  if (!p || method === undefined) {
    if (p || method !== undefined) drift.push({ object: `${name} partitioning`, expected: p ? `${p.method} (${p.expr})` : 'none', actual: method !== undefined ? `${method} (${str(rows[0]!['PARTITION_EXPRESSION'])})` : 'none' });
    return;
  }
  const got = `${method} (${str(rows[0]!['PARTITION_EXPRESSION'])})`;
  if (method.toUpperCase() !== p.method || normExpr(p.expr) !== normExpr(str(rows[0]!['PARTITION_EXPRESSION']))) {
    drift.push({ object: `${name} partitioning`, expected: `${p.method} (${p.expr})`, actual: got });
    return;
  }
  // HASH/KEY with a count: TiDB names them p0, p1, ...
  const want = p.partitions.length > 0 ? p.partitions : Array.from({ length: p.count ?? 1 }, (_, i) => ({ name: `p${i}`, bound: '' }));
  const count = Math.max(want.length, rows.length);
  for (let i = 0; i < count; i++) {
    const w = want[i];
    const r = rows[i];
    const obj = `${name} partition ${w?.name ?? str(r?.['PARTITION_NAME'])}`;
    if (!r) drift.push({ object: obj, expected: w!.bound || 'partition', actual: 'missing' });
    else if (!w) drift.push({ object: obj, expected: 'absent', actual: str(r['PARTITION_DESCRIPTION']) || 'partition' });
    else if (w.name.toLowerCase() !== str(r['PARTITION_NAME']).toLowerCase() || normBound(w.bound) !== normBound(str(r['PARTITION_DESCRIPTION']))) {
      drift.push({ object: obj, expected: `${w.name} ${w.bound}`.trim(), actual: `${str(r['PARTITION_NAME'])} ${str(r['PARTITION_DESCRIPTION'])}`.trim() });
    }
  }
}
