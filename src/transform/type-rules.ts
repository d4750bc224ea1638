import type { PayloadOf } from '../diagnostics/catalogue.js';
import type { TidbType } from '../ir/tidb.js';
import type { ScalarTypeName } from '../ir/types.js';
import type { TranslateOptions } from './options.js';
import { featureTarget, targetHas } from './features.js';
import { TIDB_LIMITS } from './limits.js';

/** How a column is used, which decides types that are legal in one place and not another. */
export interface ColumnUsage {
  /** In a primary key, unique key, index or foreign key (either side). */
  readonly keyed: boolean;
  /** Has a literal default (TiDB rejects literal defaults on TEXT/BLOB/JSON). */
  readonly literalDefault: boolean;
}

type TypeLossId = 'timestamptz' | 'array-to-json' | 'lossy-type-minor' | 'lossy-type' | 'type-choice' | 'target-feature' | 'unbounded-numeric' | 'unsupported-type' | 'enum-binary';
/** A loss with a typed payload; the catalogue renders its message. */
export type TypeLoss = { readonly [K in TypeLossId]: { readonly id: K; readonly data: PayloadOf<K>; readonly fix?: string } }[TypeLossId];

export interface TypeDecision {
  readonly type: TidbType;
  readonly loss?: TypeLoss;
}

export interface TypeRule {
  /** Stable id shown in the report as the rule that decided a column's type. */
  readonly id: string;
  /** `exact`: every PostgreSQL value round-trips; `lossy`: some values or behaviour change. */
  readonly fidelity: 'exact' | 'lossy' | 'unsupported';
  readonly decide: (params: readonly number[], usage: ColumnUsage, options: TranslateOptions) => TypeDecision;
}

const t = (type: TidbType): TypeDecision => ({ type });
/** A type with no TiDB equivalent, stored as `type` (shown as `tidbType`). */
const unsupported = (type: TidbType, data: PayloadOf<'unsupported-type'>, fix?: string): TypeDecision => ({
  type,
  loss: { id: 'unsupported-type', data, ...(fix ? { fix } : {}) },
});

/** A loss the catalogue renders from the two types and a reason. */
const loses = (type: TidbType, data: PayloadOf<'lossy-type'>, fix?: string): TypeDecision => ({
  type,
  loss: { id: 'lossy-type', data, ...(fix ? { fix } : {}) },
});

const decimal = (precision: number, scale: number, pgType: string, reason: 'numeric-scale' | 'numeric-limits'): TypeDecision =>
  loses({ base: 'DECIMAL', precision, scale }, { pgType, tidbType: `DECIMAL(${precision},${scale})`, reason });

/** An edge-case loss: the catalogue renders `<pgType> becomes <tidbType>` and the reason. */
const minor = (type: TidbType, pgType: string, tidbType: string, reason: PayloadOf<'lossy-type-minor'>['reason']): TypeDecision => ({
  type,
  loss: { id: 'lossy-type-minor', data: { pgType, tidbType, reason } },
});

/** pgvector columns on a target without VECTOR: the '[1,2,3]' text form is a JSON array. */
function noVector(name: string, dims: number | undefined, options: TranslateOptions): TypeDecision {
  return { type: { base: 'JSON' }, loss: { id: 'target-feature', data: { reason: 'vector-type', feature: 'vectorType', ...featureTarget(options), pgType: `${name}${dims !== undefined ? `(${dims})` : ''}` } } };
}

/** pgvector columns with more dimensions than TiDB's VECTOR holds (TIDB_LIMITS.vectorDimensions): a JSON array of numbers. */
function tooManyDimensions(name: string, dims: number): TypeDecision {
  return unsupported({ base: 'JSON' }, { reason: 'vector-too-wide', pgType: `${name}(${dims})`, tidbType: 'JSON' });
}

/** tidb.md §1.3: VARCHAR holds at most 65,535 bytes, 16,383 utf8mb4 characters. */
const MAX_VARCHAR = TIDB_LIMITS.varcharChars;

/** PostgreSQL text has no length: keys and literal defaults need VARCHAR, everything else LONGTEXT. */
function unboundedText(usage: ColumnUsage, options: TranslateOptions, what: string): TypeDecision {
  if (usage.keyed || usage.literalDefault) {
    return {
      type: { base: 'VARCHAR', length: options.textKeyLength },
      loss: {
        id: 'type-choice',
        data: { reason: usage.keyed ? 'keyed' : 'literal-default', pgType: what, tidbType: `VARCHAR(${options.textKeyLength})` },
        fix: 'Declare a length in PostgreSQL (varchar(n)) or set textKeyLength / a type override.',
      },
    };
  }
  return t({ base: 'LONGTEXT' });
}

function fsp(params: readonly number[]): number {
  const p = params[0];
  return p === undefined ? 6 : Math.min(Math.max(p, 0), 6);
}

function textAs(base: 'VARCHAR' | 'LONGTEXT', length?: number): TidbType {
  return length === undefined ? { base } : { base, length };
}

/**
 * The PostgreSQL -> TiDB type mapping (tidb.md §7). One row per type the IR knows;
 * `satisfies Record<ScalarTypeName, TypeRule>` makes tsc reject a missing row.
 */
export const TYPE_RULES = {
  smallint: { id: 'smallint', fidelity: 'exact', decide: () => t({ base: 'SMALLINT' }) },
  integer: { id: 'integer', fidelity: 'exact', decide: () => t({ base: 'INT' }) },
  bigint: { id: 'bigint', fidelity: 'exact', decide: () => t({ base: 'BIGINT' }) },
  numeric: {
    id: 'numeric',
    fidelity: 'lossy',
    decide: (params) => {
      const [p, s = 0] = params;
      if (p === undefined) {
        return { type: { base: 'DECIMAL', precision: 65, scale: 30 }, loss: { id: 'unbounded-numeric', data: { tidbType: 'DECIMAL(65,30)' } } };
      }
      if (s < 0 || s > p) {
        return decimal(Math.min(65, Math.max(p - Math.min(s, 0), s)), Math.max(0, Math.min(s, 30)), `numeric(${p},${s})`, 'numeric-scale');
      }
      if (p <= 65 && s <= 30) return t({ base: 'DECIMAL', precision: p, scale: s });
      return decimal(65, Math.min(s, 30), `numeric(${p},${s})`, 'numeric-limits');
    },
  },
  // Measured by test/value-roundtrip.test.ts: NaN and ±Infinity are refused (1366), -0 becomes 0.
  real: { id: 'real', fidelity: 'lossy', decide: () => minor({ base: 'FLOAT' }, 'real', 'FLOAT', 'non-finite') },
  'double precision': { id: 'double-precision', fidelity: 'lossy', decide: () => minor({ base: 'DOUBLE' }, 'double precision', 'DOUBLE', 'non-finite') },
  money: {
    id: 'money',
    fidelity: 'lossy',
    decide: () => loses({ base: 'DECIMAL', precision: 19, scale: 2 }, { pgType: 'money', tidbType: 'DECIMAL(19,2)', reason: 'money-format' }),
  },
  oid: { id: 'oid', fidelity: 'lossy', decide: () => loses({ base: 'INT', unsigned: true }, { pgType: 'oid', tidbType: 'INT UNSIGNED', reason: 'object-id' }) },
  xid: { id: 'xid', fidelity: 'lossy', decide: () => loses({ base: 'INT', unsigned: true }, { pgType: 'xid', tidbType: 'INT UNSIGNED', reason: 'transaction-id' }) },
  pg_lsn: { id: 'pg_lsn', fidelity: 'lossy', decide: () => loses({ base: 'BIGINT', unsigned: true }, { pgType: 'pg_lsn', tidbType: 'BIGINT UNSIGNED', reason: 'lsn-text' }) },
  'character varying': {
    id: 'varchar',
    fidelity: 'exact',
    decide: (params, usage, options) => {
      const n = params[0];
      if (n === undefined) return unboundedText(usage, options, 'varchar without a length');
      if (n <= MAX_VARCHAR) return t(textAs('VARCHAR', n));
      if (usage.keyed || usage.literalDefault) {
        return loses(textAs('VARCHAR', MAX_VARCHAR), { pgType: `varchar(${n})`, tidbType: `VARCHAR(${MAX_VARCHAR})`, reason: 'varchar-capped', length: n, limit: MAX_VARCHAR });
      }
      return loses({ base: 'MEDIUMTEXT' }, { pgType: `varchar(${n})`, tidbType: 'MEDIUMTEXT', reason: 'varchar-unenforced', length: n, limit: MAX_VARCHAR }, 'Add CHECK (CHAR_LENGTH(col) <= n) if the limit matters.');
    },
  },
  character: {
    id: 'char',
    fidelity: 'exact',
    decide: (params) => {
      const n = params[0] ?? 1;
      if (n <= 255) return t({ base: 'CHAR', length: n });
      return loses(textAs('VARCHAR', Math.min(n, MAX_VARCHAR)), { pgType: `char(${n})`, tidbType: 'VARCHAR', reason: 'char-padding', length: n });
    },
  },
  text: { id: 'text', fidelity: 'exact', decide: (_p, usage, options) => unboundedText(usage, options, 'text') },
  citext: {
    id: 'citext',
    fidelity: 'lossy',
    decide: (_p, usage, options) => {
      const base = unboundedText(usage, options, 'citext').type;
      if (!targetHas(options, 'collation0900')) {
        return { type: { ...base, collation: 'utf8mb4_general_ci' }, loss: { id: 'target-feature', data: { reason: 'citext', feature: 'collation0900', ...featureTarget(options) } } };
      }
      return loses({ ...base, collation: 'utf8mb4_0900_ai_ci' }, { pgType: 'citext', tidbType: 'utf8mb4_0900_ai_ci', reason: 'citext-accents' }, 'Keep a _bin collation and a UNIQUE index on (LOWER(col)) if accents must stay distinct.');
    },
  },
  name: { id: 'name', fidelity: 'exact', decide: () => t({ base: 'VARCHAR', length: 63 }) },
  '"char"': { id: 'char1', fidelity: 'exact', decide: () => t({ base: 'CHAR', length: 1 }) },
  bytea: {
    id: 'bytea',
    fidelity: 'exact',
    decide: (_p, usage) =>
      usage.keyed || usage.literalDefault
        ? { type: { base: 'VARBINARY', length: TIDB_LIMITS.keyBytes }, loss: { id: 'type-choice', data: { reason: 'keyed-or-default', pgType: 'bytea', tidbType: `VARBINARY(${TIDB_LIMITS.keyBytes})` } } }
        : t({ base: 'LONGBLOB' }),
  },
  boolean: { id: 'boolean', fidelity: 'exact', decide: () => t({ base: 'BOOLEAN' }) },
  uuid: {
    id: 'uuid',
    fidelity: 'exact',
    decide: (_p, _u, options) =>
      options.uuid === 'binary16'
        ? t({ base: 'BINARY', length: 16 })
        : t({ base: 'CHAR', length: 36, charset: 'ascii', collation: 'ascii_bin' }),
  },
  json: {
    id: 'json',
    fidelity: 'lossy',
    decide: () => minor({ base: 'JSON' }, 'json', 'JSON', 'json-text'),
  },
  jsonb: {
    id: 'jsonb',
    fidelity: 'lossy',
    decide: () => minor({ base: 'JSON' }, 'jsonb', 'JSON', 'jsonb-values'),
  },
  xml: { id: 'xml', fidelity: 'lossy', decide: () => loses({ base: 'LONGTEXT' }, { pgType: 'xml', tidbType: 'LONGTEXT', reason: 'xml-functions' }) },
  hstore: { id: 'hstore', fidelity: 'lossy', decide: () => loses({ base: 'JSON' }, { pgType: 'hstore', tidbType: 'a JSON object of strings', reason: 'hstore-operators' }) },
  ltree: {
    id: 'ltree',
    fidelity: 'lossy',
    decide: (_p, usage, options) => loses(unboundedText(usage, options, 'ltree').type, { pgType: 'ltree', tidbType: 'text', reason: 'ltree-operators' }),
  },
  bit: {
    id: 'bit',
    fidelity: 'exact',
    decide: (params) => {
      const n = params[0] ?? 1;
      if (n <= TIDB_LIMITS.bitLength) return t({ base: 'BIT', length: n });
      return loses({ base: 'VARBINARY', length: Math.ceil(n / 8) }, { pgType: `bit(${n})`, tidbType: `VARBINARY(${Math.ceil(n / 8)})`, reason: 'bit-too-long', length: n });
    },
  },
  'bit varying': {
    id: 'varbit',
    fidelity: 'lossy',
    decide: (params) => {
      const n = params[0];
      if (n === undefined) return loses({ base: 'LONGBLOB' }, { pgType: 'bit varying', tidbType: 'LONGBLOB', reason: 'bit-varying-unbounded' });
      return loses({ base: 'VARBINARY', length: Math.ceil(n / 8) }, { pgType: `bit varying(${n})`, tidbType: `VARBINARY(${Math.ceil(n / 8)})`, reason: 'bit-varying-length', length: n });
    },
  },
  inet: { id: 'inet', fidelity: 'lossy', decide: () => loses({ base: 'VARCHAR', length: 43 }, { pgType: 'inet', tidbType: 'VARCHAR(43)', reason: 'inet-operators' }, 'Store INET6_ATON() bytes in VARBINARY(16) if you need ordering.') },
  cidr: { id: 'cidr', fidelity: 'lossy', decide: () => loses({ base: 'VARCHAR', length: 43 }, { pgType: 'cidr', tidbType: 'VARCHAR(43)', reason: 'cidr-operators' }) },
  macaddr: { id: 'macaddr', fidelity: 'lossy', decide: () => minor({ base: 'CHAR', length: 17 }, 'macaddr', 'CHAR(17)', 'mac-format') },
  macaddr8: { id: 'macaddr8', fidelity: 'lossy', decide: () => minor({ base: 'CHAR', length: 23 }, 'macaddr8', 'CHAR(23)', 'mac-format') },
  tsvector: { id: 'tsvector', fidelity: 'unsupported', decide: () => unsupported({ base: 'LONGTEXT' }, { reason: 'tsvector', pgType: 'tsvector', tidbType: 'LONGTEXT' }, 'Search with FULLTEXT ... WITH PARSER on TiDB Cloud Starter (some regions), or an external search engine.') },
  tsquery: { id: 'tsquery', fidelity: 'unsupported', decide: () => unsupported({ base: 'LONGTEXT' }, { reason: 'tsquery', pgType: 'tsquery', tidbType: 'LONGTEXT' }) },
  vector: {
    id: 'vector',
    fidelity: 'exact',
    decide: (params, _usage, options) => {
      const n = params[0];
      if (!targetHas(options, 'vectorType')) return noVector('vector', n, options);
      if (n !== undefined && n > TIDB_LIMITS.vectorDimensions) return tooManyDimensions('vector', n);
      return n === undefined ? t({ base: 'VECTOR' }) : t({ base: 'VECTOR', length: n });
    },
  },
  halfvec: {
    id: 'halfvec',
    fidelity: 'lossy',
    decide: (params, _usage, options) => {
      const n = params[0];
      if (!targetHas(options, 'vectorType')) return noVector('halfvec', n, options);
      if (n !== undefined && n > TIDB_LIMITS.vectorDimensions) return tooManyDimensions('halfvec', n);
      return minor(n === undefined ? { base: 'VECTOR' } : { base: 'VECTOR', length: n }, 'halfvec', 'VECTOR', 'half-vector');
    },
  },
  sparsevec: { id: 'sparsevec', fidelity: 'lossy', decide: () => loses({ base: 'JSON' }, { pgType: 'sparsevec', tidbType: 'JSON', reason: 'vector-operators' }) },
  // Measured: BC dates, years after 9999 and ±infinity are refused (1292).
  date: { id: 'date', fidelity: 'lossy', decide: () => minor({ base: 'DATE' }, 'date', 'DATE', 'date-range') },
  time: { id: 'time', fidelity: 'exact', decide: (params) => t({ base: 'TIME', fsp: fsp(params) }) },
  'time with time zone': {
    id: 'timetz',
    fidelity: 'lossy',
    decide: (params) => loses({ base: 'TIME', fsp: fsp(params) }, { pgType: 'time with time zone', tidbType: 'TIME', reason: 'utc-offset' }, 'Store the offset in a separate column if it matters.'),
  },
  // Measured: years after 9999 and ±infinity are refused; a BC timestamp is stored as AD with only a warning.
  timestamp: {
    id: 'timestamp',
    fidelity: 'lossy',
    decide: (params) => minor({ base: 'DATETIME', fsp: fsp(params) }, 'timestamp', 'DATETIME', 'timestamp-range'),
  },
  'timestamp with time zone': {
    id: 'timestamptz',
    fidelity: 'lossy',
    decide: (params, _u, options) =>
      options.timestamptz === 'timestamp'
        ? { type: { base: 'TIMESTAMP', fsp: fsp(params) }, loss: { id: 'timestamptz', data: { to: 'TIMESTAMP' }, fix: 'Use --timestamptz datetime for dates after 2038.' } }
        : { type: { base: 'DATETIME', fsp: fsp(params) }, loss: { id: 'timestamptz', data: { to: 'DATETIME' }, fix: "Set time_zone = '+00:00' on every connection (or use --timestamptz timestamp for 1970..2038 values)." } },
  },
  interval: {
    id: 'interval',
    fidelity: 'lossy',
    decide: () => loses({ base: 'VARCHAR', length: 64 }, { pgType: 'interval', tidbType: 'VARCHAR(64)', reason: 'interval-text' }, 'Or store microseconds in BIGINT, or months/days/micros in three columns, and do the arithmetic in queries.'),
  },
  ...rangeRules(),
  point: geometric('point'),
  line: geometric('line'),
  lseg: geometric('lseg'),
  box: geometric('box'),
  path: geometric('path'),
  polygon: geometric('polygon'),
  circle: geometric('circle'),
  geometry: {
    id: 'postgis',
    fidelity: 'unsupported',
    decide: () => unsupported({ base: 'LONGBLOB' }, { reason: 'postgis-geometry', pgType: 'geometry', tidbType: 'LONGBLOB' }, 'Spatial functions and indexes are not available in TiDB.'),
  },
  geography: {
    id: 'postgis',
    fidelity: 'unsupported',
    decide: () => unsupported({ base: 'LONGBLOB' }, { reason: 'postgis-geography', pgType: 'geography', tidbType: 'LONGBLOB' }, 'Spatial functions and indexes are not available in TiDB.'),
  },
  regclass: regRule('regclass'),
  regtype: regRule('regtype'),
  regproc: regRule('regproc'),
  regprocedure: regRule('regprocedure'),
  regoper: regRule('regoper'),
  regnamespace: regRule('regnamespace'),
  regrole: regRule('regrole'),
  regconfig: regRule('regconfig'),
} satisfies Record<ScalarTypeName, TypeRule>;

function rangeRules(): Record<'int4range' | 'int8range' | 'numrange' | 'daterange' | 'tsrange' | 'tstzrange' | 'int4multirange' | 'int8multirange' | 'nummultirange' | 'datemultirange' | 'tsmultirange' | 'tstzmultirange', TypeRule> {
  const range = (name: string, multi: boolean): TypeRule => ({
    id: multi ? 'multirange' : 'range',
    fidelity: 'lossy',
    decide: () =>
      loses(
        multi ? { base: 'LONGTEXT' } : { base: 'VARCHAR', length: 255 },
        { pgType: name, tidbType: multi ? 'LONGTEXT' : 'VARCHAR(255)', reason: 'range-text' },
        'Or split it into <col>_lower and <col>_upper columns with a CHECK lower <= upper.',
      ),
  });
  return {
    int4range: range('int4range', false),
    int8range: range('int8range', false),
    numrange: range('numrange', false),
    daterange: range('daterange', false),
    tsrange: range('tsrange', false),
    tstzrange: range('tstzrange', false),
    int4multirange: range('int4multirange', true),
    int8multirange: range('int8multirange', true),
    nummultirange: range('nummultirange', true),
    datemultirange: range('datemultirange', true),
    tsmultirange: range('tsmultirange', true),
    tstzmultirange: range('tstzmultirange', true),
  };
}

function geometric(name: string): TypeRule {
  return {
    id: 'geometric',
    fidelity: 'unsupported',
    decide: () => unsupported({ base: 'VARCHAR', length: 255 }, { reason: 'geometric', pgType: name, tidbType: 'VARCHAR(255)' }, 'Use DOUBLE columns or GeoJSON in a JSON column; geometric operators are not available.'),
  };
}

function regRule(name: string): TypeRule {
  return { id: 'reg', fidelity: 'lossy', decide: () => loses({ base: 'VARCHAR', length: 255 }, { pgType: name, tidbType: 'VARCHAR(255)', reason: 'object-name' }) };
}
