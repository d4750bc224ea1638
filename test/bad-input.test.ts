import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, translate } from '../src/index.js';
import { ROOT } from './helpers/fixtures.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'pg2tidb.js');
const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-bad-'));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A clear message names the file, line and column, and never shows a stack trace. */
function expectClearError(stderr: string, path: string): void {
  expect(stderr).toContain(path);
  expect(stderr).toMatch(/:\d+:\d+ - error PGT\d{4}/);
  expect(stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
}

describe('bad input never crashes the tool', () => {
  it('empty file: input error, exit 2', async () => {
    const path = file('empty.sql', '');
    const r = await cli(['translate', path]);
    expect(r.code).toBe(2);
    expectClearError(r.stderr, path);
    expect(r.stdout).toBe('');
  });

  it('binary file: input error, exit 2', async () => {
    const path = file('binary.sql', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254, 0, 0, 7]));
    const r = await cli(['translate', path]);
    expect(r.code).toBe(2);
    expectClearError(r.stderr, path);
  });

  it('not SQL: input error, exit 2', async () => {
    const path = file('prose.sql', 'Dear team,\nplease migrate the database.\n');
    const r = await cli(['translate', path]);
    expect(r.code).toBe(2);
    expectClearError(r.stderr, path);
  });

  it('missing file: one message, exit 2', async () => {
    const r = await cli(['translate', join(dir, 'nope.sql')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.sql');
  });

  it('truncated statement: syntax error with a location, exit 1, the rest translated', async () => {
    const path = file('truncated.sql', 'CREATE TABLE ok (id int PRIMARY KEY);\nCREATE TABLE cut (id int, name te');
    const r = await cli(['translate', path]);
    expect(r.code).toBe(1);
    expectClearError(r.stderr, path);
    expect(r.stdout).toContain('CREATE TABLE `public`.`ok`');
  });

  it('unterminated dollar quote: syntax error at its line, exit 1', async () => {
    const path = file('dollar.sql', 'CREATE TABLE ok (id int);\n\nCREATE FUNCTION f() RETURNS int AS $body$\nSELECT 1;\n');
    const r = await cli(['translate', path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+ - error PGT0002`));
    expect(r.stderr).toContain('dollar-quoted');
  });

  it('a 10 MB single line: a diagnostic with a location, no crash', async () => {
    const line = `CREATE TABLE big (id int); INSERT INTO big VALUES ${Array.from({ length: 1_200_000 }, (_, i) => `(${i})`).join(',')}; CREATE TABLE broken (;`;
    expect(line.length).toBeGreaterThan(10_000_000);
    const path = file('long.sql', line);
    const r = await cli(['translate', path]);
    expect(r.code).toBe(1);
    expectClearError(r.stderr, path);
    expect(r.stdout).toContain('`big`');
  }, 120_000);

  it('library: bad inputs give diagnostics, not exceptions', async () => {
    for (const text of ['', '\0\0\0', 'CREATE TABLE (', "SELECT 'unterminated", '/* never closed', '"', 'CREATE TABLE t (a int) PARTITION BY RANGE (a);']) {
      const result = await translate({ path: 'x.sql', text });
      if (text.trim() !== '' && !text.startsWith('CREATE TABLE t')) expect(exitCodeFor(result, false)).toBeGreaterThan(0);
      for (const d of result.diagnostics) {
        if (d.span) expect(d.span.offset + d.span.length).toBeLessThanOrEqual(text.length);
      }
    }
  });
});
