// Small guarantees of `pg2tidb data` around its sources: a CRLF dump gives the same row spans (line
// numbers) as the same dump with LF endings; a run whose row source fails midway leaves no partial
// CSV chunks behind; PGT8003's fix speaks to live sources as well as to dumps.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import type { RowSource } from '../src/data/row-source.js';
import { CATALOGUE } from '../src/diagnostics/catalogue.js';

const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-robust-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Rows before the bad one: enough to cross the dump reader's 1 MiB reads, so spans are counted over several batches. */
const ROWS = 60_000;
const DUMP = [
  'CREATE TABLE d (',
  '  id int PRIMARY KEY,',
  '  at date',
  ');',
  '-- a comment line',
  'COPY d (id, at) FROM stdin;',
  ...Array.from({ length: ROWS }, (_, i) => `${i + 1}\t2020-01-01`),
  `${ROWS + 1}\tinfinity`,
  '\\.',
  "INSERT INTO d VALUES (0, 'infinity');",
  '',
];

describe('row spans', () => {
  it('a CRLF dump reports each row on its own line, as the LF dump does, on 1 and 2 workers', async () => {
    const lf = join(work, 'lf.sql');
    const crlf = join(work, 'crlf.sql');
    writeFileSync(lf, DUMP.join('\n'));
    writeFileSync(crlf, DUMP.join('\r\n'));
    const spans = async (file: string, workers: number) => {
      const r = await convertData([{ path: 'dump.sql', file }], {}, { workers }, join(work, `out-${workers}-${file.endsWith('crlf.sql') ? 'crlf' : 'lf'}`));
      return r.diagnostics.filter((d) => d.id === 'data-unrepresentable').map((d) => [d.span?.line, d.span?.column, d.span?.offset]);
    };
    const expected = await spans(lf, 1);
    // The bad COPY row is line 6 + ROWS + 1 of the file; the INSERT two lines further.
    expect(expected.map((s) => s[0])).toEqual([6 + ROWS + 1, 6 + ROWS + 3]);
    expect(await spans(crlf, 1)).toEqual(expected);
    expect(await spans(crlf, 2)).toEqual(expected);
  }, 60_000);
});

describe('row offsets', () => {
  it("each row diagnostic's offset is its line's start in the decoded dump (multi-byte text, CRLF, a byte order mark; counted only when reported)", async () => {
    // Rows with two-, three- and four-byte characters over several 1 MiB reads, bad values early, late and in an INSERT after the block.
    const row = (i: number) => `${i}\t2020-01-01\tzé ünï 中文 😀 ${'x'.repeat(i % 50)}`;
    const lines = ['CREATE TABLE m (', '  id int PRIMARY KEY,', '  at date,', '  note text', ');', 'COPY m (id, at, note) FROM stdin;'];
    for (let i = 1; i <= 40_000; i++) lines.push(i === 7 || i === 39_990 ? `${i}\tinfinity\tbad ☃` : row(i));
    lines.push('\\.', "INSERT INTO m VALUES (0, 'infinity', 'après');", '');
    for (const [name, text] of [
      ['lf', lines.join('\n')],
      ['crlf', lines.join('\r\n')],
      ['bom', `\ufeff${lines.join('\n')}`],
    ] as const) {
      const file = join(work, `offsets-${name}.sql`);
      writeFileSync(file, text);
      // What a decoded line's .length counts: no byte order mark, no \r before \n.
      const starts: number[] = [0, 0];
      for (const l of text.replace(/^\ufeff/, '').split('\n')) starts.push(starts[starts.length - 1]! + l.replace(/\r$/, '').length + 1);
      for (const workers of [1, 2]) {
        const r = await convertData([{ path: 'dump.sql', file }], {}, { workers }, join(work, `offsets-out-${name}-${workers}`));
        const bad = r.diagnostics.filter((d) => d.id === 'data-unrepresentable');
        expect(bad.map((d) => d.span?.line), `${name}, ${workers} workers`).toEqual([6 + 7, 6 + 39_990, 6 + 40_000 + 2]);
        for (const d of bad) expect(d.span!.offset, `${name} line ${d.span!.line}`).toBe(starts[d.span!.line]! + d.span!.column - 1);
      }
    }
  }, 120_000);
});

describe('a row source that fails midway', () => {
  it('leaves no CSV chunk behind and rethrows', async () => {
    const out = join(work, 'failed');
    const schema = join(work, 'schema.sql');
    writeFileSync(schema, 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\n');
    const rows: RowSource = {
      open: async () => ({
        path: 'postgres://h/db',
        totalBytes: 0,
        lines: async function* () {
          yield ['COPY public.a (id) FROM stdin;', ...Array.from({ length: 5000 }, (_, i) => String(i + 1)), '\\.'];
          yield ['COPY public.b (id) FROM stdin;', ...Array.from({ length: 5000 }, (_, i) => String(i + 1))];
          throw new Error('connection lost');
        },
      }),
      close: async () => undefined,
    };
    // Chunks of 4 KiB: several files per table were open or closed when the source failed.
    await expect(convertData([{ path: 'schema.sql', file: schema }], {}, { rows, chunkBytes: 4096 }, out)).rejects.toThrow('connection lost');
    expect(readdirSync(out).filter((f) => f.endsWith('.csv'))).toEqual([]);
  });

  it('writes the chunks when it does not fail (the same source, ended)', async () => {
    const out = join(work, 'ok');
    const schema = join(work, 'schema-ok.sql');
    writeFileSync(schema, 'CREATE TABLE a (id int PRIMARY KEY);\n');
    const rows: RowSource = {
      open: async () => ({ path: 'postgres://h/db', totalBytes: 0, lines: async function* () { yield ['COPY public.a (id) FROM stdin;', ...Array.from({ length: 5000 }, (_, i) => String(i + 1)), '\\.']; } }),
      close: async () => undefined,
    };
    const r = await convertData([{ path: 'schema-ok.sql', file: schema }], {}, { rows, chunkBytes: 4096 }, out);
    expect(r.tables[0]?.rows).toBe(5000);
    expect(readdirSync(out).filter((f) => f.endsWith('.csv')).length).toBeGreaterThan(1);
  });
});

describe('PGT8003', () => {
  it('its fix names live sources as well as dumps', () => {
    const fix = CATALOGUE['data-table-mismatch'].fix ?? '';
    expect(fix).toContain('--from');
    expect(fix).toContain('pg_dump --schema-only');
  });
});
