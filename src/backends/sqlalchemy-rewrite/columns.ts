/** Column edits: the type, the server default and the generated-column expression the transform chose. */
import type { Node } from 'web-tree-sitter';
import type { Column } from '../../ir/schema.js';
import type { TidbColumn, TidbDefault } from '../../ir/tidb.js';
import { printDefault } from '../tidb/print.js';
import { DIALECT_SQL } from './helpers.js';
import { NOT_TYPES, removeFrom, type Module, type ModuleInfo, type RewriteOptions } from './module.js';
import { callName, keyword, namedKids, nodeAt, py, pySql, spanKey } from './python.js';
import { genericForPg, instance, mysqlKeepsType, mysqlTypeExpr } from './types.js';

const COLUMN_CALLS = new Set(['Column', 'mapped_column', 'Field']);
const WRAPPERS = new Set(['deferred', 'column_property']);

interface ColumnSite {
  /** `Column(...)`, `mapped_column(...)` or `Field(...)`; undefined for a bare annotation. */
  call?: Node;
  kind?: string;
  /** The assignment with only an annotation (`x: Mapped[str]`), to append `= mapped_column(...)`. */
  annotationOnly?: Node;
}

function unwrapColumnCall(n: Node | null | undefined): Node | undefined {
  for (let depth = 0; n && depth < 4; depth++) {
    if (n.type !== 'call') return undefined;
    const name = callName(n);
    if (COLUMN_CALLS.has(name)) return n;
    if (!WRAPPERS.has(name)) return undefined;
    const args = n.childForFieldName('arguments');
    n = args ? namedKids(args)[0] : undefined;
  }
  return undefined;
}

function columnSite(node: Node): ColumnSite | undefined {
  if (node.type === 'expression_statement' || node.type === 'decorated_definition') {
    const inner = node.type === 'decorated_definition' ? node.childForFieldName('definition') : namedKids(node)[0];
    if (inner) return columnSite(inner);
  }
  let value: Node | null | undefined;
  if (node.type === 'call') value = node;
  else if (node.type === 'assignment') {
    value = node.childForFieldName('right');
    if (!value && node.childForFieldName('type')) return { annotationOnly: node };
  } else if (node.type === 'function_definition') {
    // @declared_attr: the returned column
    const body = node.childForFieldName('body');
    const ret = body ? namedKids(body).find((s) => s.type === 'return_statement') : undefined;
    value = ret ? namedKids(ret)[0] : undefined;
  }
  const c = unwrapColumnCall(value);
  if (!c) return undefined;
  // SQLModel Field(sa_column=Column(...))
  const args = c.childForFieldName('arguments');
  const inner = unwrapColumnCall(args ? keyword(args, 'sa_column')?.childForFieldName('value') : undefined);
  if (inner) return { call: inner, kind: callName(inner) };
  return { call: c, kind: callName(c) };
}

/** The type argument of a column call, if it has one. */
function typeArg(c: Node, kind: string, info: ModuleInfo): Node | undefined {
  const args = c.childForFieldName('arguments');
  if (!args) return undefined;
  const kw = keyword(args, kind === 'Field' ? 'sa_type' : 'type_');
  if (kw) return kw.childForFieldName('value') ?? undefined;
  if (kind === 'Field') return undefined;
  for (const a of namedKids(args)) {
    if (a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat') continue;
    if (a.type === 'string' || a.type === 'concatenated_string') continue;
    if (a.type === 'call' && NOT_TYPES.has(callName(a))) continue;
    if (a.type === 'identifier' && info.nonTypeNames.has(a.text)) continue;
    return a;
  }
  return undefined;
}

/** Where a new positional type argument goes: after a leading name string, else first. */
function typeInsertion(c: Node, kind: string): { at: number; text: (t: string) => string } | undefined {
  const args = c.childForFieldName('arguments');
  if (!args) return undefined;
  const kids = namedKids(args);
  if (kind === 'Field') {
    const last = kids[kids.length - 1];
    return last ? { at: last.endIndex, text: (t) => `, sa_type=${t}` } : { at: args.startIndex + 1, text: (t) => `sa_type=${t}` };
  }
  const first = kids[0];
  if (first && (first.type === 'string' || first.type === 'concatenated_string')) return { at: first.endIndex, text: (t) => `, ${t}` };
  if (!first) return { at: args.startIndex + 1, text: (t) => t };
  return { at: first.startIndex, text: (t) => `${t}, ` };
}

/** The model's type is already variant-bearing (`JSON().with_variant(JSONB(), "postgresql")`): it takes one more variant, not a second base. */
function hasVariants(existing: Node | undefined, info: ModuleInfo): boolean {
  if (!existing) return false;
  return existing.text.includes('.with_variant(') || (existing.type === 'identifier' && info.variantNames.has(existing.text));
}

/** The original type for the PostgreSQL variant: the model's text, else a generic type for its PostgreSQL rendering. */
function originalType(col: TidbColumn, existing: Node | undefined, m: Module): string | undefined {
  if (existing) return m.text.slice(existing.startIndex, existing.endIndex);
  const generic = genericForPg(col.origin.pgType, m.ns.sa, `${m.ns.sa}.dialects.postgresql`);
  if (generic?.usesPg) m.needs.add('postgresql');
  return generic?.expr;
}

function planType(col: TidbColumn, site: ColumnSite, m: Module, options: RewriteOptions): void {
  if (mysqlKeepsType(col.origin.pgType, col.origin.rule, col.type)) return;
  const newType = mysqlTypeExpr(col.type, m.ns.mysql);
  if (!newType) return;
  const existing = site.call && site.kind ? typeArg(site.call, site.kind, m.info) : undefined;
  const original = options.keepPostgresVariant || existing ? originalType(col, existing, m) : undefined;
  let replacement = newType;
  // String / Unicode without a length: keep the generic type, give it the length
  if (existing && col.type.base === 'VARCHAR' && !col.type.charset && !col.type.collation && /^(\w+\.)*(String|Unicode|VARCHAR|AutoString)(\(\s*\))?$/.test(original ?? '')) {
    replacement = `${original!.replace(/\(\s*\)$/, '')}(${col.type.length})`;
  }
  if (options.keepPostgresVariant && original) {
    replacement = hasVariants(existing, m.info) ? `${original}.with_variant(${instance(newType)}, "mysql")` : `${instance(replacement)}.with_variant(${original}, "postgresql")`;
    if (!existing) m.needs.add('sa');
  }
  if (replacement.includes(`${m.ns.mysql}.`)) m.needs.add('mysql');
  if (existing) m.edits.push({ start: existing.startIndex, end: existing.endIndex, text: replacement });
  else if (site.call && site.kind) {
    const ins = typeInsertion(site.call, site.kind);
    if (ins) m.edits.push({ start: ins.at, end: ins.at, text: ins.text(replacement) });
  } else if (site.annotationOnly) {
    const ctor = m.info.sqlmodel ? `Field(sa_type=${replacement})` : `${m.info.mappedColumn ?? `${m.ns.sa}.orm.mapped_column`}(${replacement})`;
    if (!m.info.sqlmodel && !m.info.mappedColumn) m.needs.add('orm');
    m.edits.push({ start: site.annotationOnly.endIndex, end: site.annotationOnly.endIndex, text: ` = ${ctor}` });
  }
}

/** `Computed(<TiDB SQL>, persisted=...)`: the expression and storage the transform chose. */
function planComputed(col: TidbColumn, site: ColumnSite, m: Module, options: RewriteOptions): void {
  const args = site.call?.childForFieldName('arguments');
  const computed = args ? namedKids(args).find((a) => callName(a) === 'Computed') : undefined;
  const cargs = computed?.childForFieldName('arguments');
  if (!computed || !cargs || !col.generated) return;
  const sqlArg = namedKids(cargs).find((a) => a.type !== 'keyword_argument');
  const persisted = keyword(cargs, 'persisted')?.childForFieldName('value')?.text;
  const { sql, stored } = col.generated;
  const storage = stored ? ', persisted=True' : persisted === 'False' ? ', persisted=False' : '';
  if (sqlArg?.type === 'string' && stringValue(sqlArg) === sql && (stored ? persisted === 'True' : persisted !== 'True')) return;
  let expr = pySql(sql);
  if (options.keepPostgresVariant && sqlArg) {
    const original = sqlArg.type === 'string' ? `${m.ns.sa}.text(${sqlArg.text})` : sqlArg.text;
    expr = `${DIALECT_SQL}(${py(sql)}, ${original})`;
    m.helpers.add('dialect-sql');
    m.needs.add('sa');
  }
  const fn = computed.childForFieldName('function')!.text;
  m.edits.push({ start: computed.startIndex, end: computed.endIndex, text: `${fn}(${expr}${storage})` });
}

function stringValue(s: Node): string | undefined {
  if (s.children.some((c) => c?.type === 'interpolation')) return undefined;
  return s.children
    .filter((c): c is Node => !!c && (c.type === 'string_content' || c.type === 'escape_sequence'))
    .map((c) => c.text)
    .join('');
}

/** The SQL SQLAlchemy's MySQL dialect prints for a server_default source expression, when static. */
function serverDefaultSql(v: Node): string | undefined {
  if (v.type === 'string') {
    const s = stringValue(v);
    return s === undefined ? undefined : `'${s.replace(/'/g, "''")}'`;
  }
  if (v.type === 'call' && callName(v) === 'text') {
    const a = v.childForFieldName('arguments');
    const s = a ? namedKids(a)[0] : undefined;
    return s?.type === 'string' ? stringValue(s) : undefined;
  }
  return undefined;
}

const normSql = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

function rewriteDefault(v: Node, d: TidbDefault, m: Module, options: RewriteOptions): void {
  if (d.kind === 'nextval') return;
  const sql = printDefault(d);
  const current = serverDefaultSql(v);
  if (current !== undefined && normSql(current) === normSql(sql)) return;
  const original = m.text.slice(v.startIndex, v.endIndex);
  if (options.keepPostgresVariant) {
    m.needs.add('sa');
    m.helpers.add('dialect-sql');
    m.edits.push({ start: v.startIndex, end: v.endIndex, text: `${DIALECT_SQL}(${py(sql)}, ${original})` });
  } else {
    if (!m.ns.text) m.needs.add('sa');
    m.edits.push({ start: v.startIndex, end: v.endIndex, text: `${m.ns.text ?? `${m.ns.sa}.text`}(${pySql(sql)})` });
  }
}

/** A server_default the transform dropped (a diagnostic says why): removed, or NULL on MySQL only in the variant. */
function dropDefault(v: Node, kw: Node, m: Module, options: RewriteOptions): void {
  if (options.keepPostgresVariant) {
    m.needs.add('sa');
    m.helpers.add('dialect-sql');
    m.edits.push({ start: v.startIndex, end: v.endIndex, text: `${DIALECT_SQL}("NULL", ${m.text.slice(v.startIndex, v.endIndex)})` });
  } else if (kw.parent) removeFrom(m, kw.parent, kw);
}

/** `server_default=` in the column call itself, or in SQLModel's `sa_column_kwargs={...}` (rewritten, never removed). */
function localDefault(site: ColumnSite): { v: Node; kw?: Node } | undefined {
  const args = site.call?.childForFieldName('arguments');
  if (!args) return undefined;
  const kw = keyword(args, 'server_default');
  const v = kw?.childForFieldName('value');
  if (kw && v) return { v, kw };
  if (site.kind !== 'Field') return undefined;
  const dict = keyword(args, 'sa_column_kwargs')?.childForFieldName('value');
  const pair = dict?.type === 'dictionary' ? namedKids(dict).find((p) => p.type === 'pair' && /^["']server_default["']$/.test(p.childForFieldName('key')?.text ?? '')) : undefined;
  const pv = pair?.childForFieldName('value');
  return pv ? { v: pv } : undefined;
}

/** `server_default=` written elsewhere, e.g. in an `Annotated[..., mapped_column(server_default=...)]` alias. */
function remoteDefault(src: Column | undefined, modules: ReadonlyMap<string, Module>): { v: Node; kw: Node; m: Module } | undefined {
  const span = src?.defaultSpan;
  const m = span ? modules.get(span.file) : undefined;
  const v = m && span ? nodeAt(m.root, span) : undefined;
  const kw = v?.parent;
  if (!m || !v || kw?.type !== 'keyword_argument' || kw.childForFieldName('name')?.text !== 'server_default') return undefined;
  return { v, kw, m };
}

function planDefault(col: TidbColumn, src: Column | undefined, site: ColumnSite, m: Module, modules: ReadonlyMap<string, Module>, options: RewriteOptions): void {
  const local = localDefault(site);
  const at = local ? { ...local, m } : remoteDefault(src, modules);
  if (!at || at.v.type === 'none') return;
  if (at.v.type === 'call' && /^(FetchedValue|Identity)$/.test(callName(at.v))) return;
  // an alias shared by several columns is rewritten once (the transform decides the same for each)
  const key = `default:${at.v.startIndex}`;
  if (at.m.done.has(key)) return;
  at.m.done.add(key);
  if (col.default) rewriteDefault(at.v, col.default, at.m, options);
  else if (!col.autoIncrement && !col.generated && at.kw) dropDefault(at.v, at.kw, at.m, options);
}

/** The `Column(...)` / `mapped_column(...)` / `Field(...)` call of a model column node, if it has one. */
export function columnCall(node: Node): Node | undefined {
  return columnSite(node)?.call;
}

/** Plans the edits of one TiDB column whose origin is a model column in `m`. */
export function planColumn(col: TidbColumn, src: Column | undefined, m: Module, modules: ReadonlyMap<string, Module>, options: RewriteOptions): void {
  const key = `column:${spanKey(col.origin.span)}`;
  if (m.done.has(key)) return; // a mixin column shared by several tables: rewrite once
  m.done.add(key);
  const node = nodeAt(m.root, col.origin.span!);
  const site = node ? columnSite(node) : undefined;
  if (!site) return;
  planType(col, site, m, options);
  planComputed(col, site, m, options);
  planDefault(col, src, site, m, modules, options);
}

