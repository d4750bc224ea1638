// pg2tidb data on corpus dumps with COPY data and INSERTs: 1, 2 and 3 worker threads write the
// same files (CSV chunks, manifest, load scripts) and report the same diagnostics.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { ROOT } from './helpers/fixtures.js';

const corpus = resolve(ROOT, '../shared/corpus');
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-data-workers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CASES = [
  { name: 'sakila', inputs: ['pairs/sakila/pg.sql', 'pg/sakila_postgres_insert-data-using-copy.sql'] },
  { name: 'chinook', inputs: ['pg/chinook_postgresql_full.sql'] },
];

describe('the same output for any worker count', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const read = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'latin1').replaceAll(dir, '<out>')]));
      const inputs = c.inputs.map((f) => ({ path: f, file: join(corpus, f) }));
      const runs = [];
      for (const workers of [1, 2, 3]) {
        const out = join(work, `${c.name}-w${workers}`);
        // Small chunks, so that the tables' files split and the row order inside them matters.
        const r = await convertData(inputs, {}, { workers, chunkBytes: 32 * 1024 }, out);
        runs.push({ files: read(out), diagnostics: r.diagnostics, tables: r.tables, exact: r.exact });
      }
      expect(runs[0]!.tables.filter((t) => t.rows > 0).length).toBeGreaterThan(5);
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
    }, 300_000);
  }
});
