// Smoke test of the real tidb-server oracle (test/setup/tidb-server.global.ts):
// the TiDB features pg2tidb's output relies on are accepted and read back as
// expected, and the server rejects what it should.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { freshDatabase } from './helpers/tidb-server.js';

const DB = 'smoke_tidb_server';

let conn: Connection;

async function rows(sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [r] = await conn.query<RowDataPacket[]>(sql, params);
  return r;
}

async function showCreate(table: string): Promise<string> {
  const [r] = await rows(`SHOW CREATE TABLE \`${table}\``);
  return String(r?.['Create Table']);
}

/** The MySQL error number a statement fails with (throws if it succeeds). */
async function errnoOf(sql: string): Promise<number> {
  try {
    await conn.query(sql);
  } catch (err) {
    return (err as { errno?: number }).errno ?? -1;
  }
  throw new Error(`expected an error from: ${sql}`);
}

beforeAll(async () => {
  conn = await freshDatabase(DB);
});

afterAll(async () => {
  await conn?.end();
});

describe('tidb-server oracle', () => {
  it('is TiDB v8.5', async () => {
    const [r] = await rows('SELECT VERSION() AS v, TIDB_VERSION() AS tv');
    expect(String(r?.['v'])).toMatch(/-TiDB-v8\.5/);
    expect(String(r?.['tv'])).toContain('Store: unistore');
  });

  it('accepts and reads back the DDL features pg2tidb emits', async () => {
    await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
    const [g] = await rows('SELECT @@GLOBAL.tidb_enable_check_constraint AS v');
    expect(String(g?.['v'])).toBe('1');

    await conn.query(`
      CREATE TABLE parent (
        id BIGINT NOT NULL /*T![auto_rand] AUTO_RANDOM(5) */,
        code VARCHAR(32) NOT NULL,
        PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
        UNIQUE KEY uk_parent_code (code)
      )`);
    await conn.query(`
      CREATE TABLE child (
        id BIGINT NOT NULL,
        parent_code VARCHAR(32) NOT NULL,
        qty INT NOT NULL,
        doc JSON DEFAULT (JSON_OBJECT()),
        tags JSON,
        created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
        updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
        PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */,
        KEY idx_child_tags ((CAST(tags->'$' AS CHAR(32) ARRAY))),
        CONSTRAINT fk_child_parent FOREIGN KEY (parent_code) REFERENCES parent (code) ON DELETE CASCADE,
        CONSTRAINT chk_child_qty CHECK (qty >= 0)
      )`);

    const parent = await showCreate('parent');
    expect(parent).toContain('/*T![clustered_index] CLUSTERED */');
    expect(parent).toContain('/*T![auto_rand] AUTO_RANDOM(5) */');

    const child = await showCreate('child');
    expect(child).toContain('/*T![clustered_index] CLUSTERED */');
    expect(child).toMatch(/`doc` json DEFAULT \(json_object\(\)\)/);
    expect(child).toContain(
      '`updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)',
    );
    // TiDB spells `tags->'$'` out as json_extract with a charset introducer.
    expect(child).toContain("KEY `idx_child_tags` ((cast(json_extract(`tags`, _utf8mb4'$') as char(32) array)))");
    // TiDB adds an index for the FK's columns, named after the constraint, as MySQL does.
    expect(child).toContain('KEY `fk_child_parent` (`parent_code`)');
    expect(child).toMatch(/CONSTRAINT `fk_child_parent` FOREIGN KEY \(`parent_code`\) REFERENCES `parent` \(`code`\) ON DELETE CASCADE/);
    expect(child).toMatch(/CONSTRAINT `chk_child_qty` CHECK \(\(`qty` >= 0\)\)/);

    const pk = await rows(
      `SELECT TABLE_NAME AS t, TIDB_PK_TYPE AS pk FROM information_schema.tables
        WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
      [DB],
    );
    expect(pk.map((r) => [r['t'], r['pk']])).toEqual([
      ['child', 'CLUSTERED'],
      ['parent', 'CLUSTERED'],
    ]);

    const cols = await rows(
      `SELECT COLUMN_NAME AS c, COLUMN_DEFAULT AS d, EXTRA AS e FROM information_schema.columns
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'child' AND COLUMN_NAME IN ('doc', 'updated_at')
        ORDER BY COLUMN_NAME`,
      [DB],
    );
    expect(cols[0]?.['c']).toBe('doc');
    expect(String(cols[0]?.['d']).toLowerCase()).toBe('json_object()');
    expect(cols[1]?.['c']).toBe('updated_at');
    expect(cols[1]?.['d']).toBe('CURRENT_TIMESTAMP(6)');
    expect(String(cols[1]?.['e'])).toMatch(/on update CURRENT_TIMESTAMP\(6\)/i);

    const fks = await rows(
      `SELECT CONSTRAINT_NAME AS n, REFERENCED_TABLE_NAME AS rt, REFERENCED_COLUMN_NAME AS rc
         FROM information_schema.key_column_usage
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'child' AND REFERENCED_TABLE_NAME IS NOT NULL`,
      [DB],
    );
    expect(fks.map((r) => [r['n'], r['rt'], r['rc']])).toEqual([['fk_child_parent', 'parent', 'code']]);

    const checks = await rows(
      `SELECT CONSTRAINT_NAME AS n, CHECK_CLAUSE AS c FROM information_schema.check_constraints
        WHERE CONSTRAINT_SCHEMA = ?`,
      [DB],
    );
    expect(checks.map((r) => r['n'])).toEqual(['chk_child_qty']);

    // Behaviour, not just metadata.
    await conn.query(`INSERT INTO parent (code) VALUES ('a'), ('b')`);
    const ids = await rows('SELECT id FROM parent ORDER BY code');
    expect(ids).toHaveLength(2);
    for (const r of ids) expect(BigInt(String(r['id']))).toBeGreaterThan(0n);

    await conn.query(`INSERT INTO child (id, parent_code, qty, tags) VALUES (1, 'a', 3, '["x", "y"]')`);
    const [c1] = await rows(
      `SELECT CAST(doc AS CHAR) AS doc, created_at, updated_at FROM child WHERE id = 1`,
    );
    expect(c1?.['doc']).toBe('{}');
    expect(String(c1?.['created_at'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const viaMvi = await rows(`SELECT id FROM child USE INDEX (idx_child_tags) WHERE 'y' MEMBER OF (tags)`);
    expect(viaMvi.map((r) => String(r['id']))).toEqual(['1']);

    expect(await errnoOf(`INSERT INTO child (id, parent_code, qty) VALUES (2, 'zzz', 1)`)).toBe(1452); // FK
    expect(await errnoOf(`INSERT INTO child (id, parent_code, qty) VALUES (3, 'a', -1)`)).toBe(3819); // CHECK
    await conn.query(`DELETE FROM parent WHERE code = 'a'`);
    expect(await rows('SELECT id FROM child')).toEqual([]); // ON DELETE CASCADE
  });

  it('rejects a literal default on a JSON column (1101)', async () => {
    expect(await errnoOf(`CREATE TABLE bad_json (j JSON DEFAULT '{}')`)).toBe(1101);
  });

  it('rejects an index key over 3072 bytes (1071)', async () => {
    expect(
      await errnoOf(`CREATE TABLE bad_key (s VARCHAR(769) CHARACTER SET utf8mb4, KEY idx_s (s))`),
    ).toBe(1071);
  });
});
