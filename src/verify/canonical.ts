/**
 * One canonical text per value, computed two ways that must agree exactly: in TiDB SQL over the
 * stored column (`sqlCanonical`) and in JavaScript over the cell `pg2tidb data` wrote for it
 * (`cellCanonical`). A row's hash is CRC32 over its columns' canonical texts, each length-prefixed
 * (NULL is `N`), so no separator inside a value can make two rows collide; a table's checksum is
 * the row count, BIT_XOR and SUM of the row hashes (the BIT_XOR of CRC32 is what TiDB's
 * sync-diff-inspector compares, pingcap/tidb-tools pkg/dbutil/common.go GetCRC32Checksum; the SUM
 * also catches a row duplicated an even number of times).
 */
import { crc32 } from 'node:zlib';
import type { TidbColumn, TidbType } from '../ir/tidb.js';
import { quoteIdent } from '../sql/quote.js';
import { tidbDouble, tidbJson } from './tidb-json.js';

type Canonical = { readonly sql: (col: string, t: TidbType) => string; readonly js: (cell: Buffer, t: TidbType) => string };

const asText = (b: Buffer): string => b.toString('utf8');
/** '12.500' -> '12.5', '3.000' -> '3', '-0.0' -> '0': TiDB pads DECIMAL(p,s) to s digits, the dump does not. */
export const trimDecimal = (s: string): string => {
  let t = s.trim().replace(/^\+/, '');
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  t = t.replace(/^(-?)0+(?=\d)/, '$1');
  return t === '-0' ? '0' : t;
};
const trimDecimalSql = (c: string): string => `TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM CAST(${c} AS CHAR)))`;
/** Fractional seconds padded to the column's fsp, as TiDB prints DATETIME(fsp) and TIME(fsp). */
const fitFraction = (s: string, fsp: number): string => {
  const m = /^(.*?:\d\d)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) return s.trim();
  const frac = (m[2] ?? '').padEnd(fsp, '0').slice(0, fsp);
  return fsp > 0 ? `${m[1]}.${frac}` : m[1]!;
};
const hex = (b: Buffer): string => b.toString('hex');

/** One row per TiDB base type: how the stored value and the written cell become the same text. */
const CANONICAL: Record<TidbType['base'], Canonical> = {
  TINYINT: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  SMALLINT: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  INT: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  BIGINT: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  BOOLEAN: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  YEAR: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  DECIMAL: { sql: (c, t) => ((t.scale ?? 0) > 0 ? trimDecimalSql(c) : `CAST(${c} AS CHAR)`), js: (b) => trimDecimal(asText(b)) },
  FLOAT: { sql: (c) => `CAST(CAST(${c} AS DOUBLE) AS CHAR)`, js: (b) => tidbDouble(String(Math.fround(Number(asText(b))))) },
  DOUBLE: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => tidbDouble(asText(b)) },
  // CHAR: TiDB drops trailing spaces on read (PAD_CHAR_TO_FULL_LENGTH off).
  CHAR: { sql: (c) => c, js: (b) => asText(b).replace(/ +$/, '') },
  VARCHAR: { sql: (c) => c, js: asText },
  TEXT: { sql: (c) => c, js: asText },
  MEDIUMTEXT: { sql: (c) => c, js: asText },
  LONGTEXT: { sql: (c) => c, js: asText },
  ENUM: { sql: (c) => `CAST(${c} AS CHAR)`, js: asText },
  VECTOR: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).replace(/\s+/g, '') },
  // BINARY(n) is right-padded with 0x00 to n bytes.
  BINARY: { sql: (c) => `LOWER(HEX(${c}))`, js: (b, t) => hex(b.length < (t.length ?? 1) ? Buffer.concat([b, Buffer.alloc((t.length ?? 1) - b.length)]) : b) },
  VARBINARY: { sql: (c) => `LOWER(HEX(${c}))`, js: hex },
  BLOB: { sql: (c) => `LOWER(HEX(${c}))`, js: hex },
  MEDIUMBLOB: { sql: (c) => `LOWER(HEX(${c}))`, js: hex },
  LONGBLOB: { sql: (c) => `LOWER(HEX(${c}))`, js: hex },
  BIT: { sql: (c) => `CAST(${c} + 0 AS CHAR)`, js: (b) => (b.length === 0 ? '0' : BigInt(`0x${hex(b)}`).toString()) },
  JSON: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => tidbJson(asText(b)) },
  DATE: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b) => asText(b).trim() },
  TIME: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b, t) => fitFraction(asText(b), t.fsp ?? 0) },
  DATETIME: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b, t) => fitFraction(asText(b).replace('T', ' '), t.fsp ?? 0) },
  TIMESTAMP: { sql: (c) => `CAST(${c} AS CHAR)`, js: (b, t) => fitFraction(asText(b).replace('T', ' '), t.fsp ?? 0) },
};

/** One column's canonical text in TiDB SQL (NULL stays NULL). */
export const canonicalSql = (c: TidbColumn): string => CANONICAL[c.type.base].sql(quoteIdent(c.name), c.type);

/** The same text from a written cell (null for NULL). */
export const canonicalCell = (c: TidbColumn, cell: Buffer | null | undefined): string | null => (cell === null || cell === undefined ? null : CANONICAL[c.type.base].js(cell, c.type));

/** The SQL of one row's hash over `columns` (TiDB computes it as an unsigned 32-bit CRC). */
export function rowHashSql(columns: readonly TidbColumn[]): string {
  const parts = columns.map((c) => {
    const e = canonicalSql(c);
    return `IFNULL(CONCAT(LENGTH(${e}), ':', ${e}), 'N')`;
  });
  return `CRC32(CONCAT(${parts.length > 0 ? parts.join(', ') : "''"}))`;
}

/** The same hash over the cells written for a row (Buffers, or null). */
export function rowHash(columns: readonly TidbColumn[], cells: readonly (Buffer | null)[]): number {
  let text = '';
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) {
      text += 'N';
      continue;
    }
    const v = canonicalCell(columns[i]!, cell)!;
    text += `${Buffer.byteLength(v, 'utf8')}:${v}`;
  }
  return crc32(text);
}

/** Rows, BIT_XOR and SUM of row hashes: equal on both sides when the tables hold the same rows. */
export class TableDigest {
  rows = 0;
  xor = 0;
  sum = 0n;

  add(hash: number): void {
    this.rows++;
    this.xor = (this.xor ^ hash) >>> 0;
    this.sum += BigInt(hash);
  }

  equals(o: TableDigest): boolean {
    return this.rows === o.rows && this.xor === o.xor && this.sum === o.sum;
  }

  static of(rows: number, xor: number, sum: bigint): TableDigest {
    const d = new TableDigest();
    d.rows = rows;
    d.xor = xor >>> 0;
    d.sum = sum;
    return d;
  }
}
