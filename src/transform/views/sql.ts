import type { TidbType } from '../../ir/tidb.js';

/** A translated expression: TiDB SQL text, the TiDB type when known, and whether it can be NULL. */
export interface Sql {
  readonly sql: string;
  readonly type?: TidbType | undefined;
  readonly notNull?: boolean;
  /** An interval constant, as TiDB `INTERVAL n UNIT` terms: only usable in date arithmetic. */
  readonly interval?: readonly string[];
}

/** A construct the translator cannot express in TiDB: the view is left out with this. */
export class Untranslatable extends Error {
  constructor(
    readonly construct: string,
    readonly reason: string,
    /** File offset of the construct, or -1. */
    readonly location: number,
    /** Set when the cause is a view this one reads, which is left out. */
    readonly dependency?: string,
  ) {
    super(`${construct}: ${reason}`);
  }
}

/** A semantic difference the translated view keeps, for the `view-translated` note. */
export interface ViewNote {
  readonly note: string;
  readonly location: number;
}

/** What a table rule may do besides returning SQL: refuse, or note a difference. */
export interface RuleCall {
  readonly location: number;
  fail(construct: string, reason: string): never;
  note(text: string): void;
}

export function sql(text: string, type?: TidbType, notNull?: boolean): Sql {
  return { sql: text, ...(type ? { type } : {}), ...(notNull ? { notNull } : {}) };
}

/**
 * A string operand for CONCAT: a column in another character set (uuid's ascii) is converted, or
 * TiDB refuses the mix (measured: "Illegal mix of collations (utf8mb4_unicode_ci,COERCIBLE), (ascii_bin,IMPLICIT)").
 */
export function asUtf8(x: Sql): string {
  return x.type?.charset !== undefined && x.type.charset !== 'utf8mb4' ? `CONVERT(${x.sql} USING utf8mb4)` : x.sql;
}

/**
 * A text operand matched as PostgreSQL matches it: LIKE, position() and strpos() are case- and
 * accent-sensitive there, while the TiDB columns default to utf8mb4_unicode_ci (measured: LOCATE('a', 'Ann') = 1).
 */
export function binaryCollated(x: Sql): string {
  return `${asUtf8(x)} COLLATE utf8mb4_bin`;
}
