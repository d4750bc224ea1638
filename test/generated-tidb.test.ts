// Issue 13: generated schemas (pg2tidb/testing pgCase) run on the real tidb-server, in batches: one
// connection, every case of a batch in databases of its own (databaseMap prefix), the batch's
// databases dropped together. PG2TIDB_SERVER_CASES cases (default 500) at the commit-derived seed
// (test/helpers/property-seed.ts, printed). A statement TiDB refuses must belong to a table an
// error-severity diagnostic names by its structured subject; anything else fails, and the case is
// saved under test/property-cases/ (replayed by test/property-cases.test.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Connection } from 'mysql2/promise';
import { translate, type TranslateResult } from '../src/index.js';
import { pgCase } from '../src/testing/index.js';
import { freshDatabase } from './helpers/tidb-server.js';
import { executeStatements, formatRejection, type Rejection } from './helpers/tidb-readback.js';
import { propertySeed, seedLine } from './helpers/property-seed.js';
import { dropDatabaseSql, knownRejection, KNOWN_SERVER_REJECTIONS, refusalExcuse, saveServerCase } from './helpers/server-cases.js';

const CASES = Number(process.env['PG2TIDB_SERVER_CASES'] ?? 500);
const BATCH = 50;
const SEED = propertySeed();
let conn: Connection;
const known = new Map<string, number>();
const stats = { cases: 0, tables: 0, statements: 0, excused: 0, ms: 0, translateMs: 0, dropMs: 0 };

beforeAll(async () => {
  conn = await freshDatabase('generated_tidb');
  await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
});

afterAll(async () => {
  await conn?.end();
  console.log(
    `${seedLine('generated-tidb', SEED)}\n[generated-tidb] ${stats.cases} generated schemas, ${stats.tables} tables, ${stats.statements} statements on tidb-server in ${stats.ms} ms (translating ${stats.translateMs} ms, dropping ${stats.dropMs} ms); ` +
      `refusals excused by an error diagnostic on the table (or a refused parent): ${stats.excused}\n` +
      KNOWN_SERVER_REJECTIONS.map((k) => `  KNOWN-REJECTION ${k.errno} x${known.get(k.why) ?? 0}: ${k.why}`).join('\n'),
  );
});

it(`${CASES} generated schemas execute on tidb-server (refusals only where an error diagnostic names the table)`, { timeout: 900_000 }, async () => {
  const failures: string[] = [];
  const started = Date.now();
  for (let offset = 0; offset < CASES; offset += BATCH) {
    const sample = fc.sample(pgCase(), { numRuns: Math.min(BATCH, CASES - offset), seed: SEED.seed + offset });
    const batch: { sql: string; result: TranslateResult; n: number }[] = [];
    const t = Date.now();
    for (const [i, c] of sample.entries()) {
      const n = offset + i;
      const plain = await translate({ path: 'input.sql', text: c.sql });
      const databaseMap = Object.fromEntries(plain.tidb.databases.map((d) => [d.source, `g${n.toString(36)}_${d.name}`.slice(0, 64)]));
      batch.push({ sql: c.sql, result: await translate({ path: 'input.sql', text: c.sql }, { databaseMap }), n });
    }
    stats.translateMs += Date.now() - t;
    try {
      for (const { sql, result, n } of batch) {
        const { executed, rejections } = await executeStatements(conn, result.statements);
        stats.cases++;
        stats.statements += executed;
        stats.tables += result.tidb.tables.length;
        const unexcused: Rejection[] = [];
        const refused = new Set<string>();
        for (const r of rejections) {
          const why = knownRejection(r);
          if (why !== undefined) known.set(why, (known.get(why) ?? 0) + 1);
          if (why !== undefined || refusalExcuse(r, result, refused) !== undefined) {
            if (why === undefined) stats.excused++;
            if (r.kind === 'create-table') refused.add(r.subject);
          } else unexcused.push(r);
        }
        if (unexcused.length > 0) {
          const file = saveServerCase(sql, { seed: SEED.seed, index: n, rejections: unexcused.map((r) => ({ errno: r.errno, message: r.message, sql: r.sql })) });
          failures.push(`case #${n} (saved to ${file}):\n  ${unexcused.map(formatRejection).join('\n  ')}\n--- input.sql ---\n${sql}`);
        }
      }
    } finally {
      const t = Date.now();
      // A foreign key may point into another database of the batch: dropped without the checks.
      await conn.query('SET SESSION foreign_key_checks = 0');
      for (const d of new Set(batch.flatMap((b) => b.result.tidb.databases.map((x) => x.name)))) await conn.query(dropDatabaseSql(d));
      await conn.query('SET SESSION foreign_key_checks = 1');
      stats.dropMs += Date.now() - t;
    }
  }
  stats.ms = Date.now() - started;
  expect(stats.cases).toBe(CASES);
  expect(failures).toEqual([]);
});
