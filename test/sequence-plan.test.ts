import { describe, expect, it } from 'vitest';
import { DiagnosticBag } from '../src/diagnostics/diagnostic.js';
import type { Column, Identity, Schema, Table } from '../src/ir/schema.js';
import { resolveOptions } from '../src/transform/options.js';
import { TransformContext } from '../src/transform/context.js';
import { SequencePlan } from '../src/transform/sequences.js';

const column = (name: string, identity?: Identity): Column => ({ name, type: { name: 'bigint', raw: 'bigint' }, notNull: true, ...(identity ? { identity } : {}) }) as unknown as Column;
const table = (name: string, columns: Column[], primaryKey: string[]): Table =>
  ({ name: { name }, columns, primaryKey: { columns: primaryKey }, uniques: [], foreignKeys: [], checks: [], excludes: [], indexes: [], inherits: [], persistence: 'permanent' }) as unknown as Table;

function plan(tables: Table[]) {
  const schema: Schema = { namespaces: [], tables, enums: [], domains: [], composites: [], sequences: [], views: [], extensions: [], others: [], notes: [] };
  const bag = new DiagnosticBag();
  const ctx = new TransformContext(schema, resolveOptions({}), bag);
  return { plan: new SequencePlan(ctx, new Set()), bag };
}

describe('SequencePlan: one AUTO_INCREMENT per table', () => {
  it('gives AUTO_INCREMENT to the key column even when declared second; the other identity keeps a SEQUENCE', () => {
    const seqNo = column('seq_no', { kind: 'by-default', start: '7' });
    const id = column('id', { kind: 'always' });
    const t = table('runs', [seqNo, id], ['id']);
    const { plan: p, bag } = plan([t]);
    expect(p.forColumn(t, id)?.kind).toBe('auto-increment');
    expect(p.forColumn(t, seqNo)).toEqual({ kind: 'sequence', sequence: { database: 'public', name: 'runs_seq_no_seq' } });
    expect(p.sequences).toEqual([{ name: { database: 'public', name: 'runs_seq_no_seq' }, start: '7' }]);
    expect(bag.items.filter((d) => d.id === 'sequence-demoted')).toHaveLength(1);
  });

  it('leaves a table with one generator alone', () => {
    const id = column('id', { kind: 'serial' });
    const t = table('a', [id, column('v')], ['id']);
    const { plan: p } = plan([t]);
    expect(p.forColumn(t, id)?.kind).toBe('auto-increment');
    expect(p.sequences).toEqual([]);
  });
});
