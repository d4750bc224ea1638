// Issue 13 (key fitting): a prefix diagnostic describes the index as emitted. Over every fixture,
// an `index-key-too-long` warning about an emitted index means that index has a column prefix, every
// emitted prefix is reported (by key fitting, or as the user's `col::varchar(n)` cast), and no prefix
// is as long as its column (TiDB refuses one longer, error 1089; one as long is no prefix at all).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import type { SourceSpan } from '../src/diagnostics/span.js';
import type { TidbIndex, TidbTable } from '../src/ir/tidb.js';
import { translate } from '../src/index.js';
import { listFixtures } from './helpers/fixtures.js';

const BOUNDED = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);
const at = (s: SourceSpan | undefined) => (s ? `${s.file}:${s.offset}:${s.length}` : undefined);

/** The diagnostics about one emitted index: the same source span, or (without one) its table and name. */
function about(diagnostics: readonly Diagnostic[], table: TidbTable, index: TidbIndex): Diagnostic[] {
  return diagnostics.filter((d) => {
    if (d.subject.kind !== 'index') return false;
    if (index.span && d.span) return at(index.span) === at(d.span);
    return d.subject.table === table.name.name && d.subject.name === index.name;
  });
}

describe('prefix diagnostics match the emitted indexes', () => {
  const fixtures = listFixtures();
  it(`over all ${fixtures.length} fixtures: reported prefix <=> emitted prefix, and no prefix as long as its column`, async () => {
    const problems: string[] = [];
    let prefixed = 0;
    for (const fixture of fixtures) {
      const result = await translate(fixture.files, fixture.options);
      for (const table of result.tidb.tables) {
        const columns = new Map(table.columns.map((c) => [c.name, c]));
        for (const index of table.indexes) {
          const where = `${fixture.name}: ${table.name.name}.${index.name}`;
          const prefixes = index.parts.flatMap((p) => ('column' in p && p.length !== undefined ? [{ column: p.column, length: p.length }] : []));
          const diagnostics = about(result.diagnostics, table, index);
          const fitted = diagnostics.some((d) => d.id === 'index-key-too-long');
          const cast = diagnostics.some((d) => d.id === 'expression-index');
          if (fitted && prefixes.length === 0) problems.push(`${where}: reported as indexed on prefixes, emitted without one`);
          if (prefixes.length > 0 && !fitted && !cast) problems.push(`${where}: emitted with prefixes ${JSON.stringify(prefixes)} that no diagnostic reports`);
          for (const p of prefixes) {
            const type = columns.get(p.column)?.type;
            if (type && BOUNDED.has(type.base) && type.length !== undefined && p.length >= type.length) problems.push(`${where}: prefix ${p.column}(${p.length}) is not shorter than ${type.base}(${type.length})`);
          }
          if (prefixes.length > 0) prefixed++;
        }
      }
    }
    expect(problems).toEqual([]);
    // The fixtures do exercise prefixes (key-length, key-chosen-lengths-first, prop-fk-widened-index, ...).
    expect(prefixed).toBeGreaterThan(3);
  }, 120_000);
});
