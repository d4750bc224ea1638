// The names the PostgreSQL frontend gives unnamed constraints and indexes, judged by PostgreSQL 15
// itself: each input runs in a fresh database and pg_constraint / pg_indexes are read back.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPostgres } from '../src/frontends/postgres/index.js';
import { databaseUrl, pgDrop, pgLoad, PSQL, startPostgres } from './helpers/data-load.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
let pgUrl: string | undefined;
let pgUnavailable: string | undefined;
const dbs: string[] = [];

beforeAll(() => {
  const p = startPostgres();
  pgUrl = p.url;
  pgUnavailable = p.unavailable;
  if (pgUnavailable) console.warn(`[pg-implicit-names] SKIPPED: ${pgUnavailable}`);
}, 300_000);

afterAll(() => {
  if (pgUrl) for (const db of dbs) pgDrop(pgUrl, db);
});

/** Collisions, truncation, multibyte names, expressions, INCLUDE and EXCLUDE, in two schemas. */
const EDGE_CASES = `
CREATE SCHEMA other;
CREATE TABLE t (id int PRIMARY KEY, x_y int REFERENCES t (id), a int, b int, CHECK (a > 0), CHECK (a < 10), CHECK (a < b));
CREATE TABLE t_x (y int REFERENCES t (id), z int UNIQUE, CONSTRAINT t_x_z_key CHECK (z > 0));
CREATE TABLE other.t (id int PRIMARY KEY, x_y int REFERENCES other.t (id));
CREATE TABLE t_pkey1 (id int);
CREATE TABLE "Mixed Case" ("Col A" int PRIMARY KEY, "ünïcødé_ßpalte_mit_einem_sehr_langen_namen_der_abgeschnitten_wird" int UNIQUE);
CREATE TABLE ${'n'.repeat(40)} (${'c'.repeat(40)} int PRIMARY KEY, ${'d'.repeat(10)} int REFERENCES ${'n'.repeat(40)});
CREATE TABLE ex (a int, b int, c text, EXCLUDE USING btree (a WITH =, b WITH =), EXCLUDE USING btree ((a + b) WITH =), UNIQUE (a) INCLUDE (b, c));
CREATE INDEX ON ex (a, a);
CREATE INDEX ON ex ((a + 1));
CREATE INDEX ON ex ((a::text), coalesce(c, ''), lower(c));
CREATE INDEX ON ex (c) INCLUDE (a);
CREATE UNIQUE INDEX ON ex (b);
CREATE INDEX ON ex ((c::varchar));
ALTER TABLE ex ADD UNIQUE (b, c);
ALTER TABLE ex ADD CHECK (c <> '');
ALTER TABLE t_x ADD FOREIGN KEY (z) REFERENCES t (id);
ALTER TABLE t_x ADD FOREIGN KEY (z) REFERENCES t (id);
`;

interface Named { readonly table: string; readonly kind: string; readonly name: string }
const line = (n: Named) => `${n.table} ${n.kind} ${n.name}`;

function pgNames(db: string): string[] {
  const sql = `
    SELECT n.nspname || '.' || c.relname, con.contype, con.conname
      FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND con.contype IN ('p', 'u', 'f', 'c', 'x')
    UNION ALL
    SELECT i.schemaname || '.' || i.tablename, 'i', i.indexname FROM pg_indexes i
     WHERE i.schemaname NOT IN ('pg_catalog', 'information_schema')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = i.schemaname AND con.conname = i.indexname)`;
  const out = execFileSync(PSQL, [databaseUrl(pgUrl!, db), '-XAt', '-F', '\t', '-c', sql], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '').map((l) => {
    const [table, kind, name] = l.split('\t') as [string, string, string];
    return line({ table, kind, name });
  }).sort();
}

async function ourNames(path: string, text: string): Promise<string[]> {
  const schema = await readPostgres([{ path, text }]);
  const out: Named[] = [];
  for (const t of schema.tables) {
    const table = `${t.name.schema}.${t.name.name}`;
    const add = (kind: string, name: string | undefined) => out.push({ table, kind, name: name ?? '(unnamed)' });
    if (t.primaryKey) add('p', t.primaryKey.name);
    for (const u of t.uniques) add('u', u.name);
    for (const f of t.foreignKeys) add('f', f.name);
    for (const c of t.checks) add('c', c.name);
    for (const x of t.excludes) add('x', x.name);
    for (const i of t.indexes) add('i', i.name);
  }
  return out.map(line).sort();
}

const CASES: readonly { name: string; text: () => string }[] = [
  { name: 'fixtures/implicit-names', text: () => readFileSync('fixtures/implicit-names/input.sql', 'utf8') },
  { name: 'edge cases', text: () => EDGE_CASES },
];

describe('implicit constraint and index names match PostgreSQL 15', () => {
  for (const [i, c] of CASES.entries()) {
    it(c.name, async (ctx) => {
      if (pgUnavailable) ctx.skip();
      const db = `pgnames_${runId}_${i}`;
      dbs.push(db);
      const dir = mkdtempSync(join(tmpdir(), 'pgnames-'));
      const file = join(dir, 'input.sql');
      writeFileSync(file, c.text());
      pgLoad(pgUrl!, db, [file]);
      const expected = pgNames(db);
      expect(expected.length).toBeGreaterThan(5);
      expect(await ourNames(file, c.text())).toEqual(expected);
    }, 120_000);
  }
});
