// pg2tidb data from the command line: usage errors, located row-level diagnostics under each
// --on-unrepresentable policy, exit codes, chunking, and the same bytes for the same input.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

const BIN = join(ROOT, 'bin', 'pg2tidb.js');

function cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

const SCHEMA = `CREATE TABLE public.events (
    id integer NOT NULL,
    day date,
    tags text[],
    note varchar(5),
    PRIMARY KEY (id)
);
`;

/** Line 9: a date TiDB cannot hold; 10: too few fields; 11: too long for varchar(5); then an unknown table and an UPDATE. */
const DUMP = `${SCHEMA}
COPY public.events (id, day, tags, note) FROM stdin;
1	2024-01-01	{a,"b c",NULL}	ok
2	infinity	\\N	\\N
3	2024-01-03
4	2024-01-04	{}	toolong
\\.
COPY public.missing (id) FROM stdin;
1
\\.
UPDATE public.events SET note = 'x';
`;

describe('pg2tidb data (CLI)', () => {
  it('usage errors exit 2', async () => {
    expect((await cli(['data', '-'], DUMP)).code).toBe(2); // no -o
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    expect((await cli(['data', '-', '-o', out, '--on-unrepresentable', 'drop'], DUMP)).code).toBe(2);
    expect((await cli(['data', '-', '-o', out, '--chunk-size', 'big'], DUMP)).code).toBe(2);
    expect((await cli(['data', join(out, 'nope.sql'), '-o', out])).code).toBe(2);
    expect((await cli(['data', '--help'])).stdout).toContain('--on-unrepresentable');
  });

  it('every value and row not loaded is a located diagnostic, and the run exits 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    const r = await cli(['data', '-', '-o', out], DUMP);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/<stdin>:11:1 - error PGT8001 \[data-unrepresentable\]: public\.events\.day: "infinity" cannot be loaded/);
    expect(r.stderr).toMatch(/<stdin>:12:1 - error PGT8002 \[data-row-malformed\]: public\.events: the row has 2 fields, the COPY names 4 columns/);
    expect(r.stderr).toMatch(/<stdin>:13:1 - error PGT8001 \[data-unrepresentable\]: public\.events\.note: "toolong" cannot be loaded into events\.note: 7 characters do not fit VARCHAR\(5\)/);
    expect(r.stderr).toMatch(/<stdin>:15:1 - error PGT8003 \[data-table-mismatch\]: COPY into public\.missing/);
    expect(r.stderr).toMatch(/<stdin>:18:1 - warning PGT8004 \[data-statement-skipped\]: UPDATE is not replayed/);
    const csv = readFileSync(join(out, 'public.events.000001.csv'), 'utf8');
    expect(csv).toBe('"1","2024-01-01","[\\"a\\", \\"b c\\", null]","ok"\n');
    const report = JSON.parse(readFileSync(join(out, 'data-report.json'), 'utf8'));
    expect(report.totals).toEqual({ 'data-unrepresentable': 2, 'data-row-malformed': 1, 'data-table-mismatch': 1, 'data-statement-skipped': 1 });
    expect(report.exact).toBe(false);
    const manifest = JSON.parse(readFileSync(join(out, 'data-manifest.json'), 'utf8'));
    expect(manifest.tables.find((t: { table: string }) => t.table === 'events').rows).toBe(1);
  });

  it('large objects are counted as not loaded, whether the schema names them (lo_create) or only their bytes are written; the run exits 1', async () => {
    // pg_dump's forms: lo_create in the schema, lo_open/lowrite/lo_close in its BLOBS data entry.
    const blobs = (oid: string) => `SELECT pg_catalog.lo_open('${oid}', 131072);\nSELECT pg_catalog.lowrite(0, '\\x68656c6c6f');\nSELECT pg_catalog.lo_close(0);\n`;
    const schema = "CREATE TABLE public.doc (id integer PRIMARY KEY, body oid);\nSELECT pg_catalog.lo_create('16400');\nSELECT pg_catalog.lo_create('16401');\nALTER LARGE OBJECT 16400 OWNER TO postgres;\n";
    const rows = 'COPY public.doc (id, body) FROM stdin;\n1\t16400\n\\.\n';
    for (const [input, total] of [[`${schema}${rows}${blobs('16400')}${blobs('16401')}`, 2], [`${schema.replace(/SELECT pg_catalog.lo_create[^\n]*\n/g, '').replace(/ALTER LARGE[^\n]*\n/, '')}${rows}${blobs('16400')}`, 1]] as const) {
      const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
      const r = await cli(['data', '-', '-o', out], input);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`PGT8004 [data-statement-skipped]: ${total} large object${total === 1 ? ' is' : 's are'} not loaded: TiDB has no large objects`);
      const report = JSON.parse(readFileSync(join(out, 'data-report.json'), 'utf8'));
      expect([report.exact, report.totals]).toEqual([false, { 'data-statement-skipped': 1 }]);
      expect(readFileSync(join(out, 'public.doc.000001.csv'), 'utf8')).toBe('"1","16400"\n');
    }
    // translate names each one and counts the writes as data it does not translate.
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    await cli(['translate', '-', '-o', dir, '-q'], `${schema}${blobs('16400')}`);
    const said = (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { diagnostics: { id: string; message: string }[] }).diagnostics.map((d) => `${d.id}: ${d.message}`);
    expect(said).toContain('object-not-supported: SELECT lo_create 16400: TiDB has no large objects: its bytes are not carried (keep them in a BLOB column of a table)');
    expect(said).toContain('data-not-translated: SELECT lowrite into large objects: 1 statement; data statements are not translated by this command');
  });

  it("rows copied from a file (psql's \\copy ... FROM, the server's COPY ... FROM 'file' or PROGRAM) or in an included script (\\i) are reported as not loaded; exit 1", async () => {
    const input = "CREATE TABLE public.t (id integer PRIMARY KEY);\n\\copy t FROM 'rows.csv' WITH (FORMAT csv)\nCOPY public.t FROM '/srv/rows.csv' CSV;\nCOPY public.t FROM PROGRAM 'gunzip -c rows.gz';\n\\copy t TO 'out.csv'\n\\i more-rows.sql\n";
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    const r = await cli(['data', '-', '-o', out], input);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'data-report.json'), 'utf8')) as { totals: Record<string, number>; diagnostics: { message: string; span?: { line: number } }[] };
    expect(report.totals).toEqual({ 'data-statement-skipped': 4 });
    expect(report.diagnostics.map((d) => `${d.span?.line}: ${d.message.replace(/ copies rows from outside.*/, '')}`)).toEqual([
      "2: \\copy t FROM 'rows.csv' WITH (FORMAT csv)",
      "3: COPY public.t FROM '/srv/rows.csv'",
      "4: COPY public.t FROM PROGRAM 'gunzip -c rows.gz'",
      '6: \\i more-rows.sql: psql reads another file here and pg2tidb does not, so rows in that file are not loaded (give it as an input too)',
    ]);
    // The schema pass does not also call the \\copy "not translated by this command".
    expect(r.stderr).not.toContain('data-not-translated');
  });

  it('--on-unrepresentable null loads NULL in place of the value, skip-row leaves the row out; both still exit 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    const input = `${SCHEMA}COPY public.events (id, day, tags, note) FROM stdin;\n1\tinfinity\t{x}\tok\n2\t2024-01-02\t\\N\t\\N\n\\.\n`;
    const asNull = await cli(['data', '-', '-o', join(out, 'n'), '--on-unrepresentable', 'null'], input);
    expect(asNull.code).toBe(1);
    expect(readFileSync(join(out, 'n', 'public.events.000001.csv'), 'utf8')).toBe('"1",\\N,"[\\"x\\"]","ok"\n"2","2024-01-02",\\N,\\N\n');
    const skip = await cli(['data', '-', '-o', join(out, 's'), '--on-unrepresentable', 'skip-row'], input);
    expect(skip.code).toBe(1);
    expect(readFileSync(join(out, 's', 'public.events.000001.csv'), 'utf8')).toBe('"2","2024-01-02",\\N,\\N\n');
  });

  it('a clean dump exits 0; chunks split at rows; the same input gives the same bytes', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i + 1}\t2024-01-01\t{"v ${i}"}\tn${i % 10}`).join('\n');
    const input = `${SCHEMA}COPY public.events (id, day, tags, note) FROM stdin;\n${rows}\n\\.\n`;
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-data-cli-'));
    const a = await cli(['data', '-', '-o', join(out, 'a'), '--chunk-size', '2k', '--location', 's3://bucket/dump'], input);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(['data', '-', '-o', join(out, 'b'), '--chunk-size', '2k', '--location', 's3://bucket/dump'], input);
    expect(b.code).toBe(0);
    const files = readdirSync(join(out, 'a')).sort();
    const chunks = files.filter((f) => /^public\.events\.\d{6}\.csv$/.test(f));
    expect(chunks.length).toBeGreaterThan(3);
    for (const f of chunks) expect(readFileSync(join(out, 'a', f)).length).toBeLessThanOrEqual(2048);
    expect(readdirSync(join(out, 'b')).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(out, 'b', f)).equals(readFileSync(join(out, 'a', f))), f).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'a', 'data-manifest.json'), 'utf8'));
    const events = manifest.tables.find((t: { table: string }) => t.table === 'events');
    expect(events.rows).toBe(200);
    expect(events.files.reduce((n: number, f: { rows: number }) => n + f.rows, 0)).toBe(200);
    const load = readFileSync(join(out, 'a', 'load.sql'), 'utf8');
    expect(load.match(/^LOAD DATA LOCAL INFILE/gm)?.length).toBe(chunks.length);
    expect(readFileSync(join(out, 'a', 'import.sql'), 'utf8')).toContain(`IMPORT INTO \`public\`.\`events\` (\`id\`, \`day\`, \`tags\`, \`note\`) FROM 's3://bucket/dump/public.events.*.csv' FORMAT 'csv'`);
  });
});
