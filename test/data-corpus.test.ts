// The corpus dumps with data go PostgreSQL 15 <- psql, and pg2tidb data -> LOAD DATA LOCAL INFILE ->
// tidb-server; per table the row counts and the canonical values (every column, compared as a
// multiset of rows) must agree, and the run must report no value it could not load.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import type { ColumnType } from '../src/ir/types.js';
import { qualifiedName, quoteIdent } from '../src/sql/quote.js';
import { compareTable, pgDrop, pgLoad, pgTextClient, startPostgres, databaseUrl, tidbConnection, tidbLoad } from './helpers/data-load.js';
import { tidbParse } from './helpers/tidb-parser.js';
import { injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../shared/corpus');
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

interface CorpusCase {
  readonly name: string;
  /** Files psql runs into PostgreSQL (schema, then data). */
  readonly pgFiles: readonly string[];
  /** Files pg2tidb data reads. */
  readonly inputs: readonly string[];
  /** Tables expected to receive rows (a guard against comparing two empty databases). */
  readonly minTables: number;
  /** Statements pg2tidb must report as not replayed (INSERT ... SELECT): line -> the table they fill, which TiDB then lacks. */
  readonly skipped?: Readonly<Record<number, string>>;
}

const CASES: readonly CorpusCase[] = [
  { name: 'sakila', pgFiles: ['pairs/sakila/pg.sql', 'pg/sakila_postgres_insert-data-using-copy.sql'], inputs: ['pairs/sakila/pg.sql', 'pg/sakila_postgres_insert-data-using-copy.sql'], minTables: 15 },
  { name: 'northwind', pgFiles: ['pg/northwind.sql'], inputs: ['pg/northwind.sql'], minTables: 10 },
  { name: 'chinook', pgFiles: ['pg/chinook_postgresql_full.sql'], inputs: ['pg/chinook_postgresql_full.sql'], minTables: 11 },
  {
    name: 'guacamole',
    pgFiles: ['pairs/guacamole/pg.sql', 'pairs/guacamole/pg_seed.sql'],
    inputs: ['pairs/guacamole/pg.sql', 'pairs/guacamole/pg_seed.sql'],
    minTables: 4,
    // The seed's rows computed by INSERT ... SELECT (joins over VALUES lists) are named, not guessed.
    skipped: { 22: 'guacamole_user', 31: 'guacamole_system_permission', 45: 'guacamole_user_permission' },
  },
];

let pgUrl: string | undefined;
let pgUnavailable: string | undefined;
let tidb: TidbEndpoint;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-corpus-'));

beforeAll(async () => {
  tidb = await injectedTidb();
  const pg = startPostgres();
  pgUrl = pg.url;
  pgUnavailable = pg.unavailable;
  if (pgUnavailable) console.warn(`[data-corpus] SKIPPED: ${pgUnavailable}`);
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** chinook's script creates and connects to its own database: run it inside ours instead. */
function pgScript(file: string, name: string): string {
  const path = join(corpus, file);
  if (name !== 'chinook') return path;
  const text = readFileSync(path, 'utf8').replace(/^(DROP DATABASE|CREATE DATABASE|\\c).*$/gm, '');
  const out = join(work, `${name}.pg.sql`);
  writeFileSync(out, text);
  return out;
}

describe('corpus dumps load into TiDB with the values PostgreSQL holds', () => {
  for (const c of CASES) {
    it(c.name, async (ctx) => {
      if (pgUnavailable) ctx.skip();
      const pgDb = `data_${runId}_${c.name}`;
      const tidbDb = `data_${runId}_${c.name}`;
      pgLoad(pgUrl!, pgDb, c.pgFiles.map((f) => pgScript(f, c.name)));
      const out = join(work, c.name);
      const result = await convertData(
        c.inputs.map((f) => ({ path: f, file: join(corpus, f) })),
        { databaseMap: { public: tidbDb } },
        { chunkBytes: 256 * 1024 },
        out,
      );
      const dataProblems = result.diagnostics.map((d) => `${d.span?.file}:${d.span?.line} ${d.id}: ${d.message}`);
      const expectedSkips = Object.keys(c.skipped ?? {}).map((line) => `${c.inputs[c.inputs.length - 1]}:${line} data-statement-skipped: INSERT ... SELECT is not replayed: pg2tidb loads rows from COPY and INSERT ... VALUES only`);
      expect(dataProblems, 'pg2tidb data reported values or rows it could not load').toEqual(expectedSkips);
      expect(result.exact).toBe(expectedSkips.length === 0);
      const lacking = new Set(Object.values(c.skipped ?? {}).map((t) => `${tidbDb}.${t}`));

      const conn = await tidbConnection(tidb, out);
      const client = await pgTextClient(databaseUrl(pgUrl!, pgDb), [`SET TimeZone = 'UTC'`, `SET intervalstyle = 'iso_8601'`]);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${tidbDb}\``);
        await tidbLoad(conn, result, readFileSync(join(out, 'load.sql'), 'utf8'));
        const domains = new Map<string, ColumnType>(result.translation.schema.domains.map((d) => [`${d.name.schema ?? 'public'}.${d.name.name}`, d.type]));
        let withRows = 0;
        for (const table of result.translation.tidb.tables) {
          const pgTable = result.translation.schema.tables.find((t) => `${t.name.schema ?? 'public'}.${t.name.name}` === table.source || t.name.name === table.source);
          if (!pgTable) continue;
          const types = new Map(pgTable.columns.map((col) => [col.name, col.type]));
          const cmp = await compareTable(client, conn, table, { schema: pgTable.name.schema ?? 'public', name: pgTable.name.name }, types, domains);
          if (cmp.pgRows > 0) withRows++;
          if (lacking.has(cmp.table)) {
            expect(cmp.tidbRows, `${cmp.table} is filled only by a statement reported as not replayed`).toBe(0);
            expect(cmp.pgRows).toBeGreaterThan(0);
            continue;
          }
          expect({ rows: cmp.tidbRows, onlyPg: cmp.onlyPg, onlyTidb: cmp.onlyTidb }, `${c.name}: ${cmp.table}`).toEqual({ rows: cmp.pgRows, onlyPg: [], onlyTidb: [] });
          const manifest = result.tables.find((t) => `${t.database}.${t.table}` === cmp.table);
          expect(manifest?.rows ?? 0, `${cmp.table}: manifest rows`).toBe(cmp.pgRows);
        }
        expect(withRows).toBeGreaterThanOrEqual(c.minTables);
        // Identity values continue past the loaded ids: a new row gets a fresh key.
        for (const table of result.translation.tidb.tables) {
          const auto = table.columns.find((col) => col.autoIncrement);
          const loaded = result.tables.find((t) => t.database === table.name.database && t.table === table.name.name);
          if (!auto || !loaded || loaded.rows === 0) continue;
          const q = qualifiedName(table.name.database, table.name.name);
          const [maxRows] = await conn.query(`SELECT MAX(${quoteIdent(auto.name)}) AS m FROM ${q}`);
          const [createRows] = await conn.query(`SHOW CREATE TABLE ${q}`);
          const ddl = String((createRows as Record<string, string>[])[0]!['Create Table']);
          const r = { m: (maxRows as { m: string }[])[0]!.m, next: /AUTO_INCREMENT=(\d+)/.exec(ddl)?.[1] ?? '0' };
          expect(BigInt(r.next), `${table.name.name}: AUTO_INCREMENT after the load`).toBeGreaterThan(BigInt(r.m));
        }
      } finally {
        await conn.query(`DROP DATABASE IF EXISTS \`${tidbDb}\``).catch(() => undefined);
        await conn.end();
        await client.end();
        pgDrop(pgUrl!, pgDb);
      }
    }, 300_000);
  }
});

describe('the layout for TiDB importers', () => {
  it("every SQL file parses with TiDB's parser, and IMPORT INTO runs where the server supports it", async () => {
    const out = join(work, 'layout');
    const db = `data_${runId}_layout`;
    const result = await convertData([{ path: 'northwind.sql', file: join(corpus, 'pg/northwind.sql') }], { databaseMap: { public: db } }, {}, out);
    const sqlFiles = readdirSync(out).filter((f) => f.endsWith('.sql')).sort();
    expect(sqlFiles).toEqual(expect.arrayContaining(['import.sql', 'load.sql', 'post-load.sql', 'tidb.sql', `${db}-schema-create.sql`, `${db}.orders-schema.sql`]));
    const parsed = await tidbParse(sqlFiles.map((f) => ({ id: f, sql: readFileSync(join(out, f), 'utf8') })));
    const refused = [...parsed].flatMap(([id, sts]) => sts.filter((s) => !s.ok).map((s) => `${id}:${s.line}: ${s.error}`));
    expect(refused).toEqual([]);
    expect(parsed.get('import.sql')!.filter((s) => s.kind === 'ImportIntoStmt').length).toBe(result.tables.filter((t) => t.rows > 0).length);

    // IMPORT INTO on the test server (unistore, one node): run the first table's statement and report what happened.
    const conn = await tidbConnection(tidb, out);
    try {
      await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
      for (const st of result.translation.statements) await conn.query(st.sql);
      const first = readFileSync(join(out, 'import.sql'), 'utf8').split('\n').find((l) => l.startsWith('IMPORT INTO'))!;
      const table = result.tables.find((t) => t.rows > 0)!;
      try {
        await conn.query(first);
        const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM ${qualifiedName(table.database, table.table)}`);
        expect(Number((rows as { n: string }[])[0]!.n)).toBe(table.rows);
        console.log(`[data-corpus] IMPORT INTO ran on the test server: ${table.table}, ${table.rows} rows`);
      } catch (e) {
        console.log(`[data-corpus] IMPORT INTO did not run on the test server (${(e as Error).message.slice(0, 160)}); LOAD DATA is what the corpus tests load with`);
      }
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`).catch(() => undefined);
      await conn.end();
    }
  }, 300_000);
});
