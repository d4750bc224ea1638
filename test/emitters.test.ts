/**
 * Emitter tests: Alembic revision, plain SQL migrations, TypeScript model types.
 * Every test builds TidbSchema values by hand (no transform involved). The Alembic checks that
 * need Python are in emitters-alembic.test.ts (oracles tier).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { TidbSchema } from '../src/ir/tidb.js';
import { emitAlembic, escapeTextBinds } from '../src/backends/alembic/index.js';
import { emitSqlMigrations } from '../src/backends/sql-migrations/index.js';
import { emitTypeScript, type TypeScriptOptions } from '../src/backends/typescript/index.js';
import { diffSchemas, normaliseDdl } from './helpers/ddl-compare.js';
import { col, droppedObjects, emptySchema, orders, schema, T, table, tidbDdl, users } from './helpers/emitter-schema.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tmp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pg2tidb-${prefix}-`));
}

const dirs: string[] = [];
afterAll(() => {
  if (process.env['PG2TIDB_KEEP_TMP']) return;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// TypeScript

const tsc = join(repo, 'node_modules/.bin/tsc');

/** Mirrors kysely's own definitions of these helper types (kysely is not a dependency). */
const KYSELY_STUB = `declare module 'kysely' {
  export type ColumnType<SelectType, InsertType = SelectType, UpdateType = SelectType> = {
    readonly __select__: SelectType;
    readonly __insert__: InsertType;
    readonly __update__: UpdateType;
  };
  export type Generated<S> = ColumnType<S, S | undefined, S>;
  export type GeneratedAlways<S> = ColumnType<S, never, never>;
  export type Selectable<R> = { [K in keyof R]: R[K] extends ColumnType<infer S, any, any> ? S : R[K] };
  export class Kysely<DB> {
    selectFrom<T extends keyof DB & string>(table: T): { selectAll(): { execute(): Promise<Selectable<DB[T]>[]> } };
  }
}
`;

function typecheck(files: Record<string, string>): { status: number | null; out: string } {
  const dir = tmp('ts');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noUnusedLocals: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(repo, 'node_modules/@types')],
      },
      include: ['*.ts'],
    }),
  );
  const r = spawnSync(tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') };
}

describe('typescript', { timeout: 180_000 }, () => {
  const base: TypeScriptOptions = {
    driver: 'mysql2',
    style: 'plain',
    bigNumberStrings: true,
    dateStrings: false,
    tinyint1AsBoolean: false,
    sourceName: 'fixtures/schema.sql',
    generatorVersion: '0.1.0-test',
    optionsSummary: 'uuid=binary16 timestamptz=datetime',
  };

  it('is deterministic and names the source, options and generator', () => {
    const a = emitTypeScript(schema, base);
    expect(emitTypeScript(schema, base)).toBe(a);
    expect(a).toContain('fixtures/schema.sql');
    expect(a).toContain('0.1.0-test');
    expect(a).toContain('uuid=binary16 timestamptz=datetime');
    expect(a).toContain('driver=mysql2');
  });

  it('maps types as mysql2 returns them, per option', () => {
    const a = emitTypeScript(schema, base);
    expect(a).toMatch(/export interface AppOrders \{[^}]*"id": string;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"balance": string;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"is_active": number;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"created_at": Date;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"uuid": Buffer;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"status": "active" \| "it's" \| "50% off" \| "a:b";/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"touched_at": Date \| null;/s);
    const b = emitTypeScript(schema, { ...base, bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true });
    expect(b).toMatch(/export interface AppOrders \{[^}]*"id": number;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"is_active": boolean;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
    const sl = emitTypeScript(schema, { ...base, driver: 'tidb-serverless' });
    expect(sl).toMatch(/export interface AppUsers \{[^}]*"uuid": Uint8Array;/s);
    expect(sl).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
    expect(sl).toMatch(/export interface AppOrders \{[^}]*"id": string;/s);
    expect(sl).toMatch(/docs\.pingcap\.com/);
  });

  for (const driver of ['mysql2', 'tidb-serverless'] as const) {
    for (const variant of [
      { bigNumberStrings: true, dateStrings: false, tinyint1AsBoolean: false },
      { bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true, jsonType: 'unknown' },
    ]) {
      it(`plain ${driver} ${JSON.stringify(variant)}: type-checks with tsc --strict together with a usage file`, () => {
        const models = emitTypeScript(schema, { ...base, ...variant, driver });
        const usage = `import type { AppUsers, AppUsersInsert, AppWeirdTable, AppWeirdTableInsert, App2nd, AppDefault, AppWeirdTable2 } from './models.js';
const u: AppUsersInsert = { email: 'a@b.c' };
void u;
declare const row: AppUsers;
const s: string = row.email;
const n: number | null = row['tags'] === null ? null : 1;
void s; void n;
const w: AppWeirdTableInsert = { order: 1, '2fa code': null, 'quo"te': 2, "it's": 3, 'back\`tick': 4, 'naïve': 5, class: 6 };
void w;
declare const wr: AppWeirdTable;
const k: 'a"b' | "c'd" | 'e\\\\f' | null = wr.kind;
void k;
declare const x: App2nd & AppDefault & AppWeirdTable2;
void x;
`;
        // email_lower is generated: it must not be assignable in the insert type.
        const bad = `import type { AppUsersInsert } from './models.js';
const u: AppUsersInsert = { email: 'a@b.c', email_lower: 'x' };
void u;
`;
        // One tsc run: models.ts and usage.ts must be clean, bad.ts must fail on email_lower only.
        const r = typecheck({ 'models.ts': models, 'usage.ts': usage, 'bad.ts': bad });
        const errors = r.out.split('\n').filter((l) => /error TS/.test(l));
        expect(errors.length, r.out).toBeGreaterThan(0);
        expect(errors.filter((l) => !l.startsWith('bad.ts')), r.out).toEqual([]);
        expect(r.out).toMatch(/email_lower/);
      });
    }
  }

  it('kysely style: a DB interface that works with selectFrom (kysely stub mirrors its types)', () => {
    const models = emitTypeScript(schema, { ...base, style: 'kysely' });
    expect(models).toMatch(/^import type \{ ColumnType, Generated \} from 'kysely';$/m);
    expect(models).toMatch(/export interface DB \{/);
    const usage = `import { Kysely } from 'kysely';
import type { DB } from './models.js';
declare const db: Kysely<DB>;
async function main(): Promise<void> {
  const rows = await db.selectFrom('app.users').selectAll().execute();
  const id: string = rows[0]!.id;
  const email: string = rows[0]!.email;
  const w = await db.selectFrom('app.weird table').selectAll().execute();
  const q: number | null = w[0]!['quo"te'];
  void id; void email; void q;
}
void main;
`;
    const r = typecheck({ 'models.ts': models, 'usage.ts': usage, 'kysely.d.ts': KYSELY_STUB });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  it('random table, column, enum and comment text still type-checks, with unique type names', () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ unit: fc.constantFrom('a', 'B', '1', "'", '"', '\\', '`', ' ', '*/', '/*', '\n', '\u2028', '$', '-', 'é', '中'), maxLength: 30 }),
    );
    const name = text.filter((s) => s.length > 0);
    const tables = fc.sample(
      fc.record({
        table: name,
        comment: fc.option(text, { nil: undefined }),
        cols: fc.uniqueArray(fc.record({ name, comment: fc.option(text, { nil: undefined }), values: fc.uniqueArray(text, { maxLength: 3 }) }), {
          minLength: 1,
          maxLength: 4,
          selector: (c) => c.name,
        }),
      }),
      { numRuns: 30, seed: 42 },
    );
    const seen = new Set<string>();
    const s: TidbSchema = {
      ...emptySchema,
      tables: tables
        .filter((x) => !seen.has(x.table) && seen.add(x.table))
        .map((x) =>
          table('db', x.table, {
            ...(x.comment !== undefined ? { comment: x.comment } : {}),
            columns: x.cols.map((c) =>
              col(c.name, c.values.length ? T('ENUM', { values: c.values }) : T('JSON'), c.comment !== undefined ? { comment: c.comment } : {}),
            ),
          }),
        ),
    };
    for (const style of ['plain', 'kysely'] as const) {
      const models = emitTypeScript(s, { ...base, style });
      const names = [...models.matchAll(/^export interface (\w+) /gm)].map((m) => m[1]!);
      expect(new Set(names).size).toBe(names.length);
      const files: Record<string, string> = { 'models.ts': models };
      if (style === 'kysely') files['kysely.d.ts'] = KYSELY_STUB;
      const r = typecheck(files);
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('empty schema still type-checks', () => {
    const r = typecheck({ 'models.ts': emitTypeScript(emptySchema, base) });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });
});

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
