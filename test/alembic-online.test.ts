// The Alembic revision (migration.py) run ONLINE against the real tidb-server of the global
// setup: `alembic upgrade head` must build exactly the schema that executing tidb.sql
// (result.statements) builds, and `alembic downgrade base` must remove everything it created.
//
// Each fixture is translated twice with a databaseMap: once with prefix `ad<n>_` (statements
// executed directly) and once with `aa<n>_` (built by alembic). Both sets are compared table
// by table through SHOW CREATE TABLE (and SHOW CREATE SEQUENCE / DATABASE), with the prefixes
// and AUTO_INCREMENT=n normalised away.
//
// Needs the Python venv of test/oracles/python/emitters-setup.sh; under CI=true a venv that
// cannot be built FAILS the run (locally the cases are skipped with a warning).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type TranslateResult } from '../src/index.js';
import { renderOutputs } from '../src/outputs.js';
import type { TranslateOptions } from '../src/transform/options.js';
import { listFixtures } from './helpers/fixtures.js';
import { connectionOptions, injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';
import { dropDatabases, executeStatements, formatRejection } from './helpers/tidb-readback.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Fixtures run online. Skipped ones (none today) would be listed here with the reason. */
const CASES = [
  'example',
  'pg-dump-split',
  'constraints-fk',
  'fk-cycle',
  'enums',
  'defaults',
  'types-arrays',
  'partitions-range',
  'shared-sequence',
  'services',
];

/**
 * KNOWN-DIFFERENCE: lines only the alembic-built table shows, per case. The revision creates a
 * table's foreign keys inline but its secondary indexes afterwards (op.create_index), so TiDB
 * has no index starting with the FK columns at CREATE TABLE time and adds an implicit one named
 * after the foreign key, which stays next to the later explicit index (tidb.sql declares the
 * index inline, so no implicit index). An emitter bug: report upstream. Each entry must still
 * occur (remove it once fixed).
 */
// (The redundant FK index this test found in example and pg-dump-split is fixed in the emitter:
// a foreign key whose covering index comes from op.create_index is now added after that index.)
const KNOWN_DIFFERENCES: Record<string, readonly RegExp[]> = {};

/** Removes from `got` the extra lines `known` allows; fails if a known entry no longer occurs. */
function applyKnown(name: string, got: Map<string, string>, want: Map<string, string>): Map<string, string> {
  const known = KNOWN_DIFFERENCES[name] ?? [];
  const used = new Set<RegExp>();
  const out = new Map<string, string>();
  for (const [k, text] of got) {
    const wanted = new Set((want.get(k) ?? '').split('\n'));
    out.set(
      k,
      text
        .split('\n')
        .filter((line) => {
          if (wanted.has(line)) return true;
          const re = known.find((r) => r.test(line));
          if (re) used.add(re);
          return !re;
        })
        .join('\n'),
    );
  }
  expect(known.filter((r) => !used.has(r)).map(String), `${name}: a KNOWN-DIFFERENCE no longer happens; remove it`).toEqual([]);
  return out;
}

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


def run_migrations_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`;

const dirs: string[] = [];

function alembicProject(migration: string, url: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-alembic-online-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'migrations/versions'), { recursive: true });
  writeFileSync(join(dir, 'alembic.ini'), `[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = ${url}\n`);
  writeFileSync(join(dir, 'migrations/env.py'), ENV_PY);
  writeFileSync(join(dir, 'migrations/script.py.mako'), '');
  writeFileSync(join(dir, 'migrations/versions/0001_schema.py'), migration);
  return dir;
}

function alembic(bin: string, args: string[], cwd: string): void {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`alembic ${args.join(' ')} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr}\n${r.stdout}`);
}

function fixtureOptions(o: Record<string, unknown>): Partial<TranslateOptions> {
  const { emit: _emit, ...rest } = o;
  return rest as Partial<TranslateOptions>;
}

const q = (n: string): string => '`' + n.replace(/`/g, '``') + '`';

/** Translates with every emitted (or referenced) database renamed to `<prefix><name>`. */
async function translatePrefixed(files: Parameters<typeof translate>[0], options: Partial<TranslateOptions>, plain: TranslateResult, prefix: string): Promise<{ result: TranslateResult; renamed: Map<string, string> }> {
  const given = options.databaseMap ?? {};
  const renamed = new Map<string, string>();
  const rename = (name: string): string => {
    let r = renamed.get(name);
    if (!r) {
      r = [...(prefix + name)].length <= 64 ? prefix + name : `${prefix}${[...name].slice(0, 50).join('')}_${renamed.size}`;
      renamed.set(name, r);
    }
    return r;
  };
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) map[k] = rename(v);
  for (const d of plain.tidb.databases) if (!Object.values(given).includes(d.name)) map[d.source] = rename(d.name);
  const names = new Set(plain.tidb.databases.map((d) => d.name));
  const referenced = [
    ...plain.tidb.tables.flatMap((t) => t.foreignKeys.map((f) => f.refTable.database)),
    ...plain.tidb.deferredForeignKeys.map((d) => d.foreignKey.refTable.database),
    ...plain.tidb.sequences.map((s) => s.name.database),
  ];
  for (const db of referenced) {
    if (names.has(db) || Object.values(given).includes(db)) continue;
    names.add(db);
    map[db] = rename(db);
  }
  const result = await translate(files, { ...options, databaseMap: map });
  expect(result.tidb.databases.every((d) => d.name.startsWith(prefix)), 'a database escaped the prefix').toBe(true);
  return { result, renamed };
}

/** Normalised text of every object of `dbs`: `db.table` -> SHOW CREATE, prefixes replaced. */
async function snapshot(conn: Connection, dbs: readonly string[], unprefix: (s: string) => string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const db of dbs) {
    const [d] = await conn.query<RowDataPacket[]>(`SHOW CREATE DATABASE ${q(db)}`);
    out.set(`database ${unprefix(db)}`, unprefix(String(d[0]!['Create Database'])));
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT TABLE_NAME AS n, TABLE_TYPE AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [db],
    );
    for (const r of rows) {
      const name = String(r['n']);
      if (name === 'alembic_version') continue;
      const isSeq = String(r['t']) === 'SEQUENCE';
      const [c] = await conn.query<RowDataPacket[]>(`SHOW CREATE ${isSeq ? 'SEQUENCE' : 'TABLE'} ${q(db)}.${q(name)}`);
      const text = String(c[0]![isSeq ? 'Create Sequence' : 'Create Table'] ?? Object.values(c[0]!)[1]);
      out.set(`${isSeq ? 'sequence' : 'table'} ${unprefix(db)}.${name}`, normalise(unprefix(text)));
    }
  }
  return out;
}

/** AUTO_INCREMENT=n / AUTO_RANDOM_BASE=n reflect allocation state, not the definition. */
function normalise(sql: string): string {
  return sql.replace(/ AUTO_INCREMENT=\d+/g, '').replace(/ AUTO_RANDOM_BASE=\d+/g, '');
}

async function existing(conn: Connection, dbs: readonly string[]): Promise<string[]> {
  if (dbs.length === 0) return [];
  const [s] = await conn.query<RowDataPacket[]>(`SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (?)`, [dbs]);
  const [t] = await conn.query<RowDataPacket[]>(
    `SELECT CONCAT(TABLE_TYPE, ' ', TABLE_SCHEMA, '.', TABLE_NAME) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)`,
    [dbs],
  );
  return [...s.map((r) => `database ${r['n']}`), ...t.map((r) => String(r['n']))];
}

let py: string | undefined;
let server: TidbEndpoint;
let conn: Connection;
let seq = 0;
const timings: string[] = [];

beforeAll(async () => {
  py = setupPython();
  server = await injectedTidb();
  const mysql = await import('mysql2/promise');
  conn = await mysql.createConnection(connectionOptions(server));
  await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
});

afterAll(async () => {
  await conn?.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  console.log(`[alembic-online]\n${timings.join('\n')}`);
});

describe('alembic upgrade/downgrade online on TiDB', () => {
  const fixtures = new Map(listFixtures().map((f) => [f.name, f]));
  for (const name of CASES) {
    it(name, { timeout: 300_000 }, async (ctx) => {
      if (!py) return ctx.skip(); // only locally: CI=true throws in setupPython
      const f = fixtures.get(name);
      expect(f, `fixture ${name}`).toBeDefined();
      const started = Date.now();
      const options = fixtureOptions(f!.options as Record<string, unknown>);
      const plain = await translate(f!.files, options);
      const n = (++seq).toString(36);
      const direct = await translatePrefixed(f!.files, options, plain, `ad${n}_`);
      const viaAlembic = await translatePrefixed(f!.files, options, plain, `aa${n}_`);
      const unprefixWith = (m: Map<string, string>) => (s: string): string =>
        [...m].sort((a, b) => b[1].length - a[1].length).reduce((acc, [from, to]) => acc.split(to).join(from), s);
      const scratch = `aas${n}_alembic`;
      const directDbs = direct.result.tidb.databases.map((d) => d.name);
      const alembicDbs = viaAlembic.result.tidb.databases.map((d) => d.name);
      await dropDatabases(conn, direct.result.tidb);
      await dropDatabases(conn, viaAlembic.result.tidb);
      await conn.query(`DROP DATABASE IF EXISTS ${q(scratch)}`);
      await conn.query(`CREATE DATABASE ${q(scratch)}`);
      try {
        // 1. tidb.sql, statement by statement
        const { rejections } = await executeStatements(conn, direct.result.statements);
        expect(rejections.map(formatRejection), `${name}: TiDB rejected tidb.sql statements`).toEqual([]);
        const want = await snapshot(conn, directDbs, unprefixWith(direct.renamed));

        // 2. alembic upgrade head, online
        const files = await renderOutputs(viaAlembic.result, ['alembic']);
        const migration = files.find((x) => x.path === 'migration.py')!.content;
        const dir = alembicProject(migration, `mysql+pymysql://root@${server.host}:${server.port}/${scratch}`);
        const bin = join(dirname(py), 'alembic');
        alembic(bin, ['upgrade', 'head'], dir);
        const got = applyKnown(name, await snapshot(conn, alembicDbs, unprefixWith(viaAlembic.renamed)), want);
        expect(want.size, `${name}: no tables`).toBeGreaterThan(0);
        expect(Object.fromEntries(got), `${name}: alembic-built schema differs from tidb.sql`).toEqual(Object.fromEntries(want));
        const upMs = Date.now() - started;

        // 3. alembic downgrade base: every database, table and sequence it created is gone
        alembic(bin, ['downgrade', 'base'], dir);
        expect(await existing(conn, alembicDbs), `${name}: left behind by downgrade base`).toEqual([]);
        const [v] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS c FROM ${q(scratch)}.alembic_version`);
        expect(Number(v[0]!['c'])).toBe(0);
        timings.push(`  ${name}: ${want.size} objects, up+compare ${upMs} ms, total ${Date.now() - started} ms`);
      } finally {
        await dropDatabases(conn, direct.result.tidb);
        await dropDatabases(conn, viaAlembic.result.tidb);
        await conn.query(`DROP DATABASE IF EXISTS ${q(scratch)}`);
      }
    });
  }
});
