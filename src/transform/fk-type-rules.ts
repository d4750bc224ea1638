import type { TidbBaseType, TidbColumn, TidbType } from '../ir/tidb.js';

/**
 * The one type a group of columns joined by foreign keys takes (the connected component, through
 * composite keys position by position), one rule per type family. What tidb-server v8.5 refuses
 * with 3780 (measured): different base types (INT/BIGINT, CHAR/VARCHAR, BINARY/VARBINARY,
 * DATETIME/TIMESTAMP), different signs, different charset or collation. What it accepts: string
 * lengths that differ (MySQL's documented rule, tidb.md §4.1), so a declared length is kept.
 * DECIMALs of different precision or scale are accepted but the check is wrong: DECIMAL(12,2) 12.34
 * is refused against a DECIMAL(10,2) parent holding 12.34 (measured), so they take one type.
 */
export type FkFamily = 'integer' | 'decimal' | 'temporal' | 'string' | 'other';

export const FK_FAMILY: Partial<Record<TidbBaseType, FkFamily>> = {
  TINYINT: 'integer',
  SMALLINT: 'integer',
  INT: 'integer',
  BIGINT: 'integer',
  DECIMAL: 'decimal',
  DATETIME: 'temporal',
  TIMESTAMP: 'temporal',
  TIME: 'temporal',
  CHAR: 'string',
  VARCHAR: 'string',
  BINARY: 'string',
  VARBINARY: 'string',
};

const INTEGER_RANK: Readonly<Partial<Record<TidbBaseType, number>>> = { TINYINT: 1, SMALLINT: 2, INT: 4, BIGINT: 5 };

/** TiDB's DECIMAL limits (tidb.md §2: precision 65, scale 30) and its default precision. */
const DECIMAL_MAX_PRECISION = 65;
const DECIMAL_MAX_SCALE = 30;
const DECIMAL_DEFAULT_PRECISION = 10;

export interface FkGroupRule {
  /** The group's type, from its members' types; `root` is the referenced column the others point at. */
  readonly decide: (members: readonly TidbColumn[], root: TidbColumn) => TidbType;
  /** A member's new type under the group's (a string keeps its own declared length). */
  readonly apply: (own: TidbColumn, decided: TidbType) => TidbType;
}

const sameSign = (members: readonly TidbColumn[]) => members.every((m) => !!m.type.unsigned === !!members[0]!.type.unsigned);
const whole = (_own: TidbColumn, decided: TidbType) => decided;

export const FK_GROUP_RULES: Readonly<Record<FkFamily, FkGroupRule>> = {
  // Widening an integer loses nothing; mixed signs cannot both be held by one type, so the parent's.
  integer: {
    decide: (members, root) => (sameSign(members) ? members.reduce((w, m) => (INTEGER_RANK[m.type.base]! > INTEGER_RANK[w.base]! ? m.type : w), root.type) : root.type),
    apply: whole,
  },
  // The most integer digits and the most fraction digits of any member: holds every member's values.
  decimal: {
    decide: (members, root) => {
      if (!sameSign(members)) return root.type;
      const digits = Math.max(...members.map((m) => (m.type.precision ?? DECIMAL_DEFAULT_PRECISION) - (m.type.scale ?? 0)));
      const scale = Math.min(DECIMAL_MAX_SCALE, Math.max(...members.map((m) => m.type.scale ?? 0)), DECIMAL_MAX_PRECISION - digits);
      return { ...root.type, precision: Math.min(DECIMAL_MAX_PRECISION, digits + scale), scale };
    },
    apply: whole,
  },
  // The parent's base (DATETIME and TIMESTAMP do not mix) at the finest fractional seconds of the group.
  temporal: {
    decide: (members, root) => {
      const fsp = Math.max(...members.filter((m) => m.type.base === root.type.base).map((m) => m.type.fsp ?? 0));
      const { fsp: _fsp, ...rest } = root.type;
      return fsp > 0 ? { ...rest, fsp } : rest;
    },
    apply: whole,
  },
  // The parent's base, charset and collation; a length pg2tidb chose is the parent's, a declared one is kept.
  string: {
    decide: (_members, root) => root.type,
    apply: (own, decided) => {
      const { charset: _c, collation: _l, ...rest } = own.type;
      const length = own.origin.lengthChosen || own.type.base !== decided.base ? decided.length : own.type.length;
      return { ...rest, base: decided.base, ...(length !== undefined ? { length } : {}), ...(decided.charset ? { charset: decided.charset } : {}), ...(decided.collation ? { collation: decided.collation } : {}) };
    },
  },
  // ENUM, BIT, mixed families: the parent's type as it is.
  other: { decide: (_members, root) => root.type, apply: whole },
};

/** The family a group's rule comes from: one family for all members, else `other`. */
export function groupFamily(members: readonly TidbColumn[]): FkFamily {
  const families = new Set(members.map((m) => FK_FAMILY[m.type.base] ?? 'other'));
  return families.size === 1 ? [...families][0]! : 'other';
}

/** Types equal as TiDB compares them (a missing fsp is 0). */
export function sameFkType(a: TidbType, b: TidbType): boolean {
  return a.base === b.base && a.length === b.length && a.precision === b.precision && a.scale === b.scale && !!a.unsigned === !!b.unsigned && a.charset === b.charset && a.collation === b.collation && (a.fsp ?? 0) === (b.fsp ?? 0) && JSON.stringify(a.values) === JSON.stringify(b.values);
}
