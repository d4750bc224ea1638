/**
 * Parsing on worker threads (src/frontends/postgres/parse-pool.ts) must not change a byte of
 * the output: for every corpus file, a synthetic multi-megabyte dump, and inputs with syntax
 * errors, translate() with workers equals translate() without. The raw WASM calls the workers
 * use (raw-parser.ts) must give exactly libpg-query's parseSync trees and error cursors.
 */
import { loadModule, parseSync } from 'libpg-query';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module, no declarations
import { generateSchema } from '../bench/generate.mjs';
import { parsedChars, parseWorkerCount, PARALLEL_PARSE_MIN_BYTES } from '../src/frontends/postgres/index.js';
import { planFile } from '../src/frontends/postgres/parse.js';
import { loadRawParser, type RawParser } from '../src/frontends/postgres/raw-parser.js';
import { splitStatements } from '../src/frontends/postgres/split.js';
import { translate } from '../src/translate.js';
import type { SourceFile } from '../src/diagnostics/span.js';
import { corpusFiles, readCorpus } from './helpers/fixtures.js';

/** The same bytes on the calling thread as with each worker count (the reference translated once). */
async function sameEitherWay(files: SourceFile[], ...workerCounts: number[]): Promise<void> {
  const one = await translate(files, {}, { parseWorkers: 0 });
  for (const workers of workerCounts) {
    const many = await translate(files, {}, { parseWorkers: workers });
    expect(many.sql, `${workers} workers`).toBe(one.sql);
    expect(JSON.stringify(many.report), `${workers} workers`).toBe(JSON.stringify(one.report));
  }
}

describe('raw parser = libpg-query parseSync', () => {
  let raw: RawParser;
  beforeAll(async () => {
    await loadModule();
    raw = await loadRawParser();
  });

  it('gives the same trees and error cursors on every corpus statement', () => {
    let parsed = 0;
    let failed = 0;
    for (const path of corpusFiles()) {
      const { text } = readCorpus(path);
      for (const s of splitStatements(text).statements) {
        const sql = text.slice(s.start, s.end);
        if (sql.trim() === '') continue;
        const mine = raw(sql);
        let theirs: unknown;
        try {
          theirs = parseSync(sql);
        } catch (e) {
          const details = (e as { sqlDetails?: { message: string; cursorPosition: number } }).sqlDetails!;
          expect(mine).toEqual({ ok: false, message: details.message, cursorPosition: details.cursorPosition });
          failed++;
          continue;
        }
        expect(mine.ok).toBe(true);
        if (mine.ok) expect(JSON.parse(mine.json)).toEqual(theirs);
        parsed++;
      }
    }
    expect(parsed).toBeGreaterThan(5000);
    expect(failed).toBeGreaterThan(0);
  }, 120_000);

  it('handles non-ASCII text and empty input', () => {
    const sql = "COMMENT ON TABLE t IS 'naïve 日本語 🚀'";
    const mine = raw(sql);
    expect(mine.ok && JSON.parse(mine.json)).toEqual(parseSync(sql));
    expect(raw('')).toEqual({ ok: false, message: 'Query cannot be empty', cursorPosition: -1 });
  });
});

describe('parse workers: the same bytes out', () => {
  it('uses workers only for inputs large enough to pay for them', () => {
    expect(parseWorkerCount(PARALLEL_PARSE_MIN_BYTES - 1)).toBe(0);
    expect(parseWorkerCount(PARALLEL_PARSE_MIN_BYTES)).toBe(Math.min(availableParallelism() - 1, 4));
    expect(parseWorkerCount(100, 3)).toBe(3);
    expect(parseWorkerCount(100 * 1024 * 1024, 0)).toBe(0);
  });

  it('counts only what the parser will see: COPY data and INSERTs need no workers', () => {
    const ddl = 'CREATE TABLE t (id int, name text);\n';
    const copy = `COPY t (id, name) FROM stdin;\n${'1\tx\n'.repeat(1_000_000)}\\.\n`;
    const inserts = "INSERT INTO t VALUES (1, 'x');\n".repeat(100_000);
    const plan = planFile({ path: 'dump.sql', text: ddl + copy + inserts });
    expect(plan.file.text.length).toBeGreaterThan(PARALLEL_PARSE_MIN_BYTES);
    expect(parsedChars([plan])).toBeLessThan(100);
  });

  it('every corpus file, together, with 2 workers', async () => {
    await sameEitherWay(corpusFiles().map(readCorpus), 2);
  }, 120_000);

  // 1.5 MB is about six of the pool's ~256 KB chunks: enough for every worker to get several, out of order.
  it('a 1.5 MB synthetic pg_dump, with 1 and 3 workers', async () => {
    const text = (generateSchema(1.5 * 1024 * 1024, 7) as { parts: string[] }).parts.join('');
    await sameEitherWay([{ path: 'synth-1.5MB.sql', text }], 1, 3);
  }, 120_000);

  it('reports progress chunk by chunk within one large file, with or without workers', async () => {
    const text = (generateSchema(1024 * 1024, 3) as { parts: string[] }).parts.join('');
    for (const parseWorkers of [0, 2]) {
      const seen: number[] = [];
      const result = await translate({ path: 'big.sql', text }, {}, { parseWorkers, onProgress: (p) => p.filesDone === 0 && seen.push(p.statements) });
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(seen.at(-1)).toBeLessThanOrEqual(result.report.inputs[0]!.statements);
    }
  }, 60_000);

  it('syntax errors, a missing semicolon and an unterminated quote', async () => {
    const text = [
      'CREATE TABLE a (id int PRIMARY KEY);',
      'CREATE TABLE b (id int REFERENCES a)',
      'CREATE TABLE c (id serial);',
      'CREATE TABLE broken (;',
      "COMMENT ON TABLE a IS 'naïve';",
      "CREATE TABLE d (note text DEFAULT 'never closed);",
    ].join('\n');
    await sameEitherWay([{ path: 'bad.sql', text }], 2);
    const result = await translate({ path: 'bad.sql', text }, {}, { parseWorkers: 2 });
    expect(result.diagnostics.map((d) => d.id)).toEqual(expect.arrayContaining(['syntax-error', 'unsupported-syntax']));
  });
});
