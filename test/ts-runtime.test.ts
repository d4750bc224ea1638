// The emitted TypeScript row types (models.ts) checked at run time against what mysql2
// really returns from TiDB: the fixture's DDL is executed on the global setup's tidb-server,
// one representative row per table is inserted (every column that accepts a value), read back
// with the connection options the models.ts header tells the user to set, and each value must conform to the
// type text of its property (`string`, `number`, `boolean`, `Date`, `Buffer`, `JsonValue`,
// string-literal unions, `| null`).
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type TranslateResult } from '../src/index.js';
import type { TidbColumn, TidbTable } from '../src/ir/tidb.js';
import { renderOutputs, type EmitOptions } from '../src/outputs.js';
import type { TranslateOptions } from '../src/transform/options.js';
import { listFixtures } from './helpers/fixtures.js';
import { connectionOptions, injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';
import { dropDatabases, executeStatements, formatRejection } from './helpers/tidb-readback.js';

const CASES: { fixture: string; emit: Partial<EmitOptions> }[] = [
  { fixture: 'example', emit: {} },
  { fixture: 'types-misc', emit: {} },
  { fixture: 'types-numeric', emit: {} },
  { fixture: 'types-time', emit: {} },
  { fixture: 'types-text', emit: {} },
  { fixture: 'types-vector-geo', emit: {} },
  { fixture: 'uuid-binary16', emit: {} },
  { fixture: 'example', emit: { dateStrings: true } },
  { fixture: 'types-time', emit: { dateStrings: true } },
  { fixture: 'types-numeric', emit: { bigNumberStrings: false } },
];

const q = (n: string): string => '`' + n.replace(/`/g, '``') + '`';

/** A SQL literal TiDB accepts for `c`, or undefined when the test cannot make one. */
function sampleValue(c: TidbColumn, t0?: TidbTable): string | undefined {
  const t = c.type;
  switch (t.base) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'BOOLEAN':
    case 'DECIMAL':
      return '1';
    case 'FLOAT':
    case 'DOUBLE':
      return '1.5';
    case 'BIT':
      return "b'1'";
    case 'CHAR':
    case 'VARCHAR':
      // A uuid-shaped text fits CHAR(36) keys and passes typical CHECKs on ids.
      return (t.length ?? 1) >= 36 ? "'00000000-0000-0000-0000-000000000001'" : "'x'";
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      return "'x'";
    case 'BINARY':
    case 'VARBINARY':
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
      return "X'01'";
    case 'JSON':
      // A column under a multi-valued index takes an array of scalars (CAST(... AS ... ARRAY)).
      return t0?.indexes.some((i) => i.multiValued && i.parts.some((p) => 'expr' in p && p.expr.includes(q(c.name))))
        ? `'["a", "b"]'`
        : `'{"k": [1, "two", true, null]}'`;
    case 'DATE':
      return "'2024-01-02'";
    case 'TIME':
      return "'01:02:03'";
    case 'DATETIME':
    case 'TIMESTAMP':
      return "'2024-01-02 03:04:05'";
    case 'YEAR':
      return '2024';
    case 'ENUM':
      return t.values && t.values.length > 0 ? `'${t.values[0]!.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : undefined;
    case 'VECTOR':
      return `'[${Array.from({ length: t.length ?? 1 }, () => '1').join(',')}]'`;
    default:
      return undefined;
  }
}

/** `db.table` -> property -> type text, from the row interfaces of models.ts. */
function parseModels(ts: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const re = /\/\*\*\n \* `((?:[^`]|``)+)`\.`((?:[^`]|``)+)`[^\n]*\n(?:[^\n]*\n)*? \*\/\nexport interface (\w+) \{\n([\s\S]*?)\n\}/g;
  for (const m of ts.matchAll(re)) {
    const props = new Map<string, string>();
    for (const p of m[4]!.matchAll(/^ {2}("(?:[^"\\]|\\.)*")(\??): (.+);$/gm)) props.set(JSON.parse(p[1]!) as string, p[3]!);
    out.set(`${m[1]!.replace(/``/g, '`')}.${m[2]!.replace(/``/g, '`')}`, props);
  }
  return out;
}

/** Driver options the models.ts header says the types assume, and the connection options it tells the user to set. */
function headerOptions(ts: string): {
  bigNumberStrings: boolean;
  dateStrings: boolean;
  tinyint1AsBoolean: boolean;
  decimalNumbers: boolean;
  connect: { supportBigNumbers: boolean; bigNumberStrings: boolean; dateStrings: boolean; decimalNumbers: boolean };
} {
  const m = /Types as driver=mysql2 returns them \(bigNumberStrings=(\w+), dateStrings=(\w+), tinyint1AsBoolean=(\w+), decimalNumbers=(\w+)\)/.exec(ts);
  const c = /^\/\/ Connect with \{ supportBigNumbers: (\w+), bigNumberStrings: (\w+), dateStrings: (\w+), decimalNumbers: (\w+) \}/m.exec(ts);
  if (!m || !c) throw new Error(`models.ts header does not state the driver options:\n${ts.split('\n').slice(0, 9).join('\n')}`);
  return {
    bigNumberStrings: m[1] === 'true',
    dateStrings: m[2] === 'true',
    tinyint1AsBoolean: m[3] === 'true',
    decimalNumbers: m[4] === 'true',
    connect: { supportBigNumbers: c[1] === 'true', bigNumberStrings: c[2] === 'true', dateStrings: c[3] === 'true', decimalNumbers: c[4] === 'true' },
  };
}

function isJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJson);
  if (typeof v === 'object') return Object.getPrototypeOf(v) === Object.prototype && Object.values(v as object).every(isJson);
  return false;
}

/** Splits a union at top level (the emitted types have no nested unions outside literals). */
function alternatives(type: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inStr = false;
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (inStr) {
      cur += c;
      if (c === '\\') cur += type[++i] ?? '';
      else if (c === '"') inStr = false;
    } else if (c === '"') {
      inStr = true;
      cur += c;
    } else if (c === '|') {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts;
}

/** Why `v` does not conform to `type`, or undefined if it does. */
function nonConformance(v: unknown, type: string): string | undefined {
  const alts = alternatives(type);
  for (const a of alts) {
    if (a === 'null' && v === null) return undefined;
    if (a === 'string' && typeof v === 'string') return undefined;
    if (a === 'number' && typeof v === 'number') return undefined;
    if (a === 'boolean' && typeof v === 'boolean') return undefined;
    if (a === 'Date' && v instanceof Date && !Number.isNaN(v.getTime())) return undefined;
    if (a === 'Buffer' && Buffer.isBuffer(v)) return undefined;
    if (a === 'JsonValue' && isJson(v)) return undefined;
    if (a.startsWith('"') && v === JSON.parse(a)) return undefined;
    if (!/^(null|string|number|boolean|Date|Buffer|JsonValue|"(?:[^"\\]|\\.)*")$/.test(a)) return `unsupported type text ${JSON.stringify(a)}`;
  }
  const shown = Buffer.isBuffer(v) ? `Buffer<${v.toString('hex')}>` : v instanceof Date ? `Date(${v.toISOString()})` : JSON.stringify(v);
  return `${typeof v}${v !== null && typeof v === 'object' ? ` (${v.constructor?.name})` : ''} ${shown} is not ${type}`;
}

function fixtureOptions(o: Record<string, unknown>): Partial<TranslateOptions> {
  const { emit: _emit, ...rest } = o;
  return rest as Partial<TranslateOptions>;
}

let server: TidbEndpoint;
let admin: Connection;
let seq = 0;
const summary: string[] = [];

beforeAll(async () => {
  server = await injectedTidb();
  const mysql = await import('mysql2/promise');
  admin = await mysql.createConnection({ ...connectionOptions(server), dateStrings: false });
});

afterAll(async () => {
  await admin?.end();
  console.log(`[ts-runtime]\n${summary.join('\n')}`);
});

describe('models.ts types conform to what mysql2 returns from TiDB', () => {
  const fixtures = new Map(listFixtures().map((f) => [f.name, f]));
  for (const c of CASES) {
    const label = `${c.fixture}${Object.keys(c.emit).length ? ` (${Object.entries(c.emit).map(([k, v]) => `${k}=${String(v)}`).join(', ')})` : ''}`;
    it(label, async () => {
      const started = Date.now();
      const f = fixtures.get(c.fixture);
      expect(f, `fixture ${c.fixture}`).toBeDefined();
      const options = fixtureOptions(f!.options as Record<string, unknown>);
      const plain = await translate(f!.files, options);
      const prefix = `tr${(++seq).toString(36)}_`;
      const map: Record<string, string> = {};
      for (const d of plain.tidb.databases) map[d.source] = `${prefix}${d.name}`;
      const result: TranslateResult = await translate(f!.files, { ...options, databaseMap: map });
      expect(result.tidb.databases.every((d) => d.name.startsWith(prefix)), 'a database escaped the prefix').toBe(true);

      const files = await renderOutputs(result, ['ts'], c.emit);
      const ts = files.find((x) => x.path === 'models.ts')!.content;
      const header = headerOptions(ts);
      expect(header.dateStrings, 'header states the dateStrings emit option').toBe(c.emit.dateStrings ?? false);
      // mysql2 has no tinyint1AsBoolean switch: the default (false) is what a plain connection gives.
      expect(header.tinyint1AsBoolean).toBe(false);
      const models = parseModels(ts);

      const mysql = await import('mysql2/promise');
      const conn = await mysql.createConnection({
        host: server.host,
        port: server.port,
        user: 'root',
        password: '',
        // Exactly what the header tells the user to connect with.
        ...header.connect,
      });
      await dropDatabases(admin, result.tidb);
      const problems: string[] = [];
      let checked = 0;
      try {
        const { rejections } = await executeStatements(admin, result.statements);
        expect(rejections.map(formatRejection), `${label}: TiDB rejected DDL`).toEqual([]);
        await conn.query('SET SESSION foreign_key_checks = 0');
        for (const t of result.tidb.tables) {
          const key = `${t.name.database}.${t.name.name}`;
          const props = models.get(key);
          if (!props) {
            problems.push(`${key}: no row interface in models.ts`);
            continue;
          }
          const filled = t.columns.filter((col) => !col.generated && !col.autoIncrement && !col.autoRandom);
          const values = filled.map((col) => [col, sampleValue(col, t)] as const).filter((x): x is readonly [TidbColumn, string] => x[1] !== undefined);
          for (const col of filled) if (sampleValue(col, t) === undefined) problems.push(`${key}.${col.name}: no sample value for ${col.type.base}`);
          const table = `${q(t.name.database)}.${q(t.name.name)}`;
          try {
            await conn.query(`INSERT INTO ${table} (${values.map(([col]) => q(col.name)).join(', ')}) VALUES (${values.map(([, v]) => v).join(', ')})`);
          } catch (err) {
            problems.push(`${key}: INSERT failed: ${(err as Error).message}`);
            continue;
          }
          const [rows] = await conn.query<RowDataPacket[]>(`SELECT * FROM ${table}`);
          expect(rows.length, `${key}: rows read back`).toBe(1);
          const row = rows[0]!;
          expect(Object.keys(row).sort(), `${key}: columns vs models.ts properties`).toEqual([...props.keys()].sort());
          for (const col of t.columns) {
            const type = props.get(col.name)!;
            const v: unknown = row[col.name];
            const why = nonConformance(v, type);
            if (why) problems.push(`${key}.${col.name} (${col.type.base}): ${why}`);
            if (values.some(([x]) => x === col) && v === null) problems.push(`${key}.${col.name}: inserted a value but read back NULL`);
            if (header.dateStrings && ['DATE', 'DATETIME', 'TIMESTAMP'].includes(col.type.base) && v !== null && typeof v !== 'string') {
              problems.push(`${key}.${col.name}: dateStrings=true but read back ${typeof v}`);
            }
            if (header.dateStrings && ['DATE', 'DATETIME', 'TIMESTAMP'].includes(col.type.base) && alternatives(type).includes('Date')) {
              problems.push(`${key}.${col.name}: dateStrings=true but models.ts says ${type}`);
            }
            checked++;
          }
        }
      } finally {
        await conn.end();
        await dropDatabases(admin, result.tidb);
      }
      summary.push(`  ${label}: ${result.tidb.tables.length} tables, ${checked} values checked, ${problems.length} problems, ${Date.now() - started} ms`);
      expect(problems, `${label}: values that do not conform to models.ts`).toEqual([]);
      expect(checked).toBeGreaterThan(0);
    });
  }
});

it('the conformance check tells mismatches apart', () => {
  expect(nonConformance('1', 'string | null')).toBeUndefined();
  expect(nonConformance(null, 'string | null')).toBeUndefined();
  expect(nonConformance(1, 'string | null')).toMatch(/is not/);
  expect(nonConformance('2024-01-02', 'Date')).toMatch(/is not/);
  expect(nonConformance(new Date(0), 'Date | null')).toBeUndefined();
  expect(nonConformance(Buffer.from([1]), 'Buffer')).toBeUndefined();
  expect(nonConformance('paid', '"pending" | "paid"')).toBeUndefined();
  expect(nonConformance('other', '"pending" | "paid"')).toMatch(/is not/);
  expect(nonConformance({ a: [1, 'x', null] }, 'JsonValue')).toBeUndefined();
  expect(nonConformance(new Date(0), 'JsonValue')).toMatch(/is not/);
  expect(nonConformance(1, 'bigint')).toMatch(/unsupported type text/);
  const models = parseModels('/**\n * `db`.`t` (from public.t)\n * A row as the driver returns it.\n */\nexport interface DbT {\n  /** `INT` */\n  "a": number | null;\n  "b\\"c": "x" | "y";\n}\n');
  expect([...models.get('db.t')!]).toEqual([['a', 'number | null'], ['b"c', '"x" | "y"']]);
});
