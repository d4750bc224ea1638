import type { ColumnType, Expr } from '../ir/types.js';
import { quoteIdent, quoteString } from '../sql/quote.js';
import { own } from '../util/own.js';

/** Result of translating a PostgreSQL expression to TiDB SQL. */
export type Translated = { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly reason: string };

class Untranslatable extends Error {}

const fail = (reason: string): never => {
  throw new Untranslatable(reason);
};

/** PostgreSQL functions with a direct TiDB counterpart: name -> TiDB name (same arguments). */
const FUNCTIONS: Record<string, string> = {
  lower: 'LOWER',
  upper: 'UPPER',
  length: 'CHAR_LENGTH',
  char_length: 'CHAR_LENGTH',
  character_length: 'CHAR_LENGTH',
  octet_length: 'LENGTH',
  abs: 'ABS',
  ceil: 'CEIL',
  ceiling: 'CEILING',
  floor: 'FLOOR',
  round: 'ROUND',
  trunc: 'TRUNCATE',
  mod: 'MOD',
  power: 'POWER',
  sqrt: 'SQRT',
  md5: 'MD5',
  reverse: 'REVERSE',
  left: 'LEFT',
  right: 'RIGHT',
  replace: 'REPLACE',
  concat: 'CONCAT',
  concat_ws: 'CONCAT_WS',
  btrim: 'TRIM',
  trim: 'TRIM',
  ltrim: 'LTRIM',
  rtrim: 'RTRIM',
  substr: 'SUBSTRING',
  substring: 'SUBSTRING',
  lpad: 'LPAD',
  rpad: 'RPAD',
  now: 'NOW',
  sign: 'SIGN',
  jsonb_array_length: 'JSON_LENGTH',
  json_array_length: 'JSON_LENGTH',
  cardinality: 'JSON_LENGTH',
  to_hex: 'HEX',
};

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);

const OPERATORS: Record<string, string> = {
  '=': '=', '<>': '<>', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=',
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%',
};

const CAST_TYPES: Partial<Record<string, (params: readonly number[]) => string>> = {
  smallint: () => 'SIGNED',
  integer: () => 'SIGNED',
  bigint: () => 'SIGNED',
  numeric: (p) => (p.length > 0 ? `DECIMAL(${p.join(',')})` : 'DECIMAL(65,30)'),
  real: () => 'FLOAT',
  'double precision': () => 'DOUBLE',
  text: () => 'CHAR',
  'character varying': (p) => (p[0] !== undefined ? `CHAR(${p[0]})` : 'CHAR'),
  character: (p) => `CHAR(${p[0] ?? 1})`,
  date: () => 'DATE',
  time: () => 'TIME',
  timestamp: () => 'DATETIME(6)',
  'timestamp with time zone': () => 'DATETIME(6)',
  json: () => 'JSON',
  jsonb: () => 'JSON',
};

/** Literal-preserving casts: `'x'::text`, `'a'::my_enum` are the literal itself in TiDB. */
const TRANSPARENT_LITERAL_CASTS = new Set(['text', 'character varying', 'character', 'name', 'citext', 'date', 'time', 'timestamp', 'timestamp with time zone', 'numeric', 'integer', 'bigint', 'smallint', 'real', 'double precision', 'uuid', 'boolean']);

export interface ExprContext {
  /** Column names as they will be emitted (after any renaming). */
  readonly column?: (name: string) => string;
  /** The domain VALUE placeholder resolves to this column. */
  readonly valueColumn?: string;
  /** PostgreSQL type of a column, so literals and operators are translated for their operand (issue 14). */
  readonly columnType?: (name: string) => ColumnType | undefined;
}

/** What an operand is, as far as translation cares: arrays and jsonb are both JSON in TiDB but read literals differently. */
type OperandKind = 'array' | 'json' | 'text' | 'bool' | 'number' | 'other';

const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'citext', 'name']);
const NUMBER_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

function typeKind(t: ColumnType | undefined): OperandKind {
  if (!t) return 'other';
  if (t.kind === 'array') return 'array';
  if (t.kind !== 'scalar') return 'other';
  if (t.name === 'json' || t.name === 'jsonb') return 'json';
  if (t.name === 'boolean') return 'bool';
  if (TEXT_TYPES.has(t.name)) return 'text';
  if (NUMBER_TYPES.has(t.name)) return 'number';
  return 'other';
}

function operandKind(e: Expr, ctx: ExprContext): OperandKind {
  switch (e.k) {
    case 'column':
      return typeKind(ctx.columnType?.(e.name));
    case 'cast':
      return typeKind(e.type);
    case 'array':
      return 'array';
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'binary':
      if (e.op === '->' || e.op === '#>') return 'json';
      if (e.op === '->>' || e.op === '#>>') return 'text';
      if (e.op === '||') {
        const l = operandKind(e.left, ctx);
        return l === 'array' || l === 'json' ? l : 'text';
      }
      return 'other';
    default:
      return 'other';
  }
}

/** Element type of an array column (for array literals: numbers stay numbers in the JSON array). */
function arrayElement(e: Expr, ctx: ExprContext): ColumnType | undefined {
  const t = e.k === 'column' ? ctx.columnType?.(e.name) : e.k === 'cast' ? e.type : undefined;
  return t?.kind === 'array' ? t.element : undefined;
}

/** A string literal (under any casts) standing for a value of the other operand's kind, translated as that kind. */
function typedLiteral(e: Expr, other: Expr, ctx: ExprContext): string | undefined {
  const s = stripCasts(e);
  if (s.k !== 'string') return undefined;
  const kind = operandKind(other, ctx);
  if (kind === 'array') {
    const items = parsePgArrayLiteral(s.value);
    if (items === undefined) return fail(`array literal '${s.value}' is not understood`);
    return jsonArraySql(items, typeKind(arrayElement(other, ctx)) === 'number');
  }
  if (kind === 'json') return `CAST(${quoteString(s.value)} AS JSON)`;
  return undefined;
}

export function translateExpr(expr: Expr, ctx: ExprContext = {}): Translated {
  try {
    return { ok: true, sql: emit(expr, ctx) };
  } catch (err) {
    if (err instanceof Untranslatable) return { ok: false, reason: err.message };
    throw err;
  }
}

function stripCasts(e: Expr): Expr {
  return e.k === 'cast' ? stripCasts(e.expr) : e;
}

function emit(e: Expr, ctx: ExprContext): string {
  switch (e.k) {
    case 'string':
      return quoteString(e.value);
    case 'number':
      return e.value;
    case 'bool':
      return e.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'column': {
      if (ctx.valueColumn && e.name === 'value' && !e.table) return quoteIdent(ctx.valueColumn);
      return quoteIdent(ctx.column ? ctx.column(e.name) : e.name);
    }
    case 'keyword':
      switch (e.name) {
        case 'CURRENT_TIMESTAMP':
        case 'LOCALTIMESTAMP':
          return e.precision !== undefined ? `CURRENT_TIMESTAMP(${e.precision})` : 'CURRENT_TIMESTAMP';
        case 'CURRENT_DATE':
          return 'CURRENT_DATE';
        case 'CURRENT_TIME':
        case 'LOCALTIME':
          return 'CURRENT_TIME';
        default:
          return fail(`${e.name} has no TiDB equivalent in this position`);
      }
    case 'func':
      return emitFunc(e, ctx);
    case 'cast':
      return emitCast(e.expr, e.type, ctx);
    case 'unary':
      if (e.op === '-' || e.op === '+') return `${e.op}${emit(e.expr, ctx)}`;
      return fail(`operator ${e.op} has no TiDB equivalent`);
    case 'binary':
      return emitBinary(e.op, e.left, e.right, ctx);
    case 'and':
    case 'or':
      return `(${e.args.map((a) => emit(a, ctx)).join(e.k === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${emit(e.expr, ctx)})`;
    case 'isnull':
      return `(${emit(e.expr, ctx)} IS ${e.not ? 'NOT ' : ''}NULL)`;
    case 'istrue':
      return `(${emit(e.expr, ctx)} IS ${e.not ? 'NOT ' : ''}${e.test.toUpperCase()})`;
    case 'in':
      return `(${emit(e.expr, ctx)} ${e.not ? 'NOT ' : ''}IN (${e.list.map((x) => emit(x, ctx)).join(', ')}))`;
    case 'between':
      return `(${emit(e.expr, ctx)} ${e.not ? 'NOT ' : ''}BETWEEN ${emit(e.low, ctx)} AND ${emit(e.high, ctx)})`;
    case 'like': {
      if (e.op === 'similar') return fail('SIMILAR TO has no TiDB equivalent');
      const left = e.op === 'ilike' ? `LOWER(${emit(e.expr, ctx)})` : emit(e.expr, ctx);
      const right = e.op === 'ilike' ? `LOWER(${emit(e.pattern, ctx)})` : emit(e.pattern, ctx);
      return `(${left} ${e.not ? 'NOT ' : ''}LIKE ${right})`;
    }
    case 'case': {
      const parts = ['CASE'];
      if (e.arg) parts.push(emit(e.arg, ctx));
      for (const w of e.whens) parts.push(`WHEN ${emit(w.when, ctx)} THEN ${emit(w.then, ctx)}`);
      if (e.else) parts.push(`ELSE ${emit(e.else, ctx)}`);
      parts.push('END');
      return `(${parts.join(' ')})`;
    }
    case 'coalesce':
      return `COALESCE(${e.args.map((a) => emit(a, ctx)).join(', ')})`;
    case 'greatest':
    case 'least':
      return `${e.k.toUpperCase()}(${e.args.map((a) => emit(a, ctx)).join(', ')})`;
    case 'nullif': {
      // NULLIF is not allowed in TiDB generated columns (tidb.md §4.4); CASE is.
      const [a, b] = e.args;
      const left = emit(a ?? { k: 'null' }, ctx);
      return `(CASE WHEN ${left} = ${emit(b ?? { k: 'null' }, ctx)} THEN NULL ELSE ${left} END)`;
    }
    case 'array':
      return `JSON_ARRAY(${e.elements.map((x) => emit(x, ctx)).join(', ')})`;
    case 'any': {
      const array = stripCasts(e.array);
      if (array.k === 'array' && !e.all && (e.op === '=' || e.op === '<>')) {
        const list = array.elements.map((x) => emit(x, ctx)).join(', ');
        return `(${emit(e.expr, ctx)} ${e.op === '<>' ? 'NOT ' : ''}IN (${list}))`;
      }
      if (!e.all && e.op === '=' && array.k === 'column') return `(${emit(e.expr, ctx)} MEMBER OF (${emit(array, ctx)}))`;
      return fail(`${e.op} ${e.all ? 'ALL' : 'ANY'} (...) has no TiDB equivalent here`);
    }
    case 'interval':
      return fail(`a bare interval '${e.value}' has no TiDB value`);
    case 'raw':
      return fail(`${e.text} has no TiDB translation`);
  }
}

function emitInterval(value: string): string {
  const m = /^\s*(-?\d+)\s*(microsecond|second|minute|hour|day|week|month|year)s?\s*$/i.exec(value);
  if (!m) return fail(`interval '${value}' has no TiDB form`);
  return `INTERVAL ${m[1]} ${m[2]!.toUpperCase()}`;
}

function emitFunc(e: Extract<Expr, { k: 'func' }>, ctx: ExprContext): string {
  const name = e.name.toLowerCase();
  if (e.schema && e.schema !== 'pg_catalog' && e.schema !== 'public') return fail(`function ${e.schema}.${e.name}() has no TiDB equivalent`);
  const args = () => e.args.map((a) => emit(a, ctx));
  if (name === 'date_part' || name === 'extract') {
    const field = e.args[0];
    if (field?.k !== 'string') return fail('date_part with a non-literal field');
    const unit = field.value.toUpperCase();
    if (!['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'QUARTER', 'WEEK', 'MICROSECOND'].includes(unit)) return fail(`date_part('${field.value}') has no TiDB equivalent`);
    return `EXTRACT(${unit} FROM ${emit(e.args[1] ?? { k: 'null' }, ctx)})`;
  }
  if (name === 'jsonb_typeof' || name === 'json_typeof') return `LOWER(JSON_TYPE(${args().join(', ')}))`;
  if (name === 'array_length') return `JSON_LENGTH(${emit(e.args[0] ?? { k: 'null' }, ctx)})`;
  if (name === 'timezone' || name === 'transaction_timestamp' || name === 'statement_timestamp' || name === 'clock_timestamp') {
    return fail(`${name}() has no TiDB equivalent in this position`);
  }
  const mapped = own(FUNCTIONS, name);
  if (!mapped) return fail(`function ${e.name}() has no TiDB equivalent`);
  if (e.star) return fail(`${e.name}(*) is not allowed here`);
  return `${mapped}(${args().join(', ')})`;
}

function emitCast(inner: Expr, type: ColumnType, ctx: ExprContext): string {
  const literal = inner.k === 'string' || inner.k === 'number' || inner.k === 'bool' || inner.k === 'null';
  if (type.kind === 'user' && literal) return emit(inner, ctx);
  if (type.kind === 'array') {
    const stripped = stripCasts(inner);
    if (stripped.k === 'array') return emit(stripped, ctx);
    if (stripped.k === 'string') return pgArrayLiteralToJson(stripped.value);
    return emit(inner, ctx);
  }
  if (type.kind !== 'scalar') return emit(inner, ctx);
  if (literal && TRANSPARENT_LITERAL_CASTS.has(type.name)) return emit(inner, ctx);
  if (type.name === 'boolean') return booleanCast(inner, ctx);
  if ((type.name === 'text' || type.name === 'character varying') && inner.k === 'cast') return emit(inner, ctx);
  if ((type.name === 'text' || type.name === 'character varying' || type.name === 'character') && inner.k === 'column') {
    // Casting an enum/varchar column to text is a no-op comparison in TiDB.
    return emit(inner, ctx);
  }
  const target = CAST_TYPES[type.name];
  if (!target) return fail(`cast to ${type.raw} has no TiDB equivalent`);
  if ((type.name === 'json' || type.name === 'jsonb') && inner.k === 'string') return `CAST(${emit(inner, ctx)} AS JSON)`;
  return `CAST(${emit(inner, ctx)} AS ${target(type.params)})`;
}

/** PostgreSQL's text spellings of a boolean (boolin; unique prefixes aside). */
const TRUE_TEXT = ['t', 'true', 'y', 'yes', 'on', '1'];
const FALSE_TEXT = ['f', 'false', 'n', 'no', 'off', '0'];

/** `x::boolean` by the kind of x: jsonb true/false (issue 13 item 10), boolean text, a number. */
function booleanCast(inner: Expr, ctx: ExprContext): string {
  const kind = operandKind(inner, ctx);
  const sql = emit(inner, ctx);
  switch (kind) {
    case 'bool':
      return sql;
    case 'json':
      // jsonb true/false cast; PostgreSQL refuses other JSON values, TiDB yields NULL for them.
      return `(CASE JSON_TYPE(${sql}) WHEN 'BOOLEAN' THEN JSON_UNQUOTE(${sql}) = 'true' END)`;
    case 'text': {
      const list = (xs: string[]) => xs.map(quoteString).join(', ');
      return `(CASE WHEN LOWER(TRIM(${sql})) IN (${list(TRUE_TEXT)}) THEN TRUE WHEN LOWER(TRIM(${sql})) IN (${list(FALSE_TEXT)}) THEN FALSE END)`;
    }
    case 'number':
      return `(${sql} <> 0)`;
    default:
      return fail('cast to boolean of this operand has no TiDB equivalent');
  }
}

/** `n * interval '1 unit'` as MySQL's `INTERVAL (n * 1) UNIT`, valid only beside + or -. */
function scaledInterval(e: Expr, ctx: ExprContext): string | undefined {
  if (e.k === 'interval') return emitInterval(e.value);
  if (e.k !== 'binary' || e.op !== '*') return undefined;
  const [iv, n] = e.right.k === 'interval' ? [e.right, e.left] : e.left.k === 'interval' ? [e.left, e.right] : [undefined, undefined];
  if (!iv || !n) return undefined;
  const m = /^\s*(-?\d+)\s*(microsecond|second|minute|hour|day|week|month|year)s?\s*$/i.exec(iv.value);
  if (!m) return fail(`interval '${iv.value}' has no TiDB form`);
  return `INTERVAL (${emit(n, ctx)} * ${m[1]}) ${m[2]!.toUpperCase()}`;
}

function emitBinary(op: string, left: Expr, right: Expr, ctx: ExprContext): string {
  if (op === '+' || op === '-') {
    // DATE_ADD, because TiDB's grammar rejects `expr + INTERVAL expr UNIT` in some positions.
    const interval = scaledInterval(right, ctx);
    if (interval) return `${op === '+' ? 'DATE_ADD' : 'DATE_SUB'}(${emit(left, ctx)}, ${interval})`;
  }
  if ((op === '*' && (left.k === 'interval' || right.k === 'interval')) || (op !== '+' && op !== '-' && (left.k === 'interval' || right.k === 'interval'))) {
    return fail('interval arithmetic outside date + interval has no TiDB form');
  }
  const mapped = own(OPERATORS, op);
  if (mapped && COMPARISONS.has(op)) {
    // A literal compared with an array or jsonb column is read as that type ('{}' is an empty array, not text).
    const l = typedLiteral(left, right, ctx);
    const r = typedLiteral(right, left, ctx);
    const arraySide = operandKind(left, ctx) === 'array' ? left : operandKind(right, ctx) === 'array' ? right : undefined;
    const literal = arraySide === left ? stripCasts(right) : stripCasts(left);
    if (arraySide && (op === '=' || op === '<>' || op === '!=') && literal.k === 'string' && parsePgArrayLiteral(literal.value)?.length === 0) {
      return `(JSON_LENGTH(${emit(arraySide, ctx)}) ${mapped} 0)`;
    }
    return `(${l ?? emit(left, ctx)} ${mapped} ${r ?? emit(right, ctx)})`;
  }
  if (mapped) return `(${emit(left, ctx)} ${mapped} ${emit(right, ctx)})`;
  switch (op) {
    case '||': {
      const kinds = [operandKind(left, ctx), operandKind(right, ctx)];
      if (kinds.includes('array') || kinds.includes('json')) return fail('|| on arrays or jsonb (concatenation/merge) has no TiDB translation here');
      // CONCAT is NULL when an argument is NULL, as text || text is in PostgreSQL.
      return `CONCAT(${emit(left, ctx)}, ${emit(right, ctx)})`;
    }
    case '~':
      return `(${emit(left, ctx)} REGEXP BINARY ${emit(right, ctx)})`;
    case '~*':
      return `(LOWER(${emit(left, ctx)}) REGEXP LOWER(${emit(right, ctx)}))`;
    case '!~':
      return `(${emit(left, ctx)} NOT REGEXP BINARY ${emit(right, ctx)})`;
    case '!~*':
      return `(LOWER(${emit(left, ctx)}) NOT REGEXP LOWER(${emit(right, ctx)}))`;
    case 'IS DISTINCT FROM':
      return `(NOT (${emit(left, ctx)} <=> ${emit(right, ctx)}))`;
    case 'IS NOT DISTINCT FROM':
      return `(${emit(left, ctx)} <=> ${emit(right, ctx)})`;
    // JSON_CONTAINS/JSON_OVERLAPS return integers, which TiDB refuses as a CHECK ("non-boolean type"): compared with 1.
    case '@>':
      return `(JSON_CONTAINS(${jsonOperand(left, right, ctx)}, ${jsonOperand(right, left, ctx)}) = 1)`;
    case '<@':
      return `(JSON_CONTAINS(${jsonOperand(right, left, ctx)}, ${jsonOperand(left, right, ctx)}) = 1)`;
    case '&&':
      return `(JSON_OVERLAPS(${jsonOperand(left, right, ctx)}, ${jsonOperand(right, left, ctx)}) = 1)`;
    case '->>':
      return jsonText(`JSON_EXTRACT(${emit(left, ctx)}, ${jsonPath(right)})`);
    case '->':
      return `JSON_EXTRACT(${emit(left, ctx)}, ${jsonPath(right)})`;
    case '#>>':
      return jsonText(`JSON_EXTRACT(${emit(left, ctx)}, ${jsonPathArray(right)})`);
    case '#>':
      return `JSON_EXTRACT(${emit(left, ctx)}, ${jsonPathArray(right)})`;
    case '?': {
      // jsonb ? 'k': a top-level key of an object, or a string element of an array (or the string itself).
      const key = stripCasts(right);
      if (key.k !== 'string') return fail('jsonb ? with a non-literal key has no TiDB translation');
      const doc = emit(left, ctx);
      return `(JSON_CONTAINS_PATH(${doc}, 'one', ${quoteString(`$.${JSON.stringify(key.value)}`)}) OR ${quoteString(key.value)} MEMBER OF (${doc}))`;
    }
    default:
      return fail(`operator ${op} has no TiDB equivalent`);
  }
}

/**
 * `->>`/`#>>`: the extracted value as text, a JSON null as SQL NULL as in PostgreSQL (TiDB's
 * JSON_UNQUOTE of a JSON null is the string 'null'; tidb-server: JSON_TYPE of it is 'NULL').
 */
export function jsonText(extracted: string): string {
  return `(CASE WHEN JSON_TYPE(${extracted}) = 'NULL' THEN NULL ELSE JSON_UNQUOTE(${extracted}) END)`;
}

/** An operand of @>, <@, &&: a literal is read as the other side's type (array literal or JSON text). */
function jsonOperand(e: Expr, other: Expr, ctx: ExprContext): string {
  const s = stripCasts(e);
  if (s.k === 'string' && (operandKind(other, ctx) === 'array' || (e.k === 'cast' && e.type.kind === 'array'))) {
    const items = parsePgArrayLiteral(s.value);
    if (items === undefined) return fail(`array literal '${s.value}' is not understood`);
    return jsonArraySql(items, typeKind(arrayElement(other, ctx) ?? (e.k === 'cast' && e.type.kind === 'array' ? e.type.element : undefined)) === 'number');
  }
  return emitJsonOperand(e, ctx);
}

/** `#>` / `#>>` path '{a,0,b}' as a JSON path ($."a"[0]."b"). */
function jsonPathArray(e: Expr): string {
  const s = stripCasts(e);
  const items = s.k === 'string' ? parsePgArrayLiteral(s.value) : undefined;
  if (!items || items.some((i) => typeof i !== 'string')) return fail('JSON path operand is not a literal text array');
  return quoteString('$' + (items as string[]).map((i) => (/^\d+$/.test(i) ? `[${i}]` : `.${JSON.stringify(i)}`)).join(''));
}

function emitJsonOperand(e: Expr, ctx: ExprContext): string {
  const s = stripCasts(e);
  if (s.k === 'string') return `CAST(${quoteString(s.value)} AS JSON)`;
  return emit(e, ctx);
}

function jsonPath(e: Expr): string {
  const s = stripCasts(e);
  if (s.k === 'string') return quoteString(`$.${JSON.stringify(s.value)}`);
  if (s.k === 'number') return quoteString(`$[${s.value}]`);
  return fail('JSON path operand is not a literal');
}

/** PostgreSQL array literal text ('{a,b,"c d"}') as a JSON_ARRAY(...) expression. */
export function pgArrayLiteralToJson(text: string): string {
  const items = parsePgArrayLiteral(text);
  if (items === undefined) return fail(`array literal '${text}' is not understood`);
  return jsonArraySql(items);
}

type PgArrayItem = string | null | PgArrayItem[];

function jsonArraySql(items: PgArrayItem[], numeric = false): string {
  const item = (i: PgArrayItem): string => (i === null ? 'NULL' : Array.isArray(i) ? jsonArraySql(i, numeric) : numeric && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(i) ? i : quoteString(i));
  return `JSON_ARRAY(${items.map(item).join(', ')})`;
}

export function parsePgArrayLiteral(text: string): PgArrayItem[] | undefined {
  let i = 0;
  const s = text.trim();
  const parseArray = (): PgArrayItem[] | undefined => {
    if (s[i] !== '{') return undefined;
    i++;
    const out: PgArrayItem[] = [];
    while (i < s.length) {
      while (s[i] === ' ') i++;
      if (s[i] === '}') {
        i++;
        return out;
      }
      if (s[i] === '{') {
        const sub = parseArray();
        if (!sub) return undefined;
        out.push(sub);
      } else if (s[i] === '"') {
        i++;
        let v = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\') i++;
          v += s[i] ?? '';
          i++;
        }
        i++;
        out.push(v);
      } else {
        let v = '';
        while (i < s.length && s[i] !== ',' && s[i] !== '}') v += s[i++];
        v = v.trim();
        out.push(v.toUpperCase() === 'NULL' ? null : v);
      }
      while (s[i] === ' ') i++;
      if (s[i] === ',') i++;
    }
    return undefined;
  };
  const result = parseArray();
  return result && i === s.length ? result : undefined;
}
