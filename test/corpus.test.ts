import { describe, expect, it } from 'vitest';
import { subjectText } from '../src/diagnostics/subject.js';
import { countBySeverity } from '../src/diagnostics/diagnostic.js';
import { translate } from '../src/index.js';
import { conservationGaps } from './helpers/ir-conservation.js';
import { corpusFiles, readCorpus } from './helpers/fixtures.js';

const files = corpusFiles();

describe('shared corpus', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const path of files) {
    const file = readCorpus(path);
    it(`${file.path} translates and conserves every object`, async () => {
      const result = await translate(file);
      expect(conservationGaps(result)).toEqual([]);
      for (const d of result.diagnostics) {
        if (d.span) {
          expect(d.span.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.offset + d.span.length).toBeLessThanOrEqual(file.text.length);
        }
      }
      const c = countBySeverity(result.diagnostics);
      // One line per corpus file: statements in, tables out, diagnostics by severity.
      console.log(`corpus ${file.path}: ${result.report.inputs[0]!.statements} statements in, ${result.report.summary.tables} tables out, ${c.error} errors / ${c.warning} warnings / ${c.info} notes`);
    });
  }

  it('pagila: film.special_features is JSON and every trigger, function and the tsvector column is reported', async () => {
    const result = await translate(readCorpus(files.find((f) => f.endsWith('pg/pagila-schema.sql'))!));
    const film = result.tidb.tables.find((t) => t.name.name === 'film')!;
    expect(film.columns.find((c) => c.name === 'special_features')!.type.base).toBe('JSON');
    const messages = result.diagnostics.map((d) => d.message);
    const triggers = result.schema.others.filter((o) => o.kind === 'trigger');
    const functions = result.schema.others.filter((o) => o.kind === 'function');
    expect(triggers.length).toBe(16);
    expect(functions.length).toBe(9);
    // Reported as not supported, or (pagila's last_updated) as converted to ON UPDATE CURRENT_TIMESTAMP.
    for (const o of [...triggers, ...functions]) expect(messages.some((m) => m.startsWith(`${o.statement} ${o.name}`)) || result.diagnostics.some((d) => d.id === 'trigger-converted' && d.span?.file === o.span?.file && d.span?.line === o.span?.line), o.name).toBe(true);
    expect(result.diagnostics.filter((d) => d.id === 'trigger-converted' && d.subject.kind === 'trigger').length).toBe(15); // measured: all but film_fulltext_trigger
    expect(result.diagnostics.some((d) => d.id === 'unsupported-type' && subjectText(d.subject) === 'public.film.fulltext')).toBe(true);
  });
});
