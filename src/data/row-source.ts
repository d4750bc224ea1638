/**
 * Rows from somewhere other than the inputs' COPY blocks and INSERTs (the live database of
 * `pg2tidb data --from`): the inputs give only the schema, and the source gives the rows as the
 * lines of a plain dump (`COPY t (cols) FROM stdin;`, the rows in COPY text form, `\.`, then
 * `SELECT pg_catalog.setval(...)`), which the dump reader's own row path converts. One path for
 * both, so the same data gives the same bytes out.
 */
import type { PayloadOf } from '../diagnostics/catalogue.js';
import type { SourceFile, SourceSpan } from '../diagnostics/span.js';
import type { TranslateResult } from '../translate.js';
import type { TablePlan } from './columns.js';

export interface RowSourceContext {
  readonly translation: TranslateResult;
  /** The table plans `pg2tidb data` converts by, keyed by `schema.table`. */
  readonly plans: ReadonlyMap<string, TablePlan>;
  /** A table (or sequence) the schema has and the source cannot give: a data-table-mismatch diagnostic, not loaded. */
  readonly mismatch: (data: PayloadOf<'data-table-mismatch'>, table?: string) => void;
}

export interface RowStream {
  /** The source as diagnostics name it (a URL with its password masked). */
  readonly path: string;
  /** Bytes expected in all (an estimate; 0 when unknown). */
  readonly totalBytes: number;
  /** The dump's lines, a batch at a time, without their newlines. */
  lines(onBytes: (n: number) => void): AsyncGenerator<string[]>;
  /** A diagnostic's place in those lines as the source names it: a table and the row's number in it; undefined for a place that is no row. */
  relocate?(span: SourceSpan): SourceSpan | undefined;
}

export interface RowSource {
  /** The source's own schema as DDL text (a live database's catalog), read in the snapshot its rows are read in: for runs given no schema. */
  schema?(): Promise<SourceFile>;
  /** Starts reading for the translated schema (after the schema pass). */
  open(context: RowSourceContext): Promise<RowStream>;
  close(): Promise<void>;
}
