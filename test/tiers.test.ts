// The unit tier must start no oracle; the oracles tier should hold only files that need one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { CORPUS_TESTS, ORACLE_TESTS, oraclesUsedBy, readsCorpus } from './setup/tiers.js';

// test/ and its sub-folders (test/differential/), as vitest's include reads them.
const testFiles = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
  .map((f) => f.replace(/\\/g, '/'))
  .filter((f) => f.endsWith('.test.ts') && f !== 'tiers.test.ts') // this file quotes the patterns
  .map((f) => `test/${f}`)
  .sort();

describe('test tiers', () => {
  it('lists only existing files as oracle tests', () => {
    expect(ORACLE_TESTS.filter((f) => !testFiles.includes(f))).toEqual([]);
  });

  it('puts every file that reaches an oracle in the oracles tier, and no other', () => {
    const misplaced = testFiles.flatMap((f) => {
      const uses = oraclesUsedBy(readFileSync(join(ROOT, f), 'utf8'));
      const listed = ORACLE_TESTS.includes(f);
      if (uses.length > 0 && !listed) return [`${f} uses ${uses.join(', ')}: add it to ORACLE_TESTS (test/setup/tiers.ts)`];
      if (uses.length === 0 && listed) return [`${f} uses no oracle: remove it from ORACLE_TESTS`];
      return [];
    });
    expect(misplaced).toEqual([]);
  });

  it('puts every oracle-free file that reads the corpus in the corpus tier, and no other', () => {
    expect(CORPUS_TESTS.filter((f) => !testFiles.includes(f) || ORACLE_TESTS.includes(f))).toEqual([]);
    const misplaced = testFiles.flatMap((f) => {
      if (ORACLE_TESTS.includes(f)) return [];
      const reads = readsCorpus(readFileSync(join(ROOT, f), 'utf8'));
      const listed = CORPUS_TESTS.includes(f);
      if (reads && !listed) return [`${f} reads ../shared/corpus: add it to CORPUS_TESTS (test/setup/tiers.ts)`];
      if (!reads && listed) return [`${f} does not read the corpus: remove it from CORPUS_TESTS`];
      return [];
    });
    expect(misplaced).toEqual([]);
  });

  it('recognises each way of reaching an oracle', () => {
    expect(oraclesUsedBy("import { tidbCheck } from './helpers/tidb-parser.js';")).toEqual(['TiDB parser']);
    expect(oraclesUsedBy("const port = inject('tidbPort');")).toEqual(['tidb-server']);
    expect(oraclesUsedBy("join(repo, 'test', 'oracles', 'python', 'setup.sh')")).toHaveLength(1);
    expect(oraclesUsedBy("import { translate } from '../src/index.js';")).toEqual([]);
  });
});
