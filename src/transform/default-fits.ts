import type { TidbBaseType, TidbType } from '../ir/tidb.js';

/**
 * Can TiDB store this literal default in this type? Used after a type changed under a column
 * (FK alignment): TiDB refuses `CREATE TABLE` with an out-of-range default (error 1067 "Invalid default value").
 * Only answers "no" when sure; literals it does not understand pass.
 */

/** Signed ranges; UNSIGNED is [0, 2 * max + 1] (MySQL 8 integer types, which TiDB follows). */
const INTEGER_MAX: Partial<Record<TidbBaseType, bigint>> = {
  TINYINT: 127n,
  SMALLINT: 32767n,
  INT: 2147483647n,
  BIGINT: 9223372036854775807n,
};

/** Character length for CHAR/VARCHAR; byte length for BINARY/VARBINARY. */
const LENGTH_UNIT: Partial<Record<TidbBaseType, 'chars' | 'bytes'>> = {
  CHAR: 'chars',
  VARCHAR: 'chars',
  BINARY: 'bytes',
  VARBINARY: 'bytes',
};

const NUMBER = /^[+-]?(\d+)(?:\.(\d*))?$/;

/** The text of a literal: a quoted string unescaped, anything else as written. */
function literalText(sql: string): string {
  const s = sql.trim();
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1');
  return s;
}

export function defaultFits(sql: string, type: TidbType): boolean {
  if (/^null$/i.test(sql.trim())) return true;
  const text = literalText(sql);
  const unit = LENGTH_UNIT[type.base];
  if (unit) {
    if (type.length === undefined) return true;
    const length = unit === 'chars' ? [...text].length : Buffer.byteLength(text, 'utf8');
    return length <= type.length;
  }
  const max = INTEGER_MAX[type.base];
  if (max !== undefined) {
    const m = NUMBER.exec(text.trim());
    if (!m) return true;
    // A fraction is rounded to the nearest integer before the range check (MySQL rounds on store).
    let value = BigInt(m[1]!) + (m[2] && Number(m[2][0]) >= 5 ? 1n : 0n);
    if (text.trim().startsWith('-')) value = -value;
    return type.unsigned ? value >= 0n && value <= 2n * max + 1n : value >= -max - 1n && value <= max;
  }
  // Only "no" when sure: a case-insensitive collation matches members ignoring case and trailing spaces.
  if (type.base === 'ENUM' && type.values) return type.values.some((v) => v.trimEnd().toLowerCase() === text.trimEnd().toLowerCase());
  if (type.base === 'DECIMAL' && type.precision !== undefined) {
    const m = NUMBER.exec(text.trim());
    if (!m) return true;
    const scale = type.scale ?? 0;
    const fraction = m[2] ?? '';
    // Extra fraction digits are rounded, which can carry into the integer part (9.995 in DECIMAL(3,2) is 10.00).
    let whole = BigInt(m[1]!);
    const kept = fraction.slice(0, scale);
    if (fraction.length > scale && Number(fraction[scale]) >= 5 && /^9*$/.test(kept)) whole += 1n;
    if (text.trim().startsWith('-') && type.unsigned && (whole > 0n || /[1-9]/.test(fraction))) return false;
    return (whole === 0n ? 0 : whole.toString().length) <= type.precision - scale;
  }
  return true;
}
