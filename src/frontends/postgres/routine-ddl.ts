import type { Node, RangeVar } from '@pgsql/types';
import { columnSubject, objectSubject, tableObjectSubject, tableSubject, type Subject } from '../../diagnostics/subject.js';
import type { QualifiedName } from '../../ir/types.js';
import { names } from './columns.js';
import { parser } from './parse.js';

/**
 * DDL a PL/pgSQL body (a DO block, a `LANGUAGE plpgsql` function) runs, read from PL/pgSQL's own
 * parse tree (libpg-query's pg_query_parse_plpgsql): static statements, and text it may EXECUTE:
 * string literals, `format()` templates and `||` concatenations anywhere in the body that parse as
 * DDL. pg2tidb runs no PL/pgSQL, so these objects are reported, not translated.
 */
export interface RoutineDdl {
  /** `CREATE TABLE`, `CREATE INDEX`, `ALTER TABLE`, ... */
  readonly statement: string;
  readonly subject: Subject;
  /** The object's name holds `format()` specifiers (`%s`) or concatenated parts, written `%s`. */
  readonly pattern: boolean;
  /** Built from text at run time (EXECUTE), not a static statement. */
  readonly dynamic: boolean;
  /** The literal bounds of the loop it runs in (`FOR i IN 1..499`, `generate_series(1, 499)`). */
  readonly range?: { readonly from: number; readonly to: number };
  /** 1-based line in the statement text. */
  readonly line: number;
}

export interface RoutineBody {
  readonly ddl: readonly RoutineDdl[];
  /**
   * The body is one block of static SQL statements (no declarations, loops, conditions, or exception
   * handlers other than create-if-absent guards): running it on the schema the input describes is
   * running these statements in order, so they can be read as if written at top level. Undefined
   * for any other body.
   */
  readonly straight?: readonly { readonly node: Node; readonly text: string }[];
  /** With `straight`: the exception conditions its create-if-absent guards ignore (duplicate_object, ...), if any. */
  readonly ignored?: readonly string[];
}

type Qualify = (schema: string | undefined, name: string) => QualifiedName;

const PLACEHOLDER = 'pgtidbfmt';
/** format() specifiers: `%s`, `%I`, `%L`, with an optional position and width; `%%` is a literal percent. */
const SPECIFIER = /%(?:\d+\$)?-?\d*[sIL]/g;
const placeholders = new RegExp(`${PLACEHOLDER}\\d+x`, 'g');

/** Reads the DDL of `statementText`, a `DO` or `CREATE FUNCTION` statement in PL/pgSQL; undefined when PL/pgSQL cannot parse it. */
export function routineDdl(statementText: string, qualify: Qualify, bodyLine: number): RoutineBody | undefined {
  const parsed = parser().plpgsql(statementText);
  if (!parsed.ok) return undefined;
  const tree = JSON.parse(parsed.json) as { plpgsql_funcs?: { PLpgSQL_function?: PlFunction }[] };
  const fn = tree.plpgsql_funcs?.[0]?.PLpgSQL_function;
  if (!fn) return undefined;
  const found: RoutineDdl[] = [];
  const seen = new Set<string>();
  const temporary = new Set<string>();
  const add = (node: Node, dynamic: boolean, range: Range | undefined, line: number): void => {
    const target = ddlTarget(node, qualify, temporary);
    if (!target) return;
    const item: RoutineDdl = { ...target, pattern: dynamic && subjectHasPattern(target.subject), dynamic, ...(range ? { range } : {}), line: bodyLine + line - 1 };
    const key = JSON.stringify([item.statement, item.subject, item.dynamic]);
    if (seen.has(key)) return;
    seen.add(key);
    found.push(item);
  };
  walk(fn.action, undefined, 1, (expr, range, line) => {
    for (const s of sqlOf(expr)) {
      if (!s.expression) add(s.node, false, range, line);
      for (const t of templates(s.node)) for (const node of parseTemplate(t)) add(node, true, range, line);
    }
  });
  const straight = straightStatements(fn);
  return { ddl: found, ...(straight ? { straight: straight.statements, ignored: straight.ignored } : {}) };
}

/** The DDL of a LANGUAGE sql body (its statements, run when the routine is called); `bodyLine`: the body's first line in the statement. */
export function sqlBodyDdl(body: string, qualify: Qualify, bodyLine: number): RoutineDdl[] {
  const r = parser()(body);
  if (!r.ok) return [];
  const temporary = new Set<string>();
  const out: RoutineDdl[] = [];
  for (const s of (JSON.parse(r.json) as { stmts?: { stmt?: Node; stmt_location?: number }[] }).stmts ?? []) {
    const target = s.stmt ? ddlTarget(s.stmt, qualify, temporary) : undefined;
    if (!target) continue;
    // stmt_location counts bytes: the line is the same for any text before it.
    const before = Buffer.from(body).subarray(0, s.stmt_location ?? 0).toString();
    out.push({ ...target, pattern: false, dynamic: false, line: bodyLine + (before.match(/\n/g) ?? []).length });
  }
  return out;
}

interface PlExpr {
  readonly query?: string;
  readonly parseMode?: number;
}
interface PlFunction {
  readonly datums?: readonly Record<string, { readonly refname?: string }>[];
  readonly action?: unknown;
}
type Range = { readonly from: number; readonly to: number };

/** Every PL/pgSQL expression of the tree, with the literal loop range it runs in and its line. */
function walk(node: unknown, range: Range | undefined, line: number, visit: (expr: PlExpr, range: Range | undefined, line: number) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, range, line, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const here = typeof o['lineno'] === 'number' ? o['lineno'] : line;
  if ('PLpgSQL_expr' in o) {
    visit(o['PLpgSQL_expr'] as PlExpr, range, here);
    return;
  }
  let inner = range;
  const fori = o['PLpgSQL_stmt_fori'] as { lower?: { PLpgSQL_expr?: PlExpr }; upper?: { PLpgSQL_expr?: PlExpr } } | undefined;
  if (fori) {
    const from = integerLiteral(fori.lower?.PLpgSQL_expr?.query);
    const to = integerLiteral(fori.upper?.PLpgSQL_expr?.query);
    if (from !== undefined && to !== undefined) inner = { from, to };
  }
  const fors = o['PLpgSQL_stmt_fors'] as { query?: { PLpgSQL_expr?: PlExpr } } | undefined;
  if (fors) inner = seriesRange(fors.query?.PLpgSQL_expr?.query) ?? range;
  for (const [k, v] of Object.entries(o)) if (k !== 'lineno') walk(v, inner, here, visit);
}

function integerLiteral(text: string | undefined): number | undefined {
  return text !== undefined && /^\s*-?\d+\s*$/.test(text) ? Number(text) : undefined;
}

/** `generate_series(a, b)` with integer literals: the only one in the query. */
function seriesRange(query: string | undefined): Range | undefined {
  const m = [...(query ?? '').matchAll(/generate_series\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)/gi)];
  return m.length === 1 ? { from: Number(m[0]![1]), to: Number(m[0]![2]) } : undefined;
}

// PL/pgSQL's RawParseMode (src/include/parser/parser.h): 0 a statement, 2 an expression, 3-5 an assignment.
const PARSE_STATEMENT = 0;
const PARSE_EXPRESSION = 2;

/** The SQL of a PL/pgSQL expression as parse trees: a statement, or an expression read as `SELECT expr`. */
function sqlOf(expr: PlExpr): { node: Node; expression: boolean }[] {
  const q = expr.query ?? '';
  const mode = expr.parseMode ?? PARSE_STATEMENT;
  const expression = mode !== PARSE_STATEMENT;
  const text = mode === PARSE_STATEMENT ? q : mode === PARSE_EXPRESSION ? `SELECT ${q}` : `SELECT ${q.replace(/^[^:=]*:?=/, '')}`;
  return parseSql(text).map((node) => ({ node, expression }));
}

function parseSql(text: string): Node[] {
  if (text.trim() === '') return [];
  const r = parser()(text);
  if (!r.ok) return [];
  return ((JSON.parse(r.json) as { stmts?: { stmt?: Node }[] }).stmts ?? []).flatMap((s) => (s.stmt ? [s.stmt] : []));
}

/** Text the body may EXECUTE: literals, format() templates (specifiers kept), `||` chains (other parts as `%s`). */
function templates(node: unknown): { text: string; format: boolean }[] {
  const out: { text: string; format: boolean }[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    const call = o['FuncCall'] as { funcname?: Node[]; args?: Node[] } | undefined;
    if (call && names(call.funcname).at(-1)?.toLowerCase() === 'format' && call.args?.[0]) {
      const first = literal(call.args[0]);
      if (first !== undefined) {
        out.push({ text: first, format: true });
        call.args.slice(1).forEach(visit);
        return;
      }
    }
    const concat = o['A_Expr'] as { name?: Node[]; lexpr?: Node; rexpr?: Node } | undefined;
    if (concat && names(concat.name).join() === '||') {
      const parts = concatParts(n as Node);
      if (parts.some((p) => p !== undefined)) {
        out.push({ text: parts.map((p) => (p === undefined ? '%s' : p.replace(/%/g, '%%'))).join(''), format: true });
        return;
      }
    }
    const s = literal(n as Node);
    if (s !== undefined) {
      out.push({ text: s, format: false });
      return;
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(node);
  return out;
}

function concatParts(n: Node): (string | undefined)[] {
  const e = 'A_Expr' in n ? n.A_Expr : undefined;
  if (e && names(e.name).join() === '||' && e.lexpr && e.rexpr) return [...concatParts(e.lexpr), ...concatParts(e.rexpr)];
  return [literal(n)];
}

function literal(n: Node): string | undefined {
  if ('TypeCast' in n && n.TypeCast.arg) return literal(n.TypeCast.arg);
  if ('A_Const' in n) return n.A_Const.sval?.sval;
  return undefined;
}

/** A template's statements: specifiers become placeholder identifiers for the parse, `%s` again in names. */
function parseTemplate(t: { text: string; format: boolean }): Node[] {
  if (!/^\s*(create|alter|drop|comment)\b/i.test(t.text)) return [];
  const specs: string[] = [];
  const sql = t.format
    ? t.text.replace(/%%/g, '%').replace(SPECIFIER, () => `${PLACEHOLDER}${specs.push('%s') - 1}x`)
    : t.text;
  return parseSql(sql).map((node) => JSON.parse(JSON.stringify(node).replace(placeholders, '%s')) as Node);
}

const subjectHasPattern = (s: Subject): boolean => [s.table, s.name, s.column].some((x) => x?.includes('%s'));

const rel = (rv: RangeVar | undefined, qualify: Qualify): QualifiedName => qualify(rv?.schemaname, rv?.relname ?? '');
const parts = (list: Node[] | undefined, qualify: Qualify): QualifiedName => {
  const p = names(list);
  return qualify(p.length > 1 ? p[p.length - 2] : undefined, p[p.length - 1] ?? '');
};

/** What each DDL statement creates or changes, by parse-tree node type. */
const DDL_TARGETS: Record<string, (node: never, qualify: Qualify) => { statement: string; subject: Subject } | undefined> = {
  CreateStmt: (s: { relation?: RangeVar }, q) => ({ statement: 'CREATE TABLE', subject: tableSubject(rel(s.relation, q)) }),
  CreateTableAsStmt: (s: { into?: { rel?: RangeVar }; objtype?: string }, q) =>
    s.objtype === 'OBJECT_MATVIEW' ? { statement: 'CREATE MATERIALIZED VIEW', subject: objectSubject('materialized-view', rel(s.into?.rel, q)) } : { statement: 'CREATE TABLE AS', subject: tableSubject(rel(s.into?.rel, q)) },
  AlterTableStmt: (s: { relation?: RangeVar; objtype?: string }, q) => ({ statement: 'ALTER TABLE', subject: s.objtype === 'OBJECT_SEQUENCE' ? objectSubject('sequence', rel(s.relation, q)) : tableSubject(rel(s.relation, q)) }),
  IndexStmt: (s: { relation?: RangeVar; idxname?: string }, q) => ({ statement: 'CREATE INDEX', subject: tableObjectSubject('index', rel(s.relation, q), s.idxname) }),
  CreateSeqStmt: (s: { sequence?: RangeVar }, q) => ({ statement: 'CREATE SEQUENCE', subject: objectSubject('sequence', rel(s.sequence, q)) }),
  AlterSeqStmt: (s: { sequence?: RangeVar }, q) => ({ statement: 'ALTER SEQUENCE', subject: objectSubject('sequence', rel(s.sequence, q)) }),
  ViewStmt: (s: { view?: RangeVar }, q) => ({ statement: 'CREATE VIEW', subject: objectSubject('view', rel(s.view, q)) }),
  CreateEnumStmt: (s: { typeName?: Node[] }, q) => ({ statement: 'CREATE TYPE', subject: objectSubject('type', parts(s.typeName, q)) }),
  CompositeTypeStmt: (s: { typevar?: RangeVar }, q) => ({ statement: 'CREATE TYPE', subject: objectSubject('type', rel(s.typevar, q)) }),
  CreateDomainStmt: (s: { domainname?: Node[] }, q) => ({ statement: 'CREATE DOMAIN', subject: objectSubject('domain', parts(s.domainname, q)) }),
  CreateSchemaStmt: (s: { schemaname?: string }) => ({ statement: 'CREATE SCHEMA', subject: objectSubject('schema', s.schemaname ?? '') }),
  CreateFunctionStmt: (s: { funcname?: Node[]; is_procedure?: boolean }, q) => ({ statement: s.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION', subject: objectSubject(s.is_procedure ? 'procedure' : 'function', parts(s.funcname, q)) }),
  CreateTrigStmt: (s: { relation?: RangeVar; trigname?: string }, q) => ({ statement: 'CREATE TRIGGER', subject: tableObjectSubject('trigger', rel(s.relation, q), s.trigname) }),
  CommentStmt: () => undefined,
  DropStmt: (s: { removeType?: string }) => ({ statement: `DROP ${(s.removeType ?? '').replace(/^OBJECT_/, '').replace(/_/g, ' ')}`, subject: { kind: 'statement', name: 'DROP' } }),
  RenameStmt: (s: { relation?: RangeVar; subname?: string }, q) =>
    s.relation ? { statement: 'ALTER ... RENAME', subject: s.subname ? columnSubject(rel(s.relation, q), s.subname) : tableSubject(rel(s.relation, q)) } : { statement: 'ALTER ... RENAME', subject: { kind: 'statement', name: 'RENAME' } },
};

/** The statement and subject of a DDL node; undefined for anything else and for temporary tables (never in a catalog a later read sees). */
function ddlTarget(node: Node, qualify: Qualify, temporary: Set<string>): { statement: string; subject: Subject } | undefined {
  const type = Object.keys(node)[0] ?? '';
  const body = (node as Record<string, unknown>)[type] as Record<string, unknown>;
  const rule = Object.hasOwn(DDL_TARGETS, type) ? DDL_TARGETS[type] : undefined;
  if (!rule) return undefined;
  const relation = (body['relation'] ?? (body['into'] as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined;
  if (relation?.relpersistence === 't') {
    temporary.add(relation.relname ?? '');
    return undefined;
  }
  if (type === 'DropStmt' && dropsOnly(body, temporary)) return undefined;
  if (relation && !relation.schemaname && temporary.has(relation.relname ?? '')) return undefined;
  return rule(body as never, qualify);
}

/** A DROP of tables the body created as temporary. */
function dropsOnly(body: Record<string, unknown>, temporary: ReadonlySet<string>): boolean {
  const objects = (body['objects'] ?? []) as Node[];
  return objects.length > 0 && objects.every((o) => 'List' in o && temporary.has(names(o.List.items).at(-1) ?? ''));
}

/**
 * Exception conditions that only mean "it exists already" (SQLSTATE class 42, duplicate_*): a block
 * whose handlers catch only these, and do nothing or only RAISE below ERROR, is a create-if-absent
 * guard (drizzle-kit writes every enum and foreign key so). On the schema the input describes, its
 * statements run as written.
 */
const EXISTS_ALREADY = new Set(['duplicate_object', 'duplicate_table', 'duplicate_column', 'duplicate_schema', 'duplicate_function', 'duplicate_database', '42710', '42P07', '42701', '42P06', '42723', '42P04']);
/** PL/pgSQL's elog levels below ERROR (DEBUG5..WARNING): a RAISE that reports and goes on. */
const RAISE_BELOW_ERROR = 21;

/** The statements of a body that is one block of static SQL and nothing else (the implicit final RETURN aside), and the conditions its guards ignore. */
function straightStatements(fn: PlFunction): { statements: { node: Node; text: string }[]; ignored: string[] } | undefined {
  // Only the implicit variables (found; sqlstate and sqlerrm where there is a handler): any DECLARE or parameter may be read by the statements.
  if ((fn.datums ?? []).some((d) => !['found', 'sqlstate', 'sqlerrm'].includes(Object.values(d)[0]?.refname ?? ''))) return undefined;
  const out: { node: Node; text: string }[] = [];
  const ignored = new Set<string>();
  const block = (fn.action as { PLpgSQL_stmt_block?: PlBlock } | undefined)?.PLpgSQL_stmt_block;
  if (!block || !readBlock(block, out, ignored, true)) return undefined;
  return out.length > 0 ? { statements: out, ignored: [...ignored] } : undefined;
}

interface PlBlock {
  readonly body?: Record<string, unknown>[];
  readonly exceptions?: { PLpgSQL_exception_block?: { exc_list?: { PLpgSQL_exception?: { conditions?: { PLpgSQL_condition?: { condname?: string } }[]; action?: Record<string, unknown>[] } }[] } };
}

/** Adds a block's statements to `out`; false when it holds anything but static SQL, nested straight blocks and create-if-absent guards. */
function readBlock(block: PlBlock, out: { node: Node; text: string }[], ignored: Set<string>, outermost: boolean): boolean {
  for (const handler of block.exceptions?.PLpgSQL_exception_block?.exc_list ?? []) {
    const conditions = (handler.PLpgSQL_exception?.conditions ?? []).map((c) => c.PLpgSQL_condition?.condname ?? '');
    if (conditions.length === 0 || !conditions.every((c) => EXISTS_ALREADY.has(c))) return false;
    const quiet = (handler.PLpgSQL_exception?.action ?? []).every((a) => ((a['PLpgSQL_stmt_raise'] as { elog_level?: number } | undefined)?.elog_level ?? RAISE_BELOW_ERROR) < RAISE_BELOW_ERROR);
    if (!quiet) return false;
    for (const c of conditions) ignored.add(c);
  }
  for (const s of block.body ?? []) {
    const ret = s['PLpgSQL_stmt_return'] as { lineno?: number; expr?: unknown } | undefined;
    if (outermost && ret && ret.lineno === undefined && ret.expr === undefined) continue;
    const inner = s['PLpgSQL_stmt_block'] as PlBlock | undefined;
    if (inner) {
      if (!readBlock(inner, out, ignored, false)) return false;
      continue;
    }
    const exec = s['PLpgSQL_stmt_execsql'] as { sqlstmt?: { PLpgSQL_expr?: PlExpr }; into?: unknown; strict?: unknown } | undefined;
    if (!exec || exec.into !== undefined) return false;
    const text = exec.sqlstmt?.PLpgSQL_expr?.query ?? '';
    const nodes = parseSql(text);
    if (nodes.length !== 1) return false;
    out.push({ node: nodes[0]!, text });
  }
  return true;
}
