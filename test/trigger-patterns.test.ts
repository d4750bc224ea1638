// Issue 14 part 4: a BEFORE UPDATE trigger that only stamps NEW.col with now() becomes
// ON UPDATE CURRENT_TIMESTAMP. Proven on both engines: the fixture trigger-patterns runs in
// PostgreSQL 15 (with its triggers) and, translated, on the run's tidb-server; the same UPDATE
// changes the stamped columns in both. The one difference the diagnostic predicts is pinned too:
// an UPDATE that changes no value fires PostgreSQL's trigger but not TiDB's ON UPDATE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import { translate } from '../src/index.js';
import { databaseUrl, pgDrop, pgLoad, startPostgres } from './helpers/data-load.js';
import { CORPUS, FIXTURES, readCorpus } from './helpers/fixtures.js';
import { connectionOptions, injectedTidb } from './helpers/tidb-server.js';

const INPUT = join(FIXTURES, 'trigger-patterns', 'input.sql');
const PG_DB = 'pg2tidb_trigger_patterns';
const TIDB_DB = 'trigger_patterns_t';
const OLD = '2001-02-03 04:05:06';

const pgUp = startPostgres();
let client: pg.Client | undefined;
let conn: Connection;

beforeAll(async () => {
  if (pgUp.url) {
    pgLoad(pgUp.url, PG_DB, [INPUT]);
    client = new pg.Client({ connectionString: databaseUrl(pgUp.url, PG_DB) });
    await client.connect();
  }
  const result = await translate([{ path: 'input.sql', text: readFileSync(INPUT, 'utf8') }], { databaseMap: { public: TIDB_DB } });
  const mysql = await import('mysql2/promise');
  conn = await mysql.createConnection(connectionOptions(await injectedTidb()));
  await conn.query(`DROP DATABASE IF EXISTS \`${TIDB_DB}\``);
  for (const st of result.statements) await conn.query(st.sql);
}, 120_000);

afterAll(async () => {
  await client?.end();
  if (pgUp.url) pgDrop(pgUp.url, PG_DB);
  await conn?.query(`DROP DATABASE IF EXISTS \`${TIDB_DB}\``);
  await conn?.end();
});

async function pgStamp(sql: string): Promise<string> {
  await client!.query(sql);
  const r = await client!.query<{ v: string }>(`SELECT to_char(last_update, 'YYYY-MM-DD HH24:MI:SS') AS v FROM account WHERE id = 1`);
  return r.rows[0]!.v;
}

async function tidbStamp(sql: string): Promise<string> {
  await conn.query(sql);
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT DATE_FORMAT(last_update, '%Y-%m-%d %H:%i:%s') AS v FROM \`${TIDB_DB}\`.account WHERE id = 1`);
  return String(rows[0]!['v']);
}

describe('trigger patterns on both engines', () => {
  it.skipIf(!pgUp.url)('an UPDATE that changes the row stamps last_update in PostgreSQL and in TiDB', async () => {
    await client!.query(`INSERT INTO account VALUES (1, 'a', '${OLD}')`);
    await conn.query(`INSERT INTO \`${TIDB_DB}\`.account VALUES (1, 'a', '${OLD}')`);
    expect(await pgStamp(`SELECT 1`)).toBe(OLD);
    expect(await tidbStamp(`SELECT 1`)).toBe(OLD);
    const pgAfter = await pgStamp(`UPDATE account SET name = 'b' WHERE id = 1`);
    const tidbAfter = await tidbStamp(`UPDATE \`${TIDB_DB}\`.account SET name = 'b' WHERE id = 1`);
    console.log(`last_update after UPDATE: PostgreSQL ${pgAfter}, TiDB ${tidbAfter} (was ${OLD})`);
    expect(pgAfter > OLD).toBe(true);
    expect(tidbAfter > OLD).toBe(true);
  });

  it.skipIf(!pgUp.url)('an UPDATE that changes no value: PostgreSQL stamps, TiDB does not (what trigger-converted says)', async () => {
    // The stamped column is set by the trigger even here, so reset it with the trigger off.
    await client!.query(`ALTER TABLE account DISABLE TRIGGER last_updated; UPDATE account SET last_update = '${OLD}'; ALTER TABLE account ENABLE TRIGGER last_updated`);
    await conn.query(`UPDATE \`${TIDB_DB}\`.account SET last_update = '${OLD}' WHERE id = 1`);
    expect(await pgStamp(`UPDATE account SET name = name WHERE id = 1`) > OLD).toBe(true);
    expect(await tidbStamp(`UPDATE \`${TIDB_DB}\`.account SET name = name WHERE id = 1`)).toBe(OLD);
    const result = await translate([{ path: 'input.sql', text: readFileSync(INPUT, 'utf8') }]);
    const converted = result.diagnostics.find((d) => d.id === 'trigger-converted' && d.subject.table === 'account');
    expect(converted?.fix).toMatch(/only when the UPDATE changes some value/);
  });

  it('sakila: every last_update column carries ON UPDATE CURRENT_TIMESTAMP, and only last_updated is converted', async () => {
    const result = await translate([readCorpus(join(CORPUS, 'pairs', 'sakila', 'pg.sql'))]);
    const stamped = result.tidb.tables.filter((t) => t.columns.some((c) => c.name === 'last_update'));
    expect(stamped.length).toBeGreaterThan(10);
    for (const t of stamped) expect(t.columns.find((c) => c.name === 'last_update')?.onUpdateCurrentTimestamp, t.name.name).toEqual({ fsp: 6 });
    const converted = result.diagnostics.filter((d) => d.id === 'trigger-converted');
    const triggers = converted.filter((d) => d.subject.kind === 'trigger');
    console.log(`sakila: ${triggers.length} triggers converted, ${converted.length - triggers.length} function(s) no longer needed`);
    expect(triggers.length).toBe(14); // sakila's last_updated trigger, one per table with last_update
    expect(converted.length - triggers.length).toBe(1);
    expect(result.diagnostics.some((d) => d.id === 'object-not-supported' && d.subject.name === 'film_fulltext_trigger')).toBe(true);
  });
});
