/**
 * Emitter tests: Alembic revision and plain SQL migrations (TypeScript: ts-emitter.test.ts).
 * Every test builds TidbSchema values by hand (no transform involved). The Alembic checks that
 * need Python are in emitters-alembic.test.ts (oracles tier).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TidbSchema } from '../src/ir/tidb.js';
import { emitAlembic, escapeTextBinds } from '../src/backends/alembic/index.js';
import { emitSqlMigrations } from '../src/backends/sql-migrations/index.js';
import { emitTypeScript } from '../src/backends/typescript/index.js';
import { diffSchemas, normaliseDdl } from './helpers/ddl-compare.js';
import { droppedObjects, orders, schema, tidbDdl, users } from './helpers/emit-schema.js';

// The DDL normaliser itself (so that "same meaning" cannot pass vacuously).

describe('ddl-compare', () => {
  it('describes every table, column, index and foreign key of the reference DDL', () => {
    const n = normaliseDdl(tidbDdl(schema));
    expect(Object.keys(n.tables).sort()).toEqual(schema.tables.map((t) => `${t.name.database}.${t.name.name}`).sort());
    expect(Object.keys(n.databases).sort()).toEqual(['app', 'audit']);
    expect(Object.keys(n.sequences)).toEqual(['app.order_seq']);
    const u = n.tables['app.users']!;
    expect(Object.keys(u.columns)).toEqual(users.columns.map((c) => c.name));
    expect(u.columns['id']!.autoRandom).toBe('5,54');
    expect(u.primaryKey).toEqual({ columns: ['id'], clustered: 'CLUSTERED' });
    expect(Object.keys(u.indexes).sort()).toEqual(users.indexes.map((i) => i.name).sort());
    expect(n.tables['app.cyc_a']!.foreignKeys['cyc_a_b_fk']).toBeDefined();
    expect(n.tables['app.events']!.partitioning).toMatch(/^RANGE/);
  });

  it('tells different schemas apart', () => {
    const a = normaliseDdl(tidbDdl(schema));
    const changed: TidbSchema = {
      ...schema,
      tables: schema.tables.map((t) =>
        t === orders ? { ...t, columns: t.columns.map((c) => (c.name === 'qty' ? { ...c, nullable: true } : c)) } : t,
      ),
    };
    const b = normaliseDdl(tidbDdl(changed));
    expect(diffSchemas(a, b)).not.toEqual([]);
    expect(diffSchemas(a, normaliseDdl(tidbDdl(schema)))).toEqual([]);
  });
});

// Alembic (what needs no Python; the Python checks are in emitters-alembic.test.ts)

describe('alembic', () => {
  const opts = { sourceName: 'fixtures/schema.sql', generatorVersion: '0.1.0-test' };

  it('is deterministic and derives the revision id from the content', () => {
    const a = emitAlembic(schema, opts);
    expect(emitAlembic(schema, opts)).toBe(a);
    const rev = /^revision: str = "([0-9a-f]{12})"$/m.exec(a)?.[1];
    expect(rev).toBeDefined();
    expect(a).not.toMatch(/Create Date:/);
    const other = emitAlembic({ ...schema, tables: schema.tables.slice(0, 3) }, opts);
    expect(/^revision: str = "([0-9a-f]{12})"$/m.exec(other)?.[1]).not.toBe(rev);
    const given = emitAlembic(schema, { ...opts, revision: 'abc123', downRevision: 'fff000', message: 'Init' });
    expect(given).toMatch(/^revision: str = "abc123"$/m);
    expect(given).toMatch(/^down_revision: Union\[str, None\] = "fff000"$/m);
    expect(given.startsWith('"""Init\n')).toBe(true);
  });

  it('escapes text() bind look-alikes exactly where SQLAlchemy would see one', () => {
    expect(escapeTextBinds("a = ':x' AND b::int AND '12:30'")).toBe("a = '\\:x' AND b::int AND '12:30'");
  });
});

// SQL migrations

describe('sql migrations', () => {
  it('names files as each runner expects', () => {
    const names = (format: 'golang-migrate' | 'flyway' | 'dbmate' | 'plain', version?: string) =>
      emitSqlMigrations(schema, { format, name: 'Init Schema!', ...(version ? { version } : {}) }).map((f) => f.path);
    expect(names('golang-migrate')).toEqual(['000001_init_schema.up.sql', '000001_init_schema.down.sql']);
    expect(names('golang-migrate', '20240101120000')).toEqual([
      '20240101120000_init_schema.up.sql',
      '20240101120000_init_schema.down.sql',
    ]);
    expect(names('flyway')).toEqual(['V1__init_schema.sql', 'U1__init_schema.sql']);
    expect(names('flyway', '2.1')).toEqual(['V2.1__init_schema.sql', 'U2.1__init_schema.sql']);
    expect(names('dbmate', '20240101120000')).toEqual(['20240101120000_init_schema.sql']);
    expect(names('plain')).toEqual(['up.sql', 'down.sql']);
    expect(() => emitSqlMigrations(schema, { format: 'golang-migrate', version: 'v1' })).toThrow();
  });

  for (const format of ['golang-migrate', 'flyway', 'dbmate', 'plain'] as const) {
    it(`${format}: up equals the TiDB DDL by meaning, is idempotent where TiDB allows, down drops all`, () => {
      const files = emitSqlMigrations(schema, { format });
      let up: string;
      let down: string;
      if (format === 'dbmate') {
        const c = files[0]!.content;
        const i = c.indexOf('-- migrate:down');
        expect(c.startsWith('-- migrate:up')).toBe(true);
        expect(i).toBeGreaterThan(0);
        up = c.slice(0, i);
        down = c.slice(i);
      } else {
        up = files[0]!.content;
        down = files[1]!.content;
      }
      expect(diffSchemas(normaliseDdl(tidbDdl(schema)), normaliseDdl(up))).toEqual([]);
      const stmts = splitStatements(up);
      for (const st of stmts) {
        if (/^CREATE (TABLE|DATABASE|SEQUENCE)/.test(st)) expect(st).toMatch(/^CREATE \w+ IF NOT EXISTS /);
      }
      // One statement per DDL: tables + databases + sequences + deferred FKs.
      expect(stmts.length).toBe(
        schema.tables.length + schema.databases.length + schema.sequences.length + schema.deferredForeignKeys.length,
      );
      expect(up).toMatch(/no ADD FOREIGN KEY IF NOT EXISTS/);
      const dropped = droppedObjects(down);
      expect(dropped.tables.sort()).toEqual(schema.tables.map((t) => `${t.name.database}.${t.name.name}`).sort());
      expect(dropped.sequences).toEqual(['app.order_seq']);
      expect(dropped.databases).toEqual(['audit', 'app']);
      expect(dropped.order[0]).toBe('fk:app.cyc_a.cyc_a_b_fk');
      expect(down).toMatch(/DROP TABLE IF EXISTS /);
    });
  }
});

function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.length > 0);
}

// Exposed for debugging: PG2TIDB_DUMP_EMIT=<dir> writes every output there.
if (process.env['PG2TIDB_DUMP_EMIT']) {
  const d = process.env['PG2TIDB_DUMP_EMIT'];
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'migration.py'), emitAlembic(schema, { sourceName: 'fixtures/schema.sql', generatorVersion: '0.1.0-test' }));
  writeFileSync(join(d, 'tidb.sql'), tidbDdl(schema));
  for (const f of emitSqlMigrations(schema, { format: 'plain' })) writeFileSync(join(d, f.path), f.content);
  writeFileSync(
    join(d, 'models.ts'),
    emitTypeScript(schema, {
      driver: 'mysql2',
      style: 'kysely',
      bigNumberStrings: true,
      dateStrings: false,
      tinyint1AsBoolean: false,
      sourceName: 's',
      generatorVersion: 'v',
      optionsSummary: 'o',
    }),
  );
}
