/**
 * Access to the PostgreSQL frontend (`readPostgres`), used for `op.execute(...)` SQL and for
 * the SQL text found in `text(...)`, `CheckConstraint("...")`, `Computed("...")` and index
 * expressions, so that both frontends produce identical expressions.
 * Callers keep fallbacks (./sql-expr.ts's parser; an OtherObject {kind:'other',
 * statement:'op.execute'}) used when the frontend is overridden away in tests.
 */
import type { SourceFile } from '../../diagnostics/span.js';
import type { Schema } from '../../ir/schema.js';
import { readPostgres } from '../postgres/index.js';

export type ReadPostgres = (files: readonly SourceFile[]) => Promise<Schema>;

const current: ReadPostgres | undefined = readPostgres;

export function loadReadPostgres(): Promise<ReadPostgres | undefined> {
  return Promise.resolve(current);
}
