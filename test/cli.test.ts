import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, CORPUS } from './helpers/fixtures.js';
import { VERSION } from '../src/index.js';

const run = promisify(execFile);
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
    expect(messages.filter((m) => m.startsWith('CREATE TRIGGER')).length).toBe(16);
    expect(messages.filter((m) => m.startsWith('CREATE FUNCTION')).length).toBe(9);
    expect(report.diagnostics.some((d: { subject?: string; id: string }) => d.subject === 'public.film.fulltext' && d.id === 'unsupported-type')).toBe(true);
  });
});
