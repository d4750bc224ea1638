/**
 * Emitter tests: Alembic revision, plain SQL migrations, TypeScript model types.
 * Every test builds TidbSchema values by hand (no transform involved).
 *
 * The Alembic checks need the Python venv of test/oracles/python/emitters-setup.sh. Locally the
 * test builds it (idempotent); under CI=true a venv that cannot be built FAILS the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TidbColumn, TidbSchema, TidbTable, TidbType } from '../src/ir/tidb.js';
import { emitAlembic, escapeTextBinds } from '../src/backends/alembic/index.js';
import { emitSqlMigrations } from '../src/backends/sql-migrations/index.js';
import { emitTypeScript, type TypeScriptOptions } from '../src/backends/typescript/index.js';
import { emitTidbStatements, renderTidbSql } from '../src/backends/tidb/index.js';
import { diffSchemas, normaliseDdl } from './helpers/ddl-compare.js';
import { typecheckInProcess, type TsRuntime } from './helpers/ts-check.js';
import { listFixtures } from './helpers/fixtures.js';
import { translate } from '../src/index.js';
import { renderOutputs } from '../src/outputs.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Fixture: one schema that uses every IR feature.

const col = (name: string, type: TidbType, rest: Partial<TidbColumn> = {}): TidbColumn => ({
  name,
  type,
  nullable: true,
  origin: { column: name, pgType: 'text', rule: 'test' },
  ...rest,
});
const T = (base: TidbType['base'], more: Omit<TidbType, 'base'> = {}): TidbType => ({ base, ...more });
const table = (database: string, name: string, rest: Partial<TidbTable>): TidbTable => ({
  name: { database, name },
  columns: [],
  indexes: [],
  foreignKeys: [],
  checks: [],
  source: `public.${name}`,
  ...rest,
});

const users = table('app', 'users', {
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

const orders = table('app', 'orders', {
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

const schema: TidbSchema = {
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

const emptySchema: TidbSchema = { databases: [], sequences: [], tables: [], deferredForeignKeys: [] };

/** The tidb.sql of a schema, as the TiDB backend emits it (the reference for "same meaning"). */
function tidbDdl(s: TidbSchema): string {
  return renderTidbSql(emitTidbStatements(s), ['reference']);
}

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pg2tidb-${prefix}-`));
}

const dirs: string[] = [];
afterAll(() => {
  if (process.env['PG2TIDB_KEEP_TMP']) return;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The DDL normaliser itself (so that "same meaning" cannot pass vacuously).

describe('ddl-compare', () => {
  it('describes every table, column, index and foreign key of the reference DDL', () => {
    const n = normaliseDdl(tidbDdl(schema));
    expect(Object.keys(n.tables).sort()).toEqual(schema.tables.map((t) => `${t.name.database}.${t.name.name}`).sort());
    expect(Object.keys(n.databases).sort()).toEqual(['app', 'audit']);
    expect(Object.keys(n.sequences)).toEqual(['app.order_seq']);
    const u = n.tables['app.users']!;
    expect(Object.keys(u.columns)).toEqual(users.columns.map((c) => c.name));
    expect(u.columns['id']!.autoRandom).toBe('5,54');
    expect(u.primaryKey).toEqual({ columns: ['id'], clustered: 'CLUSTERED' });
    expect(Object.keys(u.indexes).sort()).toEqual(users.indexes.map((i) => i.name).sort());
    expect(n.tables['app.cyc_a']!.foreignKeys['cyc_a_b_fk']).toBeDefined();
    expect(n.tables['app.events']!.partitioning).toMatch(/^RANGE/);
  });

  it('tells different schemas apart', () => {
    const a = normaliseDdl(tidbDdl(schema));
    const changed: TidbSchema = {
      ...schema,
      tables: schema.tables.map((t) =>
        t === orders ? { ...t, columns: t.columns.map((c) => (c.name === 'qty' ? { ...c, nullable: true } : c)) } : t,
      ),
    };
    const b = normaliseDdl(tidbDdl(changed));
    expect(diffSchemas(a, b)).not.toEqual([]);
    expect(diffSchemas(a, normaliseDdl(tidbDdl(schema)))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Alembic

function setupPython(): string | undefined {
  const script = join(repo, 'test/oracles/python/emitters-setup.sh');
  const r = spawnSync('bash', [script], { encoding: 'utf8', timeout: 600_000 });
  const lines = (r.stdout ?? '').trim().split('\n');
  const py = lines[lines.length - 1];
  if (r.status === 0 && py) return py;
  const msg = `emitters-setup.sh failed (status ${r.status}): ${r.stderr}`;
  if (process.env['CI'] === 'true') throw new Error(msg);
  console.warn(msg);
  return undefined;
}

const ENV_PY = `from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

function alembicProject(migration: string): string {
  const dir = tmp('alembic');
  dirs.push(dir);
  mkdirSync(join(dir, 'migrations/versions'), { recursive: true });
  writeFileSync(
    join(dir, 'alembic.ini'),
    '[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = mysql+pymysql://u:p@localhost/db\n',
  );
  writeFileSync(join(dir, 'migrations/env.py'), ENV_PY);
  writeFileSync(join(dir, 'migrations/script.py.mako'), '');
  writeFileSync(join(dir, 'migrations/versions/0001_schema.py'), migration);
  return dir;
}

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('alembic', { timeout: 180_000 }, () => {
  let py: string | undefined;
  const opts = { sourceName: 'fixtures/schema.sql', generatorVersion: '0.1.0-test' };
  beforeAll(() => {
    py = setupPython();
  });

  it('is deterministic and derives the revision id from the content', () => {
    const a = emitAlembic(schema, opts);
    expect(emitAlembic(schema, opts)).toBe(a);
    const rev = /^revision: str = "([0-9a-f]{12})"$/m.exec(a)?.[1];
    expect(rev).toBeDefined();
    expect(a).not.toMatch(/Create Date:/);
    const other = emitAlembic({ ...schema, tables: schema.tables.slice(0, 3) }, opts);
    expect(/^revision: str = "([0-9a-f]{12})"$/m.exec(other)?.[1]).not.toBe(rev);
    const given = emitAlembic(schema, { ...opts, revision: 'abc123', downRevision: 'fff000', message: 'Init' });
    expect(given).toMatch(/^revision: str = "abc123"$/m);
    expect(given).toMatch(/^down_revision: Union\[str, None\] = "fff000"$/m);
    expect(given.startsWith('"""Init\n')).toBe(true);
  });

  it('escapes text() bind look-alikes exactly where SQLAlchemy would see one', () => {
    expect(escapeTextBinds("a = ':x' AND b::int AND '12:30'")).toBe("a = '\\:x' AND b::int AND '12:30'");
  });

  it('random names, comments and defaults still give ruff-formatted, compiling files', (ctx) => {
    if (!py) return ctx.skip();
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.string({ unit: fc.constantFrom('a', "'", '"', '\\', ':', '%', ' ', '\n', '`', '中', 'é', '*/', '\t'), maxLength: 120 }),
    );
    const name = text.filter((s) => s.length > 0);
    const gen = fc.record({
      db: name,
      table: name,
      cols: fc.uniqueArray(fc.record({ name, comment: fc.option(text, { nil: undefined }), dflt: fc.option(text, { nil: undefined }) }), {
        minLength: 1,
        maxLength: 4,
        selector: (c) => c.name,
      }),
      comment: fc.option(text, { nil: undefined }),
      message: text,
    });
    const samples = fc.sample(gen, { numRuns: 40, seed: 20261125 });
    const dir = tmp('alembic-fuzz');
    dirs.push(dir);
    samples.forEach((x, i) => {
      const s: TidbSchema = {
        databases: [{ name: x.db, charset: 'utf8mb4', collation: 'utf8mb4_bin', source: x.db }],
        sequences: [],
        tables: [
          table(x.db, x.table, {
            ...(x.comment !== undefined ? { comment: x.comment } : {}),
            columns: x.cols.map((c) =>
              col(c.name, T('VARCHAR', { length: 100 }), {
                ...(c.comment !== undefined ? { comment: c.comment } : {}),
                ...(c.dflt !== undefined ? { default: { kind: 'literal' as const, sql: `'${c.dflt.replace(/'/g, "''")}'` } } : {}),
              }),
            ),
            primaryKey: { columns: [x.cols[0]!.name], clustered: true },
            indexes: [{ name: x.cols[0]!.name, unique: false, parts: [{ column: x.cols[0]!.name, length: 3 }] }],
          }),
        ],
        deferredForeignKeys: [],
      };
      writeFileSync(join(dir, `m${i}.py`), emitAlembic(s, { ...opts, message: x.message }));
    });
    const bin = dirname(py);
    const fmt = run(join(bin, 'ruff'), ['format', '--check', '--diff', '--isolated', dir], dir);
    expect(fmt.stdout + fmt.stderr).not.toMatch(/would reformat|^[-+]/m);
    expect(fmt.status).toBe(0);
    const comp = run(py, ['-m', 'compileall', '-q', dir], dir);
    expect(comp.stdout + comp.stderr).toBe('');
    expect(comp.status).toBe(0);
  });

  for (const [label, s] of [
    ['full schema', schema],
    ['empty schema', emptySchema],
  ] as const) {
    it(`${label}: compiles, is ruff-formatted, and upgrade/downgrade --sql describe the schema`, (ctx) => {
      // Only locally (CI=true throws in setupPython): the venv could not be built.
      if (!py) return ctx.skip();
      const file = emitAlembic(s, opts);
      const dir = alembicProject(file);
      const target = join(dir, 'migrations/versions/0001_schema.py');
      const bin = dirname(py);

      const compile = run(py, ['-m', 'py_compile', target], dir);
      expect(compile.stderr).toBe('');
      expect(compile.status).toBe(0);

      const fmt = run(join(bin, 'ruff'), ['format', '--check', '--diff', '--isolated', target], dir);
      expect(fmt.stdout + fmt.stderr, 'ruff format --check').not.toMatch(/would reformat|^[-+]/m);
      expect(fmt.status).toBe(0);

      const up = run(join(bin, 'alembic'), ['upgrade', 'head', '--sql'], dir);
      expect(up.stderr).not.toMatch(/Traceback|Error/);
      expect(up.status).toBe(0);
      const upSchema = normaliseDdl(up.stdout, { ignoreTables: ['alembic_version'] });
      const ref = normaliseDdl(tidbDdl(s));
      expect(diffSchemas(ref, upSchema)).toEqual([]);

      const down = run(join(bin, 'alembic'), ['downgrade', 'head:base', '--sql'], dir);
      expect(down.stderr).not.toMatch(/Traceback|Error/);
      expect(down.status).toBe(0);
      const dropped = droppedObjects(down.stdout);
      expect(dropped.tables.sort()).toEqual(s.tables.map((t) => `${t.name.database}.${t.name.name}`).sort());
      expect(dropped.sequences).toEqual(s.sequences.map((q) => `${q.name.database}.${q.name.name}`));
      expect(dropped.databases.sort()).toEqual(s.databases.map((d) => d.name).sort());
      expect(dropped.foreignKeys).toEqual(s.deferredForeignKeys.map((d) => `${d.table.database}.${d.table.name}.${d.foreignKey.name}`));
      // Deferred foreign keys go first, then tables in reverse creation order.
      expect(dropped.order.slice(0, s.deferredForeignKeys.length).every((o) => o.startsWith('fk:'))).toBe(true);
      expect(dropped.order.filter((o) => o.startsWith('table:'))).toEqual(
        [...s.tables].reverse().map((t) => `table:${t.name.database}.${t.name.name}`),
      );
    });
  }
});

/** Objects a downgrade script drops, in order (alembic_version bookkeeping excluded). */
function droppedObjects(sql: string): {
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

// ---------------------------------------------------------------------------------------------
// SQL migrations

describe('sql migrations', () => {
  it('names files as each runner expects', () => {
    const names = (format: 'golang-migrate' | 'flyway' | 'dbmate' | 'plain', version?: string) =>
      emitSqlMigrations(schema, { format, name: 'Init Schema!', ...(version ? { version } : {}) }).map((f) => f.path);
    expect(names('golang-migrate')).toEqual(['000001_init_schema.up.sql', '000001_init_schema.down.sql']);
    expect(names('golang-migrate', '20240101120000')).toEqual([
      '20240101120000_init_schema.up.sql',
      '20240101120000_init_schema.down.sql',
    ]);
    expect(names('flyway')).toEqual(['V1__init_schema.sql', 'U1__init_schema.sql']);
    expect(names('flyway', '2.1')).toEqual(['V2.1__init_schema.sql', 'U2.1__init_schema.sql']);
    expect(names('dbmate', '20240101120000')).toEqual(['20240101120000_init_schema.sql']);
    expect(names('plain')).toEqual(['up.sql', 'down.sql']);
    expect(() => emitSqlMigrations(schema, { format: 'golang-migrate', version: 'v1' })).toThrow();
  });

  for (const format of ['golang-migrate', 'flyway', 'dbmate', 'plain'] as const) {
    it(`${format}: up equals the TiDB DDL by meaning, is idempotent where TiDB allows, down drops all`, () => {
      const files = emitSqlMigrations(schema, { format });
      let up: string;
      let down: string;
      if (format === 'dbmate') {
        const c = files[0]!.content;
        const i = c.indexOf('-- migrate:down');
        expect(c.startsWith('-- migrate:up')).toBe(true);
        expect(i).toBeGreaterThan(0);
        up = c.slice(0, i);
        down = c.slice(i);
      } else {
        up = files[0]!.content;
        down = files[1]!.content;
      }
      expect(diffSchemas(normaliseDdl(tidbDdl(schema)), normaliseDdl(up))).toEqual([]);
      const stmts = splitStatements(up);
      for (const st of stmts) {
        if (/^CREATE (TABLE|DATABASE|SEQUENCE)/.test(st)) expect(st).toMatch(/^CREATE \w+ IF NOT EXISTS /);
      }
      // One statement per DDL: tables + databases + sequences + deferred FKs.
      expect(stmts.length).toBe(
        schema.tables.length + schema.databases.length + schema.sequences.length + schema.deferredForeignKeys.length,
      );
      expect(up).toMatch(/no ADD FOREIGN KEY IF NOT EXISTS/);
      const dropped = droppedObjects(down);
      expect(dropped.tables.sort()).toEqual(schema.tables.map((t) => `${t.name.database}.${t.name.name}`).sort());
      expect(dropped.sequences).toEqual(['app.order_seq']);
      expect(dropped.databases).toEqual(['audit', 'app']);
      expect(dropped.order[0]).toBe('fk:app.cyc_a.cyc_a_b_fk');
      expect(down).toMatch(/DROP TABLE IF EXISTS /);
    });
  }
});

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

// ---------------------------------------------------------------------------------------------
// TypeScript

/** Mirrors kysely's own definitions of these helper types (kysely is not a dependency). */
const KYSELY_STUB = `declare module 'kysely' {
  export type ColumnType<SelectType, InsertType = SelectType, UpdateType = SelectType> = {
    readonly __select__: SelectType;
    readonly __insert__: InsertType;
    readonly __update__: UpdateType;
  };
  export type Generated<S> = ColumnType<S, S | undefined, S>;
  export type GeneratedAlways<S> = ColumnType<S, never, never>;
  export type Selectable<R> = { [K in keyof R]: R[K] extends ColumnType<infer S, any, any> ? S : R[K] };
  export class Kysely<DB> {
    selectFrom<T extends keyof DB & string>(table: T): { selectAll(): { execute(): Promise<Selectable<DB[T]>[]> } };
  }
}
`;

/** Where each driver runs: mysql2 on Node (with @types/node), the serverless driver on edge runtimes (no Node types). */
const RUNTIME = { mysql2: 'node', 'tidb-serverless': 'edge' } as const satisfies Record<TypeScriptOptions['driver'], TsRuntime>;

/** tsc-style diagnostics of `files` type-checked together (in-process, strict); '' when clean. */
function typecheck(files: Record<string, string>, runtime: TsRuntime = 'node'): string {
  return typecheckInProcess(files, runtime, repo);
}

describe('typescript', { timeout: 180_000 }, () => {
  const base: TypeScriptOptions = {
    driver: 'mysql2',
    style: 'plain',
    bigNumberStrings: true,
    dateStrings: false,
    tinyint1AsBoolean: false,
    sourceName: 'fixtures/schema.sql',
    generatorVersion: '0.1.0-test',
    optionsSummary: 'uuid=binary16 timestamptz=datetime',
  };
  const clean = (out: string): void => expect(out).toBe('');

  it('is deterministic and names the source, options and generator', () => {
    const a = emitTypeScript(schema, base);
    expect(emitTypeScript(schema, base)).toBe(a);
    expect(a).toContain('fixtures/schema.sql');
    expect(a).toContain('0.1.0-test');
    expect(a).toContain('uuid=binary16 timestamptz=datetime');
    expect(a).toContain('driver=mysql2');
  });

  it('maps types as mysql2 returns them, per option', () => {
    const a = emitTypeScript(schema, base);
    expect(a).toMatch(/export interface AppOrders \{[^}]*"id": string;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"balance": string;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"is_active": number;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"created_at": Date;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"uuid": Buffer;/s);
    expect(a).toMatch(/export interface AppOrders \{[^}]*"flags": Buffer \| null;[^}]*"raw": Buffer \| null;[^}]*"digest": Buffer \| null;/s);
    expect(a).toMatch(/export interface AppOrders \{[^}]*"embedding": string \| null;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"status": "active" \| "it's" \| "50% off" \| "a:b";/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"touched_at": Date \| null;/s);
    expect(a).toMatch(/^import type \{ Buffer \} from 'node:buffer';$/m);
    const b = emitTypeScript(schema, { ...base, bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true, decimalNumbers: true });
    expect(b).toMatch(/export interface AppOrders \{[^}]*"id": number;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"balance": number;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"is_active": boolean;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
  });

  it('maps types as @tidbcloud/serverless returns them, with web-standard types only', () => {
    // Its options do not exist for this driver: the same types whatever they say.
    for (const o of [base, { ...base, bigNumberStrings: false, dateStrings: false, decimalNumbers: true }]) {
      const sl = emitTypeScript(schema, { ...o, driver: 'tidb-serverless' });
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"uuid": Uint8Array<ArrayBuffer>;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"flags": Uint8Array<ArrayBuffer> \| null;[^}]*"raw": Uint8Array<ArrayBuffer> \| null;[^}]*"digest": Uint8Array<ArrayBuffer> \| null;/s);
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"balance": string;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"id": string;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"qty": number;/s);
      expect(sl).toMatch(/docs\.pingcap\.com/);
      expect(sl).not.toMatch(/\bBuffer\b|node:/);
    }
    // Its decoders are per type name and a BOOLEAN is sent as "TINYINT": a boolean decoder converts every TINYINT.
    const decoded = emitTypeScript(schema, { ...base, driver: 'tidb-serverless', tinyint1AsBoolean: true });
    expect(decoded).toMatch(/export interface AppUsers \{[^}]*"is_active": boolean;/s);
    expect(decoded).toMatch(/export interface AppOrders \{[^}]*"tiny": boolean \| null;/s);
    expect(emitTypeScript(schema, { ...base, tinyint1AsBoolean: true })).toMatch(/export interface AppOrders \{[^}]*"tiny": number \| null;/s);
  });

  it('text declared CHARACTER SET binary is binary for both drivers (TiDB stores it as BINARY/VARBINARY/BLOB)', () => {
    const s: TidbSchema = {
      ...emptySchema,
      tables: [table('db', 'bin', { columns: [col('v', T('VARCHAR', { length: 8, charset: 'binary' }), { nullable: false }), col('t', T('TEXT', { charset: 'binary' }))] })],
    };
    expect(emitTypeScript(s, base)).toMatch(/"v": Buffer;\n[^]*"t": Buffer \| null;/);
    expect(emitTypeScript(s, { ...base, driver: 'tidb-serverless' })).toMatch(/"v": Uint8Array<ArrayBuffer>;\n[^]*"t": Uint8Array<ArrayBuffer> \| null;/);
  });

  it('imports Buffer only where a column uses it', () => {
    const s: TidbSchema = { ...emptySchema, tables: [table('db', 'plain', { columns: [col('n', T('INT'))] })] };
    const models = emitTypeScript(s, base);
    expect(models).not.toMatch(/: Buffer\b/);
    expect(models).not.toMatch(/^import/m);
    clean(typecheck({ 'models.ts': models }));
  });

  it("the edge check has no Node types: mysql2's Buffer import fails there, so the serverless check can fail", () => {
    const out = typecheck({ 'models.ts': emitTypeScript(schema, base) }, 'edge');
    const errors = out.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.length, out).toBe(1);
    expect(errors[0]).toMatch(/^models\.ts\(\d+,\d+\): error TS\d+: Cannot find (module|name) 'node:buffer'/);
  });

  const usageFor = {
    // Rows typed through mysql2's own typings; Node's Buffer API on a binary column (the import is Node's Buffer).
    mysql2: `import type { Connection, RowDataPacket } from 'mysql2/promise';
declare const conn: Connection;
export async function read(): Promise<string> {
  const [rows] = await conn.query<(AppUsers & RowDataPacket)[]>('SELECT * FROM app.users');
  const id: string | number = rows[0]!.id;
  return String(id) + rows[0]!.uuid.toString('hex');
}
`,
    // What an edge handler does with a binary column: web APIs only.
    'tidb-serverless': `declare const r: AppUsers;\nconst text: string = new TextDecoder().decode(r.uuid);\nconst res: Response = new Response(r.uuid);\nvoid text; void res;\n`,
  } as const;

  for (const driver of ['mysql2', 'tidb-serverless'] as const) {
    for (const variant of [
      { bigNumberStrings: true, dateStrings: false, tinyint1AsBoolean: false },
      { bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true, jsonType: 'unknown' },
    ]) {
      it(`plain ${driver} ${JSON.stringify(variant)}: type-checks strictly on ${RUNTIME[driver]} together with a usage file`, () => {
        const models = emitTypeScript(schema, { ...base, ...variant, driver });
        const usage = `import type { AppUsers, AppUsersInsert, AppWeirdTable, AppWeirdTableInsert, App2nd, AppDefault, AppWeirdTable2 } from './models.js';
const u: AppUsersInsert = { email: 'a@b.c' };
void u;
declare const row: AppUsers;
const s: string = row.email;
const n: number | null = row['tags'] === null ? null : 1;
void s; void n;
const w: AppWeirdTableInsert = { order: 1, '2fa code': null, 'quo"te': 2, "it's": 3, 'back\`tick': 4, 'naïve': 5, class: 6 };
void w;
declare const wr: AppWeirdTable;
const k: 'a"b' | "c'd" | 'e\\\\f' | null = wr.kind;
void k;
declare const x: App2nd & AppDefault & AppWeirdTable2;
void x;
${usageFor[driver]}`;
        // email_lower is generated: it must not be assignable in the insert type.
        const bad = `import type { AppUsersInsert } from './models.js';
const u: AppUsersInsert = { email: 'a@b.c', email_lower: 'x' };
void u;
`;
        // One check: models.ts and usage.ts must be clean, bad.ts must fail on email_lower only.
        const out = typecheck({ 'models.ts': models, 'usage.ts': usage, 'bad.ts': bad }, RUNTIME[driver]);
        const errors = out.split('\n').filter((l) => /error TS/.test(l));
        expect(errors.length, out).toBeGreaterThan(0);
        expect(errors.filter((l) => !l.startsWith('bad.ts')), out).toEqual([]);
        expect(out).toMatch(/email_lower/);
      });
    }

    it(`kysely style, ${driver}: a DB interface that works with selectFrom on ${RUNTIME[driver]} (kysely stub mirrors its types)`, () => {
      const models = emitTypeScript(schema, { ...base, driver, style: 'kysely' });
      expect(models).toMatch(/^import type \{ ColumnType, Generated \} from 'kysely';$/m);
      expect(models).toMatch(/export interface DB \{/);
      const usage = `import { Kysely } from 'kysely';
import type { DB } from './models.js';
declare const db: Kysely<DB>;
async function main(): Promise<void> {
  const rows = await db.selectFrom('app.users').selectAll().execute();
  const id: string = rows[0]!.id;
  const email: string = rows[0]!.email;
  const w = await db.selectFrom('app.weird table').selectAll().execute();
  const q: number | null = w[0]!['quo"te'];
  void id; void email; void q;
}
void main;
`;
      clean(typecheck({ 'models.ts': models, 'usage.ts': usage, 'kysely.d.ts': KYSELY_STUB }, RUNTIME[driver]));
    });
  }

  it('random table, column, enum and comment text still type-checks, with unique type names', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('a', 'B', '1', "'", '"', '\\', '`', ' ', '*/', '/*', '\n', '\u2028', '$', '-', 'é', '中'), maxLength: 30 }),
    );
    const name = text.filter((s) => s.length > 0);
    const tables = fc.sample(
      fc.record({
        table: name,
        comment: fc.option(text, { nil: undefined }),
        cols: fc.uniqueArray(fc.record({ name, comment: fc.option(text, { nil: undefined }), values: fc.uniqueArray(text, { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 4,
          selector: (c) => c.name,
        }),
      }),
      { numRuns: 30, seed: 42 },
    );
    const seen = new Set<string>();
    const s: TidbSchema = {
      ...emptySchema,
      tables: tables
        .filter((x) => !seen.has(x.table) && seen.add(x.table))
        .map((x) =>
          table('db', x.table, {
            ...(x.comment !== undefined ? { comment: x.comment } : {}),
            columns: x.cols.map((c) =>
              col(c.name, c.values.length ? T('ENUM', { values: c.values }) : T('JSON'), c.comment !== undefined ? { comment: c.comment } : {}),
            ),
          }),
        ),
    };
    for (const style of ['plain', 'kysely'] as const) {
      const models = emitTypeScript(s, { ...base, style });
      const names = [...models.matchAll(/^export interface (\w+) /gm)].map((m) => m[1]!);
      expect(new Set(names).size).toBe(names.length);
      const files: Record<string, string> = { 'models.ts': models };
      if (style === 'kysely') files['kysely.d.ts'] = KYSELY_STUB;
      clean(typecheck(files));
    }
  });

  it('empty schema still type-checks', () => {
    for (const driver of ['mysql2', 'tidb-serverless'] as const) clean(typecheck({ 'models.ts': emitTypeScript(emptySchema, { ...base, driver }) }, RUNTIME[driver]));
  });
});

describe('typescript on every fixture', { timeout: 180_000 }, () => {
  // Each fixture's models.ts, per driver and style, checked where that driver runs: one program per
  // runtime (every file is a module, so type names do not collide across fixtures).
  for (const driver of ['mysql2', 'tidb-serverless'] as const) {
    it(`${driver}: every fixture's models.ts (plain and kysely) type-checks strictly on ${RUNTIME[driver]}`, async () => {
      const files: Record<string, string> = { 'kysely.d.ts': KYSELY_STUB };
      for (const f of listFixtures()) {
        const { emit: _emit, ...options } = f.options;
        const result = await translate(f.files, options);
        for (const tsStyle of ['plain', 'kysely'] as const) {
          const out = await renderOutputs(result, ['ts'], { tsDriver: driver, tsStyle });
          files[`${f.name}.${tsStyle}.ts`] = out.find((x) => x.path === 'models.ts')!.content;
        }
      }
      expect(Object.keys(files).length).toBeGreaterThan(100);
      if (driver === 'tidb-serverless') for (const [name, text] of Object.entries(files)) expect(text, name).not.toMatch(/\bBuffer\b|node:/);
      expect(typecheck(files, RUNTIME[driver])).toBe('');
    });
  }
});

// Exposed for debugging: PG2TIDB_DUMP_EMIT=<dir> writes every output there.
if (process.env['PG2TIDB_DUMP_EMIT']) {
  const d = process.env['PG2TIDB_DUMP_EMIT'];
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'migration.py'), emitAlembic(schema, { sourceName: 'fixtures/schema.sql', generatorVersion: '0.1.0-test' }));
  writeFileSync(join(d, 'tidb.sql'), tidbDdl(schema));
  for (const f of emitSqlMigrations(schema, { format: 'plain' })) writeFileSync(join(d, f.path), f.content);
  writeFileSync(
    join(d, 'models.ts'),
    emitTypeScript(schema, {
      driver: 'mysql2',
      style: 'kysely',
      bigNumberStrings: true,
      dateStrings: false,
      tinyint1AsBoolean: false,
      sourceName: 's',
      generatorVersion: 'v',
      optionsSummary: 'o',
    }),
  );
}
