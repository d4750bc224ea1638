// Issue 14 part 3: every view the compiler translates executes on a real TiDB (the global setup's
// tidb-server): the fixtures with views and the corpus files with views are translated, their whole
// tidb.sql executed, then `SELECT * FROM v LIMIT 1` runs on every emitted view. Prints, per file,
// views in / translated / reported (left out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { translate, emitTidbStatements } from '../src/index.js';
import type { SourceFile } from '../src/diagnostics/span.js';
import { corpusFiles, listFixtures, readCorpus } from './helpers/fixtures.js';
import { freshDatabase } from './helpers/tidb-server.js';
import { dropDatabases, executeStatements, formatRejection } from './helpers/tidb-readback.js';

const VIEW_PATTERN = /CREATE\s+(OR\s+REPLACE\s+)?(MATERIALIZED\s+)?VIEW/i;

interface Case {
  readonly name: string;
  readonly files: readonly SourceFile[];
}

const cases: Case[] = [
  ...listFixtures()
    .filter((f) => f.files.some((s) => VIEW_PATTERN.test(s.text)))
    .map((f) => ({ name: `fixture ${f.name}`, files: f.files })),
  ...corpusFiles()
    .map(readCorpus)
    .filter((f) => VIEW_PATTERN.test(f.text))
    .map((f) => ({ name: `corpus ${f.path}`, files: [f] })),
];

/** Views every translation of these files must keep: sakila's seven are the hand-written MySQL ones (pairs/sakila/mysql.sql). */
const MINIMUM_TRANSLATED: Record<string, number> = { 'corpus pairs/sakila/pg.sql': 7, 'corpus pg/pagila-schema.sql': 7 };

let conn: Connection;
const lines: string[] = [];
let seq = 0;

beforeAll(async () => {
  conn = await freshDatabase('pg2tidb_views_execute');
});

afterAll(async () => {
  await conn?.end();
  console.log(`views per file (in / translated / reported):\n${lines.join('\n')}`);
});

describe('translated views execute on tidb-server', () => {
  it('finds the fixtures and corpus files with views', () => {
    expect(cases.filter((c) => c.name.startsWith('corpus')).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.name.startsWith('fixture')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const plain = await translate(c.files, {});
    // Own database names per case, so cases never meet on the shared server.
    const prefix = `vx${++seq}_`;
    const databaseMap = Object.fromEntries(plain.tidb.databases.map((d) => [d.source, `${prefix}${d.name}`.slice(0, 64)]));
    const result = await translate(c.files, { databaseMap });
    const views = result.tidb.views ?? [];
    const ids = result.diagnostics.map((d) => d.id);
    const translated = ids.filter((i) => i === 'view-translated').length;
    const reported = ids.filter((i) => i === 'view-construct-unsupported' || i === 'view-dependency-left-out').length;
    lines.push(`  ${name}: ${result.schema.views.length} / ${translated} / ${reported}`);
    // Every view is accounted for: translated or reported, never silently dropped.
    expect(translated + reported).toBe(result.schema.views.length);
    expect(translated).toBeGreaterThanOrEqual(MINIMUM_TRANSLATED[name] ?? 0);
    try {
      const { rejections } = await executeStatements(conn, emitTidbStatements(result.tidb));
      expect(rejections.map(formatRejection)).toEqual([]);
      const failures: string[] = [];
      for (const v of views) {
        try {
          await conn.query(`SELECT * FROM \`${v.name.database}\`.\`${v.name.name}\` LIMIT 1`);
        } catch (e) {
          failures.push(`${v.name.database}.${v.name.name}: ${(e as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      for (const m of result.tidb.materializedViews ?? []) {
        await conn.query(`INSERT INTO \`${m.table.database}\`.\`${m.table.name}\` (${m.columns.map((x) => `\`${x}\``).join(', ')}) ${m.sql}`);
      }
    } finally {
      await dropDatabases(conn, result.tidb);
    }
  }, 600_000);
});
