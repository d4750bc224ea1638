/**
 * One hand-built TiDB schema that uses every IR feature and every TiDB base type, shared by the
 * emitter tests (test/emitters*.test.ts, test/ts-emitter.test.ts; no transform involved), and what
 * a downgrade script drops.
 */
import type { TidbColumn, TidbSchema, TidbTable, TidbType } from '../../src/ir/tidb.js';
import { emitTidbStatements, renderTidbSql } from '../../src/backends/tidb/index.js';


export const col = (name: string, type: TidbType, rest: Partial<TidbColumn> = {}): TidbColumn => ({
  name,
  type,
  nullable: true,
  origin: { column: name, pgType: 'text', rule: 'test' },
  ...rest,
});
export const T = (base: TidbType['base'], more: Omit<TidbType, 'base'> = {}): TidbType => ({ base, ...more });
export const table = (database: string, name: string, rest: Partial<TidbTable>): TidbTable => ({
  name: { database, name },
  columns: [],
  indexes: [],
  foreignKeys: [],
  checks: [],
  source: `public.${name}`,
  ...rest,
});

export const users = table('app', 'users', {
  comment: "migrated from public.users: it's 100% :done",
  columns: [
    col('id', T('BIGINT'), { nullable: false, autoRandom: { shardBits: 5, rangeBits: 54 } }),
    col('email', T('VARCHAR', { length: 320, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' }), {
      nullable: false,
      comment: "User's e-mail :addr 100% \"quoted\"",
    }),
    col('profile', T('JSON'), { default: { kind: 'expression', sql: 'JSON_OBJECT()' } }),
    col('tags', T('JSON'), { default: { kind: 'expression', sql: 'JSON_ARRAY()' } }),
    col('balance', T('DECIMAL', { precision: 19, scale: 2 }), { nullable: false, default: { kind: 'literal', sql: '0' } }),
    col('is_active', T('BOOLEAN'), { nullable: false, default: { kind: 'literal', sql: '1' } }),
    col('created_at', T('DATETIME', { fsp: 6 }), { nullable: false, default: { kind: 'current-timestamp', fsp: 6 } }),
    col('updated_at', T('DATETIME', { fsp: 6 }), {
      nullable: false,
      default: { kind: 'current-timestamp', fsp: 6 },
      onUpdateCurrentTimestamp: { fsp: 6 },
    }),
    col('touched_at', T('TIMESTAMP', { fsp: 6 }), { onUpdateCurrentTimestamp: { fsp: 6 } }),
    col('status', T('ENUM', { values: ['active', "it's", '50% off', 'a:b'] }), {
      nullable: false,
      default: { kind: 'literal', sql: "'active'" },
    }),
    col('uuid', T('BINARY', { length: 16 }), { nullable: false, default: { kind: 'expression', sql: 'UUID_TO_BIN(UUID())' } }),
    col('email_lower', T('VARCHAR', { length: 320 }), { generated: { sql: 'LOWER(`email`)', stored: false } }),
  ],
  primaryKey: { columns: ['id'], clustered: true },
  indexes: [
    { name: 'users_email_lower_uq', unique: true, parts: [{ column: 'email_lower' }] },
    { name: 'users_tags_mvi', unique: false, multiValued: true, parts: [{ expr: "CAST(`tags`->'$' AS CHAR(64) ARRAY)" }] },
    { name: 'users_email_expr', unique: true, parts: [{ expr: 'LOWER(`email`)' }] },
    { name: 'users_email_prefix', unique: false, parts: [{ column: 'email', length: 10 }, { column: 'status' }] },
    { name: 'users_created', unique: false, parts: [{ column: 'created_at' }], comment: 'for :range scans' },
    { name: 'users_status', unique: false, parts: [{ column: 'status' }] },
  ],
  checks: [
    { name: 'users_balance_ck', sql: '`balance` >= 0' },
    { name: 'users_email_ck', sql: "`email` <> ':nobody' AND `email` NOT LIKE '%@invalid'" },
  ],
});

export const orders = table('app', 'orders', {
  autoIncrementStart: '1000',
  columns: [
    col('id', T('BIGINT'), { nullable: false, autoIncrement: true }),
    col('user_id', T('BIGINT'), { nullable: false }),
    col('seq_no', T('BIGINT'), { nullable: false, default: { kind: 'nextval', sequence: { database: 'app', name: 'order_seq' } } }),
    col('amount', T('DOUBLE')),
    col('qty', T('INT', { unsigned: true }), { nullable: false, default: { kind: 'literal', sql: '1' } }),
    col('small', T('SMALLINT')),
    col('tiny', T('TINYINT')),
    col('ratio', T('FLOAT')),
    col('note', T('TEXT', { charset: 'utf8mb4', collation: 'utf8mb4_bin' })),
    col('big_note', T('LONGTEXT')),
    col('mid_note', T('MEDIUMTEXT')),
    col('country', T('CHAR', { length: 2 }), { default: { kind: 'literal', sql: "'NL'" } }),
    col('flags', T('BIT', { length: 8 })),
    col('at_time', T('TIME', { fsp: 3 })),
    col('on_day', T('DATE')),
    col('in_year', T('YEAR')),
    col('raw', T('BLOB')),
    col('raw_m', T('MEDIUMBLOB')),
    col('raw_l', T('LONGBLOB')),
    col('digest', T('VARBINARY', { length: 64 })),
    col('embedding', T('VECTOR', { length: 3 })),
    col('total', T('DECIMAL', { precision: 12, scale: 2 }), { generated: { sql: '`amount` * `qty`', stored: true } }),
  ],
  primaryKey: { columns: ['id'], clustered: true },
  indexes: [{ name: 'orders_user', unique: false, parts: [{ column: 'user_id' }] }],
  foreignKeys: [
    {
      name: 'orders_user_fk',
      columns: ['user_id'],
      refTable: { database: 'app', name: 'users' },
      refColumns: ['id'],
      onDelete: 'CASCADE',
      onUpdate: 'RESTRICT',
    },
  ],
});

const events = table('app', 'events', {
  columns: [
    col('id', T('BIGINT'), { nullable: false, autoIncrement: true }),
    col('created', T('DATETIME'), { nullable: false }),
    col('payload', T('JSON')),
  ],
  primaryKey: { columns: ['id', 'created'], clustered: false },
  partitioning: {
    method: 'RANGE',
    expr: 'YEAR(`created`)',
    partitions: [
      { name: 'p2023', bound: 'VALUES LESS THAN (2024)' },
      { name: 'pmax', bound: 'VALUES LESS THAN MAXVALUE' },
    ],
  },
});

const auditLog = table('audit', 'log', {
  columns: [col('id', T('INT'), { nullable: false }), col('msg', T('VARCHAR', { length: 200 }))],
  primaryKey: { columns: ['id'], clustered: true },
  partitioning: { method: 'HASH', expr: '`id`', partitions: [], count: 4 },
});

const cycA = table('app', 'cyc_a', {
  columns: [col('id', T('INT'), { nullable: false }), col('b_id', T('INT'))],
  primaryKey: { columns: ['id'], clustered: true },
  indexes: [{ name: 'cyc_a_b', unique: false, parts: [{ column: 'b_id' }] }],
});
const cycB = table('app', 'cyc_b', {
  columns: [col('id', T('INT'), { nullable: false }), col('a_id', T('INT'), { nullable: false })],
  primaryKey: { columns: ['id'], clustered: true },
  foreignKeys: [
    { name: 'cyc_b_a_fk', columns: ['a_id'], refTable: { database: 'app', name: 'cyc_a' }, refColumns: ['id'], onDelete: 'NO ACTION' },
  ],
});

const dotted = table('app', 'dot.ted', {
  columns: [col('id', T('INT'), { nullable: false })],
  primaryKey: { columns: ['id'], clustered: true },
});

/** Names legal in SQL but not in TypeScript or Python. */
const weird = table('app', 'weird table', {
  comment: 'Names */ that need care',
  columns: [
    col('order', T('INT'), { nullable: false }),
    col('2fa code', T('VARCHAR', { length: 6 })),
    col('select', T('TEXT')),
    col('quo"te', T('INT')),
    col("it's", T('INT')),
    col('back`tick', T('INT')),
    col('naïve', T('INT')),
    col('class', T('INT'), { comment: 'a */ comment with an end marker' }),
    col('__proto__', T('INT')),
    col('dot_ref', T('INT')),
    col('seq', T('BIGINT'), { nullable: false, autoIncrement: true }),
    col('kind', T('ENUM', { values: ['a"b', "c'd", 'e\\f'] })),
  ],
  primaryKey: { columns: ['order'], clustered: false, name: 'weird_pk' },
  indexes: [{ name: 'weird seq', unique: true, parts: [{ column: 'seq' }] }],
  foreignKeys: [
    { name: 'weird_dot_fk', columns: ['dot_ref'], refTable: { database: 'app', name: 'dot.ted' }, refColumns: ['id'] },
  ],
});
const weird2 = table('app', 'weird_table', { columns: [col('x', T('INT'))] });
const digitTable = table('app', '2nd', { columns: [col('x', T('INT'))] });
const reservedTable = table('app', 'default', { columns: [col('x', T('INT'))] });
const nopk = table('app', 'nopk', { columns: [col('x', T('INT'))] });

export const schema: TidbSchema = {
  databases: [
    { name: 'app', charset: 'utf8mb4', collation: 'utf8mb4_0900_bin', source: 'public' },
    { name: 'audit', charset: 'utf8mb4', collation: 'utf8mb4_bin', source: 'audit' },
  ],
  sequences: [
    {
      name: { database: 'app', name: 'order_seq' },
      start: '1',
      increment: '1',
      minValue: '1',
      maxValue: '9223372036854775806',
      cache: '1000',
      cycle: false,
    },
  ],
  tables: [users, orders, events, auditLog, cycA, cycB, dotted, weird, weird2, digitTable, reservedTable, nopk],
  deferredForeignKeys: [
    {
      table: { database: 'app', name: 'cyc_a' },
      foreignKey: { name: 'cyc_a_b_fk', columns: ['b_id'], refTable: { database: 'app', name: 'cyc_b' }, refColumns: ['id'], onDelete: 'SET NULL' },
    },
  ],
};

export const emptySchema: TidbSchema = { databases: [], sequences: [], tables: [], deferredForeignKeys: [] };

/** The tidb.sql of a schema, as the TiDB backend emits it (the reference for "same meaning"). */
export function tidbDdl(s: TidbSchema): string {
  return renderTidbSql(emitTidbStatements(s), ['reference']);
}

/** Objects a downgrade script drops, in order (alembic_version bookkeeping excluded). */
export function droppedObjects(sql: string): {
  tables: string[];
  sequences: string[];
  databases: string[];
  foreignKeys: string[];
  order: string[];
} {
  const out = { tables: [] as string[], sequences: [] as string[], databases: [] as string[], foreignKeys: [] as string[], order: [] as string[] };
  const ident = '(`(?:[^`]|``)+`|[^\\s.`;]+)';
  const unq = (s: string) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
  const re = new RegExp(
    `DROP TABLE (?:IF EXISTS )?${ident}\\.${ident}|DROP SEQUENCE (?:IF EXISTS )?${ident}\\.${ident}|DROP DATABASE (?:IF EXISTS )?${ident}|ALTER TABLE ${ident}\\.${ident} DROP FOREIGN KEY ${ident}`,
    'g',
  );
  for (const m of sql.matchAll(re)) {
    if (m[1]) {
      const n = `${unq(m[1])}.${unq(m[2]!)}`;
      if (n.endsWith('.alembic_version')) continue;
      out.tables.push(n);
      out.order.push(`table:${n}`);
    } else if (m[3]) {
      const n = `${unq(m[3])}.${unq(m[4]!)}`;
      out.sequences.push(n);
      out.order.push(`seq:${n}`);
    } else if (m[5]) {
      out.databases.push(unq(m[5]));
      out.order.push(`db:${unq(m[5])}`);
    } else if (m[6]) {
      const n = `${unq(m[6])}.${unq(m[7]!)}.${unq(m[8]!)}`;
      out.foreignKeys.push(n);
      out.order.push(`fk:${n}`);
    }
  }
  return out;
}
