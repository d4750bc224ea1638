import type { TidbColumn, TidbType } from '../ir/tidb.js';
import type { Expr } from '../ir/types.js';
import type { TransformContext } from './context.js';
import { TIDB_LIMITS } from './limits.js';

/**
 * A best-effort result type for an index expression, so that it can live in a generated column (or
 * count in a key). Undefined when unknown. Re-derived after foreign-key alignment changed an operand's
 * type (passes/expression-types.ts).
 */
export function expressionType(expr: Expr, columns: ReadonlyMap<string, TidbColumn>, ctx: TransformContext): TidbType | undefined {
  switch (expr.k) {
    case 'column':
      return columns.get(expr.name)?.type;
    case 'cast': {
      if (expr.type.kind !== 'scalar') return undefined;
      const t = expr.type;
      if (t.name === 'date') return { base: 'DATE' };
      if (t.name === 'text' || t.name === 'character varying') return { base: 'VARCHAR', length: t.params[0] ?? ctx.options.textKeyLength };
      if (t.name === 'integer') return { base: 'INT' };
      if (t.name === 'bigint') return { base: 'BIGINT' };
      if (t.name === 'numeric' && t.params.length > 0) return { base: 'DECIMAL', precision: t.params[0]!, scale: t.params[1] ?? 0 };
      return undefined;
    }
    case 'func': {
      const rule = Object.hasOwn(FUNCTION_RESULTS, expr.name.toLowerCase()) ? FUNCTION_RESULTS[expr.name.toLowerCase()] : undefined;
      return rule?.(expr.args, { type: (e) => expressionType(e, columns, ctx), chars: (e) => printedChars(e, columns, ctx) });
    }
    case 'coalesce':
    case 'greatest':
    case 'least':
      return firstTyped(expr.args, (e) => expressionType(e, columns, ctx));
    case 'binary':
      if (expr.op === '||') return stringOf(printedChars(expr, columns, ctx));
      if (['=', '<>', '<', '>', '<=', '>='].includes(expr.op)) return { base: 'BOOLEAN' };
      return expressionType(expr.left, columns, ctx);
    case 'and':
    case 'or':
    case 'not':
    case 'isnull':
      return { base: 'BOOLEAN' };
    default:
      return undefined;
  }
}

interface Operands {
  readonly type: (e: Expr) => TidbType | undefined;
  /** The most characters the operand prints as (Infinity when unbounded or unknown). */
  readonly chars: (e: Expr) => number;
}

type ResultRule = (args: readonly Expr[], of: Operands) => TidbType | undefined;

const firstTyped = (args: readonly Expr[], type: (e: Expr) => TidbType | undefined): TidbType | undefined => {
  for (const a of args) {
    const t = type(a);
    if (t) return t;
  }
  return undefined;
};
/** The string argument's type: the result is never longer (lower, trim, substr, left, ...). */
const ofString: ResultRule = (args, of) => (args[0] ? of.type(args[0]) : undefined);
const literalInt = (e: Expr | undefined): number | undefined => (e?.k === 'number' && /^\d+$/.test(e.value) ? Number(e.value) : undefined);
const literalChars = (e: Expr | undefined): number | undefined => (e?.k === 'string' ? [...e.value].length : undefined);

/**
 * Result types of functions by name (PostgreSQL's names, lower case), from their arguments: text
 * functions keep their string argument's type when the result cannot be longer, and are as long as
 * their bound when it can (concat, lpad, repeat, replace).
 */
const FUNCTION_RESULTS: Readonly<Record<string, ResultRule>> = {
  lower: ofString,
  upper: ofString,
  initcap: ofString,
  btrim: ofString,
  trim: ofString,
  ltrim: ofString,
  rtrim: ofString,
  reverse: ofString,
  substr: ofString,
  substring: ofString,
  left: ofString,
  right: ofString,
  coalesce: (args, of) => firstTyped(args, of.type),
  greatest: (args, of) => firstTyped(args, of.type),
  least: (args, of) => firstTyped(args, of.type),
  abs: (args, of) => firstTyped(args, of.type),
  concat: (args, of) => stringOf(args.reduce((n, a) => n + (a.k === 'null' ? 0 : of.chars(a)), 0)),
  concat_ws: (args, of) => stringOf(args.slice(1).reduce((n, a) => n + (a.k === 'null' ? 0 : of.chars(a)), 0) + Math.max(0, args.length - 2) * (args[0] ? of.chars(args[0]) : 0)),
  lpad: (args) => (literalInt(args[1]) !== undefined ? stringOf(literalInt(args[1])!) : undefined),
  rpad: (args) => (literalInt(args[1]) !== undefined ? stringOf(literalInt(args[1])!) : undefined),
  repeat: (args, of) => (args[0] && literalInt(args[1]) !== undefined ? stringOf(of.chars(args[0]) * literalInt(args[1])!) : undefined),
  // Each match of `from` (at most length / |from| of them) becomes `to`.
  replace: (args, of) => {
    const n = args[0] ? of.chars(args[0]) : Number.POSITIVE_INFINITY;
    const from = literalChars(args[1]);
    const to = literalChars(args[2]);
    if (from === undefined || to === undefined || from === 0) return stringOf(Number.POSITIVE_INFINITY);
    return to <= from ? ofString(args, of) ?? stringOf(n) : stringOf(n + Math.floor(n / from) * (to - from));
  },
  md5: () => ({ base: 'VARCHAR', length: 32 }),
  date: () => ({ base: 'DATE' }),
  date_part: () => ({ base: 'INT' }),
  length: () => ({ base: 'INT' }),
  char_length: () => ({ base: 'INT' }),
  character_length: () => ({ base: 'INT' }),
  octet_length: () => ({ base: 'INT' }),
  strpos: () => ({ base: 'INT' }),
};

/**
 * Characters a value of each type prints as, for `||` (CONCAT) operands: the longest text a non-string
 * operand becomes (BIGINT -9223372036854775808, DATETIME(6) with its fraction, DECIMAL with sign and point).
 */
const PRINTED_CHARS: Partial<Record<TidbType['base'], (t: TidbType) => number>> = {
  BOOLEAN: () => 1,
  TINYINT: () => 4,
  SMALLINT: () => 6,
  INT: () => 11,
  BIGINT: () => 20,
  DECIMAL: (t) => (t.precision ?? 10) + 2,
  DATE: () => 10,
  TIME: () => 17,
  DATETIME: () => 26,
  TIMESTAMP: () => 26,
  YEAR: () => 4,
  CHAR: (t) => t.length ?? 1,
  VARCHAR: (t) => t.length ?? Number.POSITIVE_INFINITY,
  ENUM: (t) => Math.max(1, ...(t.values ?? []).map((v) => [...v].length)),
};

function printedChars(e: Expr, columns: ReadonlyMap<string, TidbColumn>, ctx: TransformContext): number {
  if (e.k === 'string') return [...e.value].length;
  if (e.k === 'number') return e.value.length;
  if (e.k === 'binary' && e.op === '||') return printedChars(e.left, columns, ctx) + printedChars(e.right, columns, ctx);
  const t = expressionType(e, columns, ctx);
  return t ? PRINTED_CHARS[t.base]?.(t) ?? Number.POSITIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/**
 * A string of at most `chars` characters: a VARCHAR while it stays within TiDB's VARCHAR limit, TEXT
 * otherwise or when an operand is unbounded (TEXT, JSON) or of unknown type. `a || b` holds as many
 * characters as its operands together: a fixed VARCHAR(textKeyLength) refused longer values on insert (error 1406).
 */
function stringOf(chars: number): TidbType {
  return chars <= TIDB_LIMITS.varcharChars ? { base: 'VARCHAR', length: Math.max(1, chars) } : { base: 'TEXT' };
}
