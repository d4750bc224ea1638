
import { tableObjectSubject } from '../diagnostics/subject.js';
import type { DiagnosticInit } from '../diagnostics/diagnostic.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Index, IndexKey } from '../ir/schema.js';
import type { TidbColumn, TidbIndex, TidbKeyPart, TidbType } from '../ir/tidb.js';
import type { ColumnType, Expr } from '../ir/types.js';
import { quoteIdent } from '../sql/quote.js';
import type { TransformContext } from './context.js';
import { translateExpr } from './expressions.js';
import { expressionType } from './expression-types.js';
import type { NameScope } from './names.js';
import { maxExpressionIndexName, TIDB_LIMITS } from './limits.js';
import { checkedComment } from './comments.js';
import { featureTarget, targetHas, targetLacks } from './features.js';

/** tidb.md §3.1; the values live in TIDB_LIMITS (limits.ts). */
export const MAX_KEY_BYTES = TIDB_LIMITS.keyBytes;
export const MAX_KEY_COLUMNS = TIDB_LIMITS.columnsPerIndex;
export const MAX_INDEXES = TIDB_LIMITS.indexesPerTable;

/**
 * tidb.md §3.6: functions allowed in expression indexes without config (TiDB Cloud included); which
 * targets have them, and whether anything else is allowed, is in features.ts.
 */
const EXPRESSION_INDEX_FUNCTIONS = new Set([
  'json_array', 'json_array_append', 'json_array_insert', 'json_contains', 'json_contains_path', 'json_depth', 'json_extract', 'json_insert', 'json_keys', 'json_length', 'json_merge_patch', 'json_merge_preserve', 'json_object', 'json_pretty', 'json_quote', 'json_remove', 'json_replace', 'json_schema_valid', 'json_search', 'json_set', 'json_storage_size', 'json_type', 'json_unquote', 'json_valid', 'lower', 'md5', 'reverse', 'tidb_shard', 'upper', 'vitess_hash',
]);

/** Methods whose index becomes a plain B-tree without changing what queries it can serve well. */
const BTREE_LIKE = new Set(['btree', 'hash', 'brin']);

export interface TableIndexInput {
  readonly ctx: TransformContext;
  readonly tableSubject: string;
  readonly columns: Map<string, TidbColumn>;
  /** PostgreSQL column types, for GIN-on-array decisions. */
  readonly pgTypes: Map<string, ColumnType>;
  readonly names: NameScope;
  /** Generated columns the indexes need; appended to the table. */
  readonly addColumn: (column: TidbColumn) => void;
  readonly columnNames: NameScope;
  /** What the key-fitting pass needs of each index lowered here, by TiDB index name. */
  readonly keys: Map<string, KeyToFit>;
}

/** An index as lowering leaves it for the key-fitting pass: its label for diagnostics, and each expression part's type. */
export interface KeyToFit {
  readonly label: string;
  readonly at: DiagnosticInit;
  readonly unique: boolean;
  /** Per key part: the expression's result type (it counts whole), or undefined for a column part. */
  readonly expressionTypes: readonly (TidbType | undefined)[];
  /** Types derived from expressions over columns, derived again once foreign-key alignment has settled those (passes/expression-types.ts). */
  readonly derived?: readonly DerivedType[];
}

/** A type lowering derived from an expression: of the generated column holding it, or of the inline expression key part at `part`. */
export type DerivedType = { readonly expr: Expr; readonly column: string } | { readonly expr: Expr; readonly part: number };

/** UTF-8 bytes of a string. */
const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * Storage bytes of a key part as TiDB counts them (tidb.md §3.1: utf8mb4 counts 4 bytes a character).
 * An ENUM counts its longest member's UTF-8 bytes, not 2: measured on tidb-server v8.5,
 * `ENUM('mh_ay_')` + `VARCHAR(768)` is "3078 bytes", `ENUM('ééé')` + `VARCHAR(767)` is "3074 bytes"
 * (TiDB's getIndexColumnLength falls back to the column's flen for ENUM).
 */
export function keyBytes(type: TidbType, prefix?: number): number {
  const perChar = type.charset === 'ascii' || type.charset === 'latin1' ? 1 : 4;
  switch (type.base) {
    case 'TINYINT':
    case 'BOOLEAN':
    case 'YEAR':
      return 1;
    case 'SMALLINT':
      return 2;
    case 'ENUM':
      return Math.max(1, ...(type.values ?? []).map(utf8Bytes));
    case 'INT':
    case 'FLOAT':
      return 4;
    case 'BIGINT':
    case 'DOUBLE':
      return 8;
    case 'DECIMAL':
      return Math.ceil((type.precision ?? 10) / 9) * 4 + 1;
    case 'DATE':
      return 3;
    case 'TIME':
      return 6;
    case 'DATETIME':
    case 'TIMESTAMP':
      return 8;
    case 'BIT':
      return Math.ceil((type.length ?? 1) / 8);
    case 'CHAR':
    case 'VARCHAR':
      return (prefix ?? type.length ?? 1) * perChar;
    case 'BINARY':
    case 'VARBINARY':
      return prefix ?? type.length ?? 1;
    default:
      return prefix !== undefined ? prefix * perChar : Number.POSITIVE_INFINITY;
  }
}

const NOT_INDEXABLE = new Set(['JSON', 'VECTOR']);
const NEEDS_PREFIX = new Set(['TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB']);
const BOUNDED_STRING = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

/** One key part to fit: a column (or an expression, `fixed`: TiDB takes no prefix on it). */
export interface KeyPartInput {
  readonly column: string;
  readonly type: TidbType;
  readonly prefix?: number;
  /** An expression part: its whole width counts and it cannot be shortened. */
  readonly fixed?: boolean;
  /** pg2tidb chose the column's length (origin.lengthChosen): it gives way before declared lengths. */
  readonly chosen?: boolean;
}

/**
 * Fits key parts under the 3072-byte key limit with prefix lengths. Parts whose length pg2tidb chose
 * are shortened first; lengths the user declared only when that is not enough. Within a group the
 * short parts keep their whole length and the rest share what is left. A prefix as long as the column
 * is no prefix (TiDB refuses a longer one, error 1089). Returns undefined when even prefixes cannot fit.
 */
export function fitKey(input: readonly KeyPartInput[]): { parts: TidbKeyPart[]; prefixed: boolean } | undefined {
  const parts = input.map((p) => (p.prefix !== undefined && BOUNDED_STRING.has(p.type.base) && p.type.length !== undefined && p.prefix >= p.type.length ? { ...p, prefix: undefined } : p));
  const sizes = parts.map((p) => keyBytes(p.type, p.prefix));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= MAX_KEY_BYTES && parts.every((p) => !NEEDS_PREFIX.has(p.type.base) || p.prefix !== undefined)) {
    return { parts: parts.map((p) => (p.prefix !== undefined ? { column: p.column, length: p.prefix } : { column: p.column })), prefixed: false };
  }
  const stringy = (p: KeyPartInput) => !p.fixed && (BOUNDED_STRING.has(p.type.base) || NEEDS_PREFIX.has(p.type.base));
  const fixed = parts.reduce((sum, p, i) => (stringy(p) ? sum : sum + sizes[i]!), 0);
  const flexible = parts.filter(stringy);
  if (flexible.length === 0 || fixed >= MAX_KEY_BYTES) return undefined;
  const prefix = new Map<string, number>();
  const share = (group: readonly KeyPartInput[], available: number) => {
    let budget = available;
    // Smallest first: short parts keep their whole length, the rest share what is left.
    const order = [...group].sort((a, b) => keyBytes(a.type, a.prefix) - keyBytes(b.type, b.prefix));
    order.forEach((p, i) => {
      const perChar = keyBytes(p.type, 1);
      const each = Math.floor(budget / (order.length - i));
      const full = keyBytes(p.type, p.prefix);
      if (full <= each && (p.prefix !== undefined || !NEEDS_PREFIX.has(p.type.base))) {
        budget -= full;
        return;
      }
      const chars = Math.max(1, Math.floor(each / perChar));
      prefix.set(p.column, chars);
      budget -= chars * perChar;
    });
  };
  const chosen = flexible.filter((p) => p.chosen);
  const declared = flexible.filter((p) => !p.chosen);
  const declaredBytes = declared.reduce((n, p) => n + keyBytes(p.type, p.prefix), 0);
  const left = MAX_KEY_BYTES - fixed - declaredBytes;
  if (chosen.length > 0 && left >= chosen.reduce((n, p) => n + keyBytes(p.type, 1), 0)) share(chosen, left);
  else share(flexible, MAX_KEY_BYTES - fixed);
  return {
    parts: parts.map((p) => (prefix.has(p.column) ? { column: p.column, length: prefix.get(p.column)! } : p.prefix !== undefined ? { column: p.column, length: p.prefix } : { column: p.column })),
    prefixed: true,
  };
}

function functionsIn(sql: string): string[] {
  return [...sql.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)].map((m) => m[1]!.toLowerCase()).filter((f) => !['cast', 'in'].includes(f));
}

/** Multi-valued index element types TiDB allows (tidb.md §3.7). */
function arrayElementCast(element: ColumnType, ctx: TransformContext): string | undefined {
  if (element.kind === 'user') {
    const en = ctx.enums.get(`${element.name.schema ?? 'public'}.${element.name.name}`);
    if (en) return `CHAR(${Math.max(1, ...en.values.map((v) => [...v].length))})`;
    return undefined;
  }
  if (element.kind !== 'scalar') return undefined;
  switch (element.name) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'SIGNED';
    case 'text':
    case 'citext':
    case 'character varying':
    case 'character':
      return `CHAR(${element.params[0] !== undefined ? Math.min(element.params[0], 255) : ctx.options.arrayIndexCharLength})`;
    case 'uuid':
      return 'CHAR(36)';
    case 'date':
      return 'DATE';
    case 'timestamp':
    case 'timestamp with time zone':
      return 'DATETIME';
    case 'time':
      return 'TIME';
    default:
      return undefined;
  }
}

function defaultIndexName(table: string, keys: readonly IndexKey[], unique: boolean): string {
  const cols = keys.map((k) => k.column ?? 'expr').join('_');
  return `${table}_${cols}_${unique ? 'key' : 'idx'}`;
}

/** Lowers one PostgreSQL index to zero or one TiDB index, reporting everything it changes. */
export function lowerIndex(index: Index, input: TableIndexInput, tableName: string): TidbIndex | undefined {
  const { ctx, tableSubject: subject, columns } = input;
  const d = ctx.diagnostics;
  const span = index.span;
  const label = index.name ? `index ${index.name}` : `index on ${subject}(${index.keys.map((k) => k.column ?? 'expr').join(', ')})`;
  const at = { span, subject: tableObjectSubject('index', subject, index.name) };
  const method = index.method.toLowerCase();

  if (method === 'gin' || method === 'gist' || method === 'spgist') {
    return lowerSpecialIndex(index, input, tableName, method);
  }
  if (!BTREE_LIKE.has(method)) {
    d.add('index-dropped', { index: label, reason: 'method', method }, at);
    return undefined;
  }
  if (method !== 'btree') d.add('index-method', { index: label, method }, at);
  if (index.keys.some((k) => k.desc || k.nullsFirst)) d.add('index-order-ignored', { index: label }, at);
  const opclasses = index.keys.flatMap((k) => (k.opclass ? [k.opclass] : []));
  if (opclasses.length > 0) d.add('index-opclass', { index: label, opclasses }, at);
  if (index.keys.some((k) => k.collation)) d.add('index-opclass', { index: label }, at);
  if (index.nullsNotDistinct) d.add('nulls-not-distinct', { index: label }, at);

  const keys = [...index.keys];
  if (index.include.length > 0) {
    if (index.unique) d.add('index-include', { index: label, include: index.include, reason: 'unique' }, at);
    else {
      d.add('index-include', { index: label, include: index.include, reason: 'appended' }, at);
      for (const c of index.include) if (!keys.some((k) => k.column === c)) keys.push({ column: c });
    }
  }

  let where: string | undefined;
  let nativeWhere: string | undefined;
  if (index.where) {
    const pred = translateExpr(index.where, { columnType: (n) => input.pgTypes.get(n) });
    if (index.unique) {
      if (!pred.ok) {
        d.add('partial-index', { index: label, reason: 'unique-predicate-untranslatable', why: pred.reason }, at);
        return undefined;
      }
      where = pred.sql;
    } else if (pred.ok && targetHas(ctx.options, 'partialIndex') && keys.every((k) => k.column !== undefined) && simplePredicate(index.where, columns)) {
      nativeWhere = pred.sql;
      d.add('partial-index-kept', { index: label, reason: 'native', predicate: pred.sql }, at);
    } else {
      d.add('partial-index', { index: label, reason: 'full-index' }, { ...at, fix: 'TiDB v8.5.7+ (not Cloud Starter) supports simple partial indexes; otherwise the full index serves the same queries.' });
    }
  }

  const autoKey = keys.some((k) => k.column !== undefined && (columns.get(k.column)?.autoIncrement || columns.get(k.column)?.autoRandom));
  if (where !== undefined && (autoKey || referencesAutoIncrement(where, columns))) {
    d.add('partial-index', { index: label, reason: 'auto-increment-unique' }, at);
    return lowerIndex({ ...index, unique: false, where: undefined }, input, tableName);
  }
  const parts: { column: string; type: TidbType; prefix?: number }[] = [];
  // Expression parts by placeholder column: their SQL and key position.
  const exprParts = new Map<string, { sql: string; position: number }>();
  const derived: DerivedType[] = [];
  for (const [i, k] of keys.entries()) {
    if (k.column !== undefined) {
      const col = columns.get(k.column);
      if (!col) {
        d.add('index-dropped', { index: label, reason: 'missing-column', column: k.column }, at);
        return undefined;
      }
      if (NOT_INDEXABLE.has(col.type.base)) {
        d.add('index-dropped', { index: label, reason: 'unindexable-type', column: k.column, type: col.type.base }, { ...at, fix: 'Index a generated column that extracts the scalar you search by.' });
        return undefined;
      }
      if (where !== undefined) {
        const gen = generatedColumn(input, `${index.name ?? tableName}_${k.column}`, col.type, `(CASE WHEN ${where} THEN ${quoteIdent(k.column)} END)`, span);
        derived.push({ expr: { k: 'column', name: k.column }, column: gen.name });
        parts.push({ column: gen.name, type: gen.type });
      } else parts.push({ column: k.column, type: col.type });
      continue;
    }
    const expr = k.expr!;
    const bare = bareColumn(expr);
    if (bare && columns.has(bare.column) && where === undefined) {
      const col = columns.get(bare.column)!;
      const length = bare.length !== undefined && ['VARCHAR', 'CHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT'].includes(col.type.base) && (col.type.length ?? Infinity) > bare.length ? bare.length : undefined;
      if (length !== undefined) d.add('expression-index', { index: label, reason: 'prefix', column: bare.column, length }, at);
      parts.push(length !== undefined ? { column: bare.column, type: col.type, prefix: length } : { column: bare.column, type: col.type });
      continue;
    }
    const translated = translateExpr(expr, { columnType: (n) => input.pgTypes.get(n) });
    if (!translated.ok) {
      d.add('index-dropped', { index: label, reason: 'expression-untranslatable', why: translated.reason }, at);
      return undefined;
    }
    const listed = functionsIn(translated.sql).every((f) => EXPRESSION_INDEX_FUNCTIONS.has(f));
    // An allow-listed expression needs a target with GA expression indexes (features.ts).
    const oldTarget = listed && !targetHas(ctx.options, 'expressionIndex');
    const allowed = (listed && !oldTarget) || targetHas(ctx.options, 'expressionIndexAnyFunction');
    const resultType = expressionType(expr, columns, ctx);
    const returnsText = resultType && ['VARCHAR', 'CHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT'].includes(resultType.base);
    if (allowed && where === undefined && !(returnsText && resultType?.base !== 'VARCHAR' && resultType?.base !== 'CHAR')) {
      // JSON_UNQUOTE (also inside ->>'s JSON-null CASE) returns LONGTEXT, which TiDB cannot index (error 3757): cast it to a bounded string.
      const unquoted = /^(JSON_UNQUOTE\(|\(CASE WHEN JSON_TYPE\()/.test(translated.sql);
      const sql = unquoted ? `CAST(${translated.sql} AS CHAR(${ctx.options.textKeyLength}))` : translated.sql;
      exprParts.set(`\u0000expr${i}`, { sql, position: i });
      if (!unquoted && resultType) derived.push({ expr, part: i });
      parts.push({ column: `\u0000expr${i}`, type: unquoted ? { base: 'VARCHAR', length: ctx.options.textKeyLength } : resultType ?? { base: 'BIGINT' } });
      continue;
    }
    if (!resultType || NOT_INDEXABLE.has(resultType.base)) {
      if (oldTarget) d.add('target-feature', { reason: 'expression-index-dropped', feature: 'expressionIndex', ...featureTarget(ctx.options), index: label, expression: translated.sql }, at);
      else d.add('index-dropped', { index: label, reason: 'expression-not-allowed', expression: translated.sql }, at);
      return undefined;
    }
    const sql = where !== undefined ? `(CASE WHEN ${where} THEN ${translated.sql} END)` : translated.sql;
    const gen = generatedColumn(input, `${index.name ?? tableName}_expr${i + 1}`, resultType, sql, span);
    derived.push({ expr, column: gen.name });
    if (oldTarget && where === undefined) {
      d.add('target-feature', { reason: 'expression-index-generated', feature: 'expressionIndex', ...featureTarget(ctx.options), index: label, expression: translated.sql, column: gen.name }, at);
    } else if (!listed && ctx.options.cloudStarter === true) {
      d.add('expression-index', { index: label, reason: 'generated-column', expression: translated.sql, column: gen.name, lacks: targetLacks(ctx.options, 'expressionIndexAnyFunction') }, at);
    } else {
      d.add('expression-index', { index: label, reason: 'generated-column', expression: translated.sql, column: gen.name }, at);
    }
    parts.push({ column: gen.name, type: gen.type });
  }

  if (parts.length > MAX_KEY_COLUMNS) {
    d.add('index-dropped', { index: label, reason: 'too-many-columns', columns: parts.length, max: MAX_KEY_COLUMNS }, at);
    return undefined;
  }
  if (where !== undefined) d.add('partial-index-kept', { index: label, reason: 'generated-columns' }, at);

  // TiDB takes no prefix on an expression part and counts its whole width (a LOWER() of a VARCHAR(15097)
  // is "60388 bytes", measured): a string expression too wide for the key moves to a generated column.
  if (parts.reduce((n, p) => n + keyBytes(p.type, p.prefix), 0) > MAX_KEY_BYTES) {
    for (const [n, p] of parts.entries()) {
      const e = exprParts.get(p.column);
      if (!e || !BOUNDED_STRING.has(p.type.base)) continue;
      const gen = generatedColumn(input, `${index.name ?? tableName}_expr${e.position + 1}`, p.type, e.sql, span);
      d.add('expression-index', { index: label, reason: 'wide-prefix', expression: e.sql, column: gen.name }, at);
      exprParts.delete(p.column);
      parts[n] = { column: gen.name, type: gen.type };
      const moved = derived.findIndex((x) => 'part' in x && x.part === n);
      if (moved >= 0) derived[moved] = { expr: derived[moved]!.expr, column: gen.name };
    }
  }
  // Prefixes are chosen once, by the key-fitting pass, when foreign-key alignment has settled the column types.
  const finalParts: TidbKeyPart[] = parts.map((p) => {
    const e = exprParts.get(p.column);
    return e ? { expr: e.sql } : p.prefix !== undefined ? { column: p.column, length: p.prefix } : { column: p.column };
  });
  // TiDB names each expression part's hidden column after the index: the name must leave room for it.
  const exprPositions = finalParts.flatMap((p, i) => ('expr' in p ? [i] : []));
  const name = input.names.claim(index.name ?? defaultIndexName(tableName, index.keys, index.unique), { span: index.span, max: maxExpressionIndexName(exprPositions), reason: 'hidden-column-too-long' });
  const comment = checkedComment(ctx, index.comment, 1024, `index ${name} of ${subject}`, span, tableObjectSubject('index', subject, name));
  input.keys.set(name, { label, at, unique: index.unique, expressionTypes: parts.map((p) => (exprParts.has(p.column) ? p.type : undefined)), ...(derived.length > 0 ? { derived } : {}) });
  return {
    name,
    unique: index.unique,
    parts: finalParts,
    ...(comment !== undefined ? { comment } : {}),
    ...(nativeWhere !== undefined ? { where: nativeWhere } : {}),
    ...(span ? { span } : {}),
  };
}

const PARTIAL_OPS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);

/** One comparison TiDB's partial indexes accept: column op constant, IS [NOT] NULL, IN (constants). */
function simplePredicate(expr: Expr, columns: Map<string, TidbColumn>): boolean {
  const constant = (e: Expr): boolean => e.k === 'string' || e.k === 'number' || e.k === 'bool' || (e.k === 'cast' && constant(e.expr)) || (e.k === 'unary' && e.op === '-' && e.expr.k === 'number');
  const column = (e: Expr): boolean => (e.k === 'column' && columns.has(e.name)) || (e.k === 'cast' && column(e.expr));
  switch (expr.k) {
    case 'binary':
      return PARTIAL_OPS.has(expr.op) && ((column(expr.left) && constant(expr.right)) || (constant(expr.left) && column(expr.right)));
    case 'isnull':
      return column(expr.expr);
    case 'in':
      return !expr.not && column(expr.expr) && expr.list.length > 0 && expr.list.every(constant);
    default:
      return false;
  }
}

/** `col`, `(col)` or `col::varchar(n)`: a plain column key, with a prefix length for the cast. */
function bareColumn(e: Expr): { column: string; length?: number } | undefined {
  if (e.k === 'column' && !e.table) return { column: e.name };
  if (e.k === 'cast' && e.expr.k === 'column' && e.type.kind === 'scalar' && ['character varying', 'character', 'text'].includes(e.type.name)) {
    const length = e.type.params[0];
    return length !== undefined ? { column: e.expr.name, length } : { column: e.expr.name };
  }
  return undefined;
}

function referencesAutoIncrement(sql: string, columns: Map<string, TidbColumn>): boolean {
  for (const c of columns.values()) if ((c.autoIncrement || c.autoRandom) && sql.includes(quoteIdent(c.name))) return true;
  return false;
}

/** The VIRTUAL column an index reads an expression from: one per table and expression, shared by every index that needs it. */
function generatedColumn(input: TableIndexInput, wanted: string, type: TidbType, sql: string, span: SourceSpan | undefined): TidbColumn {
  for (const c of input.columns.values()) {
    if (c.origin.rule === 'index-generated-column' && c.generated?.sql === sql && !c.generated.stored && JSON.stringify(c.type) === JSON.stringify(type)) return c;
  }
  const name = input.columnNames.claim(wanted);
  const column: TidbColumn = {
    name,
    type,
    nullable: true,
    generated: { sql, stored: false },
    origin: { column: name, pgType: '(generated for an index)', rule: 'index-generated-column', ...(span ? { span } : {}) },
  };
  input.addColumn(column);
  input.columns.set(name, column);
  return column;
}

function lowerSpecialIndex(index: Index, input: TableIndexInput, tableName: string, method: string): TidbIndex | undefined {
  const { ctx } = input;
  const d = ctx.diagnostics;
  const label = index.name ? `index ${index.name}` : `${method} index on ${input.tableSubject}`;
  const at = { span: index.span, subject: tableObjectSubject('index', input.tableSubject, index.name) };
  const key = index.keys[0];
  if (method === 'gin' && index.keys.length === 1 && key?.column && !index.where) {
    const pgType = input.pgTypes.get(key.column);
    if (pgType?.kind === 'array') {
      const cast = arrayElementCast(pgType.element, ctx);
      if (cast && !targetHas(ctx.options, 'multiValuedIndex')) {
        d.add('target-feature', { reason: 'multi-valued-index', feature: 'multiValuedIndex', ...featureTarget(ctx.options), index: label, column: key.column, to: cast }, at);
        return undefined;
      }
      if (cast) {
        d.add('multi-valued-index', { index: label, column: key.column, cast }, at);
        return {
          name: input.names.claim(index.name ?? `${tableName}_${key.column}_mvi`, { span: index.span, max: maxExpressionIndexName([0]), reason: 'hidden-column-too-long' }),
          unique: false,
          parts: [{ expr: `CAST(${quoteIdent(key.column)}->'$' AS ${cast} ARRAY)` }],
          multiValued: true,
          ...(index.span ? { span: index.span } : {}),
        };
      }
      d.add('index-dropped', { index: label, reason: 'gin-array-element', column: key.column }, at);
      return undefined;
    }
    if (pgType?.kind === 'scalar' && (pgType.name === 'jsonb' || pgType.name === 'json')) {
      d.add('index-dropped', { index: label, reason: 'gin-json', column: key.column }, { ...at, fix: 'Add a multi-valued index per array path you query (CAST(col->\'$.path\' AS ... ARRAY)), or a generated column + index per scalar key.' });
      return undefined;
    }
  }
  const what = index.keys.map((k) => (k.opclass ? `${k.column ?? 'expr'} ${k.opclass}` : k.column ?? 'expression')).join(', ');
  const fts = /tsvector|trgm/.test(what) || index.keys.some((k) => k.expr && JSON.stringify(k.expr).includes('to_tsvector'));
  d.add('index-dropped', { index: label, reason: 'no-equivalent', method, keys: what }, {
    ...at,
    fix: fts ? 'Full-text search: FULLTEXT ... WITH PARSER on TiDB Cloud Starter (some regions), or an external search engine.' : 'Replace with a B-tree index on the columns you filter by, if any.',
  });
  return undefined;
}
