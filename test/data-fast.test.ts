// The byte-level COPY path against the string path it stands in for: every fast converter's
// output equals the string converter's, whole batches equal the same batches with every fast
// path off, and conversion on 1, 2 or 3 worker threads writes the same bytes and diagnostics.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { planTables, type TablePlan } from '../src/data/columns.js';
import { convertBatch, utf16Units, type BatchJob } from '../src/data/copy-batch.js';
import { CsvOut } from '../src/data/csv-out.js';
import { encodeRow, RowChecksum } from '../src/data/csv.js';
import { convertSegment } from '../src/data/segments.js';
import { Unrepresentable } from '../src/data/values.js';
import { translate } from '../src/translate.js';

const SCHEMA = `CREATE TABLE public.t (
    id integer NOT NULL,
    big bigint,
    amount numeric(14,4),
    small numeric(5,2),
    note text,
    title varchar(5),
    code char(3),
    flag boolean,
    ref uuid,
    at timestamp with time zone,
    day date,
    payload bytea,
    doc jsonb,
    labels text[],
    nums integer[],
    weight double precision,
    PRIMARY KEY (id)
);
`;
const COLUMNS = ['id', 'big', 'amount', 'small', 'note', 'title', 'code', 'flag', 'ref', 'at', 'day', 'payload', 'doc', 'labels', 'nums', 'weight'];

async function plansFor(uuid: 'char36' | 'binary16'): Promise<Map<string, TablePlan>> {
  const r = await translate([{ path: 'schema.sql', text: SCHEMA }], { uuid });
  return planTables(r.schema, r.tidb.tables);
}

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const digits = fc.stringMatching(/^[0-9]{0,20}$/);
const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', 'é', '東', '😀', '"', '\\', '\n', '\r', '\0', '\t', '\b', '\u001f', '\u007f', ' ', ',', '{', '}', 'N'), maxLength: 10 }));
const p2 = (n: number) => String(n).padStart(2, '0');

/** Texts of each column: the forms pg_dump writes, near misses, and anything at all. */
const VALUES: Record<string, fc.Arbitrary<string>> = {
  id: fc.oneof(fc.integer().map(String), digits, pick('+5', ' 5', '-', '', '007', '-0')),
  big: fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String), digits),
  amount: fc.oneof(fc.tuple(fc.constantFrom('', '-'), digits, fc.option(digits)).map(([s, i, f]) => `${s}${i}${f === null ? '' : `.${f}`}`), pick('NaN', '1e5', '.5', '5.', '+1.0', '-0.000', '0000000001.1000')),
  small: fc.tuple(fc.constantFrom('', '-'), fc.stringMatching(/^[0-9]{1,5}$/), fc.stringMatching(/^[0-9]{0,4}$/)).map(([s, i, f]) => `${s}${i}${f ? `.${f}` : ''}`),
  note: anyText,
  title: anyText,
  code: fc.oneof(anyText, pick('ab', 'abc', 'abcd', 'ééé', '😀😀😀')),
  flag: fc.oneof(pick('t', 'f', 'true', 'T', 'yes', 'x', ''), anyText),
  ref: fc.oneof(hex(16).map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`), hex(16).map((h) => h.toUpperCase()), pick('{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 'nope')),
  at: fc.oneof(
    // Month ends, leap days and offsets that move the value to another day (the fast path's calendar shortcut).
    pick('2020-02-29 23:30:00+00', '2019-02-29 10:00:00+00', '2020-02-30 01:00:00+02', '2021-04-31 12:00:00-05', '2020-12-31 23:59:59.999999-14', '1000-01-01 00:00:00+01', '9999-12-31 23:00:00-01', '2021-01-31 10:00:00+10:30:15'),
    fc.tuple(fc.integer({ min: 995, max: 10005 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.stringMatching(/^[0-9]{1,7}$/)), fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.option(fc.integer({ min: 0, max: 59 })), fc.option(fc.integer({ min: 0, max: 59 })))
      .map(([y, mo, d, h, mi, s, f, sign, oh, om, os]) => `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}${f === null ? '' : `.${f}`}${sign}${p2(oh)}${om === null ? '' : `:${p2(om)}${os === null ? '' : `:${p2(os)}`}`}`),
  ),
  day: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}`), pick('infinity', '2020-1-5', '2020/01/05')),
  payload: fc.oneof(fc.uint8Array({ maxLength: 12 }).map((b) => `\\x${Buffer.from(b).toString('hex')}`), pick('\\x0', '\\xzz', 'abc\\000', '\\X00', '\\xAbCd')),
  doc: fc.oneof(
    fc.json({ maxDepth: 2 }),
    fc.oneof(fc.double(), fc.integer(), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n })).map((n) => `{"n": ${String(n)}, "s": "1e400"}`),
    pick('{"a": 1.5e3}', '[12345678901234567890]', '{"b": -0.000000000000001}', '[-, 1]', '{"q": "a\\"1"}'),
  ),
  labels: fc.oneof(
    fc.array(fc.oneof(anyText.map((t) => `"${t.replace(/[\\"]/g, (c) => `\\${c}`)}"`), fc.stringMatching(/^[a-z]{1,5}$/), pick('NULL', 'null', ' x ', 'a\\,b')), { maxLength: 4 }).map((xs) => `{${xs.join(',')}}`),
    pick('{}', '{ }', '{{a},{b}}', '[1:1]={a}', '{a,,b}', '{"a"x}', '{a} ', ' {a}', '{\u00a0a}'),
  ),
  nums: fc.oneof(fc.array(fc.oneof(fc.integer().map(String), pick('NULL', '007', '"5"', ' 5', '1.5', '-0')), { maxLength: 4 }).map((xs) => `{${xs.join(',')}}`), pick('{}', '{1,{2}}')),
  weight: fc.oneof(fc.double().map(String), fc.double().map((d) => d.toExponential()), pick('NaN', '-0', '1e308', '3.4028235e+38', '1e400', '-1e-400', '+1.5', '1.', '.5', '1e', 'e5', '--1', '1.5E+20', '0x10', ' 1', '1_000')),
};

function cellBytes(cell: Parameters<CsvOut['cell']>[0]): Buffer {
  const out = new CsvOut(8);
  out.cell(cell);
  return Buffer.from(out.buf.subarray(0, out.pos));
}

describe('fast converters write what the string converters write', () => {
  for (const uuid of ['char36', 'binary16'] as const) {
    for (const name of COLUMNS) {
      it(`${name} (--uuid ${uuid})`, async () => {
        const plan = (await plansFor(uuid)).get('public.t')!;
        const col = plan.columns.get(name)!;
        let fast = 0;
        fc.assert(
          fc.property(VALUES[name]!, (text) => {
            if (!col.fast) return;
            const bytes = Buffer.from(text, 'utf8');
            if (!bytes.equals(Buffer.from(text))) return;
            const out = new CsvOut(4);
            out.pos = 0;
            if (!col.fast(bytes, 0, bytes.length, out)) return;
            fast++;
            const v = col.convert(text);
            expect(v, text).not.toBeInstanceOf(Unrepresentable);
            expect(Buffer.from(out.buf.subarray(0, out.pos)).toString('latin1'), text).toBe(cellBytes(v as string | Uint8Array).toString('latin1'));
          }),
          { numRuns: 400, seed: 15 },
        );
        // The typical value takes the fast path (a fast path that never runs tests nothing).
        if (col.fast) expect(fast).toBeGreaterThan(0);
      });
    }
  }
  it('CsvOut writes a cell as encodeRow does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array().map((b) => Buffer.from(b)), fc.constant(null)), (cell) => {
        expect(cellBytes(cell).equals(encodeRow([cell]))).toBe(true);
      }),
      { seed: 15 },
    );
  });
  it('utf16Units counts what decoding counts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '東', '😀', '\r', '\n', '\r\n') }), fc.nat(3), (text, skip) => {
        const buf = Buffer.concat([Buffer.alloc(skip), Buffer.from(text)]);
        const lines = text.split('\n');
        // Line reader: each line without a \r before its \n, plus the newline.
        const expected = lines.map((l, i) => (i < lines.length - 1 && l.endsWith('\r') ? l.length - 1 : l.length)).reduce((a, b) => a + b, 0) + lines.length - 1;
        expect(utf16Units(buf, skip, buf.length)).toBe(expected);
      }),
      { seed: 15 },
    );
  });
  it('utf16Units counts long runs as decoding does (the lanes summed past 255 words)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '東', '\n'), minLength: 1100, maxLength: 3000 }), fc.nat(3), fc.boolean(), (text, skip, emoji) => {
        const body = emoji ? `${text}😀` : text;
        const buf = Buffer.concat([Buffer.alloc(skip), Buffer.from(body)]);
        expect(utf16Units(buf, skip, buf.length)).toBe(body.length);
      }),
      { seed: 16, numRuns: 50 },
    );
  });
});

/** A COPY field for a value: the escapes pg_dump writes, and now and then escapes it does not (octal, hex, \b) which the string path decodes. */
function copyField(text: string, variant: number): string {
  let out = text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);
  if (variant === 1) out = out.replace(/a/g, '\\141');
  if (variant === 2) out = out.replace(/a/g, '\\x61');
  if (variant === 3) out = out.replace(/b/g, '\\b').replace(/e/g, '\\e');
  return out;
}

const rowArb = fc.tuple(fc.tuple(...COLUMNS.map((c) => fc.option(VALUES[c]!, { freq: 6 }))), fc.nat(5), fc.nat(20));

describe('batches', () => {
  it('the byte path gives the bytes, checksums and diagnostics of the string path', async () => {
    const plans = await plansFor('char36');
    const slow = new Map([...plans].map(([k, p]) => [k, { ...p, columns: new Map([...p.columns].map(([n, c]) => [n, { ...c, fast: undefined }])) }]));
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 30 }), fc.constantFrom('fail' as const, 'null' as const, 'skip-row' as const), (rows, policy) => {
        const lines = rows.map(([values, variant, shape]) => {
          const fields = values.map((v) => (v === null ? '\\N' : copyField(v, variant)));
          // Now and then a malformed row: a field too few, a lone backslash, a \r\n ending.
          if (shape === 0) fields.pop();
          if (shape === 1) fields[4] = `${fields[4]}\\`;
          return `${fields.join('\t')}${shape === 2 ? '\r' : ''}\n`;
        });
        const job: BatchJob = { target: { table: 'public.t', slots: COLUMNS.map((_, i) => i), sources: COLUMNS, delimiter: '\t' }, bytes: Buffer.from(lines.join('')), firstLine: 7 };
        const a = convertBatch({ plans, policy, maxRowDiagnostics: 2 }, job);
        const b = convertBatch({ plans: slow, policy, maxRowDiagnostics: 2 }, job);
        expect(Buffer.from(a.csv).toString('latin1')).toBe(Buffer.from(b.csv).toString('latin1'));
        expect({ ...a, csv: undefined }).toEqual({ ...b, csv: undefined });
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});

const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-fast-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('workers', () => {
  it('1, 2 and 3 worker threads write the same files and report the same diagnostics', async () => {
    // A generated dump: two tables in blocks large enough to be cut into several batches, bad values and malformed rows among them.
    const rows = fc.sample(rowArb, { numRuns: 6000, seed: 15 });
    const parts = [SCHEMA, 'CREATE TABLE public.u (id integer PRIMARY KEY, name text);\n'];
    for (let block = 0; block < 3; block++) {
      parts.push(`COPY public.t (${COLUMNS.join(', ')}) FROM stdin;\n`);
      for (const [i, [values, variant, shape]] of rows.slice(block * 2000, block * 2000 + 2000).entries()) {
        const fields = values.map((v, j) => (j === 0 ? String(block * 2000 + i) : v === null ? '\\N' : copyField(v, variant)));
        if (shape === 0) fields.pop();
        parts.push(`${fields.join('\t')}${shape === 2 ? '\r' : ''}\n`);
        // Long rows, so that the blocks span several read chunks.
        if (i % 7 === 0) parts.push(`${[String(1e6 + block * 2000 + i), ...COLUMNS.slice(1).map((c) => (c === 'note' ? 'x'.repeat(3000) : '\\N'))].join('\t')}\n`);
      }
      parts.push('\\.\n\n', 'COPY public.u (id, name) FROM stdin;\n', ...Array.from({ length: 300 }, (_, i) => `${block * 300 + i}\tname ${i} é\n`), '\\.\n\n');
    }
    parts.push("INSERT INTO public.u VALUES (100000, 'after');\n");
    const dump = join(work, 'dump.sql');
    writeFileSync(dump, parts.join(''));
    const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1').replaceAll(dir, '<out>')]));
    // Every block converted in batches, and every block cut into segments (one per read chunk).
    const rules = { batches: { minBlockBytes: Number.MAX_SAFE_INTEGER, bytes: 64 << 20 }, segments: { minBlockBytes: 0, bytes: 300_000 } };
    const byRule: Record<string, { files: Record<string, string>; diagnostics: unknown; totals: unknown; tables: Awaited<ReturnType<typeof convertData>>['tables'] }[]> = {};
    for (const [name, segmentRule] of Object.entries(rules)) {
      const results = [];
      for (const workers of [1, 2, 3]) {
        const out = join(work, `${name}-w${workers}`);
        const r = await convertData([{ path: 'dump.sql', file: dump }], {}, { workers, chunkBytes: 200_000, maxRowDiagnostics: 5, segmentRule }, out);
        results.push({ files: read(out), diagnostics: r.diagnostics, totals: r.totals, tables: r.tables });
      }
      expect(Object.keys(results[0]!.files).filter((f) => f.endsWith('.csv')).length).toBeGreaterThan(4);
      expect(Object.keys(results[0]!.files).filter((f) => f.endsWith('.part'))).toEqual([]);
      expect(results[0]!.diagnostics.length).toBeGreaterThan(10);
      expect(results[1], name).toEqual(results[0]);
      expect(results[2], name).toEqual(results[0]);
      // Each table's checksum is that of its rows as written (batches sum their rows' hashes in their own way).
      for (const t of results[0]!.tables) {
        const sum = new RowChecksum();
        for (const f of t.files) {
          const b = Buffer.from(results[0]!.files[f.name]!, 'latin1');
          for (let p = 0, nl = b.indexOf(10); nl !== -1; p = nl + 1, nl = b.indexOf(10, p)) sum.addRange(b, p, nl);
        }
        expect(sum.hex(), t.table).toBe(t.checksum);
      }
      byRule[name] = results;
    }
    // Segments change where chunks start, nothing else: the same rows, checksums and diagnostics.
    const rowsOf = (r: (typeof byRule)['batches'][number]) => r.tables.map((t) => ({ table: t.table, rows: t.rows, bytes: t.bytes, checksum: t.checksum, csv: t.files.map((f) => r.files[f.name]).join('') }));
    const [batches, segments] = [byRule.batches![0]!, byRule.segments![0]!];
    expect(rowsOf(segments)).toEqual(rowsOf(batches));
    expect(segments.diagnostics).toEqual(batches.diagnostics);
    expect(segments.totals).toEqual(batches.totals);
    // A segment starts a chunk: u's three blocks are three files, not one.
    const files = (r: typeof batches, table: string) => r.tables.find((t) => t.table === table)!.files.map((f) => f.rows);
    expect(files(batches, 'u')).toEqual([901]);
    expect(files(segments, 'u')).toEqual([300, 300, 300, 1]);
    expect(files(segments, 't')).not.toEqual(files(batches, 't'));
  }, 120_000);
});

describe('segments', () => {
  const SEGMENTED = { minBlockBytes: 0, bytes: 100_000 };
  const BATCHED = { minBlockBytes: Number.MAX_SAFE_INTEGER, bytes: 64 << 20 };

  it('rows whose bytes are not the file\'s (invalid UTF-8, replaced as decoding does) convert the same in a segment on either thread as in batches', async () => {
    const head = Buffer.from('CREATE TABLE public.v (id integer PRIMARY KEY, note text);\nCOPY public.v (id, note) FROM stdin;\n');
    const rows = Array.from({ length: 30_000 }, (_, i) => (i % 1000 === 5 ? Buffer.concat([Buffer.from(`${i}\tbad `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' byte\n')]) : Buffer.from(`${i}\tnote ${i} é ${'y'.repeat(i % 40)}\n`)));
    const dump = join(work, 'invalid-utf8.sql');
    writeFileSync(dump, Buffer.concat([head, ...rows, Buffer.from('\\.\n')]));
    const run = async (name: string, workers: number, segmentRule: typeof SEGMENTED) => {
      const out = join(work, `invalid-${name}-${workers}`);
      const r = await convertData([{ path: 'dump.sql', file: dump }], {}, { workers, segmentRule }, out);
      const t = r.tables.find((x) => x.table === 'v')!;
      return { rows: t.rows, checksum: t.checksum, csv: t.files.map((f) => readFileSync(join(out, f.name), 'latin1')).join(''), diagnostics: r.diagnostics };
    };
    const batches = await run('batches', 1, BATCHED);
    expect(batches.rows).toBe(30_000);
    expect(batches.csv).toContain('"bad \u00ef\u00bf\u00bd(\u00ef\u00bf\u00bd byte"');
    for (const workers of [1, 2]) expect(await run('segments', workers, SEGMENTED), `${workers} workers`).toEqual(batches);
  }, 60_000);

  it('a segment that cannot read its rows (the file changed since the schema pass) throws and leaves none of its files', async () => {
    const row = `1${'\t\\N'.repeat(COLUMNS.length - 1)}\n`;
    const file = join(work, 'short.sql');
    writeFileSync(file, row.repeat(10));
    const dir = join(work, 'short-out');
    mkdirSync(dir, { recursive: true });
    const ctx = { plans: await plansFor('char36'), policy: 'fail' as const, maxRowDiagnostics: 5 };
    const target = { table: 'public.t', slots: COLUMNS.map((_, i) => i), sources: COLUMNS, delimiter: '\t' };
    // Its first piece is read, converted and written; the second is past the end of the file.
    const pieces = [{ firstLine: 1, at: 0, length: row.length * 5 }, { firstLine: 6, at: row.length * 5, length: row.length * 10 }];
    const job = { file, target, pieces, dir, database: 'public', table: 't', piece: 0, maxChunkBytes: 1 << 20 };
    expect(convertSegment(ctx, { ...job, pieces: pieces.slice(0, 1) }).files).toEqual([{ name: '.public.t.p0.1.part', rows: 5, bytes: expect.any(Number) }]);
    rmSync(join(dir, '.public.t.p0.1.part'));
    expect(() => convertSegment(ctx, job)).toThrow(/changed while it was read/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('workers and failures', () => {
  it('a schema pass that fails ends the workers started for it, and the error reaches the caller', async () => {
    // A folder named like a model file: reading it fails in the schema pass, after the workers were started.
    const dir = join(work, 'models.py');
    mkdirSync(dir, { recursive: true });
    await expect(convertData([{ path: 'models.py', file: dir }], {}, { workers: 2 }, join(work, 'failed-out'))).rejects.toThrow(/EISDIR/);
  });
});

describe('copySources', () => {
  it("one table's COPY text from a stream gives the files its COPY block in the dump gives", async () => {
    const rows = fc.sample(rowArb, { numRuns: 400, seed: 16 }).map(([values, variant], i) => `${values.map((v, j) => (j === 0 ? String(i) : v === null ? '\\N' : copyField(v, variant))).join('\t')}\n`);
    const withRows = join(work, 'with-rows.sql');
    const schemaOnly = join(work, 'schema-only.sql');
    writeFileSync(withRows, `${SCHEMA}COPY public.t (${COLUMNS.join(', ')}) FROM stdin;\n${rows.join('')}\\.\n`);
    writeFileSync(schemaOnly, SCHEMA);
    const csv = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.csv')).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1')]);
    const text = rows.join('');
    // Whole, and cut into segments (at rows that depend on the rows alone) and small chunks.
    for (const cut of [{}, { chunkBytes: 9000, segmentRule: { minBlockBytes: 0, bytes: 20_000 } }]) {
      const dumpOut = join(work, `rows-dump-${'chunkBytes' in cut}`);
      const a = await convertData([{ path: 'dump.sql', file: withRows }], {}, { workers: 1, ...cut }, dumpOut);
      for (const workers of [1, 2]) {
        const out = join(work, `rows-stream-${workers}-${'chunkBytes' in cut}`);
        const b = await convertData([{ path: 'dump.sql', file: schemaOnly }], {}, {
          workers,
          ...cut,
          copySources: async (convert) => {
            // Chunks that cut rows and characters anywhere.
            async function* chunks() {
              const bytes = Buffer.from(text);
              for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
            }
            await convert({ schema: 'public', name: 't' }, chunks(), { columns: COLUMNS });
          },
        }, out);
        expect(csv(out)).toEqual(csv(dumpOut));
        expect(b.tables).toEqual(a.tables);
        expect(b.totals).toEqual(a.totals);
      }
      const files = a.tables.find((t) => t.table === 't')!.files.length;
      if ('chunkBytes' in cut) expect(files).toBeGreaterThan(3);
      else expect(files).toBe(1);
    }
  }, 120_000);
});
