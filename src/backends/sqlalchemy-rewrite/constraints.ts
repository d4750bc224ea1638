/**
 * Index, unique and foreign-key edits: a model construct whose MySQL DDL would differ from what the
 * transform put in tidb.sql is rewritten to it. In the plain rewrite the construct is replaced or
 * removed; with keepPostgresVariant the original stays for PostgreSQL (`.ddl_if(dialect="postgresql")`,
 * PostgreSQL-only kwargs that the MySQL dialect ignores) and the TiDB form is added for MySQL only.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceSpan } from '../../diagnostics/span.js';
import type { IndexKey, Table } from '../../ir/schema.js';
import type { TidbColumn, TidbForeignKey, TidbIndex, TidbTable } from '../../ir/tidb.js';
import { columnCall } from './columns.js';
import { MYSQL_WHERE, ONLY_ON } from './helpers.js';
import { addAfter, removeFrom, type Module, type RewriteOptions } from './module.js';
import { CONTAINERS, callName, indentAt, keyword, namedKids, nodeAt, py, pySql, spanKey, startsLine } from './python.js';
import { mysqlTypeExpr } from './types.js';

const ON_POSTGRESQL = '.ddl_if(dialect="postgresql")';
const ON_MYSQL = '.ddl_if(dialect="mysql")';

/** Where statements about a table go: after its class or `Table(...)` assignment, naming it `expr`. */
interface Anchor {
  readonly m: Module;
  readonly at: number;
  readonly lead: string;
  readonly indent: string;
  readonly expr: string;
}

function classAnchor(m: Module, cls: Node): Anchor | undefined {
  const name = cls.childForFieldName('name')?.text;
  if (!name) return undefined;
  const stmt = cls.parent?.type === 'decorated_definition' ? cls.parent : cls;
  const indent = indentAt(m.text, stmt.startIndex);
  return { m, at: stmt.endIndex, lead: indent ? '\n\n' : '\n\n\n', indent, expr: `${name}.__table__` };
}

function tableAnchor(table: TidbTable, modules: ReadonlyMap<string, Module>): Anchor | undefined {
  const m = table.span ? modules.get(table.span.file) : undefined;
  const node = m && table.span ? nodeAt(m.root, table.span) : undefined;
  if (!m || !node) return undefined;
  if (node.type === 'class_definition') return classAnchor(m, node);
  const assignment = node.parent;
  const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
  const stmt = assignment?.parent;
  if (left?.type !== 'identifier' || stmt?.type !== 'expression_statement') return undefined;
  // `__table__ = Table(...)` in a class body
  const cls = stmt.parent?.parent;
  if (left.text === '__table__' && cls?.type === 'class_definition') return classAnchor(m, cls);
  return { m, at: stmt.endIndex, lead: '\n', indent: indentAt(m.text, stmt.startIndex), expr: left.text };
}

/** `Index("name", "col", text("(expr)"), unique=True, ...)` for a TiDB index. */
function indexCall(ix: TidbIndex, fn: string, m: Module): string {
  const text = m.ns.text ?? `${m.ns.sa}.text`;
  const parts = ix.parts.map((p) => ('expr' in p ? `${text}(${pySql(`(${p.expr})`)})` : py(p.column)));
  const lengths = ix.parts.flatMap((p) => ('column' in p && p.length !== undefined ? [`${py(p.column)}: ${p.length}`] : []));
  const args = [py(ix.name), ...parts];
  if (ix.unique) args.push('unique=True');
  if (lengths.length > 0) args.push(`mysql_length={${lengths.join(', ')}}`);
  if (ix.where !== undefined) {
    args.push(`info={${py(MYSQL_WHERE)}: ${py(ix.where)}}`);
    m.helpers.add('index-where');
  }
  if (!m.ns.text && ix.parts.some((p) => 'expr' in p)) m.needs.add('sa');
  return `${fn}(${args.join(', ')})`;
}

/** A source index or unique constraint, with the keys SQLAlchemy's MySQL dialect would print for it. */
interface SourceKey {
  readonly kind: 'index' | 'unique';
  readonly span: SourceSpan;
  readonly unique: boolean;
  readonly keys: readonly IndexKey[];
}

function sourceKeys(src: Table | undefined, modules: ReadonlyMap<string, Module>): SourceKey[] {
  if (!src) return [];
  const all: SourceKey[] = [
    ...src.indexes.flatMap((i) => (i.span ? [{ kind: 'index' as const, span: i.span, unique: i.unique, keys: i.keys }] : [])),
    ...src.uniques.flatMap((u) => (u.span ? [{ kind: 'unique' as const, span: u.span, unique: true, keys: u.columns.map((column) => ({ column })) }] : [])),
  ];
  return all.filter((s) => modules.has(s.span.file));
}

/**
 * True when the MySQL dialect already prints the TiDB index for the model's construct: plain
 * column keys (PostgreSQL-only kwargs such as postgresql_using / postgresql_where are ignored).
 */
function mysqlKeepsIndex(s: SourceKey, ix: TidbIndex): boolean {
  if (ix.where !== undefined || ix.multiValued || ix.unique !== s.unique || ix.parts.length !== s.keys.length) return false;
  return s.keys.every((k, i) => {
    const p = ix.parts[i]!;
    return k.column !== undefined && !k.expr && !k.desc && !k.nullsFirst && 'column' in p && p.column === k.column && p.length === undefined;
  });
}

const CONSTRUCTS = new Set(['Index', 'UniqueConstraint']);

/** The call at a span (a module-level `Index(...)` statement shares its range with the call). */
function callAt(m: Module, span: SourceSpan): Node | undefined {
  const node = nodeAt(m.root, span);
  return node?.type === 'expression_statement' ? namedKids(node)[0] : node;
}

/** The original construct exists only on PostgreSQL (variant) or goes away (plain). */
function dropConstruct(node: Node, m: Module, options: RewriteOptions): void {
  const parent = node.parent;
  if (options.keepPostgresVariant) m.edits.push({ start: node.endIndex, end: node.endIndex, text: ON_POSTGRESQL });
  else if (parent && CONTAINERS.has(parent.type)) removeFrom(m, parent, node);
  else if (parent?.type === 'expression_statement') m.edits.push({ start: parent.startIndex, end: parent.endIndex + (m.text[parent.endIndex] === '\n' ? 1 : 0), text: '' });
}

/** Replaces a construct inside `__table_args__` / `Table(...)`, where column names resolve. */
function replaceInPlace(node: Node, ix: TidbIndex, m: Module, options: RewriteOptions): void {
  const fn = callName(node) === 'Index' ? node.childForFieldName('function')!.text : `${m.ns.sa}.Index`;
  if (fn.startsWith(`${m.ns.sa}.`)) m.needs.add('sa');
  const mysqlForm = indexCall(ix, fn, m);
  if (!options.keepPostgresVariant) {
    m.edits.push({ start: node.startIndex, end: node.endIndex, text: mysqlForm });
    return;
  }
  const sep = startsLine(m.text, node) ? `,\n${indentAt(m.text, node.startIndex)}` : ', ';
  m.edits.push({ start: node.endIndex, end: node.endIndex, text: `${ON_POSTGRESQL}${sep}${mysqlForm}${ON_MYSQL}` });
}

function addIndex(ix: TidbIndex, anchor: Anchor, options: RewriteOptions): void {
  const { m } = anchor;
  m.needs.add('sa');
  addAfter(m, anchor.at, anchor.lead, anchor.indent, `${anchor.expr}.append_constraint(${indexCall(ix, `${m.ns.sa}.Index`, m)}${options.keepPostgresVariant ? ON_MYSQL : ''})`);
}

/** A generated column the transform added for an index (partial unique, expression): TiDB only. */
function addColumn(col: TidbColumn, anchor: Anchor, options: RewriteOptions): void {
  const { m } = anchor;
  const type = mysqlTypeExpr(col.type, m.ns.mysql);
  if (!type || !col.generated) return;
  m.needs.add('sa');
  m.needs.add('mysql');
  const args = [py(col.name), type, `${m.ns.sa}.Computed(${pySql(col.generated.sql)}${col.generated.stored ? ', persisted=True' : ''})`];
  if (!col.nullable) args.push('nullable=False');
  if (options.keepPostgresVariant) {
    args.push(`info={${py(ONLY_ON)}: "mysql"}`);
    m.helpers.add('mysql-only-columns');
  }
  addAfter(m, anchor.at, anchor.lead, anchor.indent, `${anchor.expr}.append_column(${m.ns.sa}.Column(${args.join(', ')}))`);
}

/** What one table's index plan collects: TiDB indexes and PostgreSQL-only originals to add after the table. */
interface TablePlan {
  readonly table: TidbTable;
  readonly modules: ReadonlyMap<string, Module>;
  readonly options: RewriteOptions;
  /** Generated columns the transform added for indexes (added to the table after its definition). */
  readonly addedColumns: ReadonlySet<string>;
  readonly mysqlIndexes: TidbIndex[];
  readonly postgresqlOnly: string[];
}

/** A model `Index(...)` / `UniqueConstraint(...)`: replaced in place where its column names resolve, else dropped and added after the table. */
function planConstruct(node: Node, ix: TidbIndex | undefined, m: Module, plan: TablePlan): void {
  if (m.done.has(`index:${node.id}`)) return; // a construct shared by several tables (mixin)
  m.done.add(`index:${node.id}`);
  const inTable = CONTAINERS.has(node.parent?.type ?? '');
  if (ix && inTable && !ix.parts.some((p) => 'column' in p && plan.addedColumns.has(p.column))) {
    replaceInPlace(node, ix, m, plan.options);
    return;
  }
  dropConstruct(node, m, plan.options);
  if (ix) plan.mysqlIndexes.push(ix);
}

/**
 * `index=True` / `unique=True` on a column cannot be made per-dialect: the keyword goes, and the
 * TiDB index (plus, in the variant, the PostgreSQL original) is added after the table.
 */
function planColumnFlag(s: SourceKey, node: Node, ix: TidbIndex | undefined, m: Module, plan: TablePlan): void {
  const args = columnCall(node)?.childForFieldName('arguments');
  const flags = s.kind === 'index' ? ['index', ...(s.unique ? ['unique'] : [])] : ['unique'];
  const kws = args ? flags.flatMap((f) => keyword(args, f) ?? []) : [];
  if (!args || kws.length !== flags.length) return; // set elsewhere (an Annotated alias): left as written
  for (const kw of kws) removeFrom(m, args, kw);
  if (ix) plan.mysqlIndexes.push(ix);
  if (!plan.options.keepPostgresVariant) return;
  const column = py(s.keys[0]!.column!);
  const sa = m.ns.sa;
  // unnamed, as the column keyword creates it: the metadata's naming convention names it the same way
  plan.postgresqlOnly.push(s.kind === 'index' ? `${sa}.Index(None, ${column}${s.unique ? ', unique=True' : ''})` : `${sa}.UniqueConstraint(${column})`);
}

/** Plans the index edits of one table: changed or dropped model indexes, and indexes / columns the transform added. */
export function planIndexes(table: TidbTable, src: Table | undefined, modules: ReadonlyMap<string, Module>, options: RewriteOptions): void {
  const addedColumns = new Set(table.columns.filter((c) => c.origin.rule === 'index-generated-column').map((c) => c.name));
  const plan: TablePlan = { table, modules, options, addedColumns, mysqlIndexes: [], postgresqlOnly: [] };
  const matched = new Set<TidbIndex>();
  for (const s of sourceKeys(src, modules)) {
    const ix = table.indexes.find((i) => !matched.has(i) && spanKey(i.span) === spanKey(s.span));
    if (ix) matched.add(ix);
    if (ix && mysqlKeepsIndex(s, ix)) continue;
    const m = modules.get(s.span.file)!;
    const node = callAt(m, s.span);
    if (!node) continue;
    if (CONSTRUCTS.has(callName(node))) planConstruct(node, ix, m, plan);
    else planColumnFlag(s, node, ix, m, plan);
  }
  plan.mysqlIndexes.push(...table.indexes.filter((i) => !matched.has(i)));
  addAfterTable(plan);
}

function addAfterTable(plan: TablePlan): void {
  const { table, options } = plan;
  if (plan.mysqlIndexes.length === 0 && plan.addedColumns.size === 0 && plan.postgresqlOnly.length === 0) return;
  const anchor = tableAnchor(table, plan.modules);
  if (!anchor) return;
  for (const col of table.columns) if (plan.addedColumns.has(col.name)) addColumn(col, anchor, options);
  for (const original of plan.postgresqlOnly) {
    anchor.m.needs.add('sa');
    addAfter(anchor.m, anchor.at, anchor.lead, anchor.indent, `${anchor.expr}.append_constraint(${original}${ON_POSTGRESQL})`);
  }
  for (const ix of plan.mysqlIndexes) addIndex(ix, anchor, options);
}

const FK_CLAUSES = ['deferrable', 'initially', 'match'];

/** DEFERRABLE / INITIALLY / MATCH, which TiDB does not have: removed, or skipped on MySQL only in the variant. */
export function planForeignKeys(fks: readonly TidbForeignKey[], modules: ReadonlyMap<string, Module>, options: RewriteOptions): void {
  for (const fk of fks) {
    const m = fk.span ? modules.get(fk.span.file) : undefined;
    const node = m && fk.span ? nodeAt(m.root, fk.span) : undefined;
    const args = node?.type === 'call' ? node.childForFieldName('arguments') : undefined;
    if (!m || !args) continue;
    const clauses = FK_CLAUSES.flatMap((k) => {
      const kw = keyword(args, k);
      return kw && kw.childForFieldName('value')?.type !== 'none' ? [kw] : [];
    });
    if (clauses.length === 0) continue;
    if (options.keepPostgresVariant) m.helpers.add('fk-without-deferrable');
    else for (const kw of clauses) removeFrom(m, args, kw);
  }
}
