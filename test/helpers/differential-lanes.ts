// Lanes for the differential harness (src/testing/lanes.ts): per lane one PostgreSQL database of
// its own (created once, cleared between cases by the harness) and one TiDB connection. Shared by
// test/differential/differential.test.ts and `npm run fuzz` (test/fuzz.ts).
import { execFileSync } from 'node:child_process';
import type pg from 'pg';
import { fc, pgModel, printModel, type DifferentialEngines, type PgModel } from '../../src/testing/index.js';
import { databaseUrl, pgTextClient, PSQL } from './data-load.js';
import { connectionOptions, type TidbEndpoint } from './tidb-server.js';

export interface Lanes {
  readonly engines: readonly DifferentialEngines[];
  close(): Promise<void>;
}

export async function openLanes(pgUrl: string, tidb: TidbEndpoint, count: number): Promise<Lanes> {
  const mysql = await import('mysql2/promise');
  const engines: DifferentialEngines[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (let k = 0; k < count; k++) {
    const db = `diff_${process.pid}_${k}`;
    execFileSync(PSQL, [pgUrl, '-qc', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`], { stdio: 'pipe' });
    const client: pg.Client = await pgTextClient(databaseUrl(pgUrl, db));
    // JSON as its text: parsed, a JSON null would read as SQL NULL (PostgreSQL's `data -> 'k'` gives 'null').
    const connect = () => mysql.createConnection({ ...connectionOptions(tidb), multipleStatements: true, rowsAsArray: true, typeCast: (field, next) => (field.type === 'JSON' ? field.string() : next()) });
    let conn = await connect();
    engines.push({
      pg: async (q) => (await client.query({ text: q, rowMode: 'array' })).rows ?? [],
      tidb: async (q, params) => {
        try {
          const [rows] = await conn.query(q, params as unknown[]);
          return Array.isArray(rows) && Array.isArray(rows[0]) ? (rows as unknown[][]) : [];
        } catch (e) {
          // A statement that cost the connection (the server closed it) fails its case; the lane goes on with a new one.
          if ((e as { fatal?: boolean }).fatal) conn = await connect();
          throw e;
        }
      },
    });
    closers.push(async () => {
      await conn.end();
      await client.end();
      execFileSync(PSQL, [pgUrl, '-qc', `DROP DATABASE IF EXISTS ${db}`], { stdio: 'pipe' });
    });
  }
  return {
    engines,
    close: async () => {
      for (const c of closers) await c();
    },
  };
}

/** The types the harness generates rows for (src/testing/rows.ts); generated schemas use only these. */
export const DIFFERENTIAL_TYPES = ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'character varying', 'character', 'text', 'boolean', 'uuid', 'json', 'jsonb', 'date', 'timestamp', 'timestamp with time zone', 'time', 'bytea'] as const;

/** The generated schemas of a differential run. */
export const differentialModel = (): fc.Arbitrary<PgModel> => pgModel({ types: DIFFERENTIAL_TYPES, maxSchemas: 1, maxTables: 3, maxColumns: 5, maxDomains: 0 });

/** Generated schema `i` as hand-written DDL. */
export const differentialSql = (model: PgModel, i: number): string => printModel(model, { style: 'hand', variant: i % 60 });

/**
 * Generated case i of a run at `seed`: schema, print variant and rows all from seed + i, so case i
 * replays alone as case 0 of seed + i. Lazy: a lane generates the next case only when it is free.
 */
export function* differentialCases(seed: number, count: number, rows: number, only?: number): Generator<{ readonly sql: string; readonly options: { readonly rows: number; readonly seed: number } }> {
  for (let i = only ?? 0; i < (only === undefined ? count : only + 1); i++) {
    yield { sql: differentialSql(fc.sample(differentialModel(), { seed: seed + i, numRuns: 1 })[0]!, seed + i), options: { rows, seed: seed + i } };
  }
}
