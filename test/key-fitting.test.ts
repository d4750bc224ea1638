// Key fitting (src/transform/indexes.ts fitKey, keyBytes): key widths as tidb-server counts them and
// which parts give way first. The server measurements behind each rule are in the comments of fitKey /
// keyBytes; fixtures/key-* run the same shapes on tidb-server.
import { describe, expect, it } from 'vitest';
import { fitKey, keyBytes } from '../src/transform/indexes.js';
import { fitKeys } from '../src/transform/passes/key-fitting.js';
import type { TidbType } from '../src/ir/tidb.js';
import { attachForeignKeys } from '../src/transform/passes/foreign-keys.js';
import { built, col, fk, stageOf, tableNamed } from './helpers/tidb-builder.js';

const varchar = (length: number): TidbType => ({ base: 'VARCHAR', length });

describe('key fitting', () => {
  it('an ENUM counts its longest member in UTF-8 bytes', () => {
    expect(keyBytes({ base: 'ENUM', values: ['mh_ay_'] })).toBe(6);
    expect(keyBytes({ base: 'ENUM', values: ['a', 'ééé'] })).toBe(6);
    expect(keyBytes({ base: 'ENUM', values: ['𐃝𐃝𐃝'] })).toBe(12);
    const fitted = fitKey([{ column: 'e', type: { base: 'ENUM', values: ['mh_ay_'] } }, { column: 'v', type: varchar(15311) }]);
    expect(fitted?.parts).toEqual([{ column: 'e' }, { column: 'v', length: 766 }]);
  });

  it('a prefix as long as the column is no prefix (TiDB refuses a longer one)', () => {
    const fitted = fitKey([{ column: 'b', type: { base: 'VARBINARY', length: 3066 }, prefix: 3068 }, { column: 'n', type: { base: 'INT' } }]);
    expect(fitted).toEqual({ parts: [{ column: 'b' }, { column: 'n' }], prefixed: false });
  });

  it('an expression part counts whole and is never prefixed', () => {
    expect(fitKey([{ column: 'x', type: varchar(15097), fixed: true }])).toBeUndefined();
    const fitted = fitKey([{ column: 'x', type: varchar(700), fixed: true }, { column: 'v', type: varchar(500) }]);
    expect(fitted?.parts).toEqual([{ column: 'x' }, { column: 'v', length: 68 }]);
  });

  it('lengths pg2tidb chose give way before declared ones', () => {
    const parts = [
      { column: 'namespace', type: varchar(255) },
      { column: 'name', type: varchar(255) },
      { column: 'label', type: varchar(255), chosen: true },
      { column: 'digest', type: { base: 'VARBINARY', length: 3072 } as TidbType, chosen: true },
    ];
    expect(fitKey(parts)?.parts).toEqual([{ column: 'namespace' }, { column: 'name' }, { column: 'label', length: 129 }, { column: 'digest', length: 516 }]);
    // Without the marks every part shares the key.
    expect(fitKey(parts.map(({ column, type }) => ({ column, type })))?.parts).toEqual([
      { column: 'namespace', length: 192 },
      { column: 'name', length: 192 },
      { column: 'label', length: 192 },
      { column: 'digest', length: 768 },
    ]);
  });

  it('declared lengths too long on their own: every part shares the key', () => {
    const fitted = fitKey([{ column: 'a', type: varchar(500) }, { column: 'b', type: varchar(500) }, { column: 'c', type: varchar(255), chosen: true }]);
    expect(fitted?.parts).toEqual([{ column: 'a', length: 256 }, { column: 'b', length: 257 }, { column: 'c' }]);
  });

  it('key-fitting pass: a prefix left longer than a narrowed column is dropped, with no new diagnostic', () => {
    const t = built('t', { columns: [col('b', { base: 'VARBINARY', length: 3066 }), col('n', 'INT')], indexes: [{ name: 'bn', unique: false, parts: [{ column: 'b', length: 3068 }, { column: 'n' }] }] });
    const { stage, ctx, bag } = stageOf([t]);
    const out = fitKeys(stage, ctx);
    expect(tableNamed(out, 't').indexes[0]!.parts).toEqual([{ column: 'b' }, { column: 'n' }]);
    expect(bag.items).toEqual([]);
  });

  it('key-fitting pass: a primary key alignment widened past 3072 bytes is fitted again, its own columns first', () => {
    // A length pg2tidb chose (text) takes the parent's; a declared one is kept (tidb-server accepts FKs between VARCHARs of different lengths).
    const chosen = (name: string, length: number) => col(name, varchar(length), { nullable: false, origin: { column: name, pgType: 'text', rule: 'test', lengthChosen: true } });
    const p = built('p', { columns: [col('code', varchar(700), { nullable: false })], primaryKey: ['code'] });
    const c = built('c', { columns: [col('name', varchar(300), { nullable: false }), chosen('code', 10)], primaryKey: ['name', 'code'], foreignKeys: [fk(['code'], 'p', ['code'])] });
    const p2 = built('p2', { columns: [col('a', varchar(600), { nullable: false })], primaryKey: ['a'] });
    const c2 = built('c2', { columns: [chosen('a', 10), chosen('b', 10)], primaryKey: ['a', 'b'], foreignKeys: [fk(['a'], 'p2', ['a']), fk(['b'], 'p2', ['a'])] });
    const { stage, ctx, bag } = stageOf([p, c, p2, c2]);
    const out = fitKeys(attachForeignKeys(stage, ctx), ctx);
    // name gives way; code keeps the parent's VARCHAR(700): 68 * 4 + 700 * 4 = 3072.
    expect(tableNamed(out, 'c').columns.map((x) => x.type)).toEqual([varchar(68), varchar(700)]);
    // Both columns aligned: both are shortened (tidb-server accepts FKs between VARCHARs of different lengths).
    expect(tableNamed(out, 'c2').columns.map((x) => x.type)).toEqual([varchar(384), varchar(384)]);
    expect(bag.items.map((d) => d.id)).toEqual(['fk-type-aligned', 'fk-type-aligned', 'fk-type-aligned', 'index-key-too-long', 'index-key-too-long', 'index-key-too-long']);
  });
});
