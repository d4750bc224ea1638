/**
 * TiDB's limits, one table, each with its source. Docs: https://docs.pingcap.com/tidb/stable/tidb-limitations
 * ("TiDB Limitations": identifier lengths, indexes per table, index length and columns, string types).
 */
export const TIDB_LIMITS = {
  /** Database, table, column, index, view and sequence names: 64 characters (TiDB Limitations, identifier length). */
  identifier: 64,
  /**
   * The hidden column of an expression index is named `_V$_<index>_<part position>` and must fit in 64
   * characters ("Identifier name 'hidden column' is too long"). Measured on tidb-server v8.5: a 58-character
   * index name passes with the expression at position 0 and fails at 59; at position 10, 57 passes and 58 fails.
   */
  hiddenColumnPrefix: '_V$_',
  /** One index key: 3072 bytes, 768 utf8mb4 characters (TiDB Limitations, indexes; max-index-length). */
  keyBytes: 3072,
  /** VARCHAR: 16383 characters (TiDB Limitations, data types). */
  varcharChars: 16383,
  /** Indexes per table: 64 by default (index-limit) (TiDB Limitations, single table). */
  indexesPerTable: 64,
  /** Columns in one index: 16 (TiDB Limitations, indexes). */
  columnsPerIndex: 16,
  /** BIT(M): 1 to 64 bits (MySQL 8.0 reference, bit-value type; TiDB data types follow it). */
  bitLength: 64,
  /** VECTOR(D): at most 16383 dimensions (Vector Search Limitations, https://docs.pingcap.com/tidb/stable/vector-search-limitations). */
  vectorDimensions: 16383,
} as const;

/** The longest index name whose hidden columns fit, for an index with expression parts at `positions`. */
export function maxExpressionIndexName(positions: readonly number[]): number {
  if (positions.length === 0) return TIDB_LIMITS.identifier;
  const last = Math.max(...positions);
  return TIDB_LIMITS.identifier - TIDB_LIMITS.hiddenColumnPrefix.length - `_${last}`.length;
}

/**
 * Index names TiDB never gives another index: the primary key's name is always PRIMARY (MySQL 8.0
 * reference, CREATE TABLE: "The name of a PRIMARY KEY is always PRIMARY, which thus cannot be used as
 * the name for any other kind of index"); tidb-server refuses it in any case with error 1280.
 */
export const TIDB_RESERVED_INDEX_NAMES: readonly string[] = ['PRIMARY'];
