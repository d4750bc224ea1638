// verify's canonical forms against tidb-server: generated DOUBLE, FLOAT and JSON cell texts (edge
// values included: 1e300, -0, 5e-324, 0.1+0.2, 64-bit integers, key order, unicode escapes, 1.0 vs
// 1) are stored in TiDB, and the text TiDB's SQL form (canonicalSql) reads back must equal the JS
// form (canonicalCell) computed from the cell. Seed: the commit-derived property seed.
import fc from 'fast-check';
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TidbColumn, TidbType } from '../src/ir/tidb.js';
import { canonicalCell, canonicalSql } from '../src/verify/canonical.js';
import { propertySeed, seedLine } from './helpers/property-seed.js';
import { freshDatabase } from './helpers/tidb-server.js';

const SEED = propertySeed();
let conn: Connection;

const column = (name: string, base: TidbType['base']): TidbColumn => ({ name, type: { base }, nullable: true, origin: { column: name, pgType: base, rule: 'test' } });
const COLUMNS = [column('d', 'DOUBLE'), column('f', 'FLOAT'), column('j', 'JSON')];

beforeAll(async () => {
  conn = await freshDatabase(`verify_canonical_${process.pid}`);
  await conn.query('CREATE TABLE t (i INT PRIMARY KEY, d DOUBLE, f FLOAT, j JSON)');
}, 300_000);

afterAll(async () => {
  await conn?.end();
});

/** A double as PostgreSQL's float8out writes it (shortest exact digits; -0 kept). */
const pgFloat = (n: number): string => (Object.is(n, -0) ? '-0' : String(n));

const EDGE_DOUBLES = [1e300, -0, 5e-324, 0.1 + 0.2, 1.7976931348623157e308, 2.2250738585072014e-308, 1e21, 1e-7, 1e-6, 123456789012345680000, 0.1, 100];
const double = fc.oneof(fc.constantFrom(...EDGE_DOUBLES), fc.double({ noNaN: true, noDefaultInfinity: true }));
const float = fc.oneof(fc.constantFrom(1e30, -0, 1e-40, 0.1, 16777217, 3.4e38), fc.float({ noNaN: true, noDefaultInfinity: true }));

/** A JSON string literal, each character written raw or as a \u escape. */
const jsonStringText = fc.array(fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 1 }), fc.constantFrom('\u2028', '\u00e9', '\u{1f600}', '\u0001', '\b', '"', '\\', '/')), fc.boolean()), { maxLength: 6 }).map((cs) =>
  `"${cs.map(([c, esc]) => (esc || c < ' ' ? [...c].map((u) => [...Array(u.length).keys()].map((k) => `\\u${u.charCodeAt(k).toString(16).padStart(4, '0')}`).join('')).join('') : JSON.stringify(c).slice(1, -1))).join('')}"`,
);
const jsonNumberText = fc.oneof(
  fc.constantFrom('1.0', '1', '-0', '-0.0', '1e300', '1E2', '0.10', '9007199254740993', '-9223372036854775808', '18446744073709551615', '18446744073709551616', '1.5e-7', '123.456e5'),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  double.map((n) => pgFloat(n)),
);
const { json } = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    jsonNumberText,
    jsonStringText,
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('json'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(jsonStringText, tie('json')), { maxLength: 4 }).map((es) => `{${es.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
  ),
}));

it('DOUBLE, FLOAT and JSON: the canonical text TiDB reads back equals the one computed from the cell', async () => {
  console.log(seedLine('verify-canonical', SEED));
  const sql = COLUMNS.map((c) => `${canonicalSql(c)} AS ${c.name}`).join(', ');
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(double, float, json), { minLength: 1, maxLength: 40 }), async (rows) => {
      await conn.query('DELETE FROM t');
      const cells = rows.map(([d, f, j]) => [pgFloat(d), pgFloat(f), j]);
      await conn.query(`INSERT INTO t VALUES ${cells.map((_, i) => `(${i}, ?, ?, ?)`).join(', ')}`, cells.flat());
      const [read] = (await conn.query(`SELECT i, ${sql} FROM t ORDER BY i`)) as unknown as [Record<string, string>[]];
      for (const r of read) {
        const cell = cells[Number(r['i'])]!;
        COLUMNS.forEach((c, k) => expect(canonicalCell(c, Buffer.from(cell[k]!)), `${c.name} from ${JSON.stringify(cell[k])}`).toBe(String(r[c.name])));
      }
    }),
    { seed: SEED.seed, numRuns: 40 },
  );
}, 300_000);
