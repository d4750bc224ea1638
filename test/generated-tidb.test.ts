// Issue 13: generated schemas (pg2tidb/testing pgCase) run on the real tidb-server, in batches: one
// connection, every case of a batch in databases of its own (databaseMap prefix), the batch's
// databases dropped together. PG2TIDB_SERVER_CASES cases (default 500) at the commit-derived seed
// (test/helpers/property-seed.ts, printed). A statement TiDB refuses must belong to a table an
// error-severity diagnostic names by its structured subject; anything else fails, and the case is
// saved under test/property-cases/ (replayed by test/property-cases.test.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { freshDatabase } from './helpers/tidb-server.js';
import { propertySeed, seedLine } from './helpers/property-seed.js';
import { KNOWN_SERVER_REJECTIONS } from './helpers/server-cases.js';
import { newServerRunStats, runGeneratedBatch } from './helpers/generated-server.js';

const CASES = Number(process.env['PG2TIDB_SERVER_CASES'] ?? 500);
const BATCH = 50;
const SEED = propertySeed();
let conn: Connection;
const stats = { ...newServerRunStats(), ms: 0 };

beforeAll(async () => {
  conn = await freshDatabase('generated_tidb');
  await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
});

afterAll(async () => {
  await conn?.end();
  console.log(
    `${seedLine('generated-tidb', SEED)}\n[generated-tidb] ${stats.cases} generated schemas, ${stats.tables} tables, ${stats.statements} statements on tidb-server in ${stats.ms} ms (translating ${stats.translateMs} ms, dropping ${stats.dropMs} ms); ` +
      `refusals excused by an error diagnostic on the table (or a refused parent): ${stats.excused}\n` +
      KNOWN_SERVER_REJECTIONS.map((k) => `  KNOWN-REJECTION ${k.errno} x${stats.known.get(k.why) ?? 0}: ${k.why}`).join('\n'),
  );
});

it(`${CASES} generated schemas execute on tidb-server (refusals only where an error diagnostic names the table)`, { timeout: 900_000 }, async () => {
  const failures: string[] = [];
  const started = Date.now();
  for (let offset = 0; offset < CASES; offset += BATCH) failures.push(...(await runGeneratedBatch(conn, SEED.seed, offset, Math.min(BATCH, CASES - offset), stats)));
  stats.ms = Date.now() - started;
  expect(stats.cases).toBe(CASES);
  expect(failures).toEqual([]);
});
