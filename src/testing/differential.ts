/**
 * The differential harness (issue 14): the same rows inserted into PostgreSQL and, converted by
 * the value mapping `pg2tidb data` uses (src/data), into TiDB, row by row; then compared:
 * which rows each engine accepts or refuses, and the stored values (generated columns and
 * defaults included; time defaults within a tolerance). A difference is *predicted* when a
 * diagnostic of the translation names its table or column with an id that explains that kind of
 * difference (PREDICTORS); anything else is a bug in the translation.
 *
 * Drivers come from the caller (`engines`), so this module needs neither `pg` nor `mysql2`.
 */
import fc from 'fast-check';
import { planTables, type TablePlan } from '../data/columns.js';
import { Unrepresentable, type Cell } from '../data/values.js';
import type { DiagnosticId } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { columnsOf } from '../ir/expr.js';
import type { Schema, Table } from '../ir/schema.js';
import type { TidbType } from '../ir/tidb.js';
import type { ColumnType, Expr } from '../ir/types.js';
import type { TranslateOptions } from '../transform/options.js';
import { translate, type TranslateResult } from '../translate.js';
import { message, prepare, refusalCause, TableJudge, type Prepared, type RefusalCause, type Verdict } from './judge.js';
import { pgRow, type RowTypeResolver, type RowValue } from './rows.js';
import { viewDifferences } from './views.js';

export type { RefusalCause } from './judge.js';

export type { RowValue } from './rows.js';
export { pgRow, pgValue } from './rows.js';

/** The schema script (PostgreSQL) or its translation (TiDB) did not run: nothing was compared. */
export class SchemaRefused extends Error {
  constructor(
    readonly engine: 'postgresql' | 'tidb',
    readonly reason: string,
  ) {
    super(`${engine === 'tidb' ? 'TiDB refused the translated schema' : 'PostgreSQL refused the schema'}: ${reason}`);
  }
}

/** One SQL statement per call; rows as arrays. Throw on an SQL error (the message is recorded). */
export interface DifferentialEngines {
  /** PostgreSQL, connected to a database of this schema's own; values as text (NULL as null). Multi-statement text is allowed. */
  readonly pg: (sql: string) => Promise<readonly (readonly (string | null)[])[]>;
  /** TiDB, with `?` placeholders; multi-statement text is allowed (mysql2: `multipleStatements: true`). */
  readonly tidb: (sql: string, params?: readonly Cell[]) => Promise<readonly (readonly unknown[])[]>;
}

export interface DifferentialOptions {
  /** Rows per table (default 10). */
  readonly rows?: number;
  readonly seed?: number;
  /** TiDB database for PostgreSQL schema `s`: default `${prefix}_${s}`. */
  readonly databasePrefix?: string;
  readonly translateOptions?: Partial<TranslateOptions>;
  /** Rows inserted before the generated ones, per PostgreSQL table (`schema.table`), values in the table's column order. */
  readonly givenRows?: Readonly<Record<string, readonly (readonly RowValue[])[]>>;
  /** Rows per multi-row INSERT (default 5; 1 inserts row by row). */
  readonly batch?: number;
  /** Turn TiDB's CHECK enforcement on (SET GLOBAL tidb_enable_check_constraint; default true). */
  readonly enforceChecks?: boolean;
}

export type DifferenceKind = 'pg-only-accepts' | 'tidb-only-accepts' | 'value';

export interface Difference {
  readonly kind: DifferenceKind;
  /** PostgreSQL schema.table. */
  readonly table: string;
  readonly column?: string;
  readonly row?: readonly RowValue[];
  readonly detail: string;
  /** For a refusal: what the refusing engine named as its cause (absent when its message names none). */
  readonly cause?: RefusalCause;
  /** The diagnostic that predicts it, when one does. */
  readonly predictedBy?: { readonly id: string; readonly message: string };
}

export interface DifferentialReport {
  readonly tables: number;
  /** Tables whose rows the harness cannot generate (a NOT NULL column of a type it does not know), with the reason. */
  readonly skippedTables: readonly string[];
  readonly rows: number;
  readonly acceptedBoth: number;
  readonly refusedBoth: number;
  /** Rows the value converter refuses (pg2tidb data reports these values): not inserted into TiDB. */
  readonly unrepresentable: number;
  readonly differences: readonly Difference[];
  /**
   * Generated key columns whose stored values were not compared, and why: each engine numbers its
   * rows itself, so values compare only while both engines drew from their generators in step (as
   * many rows accepted by each before every draw, no explicit value moving an AUTO_INCREMENT past
   * the other engine's sequence); AUTO_RANDOM values are random.
   */
  readonly uncompared: readonly { readonly table: string; readonly column: string; readonly reason: string }[];
  /** The differences no diagnostic predicts: the translation's bugs. */
  readonly unexplained: readonly Difference[];
  /** TiDB databases the translated schema created (drop them when done). */
  readonly databases: readonly string[];
  readonly result: TranslateResult;
}

/**
 * Diagnostic ids that explain a kind of difference on the table (or column) they name. Refusals
 * change with constraints TiDB enforces differently; values with the types and expressions.
 */
export const PREDICTORS: Readonly<Record<DifferenceKind, readonly DiagnosticId[]>> = {
  // PostgreSQL accepts what TiDB refuses: a key TiDB compares differently or adds.
  // A foreign key TiDB finds unmet because the referenced key was drawn by a demoted sequence (its values differ from PostgreSQL's).
  'pg-only-accepts': ['name-collision', 'auto-increment-explicit', 'fk-deferrable', 'identity-lossy', 'timestamptz', 'collation-equality', 'enum-binary', 'partial-index', 'nulls-not-distinct', 'index-key-too-long', 'lossy-type', 'lossy-type-minor', 'unsupported-type', 'fk-type-aligned', 'multi-valued-index', 'default-dropped', 'generated-column', 'sequence-demoted'],
  // TiDB accepts what PostgreSQL refuses: a constraint it dropped or does not enforce, a foreign key matching under TiDB's
  // collation, or a time default PostgreSQL rounds (equal in a unique key) and TiDB does not.
  'tidb-only-accepts': ['name-collision', 'fk-type-aligned', 'auto-increment-explicit', 'sequence-demoted', 'collation-equality', 'enum-binary', 'default-semantics', 'check-constraint-off', 'check-dropped', 'partial-index', 'index-dropped', 'fk-dropped', 'exclude-constraint', 'too-many-indexes', 'lossy-type', 'lossy-type-minor', 'unsupported-type', 'array-to-json', 'identity-lossy', 'constraint-not-valid', 'default-dropped', 'generated-column'],
  // Generated key values are compared only while both engines drew in step (GeneratorSteps), so no sequence id excuses them;
  // identity-lossy does when the identity's numbering itself changed (its increment or bounds).
  value: ['name-collision', 'fk-type-aligned', 'lossy-type', 'lossy-type-minor', 'unsupported-type', 'timestamptz', 'generated-column', 'default-dropped', 'default-semantics', 'array-to-json', 'type-choice', 'unbounded-numeric', 'python-side-default', 'identity-lossy'],
};

const pgIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const myIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;

function resolver(schema: Schema): RowTypeResolver {
  const name = (t: ColumnType) => (t.kind === 'user' ? t.name : undefined);
  const same = (a: { schema?: string; name: string }, b: { schema?: string; name: string }) => a.name === b.name && (a.schema ?? 'public') === (b.schema ?? 'public');
  return {
    enumValues: (t) => {
      const n = name(t);
      return n ? schema.enums.find((e) => same(e.name, n))?.values : undefined;
    },
    domainBase: (t) => {
      const n = name(t);
      return n ? schema.domains.find((d) => same(d.name, n))?.type : undefined;
    },
  };
}

/** A default PostgreSQL evaluates at insert time (compared within a tolerance). */
function isTimeDefault(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.k === 'keyword') return /TIME|DATE/.test(e.name);
  if (e.k === 'func') return ['now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'timezone'].includes(e.name.toLowerCase());
  if (e.k === 'cast') return isTimeDefault(e.expr);
  return false;
}

function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => (Array.isArray(x) ? x.map(sort) : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])])) : x);
  try {
    return JSON.stringify(sort(typeof v === 'string' ? JSON.parse(v) : v));
  } catch {
    return String(v);
  }
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** One value as comparable text for its TiDB type; `now` marks a time within a day of the run. */
function canonical(v: unknown, type: TidbType, timeDefault: boolean): string {
  if (v === null || v === undefined) return 'NULL';
  if (v instanceof Uint8Array) return `0x${hex(v)}`;
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  switch (type.base) {
    case 'JSON':
      return canonicalJson(v);
    case 'DECIMAL': {
      const m = /^(-?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(s.trim());
      if (!m) return s;
      const int = m[2] || '0';
      const frac = m[3] ?? '';
      return `${int === '0' && frac === '' ? '' : m[1]}${int}${frac ? `.${frac}` : ''}`;
    }
    case 'FLOAT':
      return String(Math.fround(Number(s)));
    case 'DOUBLE':
      return String(Number(s));
    case 'BOOLEAN':
    case 'TINYINT':
      return s === 't' || s === 'true' ? '1' : s === 'f' || s === 'false' ? '0' : s;
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'TIME':
    case 'DATE': {
      const t = s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
      if (timeDefault) {
        const ms = Date.parse(`${t.replace(' ', 'T')}Z`);
        if (Number.isFinite(ms) && Math.abs(ms - Date.now()) < 86_400_000) return 'now';
      }
      return t;
    }
    default:
      return s;
  }
}

/** What a difference shows, for the ids that predict only differences that look like theirs. */
interface Evidence {
  readonly kind: DifferenceKind;
  readonly detail: string;
  readonly seen: Seen;
}

/**
 * Ids that predict a difference only when the difference looks like theirs: a collation makes a
 * duplicate of values that differ in bytes (case, trailing space), never of the same value; a
 * foreign-key column aligned to its parent's wider type lets TiDB hold what the column's own type
 * refused (a longer string, a larger integer in exactly that column), nothing else; an identity
 * changes its values only when its numbering changed (not when GENERATED ALWAYS alone is lost); a
 * demoted sequence explains a row PostgreSQL accepts only through a key over what it drew (a foreign key to it, or its unique key).
 */
const PREDICTS_ONLY_WHEN: Partial<Record<DiagnosticId, (d: Diagnostic, e: Evidence) => boolean>> = {
  'collation-equality': (_d, e) => e.kind !== 'pg-only-accepts' || !byteDuplicate(e.detail, e.seen),
  'enum-binary': (_d, e) => e.kind !== 'pg-only-accepts' || !byteDuplicate(e.detail, e.seen),
  'fk-type-aligned': (d, e) => e.kind !== 'tidb-only-accepts' || sourceTypeRefuses(e.detail, e.seen.row.find((v) => v.name === (d.data as { column?: string }).column)?.value),
  'identity-lossy': (d, e) => e.kind !== 'value' || (d.data as { reason?: string }).reason !== 'generated-always',
  // Found at seeds 1193816285 and 412150092: TiDB accepted rows PostgreSQL refused, each drawing from the demoted sequence, so
  // the values drawn after differ: a child's reference PostgreSQL met named a key TiDB had given another row, or an explicit
  // value PostgreSQL's sequence had not reached was one TiDB's had drawn. Only a foreign key's or a unique key's refusal (the
  // matcher ties it to the sequence's column or the key it references): the drawn values differ, not the rules.
  'sequence-demoted': (_d, e) => e.kind !== 'pg-only-accepts' || /a foreign key constraint fails|Duplicate entry /.test(e.detail),
};

const INTEGER_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** PostgreSQL refused the row because `value` does not fit the type its message names (a string too long, an integer out of range). */
function sourceTypeRefuses(detail: string, value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  const long = /value too long for type character(?: varying)?\((\d+)\)/.exec(detail);
  if (long) return [...value].length > Number(long[1]);
  const range = /(?:value "[^"]*" is out of range for type (smallint|integer|bigint)|(smallint|integer|bigint) out of range)/.exec(detail);
  const bounds = range ? INTEGER_RANGE[range[1] ?? range[2]!] : undefined;
  if (!bounds || !/^-?\d+$/.test(value.trim())) return false;
  const n = BigInt(value.trim());
  return n < bounds[0] || n > bounds[1];
}

/** The row's values and, per column, the values of rows both engines accepted. */
interface Seen {
  readonly row: readonly { readonly name: string; readonly value: string | null }[];
  readonly accepted: ReadonlySet<string>;
}

/** TiDB's duplicate is a value an accepted row holds byte for byte in the same column (so no collation made it). */
function byteDuplicate(detail: string, seen: Seen): boolean {
  const entry = /Duplicate entry '(.*)' for key/.exec(detail)?.[1];
  if (entry === undefined) return true;
  const cols = seen.row.filter((v) => v.value === entry);
  return cols.length > 0 && cols.some((c) => seen.accepted.has(`${c.name}\0${entry}`));
}

function predict(kind: DifferenceKind, table: { schema?: string; name: string }, cause: RefusalCause | undefined, diagnostics: readonly Diagnostic[], detail = '', seen: Seen = { row: [], accepted: new Set() }, schema?: Schema): Diagnostic | undefined {
  const ids = new Set<string>(PREDICTORS[kind]);
  const pgTable = (t: { schema?: string; name: string }) => schema?.tables.find((x) => x.name.name === t.name && (x.name.schema ?? 'public') === (t.schema ?? 'public'));
  // A foreign key's refusal is also explained by what changed the referenced key (its collation, its type).
  const targets: { table: { schema?: string; name: string }; cause: RefusalCause | undefined }[] = [{ table, cause }];
  if (cause?.referenced) targets.push({ table: cause.referenced.table, cause: { columns: cause.referenced.columns, names: [] } });
  // Diagnostics may list columns by their TiDB names; the refusal names PostgreSQL's.
  const renamed = new Map(diagnostics.flatMap((d) => {
    const r = d.data as { kind?: string; table?: string; from?: string; to?: string };
    return d.id === 'identifier-renamed' && r.kind === 'column' && r.to !== undefined && r.from !== undefined ? [[`${r.table ?? ''}\0${r.to}`, r.from] as const] : [];
  }));
  const pgColumn = (t: string, c: string) => renamed.get(`${t}\0${c}`) ?? c;
  const own = diagnostics.find((d) => matches(d, targets.slice(0, 1)));
  return own ?? (targets.length > 1 ? diagnostics.find((d) => matches(d, targets.slice(1))) : undefined);

  function matches(d: Diagnostic, targets: readonly { table: { schema?: string; name: string }; cause: RefusalCause | undefined }[]): boolean {
    // A trigger or function TiDB cannot hold predicts any difference in the tables its body touches.
    if (d.id === 'object-not-supported') return touches(d, table);
    // A sequence folded into AUTO_INCREMENT: TiDB fills an explicit NULL and moves past explicit values, PostgreSQL does neither.
    if (d.id === 'sequence-folded') return (cause?.columns ?? ['']).some((c) => d.message.includes(` AUTO_INCREMENT on ${table.schema ?? 'public'}.${table.name}.${c}`));
    if (!ids.has(d.id)) return false;
    // A generator demoted to a TiDB SEQUENCE: explicit values (GENERATED ALWAYS lost) and the values it draws differ
    // (found: PostgreSQL's first nextval failed a CHECK that TiDB's draw passed), so it explains its column's differences.
    const when = PREDICTS_ONLY_WHEN[d.id];
    if (when && !when(d, { kind, detail, seen })) return false;
    const s = d.subject as { table?: string; database?: string; column?: string; name?: string } | undefined;
    return targets.some(({ table: t, cause: c }) => {
      if (!s || s.table !== t.name) return false;
      if (s.database !== undefined && t.schema !== undefined && s.database !== t.schema) return false;
      // A diagnostic about some columns (or one constraint) predicts only what those columns (that constraint) caused.
      if (c === undefined) return true;
      const named = (d.data as { columns?: unknown }).columns;
      const columns = s.column !== undefined ? [s.column] : Array.isArray(named) ? (named as string[]) : undefined;
      if (columns !== undefined) return columns.some((x) => c.columns.includes(x) || c.columns.includes(pgColumn(t.name, x)));
      const owner = pgTable(t);
      if (s.name !== undefined && kind !== 'value') return c.names.includes(s.name) || (owner !== undefined && objectColumns(owner, s.name).some((x) => c.columns.includes(x)));
      return true;
    });
  }
}

/** The foreign key a refusal names (by name, else by its columns), and the key it references. */
function withReferenced(cause: RefusalCause | undefined, table: Table, schema: Schema): RefusalCause | undefined {
  if (!cause) return cause;
  const fk = table.foreignKeys.find((f) => (f.name !== undefined && cause.names.includes(f.name)) || (f.columns.length === cause.columns.length && f.columns.every((c) => cause.columns.includes(c))));
  if (!fk || !cause.names.length) return cause;
  const ref = schema.tables.find((t) => t.name.name === fk.refTable.name && (t.name.schema ?? 'public') === (fk.refTable.schema ?? table.name.schema ?? 'public'));
  const columns = fk.refColumns.length > 0 ? fk.refColumns : ref?.primaryKey?.columns ?? [];
  return { ...cause, referenced: { table: { ...(fk.refTable.schema !== undefined ? { schema: fk.refTable.schema } : table.name.schema !== undefined ? { schema: table.name.schema } : {}), name: fk.refTable.name }, columns } };
}

/** The columns a named constraint or index of the PostgreSQL table covers (its expressions and predicate included). */
function objectColumns(table: Table, name: string): string[] {
  const out = new Set<string>();
  const keys = [table.primaryKey, ...table.uniques, ...table.foreignKeys].filter((k) => k?.name === name);
  for (const k of keys) for (const c of k!.columns) out.add(c);
  for (const c of table.checks) if (c.name === name) columnsOf(c.expr, out);
  for (const ix of table.indexes) {
    if (ix.name !== name) continue;
    for (const k of ix.keys) {
      if (k.column !== undefined) out.add(k.column);
      if (k.expr) columnsOf(k.expr, out);
    }
    if (ix.where) columnsOf(ix.where, out);
  }
  return [...out];
}

function touches(d: Diagnostic, table: { schema?: string; name: string }): boolean {
  const list = (d.data as { touches?: readonly { readonly table: string }[] }).touches ?? [];
  return list.some((t) => t.table === table.name || t.table === `${table.schema ?? 'public'}.${table.name}`);
}

/** Schemas a script creates (`CREATE SCHEMA [IF NOT EXISTS] name`), as PostgreSQL folds their names. */
function createdSchemas(sql: string): string[] {
  return [...sql.matchAll(/CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?("(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)/giu)].map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!.toLowerCase()));
}

interface TableRun {
  readonly plan: TablePlan;
  readonly columns: readonly string[];
  /** Generated key columns (PostgreSQL names) not compared, with the reason. */
  readonly outOfStep: ReadonlyMap<string, string>;
}

/** A column an engine numbers itself: PostgreSQL's identity or nextval default, TiDB's AUTO_INCREMENT, AUTO_RANDOM or NEXTVAL default. */
interface Generated {
  readonly column: string;
  /** What draws are counted on: the sequence a nextval default names (shared by every column using it), else the column. */
  readonly key: string;
  /** TiDB's AUTO_INCREMENT: an explicit value moves its counter past it (PostgreSQL's sequence stays). */
  readonly autoIncrement: boolean;
  readonly random: boolean;
  /** TiDB's AUTO_INCREMENT in a table without a clustered primary key: the implicit row id draws from the same allocator. */
  readonly sharesRowId: boolean;
}

/** The sequence a `nextval('seq')` default names, as written. */
function nextvalSequence(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'cast') return nextvalSequence(e.expr);
  if (e.k !== 'func' || e.name.toLowerCase() !== 'nextval') return undefined;
  const arg = e.args[0];
  const lit = arg?.k === 'cast' ? arg.expr : arg;
  return lit?.k === 'string' ? lit.value.toLowerCase() : arg?.k === 'raw' ? arg.text : '';
}

function generatedColumns(plan: TablePlan, display: string): Generated[] {
  return plan.pg.columns.flatMap((c) => {
    const t = plan.columns.get(c.name)?.tidb;
    const sequence = nextvalSequence(c.default);
    const random = t?.autoRandom !== undefined;
    if (c.identity === undefined && sequence === undefined && !t?.autoIncrement && !random && t?.default?.kind !== 'nextval') return [];
    const pk = plan.tidb.primaryKey;
    // A clustered primary key is the row's handle; without one TiDB adds the implicit _tidb_rowid.
    const sharesRowId = t?.autoIncrement === true && pk?.clustered !== true;
    return [{ column: c.name, key: sequence ? `sequence ${sequence}` : `${display}.${c.name}`, autoIncrement: t?.autoIncrement === true, random, sharesRowId }];
  });
}

/**
 * Refusals of a complete row (defaults drawn, then a key or CHECK fails), after which both engines
 * have drawn; any other refusal (NOT NULL, a value its type refuses, an explicit value in a
 * GENERATED ALWAYS column) may come before or after the draw, differently in each engine (found:
 * TiDB's sequence one ahead of PostgreSQL's after rows both refused).
 */
const AFTER_DRAW: Readonly<Record<'pg' | 'tidb', RegExp>> = {
  pg: /violates (?:unique|check|foreign key|exclusion) constraint/,
  tidb: /Duplicate entry|Check constraint '.*' is violated|a foreign key constraint fails/,
};

/**
 * Whether each generator has been drawn from in step by both engines: a row drawing a value
 * (leaving the column to its default) after rows one engine accepted and the other refused, after
 * a row both refused without saying both had drawn (AFTER_DRAW), or after an explicit value moved
 * TiDB's AUTO_INCREMENT, draws a different number.
 */
class GeneratorSteps {
  private pgAccepted = 0;
  private tidbAccepted = 0;
  private unsure: string | undefined;
  private readonly moved = new Set<string>();
  readonly outOfStep = new Map<string, string>();

  /** `off`: generator key -> why its draws are out of step, shared by the run's tables (a sequence can feed several). */
  constructor(
    private readonly generated: readonly Generated[],
    private readonly off: Map<string, string>,
  ) {}

  /** Before a row is inserted: the draws it makes, judged. */
  before(p: Prepared): void {
    for (const g of this.generated) {
      const given = p.values.find((v) => v.name === g.column);
      if (given !== undefined) {
        if (g.autoIncrement && given.value !== null) this.moved.add(g.key);
        continue;
      }
      if (this.outOfStep.has(g.column)) continue;
      // Measured on tidb-server v8.5: such a column draws 1, 3, 5 where PostgreSQL draws 1, 2, 3 (pingcap/tidb#982).
      const why = g.random
        ? 'AUTO_RANDOM values are random'
        : g.sharesRowId
          ? "TiDB's implicit row id draws from this AUTO_INCREMENT's allocator (the table has no clustered primary key): every row uses two values"
        : this.off.get(g.key) ?? (this.pgAccepted !== this.tidbAccepted ? `drawn after ${this.pgAccepted} rows PostgreSQL accepted and ${this.tidbAccepted} TiDB accepted` : this.moved.has(g.key) ? "drawn after an explicit value moved TiDB's AUTO_INCREMENT counter" : this.unsure);
      if (why === undefined) continue;
      this.outOfStep.set(g.column, why);
      this.off.set(g.key, why);
    }
  }

  after(v: Verdict): void {
    if (v.pgError === undefined) this.pgAccepted++;
    if (v.tidbError === undefined) this.tidbAccepted++;
    if (this.unsure === undefined && v.pgError !== undefined && v.tidbError !== undefined && !(AFTER_DRAW.pg.test(v.pgError) && AFTER_DRAW.tidb.test(v.tidbError))) {
      this.unsure = `drawn after a row both refused, which an engine may refuse before drawing (PostgreSQL: ${v.pgError.replace(/"[^"]*"/g, '"…"').slice(0, 60)})`;
    }
  }
}

/**
 * Runs the harness on one PostgreSQL schema script: applies it to PostgreSQL and its translation
 * to TiDB, inserts generated rows into both, compares. The PostgreSQL engine must be connected to a
 * fresh database; the TiDB databases are `${databasePrefix}_${schema}` (dropped first).
 */
export async function runDifferential(sql: string, engines: DifferentialEngines, options: DifferentialOptions = {}): Promise<DifferentialReport> {
  const prefix = options.databasePrefix ?? 'pg2tidb_diff';
  const mapOf = (schemas: Iterable<string>) => Object.fromEntries([...schemas].map((s) => [s, `${prefix}_${s}`.slice(0, 64)]));
  const translateWith = (schemas: Iterable<string>) => translate({ path: 'input.sql', text: sql }, { ...options.translateOptions, databaseMap: { ...options.translateOptions?.databaseMap, ...mapOf(schemas) } });
  // One translation when the schemas the script creates are all it uses (the usual case); a second one when the first used others.
  const guessed = new Set(['public', ...createdSchemas(sql)]);
  let result = await translateWith(guessed);
  const used = new Set(result.schema.tables.map((t) => t.name.schema ?? 'public'));
  if ([...used].some((s) => !guessed.has(s))) result = await translateWith(used);
  const databases = result.tidb.databases.map((d) => d.name);
  // The session pg2tidb data's load scripts set (src/data/layout.ts): UTC, and an explicit 0 in an AUTO_INCREMENT column stays 0.
  await engines.tidb(["SET SESSION sql_mode = IF(FIND_IN_SET('NO_AUTO_VALUE_ON_ZERO', @@SESSION.sql_mode), @@SESSION.sql_mode, CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO'))", 'SET foreign_key_checks = 0', ...databases.map((db) => `DROP DATABASE IF EXISTS ${myIdent(db)}`), 'SET foreign_key_checks = 1', ...(options.enforceChecks !== false ? ['SET GLOBAL tidb_enable_check_constraint = ON'] : []), "SET time_zone = '+00:00'"].join('; '));
  await engines.pg("SET TimeZone = 'UTC'; SET intervalstyle = 'iso_8601'");
  await engines.pg(sql).catch((e: unknown) => {
    throw new SchemaRefused('postgresql', message(e));
  });
  await engines.tidb(result.sql).catch((e: unknown) => {
    throw new SchemaRefused('tidb', message(e));
  });

  const plans = planTables(result.schema, result.tidb.tables);
  const resolve = resolver(result.schema);
  const differences: Difference[] = [];
  const skippedTables: string[] = [];
  const runs: TableRun[] = [];
  let rows = 0;
  let acceptedBoth = 0;
  let refusedBoth = 0;
  let unrepresentable = 0;
  const seed = options.seed ?? 1;
  const sequencesOff = new Map<string, string>();
  for (const [n, tidbTable] of result.tidb.tables.entries()) {
    const plan = plans.get(`${tidbTable.source.includes('.') ? '' : 'public.'}${tidbTable.source}`) ?? [...plans.values()].find((p) => p.tidb === tidbTable);
    if (!plan) continue;
    const pgName = plan.pg.name;
    const display = `${pgName.schema ?? 'public'}.${pgName.name}`;
    // Generated columns are left to the engines; identity and serial columns get explicit values
    // too (NULL, 0, values later defaults reach: auto-increment-explicit says how TiDB differs).
    const cols = plan.pg.columns.filter((c) => !c.generated);
    const rowArb = pgRow(cols.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull || (plan.pg.primaryKey?.columns.includes(c.name) ?? false), hasDefault: c.default !== undefined || c.identity !== undefined })), resolve);
    if (!rowArb) {
      skippedTables.push(`${display}: a NOT NULL column without default has a type the harness does not generate`);
      continue;
    }
    const generated = generatedColumns(plan, display);
    const steps = new GeneratorSteps(generated, sequencesOff);
    runs.push({ plan, columns: plan.pg.columns.map((c) => c.name), outOfStep: steps.outOfStep });
    const sample = fc.sample(fc.array(rowArb, { minLength: options.rows ?? 10, maxLength: options.rows ?? 10 }), { seed: seed + n, numRuns: 1 })[0]!;
    // Given rows name every column of the table; the harness leaves out the ones it leaves to the engines.
    const given = (options.givenRows?.[display] ?? []).map((r) => cols.map((c): RowValue => r[plan.pg.columns.indexOf(c)] === undefined ? { omit: true } : r[plan.pg.columns.indexOf(c)]!));
    const prepared: Prepared[] = [];
    for (const row of [...given, ...sample]) {
      rows++;
      const p = prepare(row, cols, plan);
      if (p) prepared.push(p);
      else unrepresentable++;
    }
    const judge = new TableJudge(engines, plan);
    /** Values of the rows both engines accepted (a duplicate of one of these is no collation effect). */
    const seen = new Set<string>();
    const accept = (p: Prepared) => {
      acceptedBoth++;
      for (const v of p.values) if (v.value !== null) seen.add(`${v.name}\0${v.value}`);
    };
    // Rows go in batches (one multi-row INSERT per engine); a batch either engine refuses is
    // replayed row by row, so each row is judged on its own as before. A table referencing itself
    // is inserted row by row: a multi-row INSERT checks its foreign keys only at the statement's end;
    // so is a table that numbers its rows (a refused batch uses up numbers unlike its rows one by one).
    const selfReferencing = plan.pg.foreignKeys.some((fk) => fk.refTable.name === pgName.name && (fk.refTable.schema ?? 'public') === (pgName.schema ?? 'public'));
    const numbered = generated.length > 0;
    const batch = selfReferencing || numbered ? 1 : options.batch ?? 5;
    for (let i = 0; i < prepared.length; ) {
      const chunk = prepared.slice(i, i + batch);
      i += chunk.length;
      // (A table with generated keys goes row by row, so a batch holds no draw.)
      if (chunk.length > 1 && (await judge.insert(chunk)).both) {
        chunk.forEach(accept);
        continue;
      }
      for (const p of chunk) {
        steps.before(p);
        const v = await judge.insert([p]);
        steps.after(v);
        if (v.both) accept(p);
        else if (v.pgError !== undefined && v.tidbError !== undefined) refusedBoth++;
        else {
          const kind: DifferenceKind = v.pgError === undefined ? 'pg-only-accepts' : 'tidb-only-accepts';
          const detail = v.pgError === undefined ? `TiDB: ${v.tidbError}` : `PostgreSQL: ${v.pgError}`;
          await judge.flush();
          const cause = withReferenced(await refusalCause(kind === 'pg-only-accepts' ? 'tidb' : 'postgresql', detail, p, plan, engines), plan.pg, result.schema);
          const by = predict(kind, pgName, cause, result.diagnostics, detail, { row: p.values, accepted: seen }, result.schema);
          differences.push({ kind, table: display, row: p.row, detail, ...(cause ? { cause } : {}), ...(by ? { predictedBy: { id: by.id, message: by.message } } : {}) });
        }
      }
    }
    await judge.end();
  }

  // Stored values, column by column (as multisets: the engines need not agree on row order).
  const uncompared: { table: string; column: string; reason: string }[] = [];
  for (const { plan, outOfStep } of runs) {
    const pgName = plan.pg.name;
    const display = `${pgName.schema ?? 'public'}.${pgName.name}`;
    // Generated keys drawn out of step are numbered by each engine on its own: not compared, and said so.
    for (const [column, reason] of outOfStep) uncompared.push({ table: display, column, reason });
    const mapped = plan.pg.columns.flatMap((c) => {
      const p = outOfStep.has(c.name) ? undefined : plan.columns.get(c.name);
      return p ? [{ pg: c, plan: p }] : [];
    });
    if (mapped.length === 0) continue;
    // Columns under plain aliases (a driver may refuse a column named __proto__); TiDB's JSON as its text, so a JSON null is not SQL NULL.
    const pgRows = await engines.pg(`SELECT ${mapped.map((m, i) => `${pgIdent(m.pg.name)}::text AS c${i}`).join(', ')} FROM ${pgIdent(pgName.schema ?? 'public')}.${pgIdent(pgName.name)}`);
    const tidbRows = await engines.tidb(`SELECT ${mapped.map((m, i) => `${m.plan.tidb.type.base === 'JSON' ? `CAST(${myIdent(m.plan.tidb.name)} AS CHAR)` : myIdent(m.plan.tidb.name)} AS c${i}`).join(', ')} FROM ${myIdent(plan.tidb.name.database)}.${myIdent(plan.tidb.name.name)}`);
    for (const [i, m] of mapped.entries()) {
      const time = isTimeDefault(m.pg.default);
      const expected = pgRows.map((r) => {
        const t = r[i] ?? null;
        if (t === null) return 'NULL';
        const v = m.plan.convert(t);
        return v instanceof Unrepresentable ? `unrepresentable(${v.reason})` : canonical(v, m.plan.tidb.type, time);
      }).sort();
      const actual = tidbRows.map((r) => canonical(r[i], m.plan.tidb.type, time)).sort();
      const missing = expected.filter((x) => !actual.includes(x));
      const extra = actual.filter((x) => !expected.includes(x));
      if (expected.length === actual.length && missing.length === 0 && extra.length === 0 && expected.join('\0') === actual.join('\0')) continue;
      const by = predict('value', pgName, { columns: [m.pg.name, m.plan.tidb.name], names: [] }, result.diagnostics);
      differences.push({ kind: 'value', table: display, column: m.pg.name, detail: `PostgreSQL (converted) ${JSON.stringify(missing.slice(0, 3))}, TiDB ${JSON.stringify(extra.slice(0, 3))} (${expected.length} vs ${actual.length} rows)`, ...(by ? { predictedBy: { id: by.id, message: by.message } } : {}) });
    }
  }

  // Views: each translated view's rows over the generated ones (src/testing/views.ts).
  differences.push(...(await viewDifferences(result, engines, { tableDifferences: differences })));

  return { tables: result.tidb.tables.length, skippedTables, rows, acceptedBoth, refusedBoth, unrepresentable, differences, uncompared, unexplained: differences.filter((d) => !d.predictedBy), databases, result };
}
