/**
 * A view's result in PostgreSQL and in TiDB, compared as multisets of canonical rows (issue 14:
 * "every translated view ... returns the same rows as PostgreSQL"). Each cell becomes one text by
 * the PostgreSQL type of its column (PostgreSQL is the reference): numbers without padding zeros
 * (TiDB's SUM of DECIMAL(5,2) is DECIMAL(27,2), PostgreSQL's numeric keeps the operands' scale),
 * booleans as 1/0, timestamps without a zero fraction or a UTC offset (the datetime convention is
 * UTC), JSON with sorted keys, bytea as hex, arrays as JSON arrays of element texts.
 *
 * Where neither engine defines an order, a list built by an aggregate (string_agg, GROUP_CONCAT,
 * sakila's `group_concat` user aggregate) without ORDER BY can come out in any order in either
 * engine: `unorderedLists` names such columns with their separator, and their parts are sorted
 * before comparing. That is weaker than equality (it cannot see a reordering) and says so.
 *
 * Drivers come from the caller, so this module needs neither `pg` nor `mysql2`.
 */
import type { PayloadOf } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TranslateResult } from '../translate.js';
import { trimDecimal } from '../verify/canonical.js';
import { tidbJson } from '../verify/tidb-json.js';

/** How a PostgreSQL result column's values are compared. */
export type ViewCellKind = 'text' | 'number' | 'float' | 'boolean' | 'timestamp' | 'timestamptz' | 'time' | 'json' | 'bytea' | 'array';

/** PostgreSQL type OIDs (pg_type.oid, stable across versions) to the comparison they need; any other OID (enums, domains, text types) compares as text. */
const PG_KINDS: ReadonlyMap<number, ViewCellKind> = new Map<number, ViewCellKind>([
  [16, 'boolean'],
  [20, 'number'],
  [21, 'number'],
  [23, 'number'],
  [26, 'number'],
  [1700, 'number'],
  [790, 'number'],
  [700, 'float'],
  [701, 'float'],
  [1114, 'timestamp'],
  [1184, 'timestamptz'],
  [1083, 'time'],
  [1266, 'time'],
  [114, 'json'],
  [3802, 'json'],
  [17, 'bytea'],
  ...[1000, 1005, 1007, 1016, 1009, 1015, 1014, 1231, 1021, 1022, 2951, 1115, 1182, 1183, 1185, 199, 3807].map((oid): [number, ViewCellKind] => [oid, 'array']),
]);

export function viewCellKind(pgTypeOid: number): ViewCellKind {
  return PG_KINDS.get(pgTypeOid) ?? 'text';
}

/** A PostgreSQL array literal ('{a,"b c",NULL,{1,2}}') as nested arrays of element texts. */
export function parsePgArray(text: string): unknown {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0; // '[0:1]={...}': explicit bounds
  const value = (): unknown => {
    if (text[i] === '{') {
      i++;
      const out: unknown[] = [];
      while (i < text.length && text[i] !== '}') {
        out.push(value());
        if (text[i] === ',') i++;
      }
      i++;
      return out;
    }
    if (text[i] === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        s += text[i++];
      }
      i++;
      return s;
    }
    let s = '';
    while (i < text.length && text[i] !== ',' && text[i] !== '}') s += text[i++];
    return s === 'NULL' ? null : s;
  };
  return value();
}

/** An array's elements as texts (numbers without padding zeros, booleans 1/0), nested as they are. */
function arrayTexts(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(arrayTexts);
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  if (s === 't' || s === 'f') return s === 't' ? '1' : '0';
  return /^[-+]?\d+(\.\d+)?$/.test(s) ? trimDecimal(s) : s;
}

const trimFraction = (s: string): string => s.replace(/(:\d\d)\.0*$/, '$1').replace(/(:\d\d\.\d*?)0+$/, '$1');

function cellText(v: unknown): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** One cell's canonical text; `engine` says which driver produced it (PostgreSQL text output, or mysql2 values). */
export function canonicalCell(kind: ViewCellKind, value: unknown, engine: 'pg' | 'tidb'): string | null {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'boolean': {
      const s = cellText(value);
      return s === 't' || s === 'true' || s === '1' ? '1' : s === 'f' || s === 'false' || s === '0' ? '0' : s;
    }
    case 'number':
      return trimDecimal(cellText(value).replace(/[$,]/g, ''));
    case 'float': {
      const n = Number(cellText(value));
      return Number.isFinite(n) ? String(n) : cellText(value);
    }
    case 'timestamp':
      return trimFraction(cellText(value).replace('T', ' '));
    case 'timestamptz':
      return trimFraction(cellText(value).replace('T', ' ').replace(/(\+00(:00)?|Z)$/, ''));
    case 'time':
      return trimFraction(cellText(value).replace(/\+00(:00)?$/, ''));
    case 'json':
      return tidbJson(cellText(value));
    case 'bytea':
      return engine === 'pg' ? cellText(value).replace(/^\\x/, '') : Buffer.isBuffer(value) ? value.toString('hex') : Buffer.from(cellText(value), 'utf8').toString('hex');
    case 'array': {
      const parsed = engine === 'pg' ? parsePgArray(cellText(value)) : typeof value === 'object' && !Buffer.isBuffer(value) ? value : safeJson(cellText(value));
      return JSON.stringify(arrayTexts(parsed));
    }
    default:
      return cellText(value);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface ViewColumn {
  readonly name: string;
  readonly kind: ViewCellKind;
}

/** One engine's answer to `SELECT * FROM v`: column names, and rows as arrays. */
export interface ViewRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/** A list's canonical form when its order is undefined: a separator (its parts are sorted), or a function for nested lists. */
export type UnorderedList = string | ((text: string) => string);

export interface ViewCompareOptions {
  /** Columns (by PostgreSQL name) whose values are lists in no defined order: compared as sorted parts. */
  readonly unorderedLists?: Readonly<Record<string, UnorderedList>>;
  /** How many differing rows each side lists (default 3). */
  readonly examples?: number;
}

export interface ViewComparison {
  readonly pgRows: number;
  readonly tidbRows: number;
  /** Column names differing (PostgreSQL's, TiDB's), compared case-insensitively as MySQL does; empty when they agree. */
  readonly columnNames: readonly string[];
  /** Canonical rows on one side only (or more often on it), a few of each. */
  readonly onlyPg: readonly string[];
  readonly onlyTidb: readonly string[];
  /** How many rows differ in all (as a multiset difference, both sides added). */
  readonly differingRows: number;
  readonly same: boolean;
}

/** Compares the two answers; `pgColumns` carries the comparison kind of each column (from the PostgreSQL result's type OIDs). */
export function compareViewRows(pgColumns: readonly ViewColumn[], pg: ViewRows, tidb: ViewRows, options: ViewCompareOptions = {}): ViewComparison {
  const columnNames: string[] = [];
  const width = Math.max(pgColumns.length, tidb.columns.length);
  for (let i = 0; i < width; i++) {
    const a = pgColumns[i]?.name;
    const b = tidb.columns[i];
    if (a?.toLowerCase() !== b?.toLowerCase()) columnNames.push(`${a ?? '(none)'} <> ${b ?? '(none)'}`);
  }
  const canon = (row: readonly unknown[], engine: 'pg' | 'tidb'): string =>
    JSON.stringify(
      row.map((v, i) => {
        const col = pgColumns[i];
        const text = canonicalCell(col?.kind ?? 'text', v, engine);
        const list = col && options.unorderedLists?.[col.name];
        if (text === null || list === undefined) return text;
        return typeof list === 'string' ? text.split(list).sort().join(list) : list(text);
      }),
    );
  const count = (rows: readonly (readonly unknown[])[], engine: 'pg' | 'tidb'): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rows) {
      const k = canon(r, engine);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const a = count(pg.rows, 'pg');
  const b = count(tidb.rows, 'tidb');
  let differingRows = 0;
  const surplus = (x: Map<string, number>, y: Map<string, number>): string[] => {
    const out: string[] = [];
    for (const [k, n] of x) {
      const extra = n - (y.get(k) ?? 0);
      if (extra <= 0) continue;
      differingRows += extra;
      out.push(extra > 1 ? `${k} x${extra}` : k);
    }
    return out.slice(0, options.examples ?? 3);
  };
  const onlyPg = surplus(a, b);
  const onlyTidb = surplus(b, a);
  return { pgRows: pg.rows.length, tidbRows: tidb.rows.length, columnNames, onlyPg, onlyTidb, differingRows, same: differingRows === 0 && columnNames.length === 0 };
}

/** The harness's engines as the view comparison uses them (rows as arrays; PostgreSQL values as text). */
export interface ViewEngines {
  readonly pg: (sql: string) => Promise<readonly (readonly (string | null)[])[]>;
  readonly tidb: (sql: string) => Promise<readonly (readonly unknown[])[]>;
}

/** A difference in a view's rows, shaped as the differential harness's `Difference` (kind 'value', `table` the view). */
export interface ViewDifference {
  readonly kind: 'value';
  readonly table: string;
  readonly detail: string;
  readonly predictedBy?: { readonly id: string; readonly message: string };
}

/**
 * view-translated notes that predict different rows, and why: each names a way the two engines
 * may answer differently for the same rows.
 */
const NOTE_PREDICTS: readonly RegExp[] = [
  /unspecified order/, // list aggregates without ORDER BY
  /group_concat_max_len/, // GROUP_CONCAT cut at its length limit
  /collation/, // text compared, grouped or ordered under the TiDB collation
  /time zone/, // session-time-zone dependent values
  /is dropped: the value keeps the TiDB type/, // a cast left out
  /MEMBER OF/, // NULL elements
  /arbitrary row/, // DISTINCT ON without ORDER BY
  /CURRENT_USER/,
  /decimal division keeps fewer digits/, // numeric / numeric scale
  /overflow/, // integer arithmetic: an error in PostgreSQL, BIGINT in TiDB
  /truncated|an error or truncated/, // recursive CTE column types
];

export interface ViewDifferenceOptions {
  /** The differences already found in the tables (a view over a table whose values differ differs too, for the same reason). */
  readonly tableDifferences?: readonly { readonly table: string; readonly predictedBy?: { readonly id: string; readonly message: string } }[];
}

type Translated = Pick<TranslateResult, 'schema' | 'tidb' | 'diagnostics'>;

const pgQuote = (s: string) => `"${s.replace(/"/g, '""')}"`;
const myQuote = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/**
 * Every translated view's `SELECT *` in both engines (after the harness inserted its rows),
 * compared with compareViewRows. A difference is predicted by a view-translated note that names a
 * way the engines differ (NOTE_PREDICTS), or by what predicts a difference in a table it reads.
 */
export async function viewDifferences(result: Translated, engines: ViewEngines, options: ViewDifferenceOptions = {}): Promise<ViewDifference[]> {
  const sourceOf = new Map(result.tidb.databases.map((d) => [d.name, d.source]));
  const out: ViewDifference[] = [];
  for (const v of result.tidb.views ?? []) {
    const schema = sourceOf.get(v.name.database) ?? v.name.database;
    const pgView = result.schema.views.find((x) => (x.name.schema ?? 'public') === schema && x.name.name === v.name.name);
    const name = pgView?.name.name ?? v.name.name;
    const display = `${schema}.${name}`;
    const predicted = predictView(result, schema, name, v.dependencies.map((d) => ({ schema: sourceOf.get(d.database) ?? d.database, name: d.name })), options);
    try {
      const pgRel = `${pgQuote(schema)}.${pgQuote(name)}`;
      // Domains compare as their base type.
      const kinds = await engines.pg(`SELECT (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END)::text FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = '${pgRel.replace(/'/g, "''")}'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
      const pgColumns = kinds.map((k, i) => ({ name: v.columns[i] ?? String(i), kind: viewCellKind(Number(k[0])) }));
      const pgRows = await engines.pg(`SELECT * FROM ${pgRel}`);
      const tidbRows = await engines.tidb(`SELECT * FROM ${myQuote(v.name.database)}.${myQuote(v.name.name)}`);
      const cmp = compareViewRows(pgColumns, { columns: pgColumns.map((c) => c.name), rows: pgRows }, { columns: pgColumns.map((c) => c.name), rows: tidbRows });
      if (cmp.same) continue;
      out.push({ kind: 'value', table: display, detail: `view rows differ (${cmp.pgRows} vs ${cmp.tidbRows} rows, ${cmp.differingRows} differ): PostgreSQL only ${cmp.onlyPg.join(' | ').slice(0, 300)}; TiDB only ${cmp.onlyTidb.join(' | ').slice(0, 300)}`, ...(predicted ? { predictedBy: predicted } : {}) });
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
      // PostgreSQL raising on integer overflow is what the overflow note predicts; any other read failure is a bug.
      const overflow = /out of range/.test(why) && predicted?.message.includes('overflow') === true;
      out.push({ kind: 'value', table: display, detail: `view cannot be read: ${why}`, ...(overflow ? { predictedBy: predicted } : {}) });
    }
  }
  return out;
}

function predictView(result: Translated, schema: string, name: string, reads: readonly { schema: string; name: string }[], options: ViewDifferenceOptions): { id: string; message: string } | undefined {
  const on = (d: Diagnostic, s: string, n: string) => (d.subject.database ?? 'public') === s && (d.subject.name === n || d.subject.table === n);
  const note = result.diagnostics.find((d) => d.id === 'view-translated' && d.subject.kind === 'view' && on(d, schema, name) && (d.data as PayloadOf<'view-translated'>).notes.some((n) => NOTE_PREDICTS.some((p) => p.test(n))));
  if (note) return { id: note.id, message: note.message };
  const readNames = new Set(reads.map((r) => `${r.schema}.${r.name}`));
  const fromTable = options.tableDifferences?.find((d) => readNames.has(d.table) && d.predictedBy);
  return fromTable?.predictedBy;
}
