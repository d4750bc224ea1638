// translate --from / data --from without a schema file: the schema read from a live PostgreSQL 15's
// catalog (src/frontends/postgres-catalog) must translate exactly as pg_dump --schema-only of the same
// database does. Sakila (schema and data), every other corpus schema and every fixture PostgreSQL 15 loads:
// tidb.sql the same but for its header line (which names the input); the diagnostics the same but for
// those listed in KNOWN, each with its reason; large objects, which pg_dump 15 --schema-only leaves out, are
// named. Tables a DO block creates are seen (a file-based
// translate cannot). data --from with no schema writes the folder it writes with the schema file, and
// the catalog is read in the rows' snapshot.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { connectPostgres } from '../src/data/pg-source.js';
import type { RowSource } from '../src/data/row-source.js';
import { databaseUrl, pgDrop, pgLoad, PSQL, startPostgres } from './helpers/data-load.js';
import { runCli, type CliRun } from './helpers/cli-run.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const corpus = resolve(root, '../shared/corpus');
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-catalog-live-'));
const made: string[] = [];

/** Diagnostics only the dump gives, and why the catalog's text has no such statement. */
const KNOWN: Readonly<Record<string, string>> = {
  'session-setting': "pg_dump's own session SETs (statement_timeout, client_encoding, ...): no schema in them",
  'psql-meta-command': "pg_dump's \\restrict / \\unrestrict lines (psql meta-commands, not schema)",
  // danbooru: ALTER INDEX ... ALTER COLUMN 1 SET STATISTICS (an expression index's statistics target) is not read.
  'unsupported-syntax': "an index expression's statistics target (ALTER INDEX ... SET STATISTICS) is not read",
};

/** The fixtures PostgreSQL 15 loads as they are (the others use syntax of later versions, or are not PostgreSQL). */
const FIXTURES = readdirSync(join(root, 'fixtures')).filter((f) => existsSync(join(root, 'fixtures', f, 'input.sql')));

let pgUrl: string | undefined;
let pgUnavailable: string | undefined;

beforeAll(() => {
  const pg = startPostgres();
  pgUrl = pg.url;
  pgUnavailable = pg.unavailable;
  if (pgUnavailable) console.warn(`[catalog-live] SKIPPED: ${pgUnavailable}`);
}, 300_000);

afterAll(() => {
  if (pgUrl && !pgUnavailable) for (const db of made) pgDrop(pgUrl, db);
  rmSync(work, { recursive: true, force: true });
});

function run(args: readonly string[]): Promise<CliRun> {
  return runCli(args, work);
}

function load(name: string, files: readonly string[]): string {
  const db = `cat_${runId}_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  made.push(db);
  pgLoad(pgUrl!, db, files);
  return databaseUrl(pgUrl!, db);
}

/** A database loaded with psql, without stopping at an error: undefined if any statement failed (syntax PostgreSQL 15 lacks). */
function tryLoad(name: string, file: string): string | undefined {
  try {
    return load(name, [file]);
  } catch {
    return undefined;
  }
}

interface Report {
  readonly diagnostics: readonly { id: string; message: string; span?: { file: string; line: number } }[];
}

/** translate of pg_dump --schema-only and translate --from of the same database: tidb.sql and the diagnostics' differences. */
async function compare(url: string, name: string): Promise<{ sqlA: string; sqlB: string; onlyDump: string[]; onlyCatalog: string[]; catalog: Report; kept: string }> {
  const dump = join(work, `${name}-schema.sql`);
  execFileSync(PG_DUMP, ['--schema-only', '--file', dump, url], { stdio: 'pipe' });
  const a = await run(['translate', dump, '-o', join(work, `${name}-dump`), '-q']);
  const kept = join(work, `${name}-catalog.sql`);
  const b = await run(['translate', '--from', url, '-o', join(work, `${name}-live`), '--keep-catalog-sql', kept, '-q']);
  expect(b.code, b.stderr).toBe(a.code);
  const body = (dir: string) => readFileSync(join(work, dir, 'tidb.sql'), 'utf8').split('\n').slice(1).join('\n');
  const diags = (dir: string) => (JSON.parse(readFileSync(join(work, dir, 'report.json'), 'utf8')) as Report).diagnostics.map((d) => `${d.id}: ${d.message}`);
  const da = diags(`${name}-dump`);
  const db = diags(`${name}-live`);
  // Multiset differences: a diagnostic one side gives more often than the other counts.
  const minus = (xs: readonly string[], ys: readonly string[]): string[] => {
    const left = new Map<string, number>();
    for (const y of ys) left.set(y, (left.get(y) ?? 0) + 1);
    return xs.filter((x) => {
      const n = left.get(x) ?? 0;
      left.set(x, n - 1);
      return n <= 0;
    });
  };
  return {
    sqlA: body(`${name}-dump`),
    sqlB: body(`${name}-live`),
    onlyDump: minus(da, db),
    onlyCatalog: minus(db, da),
    catalog: JSON.parse(readFileSync(join(work, `${name}-live`, 'report.json'), 'utf8')) as Report,
    kept: readFileSync(kept, 'utf8'),
  };
}

const unexplained = (xs: readonly string[]): string[] => xs.filter((x) => !(x.slice(0, x.indexOf(':')) in KNOWN));

describe('translate --from postgres:// (the schema from the live catalog)', () => {
  it('sakila: the tidb.sql translate writes on pg_dump --schema-only; diagnostics point into the catalog text', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const url = load('sakila', [join(corpus, 'pairs/sakila/pg.sql'), join(corpus, 'pg/sakila_postgres_insert-data-using-copy.sql')]);
    const r = await compare(url, 'sakila');
    expect(r.sqlB).toContain('CREATE TABLE `public`.`rental`');
    expect(r.sqlB).toBe(r.sqlA);
    expect(unexplained(r.onlyDump)).toEqual([]);
    expect(r.onlyCatalog).toEqual([]);
    // A span names the catalog text and the line of the object it is about: the fulltext column's tsvector.
    const tsv = r.catalog.diagnostics.find((d) => d.id === 'unsupported-type' && d.message.includes('fulltext'));
    expect(tsv?.span?.file).toMatch(/^postgres(ql)?:\/\/postgres@127\.0\.0\.1:\d+\/cat_\w+_sakila \(catalog\)$/);
    expect(r.kept.split('\n')[tsv!.span!.line - 1]).toContain('fulltext tsvector');
  }, 300_000);

  it('every corpus schema and fixture PostgreSQL 15 loads: the same tidb.sql', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    // The corpus's PostgreSQL schemas (sakila's pair has its own test above, with its data), then the fixtures.
    const corpusFiles = [...readdirSync(join(corpus, 'pg')).filter((f) => f.endsWith('.sql') && !f.startsWith('sakila')).map((f) => `pg/${f}`), ...readdirSync(join(corpus, 'pairs')).filter((d) => d !== 'sakila' && existsSync(join(corpus, 'pairs', d, 'pg.sql'))).map((d) => `pairs/${d}/pg.sql`)];
    const caseName = (f: string) => (f === 'pg/danbooru_structure.sql' ? 'danbooru' : f.replace(/\.sql$/, '').replace(/[^a-z0-9]+/gi, '_'));
    const cases: [string, string][] = [...corpusFiles.map((f): [string, string] => [caseName(f), join(corpus, f)]), ...FIXTURES.map((f): [string, string] => [f, join(root, 'fixtures', f, 'input.sql')])];
    const loaded: string[] = [];
    for (const [name, file] of cases) {
      const url = tryLoad(name, file);
      if (!url) continue;
      loaded.push(name);
      const r = await compare(url, name);
      expect(r.sqlB, name).toBe(r.sqlA);
      expect(unexplained(r.onlyDump), name).toEqual([]);
      expect(r.onlyCatalog, name).toEqual([]);
    }
    // 58 fixtures and 12 corpus schemas loaded when this was written: a guard against comparing nothing.
    expect(loaded.length).toBeGreaterThanOrEqual(60);
    expect(loaded).toEqual(expect.arrayContaining(['danbooru', 'pg/northwind.sql', 'pg/chinook_postgresql_full.sql', 'pg/pagila-schema-jsonb.sql', 'pairs/camunda/pg.sql', 'pairs/flowable/pg.sql', 'pairs/dolphinscheduler/pg.sql', 'pairs/guacamole/pg.sql'].map(caseName)));
  }, 600_000);

  it('reads every other kind of object pg_dump writes, so that each is reported as from the dump: privileges, policies, publications, ...', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const file = join(work, 'other-objects.sql');
    // Roles are global: made once, whatever ran before.
    writeFileSync(file, `DO $$ BEGIN CREATE ROLE pg2tidb_catalog_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA other;
CREATE TABLE t (id integer PRIMARY KEY, v integer, name text);
CREATE TABLE u (id integer PRIMARY KEY);
CREATE TABLE other.w (id int);
CREATE SEQUENCE s_probe;
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE FUNCTION f_probe(integer) RETURNS integer LANGUAGE sql AS 'select $1';
CREATE FUNCTION evt() RETURNS event_trigger LANGUAGE plpgsql AS $f$ BEGIN END $f$;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
ALTER TABLE u ENABLE ROW LEVEL SECURITY;
ALTER TABLE u FORCE ROW LEVEL SECURITY;
CREATE POLICY t_owner ON t USING (v > 0);
CREATE POLICY t_ins ON t AS RESTRICTIVE FOR INSERT TO pg2tidb_catalog_reader WITH CHECK (v < 100);
GRANT SELECT ON t TO PUBLIC;
GRANT SELECT ON t TO pg2tidb_catalog_reader WITH GRANT OPTION;
GRANT SELECT, INSERT ON u TO pg2tidb_catalog_reader;
GRANT UPDATE (v) ON t TO pg2tidb_catalog_reader;
GRANT USAGE ON SCHEMA public TO pg2tidb_catalog_reader;
REVOKE EXECUTE ON FUNCTION f_probe(integer) FROM PUBLIC;
GRANT USAGE ON SEQUENCE s_probe TO pg2tidb_catalog_reader;
GRANT USAGE ON DOMAIN posint TO pg2tidb_catalog_reader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO pg2tidb_catalog_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA other GRANT SELECT ON TABLES TO pg2tidb_catalog_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
CREATE CAST (text AS integer) WITH INOUT;
CREATE CAST (mood AS text) WITH INOUT AS ASSIGNMENT;
CREATE STATISTICS t_stats ON id, v FROM t;
CREATE STATISTICS other.w_stats (dependencies) ON id, (id + 1) FROM other.w;
CREATE PUBLICATION pub_all FOR ALL TABLES;
CREATE PUBLICATION pub_t FOR TABLE t, u WITH (publish = 'insert');
CREATE PUBLICATION pub_s FOR TABLES IN SCHEMA other;
CREATE PUBLICATION pub_cols FOR TABLE t (id, v) WHERE (v > 1);
CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION evt();
ALTER EVENT TRIGGER et DISABLE;
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TEXT SEARCH CONFIGURATION my_cfg (COPY = pg_catalog.english);
CREATE TEXT SEARCH DICTIONARY my_dict (TEMPLATE = simple, STOPWORDS = english);
CREATE OPERATOR FAMILY my_fam USING btree;
CREATE CONVERSION my_conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
CREATE FOREIGN DATA WRAPPER my_fdw;
CREATE SERVER my_srv FOREIGN DATA WRAPPER my_fdw OPTIONS (host 'example');
CREATE FOREIGN TABLE ft (a int) SERVER my_srv;
CREATE USER MAPPING FOR pg2tidb_catalog_reader SERVER my_srv;
`);
    const url = load('other_objects', [file]);
    const r = await compare(url, 'other-objects');
    expect(r.sqlB).toBe(r.sqlA);
    expect(unexplained(r.onlyDump)).toEqual([]);
    expect(r.onlyCatalog).toEqual([]);
    // Each kind is there to be compared (a catalog reader that skipped them all would pass the two lines above only with the dump's own gaps).
    const said = r.catalog.diagnostics.map((d) => d.message).join('\n');
    for (const what of ['GRANT: 9 statements', 'ALTER DEFAULT PRIVILEGES: 3 statements', 'CREATE POLICY t_ins', 'ROW LEVEL SECURITY public.u', 'CREATE PUBLICATION', 'ALTER PUBLICATION', 'CREATE CAST', 'CREATE STATISTICS', 'CREATE EVENT TRIGGER', 'CREATE COLLATION public.ci', 'CREATE TEXT SEARCH CONFIGURATION public.my_cfg', 'CREATE TEXT SEARCH DICTIONARY public.my_dict', 'CREATE OPERATOR FAMILY', 'CREATE CONVERSION', 'CREATE FOREIGN DATA WRAPPER', 'CREATE SERVER', 'CREATE USER MAPPING']) {
      expect(said, what).toContain(what);
    }
    // A large object: pg_dump 15 --schema-only leaves it out (its --data-only writes it), the catalog names it, and data --from counts it as not loaded.
    const oid = execFileSync(PSQL, [url, '-Atqc', "SELECT lo_from_bytea(0, 'large object bytes')"], { encoding: 'utf8' }).trim();
    const translated = await run(['translate', '--from', url, '-o', join(work, 'other-objects-lo'), '-q']);
    expect(readFileSync(join(work, 'other-objects-lo', 'report.json'), 'utf8'), translated.stderr).toContain(`SELECT lo_create ${oid}: TiDB has no large objects`);
    const data = await run(['data', '--from', url, '-o', join(work, 'other-objects-data'), '-q']);
    expect(data.code).toBe(1);
    expect(data.stderr).toContain('1 large object is not loaded: TiDB has no large objects');
  }, 120_000);

  it('sees the tables a DO block created (a translate of the file that holds it cannot)', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const file = join(work, 'do-block.sql');
    // postgrest_big's pattern: fuzzysearch.unknown_table_N made by EXECUTE format(...) in a loop.
    writeFileSync(file, `CREATE SCHEMA fuzzysearch;
DO $$
BEGIN
  FOR i IN 1..25 LOOP
    EXECUTE format('CREATE TABLE fuzzysearch.unknown_table_%s (id int PRIMARY KEY, v text)', i);
  END LOOP;
END $$;
`);
    const url = load('do_block', [file]);
    const live = await run(['translate', '--from', url, '-q']);
    expect(live.code, live.stderr).toBe(0);
    const tables = [...live.stdout.matchAll(/^CREATE TABLE `fuzzysearch`\.`unknown_table_(\d+)`/gm)].map((m) => Number(m[1]));
    expect(tables.sort((x, y) => x - y)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const fromFile = await run(['translate', file, '-q']);
    expect(fromFile.stdout).not.toContain('unknown_table_');
  }, 120_000);

  it('usage: --from with input files, --keep-catalog-sql without --from, --watch with --from exit 2; an unreachable host 1', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    expect((await run(['translate', 'x.sql', '--from', pgUrl!])).code).toBe(2);
    expect((await run(['translate', 'x.sql', '--keep-catalog-sql', 'k.sql'])).code).toBe(2);
    expect((await run(['translate', '--from', pgUrl!, '--watch'])).code).toBe(2);
    const refused = await run(['translate', '--from', 'postgres://u:secret@127.0.0.1:1/db']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('cannot connect to postgres://u:****@127.0.0.1:1/db');
    expect(refused.stderr).not.toContain('secret');
  }, 60_000);
});

describe('pg2tidb data --from postgres:// with no schema file', () => {
  it('writes the folder it writes given pg_dump --schema-only of the same database (sakila)', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const url = databaseUrl(pgUrl!, made.find((d) => d.endsWith('_sakila')) ?? load('sakila', [join(corpus, 'pairs/sakila/pg.sql'), join(corpus, 'pg/sakila_postgres_insert-data-using-copy.sql')]));
    const schema = join(work, 'sakila-data-schema.sql');
    execFileSync(PG_DUMP, ['--schema-only', '--file', schema, url], { stdio: 'pipe' });
    const opts = (dir: string) => ['-o', join(work, dir), '--chunk-size', '64k', '--location', 's3://bucket/dir', '-q'];
    const withFile = await run(['data', schema, '--from', url, ...opts('with-schema')]);
    expect(withFile.code, withFile.stderr).toBe(0);
    const kept = join(work, 'data-catalog.sql');
    const alone = await run(['data', '--from', url, '--keep-catalog-sql', kept, ...opts('no-schema')]);
    expect(alone.code, alone.stderr).toBe(0);
    const files = readdirSync(join(work, 'with-schema')).sort();
    expect(files.filter((f) => f.endsWith('.csv')).length).toBeGreaterThanOrEqual(15);
    expect(readdirSync(join(work, 'no-schema')).sort()).toEqual(files);
    for (const f of files) {
      const a = readFileSync(join(work, 'with-schema', f), 'utf8');
      const b = readFileSync(join(work, 'no-schema', f), 'utf8');
      // tidb.sql's header names the input: the schema file, or the database's catalog.
      if (f === 'tidb.sql') expect(b.split('\n').slice(1).join('\n'), f).toBe(a.split('\n').slice(1).join('\n'));
      else expect(b === a, `${f} differs`).toBe(true);
    }
    expect(readFileSync(kept, 'utf8')).toContain('CREATE TABLE public.rental (');
  }, 300_000);

  it('reads the catalog in the rows’ snapshot: a table and rows committed after it are not seen', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const file = join(work, 'snap.sql');
    writeFileSync(file, 'CREATE TABLE s (id serial PRIMARY KEY, v text);\nINSERT INTO s (v) VALUES (\'a\'), (\'b\');\n');
    const url = load('snap', [file]);
    const psql = (sql: string) => execFileSync(PSQL, [url, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe' });
    const real = await connectPostgres(url);
    // Another session commits once the schema was read, before the rows are.
    const rows: RowSource = {
      schema: async () => {
        const s = await real.schema();
        psql(`INSERT INTO s (v) VALUES ('late'); CREATE TABLE late (id int); INSERT INTO late VALUES (1)`);
        return s;
      },
      open: (context) => real.open(context),
      close: () => real.close(),
    };
    let result;
    try {
      result = await convertData([], {}, { rows }, join(work, 'snap'));
    } finally {
      await rows.close();
    }
    expect(result.exact, JSON.stringify(result.diagnostics)).toBe(true);
    expect(result.tables.map((t) => [t.table, t.rows])).toEqual([['s', 2]]);
    // The table made after the snapshot is neither in the schema nor reported as an extra table of the database.
    expect(result.translation.sql).not.toContain('`late`');
    expect(result.diagnostics.filter((d) => d.id === 'data-table-mismatch')).toEqual([]);
  }, 120_000);
});
