import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputs } from '../src/config/generate.js';
import { renderOutputs } from '../src/outputs.js';
import { translate } from '../src/translate.js';
import { jsonChunks } from '../src/util/json-chunks.js';
import { corpusFiles, readCorpus } from './helpers/fixtures.js';

const joined = (v: Record<string, unknown>) => [...jsonChunks(v)].join('');

describe('jsonChunks: JSON.stringify(value, null, 2) in pieces', () => {
  it('matches JSON.stringify on awkward values', () => {
    const values: Record<string, unknown>[] = [
      {},
      { a: undefined, f: () => 1 },
      { empty: [], nested: [[], [1, [2, { x: 'a\nb "q" ü 😀' }]], {}], n: null, u: [undefined, () => 1, 3] },
      { list: [{ k: 1, skip: undefined }, 'two', 3.5, true, null], date: new Date(0), obj: { deep: { deeper: [1, 2] } } },
    ];
    for (const v of values) expect(joined(v)).toBe(JSON.stringify(v, null, 2));
  });

  it('matches JSON.stringify on the report of every corpus file', async () => {
    for (const path of corpusFiles()) {
      const { report } = await translate(readCorpus(path));
      const r = report as unknown as Record<string, unknown>;
      expect(joined(r), path).toBe(JSON.stringify(r, null, 2));
    }
  }, 120_000);

  it('writeOutputs streams report.json to the same bytes as its content', async () => {
    const result = await translate(readCorpus(corpusFiles()[0]!));
    const files = await renderOutputs(result, ['tidb']);
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-chunks-'));
    await writeOutputs(dir, files);
    for (const f of files) expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(f.content);
    expect(files.find((f) => f.path === 'report.json')?.chunks).toBeDefined();
  });
});
