// pg2tidb verify against the run's tidb-server: the corpus dumps converted by pg2tidb data and loaded
// with LOAD DATA LOCAL INFILE verify as equal; one changed row on TiDB is named by table and key
// range, a dropped index and a changed column by schema drift; the password never reaches the output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { tidbConnection, tidbLoad } from './helpers/data-load.js';
import { injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';
import { runCli, type CliRun } from './helpers/cli-run.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../shared/corpus');
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-verify-'));

const CASES: Readonly<Record<string, readonly string[]>> = {
  sakila: ['pairs/sakila/pg.sql', 'pg/sakila_postgres_insert-data-using-copy.sql'],
  northwind: ['pg/northwind.sql'],
  chinook: ['pg/chinook_postgresql_full.sql'],
  guacamole: ['pairs/guacamole/pg.sql', 'pairs/guacamole/pg_seed.sql'],
};

/** One table per kind of definition verify compares beyond types and keys. */
const DEFINITIONS = `
CREATE TABLE public.orders (
  id bigint NOT NULL,
  region text NOT NULL,
  qty integer DEFAULT 1 NOT NULL,
  note varchar(20) DEFAULT 'none',
  seen timestamp(0) DEFAULT now(),
  CONSTRAINT qty_positive CHECK (qty > 0),
  PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('eu');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us', 'ca');
CREATE INDEX orders_lower_note ON public.orders (lower(note));
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.seen = now(); RETURN NEW; END $$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();
CREATE TABLE public.lines (id integer PRIMARY KEY, qty integer NOT NULL, total numeric(10,2) GENERATED ALWAYS AS (qty * 2.5) STORED);
CREATE TABLE public.docs (id integer PRIMARY KEY, title varchar(2000) NOT NULL, body varchar(2000) NOT NULL);
CREATE INDEX docs_title_body ON public.docs (title, body);
CREATE VIEW public.doc_titles AS SELECT id, upper(title) AS t FROM public.docs WHERE id > 0;
CREATE VIEW public.doc_ids AS SELECT id FROM public.docs;
`;

let tidb: TidbEndpoint;
const conns: Connection[] = [];

beforeAll(async () => {
  tidb = await injectedTidb();
  // The corpora's CHECKs are compared too: they exist on TiDB only when created with checks ON.
  const c = await tidbConnection(tidb, work);
  await c.query('SET GLOBAL tidb_enable_check_constraint = ON');
  await c.end();
}, 300_000);

afterAll(async () => {
  for (const c of conns) {
    for (const name of [...Object.keys(CASES), 'defs']) await c.query(`DROP DATABASE IF EXISTS \`verify_${runId}_${name}\``).catch(() => undefined);
    await c.end();
  }
  rmSync(work, { recursive: true, force: true });
});

function run(args: readonly string[]): Promise<CliRun> {
  return runCli(['verify', ...args], corpus);
}

/** The case's dump converted and loaded into its own TiDB database; the verify arguments for it. */
async function loaded(name: string): Promise<{ conn: Connection; db: string; args: string[] }> {
  const db = `verify_${runId}_${name}`;
  const out = join(work, name);
  const inputs = CASES[name]!;
  const result = await convertData(inputs.map((f) => ({ path: f, file: join(corpus, f) })), { databaseMap: { public: db } }, { chunkBytes: 256 * 1024 }, out);
  const conn = await tidbConnection(tidb, out);
  conns.push(conn);
  await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
  await tidbLoad(conn, result, readFileSync(join(out, 'load.sql'), 'utf8'));
  return { conn, db, args: [...inputs.flatMap((f) => ['--source', f]), '--target', `mysql://root@${tidb.host}:${tidb.port}/`, '--database', `public=${db}`] };
}

describe('pg2tidb verify', () => {
  for (const name of ['northwind', 'chinook']) {
    it(`${name}: loaded by pg2tidb data, verifies equal`, async () => {
      const { args } = await loaded(name);
      const r = await run(args);
      expect(r.stdout, r.stderr).toMatch(/: equal: 0 schema differences, 0 of \d+ tables with different rows/);
      expect(r.code).toBe(0);
    }, 300_000);
  }

  it('guacamole: what was converted is on TiDB, but its seed\'s three INSERT ... SELECT are not carried, so it is not equal', async () => {
    const { args } = await loaded('guacamole');
    const r = await run(args);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('not carried: ')).map((l) => l.replace(/ is not replayed.*/, ''))).toEqual([22, 31, 45].map((line) => `not carried: pairs/guacamole/pg_seed.sql:${line}: PGT8004 INSERT ... SELECT`));
    expect(r.stdout).toMatch(/: different: 0 schema differences, 0 of 23 tables with different rows, 3 source items not carried$/m);
    expect(r.code).toBe(1);
  }, 300_000);

  it('sakila: equal, then a changed row is named by table and key range; a dropped index, a changed column, FK action, collation and view by drift', async () => {
    const { conn, db, args } = await loaded('sakila');
    const equal = await run(args);
    expect(equal.stdout, equal.stderr).toMatch(/: equal: 0 schema differences, 0 of \d+ tables with different rows/);
    expect(equal.code).toBe(0);

    await conn.query(`UPDATE \`${db}\`.actor SET last_name = 'CHANGED' WHERE actor_id = 137`);
    // A composite key (actor_id, film_id): narrowed by key hash down to the one row.
    const [[pair]] = (await conn.query(`SELECT MIN(film_id) AS f FROM \`${db}\`.film_actor WHERE actor_id = 42`)) as unknown as [[{ f: string }]];
    await conn.query(`UPDATE \`${db}\`.film_actor SET last_update = '2001-02-03 04:05:06' WHERE actor_id = 42 AND film_id = ${Number(pair.f)}`);
    const changed = await run([...args, '--only', 'data']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`data differs: ${db}.actor: 200 rows in the source, 200 on the target`);
    const range = /^ {2}key (\d+)(?:\.\.(\d+))?: 1 source rows, 1 target rows differ$/m.exec(changed.stdout);
    expect(range, changed.stdout).not.toBeNull();
    const [from, to] = [Number(range![1]), Number(range![2] ?? range![1])];
    expect(from).toBeLessThanOrEqual(137);
    expect(to).toBeGreaterThanOrEqual(137);
    expect(to - from).toBeLessThan(10);
    expect(changed.stdout).toContain(`data differs: ${db}.film_actor: 5462 rows in the source, 5462 on the target\n  key (actor_id, film_id) = (42, ${Number(pair.f)}): 1 source rows, 1 target rows differ\n`);
    // Only those tables differ, each row named once.
    expect(changed.stdout.match(/^data differs/gm)).toHaveLength(2);
    expect(changed.stdout.match(/^ {2}key \(actor_id, film_id\)/gm)).toHaveLength(1);

    await conn.query(`SET foreign_key_checks = 0`);
    await conn.query(`DELETE FROM \`${db}\`.actor WHERE actor_id = 137`);
    const deleted = await run([...args, '--only', 'data']);
    expect(deleted.stdout).toContain(`data differs: ${db}.actor: 200 rows in the source, 199 on the target`);
    expect(deleted.stdout).toMatch(/key 13\d(\.\.1[34]\d)?: 1 source rows, 0 target rows differ/);

    await conn.query(`DROP INDEX idx_actor_last_name ON \`${db}\`.actor`);
    await conn.query(`ALTER TABLE \`${db}\`.category MODIFY name VARCHAR(30) NOT NULL`);
    const drift = await run([...args, '--only', 'schema']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(`schema drift: ${db}.actor index idx_actor_last_name: expected (last_name), found missing`);
    expect(drift.stdout).toMatch(new RegExp(`schema drift: ${db}\\.category\\.name type: expected varchar\\(\\d+\\), found varchar\\(30\\)`));
    expect(drift.stdout).toContain('2 schema differences');

    // Foreign-key actions, collations of a column and a table, and views.
    const [[fk]] = (await conn.query(`SELECT UPDATE_RULE u, DELETE_RULE d FROM information_schema.referential_constraints WHERE CONSTRAINT_SCHEMA = '${db}' AND CONSTRAINT_NAME = 'film_language_id_fkey'`)) as unknown as [[{ u: string; d: string }]];
    await conn.query(`ALTER TABLE \`${db}\`.film DROP FOREIGN KEY film_language_id_fkey`);
    await conn.query(`ALTER TABLE \`${db}\`.film ADD CONSTRAINT film_language_id_fkey FOREIGN KEY (language_id) REFERENCES \`${db}\`.language (language_id) ON DELETE CASCADE ON UPDATE ${fk.u}`);
    const [[col]] = (await conn.query(`SELECT COLUMN_TYPE t, COLLATION_NAME c FROM information_schema.columns WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = 'actor' AND COLUMN_NAME = 'first_name'`)) as unknown as [[{ t: string; c: string }]];
    await conn.query(`ALTER TABLE \`${db}\`.actor MODIFY first_name ${col.t} NOT NULL COLLATE utf8mb4_general_ci`);
    const [[tab]] = (await conn.query(`SELECT TABLE_COLLATION c FROM information_schema.tables WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = 'language'`)) as unknown as [[{ c: string }]];
    await conn.query(`ALTER TABLE \`${db}\`.language COLLATE utf8mb4_bin`);
    const view = async (name: string): Promise<{ def: string; cols: string }> => {
      const [[v]] = (await conn.query(`SELECT VIEW_DEFINITION d FROM information_schema.views WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = '${name}'`)) as unknown as [[{ d: string }]];
      const [cs] = (await conn.query(`SELECT COLUMN_NAME c FROM information_schema.columns WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = '${name}' ORDER BY ORDINAL_POSITION`)) as unknown as [{ c: string }[]];
      return { def: v.d, cols: cs.map((c) => `\`${c.c}\``).join(', ') };
    };
    // staff_list answers one row fewer; film_list's second column is renamed; customer_list is written
    // differently but answers the same (not drift); sales_by_store is dropped.
    const staff = await view('staff_list');
    await conn.query(`CREATE OR REPLACE VIEW \`${db}\`.staff_list (${staff.cols}) AS SELECT * FROM (${staff.def}) AS x LIMIT 1`);
    const film = await view('film_list');
    await conn.query(`CREATE OR REPLACE VIEW \`${db}\`.film_list (${film.cols.replace('`title`', '`film_title`')}) AS ${film.def}`);
    const customer = await view('customer_list');
    await conn.query(`CREATE OR REPLACE VIEW \`${db}\`.customer_list (${customer.cols}) AS SELECT * FROM (${customer.def}) AS x`);
    await conn.query(`DROP VIEW \`${db}\`.sales_by_store`);
    const more = await run([...args, '--only', 'schema']);
    expect(more.code).toBe(1);
    const m = more.stdout;
    expect(m).toContain(`schema drift: ${db}.film foreign key film_language_id_fkey actions: expected ON DELETE ${fk.d} ON UPDATE ${fk.u}, found ON DELETE CASCADE ON UPDATE ${fk.u}`);
    expect(m).toContain(`schema drift: ${db}.actor.first_name collation: expected CHARACTER SET utf8mb4 COLLATE ${col.c}, found CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    expect(m).toContain(`schema drift: ${db}.language collation: expected ${tab.c}, found utf8mb4_bin`);
    expect(m).toMatch(new RegExp(`schema drift: ${db}\\.staff_list view query: expected the emitted query's (\\d+) rows, found 1 rows\n`));
    expect(Number(/staff_list view query: expected the emitted query's (\d+) rows/.exec(m)![1])).toBeGreaterThan(1);
    expect(m).toMatch(new RegExp(`schema drift: ${db}\\.film_list view columns: expected \\(fid, title, .*\\), found \\(fid, film_title, .*\\)`));
    expect(m).toContain(`schema drift: ${db}.sales_by_store view: expected view, found missing`);
    expect(m).not.toContain('customer_list');
    expect(m).toContain('8 schema differences');
  }, 300_000);

  it('definitions: a changed CHECK, default, ON UPDATE, generated column, expression index, partition, prefix length, database collation and view are each named', async () => {
    const db = `verify_${runId}_defs`;
    const out = join(work, 'defs');
    const src = join(work, 'defs.sql');
    writeFileSync(src, DEFINITIONS);
    const result = await convertData([{ path: 'defs.sql', file: src }], { databaseMap: { public: db } }, {}, out);
    const conn = await tidbConnection(tidb, out);
    conns.push(conn);
    await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await tidbLoad(conn, result, readFileSync(join(out, 'load.sql'), 'utf8'));
    const args = ['--source', src, '--target', `mysql://root@${tidb.host}:${tidb.port}/`, '--database', `public=${db}`, '--only', 'schema'];
    const equal = await run(args);
    expect(equal.stdout, equal.stderr).toContain(': equal: 0 schema differences');
    expect(equal.code).toBe(0);

    const t = `\`${db}\`.orders`;
    await conn.query(`ALTER TABLE ${t} ALTER COLUMN qty SET DEFAULT 2`);
    await conn.query(`ALTER TABLE ${t} MODIFY seen DATETIME NULL DEFAULT CURRENT_TIMESTAMP`);
    await conn.query(`ALTER TABLE ${t} DROP CHECK qty_positive`);
    await conn.query(`ALTER TABLE ${t} ADD CONSTRAINT qty_positive CHECK (qty > 1)`);
    await conn.query(`DROP INDEX orders_lower_note ON ${t}`);
    await conn.query(`CREATE INDEX orders_lower_note ON ${t} ((UPPER(note)))`);
    await conn.query(`ALTER TABLE ${t} ADD PARTITION (PARTITION orders_mx VALUES IN ('mx'))`);
    await conn.query(`ALTER TABLE \`${db}\`.lines DROP COLUMN total`);
    await conn.query(`ALTER TABLE \`${db}\`.lines ADD COLUMN total DECIMAL(10,2) AS (qty * 3) VIRTUAL`);
    // A prefix length, the database's collation, a view's query (both empty: the text differs, the
    // answers do not, so not drift) and a view that is a table.
    await conn.query(`DROP INDEX docs_title_body ON \`${db}\`.docs`);
    await conn.query(`CREATE INDEX docs_title_body ON \`${db}\`.docs (title(100), body(384))`);
    await conn.query(`ALTER DATABASE \`${db}\` COLLATE utf8mb4_bin`);
    await conn.query(`CREATE OR REPLACE VIEW \`${db}\`.doc_titles (id, t) AS SELECT id, UPPER(title) FROM \`${db}\`.docs WHERE id > 0 AND 1 = 1`);
    await conn.query(`DROP VIEW \`${db}\`.doc_ids`);
    await conn.query(`CREATE TABLE \`${db}\`.doc_ids (id INT)`);
    const drift = await run(args);
    expect(drift.code).toBe(1);
    const o = drift.stdout;
    expect(o).toContain(`schema drift: ${db}.orders.qty default: expected 1, found 2`);
    expect(o).toContain(`schema drift: ${db}.orders.seen on update: expected current_timestamp, found none`);
    expect(o).toMatch(new RegExp(`schema drift: ${db}\\.orders check qty_positive: expected .*qty.* > 0.*, found .*qty.* > 1`));
    expect(o).toMatch(new RegExp(`schema drift: ${db}\\.orders index orders_lower_note: expected \\(\\(LOWER\\(\`note\`\\)\\)\\), found \\(\\(upper\\(\`note\`\\)\\)\\)`, 'i'));
    expect(o).toContain(`schema drift: ${db}.orders partition orders_mx: expected absent, found 'mx'`);
    expect(o).toMatch(new RegExp(`schema drift: ${db}\\.lines\\.total generated: expected STORED AS .*2\\.5.*, found VIRTUAL AS .*3`));
    expect(o).toMatch(new RegExp(`schema drift: ${db}\\.docs index docs_title_body: expected \\(title\\(384\\), body\\(384\\)\\), found \\(title\\(100\\), body\\(384\\)\\)`));
    expect(o).toMatch(new RegExp(`schema drift: ${db} collation: expected CHARACTER SET utf8mb4 COLLATE utf8mb4_\\w+, found CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`));
    expect(o).toContain(`schema drift: ${db}.doc_ids view: expected view, found a table`);
    expect(o).not.toContain('doc_titles');
    expect(o).toContain('9 schema differences');
  }, 300_000);

  it('a value the rows could not carry is a difference: loaded as NULL on TiDB, it is named and verify exits 1', async () => {
    const db = `verify_${runId}_lost`;
    const file = join(work, 'lost.sql');
    // 'infinity' has no DATE in TiDB: --on-unrepresentable null loads NULL, so the checksums of what was converted agree.
    writeFileSync(file, 'CREATE TABLE public.events (id integer PRIMARY KEY, day date);\nCOPY public.events (id, day) FROM stdin;\n1\t2024-01-01\n2\tinfinity\n\\.\n');
    const out = join(work, 'lost');
    const result = await convertData([{ path: 'lost.sql', file }], { databaseMap: { public: db } }, { onUnrepresentable: 'null' }, out);
    expect(result.exact).toBe(false);
    const conn = await tidbConnection(tidb, out);
    conns.push(conn);
    await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await tidbLoad(conn, result, readFileSync(join(out, 'load.sql'), 'utf8'));
    const r = await runCli(['verify', '--source', file, '--target', `mysql://root@${tidb.host}:${tidb.port}/`, '--database', `public=${db}`, '--on-unrepresentable', 'null'], work);
    expect(r.stdout).toMatch(/^not carried: .*lost\.sql:4: PGT8001 public\.events\.day: "infinity" cannot be loaded/m);
    expect(r.stdout).toMatch(/: different: 0 schema differences, 0 of 1 tables with different rows, 1 source item not carried$/m);
    expect(r.code).toBe(1);
    await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
  }, 120_000);

  it('never prints the password, and exits 2 on usage errors', async () => {
    const secret = 'S3cr3t-pw';
    const r = await run(['--source', CASES['northwind']![0]!, '--target', `mysql://root:${secret}@${tidb.host}:${tidb.port}/`, '--only', 'schema']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stdout + r.stderr).toContain('****');
    const bad = await run(['--source', CASES['northwind']![0]!, '--target', `postgres://u:${secret}@h/db`]);
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).not.toContain(secret);
    const clear = await run(['--source', CASES['northwind']![0]!, '--target', `mysql://u:${secret}@db.example.com/?ssl_mode=disabled`]);
    expect(clear.code).toBe(2);
    expect(clear.stderr).toContain('refusing to send a password without TLS');
    expect(clear.stdout + clear.stderr).not.toContain(secret);
    expect((await run(['--target', 'mysql://root@127.0.0.1/'])).code).toBe(2);
  }, 120_000);
});
