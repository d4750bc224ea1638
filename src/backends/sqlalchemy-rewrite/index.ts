/**
 * `--emit sqlalchemy`: writes SQLAlchemy model files back with the types and server defaults the
 * transform chose for TiDB, as text edits at tree-sitter node ranges (comments, formatting,
 * relationships and everything else stay byte for byte).
 *
 * For each TiDB column that came from a model file (`origin.span` points at the column's
 * assignment / `Column(...)` call), the rewrite predicts what SQLAlchemy's MySQL dialect would
 * print for the model's current type (from the PostgreSQL type SQLAlchemy renders, `origin.pgType`)
 * and replaces the type only when that differs from the TiDB type: `JSONB` -> `mysql.JSON`,
 * `ARRAY(...)` -> `mysql.JSON`, `UUID` -> `mysql.CHAR(36, charset="ascii", collation="ascii_bin")`
 * or `mysql.BINARY(16)`, `String` without length -> `String(n)`, `DateTime(timezone=True)` ->
 * `mysql.DATETIME(fsp=6)`... A `server_default` whose SQL the transform rewrote is replaced by
 * `text("<TiDB SQL>")`; one the transform dropped is removed.
 * With `keepPostgresVariant`, types become `mysql.X().with_variant(<original>, "postgresql")` and
 * rewritten server defaults a small per-dialect clause, so the same models still create the
 * original schema on PostgreSQL.
 */
import type { Node } from 'web-tree-sitter';
import type { SourceFile, SourceSpan } from '../../diagnostics/span.js';
import type { TidbColumn, TidbDefault, TidbType } from '../../ir/tidb.js';
import type { TranslateResult } from '../../translate.js';
import { getParser } from '../../frontends/sqlalchemy/python.js';
import { printDefault, printType } from '../tidb/print.js';

export interface RewriteOptions {
  readonly keepPostgresVariant: boolean;
}

export interface RewrittenFile {
  readonly path: string;
  readonly content: string;
}

/** Where a rewritten model file goes under the output folder: `sqlalchemy/<relative path>`, never outside it. */
export function rewriteOutputPath(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return `sqlalchemy/${parts.join('/')}`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Column-level SQLAlchemy constructs that are not the column's type. */
const NOT_TYPES = new Set(['ForeignKey', 'Identity', 'Computed', 'Sequence', 'CheckConstraint', 'FetchedValue', 'DefaultClause']);
const COLUMN_CALLS = new Set(['Column', 'mapped_column', 'Field']);
const WRAPPERS = new Set(['deferred', 'column_property']);

function lastName(n: Node | null): string {
  if (!n) return '';
  if (n.type === 'identifier') return n.text;
  if (n.type === 'attribute') return n.childForFieldName('attribute')?.text ?? '';
  return '';
}

function namedKids(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

// ------------------------------------------------------------------------------------------------
// What SQLAlchemy's MySQL dialect prints for the model's current type

/** The MySQL type SQLAlchemy would print for a column whose PostgreSQL rendering is `pgType`, or undefined when it cannot or differs in kind. */
function predictMysql(pgType: string, rule: string): string | undefined {
  const t = pgType.trim().toUpperCase().replace(/\s+/g, ' ');
  if (/^(INTEGER|INT|SERIAL)$/.test(t)) return 'INT';
  if (/^(BIGINT|BIGSERIAL)$/.test(t)) return 'BIGINT';
  if (/^(SMALLINT|SMALLSERIAL)$/.test(t)) return 'SMALLINT';
  let m;
  if ((m = /^VARCHAR\((\d+)\)$/.exec(t))) return `VARCHAR(${m[1]})`;
  if ((m = /^CHAR\((\d+)\)$/.exec(t))) return `CHAR(${m[1]})`;
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if ((m = /^NUMERIC\((\d+), ?(\d+)\)$/.exec(t))) return `DECIMAL(${m[1]},${m[2]})`;
  if ((m = /^NUMERIC\((\d+)\)$/.exec(t))) return `DECIMAL(${m[1]},0)`;
  if (t === 'DATE') return 'DATE';
  if (t === 'JSON') return 'JSON';
  if ((m = /^VECTOR\((\d+)\)$/.exec(t))) return `VECTOR(${m[1]})`;
  if (rule === 'enum') return 'ENUM';
  return undefined;
}

function sameType(predicted: string | undefined, t: TidbType): boolean {
  if (predicted === undefined) return false;
  if (predicted === 'ENUM') return t.base === 'ENUM';
  return predicted === printType(t);
}

// ------------------------------------------------------------------------------------------------
// Python text for a TiDB type

const py = (s: string): string => JSON.stringify(s);

function strOpts(t: TidbType): string[] {
  return [...(t.charset ? [`charset=${py(t.charset)}`] : []), ...(t.collation ? [`collation=${py(t.collation)}`] : [])];
}

function call(ns: string, name: string, args: readonly string[]): string {
  return args.length ? `${ns}.${name}(${args.join(', ')})` : `${ns}.${name}`;
}

/** `mysql.X(...)` for a TiDB type, or undefined when the MySQL dialect has no such type (VECTOR). */
export function mysqlTypeExpr(t: TidbType, ns = 'mysql'): string | undefined {
  const unsigned = t.unsigned ? ['unsigned=True'] : [];
  switch (t.base) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'BIGINT':
      return call(ns, t.base, unsigned);
    case 'INT':
      return call(ns, 'INTEGER', unsigned);
    case 'DECIMAL':
      return call(ns, 'DECIMAL', [String(t.precision ?? 10), String(t.scale ?? 0), ...unsigned]);
    case 'FLOAT':
    case 'DOUBLE':
      return call(ns, t.base, unsigned);
    case 'BOOLEAN':
      return call(ns, 'BOOLEAN', []);
    case 'CHAR':
    case 'VARCHAR':
      return `${ns}.${t.base}(${[String(t.length ?? 1), ...strOpts(t)].join(', ')})`;
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      return call(ns, t.base, strOpts(t));
    case 'BINARY':
    case 'VARBINARY':
      return `${ns}.${t.base}(${t.length ?? 1})`;
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
    case 'JSON':
    case 'DATE':
    case 'YEAR':
      return call(ns, t.base, []);
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      return call(ns, t.base, t.fsp ? [`fsp=${t.fsp}`] : []);
    case 'BIT':
      return `${ns}.BIT(${t.length ?? 1})`;
    case 'ENUM':
      return `${ns}.ENUM(${[...(t.values ?? []).map(py), ...strOpts(t)].join(', ')})`;
    case 'VECTOR':
      return undefined;
  }
}

/** A SQLAlchemy generic type for a PostgreSQL type, for the PostgreSQL variant of a column that had no explicit type. */
function genericForPg(pgType: string, sa: string): string | undefined {
  const t = pgType.trim().toUpperCase();
  let m;
  if (t === 'VARCHAR') return `${sa}.String()`;
  if ((m = /^VARCHAR\((\d+)\)$/.exec(t))) return `${sa}.String(${m[1]})`;
  if (t === 'UUID') return `${sa}.Uuid()`;
  if (t === 'TIMESTAMP WITHOUT TIME ZONE') return `${sa}.DateTime()`;
  if (t === 'TIMESTAMP WITH TIME ZONE') return `${sa}.DateTime(timezone=True)`;
  if (t === 'TIME WITHOUT TIME ZONE') return `${sa}.Time()`;
  if (t === 'TEXT') return `${sa}.Text()`;
  if (t === 'BYTEA') return `${sa}.LargeBinary()`;
  if (t === 'FLOAT') return `${sa}.Float()`;
  if (t === 'INTERVAL') return `${sa}.Interval()`;
  if ((m = /^NUMERIC(\(.*\))?$/.exec(t))) return `${sa}.Numeric${m[1] ?? '()'}`;
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// One module

interface ModuleInfo {
  /** Alias bound to `sqlalchemy.dialects.mysql`, if imported. */
  mysql?: string;
  /** Alias bound to the `sqlalchemy` package, if imported. */
  sqlalchemy?: string;
  /** End offset of the last top-level import (where new imports go), and its line's indentation is none. */
  importsEnd: number;
  /** Name bound to `sqlalchemy.orm.mapped_column`, if imported. */
  mappedColumn?: string;
  /** The module imports SQLModel (bare annotations become `Field(sa_type=...)`). */
  sqlmodel?: boolean;
  /** Name bound to `sqlalchemy.text` by `from sqlalchemy import text`, if any. */
  text?: string;
  /** Top-level names bound to calls of these constructors (`seq = Sequence(...)`). */
  nonTypeNames: Set<string>;
}

function moduleInfo(root: Node): ModuleInfo {
  const info: ModuleInfo = { importsEnd: -1, nonTypeNames: new Set() };
  for (const st of namedKids(root)) {
    if (st.type === 'import_statement') {
      for (const n of st.childrenForFieldName('name')) {
        if (!n) continue;
        const name = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
        const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
        if (name === 'sqlalchemy' && alias) info.sqlalchemy = alias;
        if (name === 'sqlalchemy.dialects.mysql' && n.type === 'aliased_import' && alias) info.mysql = alias;
      }
      info.importsEnd = st.endIndex;
    } else if (st.type === 'import_from_statement' || st.type === 'future_import_statement') {
      const mod = st.childForFieldName('module_name')?.text;
      if (mod === 'sqlmodel' || mod?.startsWith('sqlmodel.')) info.sqlmodel = true;
      for (const n of st.childrenForFieldName('name')) {
        if (!n) continue;
        const name = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
        const alias = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
        if (mod === 'sqlalchemy.dialects' && name === 'mysql' && alias) info.mysql = alias;
        if (mod === 'sqlalchemy.orm' && name === 'mapped_column' && alias) info.mappedColumn = alias;
        if ((mod === 'sqlalchemy' || mod === 'sqlalchemy.sql' || mod === 'sqlalchemy.sql.expression') && name === 'text' && alias) info.text = alias;
      }
      info.importsEnd = st.endIndex;
    } else if (st.type === 'expression_statement') {
      const a = namedKids(st)[0];
      if (a?.type === 'assignment') {
        const left = a.childForFieldName('left');
        const right = a.childForFieldName('right');
        if (left?.type === 'identifier' && right?.type === 'call' && NOT_TYPES.has(lastName(right.childForFieldName('function')))) info.nonTypeNames.add(left.text);
      }
    }
  }
  return info;
}

/** The node exactly at a span (the largest one when several share the range). */
function nodeAt(root: Node, span: SourceSpan): Node | undefined {
  let n: Node | null = root.descendantForIndex(span.offset, span.offset + span.length);
  let found: Node | undefined;
  while (n) {
    if (n.startIndex === span.offset && n.endIndex === span.offset + span.length) found = n;
    else if (found) break;
    n = n.parent;
  }
  return found;
}

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
    const name = lastName(n.childForFieldName('function'));
    if (COLUMN_CALLS.has(name)) return n;
    if (WRAPPERS.has(name)) {
      const args = n.childForFieldName('arguments');
      n = args ? namedKids(args)[0] : undefined;
      continue;
    }
    return undefined;
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
  const saColumn = args ? namedKids(args).find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === 'sa_column') : undefined;
  const inner = unwrapColumnCall(saColumn?.childForFieldName('value'));
  if (inner) return { call: inner, kind: lastName(inner.childForFieldName('function')) };
  return { call: c, kind: lastName(c.childForFieldName('function')) };
}

function keyword(args: Node, name: string): Node | undefined {
  return namedKids(args).find((k) => k.type === 'keyword_argument' && k.childForFieldName('name')?.text === name);
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
    if (a.type === 'call' && NOT_TYPES.has(lastName(a.childForFieldName('function')))) continue;
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
  if (first && (first.type === 'string' || first.type === 'concatenated_string')) {
    return { at: first.endIndex, text: (t) => `, ${t}` };
  }
  if (!first) return { at: args.startIndex + 1, text: (t) => t };
  return { at: first.startIndex, text: (t) => `${t}, ` };
}

/** The SQL SQLAlchemy's MySQL dialect prints for a server_default source expression, when static. */
function serverDefaultSql(v: Node): string | undefined {
  if (v.type === 'string') {
    const content = v.children.filter((c): c is Node => !!c && (c.type === 'string_content' || c.type === 'escape_sequence'));
    if (v.children.some((c) => c?.type === 'interpolation')) return undefined;
    const s = content.map((c) => c.text).join('');
    return `'${s.replace(/'/g, "''")}'`;
  }
  if (v.type === 'call' && lastName(v.childForFieldName('function')) === 'text') {
    const a = v.childForFieldName('arguments');
    const s = a ? namedKids(a)[0] : undefined;
    if (s?.type !== 'string' || s.children.some((c) => c?.type === 'interpolation')) return undefined;
    return s.children
      .filter((c): c is Node => !!c && (c.type === 'string_content' || c.type === 'escape_sequence'))
      .map((c) => c.text)
      .join('');
  }
  return undefined;
}

const normSql = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

function removalRange(args: Node, kw: Node, text: string): { start: number; end: number } {
  const kids = namedKids(args);
  const i = kids.indexOf(kw);
  if (i > 0) return { start: kids[i - 1]!.endIndex, end: kw.endIndex };
  // the first argument: remove it and the comma and space after it
  let end = kw.endIndex;
  const m = /^\s*,\s*/.exec(text.slice(end));
  if (m) end += m[0].length;
  return { start: kw.startIndex, end };
}

interface Ns {
  mysql: string;
  sa: string;
  text?: string;
}

interface ModuleWork {
  edits: Edit[];
  needMysql: boolean;
  needSa: boolean;
  needDialectDefault: boolean;
  needOrm?: boolean;
}

const DIALECT_DEFAULT = '_Pg2tidbDialectDefault';

function dialectDefaultHelper(sa: string): string {
  return [
    '',
    '',
    `class ${DIALECT_DEFAULT}(${sa}.sql.expression.ColumnElement):`,
    '    """A server default written per dialect (added by pg2tidb: TiDB/MySQL SQL, PostgreSQL original)."""',
    '',
    '    inherit_cache = True',
    '',
    '    def __init__(self, mysql_sql, postgresql_default):',
    '        self.mysql_sql = mysql_sql',
    '        self.postgresql_default = postgresql_default',
    '',
    '',
    `@${sa}.ext.compiler.compiles(${DIALECT_DEFAULT})`,
    'def _pg2tidb_default_postgresql(element, compiler, **kw):',
    '    d = element.postgresql_default',
    "    return \"'%s'\" % d.replace(\"'\", \"''\") if isinstance(d, str) else compiler.process(d, **kw)",
    '',
    '',
    `@${sa}.ext.compiler.compiles(${DIALECT_DEFAULT}, "mysql")`,
    'def _pg2tidb_default_mysql(element, compiler, **kw):',
    '    return element.mysql_sql',
  ].join('\n');
}

function planColumn(col: TidbColumn, node: Node, text: string, info: ModuleInfo, ns: Ns, options: RewriteOptions, work: ModuleWork): void {
  const site = columnSite(node);
  if (!site) return;
  // ---- type
  const typeChanged = !sameType(predictMysql(col.origin.pgType, col.origin.rule), col.type);
  const newType = typeChanged ? mysqlTypeExpr(col.type, ns.mysql) : undefined;
  if (newType) {
    const existing = site.call && site.kind ? typeArg(site.call, site.kind, info) : undefined;
    const original = existing ? text.slice(existing.startIndex, existing.endIndex) : genericForPg(col.origin.pgType, ns.sa);
    let replacement = newType;
    // String / Unicode without a length: keep the generic type, give it the length
    if (existing && col.type.base === 'VARCHAR' && !col.type.charset && !col.type.collation && /^(\w+\.)*(String|Unicode|VARCHAR|AutoString)(\(\s*\))?$/.test(original ?? '')) {
      replacement = `${original!.replace(/\(\s*\)$/, '')}(${col.type.length})`;
    }
    if (options.keepPostgresVariant && original) replacement = `${/\)$/.test(replacement) ? replacement : `${replacement}()`}.with_variant(${original}, "postgresql")`;
    work.needMysql ||= replacement.includes(`${ns.mysql}.`);
    if (existing) work.edits.push({ start: existing.startIndex, end: existing.endIndex, text: replacement });
    else if (site.call && site.kind) {
      const ins = typeInsertion(site.call, site.kind);
      if (ins) work.edits.push({ start: ins.at, end: ins.at, text: ins.text(replacement) });
    } else if (site.annotationOnly) {
      const ctor = info.sqlmodel ? `Field(sa_type=${replacement})` : `${info.mappedColumn ?? `${ns.sa}.orm.mapped_column`}(${replacement})`;
      if (!info.sqlmodel && !info.mappedColumn) work.needOrm = true;
      work.edits.push({ start: site.annotationOnly.endIndex, end: site.annotationOnly.endIndex, text: ` = ${ctor}` });
      if (options.keepPostgresVariant && original) work.needSa = true;
    }
    if (options.keepPostgresVariant && !existing && original) work.needSa = true;
  }
  // ---- server_default
  if (!site.call) return;
  const args = site.call.childForFieldName('arguments');
  if (!args) return;
  let sdKw = keyword(args, 'server_default');
  if (!sdKw && site.kind === 'Field') {
    const ck = keyword(args, 'sa_column_kwargs');
    const dict = ck?.childForFieldName('value');
    const pair = dict?.type === 'dictionary' ? namedKids(dict).find((p) => p.type === 'pair' && /^["']server_default["']$/.test(p.childForFieldName('key')?.text ?? '')) : undefined;
    const v = pair?.childForFieldName('value');
    if (v && col.default && !col.autoIncrement) rewriteDefault(v, col.default, text, ns, options, work);
    return;
  }
  const v = sdKw?.childForFieldName('value');
  if (!sdKw || !v || v.type === 'none') return;
  if (v.type === 'call' && /^(FetchedValue|Identity)$/.test(lastName(v.childForFieldName('function')))) return;
  if (!col.default) {
    if (col.autoIncrement || col.generated) return;
    // the transform dropped it (a diagnostic says why): so does the rewrite, except in the variant
    if (options.keepPostgresVariant) {
      work.needDialectDefault = true;
      work.needSa = true;
      work.edits.push({ start: v.startIndex, end: v.endIndex, text: `${DIALECT_DEFAULT}("NULL", ${text.slice(v.startIndex, v.endIndex)})` });
    } else {
      const r = removalRange(args, sdKw, text);
      work.edits.push({ start: r.start, end: r.end, text: '' });
    }
    return;
  }
  rewriteDefault(v, col.default, text, ns, options, work);
}

function rewriteDefault(v: Node, d: TidbDefault, text: string, ns: Ns, options: RewriteOptions, work: ModuleWork): void {
  if (d.kind === 'nextval') return;
  const sql = printDefault(d);
  const current = serverDefaultSql(v);
  if (current !== undefined && normSql(current) === normSql(sql)) return;
  if (options.keepPostgresVariant) {
    work.needSa = true;
    work.needDialectDefault = true;
    work.edits.push({ start: v.startIndex, end: v.endIndex, text: `${DIALECT_DEFAULT}(${py(sql)}, ${text.slice(v.startIndex, v.endIndex)})` });
  } else {
    if (!ns.text) work.needSa = true;
    work.edits.push({ start: v.startIndex, end: v.endIndex, text: `${ns.text ?? `${ns.sa}.text`}(${py(sql)})` });
  }
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const e of sorted) {
    if (e.end > floor) continue; // overlaps an edit already applied
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    floor = e.start;
  }
  return out;
}

/** Removes `postgresql` dialect imports that no code uses any more. */
async function pruneImports(text: string): Promise<string> {
  const parser = await getParser();
  const tree = parser.parse(text);
  if (!tree) return text;
  try {
    const used = new Set<string>();
    const visit = (n: Node): void => {
      if (n.type === 'import_statement' || n.type === 'import_from_statement') return;
      if (n.type === 'identifier') used.add(n.text);
      for (const c of n.namedChildren) {
        if (!c) continue;
        // `x.UUID` and `f(UUID=...)` do not use a name UUID
        if (n.type === 'attribute' && c.equals(n.childForFieldName('attribute')!)) continue;
        if (n.type === 'keyword_argument' && c.equals(n.childForFieldName('name')!)) continue;
        visit(c);
      }
    };
    visit(tree.rootNode);
    const edits: Edit[] = [];
    for (const st of namedKids(tree.rootNode)) {
      if (st.type !== 'import_from_statement') continue;
      const mod = st.childForFieldName('module_name')?.text ?? '';
      const names = st.childrenForFieldName('name').filter((n): n is Node => !!n);
      const bound = (n: Node): string => (n.type === 'aliased_import' ? (n.childForFieldName('alias')?.text ?? '') : n.text);
      let removable: Node[];
      if (mod === 'sqlalchemy.dialects.postgresql') removable = names.filter((n) => !used.has(bound(n)));
      else if (mod === 'sqlalchemy.dialects') removable = names.filter((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text) === 'postgresql' && !used.has(bound(n)));
      else continue;
      if (removable.length === 0) continue;
      if (removable.length === names.length) {
        let end = st.endIndex;
        if (text[end] === '\n') end++;
        edits.push({ start: st.startIndex, end, text: '' });
        continue;
      }
      const keep = names.filter((n) => !removable.includes(n)).map((n) => n.text);
      const first = names[0]!;
      const last = names[names.length - 1]!;
      const open = text.slice(st.startIndex, first.startIndex).trimEnd().endsWith('(');
      edits.push({ start: first.startIndex, end: last.endIndex, text: open ? keep.join(', ') : keep.join(', ') });
    }
    return applyEdits(text, edits);
  } finally {
    tree.delete();
  }
}

async function rewriteModule(file: SourceFile, columns: readonly TidbColumn[], options: RewriteOptions): Promise<string> {
  const parser = await getParser();
  const tree = parser.parse(file.text);
  if (!tree) return file.text;
  let text = file.text;
  let work: ModuleWork;
  let info: ModuleInfo;
  let ns: Ns;
  try {
    info = moduleInfo(tree.rootNode);
    ns = { mysql: info.mysql ?? 'mysql', sa: info.sqlalchemy ?? 'sqlalchemy', ...(info.text ? { text: info.text } : {}) };
    work = { edits: [], needMysql: false, needSa: false, needDialectDefault: false };
    const seen = new Set<string>();
    for (const col of columns) {
      const span = col.origin.span!;
      const key = `${span.offset}:${span.length}`;
      if (seen.has(key)) continue; // a mixin column shared by several tables: rewrite once
      seen.add(key);
      const node = nodeAt(tree.rootNode, span);
      if (node) planColumn(col, node, text, info, ns, options, work);
    }
  } finally {
    tree.delete();
  }
  if (work.edits.length === 0) return text;
  const imports: string[] = [];
  if (work.needMysql && !info.mysql) imports.push('from sqlalchemy.dialects import mysql');
  if ((work.needSa || work.needDialectDefault || work.needOrm) && !info.sqlalchemy) imports.push('import sqlalchemy');
  if (work.needDialectDefault) imports.push('import sqlalchemy.ext.compiler');
  if (work.needOrm) imports.push('import sqlalchemy.orm');
  let addition = imports.join('\n');
  if (work.needDialectDefault) addition += dialectDefaultHelper(ns.sa);
  if (addition) {
    const at = info.importsEnd >= 0 ? info.importsEnd : 0;
    work.edits.push(info.importsEnd >= 0 ? { start: at, end: at, text: `\n${addition}` } : { start: 0, end: 0, text: `${addition}\n` });
  }
  text = applyEdits(text, work.edits);
  return pruneImports(text);
}

/**
 * Writes the SQLAlchemy model files of `files` back with the TiDB types and defaults of `result`.
 * Returns every Python input file (unchanged ones as they were, so a package still imports), with
 * its original path; non-Python inputs are skipped.
 */
export async function rewriteModels(files: readonly SourceFile[], result: TranslateResult, options: RewriteOptions): Promise<RewrittenFile[]> {
  const byFile = new Map<string, TidbColumn[]>();
  for (const t of result.tidb.tables) {
    for (const c of t.columns) {
      const f = c.origin.span?.file;
      if (!f || !/\.py$/i.test(f)) continue;
      const list = byFile.get(f) ?? [];
      list.push(c);
      byFile.set(f, list);
    }
  }
  const out: RewrittenFile[] = [];
  for (const f of files) {
    if (!/\.py$/i.test(f.path)) continue;
    const cols = byFile.get(f.path);
    out.push({ path: f.path, content: cols ? await rewriteModule(f, cols, options) : f.text });
  }
  return out;
}
