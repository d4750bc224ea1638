// The pieces of `pg2tidb data` that read PostgreSQL's text forms, against PostgreSQL 15 itself:
// rows with generated awkward values (tabs, newlines, backslashes, quotes, braces, NULL-looking
// text, non-ASCII) are inserted, written by PostgreSQL's own COPY TO STDOUT, parsed by our COPY
// reader and converted by the product's converters (planned from the translated DDL), and compared
// with what PostgreSQL says the value is (to_json, hstore_to_json, IntervalStyle iso_8601, UTC).
// Plus unit cases for the converters and the CSV dialect that need no server.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { parseCopyLine } from '../src/data/copy-text.js';
import { planTables } from '../src/data/columns.js';
import { encodeRow, ROW_HASH, RowChecksum, rowHash64 } from '../src/data/csv.js';
import { parsePgArray } from '../src/data/pg-text.js';
import { intervalIso, Unrepresentable, VALUE_CONVERTERS as ROWS, type ValueConverter } from '../src/data/values.js';
import type { ScalarTypeName } from '../src/ir/types.js';

const VALUE_CONVERTERS: Record<ScalarTypeName, ValueConverter> = ROWS;
import { translate } from '../src/index.js';
import { databaseUrl, pgDrop, pgTextClient, PSQL, startPostgres } from './helpers/data-load.js';
import { canonicalJson } from './helpers/value-convert.js';

const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
let pgUrl: string | undefined;
let pgUnavailable: string | undefined;
const db = `datavalues_${runId}`;

beforeAll(() => {
  const p = startPostgres();
  pgUrl = p.url;
  pgUnavailable = p.unavailable;
  if (pgUnavailable) console.warn(`[data-values] SKIPPED: ${pgUnavailable}`);
  else execFileSync(PSQL, [pgUrl!, '-qc', `DROP DATABASE IF EXISTS ${db}`, '-c', `CREATE DATABASE ${db}`], { stdio: 'pipe' });
}, 300_000);

afterAll(() => {
  if (pgUrl) pgDrop(pgUrl, db);
});

const DDL = `CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TYPE pair AS (n integer, label text, at date);
CREATE TABLE t (
  id integer PRIMARY KEY,
  s text,
  a text[],
  m integer[][],
  c pair,
  h hstore,
  iv interval,
  b bytea,
  ts timestamptz,
  ok boolean,
  j jsonb
);`;

/** Awkward text: every character COPY, arrays, records, hstore and CSV escape. */
const awkward = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\t', '\n', '\r', '\\', '"', "'", ',', '{', '}', '(', ')', '=', '>', 'é', '日', '😀', 'N', 'U', 'L'), maxLength: 12 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });
const rowArb = fc.record({
  s: maybe(awkward),
  a: maybe(fc.array(maybe(fc.oneof(awkward, fc.constantFrom('NULL', 'null', '', ' x '))), { maxLength: 4 })),
  m: maybe(fc.integer({ min: 1, max: 3 }).chain((w) => fc.array(fc.array(maybe(fc.integer()), { minLength: w, maxLength: w }), { minLength: 1, maxLength: 3 }))),
  c: maybe(fc.tuple(maybe(fc.integer()), maybe(awkward), maybe(fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })))),
  h: maybe(fc.dictionary(awkward.filter((k) => k.length > 0), maybe(awkward), { maxKeys: 3 })),
  iv: maybe(fc.tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: -40, max: 40 }), fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }))),
  b: maybe(fc.uint8Array({ maxLength: 16 })),
  ts: maybe(fc.tuple(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), fc.constantFrom('UTC', 'America/St_Johns', 'Asia/Kathmandu', 'Europe/Paris'))),
  ok: maybe(fc.boolean()),
  j: maybe(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
});

const hstoreQuote = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

describe('PostgreSQL text forms, read by pg2tidb data', () => {
  it('COPY TO STDOUT rows of generated values convert to what PostgreSQL holds', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const client: pg.Client = await pgTextClient(databaseUrl(pgUrl!, db), [`SET TimeZone = 'UTC'`]);
    try {
      await client.query(DDL);
      const rows = fc.sample(rowArb, { numRuns: 300, seed: 15 });
      for (const [i, r] of rows.entries()) {
        await client.query(
          `INSERT INTO t VALUES ($1, $2, $3::text[], $4::integer[][], CASE WHEN $5::boolean THEN ROW($6::integer, $7::text, $8::date)::pair END, $9::hstore, make_interval(days => $10::integer, months => $11::integer) + $12::bigint * interval '1 microsecond', $13::bytea, $14::timestamp AT TIME ZONE $15, $16, $17::jsonb)`,
          [
            i + 1,
            r.s,
            r.a,
            r.m,
            r.c !== null,
            r.c?.[0] ?? null,
            r.c?.[1] ?? null,
            r.c?.[2] ? isoDate(r.c[2]) : null,
            r.h === null ? null : Object.entries(r.h).map(([k, v]) => `${hstoreQuote(k)}=>${v === null ? 'NULL' : hstoreQuote(v)}`).join(', '),
            r.iv?.[0] ?? 0,
            r.iv?.[1] ?? 0,
            r.iv?.[2] ?? 0,
            r.b === null ? null : Buffer.from(r.b),
            r.ts ? r.ts[0].toISOString().replace('T', ' ').replace('Z', '') : null,
            r.ts?.[1] ?? 'UTC',
            r.ok,
            r.j,
          ],
        );
      }
      // PostgreSQL's own COPY text output, as pg_dump writes it.
      const copy = execFileSync(PSQL, [databaseUrl(pgUrl!, db), '-q', '-c', `SET TimeZone = 'America/St_Johns'`, '-c', 'COPY t (id, s, a, m, c, h, iv, b, ts, ok, j) TO STDOUT'], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const truth = await client.query<Record<string, string | null>>(`SET intervalstyle = 'iso_8601'; SELECT id, s, to_json(a)::text AS a, to_json(m)::text AS m, to_json(c)::text AS c, hstore_to_json(h)::text AS h, iv::text AS iv, encode(b, 'hex') AS b, (ts AT TIME ZONE 'UTC')::text AS ts, CASE WHEN ok THEN '1' WHEN NOT ok THEN '0' END AS ok, j::text AS j FROM t ORDER BY id`).then((r) => (Array.isArray(r) ? r[1] : r) as pg.QueryResult<Record<string, string | null>>);

      const result = await translate({ path: 't.sql', text: DDL });
      const plan = planTables(result.schema, result.tidb.tables).get('public.t')!;
      const names = ['id', 's', 'a', 'm', 'c', 'h', 'iv', 'b', 'ts', 'ok', 'j'];
      const lines = copy.split('\n').filter((l) => l !== '');
      expect(lines.length).toBe(rows.length);
      const byId = new Map(truth.rows.map((r) => [String(r['id']), r]));
      const problems: string[] = [];
      for (const line of lines) {
        const fields = parseCopyLine(line);
        const want = byId.get(fields[0]!)!;
        for (const [k, name] of names.entries()) {
          const text = fields[k]!;
          const expected = want[name] ?? null;
          if (text === null) {
            if (expected !== null) problems.push(`${name} row ${fields[0]}: read NULL, PostgreSQL has ${expected}`);
            continue;
          }
          const v = plan.columns.get(name)!.convert(text);
          if (v instanceof Unrepresentable) {
            problems.push(`${name} row ${fields[0]}: refused ${JSON.stringify(text)}: ${v.reason}`);
            continue;
          }
          const got = typeof v === 'string' ? v : Buffer.from(v).toString('hex');
          const json = ['a', 'm', 'c', 'h', 'j'].includes(name);
          const same = json ? canonicalJson(got, 'value') === canonicalJson(expected!, 'value') : name === 'ts' ? got.replace(/\.?0+$/, '') === expected!.replace(/\.?0+$/, '') : got === expected;
          if (!same) problems.push(`${name} row ${fields[0]}: COPY text ${JSON.stringify(text)} -> ${JSON.stringify(got)}, PostgreSQL: ${JSON.stringify(expected)}`);
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
    } finally {
      await client.end();
    }
  }, 300_000);

  it('interval text in every IntervalStyle becomes the ISO 8601 PostgreSQL prints', async (ctx) => {
    if (pgUnavailable) ctx.skip();
    const client = await pgTextClient(databaseUrl(pgUrl!, db));
    try {
      const samples = ['1 year 2 mons 3 days 04:05:06.789', '-1 days +02:00:00', '0', '1 mon -1 days', '0.000001 sec', '-04:05:06', '178956970 years 7 mons 2147483647 days 2562047788:00:54.775807', '-178956970 years -8 mons', '3 days 25:00:00', '1.5 hours'];
      // pg_dump sets IntervalStyle postgres; postgres_verbose is the other style a dump made by hand may hold.
      for (const style of ['postgres', 'postgres_verbose'] as const) {
        for (const sample of samples) {
          await client.query(`SET intervalstyle = '${style}'`);
          const shown = (await client.query<{ v: string }>(`SELECT $1::interval::text AS v`, [sample])).rows[0]!.v;
          await client.query(`SET intervalstyle = 'iso_8601'`);
          const iso = (await client.query<{ v: string }>(`SELECT $1::interval::text AS v`, [sample])).rows[0]!.v;
          expect(intervalIso(shown), `${style}: ${shown}`).toBe(iso);
        }
      }
    } finally {
      await client.end();
    }
  });
});

describe('converters and the CSV dialect', () => {
  it('COPY escapes, including octal and hex bytes forming UTF-8', () => {
    expect(parseCopyLine('a\\tb\t\\N\t\\\\N\t\\303\\251\t\\xe6\\x97\\xa5\t\\101\\x42')).toEqual(['a\tb', null, '\\N', 'é', '日', 'AB']);
  });
  it('array text: quoting, NULL elements, dimensions', () => {
    expect(parsePgArray('{"a b",NULL,"NULL",\\,x,{}}'.replace(',{}}', '}'))).toEqual(['a b', null, 'NULL', ',x']);
    expect(parsePgArray('[1:2][1:1]={{1},{2}}')).toEqual([['1'], ['2']]);
    expect(() => parsePgArray('[0:1]={1,2}')).toThrow(/lower bound 0/);
  });
  it('values TiDB cannot hold are refused with a reason, the others converted to the decided type', () => {
    const dec = (p: number, s: number) => ({ base: 'DECIMAL' as const, precision: p, scale: s });
    expect(VALUE_CONVERTERS.numeric.toTidb('NaN', dec(10, 2))).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS.numeric.toTidb('123.456', dec(10, 2))).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS.numeric.toTidb('-0012.50', dec(10, 2))).toBe('-12.5');
    expect(VALUE_CONVERTERS.uuid.toTidb('{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}', { base: 'CHAR', length: 36 })).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(VALUE_CONVERTERS.uuid.toTidb('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { base: 'BINARY', length: 16 })).toEqual(Buffer.from('a0eebc999c0b4ef8bb6d6bb9bd380a11', 'hex'));
    expect(VALUE_CONVERTERS.date.toTidb('infinity', { base: 'DATE' })).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS.date.toTidb('2022/2/8', { base: 'DATE' })).toBe('2022-02-08');
    expect(VALUE_CONVERTERS.timestamp.toTidb('0044-03-15 12:00:00 BC', { base: 'DATETIME' })).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS['timestamp with time zone'].toTidb('2024-01-01 00:00:00-03:30', { base: 'DATETIME' })).toBe('2024-01-01 03:30:00');
    expect(VALUE_CONVERTERS['timestamp with time zone'].toTidb('2040-01-01 00:00:00+00', { base: 'TIMESTAMP' })).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS.bytea.toTidb('abc\\000\\\\', { base: 'LONGBLOB' })).toEqual(Buffer.from([97, 98, 99, 0, 92]));
    expect(VALUE_CONVERTERS.boolean.toTidb('yes', { base: 'BOOLEAN' })).toBe('1');
    expect(VALUE_CONVERTERS.money.toTidb('-$1,234.56', { base: 'DECIMAL', precision: 19, scale: 2 })).toBe('-1234.56');
    expect(VALUE_CONVERTERS.bit.toTidb('1010000011', { base: 'BIT', length: 10 })).toEqual(Buffer.from([0x02, 0x83]));
    expect(VALUE_CONVERTERS.jsonb.toTidb('{"n": 12345678901234567890123}', { base: 'JSON' })).toBeInstanceOf(Unrepresentable);
    expect(VALUE_CONVERTERS.jsonb.toTidb('{"n": 18446744073709551615, "s": "1e400"}', { base: 'JSON' })).toBe('{"n": 18446744073709551615, "s": "1e400"}');
  });
  it('CSV rows escape what the dialect names, NULL is \\N, and the checksum ignores row order', () => {
    expect(encodeRow(['a"b\\c\nd\r\0', null, Buffer.from([0x22, 0x00, 0xff])]).toString('latin1')).toBe('"a\\"b\\\\c\\nd\\r\\0",\\N,"\\"\\0\xff"');
    const x = new RowChecksum();
    const y = new RowChecksum();
    const rows = ['1', '2', '3'].map((r) => Buffer.from(r));
    for (const r of rows) x.add(r);
    for (const r of [...rows].reverse()) y.add(r);
    expect(x.hex()).toBe(y.hex());
    y.add(Buffer.from('4'));
    expect(x.hex()).not.toBe(y.hex());
  });
  it('a row hash changes with any one byte, in either lane and in the tail', () => {
    const hash = (b: Uint8Array) => {
      rowHash64(b, 0, b.length);
      return `${ROW_HASH.hi}:${ROW_HASH.lo}`;
    };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const i = at % bytes.length;
        const changed = Uint8Array.from(bytes);
        changed[i] = (changed[i]! + delta) & 0xff;
        expect(hash(changed)).not.toBe(hash(bytes));
        // A zero byte appended is another row (the length is mixed in).
        expect(hash(Uint8Array.from([...bytes, 0]))).not.toBe(hash(bytes));
      }),
      { seed: 17, numRuns: 2000 },
    );
  });
});
