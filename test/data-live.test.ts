// The live source: sakila loaded into PostgreSQL 15, then `pg2tidb data --from postgres://` must write
// the folder `pg2tidb data` writes on pg_dump --data-only of the same database (every file byte for
// byte, but tidb.sql's header line, which names the inputs); `pg2tidb verify --source postgres://`
// against tidb-server loaded from it reports equal, and a row changed in PostgreSQL is named by table
// and key. A missing table, an unreachable host and a missing schema are reported, the password never.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { convertData } from '../src/data/index.js';
import { connectPostgres } from '../src/data/pg-source.js';
import { databaseUrl, pgDrop, pgLoad, PSQL, startPostgres, tidbConnection, tidbLoad } from './helpers/data-load.js';
import { injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../shared/corpus');
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-live-'));
const SCHEMA = 'pairs/sakila/pg.sql';
const DATA = 'pg/sakila_postgres_insert-data-using-copy.sql';
const pgDb = `live_${runId}`;
const tidbDb = `live_${runId}`;
// trust auth on the test cluster: the password is never checked, so it can show that it is never printed.
const SECRET = 'Pw-n0t-pr1nted';

let pgUrl: string | undefined;
let pgUnavailable: string | undefined;
let tidb: TidbEndpoint;
const conns: Connection[] = [];

/** The live database's URL with a user and a password. */
const liveUrl = (db = pgDb): string => databaseUrl(pgUrl!, db).replace('postgresql://postgres@', `postgres://postgres:${SECRET}@`);

beforeAll(async () => {
  tidb = await injectedTidb();
  const pg = startPostgres();
  pgUrl = pg.url;
  pgUnavailable = pg.unavailable;
  if (pgUnavailable) {
    console.warn(`[data-live] SKIPPED: ${pgUnavailable}`);
    return;
  }
  pgLoad(pgUrl!, pgDb, [join(corpus, SCHEMA), join(corpus, DATA)]);
}, 300_000);

afterAll(async () => {
  for (const c of conns) {
    await c.query(`DROP DATABASE IF EXISTS \`${tidbDb}\``).catch(() => undefined);
    await c.end();
  }
  if (pgUrl && !pgUnavailable) pgDrop(pgUrl, pgDb);
  rmSync(work, { recursive: true, force: true });
});

async function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (b: Buffer) => o.push(b));
  stderr.on('data', (b: Buffer) => e.push(b));
  const code = await main(args, { stdin: Readable.from([]), stdout, stderr, cwd: corpus });
  return { code, stdout: Buffer.concat(o).toString(), stderr: Buffer.concat(e).toString() };
}

const psql = (sql: string, db = pgDb): void => {
  execFileSync(PSQL, [databaseUrl(pgUrl!, db), '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
};

describe('pg2tidb data --from postgres://', () => {
  it('writes, byte for byte, the folder pg2tidb data writes on pg_dump of the same database', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const dumpFile = join(work, 'sakila-data.sql');
    execFileSync(PG_DUMP, ['--data-only', '--file', dumpFile, databaseUrl(pgUrl!, pgDb)], { stdio: 'pipe' });
    const common = ['-o', '', '--database', `public=${tidbDb}`, '--location', 's3://bucket/sakila', '--chunk-size', '64k'];
    const at = (dir: string) => common.map((a, i) => (i === 1 ? join(work, dir) : a));
    const fromDump = await run(['data', SCHEMA, dumpFile, ...at('dump')]);
    expect(fromDump.code, fromDump.stderr).toBe(0);
    const live = await run(['data', SCHEMA, '--from', liveUrl(), ...at('live')]);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).not.toContain(SECRET);

    const files = readdirSync(join(work, 'dump')).sort();
    expect(readdirSync(join(work, 'live')).sort()).toEqual(files);
    expect(files.filter((f) => f.endsWith('.csv')).length).toBeGreaterThanOrEqual(15);
    for (const f of files) {
      const a = readFileSync(join(work, 'dump', f));
      const b = readFileSync(join(work, 'live', f));
      if (f === 'tidb.sql') {
        // The header names the inputs: the schema and the dump file, or the schema alone.
        const [headA, ...restA] = a.toString('utf8').split('\n');
        const [headB, ...restB] = b.toString('utf8').split('\n');
        expect(headA).toMatch(/^-- Generated by pg2tidb from .*sakila-data\.sql$/);
        expect(headB).toBe(`-- Generated by pg2tidb from ${SCHEMA}`);
        expect(restB.join('\n')).toBe(restA.join('\n'));
        continue;
      }
      expect(b.equals(a), `${f} differs between the dump and the live source`).toBe(true);
    }
    // A guard against comparing two empty folders: the rows and the sequence positions are there.
    const manifest = JSON.parse(readFileSync(join(work, 'live', 'data-manifest.json'), 'utf8')) as { tables: { table: string; rows: number }[] };
    expect(manifest.tables.find((t) => t.table === 'rental')?.rows).toBe(16044);
    expect(readFileSync(join(work, 'live', 'post-load.sql'), 'utf8')).toContain(`SELECT SETVAL(\`${tidbDb}\`.\`payment_payment_id_seq\`, 32098);`);
  }, 300_000);

  it('reports a table the database lacks, and its extra columns and tables; exits 1', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const db = `${pgDb}_small`;
    const schema = join(work, 'small.sql');
    writeFileSync(schema, 'CREATE TABLE a (id serial PRIMARY KEY, t text);\nCREATE TABLE b (id int PRIMARY KEY);\n');
    pgLoad(pgUrl!, db, [schema]);
    try {
      psql(`DROP TABLE b; ALTER TABLE a ADD COLUMN extra int; CREATE TABLE zz (k int); INSERT INTO a (t, extra) VALUES ('x', 1), ('y', 2)`, db);
      const r = await run(['data', schema, '--from', liveUrl(db), '-o', join(work, 'small'), '--format', 'json']);
      expect(r.code).toBe(1);
      const report = JSON.parse(readFileSync(join(work, 'small', 'data-report.json'), 'utf8')) as { totals: Record<string, number>; tables: { table: string; rows: number }[]; diagnostics: { id: string; message: string }[] };
      const messages = report.diagnostics.filter((d) => d.id === 'data-table-mismatch').map((d) => d.message.replace(/postgres:\/\/\S+/, '<url>'));
      expect(messages.sort()).toEqual([
        'public.a: the database\'s column extra is not in the schema, so its values are not loaded',
        'public.b: the schema has this table, the database <url> does not; no rows are loaded',
        'public.zz: the database <url> has this table, the schema does not; its rows are not read',
      ]);
      expect(report.tables.find((t) => t.table === 'a')?.rows).toBe(2);
      expect(r.stdout + r.stderr + JSON.stringify(report)).not.toContain(SECRET);
    } finally {
      pgDrop(pgUrl!, db);
    }
  }, 120_000);

  it('an unreachable host or a missing database exits 1, a missing schema or a bad URL 2, the password masked', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const out = ['-o', join(work, 'never')];
    const refused = await run(['data', SCHEMA, '--from', `postgres://u:${SECRET}@127.0.0.1:1/db`, ...out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot connect to postgres://u:****@127.0.0.1:1/db: connect ECONNREFUSED');
    const noDb = await run(['data', SCHEMA, '--from', liveUrl(`${pgDb}_none`), ...out]);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toContain(`database "${pgDb}_none" does not exist`);
    const noSchema = await run(['data', '--from', liveUrl(), ...out]);
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toContain('--from reads only the rows: give the schema too');
    const clear = await run(['data', SCHEMA, '--from', `postgres://u:${SECRET}@db.example.com/x?sslmode=disable`, ...out]);
    expect(clear.code).toBe(2);
    expect(clear.stderr).toContain('refusing to send a password without TLS');
    for (const r of [refused, noDb, noSchema, clear]) expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 120_000);
});

describe('pg2tidb verify --source postgres://', () => {
  it('equal against tidb-server loaded from the live source; a row changed in PostgreSQL is named', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const out = join(work, 'verify');
    const rows = await connectPostgres(liveUrl());
    let result;
    try {
      result = await convertData([{ path: SCHEMA, file: join(corpus, SCHEMA) }], { databaseMap: { public: tidbDb } }, { rows }, out);
    } finally {
      await rows.close();
    }
    expect(result.exact).toBe(true);
    const conn = await tidbConnection(tidb, out);
    conns.push(conn);
    await conn.query(`DROP DATABASE IF EXISTS \`${tidbDb}\``);
    await tidbLoad(conn, result, readFileSync(join(out, 'load.sql'), 'utf8'));
    const args = ['verify', '--source', SCHEMA, '--source', liveUrl(), '--target', `mysql://root@${tidb.host}:${tidb.port}/`, '--database', `public=${tidbDb}`];
    const equal = await run(args);
    expect(equal.stdout, equal.stderr).toMatch(/: equal: 0 schema differences, 0 of \d+ tables with different rows/);
    expect(equal.code).toBe(0);

    psql(`UPDATE public.actor SET last_name = 'CHANGED' WHERE actor_id = 137`);
    try {
      const changed = await run([...args, '--only', 'data']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain(`data differs: ${tidbDb}.actor: 200 rows in the source, 200 on the target`);
      const range = /^ {2}key (\d+)(?:\.\.(\d+))?: 1 source rows, 1 target rows differ$/m.exec(changed.stdout);
      expect(range, changed.stdout).not.toBeNull();
      expect(Number(range![1])).toBeLessThanOrEqual(137);
      expect(Number(range![2] ?? range![1])).toBeGreaterThanOrEqual(137);
      expect(changed.stdout.match(/^data differs/gm)).toHaveLength(1);
      expect(changed.stdout + changed.stderr).not.toContain(SECRET);
    } finally {
      psql(`UPDATE public.actor SET last_name = 'WILLIAMS' WHERE actor_id = 137`);
    }
    const noSchema = await run(['verify', '--source', liveUrl(), '--target', `mysql://root@${tidb.host}:${tidb.port}/`]);
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toContain('gives only the rows: give the schema too');
  }, 300_000);
});
