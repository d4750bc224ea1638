// One batch of generated schemas (pg2tidb/testing pgCase) on a real tidb-server: every case in
// databases of its own (databaseMap prefix), the batch's databases dropped together. A refusal is
// fine when it is a KNOWN-REJECTION class or an error diagnostic excuses it (server-cases.ts);
// any other is saved under test/property-cases/ and returned. Shared by test/generated-tidb.test.ts
// and the server mode of test/fuzz.ts.
import fc from 'fast-check';
import type { Connection } from 'mysql2/promise';
import { translate, type TranslateResult } from '../../src/index.js';
import { pgCase } from '../../src/testing/index.js';
import { executeStatements, formatRejection, type Rejection } from './tidb-readback.js';
import { dropDatabaseSql, knownRejection, refusalExcuse, saveServerCase } from './server-cases.js';

export interface ServerRunStats {
  cases: number;
  tables: number;
  statements: number;
  excused: number;
  translateMs: number;
  dropMs: number;
  /** Cases per KNOWN-REJECTION class (its `why`). */
  readonly known: Map<string, number>;
}

export const newServerRunStats = (): ServerRunStats => ({ cases: 0, tables: 0, statements: 0, excused: 0, translateMs: 0, dropMs: 0, known: new Map() });

/** Cases offset..offset+count-1 of the run at `seed` (fc.sample seeded with seed + offset); returns the unexplained ones. */
export async function runGeneratedBatch(conn: Connection, seed: number, offset: number, count: number, stats: ServerRunStats): Promise<string[]> {
  const failures: string[] = [];
  const sample = fc.sample(pgCase(), { numRuns: count, seed: seed + offset });
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
        if (why !== undefined) stats.known.set(why, (stats.known.get(why) ?? 0) + 1);
        if (why !== undefined || refusalExcuse(r, result, refused) !== undefined) {
          if (why === undefined) stats.excused++;
          if (r.kind === 'create-table') refused.add(r.subject);
        } else unexcused.push(r);
      }
      if (unexcused.length > 0) {
        const file = saveServerCase(sql, { seed, index: n, rejections: unexcused.map((r) => ({ errno: r.errno, message: r.message, sql: r.sql })) });
        failures.push(`case #${n} (seed ${seed}, saved to ${file}):\n  ${unexcused.map(formatRejection).join('\n  ')}\n--- input.sql ---\n${sql}`);
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
  return failures;
}
