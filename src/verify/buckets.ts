/**
 * Narrowing for tables whose key is not one integer column (a composite or text key, or no primary
 * key, where the whole row is the key): rows are split into 16 buckets by 4 bits of the CRC32 of the
 * key's canonical text, the same hash on both sides (rowHashSql / rowHash over the key columns); a
 * differing bucket is split again by the next 4 bits until it holds at most 10 rows on each side,
 * and those rows are then read and compared one by one, each differing row named by its key.
 * Buckets of a hash rather than ordered key windows: the order of text keys under a TiDB collation
 * is not one JavaScript can reproduce, while the hash of the canonical text is the same on both sides.
 */
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import { qualifiedName } from '../sql/quote.js';
import { canonicalCell, canonicalSql, rowHash, rowHashSql, TableDigest } from './canonical.js';
import type { KeyRange, Queryable } from './types.js';

/** Calls `f` with every source row's cells, in the order of the written columns. */
export type EachSourceRow = (f: (cells: (Buffer | null)[]) => void) => Promise<void>;

const BITS = 4;
const FANOUT = 1 << BITS;
/** A bucket this small on both sides is compared row by row. */
const LEAF_ROWS = 10;
/** CRC32 has 32 bits: 8 levels of 4. */
const MAX_DEPTH = 32 / BITS;

/** Low `depth * BITS` bits of the key hash equal `prefix`. */
interface Bucket {
  readonly depth: number;
  readonly prefix: number;
}

const lowMask = (depth: number): number => 2 ** (depth * BITS) - 1;
const inBucket = (h: number, b: Bucket): boolean => (h & lowMask(b.depth)) >>> 0 === b.prefix;
const child = (b: Bucket, digit: number): Bucket => ({ depth: b.depth + 1, prefix: b.prefix + digit * 2 ** (b.depth * BITS) });

const show = (v: string | null): string => (v === null ? 'NULL' : v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}...` : /^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v));

export async function narrowByKeyHash(conn: Queryable, table: TidbTable, columns: readonly TidbColumn[], keyColumns: readonly TidbColumn[], eachRow: EachSourceRow, maxResults: number): Promise<KeyRange[]> {
  const keyIdx = keyColumns.map((k) => columns.indexOf(k));
  const keyHash = (cells: (Buffer | null)[]): number => rowHash(keyColumns, keyIdx.map((i) => cells[i] ?? null));
  const kh = rowHashSql(keyColumns);
  const rh = rowHashSql(columns);
  const from = qualifiedName(table.name.database, table.name.name);
  const where = (b: Bucket): string => (b.depth === 0 ? '' : ` WHERE (${kh} & ${lowMask(b.depth)}) = ${b.prefix}`);
  const label = `(${keyColumns.map((k) => k.name).join(', ')})`;
  const out: KeyRange[] = [];

  const split = async (b: Bucket): Promise<{ digit: number; source: TableDigest; target: TableDigest }[]> => {
    const src = new Map<number, TableDigest>();
    await eachRow((cells) => {
      const h = keyHash(cells);
      if (!inBucket(h, b)) return;
      const digit = (h >>> (b.depth * BITS)) & (FANOUT - 1);
      let d = src.get(digit);
      if (!d) src.set(digit, (d = new TableDigest()));
      d.add(rowHash(columns, cells));
    });
    const [rows] = (await conn.query(`SELECT CAST((${kh} >> ${b.depth * BITS}) & ${FANOUT - 1} AS CHAR) AS b, COUNT(*) AS n, CAST(BIT_XOR(${rh}) AS CHAR) AS x, CAST(SUM(${rh}) AS CHAR) AS s FROM ${from}${where(b)} GROUP BY b`)) as [Record<string, unknown>[]];
    const tgt = new Map<number, TableDigest>(rows.map((r) => [Number(r['b']), TableDigest.of(Number(r['n']), Number(r['x']), BigInt(String(r['s'] ?? '0')))]));
    return [...new Set([...src.keys(), ...tgt.keys()])]
      .sort((x, y) => x - y)
      .map((digit) => ({ digit, source: src.get(digit) ?? new TableDigest(), target: tgt.get(digit) ?? new TableDigest() }))
      .filter((d) => !d.source.equals(d.target));
  };

  // The rows of one small bucket, by key: the row hashes each side holds for it.
  const leaf = async (b: Bucket): Promise<void> => {
    const byKey = new Map<string, { source: number[]; target: number[] }>();
    const at = (k: string) => byKey.get(k) ?? (byKey.set(k, { source: [], target: [] }), byKey.get(k)!);
    await eachRow((cells) => {
      if (!inBucket(keyHash(cells), b)) return;
      at(`(${keyColumns.map((k, i) => show(canonicalCell(k, cells[keyIdx[i]!]))).join(', ')})`).source.push(rowHash(columns, cells));
    });
    const select = keyColumns.map((k, i) => `${canonicalSql(k)} AS k${i}`).join(', ');
    const [rows] = (await conn.query(`SELECT ${select}, CAST(${rh} AS CHAR) AS h FROM ${from}${where(b)}`)) as [Record<string, unknown>[]];
    for (const r of rows) at(`(${keyColumns.map((_, i) => show(r[`k${i}`] == null ? null : Buffer.isBuffer(r[`k${i}`]) ? (r[`k${i}`] as Buffer).toString('utf8') : String(r[`k${i}`]))).join(', ')})`).target.push(Number(r['h']));
    const sorted = (a: number[]) => [...a].sort((x, y) => x - y).join(',');
    for (const [k, v] of [...byKey].sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))) {
      if (out.length >= maxResults) return;
      if (sorted(v.source) !== sorted(v.target)) out.push({ from: `${label} = ${k}`, to: `${label} = ${k}`, sourceRows: v.source.length, targetRows: v.target.length });
    }
  };

  const pending: Bucket[] = [{ depth: 0, prefix: 0 }];
  while (pending.length > 0 && out.length < maxResults) {
    const b = pending.shift()!;
    for (const d of await split(b)) {
      const c = child(b, d.digit);
      if ((d.source.rows <= LEAF_ROWS && d.target.rows <= LEAF_ROWS) || c.depth >= MAX_DEPTH) await leaf(c);
      else pending.push(c);
    }
  }
  return out;
}
