// The view comparison of pg2tidb/testing on hand-made answers: what it treats as the same value
// across the engines, and that it reports what differs (it must be able to fail).
import { describe, expect, it } from 'vitest';
import { canonicalCell, compareViewRows, parsePgArray, viewCellKind, type ViewColumn } from '../src/testing/index.js';

const cols: ViewColumn[] = [
  { name: 'id', kind: viewCellKind(23) },
  { name: 'active', kind: viewCellKind(16) },
  { name: 'total', kind: viewCellKind(1700) },
  { name: 'at', kind: viewCellKind(1114) },
  { name: 'actors', kind: viewCellKind(25) },
];

describe('compareViewRows', () => {
  it('treats the engines’ spellings of one value as the same', () => {
    const pg = { columns: cols.map((c) => c.name), rows: [['1', 't', '5.90', '2006-02-15 09:34:33', 'A, B']] };
    const tidb = { columns: ['ID', 'active', 'total', 'at', 'actors'], rows: [[1, 1, '5.9000', '2006-02-15 09:34:33.000000', 'A, B']] };
    expect(compareViewRows(cols, pg, tidb)).toMatchObject({ same: true, differingRows: 0, columnNames: [] });
  });

  it('reports a differing value, a missing row, a duplicate and a renamed column', () => {
    const pg = { columns: cols.map((c) => c.name), rows: [['1', 't', '5.90', '2006-02-15 09:34:33', 'A, B'], ['2', 'f', '1', '2006-02-15 09:34:33', null]] };
    const tidb = { columns: ['id', 'is_active', 'total', 'at', 'actors'], rows: [[1, 0, '5.90', '2006-02-15 09:34:33', 'A, B'], [1, 0, '5.90', '2006-02-15 09:34:33', 'A, B']] };
    const cmp = compareViewRows(cols, pg, tidb);
    expect(cmp.same).toBe(false);
    expect(cmp.columnNames).toEqual(['active <> is_active']);
    expect(cmp.onlyPg).toEqual(['["1","1","5.9","2006-02-15 09:34:33","A, B"]', '["2","0","1","2006-02-15 09:34:33",null]']);
    expect(cmp.onlyTidb).toEqual(['["1","0","5.9","2006-02-15 09:34:33","A, B"] x2']);
    expect(cmp.differingRows).toBe(4);
  });

  it('sorts the parts of a list only where told that its order is undefined', () => {
    const pg = { columns: cols.map((c) => c.name), rows: [['1', 't', '1', '2006-02-15 09:34:33', 'B, A']] };
    const tidb = { columns: cols.map((c) => c.name), rows: [[1, 1, '1', '2006-02-15 09:34:33', 'A, B']] };
    expect(compareViewRows(cols, pg, tidb).same).toBe(false);
    expect(compareViewRows(cols, pg, tidb, { unorderedLists: { actors: ', ' } }).same).toBe(true);
    // A different separator is still a difference.
    const semi = { columns: cols.map((c) => c.name), rows: [[1, 1, '1', '2006-02-15 09:34:33', 'A; B']] };
    expect(compareViewRows(cols, pg, semi, { unorderedLists: { actors: ', ' } }).same).toBe(false);
    // A nested list takes a function: here groups 'A' and 'B' of one part each, reordered.
    const nested = (t: string) => t.split(', ').sort().join('|');
    expect(compareViewRows(cols, pg, tidb, { unorderedLists: { actors: nested } }).same).toBe(true);
    expect(compareViewRows(cols, pg, semi, { unorderedLists: { actors: nested } }).same).toBe(false);
  });

  it('reads arrays, JSON, bytea and timestamptz on both sides', () => {
    expect(parsePgArray('{a,"b c",NULL,"x\\"y"}')).toEqual(['a', 'b c', null, 'x"y']);
    expect(canonicalCell('array', '{1,2.50,NULL}', 'pg')).toBe(canonicalCell('array', '[1, 2.5, null]', 'tidb'));
    expect(canonicalCell('array', '{t,f}', 'pg')).toBe(canonicalCell('array', [true, false], 'tidb'));
    expect(canonicalCell('json', '{"b": 1, "a": [1, 2]}', 'pg')).toBe(canonicalCell('json', '{"a":[1,2],"b":1}', 'tidb'));
    expect(canonicalCell('bytea', '\\xdeadbeef', 'pg')).toBe(canonicalCell('bytea', Buffer.from('deadbeef', 'hex'), 'tidb'));
    expect(canonicalCell('timestamptz', '2020-01-02 03:04:05.5+00', 'pg')).toBe(canonicalCell('timestamptz', '2020-01-02 03:04:05.500000', 'tidb'));
    expect(canonicalCell('number', '5.90', 'pg')).not.toBe(canonicalCell('number', '5.91', 'tidb'));
  });
});
