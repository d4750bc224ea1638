// Issue 13: conservation judged on structure (test/helpers/ir-conservation.ts): every IR object of
// every fixture is in the TiDB schema (by name or through the rename map) or named by a diagnostic's
// subject. The corpus runs the same check in test/corpus.test.ts.
import { describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';
import { conservationGaps } from './helpers/ir-conservation.js';
import { listFixtures } from './helpers/fixtures.js';

describe('structural conservation', () => {
  for (const f of listFixtures()) {
    it(`${f.name}: every IR object is emitted, renamed or named by a diagnostic subject`, async () => {
      const result = await translate(f.files, f.options);
      expect(conservationGaps(result)).toEqual([]);
    });
  }

  it('finds an object whose diagnostic is gone, and never reads message text', async () => {
    const result = await translate({ path: 'in.sql', text: 'CREATE TYPE mood AS ENUM (\'a\');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCREATE TABLE t (id int, PRIMARY KEY (id));\n' });
    expect(conservationGaps(result)).toEqual([]);
    expect(conservationGaps({ ...result, diagnostics: result.diagnostics.filter((d) => d.id !== 'type-object-inlined') })).toEqual(['enum public.mood']);
    const prose = result.diagnostics.map((d) => (d.id === 'object-not-supported' ? { ...d, subject: { kind: 'statement' as const } } : d));
    expect(conservationGaps({ ...result, diagnostics: prose })).toEqual([expect.stringMatching(/^statement CREATE FUNCTION f at in\.sql:2$/)]);
    const noTable = { ...result, tidb: { ...result.tidb, tables: [] } };
    expect(conservationGaps(noTable)).toEqual(['table public.t']);
  });
});
