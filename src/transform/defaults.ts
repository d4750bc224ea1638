import type { TidbDefault, TidbType } from '../ir/tidb.js';
import type { Expr } from '../ir/types.js';
import { quoteString } from '../sql/quote.js';
import { parsePgArrayLiteral, translateExpr } from './expressions.js';
import type { PayloadOf } from '../diagnostics/catalogue.js';

export interface DefaultDecision {
  readonly value?: TidbDefault;
  /** Set when the default was dropped or changed meaning. */
  readonly note?: ({ readonly id: 'default-dropped'; readonly data: PayloadOf<'default-dropped'> } | { readonly id: 'default-semantics'; readonly data: PayloadOf<'default-semantics'> }) & { readonly fix?: string };
}

const TEMPORAL = new Set(['DATETIME', 'TIMESTAMP']);
const NO_LITERAL_DEFAULT = new Set(['TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON', 'VECTOR']);
const NOW_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp', 'clock_timestamp', 'localtimestamp', 'current_timestamp']);
const UUID_FUNCTIONS = new Set(['gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v7', 'uuidv4', 'uuidv7']);

function unwrap(e: Expr): Expr {
  return e.k === 'cast' ? unwrap(e.expr) : e;
}

function isNow(e: Expr): boolean {
  if (e.k === 'keyword') return e.name === 'CURRENT_TIMESTAMP' || e.name === 'LOCALTIMESTAMP';
  if (e.k === 'func') return NOW_FUNCTIONS.has(e.name.toLowerCase()) && e.args.length === 0;
  // 'now'::text::timestamp, the spelling of older pg_dump versions, and hand-written 'NOW()'.
  if (e.k === 'string') return /^\s*now(\(\))?\s*$/i.test(e.value);
  return false;
}

/** `timezone('utc', now())` and `now() AT TIME ZONE 'utc'` (parsed as timezone()). */
function isUtcNow(e: Expr): boolean {
  return e.k === 'func' && e.name.toLowerCase() === 'timezone' && e.args.length === 2 && isNow(unwrap(e.args[1]!));
}

const ok = (value: TidbDefault): DefaultDecision => ({ value });
const drop = (data: PayloadOf<'default-dropped'>, fix?: string): DefaultDecision => ({ note: { id: 'default-dropped', data, ...(fix ? { fix } : {}) } });

/** The JSON document of a PostgreSQL literal as a TiDB expression (JSON_OBJECT/JSON_ARRAY/JSON_QUOTE only). */
function jsonDefault(text: string): DefaultDecision {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return drop({ reason: 'json-invalid', value: text });
  }
  const build = (v: unknown): string => {
    if (v === null) return 'NULL';
    if (Array.isArray(v)) return `JSON_ARRAY(${v.map(build).join(', ')})`;
    if (typeof v === 'object') return `JSON_OBJECT(${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${quoteString(k)}, ${build(x)}`).join(', ')})`;
    if (typeof v === 'string') return quoteString(v);
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    return String(v);
  };
  if (typeof doc === 'string') return ok({ kind: 'expression', sql: `JSON_QUOTE(${quoteString(doc)})` });
  if (doc === null || typeof doc !== 'object') return drop({ reason: 'json-scalar', value: text });
  return ok({ kind: 'expression', sql: build(doc) });
}

/**
 * Translates a column default for a column of the given TiDB type (tidb.md §2: literals
 * except on TEXT/BLOB/JSON, and a short allow-list of function defaults).
 */
export function translateDefault(expr: Expr, type: TidbType, pgIsArray: boolean): DefaultDecision {
  const e = unwrap(expr);
  const base = type.base;
  if (e.k === 'null') return {};

  if (pgIsArray && base === 'JSON') {
    if (e.k === 'string') {
      const items = parsePgArrayLiteral(e.value);
      if (!items) return drop({ reason: 'array-literal', value: e.value });
      const t = translateExpr({ k: 'cast', expr: e, type: { kind: 'array', element: { kind: 'unsupported', raw: '' }, dims: 1, raw: '' } });
      return t.ok ? ok({ kind: 'expression', sql: t.sql }) : drop({ reason: 'array-untranslatable', why: t.reason });
    }
    if (e.k === 'array') {
      const t = translateExpr(e);
      return t.ok ? ok({ kind: 'expression', sql: t.sql }) : drop({ reason: 'array-untranslatable', why: t.reason });
    }
  }
  if (base === 'JSON') {
    if (e.k === 'string') return jsonDefault(e.value);
    if (e.k === 'func' && /^(jsonb?_build_object|jsonb?_build_array)$/i.test(e.name) && e.args.length === 0) {
      return ok({ kind: 'expression', sql: /object/i.test(e.name) ? 'JSON_OBJECT()' : 'JSON_ARRAY()' });
    }
    return drop({ reason: 'json-expression', expression: describe(expr) });
  }

  if (TEMPORAL.has(base) && (isNow(e) || (e.k === 'keyword' && e.name === 'CURRENT_TIMESTAMP'))) {
    const fsp = type.fsp ?? 0;
    const clock = e.k === 'func' && e.name.toLowerCase() === 'clock_timestamp';
    return {
      value: { kind: 'current-timestamp', fsp },
      note: {
        id: 'default-semantics',
        data: clock ? { reason: 'clock-time' } : e.k === 'keyword' && e.precision !== undefined && e.precision < fsp ? { reason: 'precision-widened', precision: e.precision, fsp } : { reason: 'statement-time' },
      },
    };
  }
  if (TEMPORAL.has(base) && isUtcNow(e)) {
    return {
      value: { kind: 'current-timestamp', fsp: type.fsp ?? 0 },
      note: { id: 'default-semantics', data: { reason: 'utc-session-zone' }, fix: "Set time_zone = '+00:00' on every connection." },
    };
  }
  if (base === 'DATE' && ((e.k === 'keyword' && e.name === 'CURRENT_DATE') || (expr.k === 'cast' && isNow(e)))) {
    return ok({ kind: 'expression', sql: 'CURRENT_DATE' });
  }
  if (e.k === 'func' && UUID_FUNCTIONS.has(e.name.toLowerCase()) && e.args.length === 0) {
    const sql = base === 'BINARY' ? 'UUID_TO_BIN(UUID())' : 'UUID()';
    if (base !== 'BINARY' && base !== 'CHAR' && base !== 'VARCHAR') return drop({ reason: 'uuid-type', expression: `${e.name}()`, type: base });
    return {
      value: { kind: 'expression', sql },
      note: { id: 'default-semantics', data: { reason: 'uuid-v1', function: e.name, expression: sql }, fix: 'Generate UUIDs in the application if v4/v7 matter.' },
    };
  }
  if (e.k === 'string' || e.k === 'number' || e.k === 'bool') {
    if (NO_LITERAL_DEFAULT.has(base)) {
      return drop({ reason: 'literal-on-blob', expression: describe(expr), type: base }, 'Give the column a bounded type (varchar(n)) or set the value in the application.');
    }
    return literal(e, type);
  }
  if (e.k === 'unary' && e.op === '-' && e.expr.k === 'number') return literal({ k: 'number', value: `-${e.expr.value}` }, type);
  if (e.k === 'keyword') return drop({ reason: 'keyword', expression: e.name });
  return drop({ reason: 'expression-not-allowed', expression: describe(expr) });
}

function literal(e: Extract<Expr, { k: 'string' | 'number' | 'bool' }>, type: TidbType): DefaultDecision {
  const base = type.base;
  if (e.k === 'bool') {
    if (base === 'BOOLEAN' || base === 'TINYINT' || base === 'BIT') return ok({ kind: 'literal', sql: e.value ? '1' : '0' });
    return ok({ kind: 'literal', sql: quoteString(e.value ? 'true' : 'false') });
  }
  if (e.k === 'number') {
    if (base === 'BOOLEAN') return ok({ kind: 'literal', sql: Number(e.value) === 0 ? '0' : '1' });
    if (['CHAR', 'VARCHAR', 'ENUM', 'BINARY', 'VARBINARY'].includes(base)) return ok({ kind: 'literal', sql: quoteString(e.value) });
    return ok({ kind: 'literal', sql: e.value });
  }
  const value = e.value;
  if (base === 'BOOLEAN') {
    const truthy = ['t', 'true', 'y', 'yes', 'on', '1'].includes(value.toLowerCase());
    const falsy = ['f', 'false', 'n', 'no', 'off', '0'].includes(value.toLowerCase());
    if (!truthy && !falsy) return drop({ reason: 'not-boolean', value });
    return ok({ kind: 'literal', sql: truthy ? '1' : '0' });
  }
  if (['DATE', 'DATETIME', 'TIMESTAMP', 'TIME'].includes(base)) {
    if (/^[+-]?infinity$|^epoch$|^now$|^today$|^tomorrow$|^yesterday$/i.test(value)) {
      return drop({ reason: 'special-value', value });
    }
    return ok({ kind: 'literal', sql: quoteString(base === 'DATE' || base === 'TIME' ? value.trim() : toUtcDatetime(value)) });
  }
  if (['SMALLINT', 'INT', 'BIGINT', 'TINYINT', 'DECIMAL', 'FLOAT', 'DOUBLE'].includes(base)) {
    if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return drop({ reason: 'not-number', value });
    return ok({ kind: 'literal', sql: value.trim() });
  }
  if (base === 'ENUM' && type.values && !type.values.includes(value)) return drop({ reason: 'not-enum-member', value });
  if (base === 'BINARY' || base === 'VARBINARY') {
    // Measured on tidb-server v8.5: a 0x.. or x'..' default on VARBINARY is stored as its UTF-8 text.
    return drop({ reason: 'binary-literal', value, expression: quoteString(value) }, 'Set the value in the application.');
  }
  if (base === 'BIT') {
    if (/^[01]+$/.test(value)) return ok({ kind: 'literal', sql: `b'${value}'` });
    return drop({ reason: 'not-bit-string', value });
  }
  return ok({ kind: 'literal', sql: quoteString(value) });
}

/** A timestamp literal with a UTC offset, as the UTC DATETIME text the mapping stores. */
function toUtcDatetime(value: string): string {
  const v = value.trim();
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)\s*(Z|[+-]\d\d(?::?\d\d)?)$/i.exec(v);
  if (!m) return v;
  const offset = m[3]!.toUpperCase() === 'Z' ? '+00:00' : m[3]!.length === 3 ? `${m[3]}:00` : m[3]!.includes(':') ? m[3]! : `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}`;
  const fraction = /\.(\d+)/.exec(m[2]!)?.[1] ?? '';
  const date = new Date(`${m[1]}T${m[2]!.replace(/\.\d+/, '')}${offset}`);
  if (Number.isNaN(date.getTime())) return v;
  const iso = date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  return fraction ? `${iso}.${fraction}` : iso;
}

function describe(e: Expr): string {
  switch (e.k) {
    case 'string':
      return quoteString(e.value);
    case 'number':
      return e.value;
    case 'func':
      return `${e.name}(${e.args.length > 0 ? '...' : ''})`;
    case 'cast':
      return `${describe(e.expr)}::${e.type.raw}`;
    case 'raw':
      return e.text;
    case 'keyword':
      return e.name;
    case 'interval':
      return `interval ${quoteString(e.value)}`;
    case 'binary':
      return `${describe(e.left)} ${e.op} ${describe(e.right)}`;
    case 'column':
      return e.name;
    case 'bool':
      return e.value ? 'true' : 'false';
    default:
      return `(${e.k} expression)`;
  }
}
