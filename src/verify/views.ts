/**
 * Views in verify: each view `translate` emits must be a view on TiDB with the same column list,
 * whose query answers what the emitted query answers.
 *
 * TiDB keeps a view's query restored in its own form (information_schema.VIEWS.VIEW_DEFINITION;
 * measured on tidb-server v8.5: `COUNT(*)` as `COUNT(1)`, `LIMIT n OFFSET m` as `LIMIT m,n`, interval
 * arithmetic as `DATE_ADD`, `CAST(x AS CHAR)` with a width, an alias on every select-list item,
 * columns under an aggregate in ORDER BY qualified with the database). Normalising all of that would
 * miss some rewrite and report drift where there is none, so the text is only a shortcut: equal in
 * the normal form of ./normalise.ts (table aliases renamed by where they are defined, ./view-aliases.ts), the view is the emitted one. Otherwise both the view and the
 * emitted query run on the target and their results are compared as multisets (row count and a sum
 * of per-row MD5s, computed by TiDB, so both sides have the same display forms); different results or
 * a failing query are drift. Limit: a changed query that answers the same on the rows the target
 * holds now (empty tables, say) is not found.
 */
import type { TidbView } from '../ir/tidb.js';
import { qualifiedName, quoteIdent } from '../sql/quote.js';
import { normViewQuery } from './normalise.js';
import type { Drift, Queryable } from './types.js';

/** A live view: its columns in order and its query as information_schema.VIEWS shows it. */
export interface LiveView {
  readonly kind: 'view' | 'table';
  readonly columns: readonly string[];
  readonly definition: string;
}

/** The multiset digest of a query's rows over `columns` (TiDB SQL: `n` rows, `s` the sum of 60-bit row hashes). */
function digestSql(from: string, columns: readonly string[]): string {
  const row = `CONCAT_WS(',', ${columns.map((c) => `IFNULL(MD5(${quoteIdent(c)}), '-')`).join(', ')})`;
  return `SELECT COUNT(*) AS n, CAST(IFNULL(SUM(CONV(SUBSTRING(MD5(${row}), 1, 15), 16, 10)), 0) AS CHAR) AS s FROM ${from}`;
}

const CTE = 'pg2tidb_verify_query';

async function digest(conn: Queryable, sql: string): Promise<{ n: string; s: string } | { error: string }> {
  try {
    const [rows] = (await conn.query(sql)) as [Record<string, unknown>[]];
    return { n: String(rows[0]?.['n'] ?? 0), s: String(rows[0]?.['s'] ?? 0) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export async function compareViews(conn: Queryable, views: readonly TidbView[], live: ReadonlyMap<string, LiveView>): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const v of views) {
    const name = `${v.name.database}.${v.name.name}`;
    const l = live.get(name);
    if (!l || l.kind !== 'view') {
      drift.push({ object: `${name} view`, expected: 'view', actual: l ? 'a table' : 'missing' });
      continue;
    }
    const want = `(${v.columns.join(', ')})`;
    const got = `(${l.columns.join(', ')})`;
    if (want.toLowerCase() !== got.toLowerCase()) {
      drift.push({ object: `${name} view columns`, expected: want, actual: got });
      continue;
    }
    if (normViewQuery(v.sql, v.name.database) === normViewQuery(l.definition, v.name.database)) continue;
    const ours = await digest(conn, `WITH ${quoteIdent(CTE)} (${v.columns.map(quoteIdent).join(', ')}) AS (${v.sql}) ${digestSql(quoteIdent(CTE), v.columns)}`);
    const theirs = await digest(conn, digestSql(qualifiedName(v.name.database, v.name.name), l.columns));
    const text = (d: typeof ours, what: string): string => ('error' in d ? `${what} fails: ${d.error}` : `${what}'s ${d.n} rows`);
    if ('error' in ours || 'error' in theirs || ours.n !== theirs.n || ours.s !== theirs.s) {
      const same = !('error' in ours) && !('error' in theirs) && ours.n === theirs.n;
      drift.push({ object: `${name} view query`, expected: text(ours, 'the emitted query'), actual: 'error' in theirs ? text(theirs, 'the view') : same ? `${theirs.n} rows, not the same` : `${theirs.n} rows` });
    }
  }
  return drift;
}
