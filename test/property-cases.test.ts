// Replays every counterexample a server run of generated schemas saved (test/property-cases/*.json,
// written by test/generated-tidb.test.ts): each must now execute on tidb-server with no refusal
// that an error diagnostic does not excuse. A case that passes again may be kept as a regression case.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { translate } from '../src/index.js';
import { freshDatabase } from './helpers/tidb-server.js';
import { executeStatements, formatRejection } from './helpers/tidb-readback.js';
import { dropDatabaseSql, knownRejection, refusalExcuse, savedServerCases } from './helpers/server-cases.js';

const cases = savedServerCases();
let conn: Connection;

beforeAll(async () => {
  conn = await freshDatabase('property_cases');
  await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
});
afterAll(async () => {
  await conn?.end();
  console.log(`[property-cases] ${cases.length} saved server counterexamples replayed`);
});

it('reads the saved cases', () => {
  for (const { file, case: c } of cases) expect(typeof c.sql, file).toBe('string');
});

for (const [n, { file, case: c }] of cases.entries()) {
  it(`${file} (seed ${c.seed}, case #${c.index}) executes on tidb-server`, async () => {
    const plain = await translate({ path: 'input.sql', text: c.sql });
    const databaseMap = Object.fromEntries(plain.tidb.databases.map((d) => [d.source, `pc${n}_${d.name}`.slice(0, 64)]));
    const result = await translate({ path: 'input.sql', text: c.sql }, { databaseMap });
    try {
      const { rejections } = await executeStatements(conn, result.statements);
      const refused = new Set<string>();
      const knownNow = rejections.filter((r) => knownRejection(r) !== undefined);
      const unexcused = rejections.filter((r) => {
        const excused = knownRejection(r) !== undefined || refusalExcuse(r, result, refused) !== undefined;
        if (excused && r.kind === 'create-table') refused.add(r.subject);
        return !excused;
      });
      expect(unexcused.map(formatRejection)).toEqual([]);
      // A case saved for a KNOWN-REJECTION class stays refused by it until the compiler is fixed.
      const savedKnown = c.rejections.filter((r) => knownRejection({ ...r, subject: '', kind: '' }) !== undefined);
      expect(knownNow.length > 0, `${file}: its KNOWN-REJECTION no longer happens; remove the class and keep the case as a regression`).toBe(savedKnown.length > 0);
    } finally {
      // Foreign keys may cross the case's databases: drop them in any order.
      await conn.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const d of result.tidb.databases) await conn.query(dropDatabaseSql(d.name));
      await conn.query('SET FOREIGN_KEY_CHECKS = 1');
    }
  });
}
