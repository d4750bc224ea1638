import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ROOT, CORPUS } from './helpers/fixtures.js';
import { VERSION, translate, type TranslateProgress } from '../src/index.js';
import { main } from '../src/cli/main.js';

const BIN = join(ROOT, 'bin', 'pg2tidb.js');

async function cli(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

describe('CLI', () => {
  it('--help and --version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('pg2tidb translate');
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toBe(VERSION);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version).toBe(VERSION);
  });

  it('usage errors exit 2', async () => {
    expect((await cli(['translate'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['translate', 'x.sql', '--uuid', 'hex'])).code).toBe(2);
    expect((await cli(['translate', 'x.sql', '--bogus'])).code).toBe(2);
  });

  it('reads standard input and writes DDL to stdout, diagnostics to stderr', async () => {
    const r = await cli(['translate', '-'], 'CREATE TABLE t (id serial PRIMARY KEY, tags text[]);');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('`tags` JSON NULL');
    expect(r.stderr).toContain('<stdin>:1:');
  });

  it('--strict fails on warnings; --format json prints diagnostics as JSON', async () => {
    const strict = await cli(['translate', '-', '--strict'], 'CREATE TABLE t (tags text[]);');
    expect(strict.code).toBe(1);
    const json = await cli(['translate', '-', '--format', 'json'], 'CREATE TABLE t (tags text[]);');
    const diagnostics = JSON.parse(json.stderr);
    expect(diagnostics.some((d: { id: string }) => d.id === 'array-to-json')).toBe(true);
  });

  it('options reach the translation', async () => {
    const r = await cli(['translate', '-', '--uuid', 'binary16', '--timestamptz', 'timestamp', '--collation', 'utf8mb4_0900_bin', '--auto-random'], 'CREATE TABLE t (id bigserial PRIMARY KEY, u uuid, at timestamptz);');
    expect(r.stdout).toContain('`u` BINARY(16)');
    expect(r.stdout).toContain('`at` TIMESTAMP(6)');
    expect(r.stdout).toContain('COLLATE utf8mb4_0900_bin');
    expect(r.stdout).toContain('AUTO_RANDOM(5)');
  });

  it('-o writes tidb.sql and report.json (the issue\'s pagila check)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-cli-'));
    const r = await cli(['translate', join(CORPUS, 'pg', 'pagila-schema.sql'), '-o', out]);
    expect(r.code).toBe(0);
    expect(existsSync(join(out, 'tidb.sql'))).toBe(true);
    const sql = readFileSync(join(out, 'tidb.sql'), 'utf8');
    expect(sql).toMatch(/CREATE TABLE `public`\.`film` \([\s\S]*`special_features` JSON NULL/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const messages: string[] = report.diagnostics.map((d: { message: string }) => d.message);
    // 15 of pagila's 16 triggers only stamp last_update: they become ON UPDATE CURRENT_TIMESTAMP, and
    // their function with them; the other trigger and 8 functions stay reported.
    const converted = report.diagnostics.filter((d: { id: string }) => d.id === 'trigger-converted').map((d: { message: string }) => d.message);
    expect(converted.filter((m: string) => m.startsWith('trigger ')).length).toBe(15);
    expect(converted.filter((m: string) => m.startsWith('function ')).length).toBe(1);
    expect(messages.filter((m) => m.startsWith('CREATE TRIGGER')).length).toBe(1);
    expect(messages.filter((m) => m.startsWith('CREATE FUNCTION')).length).toBe(8);
    expect(report.diagnostics.some((d: { subject: { kind: string; database?: string; table?: string; column?: string }; id: string }) => d.subject.kind === 'column' && d.subject.database === 'public' && d.subject.table === 'film' && d.subject.column === 'fulltext' && d.id === 'unsupported-type')).toBe(true);
  });

  it('with -o, prints at most --max-diagnostics in full; report.json keeps them all', async () => {
    const file = join(CORPUS, 'pg', 'pagila-schema.sql');
    const out = mkdtempSync(join(tmpdir(), 'pg2tidb-cli-'));
    const entry = /^(\S+ - )?(error|warning|info) PGT\d+ \[/gm;
    const few = await cli(['translate', file, '-o', out, '--max-diagnostics', '5', '--verbose']);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { diagnostics: { severity: string }[]; groups: { id: string; severity: string; count: number }[] };
    const total = report.diagnostics.length;
    expect(total).toBeGreaterThan(5);
    expect(few.stderr.match(entry)).toHaveLength(5);
    expect(few.stderr).toContain(`... and ${total - 5} more not shown here (`);
    const all = await cli(['translate', file, '-o', out, '--max-diagnostics', '0', '--verbose']);
    expect(all.stderr.match(entry)).toHaveLength(total);
    const stdout = await cli(['translate', file, '--max-diagnostics', '5', '--verbose']);
    expect(stdout.stderr.match(entry)).toHaveLength(total);
    // Grouped (the default): every error, then one entry per group; the groups cover every occurrence.
    expect(report.groups.reduce((n, g) => n + g.count, 0)).toBe(total);
    const grouped = await cli(['translate', file, '-o', out, '--max-diagnostics', '0']);
    const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
    const kinds = new Set(report.groups.filter((g) => g.severity !== 'error').map((g) => `${g.id} ${g.severity}`));
    expect(grouped.stderr.match(entry)).toHaveLength(errors + kinds.size);
    expect(grouped.stderr).toMatch(/\] x\d+: .*: \d+ \w+/);
    expect(grouped.stderr).toContain('count by code');
    expect((await cli(['translate', file, '-o', out, '--max-diagnostics', 'x'])).code).toBe(2);
  });
});

/** A stderr/stdout for `main` that remembers what was written; `isTTY` fakes a terminal. */
function memoryStream(isTTY: boolean): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  Object.assign(stream, { isTTY, columns: 200 });
  return { stream, text: () => chunks.join('') };
}

async function runMain(args: string[], cwd: string, isTTY: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = memoryStream(false);
  const stderr = memoryStream(isTTY);
  const code = await main(args, { stdin: Readable.from([]), stdout: stdout.stream, stderr: stderr.stream, cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const CLEAR = '\r\x1b[2K';

describe('progress on a terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-progress-'));
  mkdirSync(join(dir, 'schema'));
  for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, 'schema', `${name}.sql`), `CREATE TABLE ${name} (id int PRIMARY KEY);\nCREATE INDEX ${name}_id ON ${name} (id);\n`);
  // Over 1 MB in one file: large enough for a progress line on its own.
  writeFileSync(join(dir, 'big.sql'), `-- ${'x'.repeat(1_100_000)}\nCREATE TABLE big (id int PRIMARY KEY);\n`);

  it('a multi-file run on a TTY rewrites one line, then replaces it with the summary', async () => {
    const r = await runMain(['translate', 'schema'], dir, true);
    expect(r.code).toBe(0);
    // The first update is shown at once: a.sql's statements, before the file is counted as done.
    expect(r.stderr).toContain(`${CLEAR}translating: 0/3 files, 2 statements`);
    expect(r.stderr).toMatch(/\r\x1b\[2Ktranslating: 3\/3 files, 6 statements, \d+ statements\/s {2}schema\/c\.sql/);
    // The line is erased and the summary takes its place; no progress text after it.
    expect(r.stderr).toMatch(/\r\x1b\[2Ktranslated 3 files, 6 statements in \d+\.\d+s \(\d+ statements\/s\)\n/);
    expect(r.stderr.slice(r.stderr.lastIndexOf(CLEAR))).toMatch(/^\r\x1b\[2Ktranslated 3 files/);
    expect(r.stdout).toContain('CREATE TABLE `public`.`c`');
  });

  it('a single large file gets the line too; a small one does not', async () => {
    const big = await runMain(['translate', 'big.sql'], dir, true);
    expect(big.stderr).toContain(`${CLEAR}translating: 1/1 files, 1 statements`);
    const small = await runMain(['translate', 'schema/a.sql'], dir, true);
    expect(small.stderr).not.toContain('translating:');
    expect(small.stderr).not.toContain('\r');
  });

  it('never when stderr is not a TTY, with --quiet, or with --format json', async () => {
    const piped = await runMain(['translate', 'schema', 'big.sql'], dir, false);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain('\r');
    expect(piped.stderr).not.toMatch(/translating:|translated \d+ files/);
    const quiet = await runMain(['translate', 'schema', '-q'], dir, true);
    expect(quiet.stderr).not.toMatch(/translating:|translated \d+ files|\r/);
    const json = await runMain(['translate', 'schema', '--format', 'json'], dir, true);
    expect(json.stderr).not.toMatch(/translating:|translated \d+ files|\r/);
    expect(Array.isArray(JSON.parse(json.stderr))).toBe(true);
  });

  it('translate reports progress within and after each file, in order', async () => {
    const seen: TranslateProgress[] = [];
    const files = [
      { path: 'one.sql', text: 'CREATE TABLE one (id int);\nCREATE TABLE one_b (id int);\n' },
      { path: 'empty.sql', text: '' },
      { path: 'two.sql', text: 'CREATE TABLE two (id int);\n' },
    ];
    const withProgress = await translate(files, {}, { onProgress: (p) => seen.push(p) });
    // The empty file is rejected before any frontend runs, so it is reported first; then each
    // chunk of SQL as it is lowered, and each file when it is done.
    expect(seen).toEqual([
      { filesDone: 1, filesTotal: 3, statements: 0, file: 'empty.sql' },
      { filesDone: 1, filesTotal: 3, statements: 2, file: 'one.sql' },
      { filesDone: 2, filesTotal: 3, statements: 2, file: 'one.sql' },
      { filesDone: 2, filesTotal: 3, statements: 3, file: 'two.sql' },
      { filesDone: 3, filesTotal: 3, statements: 3, file: 'two.sql' },
    ]);
    expect(withProgress.sql).toBe((await translate(files)).sql);
  });
});
