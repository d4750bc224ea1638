/**
 * The data half of verify: per table, the source's digest over the rows `pg2tidb data` converted
 * (read back from its CSV chunks) against TiDB's, computed in SQL; where they differ and the
 * primary key is one integer column, both sides are digested again in key ranges, narrowing the
 * difference down to small ranges of keys, the way sync-diff-inspector splits a table into chunks;
 * any other key (composite, text, none: the whole row) is narrowed by buckets of its hash
 * (./buckets.ts) down to the differing rows, named by key.
 */
import { join } from 'node:path';
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import type { TableSummary } from '../data/sink.js';
import { qualifiedName, quoteIdent } from '../sql/quote.js';
import { readChunkRows } from './csv-read.js';
import { narrowByKeyHash } from './buckets.js';
import type { KeyRange, Queryable } from './types.js';
import { rowHash, rowHashSql, TableDigest } from './canonical.js';

export type { KeyRange, Queryable } from './types.js';

export interface TableDataResult {
  readonly table: string;
  readonly equal: boolean;
  readonly sourceRows: number;
  readonly targetRows: number;
  /** The key ranges (single integer primary key) or keys (any other) whose rows differ, at most 20. */
  readonly ranges: readonly KeyRange[];
  /** Set when the table could not be read on TiDB. */
  readonly error?: string;
}

const INTEGER_BASES = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
const SPLIT = 16n;
/** A range this wide or narrower is reported as it is. */
const LEAF = 10n;
const MAX_RANGES = 20;

type Digests = Map<bigint, TableDigest>;

async function rowsOf(table: TableSummary, dir: string, f: (cells: (Buffer | null)[]) => void): Promise<void> {
  for (const file of table.files) for await (const batch of readChunkRows(join(dir, file.name))) for (const r of batch) f(r);
}

/** Source digests per bucket (undefined range: one bucket 0 for the whole table). */
async function sourceDigests(summary: TableSummary, dir: string, columns: readonly TidbColumn[], key: number, range?: { lo: bigint; width: bigint; hi: bigint }): Promise<Digests & { min?: bigint; max?: bigint }> {
  const out: Digests & { min?: bigint; max?: bigint } = new Map();
  await rowsOf(summary, dir, (cells) => {
    let bucket = 0n;
    if (key >= 0 && cells[key]) {
      const k = BigInt(cells[key]!.toString('utf8').trim());
      if (out.min === undefined || k < out.min) out.min = k;
      if (out.max === undefined || k > out.max) out.max = k;
      if (range) {
        if (k < range.lo || k > range.hi) return;
        bucket = (k - range.lo) / range.width;
      }
    }
    let d = out.get(bucket);
    if (!d) out.set(bucket, (d = new TableDigest()));
    d.add(rowHash(columns, cells));
  });
  return out;
}

async function targetDigests(conn: Queryable, table: TidbTable, columns: readonly TidbColumn[], key: string | undefined, range?: { lo: bigint; width: bigint; hi: bigint }): Promise<Digests> {
  const h = rowHashSql(columns);
  const k = key === undefined ? undefined : quoteIdent(key);
  const bucket = range && k ? `FLOOR((${k} - ${range.lo}) / ${range.width})` : '0';
  const where = range && k ? ` WHERE ${k} BETWEEN ${range.lo} AND ${range.hi}` : '';
  const [rows] = (await conn.query(`SELECT CAST(${bucket} AS CHAR) AS b, COUNT(*) AS n, CAST(BIT_XOR(${h}) AS CHAR) AS x, CAST(SUM(${h}) AS CHAR) AS s FROM ${qualifiedName(table.name.database, table.name.name)}${where} GROUP BY b`)) as [Record<string, unknown>[]];
  const out: Digests = new Map();
  for (const r of rows) out.set(BigInt(String(r['b'])), TableDigest.of(Number(r['n']), Number(r['x']), BigInt(String(r['s'] ?? '0'))));
  return out;
}

async function targetKeyBounds(conn: Queryable, table: TidbTable, key: string): Promise<{ min?: bigint; max?: bigint }> {
  const k = quoteIdent(key);
  const [rows] = (await conn.query(`SELECT CAST(MIN(${k}) AS CHAR) AS lo, CAST(MAX(${k}) AS CHAR) AS hi FROM ${qualifiedName(table.name.database, table.name.name)}`)) as [Record<string, unknown>[]];
  const r = rows[0] ?? {};
  return { ...(r['lo'] != null ? { min: BigInt(String(r['lo'])) } : {}), ...(r['hi'] != null ? { max: BigInt(String(r['hi'])) } : {}) };
}

const rowsIn = (d: Digests): number => [...d.values()].reduce((n, x) => n + x.rows, 0);

export async function compareTableData(conn: Queryable, table: TidbTable, summary: TableSummary | undefined, dir: string): Promise<TableDataResult> {
  const name = `${table.name.database}.${table.name.name}`;
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const columns = summary ? summary.columns.map((n) => byName.get(n)!) : table.columns.filter((c) => !c.generated);
  const pk = table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0]! : undefined;
  const keyColumn = pk !== undefined && INTEGER_BASES.has(byName.get(pk)?.type.base ?? '') && columns.some((c) => c.name === pk) ? pk : undefined;
  const keyIndex = keyColumn === undefined ? -1 : columns.findIndex((c) => c.name === keyColumn);
  const empty: TableSummary = summary ?? { database: table.name.database, table: table.name.name, source: table.source, columns: columns.map((c) => c.name), files: [], rows: 0, bytes: 0, checksum: '' };
  let target: Digests;
  try {
    target = await targetDigests(conn, table, columns, undefined);
  } catch (e) {
    return { table: name, equal: false, sourceRows: empty.rows, targetRows: 0, ranges: [], error: (e as Error).message };
  }
  const source = await sourceDigests(empty, dir, columns, keyIndex);
  const s = source.get(0n) ?? new TableDigest();
  const t = target.get(0n) ?? new TableDigest();
  if (s.equals(t)) return { table: name, equal: true, sourceRows: s.rows, targetRows: t.rows, ranges: [] };
  const ranges: KeyRange[] = [];
  if (keyColumn !== undefined) {
    const tb = await targetKeyBounds(conn, table, keyColumn);
    const lows = [source.min, tb.min].filter((x): x is bigint => x !== undefined);
    const highs = [source.max, tb.max].filter((x): x is bigint => x !== undefined);
    if (lows.length > 0) {
      const pending = [{ lo: lows.reduce((a, b) => (b < a ? b : a)), hi: highs.reduce((a, b) => (b > a ? b : a)) }];
      while (pending.length > 0 && ranges.length < MAX_RANGES) {
        const r = pending.shift()!;
        const span = r.hi - r.lo + 1n;
        const width = span <= LEAF ? span : (span + SPLIT - 1n) / SPLIT;
        const range = { lo: r.lo, hi: r.hi, width };
        const sd = await sourceDigests(empty, dir, columns, keyIndex, range);
        const td = await targetDigests(conn, table, columns, keyColumn, range);
        for (const b of [...new Set([...sd.keys(), ...td.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
          const x = sd.get(b) ?? new TableDigest();
          const y = td.get(b) ?? new TableDigest();
          if (x.equals(y)) continue;
          const lo = r.lo + b * width;
          const hi = lo + width - 1n > r.hi ? r.hi : lo + width - 1n;
          if (span <= LEAF) ranges.push({ from: String(lo), to: String(hi), sourceRows: x.rows, targetRows: y.rows });
          else pending.push({ lo, hi });
        }
      }
    }
  } else {
    const keyColumns = table.primaryKey && table.primaryKey.columns.every((k) => columns.some((c) => c.name === k)) ? table.primaryKey.columns.map((k) => columns.find((c) => c.name === k)!) : columns;
    ranges.push(...(await narrowByKeyHash(conn, table, columns, keyColumns, (f) => rowsOf(empty, dir, f), MAX_RANGES)));
  }
  return { table: name, equal: false, sourceRows: s.rows, targetRows: rowsIn(target), ranges };
}
