import type { TidbType } from '../../ir/tidb.js';
import { asUtf8, binaryCollated, sql, type RuleCall, type Sql } from './sql.js';
import { kindOf, T, textOf, type Kind } from './types.js';

/** A CONCAT operand: booleans spelled as PostgreSQL's cast spells them. */
const concatOperand = (x: Sql) => textOf(x) ?? asUtf8(x);
/** LIKE's left operand, compared case-sensitively as in PostgreSQL. */
const likeOperand = (x: Sql) => (kindOf(x.type) === 'text' ? binaryCollated(x) : x.sql);

export type OperatorRule = (l: Sql, r: Sql, call: RuleCall) => Sql;

const NUMERIC: readonly Kind[] = ['int', 'decimal', 'float'];
const isText = (s: Sql) => kindOf(s.type) === 'text';

function arithmeticType(l: Sql, r: Sql): TidbType | undefined {
  const kl = kindOf(l.type);
  const kr = kindOf(r.type);
  if (kl === 'int' && kr === 'int') return l.type?.base === 'BIGINT' || r.type?.base === 'BIGINT' ? T.bigint : T.int;
  if (kl === 'float' || kr === 'float') return T.double;
  if (NUMERIC.includes(kl) && NUMERIC.includes(kr)) return T.decimal;
  return undefined;
}

/** Integer type ranges (PostgreSQL's int2/int4/int8; TINYINT only appears as TiDB's own choice). */
const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  TINYINT: [-128n, 127n], SMALLINT: [-32768n, 32767n], INT: [-2147483648n, 2147483647n], BIGINT: [-9223372036854775808n, 9223372036854775807n],
};

/** The values an integer operand can take: a constant's own value, else its type's range (unknown: BIGINT's). */
function intRange(x: Sql): readonly [bigint, bigint] {
  if (/^-?\d+$/.test(x.sql)) return [BigInt(x.sql), BigInt(x.sql)];
  return INT_RANGE[x.type?.base ?? ''] ?? INT_RANGE.BIGINT!;
}

/**
 * Whether l op r can leave PostgreSQL's result type, the wider operand type (int2 + int2 is int2;
 * a constant is int4): PostgreSQL raises "integer out of range" there, TiDB computes in BIGINT.
 */
function mayOverflow(op: string, l: Sql, r: Sql): boolean {
  const [a, b] = intRange(l);
  const [c, d] = intRange(r);
  const corners = op === '+' ? [a + c, b + d] : op === '-' ? [a - d, b - c] : [a * c, a * d, b * c, b * d];
  const width = (x: Sql) => (/^-?\d+$/.test(x.sql) ? (intRange(x)[0] >= INT_RANGE.INT![0] && intRange(x)[0] <= INT_RANGE.INT![1] ? 'INT' : 'BIGINT') : x.type?.base === 'TINYINT' ? 'SMALLINT' : (x.type?.base ?? 'BIGINT'));
  const order = ['SMALLINT', 'INT', 'BIGINT'];
  const result = INT_RANGE[order[Math.max(order.indexOf(width(l)), order.indexOf(width(r)))] ?? 'BIGINT']!;
  return corners.some((v) => v < result[0] || v > result[1]);
}

const infix = (op: string, type?: (l: Sql, r: Sql) => TidbType | undefined): OperatorRule => (l, r, call) => {
  // Found by the differential harness: PostgreSQL raises "integer out of range" where TiDB computes in BIGINT.
  if (kindOf(l.type) === 'int' && kindOf(r.type) === 'int' && mayOverflow(op, l, r)) call.note('integer arithmetic that overflows its type is an error in PostgreSQL; TiDB computes it in BIGINT (or DECIMAL)');
  return sql(`(${l.sql} ${op} ${r.sql})`, type?.(l, r));
};
const compare = (op: string): OperatorRule => (l, r, call) => {
  if (isText(l) && isText(r)) call.note('text comparisons use the TiDB collation, not the PostgreSQL one (case, trailing spaces and ordering may differ)');
  return sql(`(${l.sql} ${op} ${r.sql})`, T.bool);
};
const regexp = (mode: 'c' | 'i', negate: boolean): OperatorRule => (l, r, call) => {
  call.note('regular expressions run in TiDB\'s ICU-compatible engine, not PostgreSQL\'s (POSIX ARE): classes such as [[:<:]] and back references differ');
  return sql(`${negate ? 'NOT ' : ''}REGEXP_LIKE(${l.sql}, ${r.sql}, '${mode}')`, T.bool);
};

/**
 * Binary operators by PostgreSQL name. `/` on two integers truncates in PostgreSQL (DIV in TiDB;
 * TiDB's `/` gives a decimal); `||` on text is CONCAT (NULL if either side is NULL, as in PostgreSQL).
 */
export const OPERATORS: Readonly<Record<string, OperatorRule>> = {
  '+': infix('+', arithmeticType),
  '-': infix('-', arithmeticType),
  '*': infix('*', arithmeticType),
  '/': (l, r, call) => {
    if (kindOf(l.type) === 'int' && kindOf(r.type) === 'int') return sql(`(${l.sql} DIV ${r.sql})`, arithmeticType(l, r));
    const float = kindOf(l.type) === 'float' || kindOf(r.type) === 'float';
    // Measured: 12.50 / 3 is 4.1666666666666667 in PostgreSQL, 4.166667 in TiDB.
    if (!float) call.note('decimal division keeps fewer digits in TiDB (the dividend\'s scale plus div_precision_increment, 4) than in PostgreSQL (at least 16 significant digits)');
    return sql(`(${l.sql} / ${r.sql})`, float ? T.double : T.decimal);
  },
  '%': (l, r) => sql(`MOD(${l.sql}, ${r.sql})`, arithmeticType(l, r)),
  '^': (l, r) => sql(`POWER(${l.sql}, ${r.sql})`, T.double),
  '=': compare('='), '<>': compare('<>'), '!=': compare('<>'), '<': compare('<'), '>': compare('>'), '<=': compare('<='), '>=': compare('>='),
  '||': (l, r, call) => {
    const kl = kindOf(l.type);
    const kr = kindOf(r.type);
    if (kl === 'json' || kr === 'json') return call.fail('|| on arrays or jsonb', 'TiDB has no operator that concatenates JSON arrays or merges objects with PostgreSQL\'s rules');
    return sql(`CONCAT(${concatOperand(l)}, ${concatOperand(r)})`, T.longtext, l.notNull === true && r.notNull === true);
  },
  '~': regexp('c', false), '~*': regexp('i', false), '!~': regexp('c', true), '!~*': regexp('i', true),
  '~~': (l, r) => sql(`(${likeOperand(l)} LIKE ${r.sql})`, T.bool),
  '!~~': (l, r) => sql(`(${likeOperand(l)} NOT LIKE ${r.sql})`, T.bool),
  // LOWER on both sides, then bytes: the ci collation would also equate accents, which ILIKE does not.
  '~~*': (l, r) => sql(`(LOWER(${asUtf8(l)}) COLLATE utf8mb4_bin LIKE LOWER(${r.sql}))`, T.bool),
  '!~~*': (l, r) => sql(`(LOWER(${asUtf8(l)}) COLLATE utf8mb4_bin NOT LIKE LOWER(${r.sql}))`, T.bool),
};

/** Prefix operators. */
export const PREFIX_OPERATORS: Readonly<Record<string, (x: Sql) => Sql>> = {
  '-': (x) => sql(`(-${x.sql})`, x.type),
  '+': (x) => x,
  '@': (x) => sql(`ABS(${x.sql})`, x.type),
};
