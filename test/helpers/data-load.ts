// Shared by the data tests: PostgreSQL 15 (test/oracles/postgres/start.sh) and the run's tidb-server,
// loading what `pg2tidb data` wrote with LOAD DATA LOCAL INFILE, and reading both sides back as
// canonical values per table for comparison.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import type { DataResult } from '../../src/data/index.js';
import type { TidbColumn, TidbTable } from '../../src/ir/tidb.js';
import type { ColumnType } from '../../src/ir/types.js';
import { canonicalDecimal, canonicalJson } from './value-convert.js';
import { connectionOptions, type TidbEndpoint } from './tidb-server.js';

const here = dirname(fileURLToPath(import.meta.url));
// Compiled for `npm run fuzz` (.cache/fuzz/test/helpers), the scripts are still the repository's (run from its root).
const pgScripts = existsSync(resolve(here, '../oracles/postgres')) ? resolve(here, '../oracles/postgres') : resolve(process.cwd(), 'test/oracles/postgres');
export const PSQL = '/usr/lib/postgresql/15/bin/psql';

/** PostgreSQL 15's URL (started if needed), or why it is not available; under CI=true its absence throws. */
export function startPostgres(): { url?: string; unavailable?: string } {
  try {
    const out = execFileSync('bash', [resolve(pgScripts, 'start.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
    const url = out.trim().split('\n').pop();
    if (!url?.startsWith('postgresql://')) throw new Error(`start.sh printed no URL: ${out}`);
    return { url };
  } catch (e) {
    const err = e as { message: string; stderr?: string };
    const why = `PostgreSQL 15 could not be started (test/oracles/postgres/start.sh): ${err.message}\n${err.stderr ?? ''}`;
    if (process.env['CI'] === 'true') throw new Error(why);
    return { unavailable: why };
  }
}

export function databaseUrl(url: string, db: string): string {
  return url.replace(/\/[^/]*$/, `/${db}`);
}

/** A fresh PostgreSQL database with the files run into it by psql (stopping at the first error). */
export function pgLoad(url: string, db: string, files: readonly string[]): void {
  execFileSync(PSQL, [url, '-qc', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`], { stdio: 'pipe' });
  for (const f of files) execFileSync(PSQL, [databaseUrl(url, db), '-q', '-v', 'ON_ERROR_STOP=1', '-f', f], { stdio: 'pipe', maxBuffer: 64 << 20 });
}

export function pgDrop(url: string, db: string): void {
  execFileSync(PSQL, [url, '-qc', `DROP DATABASE IF EXISTS ${db}`], { stdio: 'pipe' });
}

/** A connection that serves LOAD DATA LOCAL INFILE from `dir` (only file names in it, nothing else). */
export async function tidbConnection(tidb: TidbEndpoint, dir: string): Promise<Connection> {
  const mysql = await import('mysql2/promise');
  return mysql.createConnection({ ...connectionOptions(tidb), infileStreamFactory: (path: string) => createReadStream(join(dir, basename(path))) });
}

/** tidb.sql's statements, then load.sql's (one statement per line) on `conn`; a LOAD DATA warning (a row TiDB changed or dropped) throws. */
export async function tidbLoad(conn: Connection, result: DataResult, loadSql: string): Promise<void> {
  for (const st of result.translation.statements) await conn.query(st.sql);
  for (const line of loadSql.split('\n')) {
    if (line.trim() === '' || line.startsWith('--')) continue;
    await conn.query(line);
    if (!line.startsWith('LOAD DATA')) continue;
    const [warnings] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
    if (warnings.length > 0) throw new Error(`${line.slice(0, 120)}: ${warnings.slice(0, 3).map((w) => `${w['Code']} ${w['Message']}`).join('; ')}`);
  }
}

/** How one column is compared: the PostgreSQL and TiDB select expressions and a normalisation of both texts. */
interface ColumnReading {
  readonly pg: string;
  readonly tidb: string;
  readonly norm: (text: string) => string;
}

const same = (t: string): string => t;
const trimFraction = (t: string): string => t.replace(/(\d\d:\d\d:\d\d)\.?0*$/, '$1').replace(/(\.\d*?)0+$/, '$1');
const pgId = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const myId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function scalarName(type: ColumnType, domains: ReadonlyMap<string, ColumnType>): string | undefined {
  if (type.kind === 'scalar') return type.name;
  if (type.kind === 'user') {
    const d = domains.get(`${type.name.schema ?? 'public'}.${type.name.name}`);
    return d ? scalarName(d, domains) : undefined;
  }
  return undefined;
}

export function columnReading(column: TidbColumn, pgType: ColumnType, domains: ReadonlyMap<string, ColumnType>, pgName = column.origin.column): ColumnReading {
  const p = pgId(pgName);
  const m = myId(column.name);
  const scalar = scalarName(pgType, domains);
  switch (column.type.base) {
    case 'JSON':
      return {
        pg: pgType.kind === 'array' ? `to_json(${p})::text` : scalar === 'hstore' ? `hstore_to_json(${p})::text` : `${p}::text`,
        tidb: `CAST(${m} AS CHAR)`,
        norm: (t) => canonicalJson(t, 'value'),
      };
    case 'BOOLEAN':
      return { pg: `CASE WHEN ${p} THEN '1' ELSE '0' END`, tidb: `CAST(${m} AS CHAR)`, norm: same };
    case 'BINARY':
    case 'VARBINARY':
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
      // bit varying keeps its bits, zero-padded to whole bytes (the bit length is the declared loss).
      if (scalar === 'bit varying' || scalar === 'bit') return { pg: `rpad(${p}::text, ((length(${p}) + 7) / 8) * 8, '0')`, tidb: `IF(LENGTH(${m}) = 0, '', LPAD(CONV(HEX(${m}), 16, 2), LENGTH(${m}) * 8, '0'))`, norm: same };
      return { pg: scalar === 'uuid' ? `replace(${p}::text, '-', '')` : scalar === 'bytea' ? `encode(${p}, 'hex')` : `${p}::text`, tidb: `LOWER(HEX(${m}))`, norm: same };
    case 'BIT':
      return { pg: `${p}::text`, tidb: `LPAD(BIN(${m}), ${column.type.length ?? 1}, '0')`, norm: same };
    case 'DATETIME':
    case 'TIMESTAMP':
      return { pg: scalar === 'timestamp with time zone' ? `(${p} AT TIME ZONE 'UTC')::text` : `${p}::text`, tidb: `CAST(${m} AS CHAR)`, norm: trimFraction };
    case 'TIME':
      return { pg: `${p}::time::text`, tidb: `CAST(${m} AS CHAR)`, norm: trimFraction };
    case 'DECIMAL':
      return { pg: scalar === 'money' ? `${p}::numeric::text` : `${p}::text`, tidb: `CAST(${m} AS CHAR)`, norm: canonicalDecimal };
    case 'FLOAT':
      return { pg: `${p}::text`, tidb: `CAST(${m} AS DOUBLE)`, norm: (t) => String(Math.fround(Number(t))) };
    case 'DOUBLE':
      return { pg: `${p}::text`, tidb: `CAST(${m} AS CHAR)`, norm: (t) => String(Number(t)) };
    default:
      // inet's output form (what COPY writes), not ::text, which adds /32 to a host.
      return { pg: scalar === 'inet' || scalar === 'cidr' ? `format('%s', ${p})` : `${p}::text`, tidb: `CAST(${m} AS CHAR)`, norm: same };
  }
}

export interface TableComparison {
  readonly table: string;
  readonly pgRows: number;
  readonly tidbRows: number;
  /** Canonical rows present on one side only (at most a few, for the message). */
  readonly onlyPg: readonly string[];
  readonly onlyTidb: readonly string[];
}

/** Every column TiDB holds from PostgreSQL, both sides read as canonical texts, compared as multisets of rows. */
export async function compareTable(client: pg.Client, conn: Connection, table: TidbTable, pgTable: { schema: string; name: string }, pgTypes: ReadonlyMap<string, ColumnType>, domains: ReadonlyMap<string, ColumnType>): Promise<TableComparison> {
  const cols = table.columns.filter((c) => pgTypes.has(c.origin.column) && !c.generated);
  const readings = cols.map((c) => columnReading(c, pgTypes.get(c.origin.column)!, domains));
  const pgSql = `SELECT ${readings.map((r, i) => `(${r.pg}) AS c${i}`).join(', ')} FROM ${pgId(pgTable.schema)}.${pgId(pgTable.name)}`;
  const mySql = `SELECT ${readings.map((r, i) => `${r.tidb} AS c${i}`).join(', ')} FROM ${myId(table.name.database)}.${myId(table.name.name)}`;
  const pgRows = (await client.query<Record<string, string | null>>({ text: pgSql, rowMode: 'array' } as never)).rows as unknown as (string | null)[][];
  const [myRows] = await conn.query<RowDataPacket[]>({ sql: mySql, rowsAsArray: true });
  const canon = (row: readonly unknown[]): string => JSON.stringify(row.map((v, i) => (v === null ? null : readings[i]!.norm(Buffer.isBuffer(v) ? v.toString('utf8') : String(v)))));
  const count = (rows: readonly (readonly unknown[])[]) => {
    const m = new Map<string, number>();
    for (const r of rows) {
      const k = canon(r);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const a = count(pgRows);
  const b = count(myRows as unknown as unknown[][]);
  const diff = (x: Map<string, number>, y: Map<string, number>) => [...x].filter(([k, n]) => (y.get(k) ?? 0) !== n).map(([k]) => k).slice(0, 3);
  return { table: `${table.name.database}.${table.name.name}`, pgRows: pgRows.length, tidbRows: (myRows as unknown[]).length, onlyPg: diff(a, b), onlyTidb: diff(b, a) };
}

/** A pg client whose values are PostgreSQL's own output text. */
export async function pgTextClient(url: string, session: readonly string[] = []): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig });
  await client.connect();
  for (const s of session) await client.query(s);
  return client;
}
