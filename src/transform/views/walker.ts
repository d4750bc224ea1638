import type { TidbName, TidbType } from '../../ir/tidb.js';
import { quoteIdent, quoteString } from '../../sql/quote.js';
import { own } from '../../util/own.js';
import { parsePgArrayLiteral } from '../expressions.js';
import { relationKey, type EnvRelation, type ViewEnv } from './env.js';
import { AGGREGATES, FUNCTIONS, WINDOW_FUNCTIONS } from './functions.js';
import { aggToString, jsonArrayToString, jsonElementText, orderedArrayAgg, subqueryArray } from './arrays.js';
import { jsonOperator, type JsonKey } from './json.js';
import { OPERATORS, PREFIX_OPERATORS } from './operators.js';
import { sql, Untranslatable, type RuleCall, type Sql, type ViewNote } from './sql.js';
import { CAST_ALIASES, CAST_TARGETS, constType, kindOf, T, textOf } from './types.js';

/** A libpg-query node: `{ Tag: body }`. Bodies are read loosely: the parser's JSON omits defaults. */
type Node = Readonly<Record<string, unknown>>;
type Body = Readonly<Record<string, any>>;

/** An output column of a relation in scope. */
export interface Col {
  /** The name PostgreSQL uses for it (what the view body writes). */
  readonly source: string;
  /** The TiDB name. */
  readonly name: string;
  readonly type?: TidbType | undefined;
  readonly notNull: boolean;
  /** The output name `*` gives it, where `name` is internal (a FULL JOIN's derived-table column). */
  readonly display?: string;
}

interface Rte {
  /** The name the body refers to it by (alias or relation name). */
  readonly alias: string;
  /** Quoted name to qualify its columns with in TiDB. */
  readonly qualifier: string;
  columns: Col[];
  /** USING/NATURAL columns shown once by `*`. */
  readonly hidden: Set<string>;
}

interface Scope {
  readonly parent?: Scope | undefined;
  readonly rtes: Rte[];
  readonly ctes: Map<string, Col[]>;
  /** Named windows of this SELECT. */
  readonly windows: Set<string>;
  /** Set while translating aggregate arguments, for nested-aggregate checks. */
  inAggregate?: boolean;
  /** The GROUP BY items' SQL, while translating HAVING. */
  having?: ReadonlySet<string>;
}

export interface Selected {
  readonly sql: string;
  readonly columns: readonly Col[];
}

const tagOf = (n: unknown): [string, Body] => {
  const o = n as Node;
  const k = Object.keys(o)[0]!;
  return [k, o[k] as Body];
};
const str = (n: unknown): string => (n as { String?: { sval?: string } }).String?.sval ?? '';
const loc = (b: Body | undefined): number => (typeof b?.location === 'number' ? b.location : -1);

/** FRAMEOPTION_* bits of PostgreSQL's parsenodes.h. */
const FRAME = { nondefault: 0x1, range: 0x2, rows: 0x4, groups: 0x8, between: 0x10, startUnbPre: 0x20, endUnbPre: 0x40, startUnbFol: 0x80, endUnbFol: 0x100, startCur: 0x200, endCur: 0x400, startOffPre: 0x800, endOffPre: 0x1000, startOffFol: 0x2000, endOffFol: 0x4000, exclude: 0x8000 | 0x10000 | 0x20000 };

/** Interval units PostgreSQL accepts in literals → TiDB's INTERVAL unit. */
const INTERVAL_UNITS: Readonly<Record<string, string>> = {
  year: 'YEAR', years: 'YEAR', y: 'YEAR', mon: 'MONTH', mons: 'MONTH', month: 'MONTH', months: 'MONTH',
  week: 'WEEK', weeks: 'WEEK', w: 'WEEK', day: 'DAY', days: 'DAY', d: 'DAY', hour: 'HOUR', hours: 'HOUR', h: 'HOUR',
  min: 'MINUTE', mins: 'MINUTE', minute: 'MINUTE', minutes: 'MINUTE', m: 'MINUTE',
  sec: 'SECOND', secs: 'SECOND', second: 'SECOND', seconds: 'SECOND', s: 'SECOND',
};

/** Translates one view's SELECT; every unsupported construct throws `Untranslatable` at its location. */
export class Walker {
  readonly notes: ViewNote[] = [];
  readonly dependencies = new Map<string, TidbName>();
  private readonly relations = new Map<string, EnvRelation>();
  private readonly groupConcat = new Map<string, string>();
  private readonly uuid: 'char36' | 'binary16';
  private fullJoins = 0;
  /** WINDOW clause definitions by name, for what an OVER (w ...) inherits. */
  private readonly namedWindows = new Map<string, Body>();

  constructor(
    env: ViewEnv,
    private readonly searchPath: readonly string[],
  ) {
    for (const r of env.relations) this.relations.set(relationKey(r.source), r);
    for (const g of env.groupConcat ?? []) this.groupConcat.set(relationKey(g.name), g.separator);
    this.uuid = env.uuid ?? 'char36';
  }

  /** A name as PostgreSQL resolves it: an explicit schema, else the first schema of the search path that has it. */
  private lookup<V>(map: ReadonlyMap<string, V>, schema: string | undefined, name: string): V | undefined {
    for (const s of schema !== undefined ? [schema] : this.searchPath) {
      const v = map.get(`${s}.${name}`);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  fail(construct: string, reason: string, location: number): never {
    throw new Untranslatable(construct, reason, location);
  }

  private note(text: string, location: number): void {
    if (!this.notes.some((n) => n.note === text)) this.notes.push({ note: text, location });
  }

  private call(location: number): RuleCall {
    return { location, fail: (c, r) => this.fail(c, r, location), note: (t) => this.note(t, location) };
  }

  // ---- statements ----

  select(node: unknown, parent: Scope | undefined): Selected {
    const s = selectBody(node);
    if (!s) this.fail(tagOf(node)[0], 'only SELECT queries are translated', firstLocation(node));
    const scope: Scope = { parent, rtes: [], ctes: new Map(parent?.ctes ?? []), windows: new Set() };
    const withSql = s.withClause ? this.withClause(s.withClause, scope) : '';
    let body: Selected;
    if (s.op && s.op !== 'SETOP_NONE') body = this.setOperation(s, scope);
    else if (s.valuesLists) body = this.values(s, scope);
    else body = this.simple(s, scope);
    return { sql: withSql + body.sql, columns: body.columns };
  }

  private withClause(w: Body, scope: Scope): string {
    const parts: string[] = [];
    for (const c of (w.ctes ?? []) as unknown[]) {
      const [, cte] = tagOf(c);
      const name = String(cte.ctename);
      if (cte.cterefcount === undefined && cte.ctematerialized && cte.ctematerialized !== 'CTEMaterializeDefault') this.note('MATERIALIZED / NOT MATERIALIZED hints on CTEs are dropped', loc(cte));
      if (cte.search_clause || cte.cycle_clause) this.fail('SEARCH/CYCLE clause', 'TiDB has no SEARCH or CYCLE clause for recursive CTEs', loc(cte));
      const aliases = ((cte.aliascolnames ?? []) as unknown[]).map(str);
      let columns: readonly Col[];
      let text: string;
      const q = selectBody(cte.ctequery) ?? {};
      if (w.recursive && q.op === 'SETOP_UNION') {
        // The non-recursive term gives the CTE's columns before the recursive term reads them.
        const anchor = this.select(q.larg, scope);
        scope.ctes.set(name, rename(anchor.columns, aliases));
        this.note('a recursive CTE\'s column types come from its non-recursive term in TiDB: longer strings or larger numbers in later rows are an error or truncated (PostgreSQL also requires the types to match)', loc(cte));
        const full = this.select(cte.ctequery, scope);
        columns = full.columns;
        text = full.sql;
      } else {
        const sel = this.select(cte.ctequery, scope);
        columns = sel.columns;
        text = sel.sql;
      }
      const cols = rename(columns, aliases);
      scope.ctes.set(name, cols);
      parts.push(`${quoteIdent(name)} (${cols.map((c) => quoteIdent(c.name)).join(', ')}) AS (${text})`);
    }
    return `WITH ${w.recursive ? 'RECURSIVE ' : ''}${parts.join(', ')} `;
  }

  private setOperation(s: Body, scope: Scope): Selected {
    const op = s.op === 'SETOP_UNION' ? 'UNION' : s.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
    const arm = (n: unknown): Selected => {
      const b = selectBody(n) ?? {};
      const sel = this.select(n, scope.parent);
      const wrap = (b.op && b.op !== 'SETOP_NONE') || b.sortClause || b.limitCount || b.limitOffset || b.withClause;
      return { sql: wrap ? `(${sel.sql})` : sel.sql, columns: sel.columns };
    };
    const l = arm(s.larg);
    const r = arm(s.rarg);
    const columns = l.columns.map((c, i) => ({ ...c, notNull: c.notNull && (op !== 'UNION' || r.columns[i]?.notNull === true), type: c.type ?? r.columns[i]?.type }));
    let text = s.all && op !== 'UNION' ? this.bagOperation(op, l, r) : `${l.sql} ${op}${s.all ? ' ALL' : ''} ${r.sql}`;
    const outScope: Scope = { ...scope, rtes: [{ alias: '', qualifier: '', columns: [...columns], hidden: new Set() }] };
    text += this.orderAndLimit(s, outScope, columns, true);
    return { sql: text, columns };
  }

  /**
   * INTERSECT ALL / EXCEPT ALL, which TiDB lacks (measured: "TiDB do not support intersect all"):
   * each arm's rows numbered within their group of equal rows, then joined null-safely on the
   * values and the number. A row m times left and n times right meets min(m, n) times (INTERSECT
   * ALL); the left copies numbered above n are EXCEPT ALL's m - n.
   */
  private bagOperation(op: 'INTERSECT' | 'EXCEPT', l: Selected, r: Selected): string {
    const names = l.columns.map((c) => quoteIdent(c.name));
    if (l.columns.some((c, i) => kindOf(c.type) === 'text' || kindOf(r.columns[i]?.type) === 'text')) this.note('text comparisons use the TiDB collation, not the PostgreSQL one (case, trailing spaces and ordering may differ)', -1);
    const numbered = (arm: Selected, alias: string) => {
      const cols = arm.columns.map((c, i) => `\`__pg2tidb_arm\`.${quoteIdent(c.name)} AS ${names[i]}`).join(', ');
      return `(SELECT ${cols}, ROW_NUMBER() OVER (PARTITION BY ${arm.columns.map((c) => `\`__pg2tidb_arm\`.${quoteIdent(c.name)}`).join(', ')}) AS \`__pg2tidb_rn\` FROM (${arm.sql}) AS \`__pg2tidb_arm\`) AS ${quoteIdent(alias)}`;
    };
    const on = [...names.map((n) => `\`__pg2tidb_l\`.${n} <=> \`__pg2tidb_r\`.${n}`), '`__pg2tidb_l`.`__pg2tidb_rn` = `__pg2tidb_r`.`__pg2tidb_rn`'].join(' AND ');
    const select = `SELECT ${names.map((n) => `\`__pg2tidb_l\`.${n}`).join(', ')} FROM ${numbered(l, '__pg2tidb_l')}`;
    return op === 'INTERSECT' ? `${select} JOIN ${numbered(r, '__pg2tidb_r')} ON ${on}` : `${select} LEFT JOIN ${numbered(r, '__pg2tidb_r')} ON ${on} WHERE \`__pg2tidb_r\`.\`__pg2tidb_rn\` IS NULL`;
  }

  private values(s: Body, scope: Scope): Selected {
    const rows = (s.valuesLists as unknown[]).map((row) => ((tagOf(row)[1].items ?? []) as unknown[]).map((e) => this.expr(e, scope)));
    const columns: Col[] = rows[0]!.map((x, i) => ({ source: `column${i + 1}`, name: `column${i + 1}`, type: x.type, notNull: rows.every((r) => r[i]?.notNull === true) }));
    const text = rows.map((r, k) => `SELECT ${r.map((x, i) => (k === 0 ? `${x.sql} AS ${quoteIdent(columns[i]!.name)}` : x.sql)).join(', ')}`).join(' UNION ALL ');
    return { sql: text, columns };
  }

  private simple(s: Body, scope: Scope): Selected {
    if (s.intoClause) this.fail('SELECT INTO', 'a view cannot create a table', -1);
    if (s.lockingClause) this.fail('FOR UPDATE/SHARE', 'a view body cannot lock rows', -1);
    const from = ((s.fromClause ?? []) as unknown[]).map((f) => this.fromItem(f, scope));
    for (const w of (s.windowClause ?? []) as unknown[]) {
      scope.windows.add(String(tagOf(w)[1].name));
      this.namedWindows.set(String(tagOf(w)[1].name), tagOf(w)[1]);
    }
    const targets = this.targets((s.targetList ?? []) as unknown[], scope);
    const parts = [`SELECT ${s.distinctClause && !isDistinctOn(s) ? 'DISTINCT ' : ''}${targets.map((t) => `${t.sql.sql} AS ${quoteIdent(t.col.name)}`).join(', ')}`];
    if (from.length > 0) parts.push(`FROM ${from.join(', ')}`);
    if (s.whereClause) parts.push(`WHERE ${this.expr(s.whereClause, scope).sql}`);
    const rollup = rollupItems(s.groupClause);
    const grouped = (rollup ?? ((s.groupClause ?? []) as unknown[])).map((g) => this.groupItem(g, scope, targets));
    // TiDB does not match a selected expression with a subquery inside to the same GROUP BY item, by text or
    // position (only_full_group_by refusal on postgrest_big's v_exportevab_beob): it has one value per group, which ANY_VALUE reads.
    const wrapped = targets.map((t) => (!rollup && /\bSELECT\b/i.test(t.sql.sql) && grouped.includes(t.sql.sql) ? `ANY_VALUE(${t.sql.sql})` : t.sql.sql));
    if (wrapped.some((w, i) => w !== targets[i]!.sql.sql)) parts[0] = `SELECT ${s.distinctClause && !isDistinctOn(s) ? 'DISTINCT ' : ''}${targets.map((t, i) => `${wrapped[i]} AS ${quoteIdent(t.col.name)}`).join(', ')}`;
    // GROUP BY ROLLUP(a, b) alone is TiDB's GROUP BY a, b WITH ROLLUP (same grouping sets; GROUPING() too).
    if (grouped.length > 0) parts.push(`GROUP BY ${grouped.join(', ')}${rollup ? ' WITH ROLLUP' : ''}`);
    if (s.groupDistinct) this.fail('GROUP BY DISTINCT', 'TiDB has no GROUP BY DISTINCT', -1);
    if (s.havingClause) {
      scope.having = new Set(grouped);
      parts.push(`HAVING ${this.expr(s.havingClause, scope).sql}`);
      delete scope.having;
    }
    if (s.windowClause) parts.push(`WINDOW ${(s.windowClause as unknown[]).map((w) => { const [, b] = tagOf(w); return `${quoteIdent(String(b.name))} AS (${this.windowSpec(b, scope)})`; }).join(', ')}`);
    const columns = targets.map((t) => (rollup ? { ...t.col, notNull: false } : t.col));
    if (isDistinctOn(s)) return this.distinctOn(s, scope, targets, parts);
    const text = parts.join(' ') + this.orderAndLimit(s, { ...scope, rtes: scope.rtes }, columns, false, targets);
    return { sql: text, columns };
  }

  /** DISTINCT ON (keys): the first row of each key group by the ORDER BY, via ROW_NUMBER() in a derived table. */
  private distinctOn(s: Body, scope: Scope, targets: readonly { sql: Sql; col: Col }[], parts: string[]): Selected {
    const keys = (s.distinctClause as unknown[]).map((k) => this.resolveOrderRef(k, scope, targets).sql);
    const sorts = ((s.sortClause ?? []) as unknown[]).map((n) => this.sortParts(n, scope, targets));
    const hidden = sorts.flatMap((p, i) => p.keys.map((k, j) => ({ name: `__pg2tidb_sort${i + 1}_${j + 1}`, ...k })));
    const order = sorts.flatMap((p) => p.keys.map((k) => `${k.sql}${k.desc ? ' DESC' : ''}`));
    const rn = `ROW_NUMBER() OVER (PARTITION BY ${keys.join(', ')}${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''}) AS ${quoteIdent('__pg2tidb_rn')}`;
    parts[0] = `${parts[0]}, ${[...hidden.map((h) => `${h.sql} AS ${quoteIdent(h.name)}`), rn].join(', ')}`;
    const inner = parts.join(' ');
    const outer = [`SELECT ${targets.map((t) => quoteIdent(t.col.name)).join(', ')} FROM (${inner}) AS ${quoteIdent('__pg2tidb_distinct_on')} WHERE ${quoteIdent('__pg2tidb_rn')} = 1`];
    if (hidden.length > 0) outer.push(`ORDER BY ${hidden.map((h) => `${quoteIdent(h.name)}${h.desc ? ' DESC' : ''}`).join(', ')}`);
    if (order.length === 0) this.note('DISTINCT ON without ORDER BY keeps an arbitrary row of each group in both engines, not necessarily the same one', -1);
    return { sql: outer.join(' ') + this.limit(s), columns: targets.map((t) => t.col) };
  }

  private orderAndLimit(s: Body, scope: Scope, columns: readonly Col[], byName: boolean, targets?: readonly { sql: Sql; col: Col }[]): string {
    let text = '';
    if (s.sortClause) {
      const items = (s.sortClause as unknown[]).flatMap((n) => {
        const p = byName ? this.sortByName(n, columns, scope) : this.sortParts(n, scope, targets ?? []);
        return p.keys.map((k) => `${k.sql}${k.desc ? ' DESC' : ''}`);
      });
      text += ` ORDER BY ${items.join(', ')}`;
    }
    return text + this.limit(s);
  }

  private limit(s: Body): string {
    if (s.limitOption === 'LIMIT_OPTION_WITH_TIES') this.fail('FETCH ... WITH TIES', 'TiDB has no WITH TIES', -1);
    const count = s.limitCount ? this.limitValue(s.limitCount) : undefined;
    const offset = s.limitOffset ? this.limitValue(s.limitOffset) : undefined;
    if (count === undefined && offset === undefined) return '';
    // TiDB needs a LIMIT before OFFSET: the largest row count stands for "all".
    return ` LIMIT ${count ?? '18446744073709551615'}${offset !== undefined ? ` OFFSET ${offset}` : ''}`;
  }

  private limitValue(n: unknown): string | undefined {
    const [tag, b] = tagOf(n);
    if (tag === 'A_Const' && b.isnull) return undefined;
    if (tag === 'A_Const' && b.ival) return String(b.ival.ival ?? 0);
    return this.fail('LIMIT/OFFSET expression', 'TiDB takes only integer constants in LIMIT and OFFSET', loc(b));
  }

  /** ORDER BY item → keys; a key that may be NULL gets `x IS NULL` first so NULLs sort where PostgreSQL puts them. */
  private sortParts(n: unknown, scope: Scope, targets: readonly { sql: Sql; col: Col }[]): { keys: { sql: string; desc: boolean }[] } {
    const [, b] = tagOf(n);
    const x = this.resolveOrderRef(b.node, scope, targets, true);
    return { keys: this.nullsKeys(x, b) };
  }

  private sortByName(n: unknown, columns: readonly Col[], scope: Scope): { keys: { sql: string; desc: boolean }[] } {
    const [, b] = tagOf(n);
    const [tag, e] = tagOf(b.node);
    let x: Sql | undefined;
    if (tag === 'ColumnRef' && e.fields.length === 1) {
      const c = columns.find((k) => k.source === str(e.fields[0]));
      if (c) x = sql(quoteIdent(c.name), c.type, c.notNull);
    } else if (tag === 'A_Const' && e.ival) {
      const c = columns[(e.ival.ival ?? 0) - 1];
      if (c) x = sql(quoteIdent(c.name), c.type, c.notNull);
    }
    if (!x) x = this.expr(b.node, scope);
    return { keys: this.nullsKeys(x, b) };
  }

  private nullsKeys(x: Sql, b: Body): { sql: string; desc: boolean }[] {
    if (b.sortby_dir === 'SORTBY_USING') this.fail('ORDER BY ... USING', 'TiDB orders only ascending or descending', loc(b));
    const desc = b.sortby_dir === 'SORTBY_DESC';
    const nullsFirst = b.sortby_nulls === 'SORTBY_NULLS_FIRST' || (b.sortby_nulls !== 'SORTBY_NULLS_LAST' && desc);
    if (kindOf(x.type) === 'text') this.note('text ordering uses the TiDB collation, not the PostgreSQL one', loc(b));
    // TiDB puts NULLs first ascending and last descending; PostgreSQL the other way round by default.
    if (x.notNull || nullsFirst === !desc) return [{ sql: x.sql, desc }];
    return [{ sql: `${x.sql} IS NULL`, desc: nullsFirst }, { sql: x.sql, desc }];
  }

  /** An ORDER BY / GROUP BY / DISTINCT ON item: an output column name or position, else an expression. */
  private resolveOrderRef(n: unknown, scope: Scope, targets: readonly { sql: Sql; col: Col }[], outputFirst = false): Sql {
    const [tag, e] = tagOf(n);
    if (tag === 'A_Const' && e.ival !== undefined) {
      const t = targets[(e.ival.ival ?? 0) - 1];
      if (!t) this.fail('ORDER BY position', 'the position is not in the select list', loc(e));
      return t.sql;
    }
    if (tag === 'ColumnRef' && e.fields.length === 1 && !('A_Star' in (e.fields[0] as Node))) {
      const name = str(e.fields[0]);
      // ORDER BY prefers an output column of that name, GROUP BY an input column (PostgreSQL's rule).
      if (outputFirst || !this.findColumn(scope, undefined, name)) {
        const t = targets.find((k) => k.col.source === name);
        if (t) return t.sql;
      }
    }
    return this.expr(n, scope);
  }

  private groupItem(g: unknown, scope: Scope, targets: readonly { sql: Sql; col: Col }[]): string {
    const [tag, b] = tagOf(g);
    if (tag === 'GroupingSet') this.fail('GROUPING SETS / ROLLUP / CUBE', 'TiDB has only WITH ROLLUP, which is exactly a GROUP BY that is one ROLLUP of plain items (CUBE, GROUPING SETS and mixed lists are not)', loc(b));
    const x = this.resolveOrderRef(g, scope, targets);
    if (kindOf(x.type) === 'text') this.note('text grouping uses the TiDB collation, not the PostgreSQL one (values equal under it form one group)', loc(b));
    return x.sql;
  }

  private targets(list: readonly unknown[], scope: Scope): { sql: Sql; col: Col }[] {
    const out: { sql: Sql; col: Col }[] = [];
    for (const t of list) {
      const [, rt] = tagOf(t);
      const [vtag, v] = tagOf(rt.val);
      if (vtag === 'ColumnRef' && 'A_Star' in ((v.fields as unknown[]).at(-1) as Node)) {
        for (const { rte, col } of this.star(v, scope)) {
          const { display, ...rest } = col;
          out.push({ sql: sql(`${rte.qualifier}.${quoteIdent(col.name)}`, col.type, col.notNull), col: { ...rest, name: display ?? col.name } });
        }
        continue;
      }
      const x = this.expr(rt.val, scope);
      if (x.interval) this.fail('interval value', 'TiDB has no interval type: only date arithmetic with a constant interval is translated', loc(rt));
      const name = typeof rt.name === 'string' ? rt.name : figureColname(rt.val);
      out.push({ sql: x, col: { source: name, name, type: x.type, notNull: x.notNull === true } });
    }
    return out;
  }

  private star(v: Body, scope: Scope): { rte: Rte; col: Col }[] {
    const fields = v.fields as unknown[];
    if (fields.length === 1) return scope.rtes.flatMap((rte) => rte.columns.filter((c) => !rte.hidden.has(c.source)).map((col) => ({ rte, col })));
    const alias = str(fields[fields.length - 2]);
    const rte = scope.rtes.find((r) => r.alias === alias);
    if (!rte) this.fail(`${alias}.*`, `no relation ${alias} in FROM`, loc(v));
    return rte.columns.map((col) => ({ rte, col }));
  }

  // ---- FROM ----

  private fromItem(n: unknown, scope: Scope): string {
    const [tag, b] = tagOf(n);
    switch (tag) {
      case 'RangeVar':
        return this.rangeVar(b, scope);
      case 'JoinExpr':
        return this.join(b, scope);
      case 'RangeSubselect': {
        if (b.lateral) this.fail('LATERAL subquery', 'TiDB v8.5 has no LATERAL (measured: syntax error)', firstLocation(b.subquery));
        const sel = this.select(b.subquery, scope.parent ? { ...scope.parent, ctes: scope.ctes } : { rtes: [], ctes: scope.ctes, windows: new Set() });
        const alias = b.alias?.aliasname ? String(b.alias.aliasname) : '__pg2tidb_subquery';
        const cols = rename(sel.columns, ((b.alias?.colnames ?? []) as unknown[]).map(str));
        scope.rtes.push({ alias, qualifier: quoteIdent(alias), columns: [...cols], hidden: new Set() });
        const renamed = cols.some((c, i) => c.name !== sel.columns[i]!.name);
        return `(${sel.sql}) AS ${quoteIdent(alias)}${renamed ? ` (${cols.map((c) => quoteIdent(c.name)).join(', ')})` : ''}`;
      }
      case 'RangeFunction':
        return this.fail('function in FROM', 'set-returning functions (generate_series, unnest, ...) have no TiDB equivalent', loc(b.alias) >= 0 ? loc(b.alias) : firstLocation(b));
      default:
        return this.fail(tag, 'not translated in FROM', firstLocation(b));
    }
  }

  private rangeVar(b: Body, scope: Scope): string {
    const relname = String(b.relname);
    const alias = b.alias?.aliasname ? String(b.alias.aliasname) : relname;
    const colnames = ((b.alias?.colnames ?? []) as unknown[]).map(str);
    if (!b.schemaname && scope.ctes.has(relname)) {
      const cols = rename(scope.ctes.get(relname)!, colnames);
      scope.rtes.push({ alias, qualifier: quoteIdent(alias), columns: [...cols], hidden: new Set() });
      return alias === relname ? quoteIdent(relname) : `${quoteIdent(relname)} AS ${quoteIdent(alias)}`;
    }
    if (colnames.length > 0) this.fail('table alias with column names', 'TiDB has no column aliases on a table in FROM', loc(b));
    const rel = this.lookup(this.relations, b.schemaname ? String(b.schemaname) : undefined, relname);
    const shown = b.schemaname ? `${String(b.schemaname)}.${relname}` : relname;
    if (!rel) return this.fail(`relation ${shown}`, 'not defined in the input', loc(b));
    if (rel.excluded !== undefined) throw new Untranslatable(`view ${shown}`, `it reads view ${shown}, which is left out: ${rel.excluded}`, loc(b), shown);
    if (b.inh === false) this.note('ONLY is dropped: TiDB tables have no inheritance children', loc(b));
    this.dependencies.set(`${rel.database}.${rel.name}`, { database: rel.database, name: rel.name });
    scope.rtes.push({ alias, qualifier: quoteIdent(alias), columns: rel.columns.map((c) => ({ source: c.source, name: c.name, type: c.type, notNull: !c.nullable })), hidden: new Set() });
    // Always qualified: TiDB resolves a view's unqualified names against the session's database.
    const table = `${quoteIdent(rel.database)}.${quoteIdent(rel.name)}`;
    return alias === rel.name ? table : `${table} AS ${quoteIdent(alias)}`;
  }

  private join(b: Body, scope: Scope): string {
    const kind = b.jointype as string;
    if (kind === 'JOIN_FULL') return this.fullJoin(b, scope);
    if (b.alias) this.fail('alias on a JOIN', 'TiDB cannot name a join', loc(b.alias));
    if (b.join_using_alias) this.fail('USING ... AS alias', 'TiDB has no join-using alias', -1);
    const before = scope.rtes.length;
    const l = this.fromItem(b.larg, scope);
    const mid = scope.rtes.length;
    const r = this.fromItem(b.rarg, scope);
    const left = scope.rtes.slice(before, mid);
    const right = scope.rtes.slice(mid);
    const nullable = kind === 'JOIN_LEFT' ? right : kind === 'JOIN_RIGHT' ? left : [];
    for (const rte of nullable) rte.columns = rte.columns.map((c) => ({ ...c, notNull: false }));
    const word = kind === 'JOIN_LEFT' ? 'LEFT JOIN' : kind === 'JOIN_RIGHT' ? 'RIGHT JOIN' : b.quals || b.usingClause || b.isNatural ? 'JOIN' : 'CROSS JOIN';
    let using = ((b.usingClause ?? []) as unknown[]).map(str);
    if (b.isNatural) {
      const names = new Set(left.flatMap((x) => x.columns.map((c) => c.source)));
      using = [...new Set(right.flatMap((x) => x.columns.map((c) => c.source)).filter((n) => names.has(n)))];
    }
    if (using.length > 0) {
      for (const rte of right) for (const u of using) rte.hidden.add(u);
      const col = (u: string) => left.flatMap((x) => x.columns).find((c) => c.source === u)?.name ?? u;
      return `${l} ${word} ${r} USING (${using.map((u) => quoteIdent(col(u))).join(', ')})`;
    }
    return `${l} ${word} ${r}${b.quals ? ` ON ${this.expr(b.quals, scope).sql}` : ''}`;
  }

  /**
   * A FULL JOIN b ON cond, which TiDB lacks: `a LEFT JOIN b ON cond UNION ALL a RIGHT JOIN b ON cond
   * WHERE k IS NULL`, as one derived table both sides' columns are read from. Exact when cond is a
   * conjunction with an equality between a left column k and a right one: a matched row has k = ...
   * true, so k is not NULL, and the second arm keeps exactly the right rows nothing matched.
   */
  private fullJoin(b: Body, scope: Scope): string {
    const at = firstLocation(b);
    if (b.usingClause || b.isNatural || !b.quals) this.fail('FULL JOIN with USING or NATURAL', 'only FULL JOIN ... ON is translated (the merged USING columns are not)', at);
    if (b.alias) this.fail('alias on a JOIN', 'TiDB cannot name a join', loc(b.alias));
    const inner: Scope = { ...scope, rtes: [] };
    const l = this.fromItem(b.larg, inner);
    const mid = inner.rtes.length;
    const r = this.fromItem(b.rarg, inner);
    const left = inner.rtes.slice(0, mid);
    const cond = this.expr(b.quals, inner).sql;
    const key = this.leftEqualityColumn(b.quals, inner, left);
    if (!key) this.fail('FULL JOIN ... ON without a column equality', 'the rule (LEFT JOIN UNION ALL unmatched RIGHT JOIN rows) needs an equality between a left and a right column in the ON conjunction', at);
    const name = `__pg2tidb_full${++this.fullJoins}`;
    const outs: string[] = [];
    for (const rte of inner.rtes) {
      const cols = rte.columns.map((c) => {
        const to = `${outs.length + 1}_${c.name}`.slice(0, 64);
        outs.push(`${rte.qualifier}.${quoteIdent(c.name)} AS ${quoteIdent(to)}`);
        return { ...c, name: to, notNull: false, display: c.display ?? c.name };
      });
      scope.rtes.push({ alias: rte.alias, qualifier: quoteIdent(name), columns: cols, hidden: rte.hidden });
    }
    const list = outs.join(', ');
    return `(SELECT ${list} FROM ${l} LEFT JOIN ${r} ON ${cond} UNION ALL SELECT ${list} FROM ${l} RIGHT JOIN ${r} ON ${cond} WHERE ${key} IS NULL) AS ${quoteIdent(name)}`;
  }

  /** A left column equal to a right column in an ON conjunction: its TiDB SQL. */
  private leftEqualityColumn(quals: unknown, scope: Scope, left: readonly Rte[]): string | undefined {
    const [tag, e] = tagOf(quals);
    if (tag === 'BoolExpr' && e.boolop === 'AND_EXPR') {
      for (const a of e.args as unknown[]) {
        const k = this.leftEqualityColumn(a, scope, left);
        if (k) return k;
      }
      return undefined;
    }
    if (tag !== 'A_Expr' || e.kind !== 'AEXPR_OP' || ((e.name ?? []) as unknown[]).map(str).join() !== '=') return undefined;
    const side = (n: unknown) => {
      const [t, c] = tagOf(n);
      if (t !== 'ColumnRef') return undefined;
      const fields = (c.fields as unknown[]).map(str);
      const found = this.findColumn(scope, fields.length >= 2 ? fields[fields.length - 2] : undefined, fields[fields.length - 1]!);
      return found && scope.rtes.includes(found.rte) ? { isLeft: left.includes(found.rte), sql: `${found.rte.qualifier}.${quoteIdent(found.col.name)}` } : undefined;
    };
    const x = side(e.lexpr);
    const y = side(e.rexpr);
    if (!x || !y || x.isLeft === y.isLeft) return undefined;
    return x.isLeft ? x.sql : y.sql;
  }

  // ---- expressions ----

  private findColumn(scope: Scope | undefined, alias: string | undefined, name: string): { rte: Rte; col: Col } | undefined {
    for (let s = scope; s; s = s.parent) {
      for (const rte of s.rtes) {
        if (alias !== undefined && rte.alias !== alias) continue;
        const col = rte.columns.find((c) => c.source === name);
        if (col) return { rte, col };
      }
    }
    return undefined;
  }

  private columnRef(b: Body, scope: Scope): Sql {
    const fields = (b.fields as unknown[]).map(str);
    const name = fields[fields.length - 1]!;
    const alias = fields.length >= 2 ? fields[fields.length - 2] : undefined;
    const found = this.findColumn(scope, alias, name);
    if (!found) {
      // A whole-row reference (`t` alone) or a column the input does not define.
      if (fields.length === 1 && scope.rtes.some((r) => r.alias === name)) this.fail(`whole-row reference ${name}`, 'TiDB has no row values', loc(b));
      this.fail(`column ${fields.join('.')}`, 'not found in the relations the query reads', loc(b));
    }
    const text = found.rte.qualifier ? `${found.rte.qualifier}.${quoteIdent(found.col.name)}` : quoteIdent(found.col.name);
    // PostgreSQL lets HAVING read columns the grouped primary key determines; TiDB only grouped or
    // selected ones (measured: "Unknown column ... in 'having clause'"): one value per group, which MAX reads (ANY_VALUE is refused there too).
    if (scope.having && !scope.inAggregate && !scope.having.has(text) && scope.rtes.includes(found.rte)) return sql(`MAX(${text})`, found.col.type, found.col.notNull);
    return sql(text, found.col.type, found.col.notNull);
  }

  expr(n: unknown, scope: Scope): Sql {
    const [tag, b] = tagOf(n);
    switch (tag) {
      case 'ColumnRef':
        return this.columnRef(b, scope);
      case 'A_Const':
        return constant(b, this);
      case 'TypeCast':
        return this.cast(b, scope);
      case 'A_Expr':
        return this.aExpr(b, scope);
      case 'BoolExpr': {
        const args = (b.args as unknown[]).map((a) => this.expr(a, scope));
        if (b.boolop === 'NOT_EXPR') return sql(`(NOT ${args[0]!.sql})`, T.bool, args[0]!.notNull);
        return sql(`(${args.map((a) => a.sql).join(b.boolop === 'AND_EXPR' ? ' AND ' : ' OR ')})`, T.bool, args.every((a) => a.notNull));
      }
      case 'NullTest':
        return sql(`(${this.expr(b.arg, scope).sql} IS ${b.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL)`, T.bool, true);
      case 'BooleanTest': {
        const words: Record<string, string> = { IS_TRUE: 'IS TRUE', IS_NOT_TRUE: 'IS NOT TRUE', IS_FALSE: 'IS FALSE', IS_NOT_FALSE: 'IS NOT FALSE', IS_UNKNOWN: 'IS NULL', IS_NOT_UNKNOWN: 'IS NOT NULL' };
        return sql(`(${this.expr(b.arg, scope).sql} ${words[b.booltesttype as string] ?? 'IS TRUE'})`, T.bool, true);
      }
      case 'CaseExpr': {
        const whens = (b.args as unknown[]).map((w) => {
          const [, cw] = tagOf(w);
          return { when: this.expr(cw.expr, scope), then: this.expr(cw.result, scope) };
        });
        const arg = b.arg ? this.expr(b.arg, scope) : undefined;
        const other = b.defresult ? this.expr(b.defresult, scope) : undefined;
        const type = whens.find((w) => w.then.type)?.then.type ?? other?.type;
        const text = `CASE${arg ? ` ${arg.sql}` : ''} ${whens.map((w) => `WHEN ${w.when.sql} THEN ${w.then.sql}`).join(' ')}${other ? ` ELSE ${other.sql}` : ''} END`;
        return sql(text, type, other !== undefined && other.notNull === true && whens.every((w) => w.then.notNull));
      }
      case 'CoalesceExpr': {
        const args = (b.args as unknown[]).map((a) => this.expr(a, scope));
        return sql(`COALESCE(${args.map((a) => a.sql).join(', ')})`, args.find((a) => a.type)?.type, args.some((a) => a.notNull));
      }
      case 'MinMaxExpr':
        return this.minMax(b, scope);
      case 'SubLink':
        return this.subLink(b, scope);
      case 'SQLValueFunction':
        return this.valueFunction(b);
      case 'FuncCall':
        return this.funcCall(b, scope);
      case 'A_ArrayExpr': {
        const els = ((b.elements ?? []) as unknown[]).map((e) => this.expr(e, scope));
        return sql(`JSON_ARRAY(${els.map((e) => e.sql).join(', ')})`, T.json, true);
      }
      case 'GroupingFunc':
        return sql(`GROUPING(${((b.args ?? []) as unknown[]).map((a) => this.expr(a, scope).sql).join(', ')})`, T.int, true);
      case 'CollateClause':
        return this.fail('COLLATE', 'PostgreSQL collation names have no TiDB equivalent here', loc(b));
      case 'A_Indirection':
        return this.fail('subscript or field selection', 'TiDB has no array subscripts or composite fields', firstLocation(b));
      case 'RowExpr':
        return this.fail('ROW(...)', 'TiDB has no row values outside IN and comparisons', loc(b));
      case 'ParamRef':
        return this.fail('parameter', 'a view body cannot have parameters', loc(b));
      default:
        return this.fail(tag, 'not translated', firstLocation(b));
    }
  }

  private cast(b: Body, scope: Scope): Sql {
    const tn = b.typeName as Body;
    const names = (tn.names as unknown[]).map(str).filter((x) => x !== 'pg_catalog');
    const raw = names.join('.');
    const name = own(CAST_ALIASES, raw) ?? raw;
    const mods = ((tn.typmods ?? []) as unknown[]).map((m) => Number(tagOf(m)[1].ival?.ival ?? 0));
    const [atag, a] = tagOf(b.arg);
    if (tn.arrayBounds) this.fail(`cast to ${raw}[]`, 'arrays are JSON in TiDB: no cast to an array type', loc(b));
    if (name === 'interval') {
      if (atag !== 'A_Const' || !a.sval || tn.typmods) this.fail('interval expression', 'only constant intervals (\'1 day\', \'2 hours\') are translated', loc(b));
      return { sql: '', interval: parseInterval(String(a.sval.sval ?? ''), () => this.fail(`interval '${a.sval.sval}'`, 'not a constant TiDB can spell as INTERVAL n UNIT', loc(b))) };
    }
    if (name === 'bool' || name === 'boolean') {
      if (atag === 'A_Const' && a.sval) {
        const v = String(a.sval.sval).trim().toLowerCase();
        if (['t', 'true', 'y', 'yes', 'on', '1'].includes(v)) return sql('TRUE', T.bool, true);
        if (['f', 'false', 'n', 'no', 'off', '0'].includes(v)) return sql('FALSE', T.bool, true);
      }
      const x = this.expr(b.arg, scope);
      if (kindOf(x.type) === 'bool') return x;
      if (kindOf(x.type) === 'int') return sql(`(${x.sql} <> 0)`, T.bool, x.notNull);
      return this.fail(`cast to boolean`, 'TiDB has no boolean cast from this type', loc(b));
    }
    if (name === 'uuid') return this.uuid === 'char36' ? this.uuidCast(b, scope) : this.fail('cast to uuid', 'uuids are BINARY(16) (--uuid binary16): a cast would need UUID_TO_BIN, and the view\'s uuid columns would read as bytes', loc(b));
    const rule = own(CAST_TARGETS, name);
    const special = rule && kindOf(rule.type(mods)) !== 'text' ? specialDate(b.arg, kindOf(rule.type(mods))) : undefined;
    if (special) return special;
    if (!rule) {
      if (names.length > 1 || !/^[a-z0-9_ ]+$/.test(name)) {
        const x = this.expr(b.arg, scope);
        this.note(`the cast to ${raw} is dropped: the value keeps the TiDB type of its operand`, loc(b));
        return x;
      }
      return this.fail(`cast to ${raw}`, 'the type has no TiDB cast target', loc(b));
    }
    const type = rule.type(mods);
    if (atag === 'A_Const' && a.sval && kindOf(type) === 'text') return sql(quoteString(String(a.sval.sval ?? '')), type, true);
    const x = this.expr(b.arg, scope);
    // A text value cast to unbounded text is itself; DECIMAL/DATE/... casts keep their meaning.
    if (kindOf(type) === 'text' && kindOf(x.type) === 'text' && mods.length === 0) return sql(x.sql, x.type?.base === 'ENUM' ? T.longtext : x.type, x.notNull);
    if (kindOf(type) === 'int' && kindOf(x.type) === 'int') return sql(x.sql, type, x.notNull);
    const spelled = kindOf(type) === 'text' ? textOf(x) : undefined;
    if (spelled !== undefined) return sql(mods.length > 0 ? `CAST(${spelled} AS ${rule.target(mods)})` : spelled, type, x.notNull);
    if (name === 'timestamptz') this.note('timestamptz becomes DATETIME: the value is in the session time zone, without an offset', loc(b));
    return sql(`CAST(${x.sql} AS ${rule.target(mods)})`, type, x.notNull);
  }

  /**
   * A cast to uuid where uuids are CHAR(36): PostgreSQL's text form is lower-case, hyphenated
   * (input may be upper-case, without hyphens, in braces). A constant is checked and spelled so here.
   */
  private uuidCast(b: Body, scope: Scope): Sql {
    const [tag, a] = tagOf(b.arg);
    if (tag === 'A_Const' && a.isnull) return sql('NULL', UUID_TYPE);
    if (tag === 'A_Const' && a.sval) {
      const text = String(a.sval.sval ?? '');
      const canonical = canonicalUuid(text);
      if (!canonical) this.fail(`'${text}'::uuid`, 'not a uuid (PostgreSQL refuses the view)', loc(b));
      return sql(quoteString(canonical), UUID_TYPE, true);
    }
    const x = this.expr(b.arg, scope);
    if (x.type?.base === 'CHAR' && x.type.length === 36 && x.type.charset === 'ascii') return x;
    if (kindOf(x.type) !== 'text') return this.fail('cast to uuid', 'only text and uuid values are cast to uuid', loc(b));
    this.note('a text cast to uuid is spelled lower-case with hyphens; text that is not a uuid is an error in PostgreSQL, kept as it reads in TiDB', loc(b));
    const h = `REPLACE(REPLACE(REPLACE(${x.sql}, '-', ''), '{', ''), '}', '')`;
    return sql(`LOWER(CONCAT_WS('-', SUBSTRING(${h}, 1, 8), SUBSTRING(${h}, 9, 4), SUBSTRING(${h}, 13, 4), SUBSTRING(${h}, 17, 4), SUBSTRING(${h}, 21, 12)))`, UUID_TYPE, x.notNull);
  }

  private aExpr(b: Body, scope: Scope): Sql {
    const op = ((b.name ?? []) as unknown[]).map(str).filter((x) => x !== 'pg_catalog').join('.');
    const at = loc(b);
    switch (b.kind as string) {
      case 'AEXPR_OP': {
        if (!b.lexpr) {
          const rule = own(PREFIX_OPERATORS, op);
          if (!rule) this.fail(`prefix operator ${op}`, 'TiDB has no such operator', at);
          return rule(this.expr(b.rexpr, scope));
        }
        const l = this.expr(b.lexpr, scope);
        if (op === '->' || op === '->>' || op === '#>' || op === '#>>') return jsonOperator(op, l, this.jsonKey(b.rexpr, scope), this.call(at));
        const r = this.expr(b.rexpr, scope);
        if (l.interval || r.interval) return this.dateArithmetic(op, l, r, at);
        if ((op === '+' || op === '-') && kindOf(l.type) === 'date' && kindOf(r.type) === 'int') return sql(`DATE_${op === '+' ? 'ADD' : 'SUB'}(${l.sql}, INTERVAL ${r.sql} DAY)`, T.date, l.notNull && r.notNull);
        if (op === '-' && kindOf(l.type) === 'date' && kindOf(r.type) === 'date') return sql(`DATEDIFF(${l.sql}, ${r.sql})`, T.int, l.notNull && r.notNull);
        if (op === '-' && ['date', 'datetime'].includes(kindOf(l.type)) && ['date', 'datetime'].includes(kindOf(r.type))) this.fail('timestamp - timestamp', 'the result is an interval, which TiDB does not have', at);
        const rule = own(OPERATORS, op);
        if (!rule) return this.fail(`operator ${op}`, 'no TiDB operator with its meaning', at);
        const out = rule(l, r, this.call(at));
        return out.notNull === undefined && l.notNull && r.notNull ? { ...out, notNull: true } : out;
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL':
        return this.anyArray(b, op, scope);
      case 'AEXPR_DISTINCT':
        return this.nullSafeEqual(b, scope, at, true);
      case 'AEXPR_NOT_DISTINCT':
        return this.nullSafeEqual(b, scope, at, false);
      case 'AEXPR_NULLIF': {
        const l = this.expr(b.lexpr, scope);
        return sql(`NULLIF(${l.sql}, ${this.expr(b.rexpr, scope).sql})`, l.type);
      }
      case 'AEXPR_IN': {
        const l = this.expr(b.lexpr, scope);
        const list = (b.rexpr as unknown[]).map((e) => this.expr(e, scope).sql);
        return sql(`(${l.sql} ${op === '<>' ? 'NOT IN' : 'IN'} (${list.join(', ')}))`, T.bool);
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        const rule = own(OPERATORS, op);
        if (!rule) return this.fail(`operator ${op}`, 'no TiDB operator with its meaning', at);
        const r = this.likePattern(b.rexpr, scope);
        return rule(this.expr(b.lexpr, scope), r, this.call(at));
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN': {
        const [lo, hi] = (b.rexpr as unknown[]).map((e) => this.expr(e, scope).sql);
        return sql(`(${this.expr(b.lexpr, scope).sql} ${b.kind === 'AEXPR_NOT_BETWEEN' ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi})`, T.bool);
      }
      case 'AEXPR_SIMILAR':
        return this.fail('SIMILAR TO', 'not translated (rewrite as a regular expression)', at);
      default:
        return this.fail(`${String(b.kind).replace('AEXPR_', '')} expression`, 'not translated', at);
    }
  }

  /** A jsonb key, index or path operand: a constant (also through a cast, as pg_dump writes `'a'::text`), else an expression. */
  private jsonKey(n: unknown, scope: Scope): JsonKey {
    let [tag, c] = tagOf(n);
    if (tag === 'TypeCast') [tag, c] = tagOf(c.arg);
    if (tag === 'A_Const' && c.sval) return { constant: String(c.sval.sval ?? '') };
    if (tag === 'A_Const' && c.ival) return { constant: Number(c.ival.ival ?? 0) };
    return { expr: this.expr(n, scope) };
  }

  /** IS [NOT] DISTINCT FROM as TiDB's <=>; text compares under the TiDB collation (found by the differential harness: 'X' <=> 'x'). */
  private nullSafeEqual(b: Body, scope: Scope, at: number, distinct: boolean): Sql {
    const l = this.expr(b.lexpr, scope);
    const r = this.expr(b.rexpr, scope);
    if (kindOf(l.type) === 'text' && kindOf(r.type) === 'text') this.note('text comparisons use the TiDB collation, not the PostgreSQL one (case, trailing spaces and ordering may differ)', at);
    return sql(distinct ? `(NOT (${l.sql} <=> ${r.sql}))` : `(${l.sql} <=> ${r.sql})`, T.bool, true);
  }

  private likePattern(n: unknown, scope: Scope): Sql {
    const [tag, b] = tagOf(n);
    // `x LIKE p ESCAPE e` arrives as like_escape(p, e).
    if (tag === 'FuncCall' && (b.funcname as unknown[]).map(str).pop() === 'like_escape') {
      const [p, e] = (b.args as unknown[]).map((a) => this.expr(a, scope).sql);
      return sql(`${p} ESCAPE ${e}`);
    }
    return this.expr(n, scope);
  }

  private dateArithmetic(op: string, l: Sql, r: Sql, at: number): Sql {
    if (l.interval || (op !== '+' && op !== '-')) this.fail(`interval ${op} value`, 'only date/timestamp ± constant interval is translated', at);
    let base = kindOf(l.type) === 'date' ? `CAST(${l.sql} AS DATETIME)` : l.sql;
    if (!['date', 'datetime', 'unknown'].includes(kindOf(l.type))) this.fail(`${op} interval`, 'the left operand is not a date or timestamp', at);
    for (const term of r.interval!) base = `(${base} ${op} ${term})`;
    return sql(base, l.type?.base === 'DATETIME' || l.type?.base === 'TIMESTAMP' ? l.type : T.datetime, l.notNull);
  }

  private anyArray(b: Body, op: string, scope: Scope): Sql {
    const all = b.kind === 'AEXPR_OP_ALL';
    const l = this.expr(b.lexpr, scope);
    const [rtag, r] = tagOf(b.rexpr);
    let items: string[] | undefined;
    if (rtag === 'A_ArrayExpr') items = ((r.elements ?? []) as unknown[]).map((e) => this.expr(e, scope).sql);
    else if (rtag === 'A_Const' && r.sval) items = arrayItems(String(r.sval.sval ?? ''));
    else if (rtag === 'TypeCast') {
      const [itag, inner] = tagOf(r.arg);
      if (itag === 'A_Const' && inner.sval) items = arrayItems(String(inner.sval.sval ?? ''));
      else if (itag === 'A_ArrayExpr') items = ((inner.elements ?? []) as unknown[]).map((e) => this.expr(e, scope).sql);
    }
    // Numbers compared with a number column stay numbers (the literal's items are text).
    if (items && ['int', 'decimal', 'float'].includes(kindOf(l.type))) items = items.map((i) => (/^'-?\d+(\.\d+)?'$/.test(i) ? i.slice(1, -1) : i));
    if (items) {
      if (items.length === 0) return sql(all ? 'TRUE' : 'FALSE', T.bool, true);
      if (op === '=' && !all) return sql(`(${l.sql} IN (${items.join(', ')}))`, T.bool);
      if (op === '<>' && all) return sql(`(${l.sql} NOT IN (${items.join(', ')}))`, T.bool);
      const rule = own(OPERATORS, op);
      if (!rule) return this.fail(`${op} ${all ? 'ALL' : 'ANY'}`, 'no TiDB operator with its meaning', loc(b));
      return sql(`(${items.map((i) => rule(l, sql(i, l.type), this.call(loc(b))).sql).join(all ? ' AND ' : ' OR ')})`, T.bool);
    }
    const arr = this.expr(b.rexpr, scope);
    if (kindOf(arr.type) === 'json' && op === '=' && !all) {
      this.note('= ANY(array column) becomes MEMBER OF over the JSON array: a NULL element does not make the result NULL as in PostgreSQL', loc(b));
      return sql(`(${l.sql} MEMBER OF (${arr.sql}))`, T.bool);
    }
    return this.fail(`${op} ${all ? 'ALL' : 'ANY'} (array)`, 'only = ANY over an array literal or a JSON array column is translated', loc(b));
  }

  private minMax(b: Body, scope: Scope): Sql {
    const fn = b.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST';
    const args = (b.args as unknown[]).map((a) => this.expr(a, scope));
    if (args.every((a) => a.notNull)) return sql(`${fn}(${args.map((a) => a.sql).join(', ')})`, args[0]?.type, true);
    // PostgreSQL ignores NULL arguments, TiDB returns NULL: each argument falls back to the others, so
    // only all-NULL gives NULL (as in PostgreSQL).
    const rotated = args.map((_, i) => `COALESCE(${[...args.slice(i), ...args.slice(0, i)].map((a) => a.sql).join(', ')})`);
    return sql(`${fn}(${rotated.join(', ')})`, args[0]?.type, args.some((a) => a.notNull));
  }

  private subLink(b: Body, scope: Scope): Sql {
    const kind = b.subLinkType as string;
    if (kind === 'ARRAY_SUBLINK') return this.arraySubquery(b, scope);
    const sub = this.select(b.subselect, scope);
    switch (kind) {
      case 'EXISTS_SUBLINK':
        return sql(`EXISTS (${sub.sql})`, T.bool, true);
      case 'EXPR_SUBLINK':
        return sql(`(${sub.sql})`, sub.columns[0]?.type);
      case 'ANY_SUBLINK':
      case 'ALL_SUBLINK': {
        const l = this.expr(b.testexpr, scope);
        const op = ((b.operName ?? []) as unknown[]).map(str).join('.') || '=';
        if (!own(OPERATORS, op) || ['||', '~', '~*'].includes(op)) this.fail(`${op} ${kind === 'ANY_SUBLINK' ? 'ANY' : 'ALL'} (subquery)`, 'no TiDB operator with its meaning', loc(b));
        if (op === '=' && kind === 'ANY_SUBLINK') return sql(`(${l.sql} IN (${sub.sql}))`, T.bool);
        return sql(`(${l.sql} ${op === '!=' ? '<>' : op} ${kind === 'ANY_SUBLINK' ? 'ANY' : 'ALL'} (${sub.sql}))`, T.bool);
      }
      case 'ARRAY_SUBLINK':
        return this.arraySubquery(b, scope);
      default:
        return this.fail(kind, 'not translated', loc(b));
    }
  }

  /**
   * ARRAY(SELECT x ... ORDER BY k): the subquery as a derived table with its sort keys as extra
   * columns, its rows joined in that order by GROUP_CONCAT (arrays.ts: JSON_ARRAYAGG cannot be ordered).
   */
  private arraySubquery(b: Body, scope: Scope): Sql {
    const body = selectBody(b.subselect);
    if (!body) return this.fail('ARRAY(subquery)', 'not a SELECT', loc(b));
    const targets = (body.targetList ?? []) as unknown[];
    const setOp = body.op && body.op !== 'SETOP_NONE';
    if (!setOp && targets.length !== 1) this.fail('ARRAY(subquery) with several columns', 'PostgreSQL takes one column', loc(b));
    const sorts = ((body.sortClause ?? []) as unknown[]).map((n) => tagOf(n)[1]);
    if (setOp && sorts.length > 0) this.fail('ARRAY(set operation ORDER BY ...)', 'the sort keys of a set operation cannot be carried as columns', loc(b));
    // Each sort key as an output column, an output name or position read as the item it names.
    const val = (n: unknown): unknown => {
      const [tag, e] = tagOf(n);
      if (tag === 'A_Const' && e.ival !== undefined) return tagOf(targets[(e.ival.ival ?? 0) - 1] ?? this.fail('ORDER BY position', 'the position is not in the select list', loc(e)))[1].val;
      if (tag === 'ColumnRef' && e.fields.length === 1) {
        const t = targets.find((x) => tagOf(x)[1].name === str(e.fields[0]));
        if (t) return tagOf(t)[1].val;
      }
      return n;
    };
    const keyed = setOp ? body : { ...body, targetList: [...targets, ...sorts.map((k, i) => ({ ResTarget: { name: `__pg2tidb_k${i + 1}`, val: val(k.node) } }))] };
    const sub = this.select({ SelectStmt: keyed }, scope);
    const from = '`__pg2tidb_array`';
    const col = (c: Col) => sql(`${from}.${quoteIdent(c.name)}`, c.type, c.notNull);
    const keys = sorts.flatMap((k, i) => this.nullsKeys(col(sub.columns[i + 1]!), k));
    if (keys.length === 0) this.note('ARRAY(subquery) without ORDER BY becomes a JSON array of the rows in an unspecified order', loc(b));
    this.note('ARRAY(subquery) becomes GROUP_CONCAT of the elements\' JSON text, which truncates at group_concat_max_len bytes (1024 by default); raise it for long arrays', loc(b));
    const order = keys.length > 0 ? ` ORDER BY ${keys.map((k) => `${k.sql}${k.desc ? ' DESC' : ''}`).join(', ')}` : '';
    return subqueryArray(jsonElementText(col(sub.columns[0]!)), order, `(${sub.sql}) AS ${from}`);
  }

  private valueFunction(b: Body): Sql {
    const map: Record<string, Sql> = {
      SVFOP_CURRENT_DATE: sql('CURRENT_DATE', T.date, true),
      SVFOP_CURRENT_TIMESTAMP: sql('CURRENT_TIMESTAMP(6)', T.datetime, true),
      SVFOP_CURRENT_TIMESTAMP_N: sql('CURRENT_TIMESTAMP(6)', T.datetime, true),
      SVFOP_LOCALTIMESTAMP: sql('NOW(6)', T.datetime, true),
      SVFOP_LOCALTIMESTAMP_N: sql('NOW(6)', T.datetime, true),
      SVFOP_CURRENT_TIME: sql('CURRENT_TIME(6)', T.time, true),
      SVFOP_LOCALTIME: sql('CURRENT_TIME(6)', T.time, true),
      SVFOP_CURRENT_SCHEMA: sql('DATABASE()', T.text),
      SVFOP_CURRENT_CATALOG: sql('DATABASE()', T.text),
    };
    const out = map[b.op as string];
    if (out) return out;
    const user: Record<string, true> = { SVFOP_CURRENT_USER: true, SVFOP_USER: true, SVFOP_SESSION_USER: true, SVFOP_CURRENT_ROLE: true };
    if (user[b.op as string]) {
      this.note('current_user becomes CURRENT_USER(), which is user@host in TiDB', loc(b));
      return sql('CURRENT_USER()', T.text, true);
    }
    return this.fail(String(b.op).replace('SVFOP_', '').toLowerCase(), 'not translated', loc(b));
  }

  private funcCall(b: Body, scope: Scope): Sql {
    const parts = (b.funcname as unknown[]).map(str);
    const qualified = parts.filter((p) => p !== 'pg_catalog');
    const name = qualified[qualified.length - 1]!.toLowerCase();
    const at = loc(b);
    const shown = `${qualified.join('.')}()`;
    const separator = this.lookup(this.groupConcat, qualified.length > 1 ? qualified[0]! : undefined, qualified[qualified.length - 1]!);
    const raw = (b.args ?? []) as unknown[];
    if (b.func_variadic) this.fail(`VARIADIC in ${shown}`, 'TiDB has no VARIADIC calls', at);
    if (separator !== undefined && !b.over) return this.groupConcatCall(b, scope, separator, at);
    if (qualified.length > 1) this.fail(`function ${shown}`, 'user functions are not created in TiDB', at);
    if (name === 'array_to_string' && !b.over) return this.arrayToString(raw, scope, at);
    const agg = own(AGGREGATES, name);
    if (agg && (raw.length > 0 || b.agg_star)) return this.aggregate(b, name, agg, scope, at);
    if (b.over) {
      const w = own(WINDOW_FUNCTIONS, name);
      if (!w) this.fail(`window function ${shown}`, 'TiDB has no such window function', at);
      const args = raw.map((a) => this.expr(a, scope));
      return sql(`${w.sql}(${args.map((a) => a.sql).join(', ')}) OVER ${this.over(b.over, scope, ORDER_SENSITIVE.has(name) ? 'order' : 'none')}`, w.type?.(args));
    }
    if (b.agg_order || b.agg_filter || b.agg_distinct) this.fail(`${shown} with ORDER BY/FILTER/DISTINCT`, 'not an aggregate TiDB knows', at);
    const rule = own(FUNCTIONS, name);
    if (!rule) return this.fail(`function ${shown}`, 'no TiDB function with its meaning is known', at);
    // extract(field FROM x) and date_trunc('unit', x) take the field as text: keep it raw.
    const constant = (i: number) => {
      const a = raw[i];
      if (!a) return undefined;
      let [t, c] = tagOf(a);
      // pg_dump writes date_part('year'::text, x).
      if (t === 'TypeCast') [t, c] = tagOf(c.arg);
      return t === 'A_Const' && c.sval ? String(c.sval.sval ?? '') : undefined;
    };
    const args = raw.map((a, i) => ((name === 'extract' || name === 'date_part' || name === 'date_trunc') && i === 0 ? sql('') : this.expr(a, scope)));
    return rule(args, { ...this.call(at), constant });
  }

  /** array_to_string(arr, sep [, null_text]): over array_agg(...) directly a GROUP_CONCAT, else over the JSON array's elements. */
  private arrayToString(raw: readonly unknown[], scope: Scope, at: number): Sql {
    if (raw.length !== 2 && raw.length !== 3) this.fail(`array_to_string() with ${raw.length} arguments`, 'it takes an array, a separator and an optional NULL text', at);
    const [stag, sep] = tagOf(raw[1]);
    const sepText = stag === 'A_Const' && sep.sval ? String(sep.sval.sval ?? '') : stag === 'TypeCast' && tagOf(sep.arg)[0] === 'A_Const' ? tagOf(sep.arg)[1].sval?.sval : undefined;
    if (typeof sepText !== 'string') this.fail('array_to_string() with a computed separator', 'GROUP_CONCAT takes only a constant SEPARATOR', at);
    const separator = quoteString(sepText);
    const nullText = raw[2] !== undefined ? this.expr(raw[2], scope).sql : undefined;
    const [itag, inner] = tagOf(raw[0]);
    const innerName = itag === 'FuncCall' ? (inner.funcname as unknown[]).map(str).filter((p) => p !== 'pg_catalog').join('.') : '';
    if (innerName === 'array_agg' && !inner.over && !inner.agg_filter && !inner.agg_within_group && (inner.args ?? []).length === 1) {
      if (scope.inAggregate) this.fail('nested aggregate array_agg()', 'aggregates cannot nest', at);
      scope.inAggregate = true;
      try {
        const x = this.expr(inner.args[0], scope);
        const order = this.aggOrder(inner, scope);
        const out = aggToString(x, order, inner.agg_distinct === true, separator, nullText);
        if (!out) return this.fail('array_to_string(array_agg(...)) of this type', 'only integer, numeric, text, date and boolean elements are spelled the same in both engines', at);
        if (order === '') this.note('array_to_string(array_agg(...)) without ORDER BY becomes GROUP_CONCAT: items in an unspecified order in both engines, not necessarily the same', at);
        this.note('array_to_string(array_agg(...)) becomes GROUP_CONCAT, which truncates its result at group_concat_max_len bytes (1024 by default); raise it for long lists', at);
        return out;
      } finally {
        scope.inAggregate = false;
      }
    }
    const arr = this.expr(raw[0], scope);
    if (kindOf(arr.type) !== 'json') this.fail('array_to_string() of this value', 'its argument is not an array (a JSON array in TiDB) the translator knows', at);
    this.note('array_to_string() reads the JSON array\'s elements as TiDB spells them (booleans true/false where PostgreSQL writes t/f, numbers as doubles: 2.50 reads 2.5); more than 1001 elements is an error (cte_max_recursion_depth)', at);
    return jsonArrayToString(arr, separator, nullText);
  }

  private groupConcatCall(b: Body, scope: Scope, separator: string, at: number): Sql {
    const args = ((b.args ?? []) as unknown[]).map((a) => this.expr(a, scope));
    if (args.length !== 1 || b.agg_filter) this.fail('group_concat() with a FILTER or several arguments', 'not the one-argument aggregate the schema defines', at);
    const order = this.aggOrder(b, scope);
    if (order === '') this.note('GROUP_CONCAT concatenates in an unspecified order, as the PostgreSQL aggregate does: the two engines may order items differently', at);
    this.note('GROUP_CONCAT truncates its result at group_concat_max_len bytes (1024 by default); raise it for long lists', at);
    return sql(`GROUP_CONCAT(${b.agg_distinct ? 'DISTINCT ' : ''}${args[0]!.sql}${order} SEPARATOR ${quoteString(separator)})`, T.longtext);
  }

  private aggOrder(b: Body, scope: Scope): string {
    if (!b.agg_order) return '';
    const keys = (b.agg_order as unknown[]).flatMap((n) => {
      const [, s] = tagOf(n);
      return this.nullsKeys(this.expr(s.node, scope), s);
    });
    return ` ORDER BY ${keys.map((k) => `${k.sql}${k.desc ? ' DESC' : ''}`).join(', ')}`;
  }

  private aggregate(b: Body, name: string, rule: (typeof AGGREGATES)[string], scope: Scope, at: number): Sql {
    if (scope.inAggregate) this.fail(`nested aggregate ${name}()`, 'aggregates cannot nest', at);
    scope.inAggregate = true;
    try {
      let args = ((b.args ?? []) as unknown[]).map((a) => this.expr(a, scope));
      if (b.agg_within_group) this.fail(`${name}() WITHIN GROUP`, 'TiDB has no ordered-set aggregates', at);
      if (rule.sql === 'JSON_ARRAYAGG' && (b.agg_order || b.agg_filter) && !b.over) {
        // Ordered or filtered: GROUP_CONCAT of the element texts (arrays.ts), which keeps the order and skips the filtered-out rows.
        if (args.length !== 1) this.fail(`${name}() arity`, 'it takes one value', at);
        const el = jsonElementText(args[0]!);
        const item = b.agg_filter ? `CASE WHEN ${this.expr(b.agg_filter, scope).sql} THEN ${el} END` : el;
        const order = this.aggOrder(b, scope);
        if (!order) this.note(`${name} becomes a JSON array, in an unspecified order`, at);
        this.note(`${name} with ORDER BY or FILTER becomes GROUP_CONCAT of the elements' JSON text, which truncates at group_concat_max_len bytes (1024 by default); raise it for long arrays`, at);
        return orderedArrayAgg(item, order, b.agg_distinct === true);
      }
      let order = '';
      if (b.agg_order) {
        if (!rule.ordered) this.fail(`${name}(... ORDER BY ...)`, `TiDB's ${rule.sql} takes no ORDER BY (measured: syntax error)`, at);
        order = this.aggOrder(b, scope);
      }
      if (b.agg_filter) {
        if (rule.keepsNulls) this.fail(`${name}() FILTER (WHERE ...)`, `${rule.sql} keeps NULLs, so FILTER cannot become CASE`, at);
        const cond = this.expr(b.agg_filter, scope).sql;
        args = b.agg_star ? [sql(`CASE WHEN ${cond} THEN 1 END`)] : args.map((a, i) => (i === 0 ? sql(`CASE WHEN ${cond} THEN ${a.sql} END`, a.type) : a));
      }
      const star = b.agg_star && !b.agg_filter ? '*' : '';
      const distinct = b.agg_distinct ? 'DISTINCT ' : '';
      let inner: string;
      if (name === 'string_agg') {
        if (args.length !== 2) this.fail('string_agg() arity', 'string_agg takes a value and a separator', at);
        this.note('string_agg becomes GROUP_CONCAT, which truncates its result at group_concat_max_len bytes (1024 by default); raise it for long lists', at);
        if (!order) this.note('string_agg without ORDER BY concatenates in an unspecified order in both engines, not necessarily the same', at);
        inner = `${distinct}${args[0]!.sql}${order} SEPARATOR ${args[1]!.sql}`;
      } else {
        if (rule.sql === 'JSON_ARRAYAGG') this.note(`${name} becomes JSON_ARRAYAGG: a JSON array, in an unspecified order`, at);
        if (distinct && rule.keepsNulls) this.fail(`${name}(DISTINCT ...)`, `TiDB's ${rule.sql} takes no DISTINCT`, at);
        inner = `${distinct}${star || args.map((a) => a.sql).join(', ')}${order}`;
      }
      const over = b.over ? ` OVER ${this.over(b.over, scope, 'rows')}` : '';
      return sql(`${rule.sql}(${inner})${over}`, rule.type?.(args), rule.notNull);
    } finally {
      scope.inAggregate = false;
    }
  }

  /**
   * OVER (...). Rows that tie on the window's ORDER BY (peers) come in an unspecified order in both
   * engines; that changes the result only of the functions that pick a row by position
   * (ORDER_SENSITIVE) and of aggregates over a ROWS frame that is not the whole partition: ranks,
   * and aggregates over the default RANGE frame, treat peers alike (found by the differential harness).
   */
  private over(w: unknown, scope: Scope, sensitive: 'order' | 'rows' | 'none'): string {
    const b = w as Body;
    const shape = this.windowShape(b);
    if (shape.ordered && (sensitive === 'order' || (sensitive === 'rows' && shape.partialRows))) {
      this.note(sensitive === 'order'
        ? 'rows that tie on a window\'s ORDER BY (peers) come in an unspecified order in both engines: row_number(), ntile(), lag/lead and first/last/nth_value over ties may differ'
        : 'rows that tie on a window\'s ORDER BY (peers) come in an unspecified order in both engines: an aggregate over a ROWS frame may differ over ties', loc(b));
    }
    if (b.name && !b.partitionClause && !b.orderClause && !(b.frameOptions & FRAME.nondefault)) return quoteIdent(String(b.name));
    return `(${this.windowSpec(b, scope)})`;
  }

  /** Whether a window (with what it inherits from named windows) orders rows, and has a ROWS frame narrower than the partition. */
  private windowShape(b: Body): { ordered: boolean; partialRows: boolean } {
    let ordered = false;
    let frame = 0;
    const seen = new Set<string>();
    for (let w: Body | undefined = b; w; ) {
      ordered ||= Boolean(w.orderClause);
      const f = Number(w.frameOptions ?? 0);
      if (!frame && f & FRAME.nondefault) frame = f;
      const ref = (w.refname ?? (w === b ? w.name : undefined)) as string | undefined;
      if (ref === undefined || seen.has(ref)) break;
      seen.add(ref);
      w = this.namedWindows.get(ref);
    }
    const whole = (frame & FRAME.startUnbPre) !== 0 && (frame & FRAME.endUnbFol) !== 0;
    return { ordered, partialRows: (frame & FRAME.rows) !== 0 && !whole };
  }

  private windowSpec(b: Body, scope: Scope): string {
    const parts: string[] = [];
    if (b.refname) parts.push(quoteIdent(String(b.refname)));
    if (b.partitionClause) parts.push(`PARTITION BY ${(b.partitionClause as unknown[]).map((p) => this.expr(p, scope).sql).join(', ')}`);
    if (b.orderClause) {
      const keys = (b.orderClause as unknown[]).flatMap((n) => {
        const [, s] = tagOf(n);
        return this.nullsKeys(this.expr(s.node, scope), s);
      });
      parts.push(`ORDER BY ${keys.map((k) => `${k.sql}${k.desc ? ' DESC' : ''}`).join(', ')}`);
    }
    const f = Number(b.frameOptions ?? 0);
    if (f & FRAME.nondefault) parts.push(this.frame(f, b, scope));
    return parts.join(' ');
  }

  private frame(f: number, b: Body, scope: Scope): string {
    if (f & FRAME.groups) this.fail('GROUPS frame', 'TiDB has only ROWS and RANGE frames', loc(b));
    if (f & FRAME.exclude) this.fail('frame EXCLUDE', 'TiDB has no frame exclusion', loc(b));
    const offset = (n: unknown) => {
      const x = this.expr(n, scope);
      if (x.interval) this.fail('RANGE frame with an interval', 'not translated', loc(b));
      return x.sql;
    };
    const start = f & FRAME.startUnbPre ? 'UNBOUNDED PRECEDING' : f & FRAME.startCur ? 'CURRENT ROW' : f & FRAME.startOffPre ? `${offset(b.startOffset)} PRECEDING` : f & FRAME.startOffFol ? `${offset(b.startOffset)} FOLLOWING` : 'UNBOUNDED FOLLOWING';
    const mode = f & FRAME.rows ? 'ROWS' : 'RANGE';
    if (!(f & FRAME.between)) return `${mode} ${start}`;
    const end = f & FRAME.endUnbFol ? 'UNBOUNDED FOLLOWING' : f & FRAME.endCur ? 'CURRENT ROW' : f & FRAME.endOffPre ? `${offset(b.endOffset)} PRECEDING` : f & FRAME.endOffFol ? `${offset(b.endOffset)} FOLLOWING` : 'UNBOUNDED PRECEDING';
    return `${mode} BETWEEN ${start} AND ${end}`;
  }
}

/** The items of a one-dimensional array literal as TiDB constants; undefined for nested or unreadable ones. */
function arrayItems(text: string): string[] | undefined {
  const items = parsePgArrayLiteral(text);
  if (!items || items.some((i) => Array.isArray(i))) return undefined;
  return items.map((i) => (i === null ? 'NULL' : quoteString(i as string)));
}

/** A SELECT's body: parse-tree fields hold it wrapped (`{ SelectStmt: ... }`) or bare (`larg`, `rarg`). */
function selectBody(n: unknown): Body | undefined {
  const o = n as Record<string, unknown>;
  if (o && typeof o === 'object' && 'SelectStmt' in o) return o.SelectStmt as Body;
  if (o && typeof o === 'object' && ('targetList' in o || 'op' in o || 'valuesLists' in o)) return o as Body;
  return undefined;
}

/** Window functions whose result depends on the order of rows that tie on the window's ORDER BY. */
const ORDER_SENSITIVE = new Set(['row_number', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);

/** The items of a GROUP BY that is exactly one ROLLUP of plain expressions (no nested sets or row groups). */
function rollupItems(groupClause: unknown): unknown[] | undefined {
  const g = (groupClause ?? []) as unknown[];
  if (g.length !== 1) return undefined;
  const [tag, b] = tagOf(g[0]);
  if (tag !== 'GroupingSet' || b.kind !== 'GROUPING_SET_ROLLUP') return undefined;
  const items = (b.content ?? []) as unknown[];
  return items.length > 0 && items.every((i) => !['RowExpr', 'GroupingSet'].includes(tagOf(i)[0])) ? items : undefined;
}

function isDistinctOn(s: Body): boolean {
  const d = s.distinctClause as unknown[] | undefined;
  // Plain DISTINCT is a list with one empty node.
  return d !== undefined && d.length > 0 && Object.keys(d[0] as object).length > 0;
}

/** Renames columns by an alias list (the rest keep their names). */
function rename(columns: readonly Col[], aliases: readonly string[]): Col[] {
  return columns.map((c, i) => (aliases[i] !== undefined ? { ...c, source: aliases[i]!, name: aliases[i]! } : c));
}

function constant(b: Body, w: Walker): Sql {
  if (b.isnull) return sql('NULL');
  if (b.ival) return sql(String(b.ival.ival ?? 0), constType('int'), true);
  if (b.fval) return sql(String(b.fval.fval), constType('float'), true);
  if (b.boolval) return sql(b.boolval.boolval ? 'TRUE' : 'FALSE', constType('bool'), true);
  if (b.sval) return sql(quoteString(String(b.sval.sval ?? '')), constType('string'), true);
  return w.fail('bit-string constant', 'not translated', loc(b));
}

/**
 * PostgreSQL's special date/time input words, read when the cast runs (`'now'::text::date` in a view
 * is today's date at query time, as pg_dump writes it); TiDB's CAST('now' AS DATE) is NULL (measured).
 */
function specialDate(arg: unknown, kind: string): Sql | undefined {
  // Only through text: an untyped 'now'::date is read once, when PostgreSQL creates the view.
  const [outer, t] = tagOf(arg);
  if (outer !== 'TypeCast' || !['text', 'varchar'].includes(str((t.typeName.names as unknown[]).at(-1)))) return undefined;
  const [tag, c] = tagOf(t.arg);
  if (tag !== 'A_Const' || !c.sval || (kind !== 'date' && kind !== 'datetime')) return undefined;
  const word = String(c.sval.sval ?? '').trim().toLowerCase();
  const days: Record<string, number> = { today: 0, tomorrow: 1, yesterday: -1 };
  if (word === 'now') return kind === 'date' ? sql('CURRENT_DATE', T.date, true) : sql('NOW(6)', T.datetime, true);
  const d = days[word];
  if (d === undefined) return undefined;
  const date = d === 0 ? 'CURRENT_DATE' : `(CURRENT_DATE + INTERVAL ${d} DAY)`;
  return kind === 'date' ? sql(date, T.date, true) : sql(`CAST(${date} AS DATETIME(6))`, T.datetime, true);
}

const UUID_TYPE: TidbType = { base: 'CHAR', length: 36, charset: 'ascii', collation: 'ascii_bin' };

/** PostgreSQL's uuid input (hyphens after any group of 4 hex digits, optional braces) → its output form. */
function canonicalUuid(text: string): string | undefined {
  const t = text.trim();
  const inner = t.startsWith('{') && t.endsWith('}') ? t.slice(1, -1) : t;
  if (!/^[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}$/.test(inner)) return undefined;
  const h = inner.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Parses `'1 day'`, `'2 hours 30 minutes'`, `'1 year -2 months'` into TiDB INTERVAL terms. */
function parseInterval(text: string, fail: () => never): string[] {
  const tokens = text.trim().toLowerCase().split(/\s+/);
  if (tokens.length % 2 !== 0 || tokens[0] === '') fail();
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const n = tokens[i]!;
    const unit = own(INTERVAL_UNITS, tokens[i + 1]!);
    if (!/^[+-]?\d+$/.test(n) || !unit) fail();
    out.push(`INTERVAL ${Number(n)} ${unit}`);
  }
  return out;
}

/** PostgreSQL's FigureColname: the output name of an unnamed select-list item. */
export function figureColname(n: unknown): string {
  const [tag, b] = tagOf(n);
  switch (tag) {
    case 'ColumnRef': {
      const last = (b.fields as unknown[]).at(-1) as Node;
      return 'A_Star' in last ? '?column?' : str(last);
    }
    case 'FuncCall':
      return str((b.funcname as unknown[]).at(-1));
    case 'TypeCast': {
      const inner = figureColname(b.arg);
      return inner !== '?column?' ? inner : str((b.typeName.names as unknown[]).at(-1)).replace(/^int4$/, 'int4');
    }
    case 'CaseExpr':
      return 'case';
    case 'CoalesceExpr':
      return 'coalesce';
    case 'MinMaxExpr':
      return b.op === 'IS_GREATEST' ? 'greatest' : 'least';
    case 'A_Expr':
      return b.kind === 'AEXPR_NULLIF' ? 'nullif' : '?column?';
    case 'SubLink': {
      if (b.subLinkType === 'EXISTS_SUBLINK') return 'exists';
      if (b.subLinkType === 'ARRAY_SUBLINK') return 'array';
      if (b.subLinkType === 'EXPR_SUBLINK') {
        const t = selectBody(b.subselect)?.targetList?.[0];
        if (t) {
          const [, rt] = tagOf(t);
          return typeof rt.name === 'string' ? rt.name : figureColname(rt.val);
        }
      }
      return '?column?';
    }
    case 'SQLValueFunction':
      return String(b.op).replace(/^SVFOP_/, '').replace(/_N$/, '').toLowerCase();
    case 'A_ArrayExpr':
      return 'array';
    default:
      return '?column?';
  }
}

/** The first location inside a node, for constructs that carry none themselves. */
function firstLocation(n: unknown): number {
  if (Array.isArray(n)) {
    for (const x of n) {
      const l = firstLocation(x);
      if (l >= 0) return l;
    }
    return -1;
  }
  if (n === null || typeof n !== 'object') return -1;
  const o = n as Record<string, unknown>;
  if (typeof o.location === 'number' && o.location >= 0) return o.location;
  for (const v of Object.values(o)) {
    const l = firstLocation(v);
    if (l >= 0) return l;
  }
  return -1;
}
