/**
 * SQLAlchemy type → IR ColumnType, as data: one row per SQLAlchemy type name, giving its
 * constructor's positional parameters and how SQLAlchemy's PostgreSQL dialect renders it
 * (sqlalchemy/dialects/postgresql/base.py PGTypeCompiler + sql/compiler.py GenericTypeCompiler).
 * Also the Python annotation → type map that `Mapped[...]` uses by default
 * (sqlalchemy/orm/decl_api.py / sql/sqltypes.py `_type_map`).
 */
import type { ColumnType, ScalarTypeName } from '../../ir/types.js';
import { canonicalPgType, PG_SERIAL_TYPES } from '../../ir/pg-type-aliases.js';

/** What an autoincrementing primary key becomes (SERIAL family) — SQLAlchemy's `_type_affinity`. */
export type Affinity = 'integer' | 'bigint' | 'smallint' | 'numeric';

export interface Lowered {
  readonly type: ColumnType;
  readonly affinity?: Affinity;
}

/** Arguments of a type constructor, already evaluated statically. */
export interface TypeArgs {
  num(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  str(name: string): string | undefined;
  /** Lowers a nested type argument (ARRAY's item type). */
  nested(name: string): Lowered | undefined;
}

export interface TypeRule {
  /** Positional parameters of the constructor, in order. */
  readonly params: readonly string[];
  readonly affinity?: Affinity;
  /** Handled by the caller (needs Python enum classes / schema state). */
  readonly special?: 'enum';
  readonly build: (a: TypeArgs) => ColumnType;
}

export function scalar(name: ScalarTypeName, raw: string, params: readonly number[] = []): ColumnType {
  return { kind: 'scalar', name, params, raw: params.length ? `${raw}(${params.join(', ')})` : raw };
}

const nums = (a: TypeArgs, ...names: string[]): number[] => {
  const out: number[] = [];
  for (const n of names) {
    const v = a.num(n);
    if (v === undefined) break;
    out.push(v);
  }
  return out;
};

/** A fixed type; `params` names numeric constructor arguments that become type parameters. */
const fixed = (name: ScalarTypeName, raw: string, params: readonly string[] = [], numeric: readonly string[] = []): Omit<TypeRule, 'affinity'> => ({
  params,
  build: (a) => scalar(name, raw, nums(a, ...numeric)),
});
const str = (raw: string): Omit<TypeRule, 'affinity'> => fixed('character varying', raw, ['length', 'collation'], ['length']);
const int = (name: 'integer' | 'bigint' | 'smallint', raw: string): TypeRule => ({ ...fixed(name, raw), affinity: name });

const timestamp: TypeRule = {
  params: ['timezone', 'precision'],
  build: (a) => {
    const p = nums(a, 'precision');
    return a.bool('timezone') ? scalar('timestamp with time zone', 'TIMESTAMP WITH TIME ZONE', p) : scalar('timestamp', 'TIMESTAMP WITHOUT TIME ZONE', p);
  },
};
const time: TypeRule = {
  params: ['timezone', 'precision'],
  build: (a) => {
    const p = nums(a, 'precision');
    return a.bool('timezone') ? scalar('time with time zone', 'TIME WITH TIME ZONE', p) : scalar('time', 'TIME WITHOUT TIME ZONE', p);
  },
};
const float: TypeRule = {
  params: ['precision', 'asdecimal', 'decimal_return_scale'],
  affinity: 'numeric',
  build: (a) => {
    const p = a.num('precision');
    // PostgreSQL: float(1..24) is real, float(25..53) and bare FLOAT are double precision
    if (p !== undefined && p <= 24) return scalar('real', `FLOAT(${p})`);
    return scalar('double precision', p === undefined ? 'FLOAT' : `FLOAT(${p})`);
  },
};
const numeric: TypeRule = { ...fixed('numeric', 'NUMERIC', ['precision', 'scale', 'decimal_return_scale', 'asdecimal'], ['precision', 'scale']), affinity: 'numeric' };
const array: TypeRule = {
  params: ['item_type', 'as_tuple', 'dimensions', 'zero_indexes'],
  build: (a) => {
    const item = a.nested('item_type');
    const dims = a.num('dimensions') ?? 1;
    const element = item?.type ?? { kind: 'unsupported', raw: 'unknown' };
    return { kind: 'array', element, dims, raw: `${element.raw}${'[]'.repeat(dims)}` };
  },
};
const vector = (name: 'vector' | 'halfvec' | 'sparsevec', raw: string): TypeRule => fixed(name, raw, ['dim'], ['dim']);
const enumRule: TypeRule = { params: [], special: 'enum', build: () => ({ kind: 'unsupported', raw: 'enum' }) };

/** Keyed by the type's class name as SQLAlchemy (or pgvector / sqlmodel) spells it. */
export const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  // strings
  String: str('VARCHAR'),
  VARCHAR: str('VARCHAR'),
  Unicode: str('VARCHAR'),
  NVARCHAR: str('VARCHAR'),
  AutoString: str('VARCHAR'),
  CHAR: fixed('character', 'CHAR', ['length', 'collation'], ['length']),
  NCHAR: fixed('character', 'CHAR', ['length', 'collation'], ['length']),
  Text: fixed('text', 'TEXT', ['length', 'collation']),
  UnicodeText: fixed('text', 'TEXT', ['length', 'collation']),
  TEXT: fixed('text', 'TEXT', ['length', 'collation']),
  CITEXT: fixed('citext', 'CITEXT', ['length', 'collation']),
  // integers
  Integer: int('integer', 'INTEGER'),
  INTEGER: int('integer', 'INTEGER'),
  INT: int('integer', 'INTEGER'),
  BigInteger: int('bigint', 'BIGINT'),
  BIGINT: int('bigint', 'BIGINT'),
  SmallInteger: int('smallint', 'SMALLINT'),
  SMALLINT: int('smallint', 'SMALLINT'),
  // numeric
  Numeric: numeric,
  NUMERIC: numeric,
  DECIMAL: numeric,
  Float: float,
  FLOAT: float,
  Double: { ...fixed('double precision', 'DOUBLE PRECISION', ['precision', 'asdecimal']), affinity: 'numeric' },
  DOUBLE: { ...fixed('double precision', 'DOUBLE PRECISION', ['precision', 'asdecimal']), affinity: 'numeric' },
  DOUBLE_PRECISION: { ...fixed('double precision', 'DOUBLE PRECISION', ['precision', 'asdecimal']), affinity: 'numeric' },
  REAL: { ...fixed('real', 'REAL', ['precision', 'asdecimal']), affinity: 'numeric' },
  MONEY: fixed('money', 'MONEY'),
  OID: fixed('oid', 'OID'),
  REGCLASS: fixed('regclass', 'REGCLASS'),
  REGCONFIG: fixed('regconfig', 'REGCONFIG'),
  // boolean
  Boolean: fixed('boolean', 'BOOLEAN', ['create_constraint', 'name']),
  BOOLEAN: fixed('boolean', 'BOOLEAN', ['create_constraint', 'name']),
  // date/time
  DateTime: timestamp,
  TIMESTAMP: timestamp,
  Date: fixed('date', 'DATE'),
  DATE: fixed('date', 'DATE'),
  Time: time,
  TIME: time,
  Interval: fixed('interval', 'INTERVAL', ['native', 'second_precision', 'day_precision']),
  INTERVAL: fixed('interval', 'INTERVAL', ['precision', 'fields'], ['precision']),
  // binary
  LargeBinary: fixed('bytea', 'BYTEA', ['length']),
  BYTEA: fixed('bytea', 'BYTEA', ['length']),
  PickleType: fixed('bytea', 'BYTEA'),
  BIT: {
    params: ['length', 'varying'],
    build: (a) => (a.bool('varying') ? scalar('bit varying', 'BIT VARYING', nums(a, 'length')) : scalar('bit', 'BIT', nums(a, 'length'))),
  },
  // json, uuid, network, search, misc
  JSON: fixed('json', 'JSON', ['none_as_null']),
  JSONB: fixed('jsonb', 'JSONB', ['none_as_null']),
  HSTORE: fixed('hstore', 'HSTORE', ['text_type']),
  Uuid: fixed('uuid', 'UUID', ['as_uuid', 'native_uuid']),
  UUID: fixed('uuid', 'UUID', ['as_uuid']),
  GUID: fixed('uuid', 'UUID'),
  // sqlalchemy_utils.UUIDType: PostgreSQL's native UUID unless native=False (types/uuid.py load_dialect_impl)
  UUIDType: {
    params: ['binary', 'native'],
    build: (a) => (a.bool('native') === false ? (a.bool('binary') === false ? scalar('character', 'CHAR', [32]) : scalar('bytea', 'BYTEA', [])) : scalar('uuid', 'UUID', [])),
  },
  // sqlalchemy_utils.JSONType: PostgreSQL's JSON (types/json.py load_dialect_impl)
  JSONType: fixed('json', 'JSON'),
  // sqlalchemy_jsonfield.JSONField: JSON where the dialect has it, TEXT with enforce_string=True
  JSONField: { params: ['enforce_string', 'enforce_unicode', 'json'], build: (a) => (a.bool('enforce_string') ? scalar('text', 'TEXT', []) : scalar('json', 'JSON', [])) },
  INET: fixed('inet', 'INET'),
  CIDR: fixed('cidr', 'CIDR'),
  MACADDR: fixed('macaddr', 'MACADDR'),
  MACADDR8: fixed('macaddr8', 'MACADDR8'),
  TSVECTOR: fixed('tsvector', 'TSVECTOR'),
  TSQUERY: fixed('tsquery', 'TSQUERY'),
  INT4RANGE: fixed('int4range', 'INT4RANGE'),
  INT8RANGE: fixed('int8range', 'INT8RANGE'),
  NUMRANGE: fixed('numrange', 'NUMRANGE'),
  DATERANGE: fixed('daterange', 'DATERANGE'),
  TSRANGE: fixed('tsrange', 'TSRANGE'),
  TSTZRANGE: fixed('tstzrange', 'TSTZRANGE'),
  INT4MULTIRANGE: fixed('int4multirange', 'INT4MULTIRANGE'),
  INT8MULTIRANGE: fixed('int8multirange', 'INT8MULTIRANGE'),
  NUMMULTIRANGE: fixed('nummultirange', 'NUMMULTIRANGE'),
  DATEMULTIRANGE: fixed('datemultirange', 'DATEMULTIRANGE'),
  TSMULTIRANGE: fixed('tsmultirange', 'TSMULTIRANGE'),
  TSTZMULTIRANGE: fixed('tstzmultirange', 'TSTZMULTIRANGE'),
  Geometry: fixed('geometry', 'geometry', ['geometry_type', 'srid']),
  Geography: fixed('geography', 'geography', ['geometry_type', 'srid']),
  // pgvector
  Vector: vector('vector', 'VECTOR'),
  VECTOR: vector('vector', 'VECTOR'),
  HALFVEC: vector('halfvec', 'HALFVEC'),
  SPARSEVEC: vector('sparsevec', 'SPARSEVEC'),
  // containers and enums
  ARRAY: array,
  Enum: enumRule,
  ENUM: enumRule,
};

/** Module prefixes whose classes are looked up in TYPE_RULES. */
const TYPE_MODULES = ['sqlalchemy', 'sqlmodel', 'pgvector', 'geoalchemy2', 'sqlalchemy_utils', 'sqlalchemy_jsonfield'];
/** Other dialects' type modules: their types do not render on PostgreSQL. */
const FOREIGN_DIALECTS = /^sqlalchemy\.dialects\.(mysql|mssql|oracle|sqlite)\b/;

/** The TYPE_RULES key for an external dotted path, or undefined when it is not a known type. */
export function typeRuleName(path: string): string | undefined {
  if (FOREIGN_DIALECTS.test(path)) return undefined;
  if (!TYPE_MODULES.some((m) => path === m || path.startsWith(`${m}.`))) return undefined;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return Object.hasOwn(TYPE_RULES, last) ? last : undefined;
}

/**
 * Default `Mapped[...]` annotation types (SQLAlchemy 2.0 `sqltypes._type_map`), keyed by
 * the Python type's qualified name. `dict`/`list` are absent: they need `type_annotation_map`.
 */
export const ANNOTATION_TYPES: Readonly<Record<string, string>> = {
  int: 'Integer',
  str: 'String',
  bool: 'Boolean',
  float: 'Float',
  bytes: 'LargeBinary',
  'decimal.Decimal': 'Numeric',
  'datetime.datetime': 'DateTime',
  'datetime.date': 'Date',
  'datetime.time': 'Time',
  'datetime.timedelta': 'Interval',
  'uuid.UUID': 'Uuid',
};

/** SQLModel's annotation map (sqlmodel/main.py get_sqlalchemy_type). */
export const SQLMODEL_ANNOTATION_TYPES: Readonly<Record<string, string>> = {
  ...ANNOTATION_TYPES,
  str: 'AutoString',
  'pydantic.EmailStr': 'AutoString',
  'pydantic.AnyUrl': 'AutoString',
};

// ---------------------------------------------------------------- PostgreSQL type names


/** Parses a PostgreSQL type spelling such as `varchar(20)`, `ltree`, `integer[]`, `TIMESTAMP WITH TIME ZONE`. */
export function parsePgTypeName(text: string): ColumnType {
  const raw = text.trim();
  let s = raw.toLowerCase().replace(/\s+/g, ' ');
  let dims = 0;
  while (s.endsWith('[]')) {
    dims++;
    s = s.slice(0, -2).trim();
  }
  const m = /^([a-z_][a-z0-9_ ]*?)\s*(?:\(([^)]*)\))?(\s+with(?:out)? time zone)?$/.exec(s);
  let result: ColumnType;
  if (!m) result = { kind: 'unsupported', raw };
  else {
    const base = `${m[1]!.trim()}${m[3] ?? ''}`.replace(/^(timestamp|time)\b(.*)$/, '$1$2');
    const params = m[2] ? m[2].split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x)) : [];
    // The shared alias table (src/ir/pg-type-aliases.ts); a serial here is its integer type.
    const name = canonicalPgType(base) ?? (Object.hasOwn(PG_SERIAL_TYPES, base) ? PG_SERIAL_TYPES[base] : undefined);
    result = name ? { kind: 'scalar', name, params, raw } : { kind: 'user', name: { name: base }, raw };
  }
  return dims ? { kind: 'array', element: result, dims, raw } : result;
}
