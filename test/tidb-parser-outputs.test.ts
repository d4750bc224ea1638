import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';
import { CORPUS, corpusFiles, GOLDEN, listFixtures, readCorpus } from './helpers/fixtures.js';
import { tidbCheck, type TidbBatchResult } from './helpers/tidb-parser.js';

// TiDB's own parser (issue 3) judges every golden tidb.sql and the output for every corpus
// input, statement by statement, plus the semantic rules the parser does not check.
const batches: { id: string; sql: string }[] = [];
let results: Map<string, TidbBatchResult>;
let statementsChecked = 0;

beforeAll(async () => {
  for (const f of listFixtures()) batches.push({ id: `golden/${f.name}`, sql: readFileSync(join(GOLDEN, f.name, 'tidb.sql'), 'utf8') });
  for (const path of corpusFiles()) {
    const result = await translate(readCorpus(path));
    batches.push({ id: `corpus/${path.slice(CORPUS.length + 1)}`, sql: result.sql });
  }
  results = await tidbCheck(batches);
  statementsChecked = [...results.values()].reduce((n, r) => n + r.statements.length, 0);
}, 600_000);

describe("TiDB's parser accepts every emitted statement", () => {
  it('checked a meaningful number of statements', () => {
    console.log(`tidb parser oracle: ${statementsChecked} statements in ${batches.length} outputs`);
    expect(statementsChecked).toBeGreaterThan(500);
  });

  it.each(listFixtures().map((f) => `golden/${f.name}`).concat(corpusFiles().map((p) => `corpus/${p.slice(CORPUS.length + 1)}`)))('%s', (id) => {
    const r = results.get(id)!;
    expect(r, `no oracle result for ${id}`).toBeDefined();
    const rejected = r.statements.filter((s) => !s.ok).map((s) => `${s.error} in: ${s.text.slice(0, 200)}`);
    expect(rejected).toEqual([]);
    const violations = r.violations.map((v) => `${v.rule}: ${v.message}`);
    expect(violations).toEqual([]);
  });
});
