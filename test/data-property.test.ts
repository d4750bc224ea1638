// Property: generated schemas (src/testing's pgModel) with generated rows, edge values included,
// go PostgreSQL 15 -> pg_dump -> pg2tidb data -> LOAD DATA LOCAL INFILE -> tidb-server, and TiDB
// then holds exactly PostgreSQL's rows, canonically equal, except the rows holding a value the
// converter refuses, each of which is a PGT8001 diagnostic (--on-unrepresentable skip-row).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from 'mysql2/promise';
import { planTables } from '../src/data/columns.js';
import { convertData } from '../src/data/index.js';
import { Unrepresentable } from '../src/data/values.js';
import { qualifiedName, quoteIdent } from '../src/sql/quote.js';
import type { ColumnType, ScalarTypeName } from '../src/ir/types.js';
import { fc, pgCase, type ModelType, type PgModel } from '../src/testing/index.js';
import { columnReading, databaseUrl, pgDrop, pgTextClient, PSQL, startPostgres, tidbConnection, tidbLoad } from './helpers/data-load.js';
import { injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';

const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const RUNS = Number(process.env['PG2TIDB_DATA_PROPERTY_RUNS'] ?? 8);
const ROWS = 8;

/** Values per type, as SQL, edge values included (what TiDB cannot hold among them). */
const SAMPLES: Partial<Record<ScalarTypeName, readonly string[]>> = {
  smallint: ['-32768', '32767', '0'],
  integer: ['-2147483648', '2147483647', '7'],
  bigint: ['-9223372036854775808', '9223372036854775807', '42'],
  numeric: ["'NaN'", "'Infinity'", '123456789012345678901234567890.123456789', '0.000001', '-1.5', `1${'0'.repeat(40)}`],
  real: ["'NaN'", "'-Infinity'", "'3.4028235e38'", "'1.4e-45'", '0.1'],
  'double precision': ["'Infinity'", "'1.7976931348623157e308'", "'5e-324'", '-2.5'],
  money: ["'92233720368547758.07'", "'-0.01'", "'1234.56'"],
  'character varying': ["''", "'a,b\"c\\d'", "E'tab\\tnewline\\ncr\\r'", "'日本語😀'", "'NULL'", "'\\N'"],
  character: ["'ab'", "'x'", "' '"],
  text: ["''", "E'back\\\\slash \"quote\" \\n'", "repeat('é', 300)", "'\\N'", "','"],
  bytea: ["'\\x'::bytea", "'\\x00ff5c220a0d'::bytea", "'\\xdeadbeef'::bytea"],
  boolean: ['true', 'false'],
  uuid: ["'f47ac10b-58cc-4372-a567-0e02b2c3d479'", "'00000000-0000-0000-0000-000000000000'"],
  json: ["'{\"b\": 1, \"a\": [true, null]}'", "'12345678901234567890123'", "'\"s\"'", "'[]'"],
  jsonb: ["'{\"k\": \"v\\\\n\"}'", "'1.5e300'", "'3.141592653589793238462643383279'"],
  bit: ["B'1'", "B'0'"],
  'bit varying': ["B'101'", "B''"],
  inet: ["'192.168.0.1'", "'2001:db8::1/64'"],
  cidr: ["'10.0.0.0/8'"],
  macaddr: ["'08:00:2b:01:02:03'"],
  date: ["'2024-02-29'", "'0001-01-01'", "'4713-01-01 BC'", "'10000-01-01'", "'infinity'"],
  time: ["'00:00:00'", "'23:59:59.999999'", "'24:00:00'"],
  timestamp: ["'2024-06-01 12:34:56.123456'", "'9999-12-31 23:59:59.999999'", "'0044-03-15 12:00:00 BC'", "'-infinity'"],
  'timestamp with time zone': ["'2024-06-01 12:00:00+05:30'", "'1969-12-31 23:59:59.999999+00'", "'2040-01-01 00:00:00+00'", "'infinity'"],
  interval: ["'1 year 2 mons 3 days 04:05:06.789'", "'-1 days +02:00:00'", "'0'"],
  int4range: ["'[1,10)'", "'empty'"],
  daterange: ["'[2024-01-01,2024-02-01)'"],
  tsvector: ["'a fat cat'"],
  point: ["'(1,2)'"],
  citext: ["'MiXeD'"],
  hstore: ["'a=>1, b=>NULL'"],
  ltree: ["'a.b.c'"],
};
const TYPES = Object.keys(SAMPLES) as ScalarTypeName[];

let pgUrl: string | undefined;
let pgUnavailable: string | undefined;
let tidb: TidbEndpoint;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-property-'));

beforeAll(async () => {
  tidb = await injectedTidb();
  const p = startPostgres();
  pgUrl = p.url;
  pgUnavailable = p.unavailable;
  if (pgUnavailable) console.warn(`[data-property] SKIPPED: ${pgUnavailable}`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function samplesOf(type: ModelType, model: PgModel): readonly string[] {
  switch (type.kind) {
    case 'scalar':
      return SAMPLES[type.name] ?? ['NULL'];
    case 'enum':
      return (model.enums.find((e) => e.name.schema === type.ref.schema && e.name.name === type.ref.name)?.values ?? []).map((v) => `'${v.replace(/'/g, "''")}'`);
    case 'domain': {
      const d = model.domains.find((x) => x.name.schema === type.ref.schema && x.name.name === type.ref.name);
      return d ? (SAMPLES[d.base.name] ?? ['NULL']) : ['NULL'];
    }
    case 'array': {
      const el = samplesOf(type.element, model);
      const one = el.slice(0, 2);
      return type.dims > 1 ? [`ARRAY[ARRAY[${one.join(', ')}]]`] : [`ARRAY[${[...one, 'NULL'].join(', ')}]`, `'{}'`];
    }
  }
}

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

describe('generated schemas and rows: PostgreSQL -> pg_dump -> pg2tidb data -> TiDB', () => {
  it('TiDB holds PostgreSQL\'s rows, less exactly those with a value pg2tidb reports', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(pgCase({ maxTables: 2, maxColumns: 5, maxIndexes: 1, maxSchemas: 1, types: TYPES }, 'pg_dump'), fc.infiniteStream(fc.nat()), async (c, picks) => {
        const run = `${runId}_${n++}`;
        const pgDb = `dprop_${run}`;
        const dir = join(work, run);
        execFileSync(PSQL, [pgUrl!, '-qc', `CREATE DATABASE ${pgDb}`], { stdio: 'pipe' });
        const client = await pgTextClient(databaseUrl(pgUrl!, pgDb), [`SET TimeZone = 'UTC'`, `SET intervalstyle = 'iso_8601'`]);
        const conn = await tidbConnection(tidb, dir);
        const databaseMap: Record<string, string> = { public: `dprop_${run}` };
        for (const s of c.model.schemas) databaseMap[s] = `dprop_${run}_${s}`.slice(0, 64);
        try {
          writeFileSync(join(work, `${run}.ddl.sql`), c.sql);
          try {
            execFileSync(PSQL, [databaseUrl(pgUrl!, pgDb), '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(work, `${run}.ddl.sql`)], { stdio: 'pipe' });
          } catch {
            return; // a schema PostgreSQL refuses has no rows to move
          }
          // Rows: one sample (or NULL) per column; PostgreSQL keeps those its constraints accept (foreign keys off).
          await client.query(`SET session_replication_role = replica`);
          const it = picks[Symbol.iterator]();
          const pick = (k: number): number => it.next().value % k;
          for (const t of c.model.tables) {
            const cols = t.columns.filter((col) => col.identity?.kind !== 'always');
            for (let r = 0; r < ROWS; r++) {
              const values = cols.map((col) => {
                const s = samplesOf(col.type, c.model);
                return pick(5) === 0 || s.length === 0 ? 'NULL' : s[pick(s.length)]!;
              });
              await client.query(`INSERT INTO ${q(t.name.schema)}.${q(t.name.name)} (${cols.map((col) => q(col.name)).join(', ')}) VALUES (${values.join(', ')})`).catch(() => undefined);
            }
          }
          const dump = join(work, `${run}.dump.sql`);
          execFileSync(PG_DUMP, ['--no-owner', '--no-privileges', '-f', dump, databaseUrl(pgUrl!, pgDb)], { stdio: 'pipe' });

          const result = await convertData([{ path: 'dump.sql', file: dump }], { databaseMap }, { onUnrepresentable: 'skip-row', maxRowDiagnostics: 10_000 }, dir);
          // A dump the schema frontend cannot parse is that frontend's bug (a pg_dump 15 name that is a keyword in libpg-query's
          // newer grammar, e.g. an unquoted schema json); this property is about the rows of schemas it reads.
          fc.pre(!result.translation.diagnostics.some((d) => d.id === 'syntax-error'));
          const other = result.diagnostics.filter((d) => d.id !== 'data-unrepresentable');
          expect(other.map((d) => `${d.id}: ${d.message}`), c.sql).toEqual([]);
          for (const db of Object.values(databaseMap)) await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`);
          await tidbLoad(conn, result, readFileSync(join(dir, 'load.sql'), 'utf8'));

          const plans = planTables(result.translation.schema, result.translation.tidb.tables);
          const domains = new Map<string, ColumnType>(result.translation.schema.domains.map((d) => [`${d.name.schema ?? 'public'}.${d.name.name}`, d.type]));
          let refusedValues = 0;
          for (const [pgKey, plan] of plans) {
            const cols = [...plan.columns.values()].filter((col) => !col.generated).map((col) => ({ ...col, origin: { column: col.pgName } }));
            if (cols.length === 0) continue;
            const types = new Map(plan.pg.columns.map((col) => [col.name, col.type]));
            const readings = cols.map((col) => columnReading(col.tidb, types.get(col.pgName)!, domains, col.pgName));
            const [schema, table] = [plan.pg.name.schema ?? 'public', plan.pg.name.name];
            // PostgreSQL: the canonical value of every column, and its output text for our converter.
            const pgRows = (await (client.query({ text: `SELECT ${readings.map((r, i) => `(${r.pg}) AS c${i}`).join(', ')}, ${cols.map((col, i) => `${q(col.origin.column)}::text AS t${i}`).join(', ')} FROM ${q(schema)}.${q(table)}`, rowMode: 'array' } as never) as Promise<{ rows: unknown }>)).rows as (string | null)[][];
            const expected: string[] = [];
            for (const row of pgRows) {
              const refused = cols.filter((col, i) => row[cols.length + i] !== null && col.convert(row[cols.length + i]!) instanceof Unrepresentable).length;
              refusedValues += refused;
              if (refused === 0) expected.push(JSON.stringify(row.slice(0, cols.length).map((v, i) => (v === null ? null : readings[i]!.norm(v)))));
            }
            const [tidbRows] = await conn.query<RowDataPacket[]>({ sql: `SELECT ${readings.map((r, i) => `${r.tidb} AS c${i}`).join(', ')} FROM ${qualifiedName(plan.tidb.name.database, plan.tidb.name.name)}`, rowsAsArray: true });
            const got = (tidbRows as unknown as unknown[][]).map((row) => JSON.stringify(row.map((v, i) => (v === null ? null : readings[i]!.norm(Buffer.isBuffer(v) ? v.toString('utf8') : String(v))))));
            expect(got.sort(), `${pgKey} in TiDB, schema:\n${c.sql}`).toEqual(expected.sort());
          }
          expect(result.totals['data-unrepresentable'] ?? 0, 'one PGT8001 per refused value').toBe(refusedValues);
        } finally {
          await client.end();
          for (const db of Object.values(databaseMap)) await conn.query(`DROP DATABASE IF EXISTS ${quoteIdent(db)}`).catch(() => undefined);
          await conn.end();
          pgDrop(pgUrl!, pgDb);
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS, seed: Number(process.env['PG2TIDB_PROPERTY_SEED'] ?? 1515), endOnFailure: true },
    );
  }, 600_000);
});
