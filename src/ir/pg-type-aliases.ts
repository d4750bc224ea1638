import { SCALAR_TYPES, type ScalarTypeName } from './types.js';

/**
 * PostgreSQL's other spellings of its built-in types (the catalog's internal names and the SQL
 * standard's long forms), folded to the canonical names of `SCALAR_TYPES`. One table for both
 * frontends and the type overrides (PostgreSQL docs, "Data Types", table 8.1 Aliases column).
 * `char` is `character` here, as a user writes it; the postgres frontend reads the catalog's
 * one-byte `pg_catalog.char` itself (the grammar gives `CHAR(n)` as bpchar).
 */
export const PG_TYPE_ALIASES: Readonly<Record<string, ScalarTypeName>> = {
  int2: 'smallint',
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  decimal: 'numeric',
  float4: 'real',
  float8: 'double precision',
  float: 'double precision',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  bool: 'boolean',
  varbit: 'bit varying',
  timetz: 'time with time zone',
  'time without time zone': 'time',
  timestamptz: 'timestamp with time zone',
  'timestamp without time zone': 'timestamp',
};

/** The serial pseudo-types: an integer column with a sequence (the frontends add the identity). */
export const PG_SERIAL_TYPES: Readonly<Record<string, ScalarTypeName>> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

const SCALARS: ReadonlySet<string> = new Set(SCALAR_TYPES);

/** The canonical name of a built-in type spelled `name` (lower case, spaces single), or undefined. */
export function canonicalPgType(name: string): ScalarTypeName | undefined {
  return Object.hasOwn(PG_TYPE_ALIASES, name) ? PG_TYPE_ALIASES[name] : SCALARS.has(name) ? (name as ScalarTypeName) : undefined;
}
