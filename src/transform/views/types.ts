import type { TidbType } from '../../ir/tidb.js';

/** What an expression is, as far as translating operators and casts cares. */
export type Kind = 'int' | 'decimal' | 'float' | 'text' | 'bool' | 'json' | 'date' | 'datetime' | 'time' | 'binary' | 'unknown';

export function kindOf(t: TidbType | undefined): Kind {
  if (!t) return 'unknown';
  switch (t.base) {
    case 'TINYINT': case 'SMALLINT': case 'INT': case 'BIGINT': case 'BIT': case 'YEAR':
      return 'int';
    case 'DECIMAL':
      return 'decimal';
    case 'FLOAT': case 'DOUBLE':
      return 'float';
    case 'BOOLEAN':
      return 'bool';
    case 'CHAR': case 'VARCHAR': case 'TEXT': case 'MEDIUMTEXT': case 'LONGTEXT': case 'ENUM':
      return 'text';
    case 'JSON':
      return 'json';
    case 'DATE':
      return 'date';
    case 'DATETIME': case 'TIMESTAMP':
      return 'datetime';
    case 'TIME':
      return 'time';
    default:
      return 'binary';
  }
}

export const T = {
  int: { base: 'INT' },
  bigint: { base: 'BIGINT' },
  bool: { base: 'BOOLEAN' },
  text: { base: 'TEXT' },
  longtext: { base: 'LONGTEXT' },
  double: { base: 'DOUBLE' },
  decimal: { base: 'DECIMAL', precision: 65, scale: 30 },
  json: { base: 'JSON' },
  date: { base: 'DATE' },
  datetime: { base: 'DATETIME', fsp: 6 },
  time: { base: 'TIME', fsp: 6 },
} as const satisfies Record<string, TidbType>;

/**
 * PostgreSQL cast targets → TiDB `CAST(x AS ...)` target and the type the result has. TiDB's CAST
 * takes only these targets (no INT, VARCHAR, TEXT, BOOLEAN): SIGNED, CHAR, DECIMAL, DOUBLE, FLOAT,
 * DATE, DATETIME, TIME, JSON, BINARY (tidb.md; measured on tidb-server v8.5).
 */
export const CAST_TARGETS: Readonly<Record<string, { readonly target: (mods: readonly number[]) => string; readonly type: (mods: readonly number[]) => TidbType }>> = {
  int2: { target: () => 'SIGNED', type: () => ({ base: 'SMALLINT' }) },
  int4: { target: () => 'SIGNED', type: () => T.int },
  int8: { target: () => 'SIGNED', type: () => T.bigint },
  numeric: {
    target: (m) => (m.length > 0 ? `DECIMAL(${m[0]},${m[1] ?? 0})` : 'DECIMAL(65,30)'),
    type: (m) => (m.length > 0 ? { base: 'DECIMAL', precision: m[0]!, scale: m[1] ?? 0 } : T.decimal),
  },
  float4: { target: () => 'FLOAT', type: () => ({ base: 'FLOAT' }) },
  float8: { target: () => 'DOUBLE', type: () => T.double },
  text: { target: () => 'CHAR', type: () => T.longtext },
  varchar: { target: (m) => (m.length > 0 ? `CHAR(${m[0]})` : 'CHAR'), type: (m) => (m.length > 0 ? { base: 'VARCHAR', length: m[0]! } : T.longtext) },
  bpchar: { target: (m) => `CHAR(${m[0] ?? 1})`, type: (m) => ({ base: 'CHAR', length: m[0] ?? 1 }) },
  name: { target: () => 'CHAR(63)', type: () => ({ base: 'VARCHAR', length: 63 }) },
  date: { target: () => 'DATE', type: () => T.date },
  timestamp: { target: (m) => `DATETIME(${m[0] ?? 6})`, type: (m) => ({ base: 'DATETIME', fsp: m[0] ?? 6 }) },
  timestamptz: { target: (m) => `DATETIME(${m[0] ?? 6})`, type: (m) => ({ base: 'DATETIME', fsp: m[0] ?? 6 }) },
  time: { target: (m) => `TIME(${m[0] ?? 6})`, type: (m) => ({ base: 'TIME', fsp: m[0] ?? 6 }) },
  json: { target: () => 'JSON', type: () => T.json },
  jsonb: { target: () => 'JSON', type: () => T.json },
  bytea: { target: () => 'BINARY', type: () => ({ base: 'LONGBLOB' }) },
};

/** PostgreSQL's spellings of the cast target names above (`pg_catalog.` dropped first). */
export const CAST_ALIASES: Readonly<Record<string, string>> = {
  smallint: 'int2', integer: 'int4', int: 'int4', bigint: 'int8', decimal: 'numeric', real: 'float4',
  'double precision': 'float8', character: 'bpchar', char: 'bpchar', 'character varying': 'varchar',
  citext: 'text', 'timestamp without time zone': 'timestamp', 'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time', regclass: 'unsupported',
};

/** The type an integer, numeric or string constant has. */
export function constType(kind: 'int' | 'float' | 'string' | 'bool' | 'null'): TidbType | undefined {
  switch (kind) {
    case 'int':
      return T.int;
    case 'float':
      return T.decimal;
    case 'string':
      return T.text;
    case 'bool':
      return T.bool;
    default:
      return undefined;
  }
}

/**
 * A value as text the way PostgreSQL spells it: a boolean is 'true'/'false' through a cast or `||`,
 * and 't'/'f' through concat() (its output function); TiDB would give 1/0.
 */
export function textOf(x: { readonly sql: string; readonly type?: TidbType }, spelling: 'cast' | 'output' = 'cast'): string | undefined {
  if (kindOf(x.type) !== 'bool') return undefined;
  const [t, f] = spelling === 'cast' ? ['true', 'false'] : ['t', 'f'];
  return `(CASE WHEN ${x.sql} THEN '${t}' WHEN NOT ${x.sql} THEN '${f}' END)`;
}
