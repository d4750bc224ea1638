/**
 * The closed family of PostgreSQL column types the compiler understands.
 * Every name here must have a row in src/transform/type-rules.ts (tsc enforces it).
 * Names are PostgreSQL's canonical spellings (format_type), aliases are folded by the frontends.
 */
export const SCALAR_TYPES = [
  // numeric
  'smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision', 'money', 'oid', 'xid', 'pg_lsn',
  // character and binary
  'character varying', 'character', 'text', 'citext', 'name', '"char"', 'bytea',
  // misc scalars
  'boolean', 'uuid', 'json', 'jsonb', 'xml', 'hstore', 'ltree',
  'bit', 'bit varying',
  'inet', 'cidr', 'macaddr', 'macaddr8',
  'tsvector', 'tsquery',
  'vector', 'halfvec', 'sparsevec',
  // date/time
  'date', 'time', 'time with time zone', 'timestamp', 'timestamp with time zone', 'interval',
  // ranges
  'int4range', 'int8range', 'numrange', 'daterange', 'tsrange', 'tstzrange',
  'int4multirange', 'int8multirange', 'nummultirange', 'datemultirange', 'tsmultirange', 'tstzmultirange',
  // geometry
  'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'geometry', 'geography',
  // object identifiers
  'regclass', 'regtype', 'regproc', 'regprocedure', 'regoper', 'regnamespace', 'regrole', 'regconfig',
] as const;

export type ScalarTypeName = (typeof SCALAR_TYPES)[number];

export interface QualifiedName {
  /** PostgreSQL schema; undefined when the input did not say (resolved with the search path later). */
  readonly schema?: string;
  readonly name: string;
}

export type ColumnType =
  | { readonly kind: 'scalar'; readonly name: ScalarTypeName; readonly params: readonly number[]; readonly raw: string }
  | { readonly kind: 'array'; readonly element: ColumnType; readonly dims: number; readonly raw: string }
  /** A user-defined type: enum, domain or composite, resolved against the schema by the transform. */
  | { readonly kind: 'user'; readonly name: QualifiedName; readonly raw: string }
  | { readonly kind: 'unsupported'; readonly raw: string };

export type SqlKeyword =
  | 'CURRENT_TIMESTAMP'
  | 'CURRENT_DATE'
  | 'CURRENT_TIME'
  | 'LOCALTIME'
  | 'LOCALTIMESTAMP'
  | 'CURRENT_USER'
  | 'SESSION_USER'
  | 'USER'
  | 'CURRENT_ROLE'
  | 'CURRENT_CATALOG'
  | 'CURRENT_SCHEMA';

/** Expressions as they appear in defaults, checks, generated columns and index keys. */
export type Expr =
  | { readonly k: 'string'; readonly value: string }
  | { readonly k: 'number'; readonly value: string }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'null' }
  | { readonly k: 'column'; readonly name: string; readonly table?: string }
  | { readonly k: 'keyword'; readonly name: SqlKeyword; readonly precision?: number }
  | { readonly k: 'func'; readonly name: string; readonly schema?: string; readonly args: readonly Expr[]; readonly star?: boolean }
  | { readonly k: 'cast'; readonly expr: Expr; readonly type: ColumnType }
  | { readonly k: 'unary'; readonly op: string; readonly expr: Expr }
  | { readonly k: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly k: 'and' | 'or'; readonly args: readonly Expr[] }
  | { readonly k: 'not'; readonly expr: Expr }
  | { readonly k: 'isnull'; readonly expr: Expr; readonly not: boolean }
  | { readonly k: 'istrue'; readonly expr: Expr; readonly test: 'true' | 'false' | 'unknown'; readonly not: boolean }
  | { readonly k: 'in'; readonly expr: Expr; readonly list: readonly Expr[]; readonly not: boolean }
  | { readonly k: 'between'; readonly expr: Expr; readonly low: Expr; readonly high: Expr; readonly not: boolean }
  | { readonly k: 'like'; readonly op: 'like' | 'ilike' | 'similar'; readonly expr: Expr; readonly pattern: Expr; readonly not: boolean }
  | { readonly k: 'case'; readonly arg?: Expr; readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]; readonly else?: Expr }
  | { readonly k: 'coalesce' | 'greatest' | 'least' | 'nullif'; readonly args: readonly Expr[] }
  | { readonly k: 'array'; readonly elements: readonly Expr[] }
  | { readonly k: 'any'; readonly op: string; readonly expr: Expr; readonly array: Expr; readonly all: boolean }
  | { readonly k: 'interval'; readonly value: string }
  /** Anything else: PostgreSQL source text, kept so that diagnostics can quote it. */
  | { readonly k: 'raw'; readonly text: string };
