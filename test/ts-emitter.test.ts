/**
 * TypeScript emitter tests: types per driver and option, and a strict type-check of models.ts where
 * each driver runs (test/helpers/ts-check.ts: in-process, mysql2 on Node types, the serverless driver
 * on ES2022 + DOM without Node types), for the hand-built schema and for every fixture.
 * No oracle is needed; the values mysql2 really returns are checked in test/ts-runtime.test.ts.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TidbSchema } from '../src/ir/tidb.js';
import { emitTypeScript, type TypeScriptOptions } from '../src/backends/typescript/index.js';
import { translate } from '../src/index.js';
import { renderOutputs } from '../src/outputs.js';
import { col, emptySchema, schema, T, table } from './helpers/emit-schema.js';
import { listFixtures } from './helpers/fixtures.js';
import { typecheckInProcess, type TsRuntime } from './helpers/ts-check.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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

/** Where each driver runs: mysql2 on Node (with @types/node), the serverless driver on edge runtimes (no Node types). */
const RUNTIME = { mysql2: 'node', 'tidb-serverless': 'edge' } as const satisfies Record<TypeScriptOptions['driver'], TsRuntime>;

/** tsc-style diagnostics of `files` type-checked together (in-process, strict); '' when clean. */
function typecheck(files: Record<string, string>, runtime: TsRuntime = 'node'): string {
  return typecheckInProcess(files, runtime, repo);
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
  const clean = (out: string): void => expect(out).toBe('');

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
    expect(a).toMatch(/export interface AppOrders \{[^}]*"flags": Buffer \| null;[^}]*"raw": Buffer \| null;[^}]*"digest": Buffer \| null;/s);
    expect(a).toMatch(/export interface AppOrders \{[^}]*"embedding": string \| null;/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"status": "active" \| "it's" \| "50% off" \| "a:b";/s);
    expect(a).toMatch(/export interface AppUsers \{[^}]*"touched_at": Date \| null;/s);
    expect(a).toMatch(/^import type \{ Buffer \} from 'node:buffer';$/m);
    expect(a).toMatch(/^\/\/ Connect with \{ supportBigNumbers: true, bigNumberStrings: true, dateStrings: false, decimalNumbers: false \}\.$/m);
    const b = emitTypeScript(schema, { ...base, bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true, decimalNumbers: true });
    expect(b).toMatch(/export interface AppOrders \{[^}]*"id": number;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"balance": number;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"is_active": boolean;/s);
    expect(b).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
    expect(b).toMatch(/^\/\/ Connect with \{ supportBigNumbers: false, bigNumberStrings: false, dateStrings: true, decimalNumbers: true \} and a typeCast that returns TINYINT\(1\) as boolean\.$/m);
  });

  it('maps types as @tidbcloud/serverless returns them, with web-standard types only', () => {
    // Its options do not exist for this driver: the same types whatever they say.
    for (const o of [base, { ...base, bigNumberStrings: false, dateStrings: false, decimalNumbers: true }]) {
      const sl = emitTypeScript(schema, { ...o, driver: 'tidb-serverless' });
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"uuid": Uint8Array<ArrayBuffer>;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"flags": Uint8Array<ArrayBuffer> \| null;[^}]*"raw": Uint8Array<ArrayBuffer> \| null;[^}]*"digest": Uint8Array<ArrayBuffer> \| null;/s);
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"created_at": string;/s);
      expect(sl).toMatch(/export interface AppUsers \{[^}]*"balance": string;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"id": string;/s);
      expect(sl).toMatch(/export interface AppOrders \{[^}]*"qty": number;/s);
      expect(sl).toMatch(/docs\.pingcap\.com/);
      expect(sl).not.toMatch(/\bBuffer\b|node:/);
    }
    // Its decoders are per type name and a BOOLEAN is sent as "TINYINT": a boolean decoder converts every TINYINT.
    const decoded = emitTypeScript(schema, { ...base, driver: 'tidb-serverless', tinyint1AsBoolean: true });
    expect(decoded).toMatch(/export interface AppUsers \{[^}]*"is_active": boolean;/s);
    expect(decoded).toMatch(/export interface AppOrders \{[^}]*"tiny": boolean \| null;/s);
    expect(emitTypeScript(schema, { ...base, tinyint1AsBoolean: true })).toMatch(/export interface AppOrders \{[^}]*"tiny": number \| null;/s);
  });

  it('text declared CHARACTER SET binary is binary for both drivers (TiDB stores it as BINARY/VARBINARY/BLOB)', () => {
    const s: TidbSchema = {
      ...emptySchema,
      tables: [table('db', 'bin', { columns: [col('v', T('VARCHAR', { length: 8, charset: 'binary' }), { nullable: false }), col('t', T('TEXT', { charset: 'binary' }))] })],
    };
    expect(emitTypeScript(s, base)).toMatch(/"v": Buffer;\n[^]*"t": Buffer \| null;/);
    expect(emitTypeScript(s, { ...base, driver: 'tidb-serverless' })).toMatch(/"v": Uint8Array<ArrayBuffer>;\n[^]*"t": Uint8Array<ArrayBuffer> \| null;/);
  });

  it('no table type shadows a global type the rows use (array.buffer would be ArrayBuffer)', () => {
    const s: TidbSchema = {
      ...emptySchema,
      tables: [
        table('array', 'buffer', { columns: [col('b', T('BLOB'))] }),
        table('uint8', 'array', { columns: [col('b', T('BLOB'))] }),
        table('', 'buffer', { columns: [col('b', T('BLOB'))] }),
        table('', 'date', { columns: [col('d', T('DATE'))] }),
      ],
    };
    for (const driver of ['mysql2', 'tidb-serverless'] as const) clean(typecheck({ 'models.ts': emitTypeScript(s, { ...base, driver }) }, RUNTIME[driver]));
  });

  it('imports Buffer only where a column uses it', () => {
    const s: TidbSchema = { ...emptySchema, tables: [table('db', 'plain', { columns: [col('n', T('INT'))] })] };
    const models = emitTypeScript(s, base);
    expect(models).not.toMatch(/: Buffer\b/);
    expect(models).not.toMatch(/^import/m);
    clean(typecheck({ 'models.ts': models }));
  });

  it("the edge check has no Node types: mysql2's Buffer import fails there, so the serverless check can fail", () => {
    const out = typecheck({ 'models.ts': emitTypeScript(schema, base) }, 'edge');
    const errors = out.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.length, out).toBe(1);
    expect(errors[0]).toMatch(/^models\.ts\(\d+,\d+\): error TS\d+: Cannot find (module|name) 'node:buffer'/);
  });

  const usageFor = {
    // Rows typed through mysql2's own typings; Node's Buffer API on a binary column (the import is Node's Buffer).
    mysql2: `import type { Connection, RowDataPacket } from 'mysql2/promise';
declare const conn: Connection;
export async function read(): Promise<string> {
  const [rows] = await conn.query<(AppUsers & RowDataPacket)[]>('SELECT * FROM app.users');
  const id: string | number = rows[0]!.id;
  return String(id) + rows[0]!.uuid.toString('hex');
}
`,
    // What an edge handler does with a binary column: web APIs only.
    'tidb-serverless': `declare const r: AppUsers;\nconst text: string = new TextDecoder().decode(r.uuid);\nconst res: Response = new Response(r.uuid);\nvoid text; void res;\n`,
  } as const;

  for (const driver of ['mysql2', 'tidb-serverless'] as const) {
    for (const variant of [
      { bigNumberStrings: true, dateStrings: false, tinyint1AsBoolean: false },
      { bigNumberStrings: false, dateStrings: true, tinyint1AsBoolean: true, jsonType: 'unknown' },
    ]) {
      it(`plain ${driver} ${JSON.stringify(variant)}: type-checks strictly on ${RUNTIME[driver]} together with a usage file`, () => {
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
${usageFor[driver]}`;
        // email_lower is generated: it must not be assignable in the insert type.
        const bad = `import type { AppUsersInsert } from './models.js';
const u: AppUsersInsert = { email: 'a@b.c', email_lower: 'x' };
void u;
`;
        // One check: models.ts and usage.ts must be clean, bad.ts must fail on email_lower only.
        const out = typecheck({ 'models.ts': models, 'usage.ts': usage, 'bad.ts': bad }, RUNTIME[driver]);
        const errors = out.split('\n').filter((l) => /error TS/.test(l));
        expect(errors.length, out).toBeGreaterThan(0);
        expect(errors.filter((l) => !l.startsWith('bad.ts')), out).toEqual([]);
        expect(out).toMatch(/email_lower/);
      });
    }

    it(`kysely style, ${driver}: a DB interface that works with selectFrom on ${RUNTIME[driver]} (kysely stub mirrors its types)`, () => {
      const models = emitTypeScript(schema, { ...base, driver, style: 'kysely' });
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
      clean(typecheck({ 'models.ts': models, 'usage.ts': usage, 'kysely.d.ts': KYSELY_STUB }, RUNTIME[driver]));
    });
  }

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
      clean(typecheck(files));
    }
  });

  it('views: read-only row types from the inferred column types, `unknown` where none, BIGINT allowed for integer expressions; kysely: selectable only', () => {
    const s: TidbSchema = {
      ...emptySchema,
      databases: [{ name: 'db', charset: 'utf8mb4', collation: 'utf8mb4_bin', source: 'public' }],
      views: [
        {
          name: { database: 'db', name: 'order_totals' },
          columns: ['customer', 'total', 'n', 'extra', 'doc'],
          columnTypes: [{ type: T('VARCHAR', { length: 40 }), nullable: false }, { type: T('DECIMAL', { precision: 12, scale: 2 }), nullable: true }, { type: T('INT'), orType: T('BIGINT'), nullable: false }, { nullable: true }, { type: T('JSON'), nullable: true }],
          sql: 'SELECT 1',
          dependencies: [],
        },
      ],
    };
    const plain = emitTypeScript(s, base);
    expect(plain).toContain('export interface DbOrderTotals {\n');
    expect(plain).toContain('  readonly "customer": string;\n');
    expect(plain).toContain('  readonly "total": string | null;\n');
    expect(plain).toContain('  /** `INT (BIGINT if TiDB computes it)` */\n  readonly "n": number | string;\n');
    expect(plain).toMatch(/not inferable from the view's query.*\n {2}readonly "extra": unknown;/);
    expect(plain).toContain('  readonly "doc": JsonValue | null;\n');
    expect(plain).not.toContain('DbOrderTotalsInsert');
    const read = `import type { DbOrderTotals } from './models.js';\nexport const f = (r: DbOrderTotals): string => r.customer + String(r.n);\n`;
    clean(typecheck({ 'models.ts': plain, 'read.ts': read }));
    // Read-only: an assignment is a type error.
    expect(typecheck({ 'models.ts': plain, 'write.ts': `import type { DbOrderTotals } from './models.js';\nexport const f = (r: DbOrderTotals): void => { r.customer = 'x'; };\n` })).toMatch(/TS2540/);
    const kysely = emitTypeScript(s, { ...base, style: 'kysely' });
    expect(kysely).toMatch(/^import type \{ ColumnType \} from 'kysely';$/m);
    expect(kysely).toContain('  "customer": ColumnType<string, never, never>;\n');
    expect(kysely).toContain('  "db.order_totals": DbOrderTotalsView;\n');
    const usage = `import { Kysely } from 'kysely';\nimport type { DB } from './models.js';\nexport async function f(db: Kysely<DB>): Promise<string> {\n  const [r] = await db.selectFrom('db.order_totals').selectAll().execute();\n  return r ? r.customer : '';\n}\n`;
    clean(typecheck({ 'models.ts': kysely, 'usage.ts': usage, 'kysely.d.ts': KYSELY_STUB }));
  });

  it('empty schema still type-checks', () => {
    for (const driver of ['mysql2', 'tidb-serverless'] as const) clean(typecheck({ 'models.ts': emitTypeScript(emptySchema, { ...base, driver }) }, RUNTIME[driver]));
  });
});

describe('typescript on every fixture', { timeout: 180_000 }, () => {
  // Each fixture's models.ts, per driver and style, checked where that driver runs: one program per
  // runtime (every file is a module, so type names do not collide across fixtures).
  for (const driver of ['mysql2', 'tidb-serverless'] as const) {
    it(`${driver}: every fixture's models.ts (plain and kysely) type-checks strictly on ${RUNTIME[driver]}`, async () => {
      const files: Record<string, string> = { 'kysely.d.ts': KYSELY_STUB };
      for (const f of listFixtures()) {
        const { emit: _emit, ...options } = f.options;
        const result = await translate(f.files, options);
        for (const tsStyle of ['plain', 'kysely'] as const) {
          const out = await renderOutputs(result, ['ts'], { tsDriver: driver, tsStyle });
          files[`${f.name}.${tsStyle}.ts`] = out.find((x) => x.path === 'models.ts')!.content;
        }
      }
      expect(Object.keys(files).length).toBeGreaterThan(100);
      if (driver === 'tidb-serverless') for (const [name, text] of Object.entries(files)) expect(text, name).not.toMatch(/\bBuffer\b|node:/);
      expect(typecheck(files, RUNTIME[driver])).toBe('');
    });
  }
});
