import { describe, expect, it } from 'vitest';
import { PASSES } from '../src/transform/index.js';
import { attachForeignKeys } from '../src/transform/passes/foreign-keys.js';
import { fitKeys } from '../src/transform/passes/key-fitting.js';
import { addParentIndexes } from '../src/transform/passes/parent-indexes.js';
import { dropChecksOnActionColumns } from '../src/transform/passes/action-checks.js';
import { orderTables } from '../src/transform/passes/table-order.js';
import { dropUnusedDatabases, targetSequences } from '../src/transform/passes/target.js';
import { built, col, fk, stageOf, tableNamed } from './helpers/tidb-builder.js';

const ids = (bag: { items: readonly { id: string }[] }) => bag.items.map((d) => d.id);

describe('transform passes on hand-built IR', () => {
  it('the pipeline reads as its list of named passes', () => {
    expect(PASSES.map((p) => p.name)).toEqual(['lowering', 'foreign-keys', 'key-fitting', 'parent-indexes', 'action-checks', 'table-order', 'enforcement-notes', 'target-sequences', 'views', 'unused-databases']);
  });

  it('foreign-keys: the child column takes the parent type and the table is marked widened', () => {
    const a = built('a', { columns: [col('id', 'BIGINT', { nullable: false })], primaryKey: ['id'] });
    const b = built('b', { columns: [col('id', 'INT'), col('a_id', 'INT')], foreignKeys: [fk(['a_id'], 'a')] });
    const { stage, ctx, bag } = stageOf([b, a]);
    const out = attachForeignKeys(stage, ctx);
    const child = tableNamed(out, 'b');
    expect(child.columns.find((c) => c.name === 'a_id')!.type.base).toBe('BIGINT');
    expect(child.foreignKeys).toEqual([{ name: 'b_a_id_fkey', columns: ['a_id'], refTable: { database: 'public', name: 'a' }, refColumns: ['id'] }]);
    expect([...out.widened]).toEqual(['public.b']);
    expect(out.parentIndexes.map((n) => n.columns)).toEqual([['id']]);
    expect(ids(bag)).toEqual(['fk-type-aligned']);
  });

  it('foreign-keys: alignment reaches a fixpoint along a chain declared child first, fsp included', () => {
    const c = built('c', { columns: [col('id', 'INT'), col('b_id', 'INT'), col('at', { base: 'DATETIME', fsp: 3 })], foreignKeys: [fk(['b_id'], 'b'), fk(['at'], 'ev', ['at'])] });
    const b = built('b', { columns: [col('id', 'INT', { nullable: false })], primaryKey: ['id'], foreignKeys: [fk(['id'], 'a')] });
    const a = built('a', { columns: [col('id', 'BIGINT', { nullable: false })], primaryKey: ['id'] });
    const ev = built('ev', { columns: [col('at', { base: 'DATETIME', fsp: 6 })], primaryKey: ['at'] });
    const { stage, ctx, bag } = stageOf([c, b, a, ev]);
    const out = attachForeignKeys(stage, ctx);
    expect(tableNamed(out, 'c').columns.map((x) => x.type)).toEqual([{ base: 'INT' }, { base: 'BIGINT' }, { base: 'DATETIME', fsp: 6 }]);
    expect(tableNamed(out, 'b').columns[0]!.type).toEqual({ base: 'BIGINT' });
    expect(ids(bag)).toEqual(['fk-type-aligned', 'fk-type-aligned', 'fk-type-aligned']);
  });

  it('foreign-keys: a literal default the aligned type cannot hold is dropped, one it can hold is kept', () => {
    const p = built('p', { columns: [col('code', { base: 'VARCHAR', length: 2 }, { nullable: false }), col('n', 'INT', { nullable: false })], primaryKey: ['code'], indexes: [{ name: 'n_key', unique: true, parts: [{ column: 'n' }] }] });
    // code's length was chosen by pg2tidb (text): it takes the parent's; other's was declared: kept, as TiDB allows.
    const chosen = { column: 'code', pgType: 'text', rule: 'test', lengthChosen: true as const };
    const q = built('q', {
      columns: [col('code', { base: 'VARCHAR', length: 768 }, { default: { kind: 'literal', sql: "'none'" }, origin: chosen }), col('other', { base: 'VARCHAR', length: 10 }, { default: { kind: 'literal', sql: "'none'" } }), col('n', 'BIGINT', { default: { kind: 'literal', sql: '3000000000' } })],
      foreignKeys: [fk(['code'], 'p', ['code']), fk(['other'], 'p', ['code']), fk(['n'], 'p', ['n'])],
    });
    const { stage, ctx, bag } = stageOf([q, p]);
    const out = attachForeignKeys(stage, ctx);
    const [code, other, n] = tableNamed(out, 'q').columns;
    expect(code!.type).toEqual({ base: 'VARCHAR', length: 2 });
    expect(code!.default).toBeUndefined();
    expect(other!.type).toEqual({ base: 'VARCHAR', length: 10 });
    expect(other!.default).toEqual({ kind: 'literal', sql: "'none'" });
    // Integers take the widest of their group: the parent becomes BIGINT and the default stays.
    expect(n!.default).toEqual({ kind: 'literal', sql: '3000000000' });
    expect(tableNamed(out, 'p').columns[1]!.type).toEqual({ base: 'BIGINT' });
    expect(ids(bag).sort()).toEqual(['default-dropped', 'fk-type-aligned', 'fk-type-aligned']);
  });

  it('foreign-keys: a key to a missing table is dropped with a diagnostic', () => {
    const b = built('b', { columns: [col('x', 'INT')], foreignKeys: [fk(['x'], 'nowhere', ['id'])] });
    const { stage, ctx, bag } = stageOf([b]);
    expect(tableNamed(attachForeignKeys(stage, ctx), 'b').foreignKeys).toEqual([]);
    expect(ids(bag)).toEqual(['fk-dropped']);
  });

  it('key-fitting: an index over 3072 bytes is indexed on prefixes, one that fits is left as it is', () => {
    const fits = built('t', { columns: [col('a', { base: 'VARCHAR', length: 300 }), col('b', { base: 'VARCHAR', length: 300 })], indexes: [{ name: 'ab', unique: false, parts: [{ column: 'a' }, { column: 'b' }] }] });
    const untouched = stageOf([fits]);
    expect(fitKeys(untouched.stage, untouched.ctx)).toBe(untouched.stage);
    const t = built('t', { columns: [col('a', { base: 'VARCHAR', length: 700 }), col('b', { base: 'VARCHAR', length: 700 })], indexes: [{ name: 'ab', unique: false, parts: [{ column: 'a' }, { column: 'b' }] }] });
    const { stage, ctx, bag } = stageOf([t]);
    const out = fitKeys(stage, ctx);
    const parts = tableNamed(out, 't').indexes[0]!.parts as { column: string; length?: number }[];
    expect(parts.reduce((n, p) => n + 4 * (p.length ?? 700), 0)).toBeLessThanOrEqual(3072);
    expect(ids(bag)).toEqual(['index-key-too-long']);
  });

  it('parent-indexes: an index is added only where no index leads with the referenced columns', () => {
    const p = built('p', { columns: [col('id', 'INT'), col('code', { base: 'VARCHAR', length: 10 })], primaryKey: ['id'] });
    const { stage, ctx, bag } = stageOf([p]);
    const at = { subject: { kind: 'table', table: 'p' } } as never;
    const out = addParentIndexes({ ...stage, parentIndexes: [{ parent: 'public.p', columns: ['id'], label: 'fk1', at }, { parent: 'public.p', columns: ['code'], label: 'fk2', at }, { parent: 'public.p', columns: ['code'], label: 'fk3', at }] }, ctx);
    expect(tableNamed(out, 'p').indexes.map((i) => [i.name, i.parts])).toEqual([['p_code_fk_idx', [{ column: 'code' }]]]);
    expect(out.parentIndexes).toEqual([]);
    expect(ids(bag)).toEqual(['fk-parent-index']);
  });

  it('action-checks: a CHECK on a column a cascading key changes is dropped', () => {
    const t = built('t', { columns: [col('p_id', 'INT'), col('n', 'INT')] });
    const table = { ...t.table, foreignKeys: [{ name: 'f', columns: ['p_id'], refTable: { database: 'public', name: 'p' }, refColumns: ['id'], onDelete: 'CASCADE' as const }], checks: [{ name: 'c1', sql: '`p_id` > 0' }, { name: 'c2', sql: '`n` > 0' }] };
    const { stage, ctx, bag } = stageOf([{ source: t.source, table }]);
    expect(tableNamed(dropChecksOnActionColumns(stage, ctx), 't').checks.map((c) => c.name)).toEqual(['c2']);
    expect(ids(bag)).toEqual(['check-dropped']);
  });

  it('table-order: parents first, a cycle closed by a deferred key', () => {
    const ref = (name: string, to: string) => ({ name, columns: ['x'], refTable: { database: 'public', name: to }, refColumns: ['id'] });
    const mk = (name: string, to: string[]) => {
      const b = built(name, { columns: [col('id', 'INT'), col('x', 'INT')] });
      return { source: b.source, table: { ...b.table, foreignKeys: to.map((t) => ref(`${name}_${t}`, t)) } };
    };
    const { stage } = stageOf([mk('c', ['b']), mk('b', ['a']), mk('a', []), mk('x', ['y']), mk('y', ['x'])]);
    const out = orderTables(stage);
    expect(out.tables.map((b) => b.table.name.name)).toEqual(['a', 'b', 'c', 'y', 'x']);
    expect(out.deferredForeignKeys.map((d) => d.foreignKey.name)).toEqual(['y_x']);
  });

  it('target-sequences: a target without sequences loses them and their DEFAULT NEXTVAL, with a diagnostic', () => {
    const t = built('t', { columns: [col('n', 'BIGINT', { default: { kind: 'nextval', sequence: { database: 'public', name: 's' } } })] });
    const { stage, ctx, bag } = stageOf([t], { tidbVersion: '3.0.0' });
    const out = targetSequences({ ...stage, sequences: [{ name: { database: 'public', name: 's' } }] }, ctx);
    expect(out.sequences).toEqual([]);
    expect(tableNamed(out, 't').columns[0]!.default).toBeUndefined();
    expect(ids(bag)).toEqual(['target-feature']);
  });

  it('unused-databases: a database no table or sequence uses is left out', () => {
    const t = built('t', { columns: [col('n', 'INT')] });
    const { stage } = stageOf([t]);
    const db = (name: string) => ({ name, charset: 'utf8mb4' as const, collation: 'utf8mb4_bin', source: name });
    const out = dropUnusedDatabases({ ...stage, databases: new Map([['public', db('public')], ['empty', db('empty')]]) });
    expect([...out.databases.keys()]).toEqual(['public']);
  });
});

describe('TIDB_LIMITS', () => {
  it('an expression index name leaves room for its hidden column _V$_<index>_<position> (measured: 58 passes at position 0, 57 at position 10)', async () => {
    const { maxExpressionIndexName } = await import('../src/transform/limits.js');
    expect(maxExpressionIndexName([])).toBe(64);
    expect(maxExpressionIndexName([0])).toBe(58);
    expect(maxExpressionIndexName([1, 10])).toBe(57);
  });
});
