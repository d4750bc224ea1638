/**
 * Row judgement for the differential harness (./differential.ts): the same rows inserted into
 * PostgreSQL and TiDB, each row (or batch of rows) in a transaction of its own that is committed
 * only when both engines accept it, and, for a row one engine refuses, what the refusal names as
 * its cause. The end of one transaction travels with the next INSERT (one round trip per engine
 * and row); TiDB values are inlined as literals (mysql2's `?` placeholders would also match a `?`
 * inside a quoted identifier).
 */
import type { TablePlan } from '../data/columns.js';
import { Unrepresentable, type Cell } from '../data/values.js';
import type { Column } from '../ir/schema.js';
import type { RowValue } from './rows.js';

/** The engines as ./differential.ts takes them (JudgeEngines). */
export interface JudgeEngines {
  readonly pg: (sql: string) => Promise<readonly (readonly (string | null)[])[]>;
  readonly tidb: (sql: string) => Promise<unknown>;
}

/** What made an engine refuse a row: its columns (PostgreSQL names, and TiDB's where renamed), and the constraint or index it named. */
export interface RefusalCause {
  readonly columns: readonly string[];
  readonly names: readonly string[];
  /** For a foreign key: the table (PostgreSQL name) and columns it references. */
  readonly referenced?: { readonly table: { readonly schema?: string; readonly name: string }; readonly columns: readonly string[] };
}

const pgIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const myIdent = (s: string) => `\`${s.replace(/`/g, '``')}\``;
const pgLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** A TiDB literal (default sql_mode: backslash escapes on), as mysql2 would interpolate it. */
function myLiteral(c: Cell): string {
  if (c === null) return 'NULL';
  if (c instanceof Uint8Array) return `X'${hex(c)}'`;
  return `'${String(c).replace(/[\0\\']/g, (x) => (x === '\0' ? '\\0' : x === '\\' ? '\\\\' : "''"))}'`;
}
export const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

/** One generated row, ready for both engines: the values it gives (PostgreSQL names) and the converted TiDB cells. */
export interface Prepared {
  readonly row: readonly RowValue[];
  readonly values: readonly { readonly name: string; readonly value: string | null }[];
  readonly cells: ReadonlyMap<string, Cell>;
}

/** The row converted for TiDB; undefined when the value converter refuses a value (pg2tidb data reports it; the row goes into neither engine). */
export function prepare(row: readonly RowValue[], cols: readonly Column[], plan: TablePlan): Prepared | undefined {
  const values = cols.flatMap((c, i) => (typeof row[i] === 'object' && row[i] !== null ? [] : [{ name: c.name, value: row[i] as string | null }]));
  const cells = new Map<string, Cell>();
  for (const g of values) {
    const p = plan.columns.get(g.name);
    if (!p || p.generated) continue;
    if (g.value === null) {
      cells.set(p.tidb.name, null);
      continue;
    }
    const v = p.convert(g.value);
    if (v instanceof Unrepresentable) return undefined;
    cells.set(p.tidb.name, v);
  }
  return { row, values, cells };
}

export interface Verdict {
  readonly both: boolean;
  readonly pgError?: string;
  readonly tidbError?: string;
}

/** Inserts rows of one table into both engines, committing what both accept. */
export class TableJudge {
  private pgEnd = '';
  private tidbEnd = '';
  private readonly pgTarget: string;
  private readonly tidbTarget: string;

  constructor(
    private readonly engines: JudgeEngines,
    plan: TablePlan,
  ) {
    this.pgTarget = `${pgIdent(plan.pg.name.schema ?? 'public')}.${pgIdent(plan.pg.name.name)}`;
    this.tidbTarget = `${myIdent(plan.tidb.name.database)}.${myIdent(plan.tidb.name.name)}`;
  }

  /** One INSERT per engine for `rows`; a multi-row batch names every column any of its rows gives, DEFAULT for the others. */
  async insert(rows: readonly Prepared[]): Promise<Verdict> {
    const pgCols = [...new Set(rows.flatMap((r) => r.values.map((v) => v.name)))];
    const tidbCols = [...new Set(rows.flatMap((r) => [...r.cells.keys()]))];
    const pgRow = (r: Prepared) => `(${pgCols.map((c) => {
      const v = r.values.find((x) => x.name === c);
      return v === undefined ? 'DEFAULT' : v.value === null ? 'NULL' : pgLiteral(v.value);
    }).join(', ')})`;
    const tidbRow = (r: Prepared) => `(${tidbCols.map((c) => (r.cells.has(c) ? myLiteral(r.cells.get(c)!) : 'DEFAULT')).join(', ')})`;
    const pgSql = pgCols.length === 0 ? `INSERT INTO ${this.pgTarget} ${rows.length === 1 ? 'DEFAULT VALUES' : `SELECT FROM generate_series(1, ${rows.length})`}` : `INSERT INTO ${this.pgTarget} (${pgCols.map(pgIdent).join(', ')}) VALUES ${rows.map(pgRow).join(', ')}`;
    const tidbSql = `INSERT INTO ${this.tidbTarget} (${tidbCols.map(myIdent).join(', ')}) VALUES ${rows.map(tidbRow).join(', ')}`;
    let pgError: string | undefined;
    let tidbError: string | undefined;
    // Deferrable constraints are checked at each statement's end, as TiDB checks them: a refusal belongs to its row.
    await this.engines.pg(`${this.pgEnd}BEGIN; SET CONSTRAINTS ALL IMMEDIATE; ${pgSql}`).catch((e: unknown) => {
      pgError = message(e);
    });
    await this.engines.tidb(`${this.tidbEnd}BEGIN; ${tidbSql}`).catch((e: unknown) => {
      tidbError = message(e);
    });
    const both = pgError === undefined && tidbError === undefined;
    this.pgEnd = this.tidbEnd = both ? 'COMMIT; ' : 'ROLLBACK; ';
    return { both, ...(pgError !== undefined ? { pgError } : {}), ...(tidbError !== undefined ? { tidbError } : {}) };
  }

  /** Ends the open transactions (before reading the engines for anything else). */
  async flush(): Promise<void> {
    if (this.pgEnd) await this.engines.pg(this.pgEnd);
    if (this.tidbEnd) await this.engines.tidb(this.tidbEnd);
    this.pgEnd = this.tidbEnd = '';
  }

  end(): Promise<void> {
    return this.flush();
  }
}

const unquote = (s: string, q: string) => s.replaceAll(q + q, q);

/**
 * The columns (PostgreSQL names) and the constraint a refusal names: from the refusing engine's
 * message, the constraint's columns from PostgreSQL's catalog or the TiDB table; a message that
 * names only a value or a type (invalid input, value too long) points at the columns holding it.
 * Undefined when nothing in the message locates it.
 */
export async function refusalCause(engine: 'postgresql' | 'tidb', detail: string, row: Prepared, plan: TablePlan, engines: JudgeEngines): Promise<RefusalCause | undefined> {
  const pgOf = new Map([...plan.columns.values()].map((p) => [p.tidb.name, p.pgName]));
  const given = (pred: (c: Column, value: string) => boolean) => row.values.filter((v) => v.value !== null && plan.pg.columns.some((c) => c.name === v.name && pred(c, v.value!))).map((v) => v.name);
  // With each column its TiDB name too: diagnostics after a rename name the column as TiDB has it.
  const cause = (columns: readonly string[], names: readonly string[] = []): RefusalCause | undefined => (columns.length > 0 || names.length > 0 ? { columns: [...new Set(columns.flatMap((c) => [c, plan.columns.get(c)?.tidb.name ?? c]))], names } : undefined);
  if (engine === 'postgresql') {
    // PostgreSQL's messages quote names without doubling a quote inside them: the name runs to the quote before the known rest.
    let m = /null value in column "(.*)" of relation "/.exec(detail) ?? /cannot insert a non-DEFAULT value into column "(.*)"$/.exec(detail);
    if (m) return cause([m[1]!]);
    m = /violates (?:check|unique|foreign key|exclusion) constraint "(.*)"$/.exec(detail);
    if (m) {
      const name = m[1]!;
      if (/value for domain/.test(detail)) return cause(given((c) => c.type.kind === 'user'), [name]);
      const rel = pgLiteral(`${pgIdent(plan.pg.name.schema ?? 'public')}.${pgIdent(plan.pg.name.name)}`);
      const lit = pgLiteral(name);
      const cols = await engines.pg(
        // A constraint's columns (a CHECK's conkey lists the columns it reads); an index's from pg_depend (its expressions and predicate too).
        `SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) WHERE c.conname = ${lit} AND c.conrelid = ${rel}::regclass ` +
          `UNION SELECT a.attname FROM pg_class x JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = x.oid AND d.refobjsubid > 0 JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE x.relname = ${lit} AND d.refobjid = ${rel}::regclass`,
      );
      return cause(cols.map((r) => r[0]!).filter((c) => c !== null), [name]);
    }
    m = /value too long for type (?:character varying|character)\((\d+)\)/.exec(detail);
    if (m) return cause(given((_c, v) => [...v].length > Number(m![1])));
    m = /(?:^|: )"((?:[^"]|"")*)"\s*$/.exec(detail) ?? /: "((?:[^"]|"")*)"/.exec(detail);
    if (m) {
      const value = m[1]!;
      return cause(given((_c, v) => v === value || v.includes(value)));
    }
    m = /^(smallint|integer|bigint) out of range|^numeric field overflow/.exec(detail.replace(/^PostgreSQL: /, ''));
    if (m) return cause(given((c) => c.type.kind === 'scalar' && (m![1] === undefined ? c.type.name === 'numeric' : c.type.name === m![1])));
    return undefined;
  }
  let m = /(?:Column|column|Field) '((?:[^']|'')*)'/.exec(detail);
  if (m) {
    const c = pgOf.get(unquote(m[1]!, "'"));
    if (c !== undefined) return cause([c]);
  }
  // An AUTO_INCREMENT counter past its type's range.
  m = /constant \S+ overflows (\w+)/.exec(detail);
  if (m) return cause(plan.tidb.columns.filter((c) => c.autoIncrement && c.type.base.toLowerCase() === m![1]!.toLowerCase()).flatMap((c) => pgOf.get(c.name) ?? []));
  // TiDB names the key `table.index`, quoting nothing (found: a table named with a '.' and a quote): the table's own name is cut off.
  m = /Duplicate entry '.*' for key '(.*)'\s*$/.exec(detail) ?? /Duplicate entry '.*' for key '((?:[^']|'')*)'/.exec(detail);
  if (m) {
    const t = plan.tidb;
    const named = m[1]!;
    const key = named.startsWith(`${t.name.name}.`) ? named.slice(t.name.name.length + 1) : unquote(named, "'").replace(/^[^.]*\./, '');
    const cols = key === 'PRIMARY' ? t.primaryKey?.columns ?? [] : t.indexes.find((ix) => ix.name === key)?.parts.flatMap((p) => ('column' in p ? [p.column] : [...p.expr.matchAll(/`((?:[^`]|``)*)`/g)].map((x) => unquote(x[1]!, '`')))) ?? [];
    return cause(cols.flatMap((c) => pgOf.get(c) ?? generatedSources(plan, c)), [key]);
  }
  m = /Check constraint '((?:[^']|'')*)' is violated/.exec(detail);
  if (m) {
    const name = unquote(m[1]!, "'");
    const check = plan.tidb.checks.find((c) => c.name === name);
    return cause(check ? [...check.sql.matchAll(/`((?:[^`]|``)*)`/g)].flatMap((x) => pgOf.get(unquote(x[1]!, '`')) ?? []) : [], [name]);
  }
  m = /CONSTRAINT `((?:[^`]|``)*)` FOREIGN KEY \(([^)]*)\)/.exec(detail);
  if (m) return cause([...m[2]!.matchAll(/`((?:[^`]|``)*)`/g)].flatMap((x) => pgOf.get(unquote(x[1]!, '`')) ?? []), [unquote(m[1]!, '`')]);
  return undefined;
}

/** A TiDB column the translation added (a partial or expression index's generated column): the PostgreSQL columns its expression reads. */
function generatedSources(plan: TablePlan, tidbColumn: string): string[] {
  const col = plan.tidb.columns.find((c) => c.name === tidbColumn);
  if (!col?.generated) return [];
  const pgOf = new Map([...plan.columns.values()].map((p) => [p.tidb.name, p.pgName]));
  return [...col.generated.sql.matchAll(/`((?:[^`]|``)*)`/g)].flatMap((x) => pgOf.get(unquote(x[1]!, '`')) ?? []);
}
