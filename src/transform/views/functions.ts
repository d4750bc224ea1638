import type { TidbType } from '../../ir/tidb.js';
import { quoteString } from '../../sql/quote.js';
import { asUtf8, binaryCollated, sql, type RuleCall, type Sql } from './sql.js';
import { toChar } from './to-char.js';
import { kindOf, T, textOf } from './types.js';

/** The string position() and strpos() search, matched case-sensitively as in PostgreSQL. */
const haystack = (x: Sql) => (kindOf(x.type) === 'text' ? binaryCollated(x) : x.sql);
/** A concat()/concat_ws() argument: booleans as PostgreSQL's output function spells them. */
const concatArg = (x: Sql) => textOf(x, 'output') ?? asUtf8(x);

/** A scalar function: its TiDB SQL from the translated arguments (the raw constant text where one is needed). */
export type FunctionRule = (args: readonly Sql[], call: RuleCall & { readonly constant: (i: number) => string | undefined }) => Sql;

const same = (name: string, type?: (args: readonly Sql[]) => TidbType | undefined): FunctionRule => (args) => sql(`${name}(${args.map((a) => a.sql).join(', ')})`, type?.(args));
const firstType = (args: readonly Sql[]) => args[0]?.type;
const text = () => T.longtext;
const arity = (rule: FunctionRule, ...counts: number[]): FunctionRule => (args, call) => (counts.includes(args.length) ? rule(args, call) : call.fail(`function with ${args.length} arguments`, `TiDB's form takes ${counts.join(' or ')}`));

/** date_trunc units → the DATE_FORMAT pattern that keeps the fields above the unit. */
const TRUNC_FORMATS: Readonly<Record<string, string>> = {
  year: '%Y-01-01 00:00:00', month: '%Y-%m-01 00:00:00', day: '%Y-%m-%d 00:00:00',
  hour: '%Y-%m-%d %H:00:00', minute: '%Y-%m-%d %H:%i:00', second: '%Y-%m-%d %H:%i:%s',
};

/** extract/date_part fields → TiDB SQL over the argument. */
const EXTRACT_FIELDS: Readonly<Record<string, (x: string) => string>> = {
  year: (x) => `EXTRACT(YEAR FROM ${x})`, month: (x) => `EXTRACT(MONTH FROM ${x})`, day: (x) => `EXTRACT(DAY FROM ${x})`,
  hour: (x) => `EXTRACT(HOUR FROM ${x})`, minute: (x) => `EXTRACT(MINUTE FROM ${x})`,
  quarter: (x) => `QUARTER(${x})`, week: (x) => `WEEK(${x}, 3)`, isoyear: (x) => `FLOOR(YEARWEEK(${x}, 3) / 100)`,
  // PostgreSQL: Sunday 0 ... Saturday 6; isodow Monday 1 ... Sunday 7. DAYOFWEEK: Sunday 1.
  dow: (x) => `(DAYOFWEEK(${x}) - 1)`, isodow: (x) => `WEEKDAY(${x}) + 1`, doy: (x) => `DAYOFYEAR(${x})`,
  // PostgreSQL's second keeps the fraction.
  second: (x) => `(EXTRACT(SECOND FROM ${x}) + EXTRACT(MICROSECOND FROM ${x}) / 1000000)`,
  epoch: (x) => `UNIX_TIMESTAMP(${x})`,
};

function extract(field: string | undefined, args: readonly Sql[], call: RuleCall): Sql {
  const f = EXTRACT_FIELDS[(field ?? '').toLowerCase()];
  if (!f) return call.fail(`extract(${field ?? '?'} ...)`, 'the field is not one TiDB can compute');
  if ((field ?? '').toLowerCase() === 'epoch') call.note('extract(epoch ...) reads the value in the TiDB session time zone (PostgreSQL: UTC for timestamptz, as written for timestamp)');
  return sql(f(args[1]!.sql), T.decimal);
}

/**
 * Scalar functions by PostgreSQL name (pg_catalog). Missing names are reported with the name.
 * PostgreSQL semantics kept on purpose: concat() skips NULLs (CONCAT_WS('', ...)), log(x) is base 10,
 * length() counts characters.
 */
export const FUNCTIONS: Readonly<Record<string, FunctionRule>> = {
  lower: same('LOWER', text), upper: same('UPPER', text),
  length: arity(same('CHAR_LENGTH', () => T.int), 1), char_length: same('CHAR_LENGTH', () => T.int), character_length: same('CHAR_LENGTH', () => T.int),
  octet_length: same('OCTET_LENGTH', () => T.int),
  substring: arity(same('SUBSTRING', text), 2, 3), substr: arity(same('SUBSTRING', text), 2, 3),
  btrim: arity(same('TRIM', text), 1), ltrim: arity(same('LTRIM', text), 1), rtrim: arity(same('RTRIM', text), 1),
  replace: same('REPLACE', text), left: same('LEFT', text), right: same('RIGHT', text),
  lpad: same('LPAD', text), rpad: same('RPAD', text), repeat: same('REPEAT', text), reverse: same('REVERSE', text),
  strpos: arity((a) => sql(`LOCATE(${a[1]!.sql}, ${haystack(a[0]!)})`, T.int), 2),
  position: arity((a) => sql(`LOCATE(${a[1]!.sql}, ${haystack(a[0]!)})`, T.int), 2),
  md5: same('MD5', text),
  concat: (a) => sql(`CONCAT_WS('', ${a.map(concatArg).join(', ')})`, T.longtext, true),
  concat_ws: (a) => sql(`CONCAT_WS(${a.map(concatArg).join(', ')})`, T.longtext),
  abs: same('ABS', firstType), ceil: same('CEIL', firstType), ceiling: same('CEIL', firstType), floor: same('FLOOR', firstType),
  round: arity(same('ROUND', firstType), 1, 2), trunc: arity((a) => sql(`TRUNCATE(${a[0]!.sql}, ${a[1]?.sql ?? '0'})`, a[0]!.type), 1, 2),
  mod: same('MOD', firstType), power: same('POWER', () => T.double), sqrt: same('SQRT', () => T.double), exp: same('EXP', () => T.double),
  ln: same('LN', () => T.double), log: arity((a) => (a.length === 1 ? sql(`LOG10(${a[0]!.sql})`, T.double) : sql(`LOG(${a[0]!.sql}, ${a[1]!.sql})`, T.double)), 1, 2),
  sign: same('SIGN', firstType), pi: same('PI', () => T.double),
  random: (a, call) => (a.length === 0 ? sql('RAND()', T.double) : call.fail('random() with arguments', 'TiDB has no such form')),
  now: (a, call) => (a.length === 0 ? sql('NOW(6)', T.datetime, true) : call.fail('now() with arguments', 'TiDB has no such form')),
  statement_timestamp: () => sql('NOW(6)', T.datetime, true),
  transaction_timestamp: () => sql('NOW(6)', T.datetime, true),
  clock_timestamp: () => sql('SYSDATE(6)', T.datetime, true),
  date_trunc: (a, call) => {
    const unit = (call.constant(0) ?? '').toLowerCase();
    const format = TRUNC_FORMATS[unit];
    if (!format || a.length !== 2) return call.fail(`date_trunc('${unit}', ...)`, 'only year, month, day, hour, minute and second units are translated');
    return sql(`CAST(DATE_FORMAT(${a[1]!.sql}, ${quoteString(format)}) AS DATETIME)`, { base: 'DATETIME' });
  },
  extract: (a, call) => extract(call.constant(0), a, call),
  date_part: (a, call) => extract(call.constant(0), a, call),
  json_build_object: same('JSON_OBJECT', () => T.json), jsonb_build_object: same('JSON_OBJECT', () => T.json),
  json_build_array: same('JSON_ARRAY', () => T.json), jsonb_build_array: same('JSON_ARRAY', () => T.json),
  to_json: arity((a) => sql(kindOf(a[0]!.type) === 'json' ? a[0]!.sql : `JSON_EXTRACT(JSON_ARRAY(${a[0]!.sql}), '$[0]')`, T.json), 1),
  to_jsonb: arity((a) => sql(kindOf(a[0]!.type) === 'json' ? a[0]!.sql : `JSON_EXTRACT(JSON_ARRAY(${a[0]!.sql}), '$[0]')`, T.json), 1),
  nullif: same('NULLIF', firstType),
  to_char: toChar,
};

/** An aggregate: how its translated argument becomes TiDB SQL (`distinct` already applied to the text). */
export interface AggregateRule {
  readonly sql: string;
  readonly type?: (args: readonly Sql[]) => TidbType | undefined;
  /** count(): never NULL. */
  readonly notNull?: boolean;
  /** Takes an ORDER BY inside the call (only GROUP_CONCAT in TiDB). */
  readonly ordered?: boolean;
  /** Aggregates NULL inputs too, so FILTER cannot become CASE (the CASE's NULLs would count). */
  readonly keepsNulls?: boolean;
}

const numericAgg = (args: readonly Sql[]) => (kindOf(args[0]?.type) === 'int' ? T.decimal : args[0]?.type);

export const AGGREGATES: Readonly<Record<string, AggregateRule>> = {
  count: { sql: 'COUNT', type: () => T.bigint, notNull: true },
  sum: { sql: 'SUM', type: numericAgg },
  avg: { sql: 'AVG', type: () => T.decimal },
  min: { sql: 'MIN', type: firstType },
  max: { sql: 'MAX', type: firstType },
  // TiDB booleans are 0/1: the minimum is AND, the maximum OR (NULLs ignored in both engines).
  bool_and: { sql: 'MIN', type: () => T.bool },
  bool_or: { sql: 'MAX', type: () => T.bool },
  every: { sql: 'MIN', type: () => T.bool },
  stddev: { sql: 'STDDEV_SAMP', type: () => T.double }, stddev_samp: { sql: 'STDDEV_SAMP', type: () => T.double }, stddev_pop: { sql: 'STDDEV_POP', type: () => T.double },
  variance: { sql: 'VAR_SAMP', type: () => T.double }, var_samp: { sql: 'VAR_SAMP', type: () => T.double }, var_pop: { sql: 'VAR_POP', type: () => T.double },
  bit_and: { sql: 'BIT_AND', type: firstType }, bit_or: { sql: 'BIT_OR', type: firstType },
  string_agg: { sql: 'GROUP_CONCAT', type: text, ordered: true },
  array_agg: { sql: 'JSON_ARRAYAGG', type: () => T.json, keepsNulls: true },
  json_agg: { sql: 'JSON_ARRAYAGG', type: () => T.json, keepsNulls: true },
  jsonb_agg: { sql: 'JSON_ARRAYAGG', type: () => T.json, keepsNulls: true },
  json_object_agg: { sql: 'JSON_OBJECTAGG', type: () => T.json, keepsNulls: true },
  jsonb_object_agg: { sql: 'JSON_OBJECTAGG', type: () => T.json, keepsNulls: true },
};

/** Window-only functions TiDB has with PostgreSQL's meaning. */
export const WINDOW_FUNCTIONS: Readonly<Record<string, { readonly sql: string; readonly type?: (args: readonly Sql[]) => TidbType | undefined }>> = {
  row_number: { sql: 'ROW_NUMBER', type: () => T.bigint }, rank: { sql: 'RANK', type: () => T.bigint }, dense_rank: { sql: 'DENSE_RANK', type: () => T.bigint },
  percent_rank: { sql: 'PERCENT_RANK', type: () => T.double }, cume_dist: { sql: 'CUME_DIST', type: () => T.double }, ntile: { sql: 'NTILE', type: () => T.bigint },
  lag: { sql: 'LAG', type: firstType }, lead: { sql: 'LEAD', type: firstType },
  first_value: { sql: 'FIRST_VALUE', type: firstType }, last_value: { sql: 'LAST_VALUE', type: firstType }, nth_value: { sql: 'NTH_VALUE', type: firstType },
};
