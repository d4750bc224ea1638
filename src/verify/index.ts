/**
 * `pg2tidb verify`: the source converted by `pg2tidb data`'s own decisions (to a temporary folder,
 * removed afterwards) against the live TiDB target: the schema read back from information_schema
 * against what `translate` emits, and per table the rows' digests, narrowed to key ranges where
 * they differ. Nothing is written to the target: verify only reads it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { notCarried } from './not-carried.js';
import { convertData, type DataInputFile, type DataOptions, type DataResult } from '../data/index.js';
import type { TranslateOptions } from '../transform/options.js';
import { compareTableData, type Queryable, type TableDataResult } from './data.js';
import { compareSchema, type Drift } from './schema.js';
import type { TargetOptions } from './target-url.js';

export type { Drift } from './schema.js';
export type { TableDataResult } from './data.js';

export interface VerifyOptions {
  /** Compare the schema (default true). */
  readonly schema?: boolean;
  /** Compare the rows (default true). */
  readonly data?: boolean;
  /** The policy the rows were converted with (as `pg2tidb data --on-unrepresentable`). */
  readonly onUnrepresentable?: DataOptions['onUnrepresentable'];
  /** The source's rows from a live database (`--source postgres://...`); the sources then give only the schema. */
  readonly rows?: DataOptions['rows'];
}

export interface VerifyResult {
  readonly source: DataResult;
  readonly drift: readonly Drift[];
  readonly tables: readonly TableDataResult[];
  /**
   * What the source holds that could not be carried (values TiDB cannot hold, rows that do not
   * parse, statements and large objects not loaded): the converter's own diagnostics, each a
   * difference, since the checksums compare only what was converted.
   */
  readonly notCarried: readonly Diagnostic[];
  /** True when nothing differs. */
  readonly equal: boolean;
}

/** A live mysql2 connection (mysql2 is loaded only here, so translate never pays for it). */
export async function connectTarget(target: TargetOptions): Promise<Queryable & { end(): Promise<void> }> {
  let mysql: typeof import('mysql2/promise');
  try {
    mysql = await import('mysql2/promise');
  } catch {
    throw new Error('pg2tidb verify needs the mysql2 package: npm install mysql2');
  }
  const { ssl, ...rest } = target;
  const conn = await mysql.createConnection({
    ...rest,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    ...(ssl ? { ssl: { ...(ssl.ca ? { ca: ssl.ca } : {}), rejectUnauthorized: ssl.rejectUnauthorized, minVersion: ssl.minVersion, ...(ssl.verifyIdentity ? {} : { checkServerIdentity: () => undefined }) } } : {}),
  });
  // TIMESTAMP values are compared in UTC, the zone load.sql and import.sql write them in.
  await conn.query(`SET time_zone = '+00:00'`);
  return conn;
}

export async function verify(sources: readonly DataInputFile[], translateOptions: Partial<TranslateOptions>, conn: Queryable, options: VerifyOptions = {}): Promise<VerifyResult> {
  const dir = await mkdtemp(join(tmpdir(), 'pg2tidb-verify-'));
  try {
    const source = await convertData(sources, translateOptions, { ...(options.onUnrepresentable ? { onUnrepresentable: options.onUnrepresentable } : {}), ...(options.rows ? { rows: options.rows } : {}) }, dir);
    const tables = source.translation.tidb.tables;
    const drift = options.schema === false ? [] : await compareSchema(conn, source.translation.tidb);
    const results: TableDataResult[] = [];
    if (options.data !== false) {
      const byName = new Map(source.tables.map((t) => [`${t.database}.${t.table}`, t]));
      for (const t of tables) {
        const summary = byName.get(`${t.name.database}.${t.name.name}`);
        results.push(await compareTableData(conn, t, summary && summary.rows > 0 ? summary : undefined, dir));
      }
    }
    // Only when the data half is compared: a value the rows could not carry is a difference between source and target.
    const lost = options.data === false ? [] : notCarried(source.diagnostics);
    return { source, drift, tables: results, notCarried: lost, equal: drift.length === 0 && results.every((r) => r.equal) && lost.length === 0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
