/** Types shared by verify's data comparison and its narrowing strategies. */

/** The part of a mysql2 connection verify uses. */
export interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** Integer keys `from..to`; for other keys one row, `from` = `to` = `(a, b) = (1, "x")`. */
export interface KeyRange {
  readonly from: string;
  readonly to: string;
  readonly sourceRows: number;
  readonly targetRows: number;
}

/** One difference between the live schema and what `translate` emits. */
export interface Drift {
  /** `db.table`, `db.table.column`, `db.table index name`, `db.view view query`, ... */
  readonly object: string;
  readonly expected: string;
  readonly actual: string;
}
