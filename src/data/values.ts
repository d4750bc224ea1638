/**
 * The value converters: one row per PostgreSQL type the IR knows, keyed like TYPE_RULES
 * (src/transform/type-rules.ts), `satisfies Record<ScalarTypeName, ValueConverter>` so tsc rejects
 * a missing row. Each row reads PostgreSQL's text form of a value (COPY output, or an INSERT
 * literal) and writes what the column's decided TiDB type holds, following `TidbColumn.type`
 * (so `--uuid binary16` gives 16 bytes, an override to VARCHAR gives text). A value TiDB cannot
 * hold is never changed silently: the converter returns an Unrepresentable with the reason.
 */
import type { TidbType } from '../ir/tidb.js';
import type { ScalarTypeName } from '../ir/types.js';
import { parseHstore } from './pg-text.js';

/** What a column gets: text, bytes (BINARY/BLOB/BIT), or NULL. */
// Uint8Array, not Buffer, in the exported types: a user's project without @types/node still type-checks
// our declarations (the values are Buffers at run time).
export type Cell = string | Uint8Array | null;

export class Unrepresentable {
  constructor(readonly reason: string) {}
}

export type Converted = string | Uint8Array | Unrepresentable;

export interface ValueConverter {
  /** PostgreSQL text -> the TiDB column's value. */
  readonly toTidb: (text: string, target: TidbType) => Converted;
  /** PostgreSQL text -> a JSON value, for elements of arrays and attributes of composites (as to_json writes them). */
  readonly toJson?: (text: string) => string | Unrepresentable;
}

const bad = (reason: string): Unrepresentable => new Unrepresentable(reason);

const INTEGER = /^[+-]?\d+$/;

function integer(text: string): Converted {
  const t = text.trim();
  return INTEGER.test(t) ? t.replace(/^\+/, '') : bad(`not an integer: ${t}`);
}

/** numeric text -> DECIMAL(p,s) text, or why it does not fit (TiDB would round or refuse). */
export function decimal(text: string, target: TidbType): Converted {
  const t = text.trim();
  if (/^[+-]?(nan|infinity|inf)$/i.test(t)) return bad(`numeric ${t} has no DECIMAL value`);
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return bad(`not a number: ${t}`);
  let intPart = m[2] ?? '';
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  if (exp > 0) {
    intPart += frac.slice(0, exp).padEnd(exp, '0');
    frac = frac.slice(exp);
  } else if (exp < 0) {
    const pad = intPart.padStart(-exp, '0');
    frac = pad.slice(pad.length + exp) + frac;
    intPart = pad.slice(0, pad.length + exp);
  }
  intPart = intPart.replace(/^0+/, '');
  const fracTrimmed = frac.replace(/0+$/, '');
  if (target.base === 'DECIMAL') {
    const p = target.precision ?? 10;
    const s = target.scale ?? 0;
    if (intPart.length > p - s) return bad(`${t} has ${intPart.length} integer digits; DECIMAL(${p},${s}) holds ${p - s}`);
    if (fracTrimmed.length > s) return bad(`${t} has ${fracTrimmed.length} fractional digits; DECIMAL(${p},${s}) would round it to ${s}`);
  }
  const sign = m[1] === '-' && (intPart !== '' || fracTrimmed !== '') ? '-' : '';
  return `${sign}${intPart || '0'}${fracTrimmed ? `.${fracTrimmed}` : ''}`;
}

function float(bits: 32 | 64) {
  return (text: string): Converted => {
    const t = text.trim();
    if (/^[+-]?(nan|infinity|inf)$/i.test(t)) return bad(`${t} cannot be stored in ${bits === 32 ? 'FLOAT' : 'DOUBLE'}`);
    const v = Number(t);
    if (t === '' || Number.isNaN(v)) return bad(`not a number: ${t}`);
    // PostgreSQL's shortest float4 text (3.4028235e+38) is above FLT_MAX as a decimal; the same float32 in full is not.
    const exact = bits === 32 ? Math.fround(v) : v;
    // 1e400 reads as Infinity (PostgreSQL refuses it; a hand-written INSERT may hold it).
    if (!Number.isFinite(exact)) return bad(`${t} is out of range for ${bits === 32 ? 'FLOAT' : 'DOUBLE'}`);
    return Object.is(exact, -0) ? '-0' : String(exact);
  };
}

/** money output ('$1,234.56', '-$0.01', '($5.00)') or input ('1234.56') -> DECIMAL text. */
function money(text: string, target: TidbType): Converted {
  const t = text.trim();
  const m = /^(-)?\(?([^\d\s(),.-]*)\s?(-)?([\d,]*)(\.\d+)?\)?$/.exec(t);
  if (!m || m[4] === '') return bad(`money text in an unknown format: ${t}`);
  const negative = m[1] === '-' || m[3] === '-' || t.startsWith('(');
  return decimal(`${negative ? '-' : ''}${m[4]!.replace(/,/g, '')}${m[5] ?? ''}`, target);
}

const BOOL_TRUE = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const BOOL_FALSE = new Set(['f', 'false', 'n', 'no', 'of', 'off', '0']);

function boolean(text: string): Converted {
  const t = text.trim().toLowerCase();
  if (BOOL_TRUE.has(t)) return '1';
  if (BOOL_FALSE.has(t)) return '0';
  return bad(`not a boolean: ${text}`);
}

/** uuid input forms (braces, upper case, hyphens anywhere) -> canonical text, or 16 bytes for BINARY(16). */
function uuid(text: string, target: TidbType): Converted {
  const hex = text.trim().replace(/^\{|\}$/g, '').replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return bad(`not a uuid: ${text}`);
  if (target.base === 'BINARY' || target.base === 'VARBINARY' || target.base.endsWith('BLOB')) return Buffer.from(hex, 'hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** bytea hex format (`\x0aff`) or escape format (`a\000\\`) -> bytes. */
export function bytea(text: string): Converted {
  if (text.startsWith('\\x')) {
    const hex = text.slice(2);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return bad('bytea hex text with an odd length or a non-hex digit');
    return Buffer.from(hex, 'hex');
  }
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 92) {
      if (c > 0x7f) for (const b of Buffer.from(text[i]!, 'utf8')) out.push(b);
      else out.push(c);
      continue;
    }
    if (text[i + 1] === '\\') {
      out.push(92);
      i++;
    } else if (/^[0-3][0-7][0-7]$/.test(text.slice(i + 1, i + 4))) {
      out.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else return bad('bytea escape format: a backslash must be followed by another or by three octal digits');
  }
  return Buffer.from(out);
}

/** bit string '0101' -> big-endian bytes, the way BIT(n) and VARBINARY hold it. */
export function bits(text: string, target: TidbType): Converted {
  const t = text.trim();
  if (!/^[01]*$/.test(t)) return bad(`not a bit string: ${t}`);
  if (target.base === 'BIT' && t.length > (target.length ?? 1)) return bad(`${t.length} bits do not fit BIT(${target.length ?? 1})`);
  const size = target.base === 'BIT' ? Math.max(1, Math.ceil(t.length / 8)) : Math.ceil(t.length / 8);
  const buf = Buffer.alloc(size);
  let n = t === '' ? 0n : BigInt(`0b${t}`);
  if (target.base !== 'BIT') n <<= BigInt(size * 8 - t.length); // VARBINARY: the bits from the first byte's top, as PostgreSQL stores them
  for (let i = size - 1; i >= 0; i--) {
    buf[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return buf;
}

/** A date/time as PostgreSQL's input accepts it in dumps and INSERTs (ISO, Y/M/D, M/D/Y under the default DateStyle MDY). */
interface DateTimeParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  /** 'HH:MM:SS[.f]', absent for a bare date. */
  readonly time?: string;
  /** Offset east of UTC in seconds, when the text gives one. */
  readonly offset?: number;
  readonly bc: boolean;
}

const p2 = (n: string | number): string => String(n).padStart(2, '0');

const DATE_PART = /^(?:(\d{4,})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{1,2})\/(\d{1,2})\/(\d{4,}))/;
const TIME_PART = /^[ T]+(\d{1,2}):(\d\d)(?::(\d\d)(\.\d+)?)?/;
const OFFSET_PART = /^\s*(?:(Z|UTC|GMT)|([+-])(\d\d?)(?::?(\d\d))?(?::(\d\d))?)/i;

export function parseDateTime(text: string): DateTimeParts | undefined {
  let s = text.trim();
  const d = DATE_PART.exec(s);
  if (!d) return undefined;
  s = s.slice(d[0].length);
  const [year, month, day] = d[1] ? [d[1], d[2]!, d[3]!] : [d[6]!, d[4]!, d[5]!];
  let time: string | undefined;
  const t = TIME_PART.exec(s);
  if (t) {
    time = `${p2(t[1]!)}:${t[2]}:${t[3] ?? '00'}${t[4] ?? ''}`;
    s = s.slice(t[0].length);
  }
  let offset: number | undefined;
  const o = OFFSET_PART.exec(s);
  if (o && (o[1] || time)) {
    offset = o[1] ? 0 : (o[2] === '-' ? -1 : 1) * (Number(o[3]) * 3600 + Number(o[4] ?? 0) * 60 + Number(o[5] ?? 0));
    s = s.slice(o[0].length);
  }
  const bc = /^\s*BC$/i.test(s);
  if (!bc && s.trim() !== '') return undefined;
  const m = Number(month);
  const dd = Number(day);
  if (m < 1 || m > 12 || dd < 1 || dd > 31) return undefined;
  return { year: year.padStart(4, '0'), month: p2(month), day: p2(day), ...(time ? { time } : {}), ...(offset !== undefined ? { offset } : {}), bc };
}

const SPECIAL_DATETIME = /^[+-]?infinity$|^(epoch|now|today|tomorrow|yesterday|allballs)$/i;

function dateValue(text: string): Converted {
  const t = text.trim();
  if (SPECIAL_DATETIME.test(t)) return bad(`${t} cannot be stored in DATE`);
  const d = parseDateTime(t);
  if (!d) return bad(`date text not understood: ${t}`);
  if (d.bc) return bad(`BC date ${t} cannot be stored in DATE`);
  if (d.year.length > 4) return bad(`${t} is after 9999-12-31`);
  return `${d.year}-${d.month}-${d.day}`;
}

function timestampValue(text: string): Converted {
  const t = text.trim();
  if (SPECIAL_DATETIME.test(t)) return bad(`${t} cannot be stored in DATETIME`);
  const d = parseDateTime(t);
  if (!d) return bad(`timestamp text not understood: ${t}`);
  if (d.bc) return bad(`BC timestamp ${t} would be stored as AD`);
  if (d.year.length > 4) return bad(`${t} is after 9999-12-31`);
  return `${d.year}-${d.month}-${d.day} ${d.time ?? '00:00:00'}`;
}

/**
 * timestamptz text (any session zone: '-02:30', LMT offsets with seconds, ' BC') -> UTC text.
 * A value without an offset is taken as UTC (pg_dump always writes one).
 */
export function timestamptzUtc(text: string): string | undefined {
  const fast = canonicalTimestamptzUtc(text);
  if (fast !== undefined) return fast;
  const p = parseDateTime(text);
  if (!p) return undefined;
  const [hh, mm, rest] = (p.time ?? '00:00:00').split(':') as [string, string, string];
  const [ss, frac] = rest.split('.') as [string, string | undefined];
  const year = p.bc ? 1 - Number(p.year) : Number(p.year); // 1 BC is astronomical year 0
  const d = new Date(0);
  d.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  d.setUTCHours(Number(hh), Number(mm), Number(ss) - (p.offset ?? 0), 0);
  const y = d.getUTCFullYear();
  const yearText = y < 1 ? `-${String(1 - y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${yearText}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac !== undefined ? `.${frac}` : ''}`;
}

/** pg_dump's own form (ISO DateStyle, years 1000-9999 AD, offset in hours[:minutes[:seconds]]): one regex and Date.UTC, no parts object. */
const CANONICAL_TIMESTAMPTZ = /^([1-9]\d{3})-(\d\d)-(\d\d) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?$/;

function canonicalTimestamptzUtc(text: string): string | undefined {
  const m = CANONICAL_TIMESTAMPTZ.exec(text);
  if (!m) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  const d = new Date(Date.UTC(Number(m[1]), month - 1, day, Number(m[4]), Number(m[5]), Number(m[6]) - offset));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${m[7] ?? ''}`;
}

function timestamptz(text: string, target: TidbType): Converted {
  const t = text.trim();
  if (SPECIAL_DATETIME.test(t)) return bad(`${t} cannot be stored in ${target.base}`);
  const utc = timestamptzUtc(t);
  if (utc === undefined) return bad(`timestamptz text not understood: ${t}`);
  if (utc.startsWith('-') || utc.startsWith('0000')) return bad(`${t} is before 0001-01-01 UTC`);
  if (/^\d{5,}/.test(utc)) return bad(`${t} is after 9999-12-31 UTC`);
  // TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07.999999 UTC.
  if (target.base === 'TIMESTAMP' && (utc < '1970-01-01 00:00:01' || utc > '2038-01-19 03:14:07.999999')) return bad(`${t} is outside TIMESTAMP's 1970..2038 range`);
  return utc;
}

function timeValue(text: string): Converted {
  const t = text.trim();
  return /^\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(t) ? t : bad(`time not in HH:MM:SS form: ${t}`);
}

/** timetz: the local time is kept, the offset is the declared loss. */
function timetz(text: string): Converted {
  const m = /^(\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:[+-]\d\d(?::?\d\d){0,2})?$/.exec(text.trim());
  return m ? m[1]! : bad(`time with time zone not in HH:MM:SS+TZ form: ${text}`);
}

/**
 * interval in any IntervalStyle PostgreSQL prints ('1 year 2 mons 3 days 04:05:06.789',
 * '@ 1 hour ago', ISO 'P1Y2M...') -> ISO 8601 as IntervalStyle iso_8601 prints it: the text
 * form the mapping stores.
 */
export function intervalIso(text: string): string | Unrepresentable {
  const t = text.trim();
  if (/^-?P/.test(t)) return t;
  let s = t.replace(/^@\s*/, '');
  const ago = /\s+ago$/.test(s);
  s = s.replace(/\s+ago$/, '');
  // A bare number is seconds ('0', '@ 1.5').
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) s = `${s} secs`;
  let years = 0;
  let months = 0;
  let days = 0;
  let micros = 0n;
  const unitRe = /([+-]?\d+(?:\.\d+)?)\s*(years?|mons?|months?|days?|hours?|mins?|minutes?|secs?|seconds?)\b/gy;
  const timeRe = /([+-])?(\d+):(\d\d)(?::(\d\d)(\.\d+)?)?/y;
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    unitRe.lastIndex = i;
    const u = unitRe.exec(s);
    if (u) {
      const n = Number(u[1]);
      const unit = u[2]!;
      if (unit.startsWith('y')) years += n;
      else if (unit.startsWith('mo')) months += n;
      else if (unit.startsWith('d')) days += n;
      else if (unit.startsWith('h')) micros += BigInt(Math.round(n * 3_600_000_000));
      else if (unit.startsWith('mi')) micros += BigInt(Math.round(n * 60_000_000));
      else micros += BigInt(Math.round(n * 1_000_000));
      i = unitRe.lastIndex;
      continue;
    }
    timeRe.lastIndex = i;
    const tm = timeRe.exec(s);
    if (tm) {
      const frac = (tm[5] ?? '').slice(1).padEnd(6, '0').slice(0, 6);
      const v = BigInt(tm[2]!) * 3_600_000_000n + BigInt(tm[3]!) * 60_000_000n + BigInt(tm[4] ?? '0') * 1_000_000n + BigInt(frac || '0');
      micros += tm[1] === '-' ? -v : v;
      i = timeRe.lastIndex;
      continue;
    }
    return bad(`interval text not understood: ${t}`);
  }
  if (ago) {
    years = -years;
    months = -months;
    days = -days;
    micros = -micros;
  }
  if (!Number.isInteger(years) || !Number.isInteger(months) || !Number.isInteger(days)) return bad(`interval with fractional years, months or days: ${t}`);
  months += years * 12;
  const y = Math.trunc(months / 12);
  const mo = months % 12;
  let out = 'P';
  if (y) out += `${y}Y`;
  if (mo) out += `${mo}M`;
  if (days) out += `${days}D`;
  if (micros !== 0n) {
    const neg = micros < 0n;
    const abs = neg ? -micros : micros;
    const h = abs / 3_600_000_000n;
    const mi = (abs / 60_000_000n) % 60n;
    const sec = (abs / 1_000_000n) % 60n;
    const us = abs % 1_000_000n;
    const sign = neg ? '-' : '';
    out += 'T';
    if (h) out += `${sign}${h}H`;
    if (mi) out += `${sign}${mi}M`;
    if (sec || us) out += `${sign}${sec}${us ? `.${us.toString().padStart(6, '0').replace(/0+$/, '')}` : ''}S`;
  }
  return out === 'P' ? 'PT0S' : out;
}

/** pg_lsn 'X/Y' -> the 64-bit position. */
function pgLsn(text: string): Converted {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text.trim());
  return m ? ((BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)).toString() : bad(`not a pg_lsn: ${text}`);
}

function hstore(text: string): Converted {
  try {
    const obj: Record<string, string | null> = {};
    for (const [k, v] of parseHstore(text)) obj[k] = v;
    return JSON.stringify(obj);
  } catch (e) {
    return bad(`hstore: ${(e as Error).message}`);
  }
}

/** sparsevec '{1:1.5,3:2}/5' -> {"dimensions":5,"elements":{"1":1.5,"3":2}} (1-based indexes as pgvector writes them). */
function sparsevec(text: string): Converted {
  const m = /^\{([^}]*)\}\/(\d+)$/.exec(text.trim());
  if (!m) return bad(`not a sparsevec: ${text}`);
  const elements: Record<string, number> = {};
  for (const part of m[1] ? m[1].split(',') : []) {
    const [i, v] = part.split(':');
    const n = Number(v);
    if (!i || !Number.isFinite(n)) return bad(`sparsevec element ${part} is not index:number`);
    elements[i.trim()] = n;
  }
  return JSON.stringify({ dimensions: Number(m[2]), elements });
}

/** pgvector '[1,2,3]': the same text is TiDB's VECTOR literal and a JSON array. */
function vector(text: string): Converted {
  const t = text.trim();
  if (!/^\[[^\]]*\]$/.test(t)) return bad(`not a vector: ${t}`);
  if (/nan|inf/i.test(t)) return bad(`vector ${t.slice(0, 40)} holds NaN or Infinity`);
  return t;
}

/** PostGIS geometry: COPY writes hex EWKB, which is stored as bytes. */
function wkbHex(text: string): Converted {
  const t = text.trim();
  return /^(?:[0-9A-Fa-f]{2})+$/.test(t) ? Buffer.from(t, 'hex') : bad('PostGIS value is not hex (E)WKB; dump it with COPY or ST_AsEWKB');
}

const asText = (text: string): Converted => text;

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * json/jsonb -> TiDB JSON, which stores numbers as int64, uint64 or double: a number that
 * changes on the way (more digits than a double keeps, or beyond its range) is refused.
 */
function json(text: string): Converted {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip a string, with its escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
      continue;
    }
    if (c !== 45 && (c < 48 || c > 57)) continue;
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) continue;
    const num = m[0];
    i += num.length - 1;
    if (!m[1] && !m[2]) {
      const v = BigInt(num);
      if (v >= INT64_MIN && v <= UINT64_MAX) continue;
    }
    const d = Number(num);
    if (!Number.isFinite(d)) return bad(`JSON number ${num.slice(0, 40)} is beyond the range TiDB's JSON holds`);
    if (canonicalNumber(String(d)) !== canonicalNumber(num)) return bad(`JSON number ${num.slice(0, 40)} would be stored as the double ${d}`);
  }
  return text;
}

/** A decimal number's digits and exponent, for comparing spellings: '1.50' = '1.5', '1e3' = '1000'. */
function canonicalNumber(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let exp = (m[2] ?? '').length + Number(m[4] ?? 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  exp -= lead;
  return digits === '' ? '0' : `${m[1]}0.${digits}e${exp}`;
}

const jsonNumber = (text: string): string | Unrepresentable => {
  const t = text.trim();
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(t) ? t : JSON.stringify(t);
};
const jsonText = (text: string): string => JSON.stringify(text);
const jsonOf =
  (conv: (text: string, target: TidbType) => Converted, target: TidbType) =>
  (text: string): string | Unrepresentable => {
    const v = conv(text, target);
    if (v instanceof Unrepresentable) return v;
    return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(`\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`);
  };
const rawJson = (text: string): string => text;

const numberRow: ValueConverter = { toTidb: integer, toJson: jsonNumber };
const textRow: ValueConverter = { toTidb: asText, toJson: jsonText };

export const VALUE_CONVERTERS = {
  smallint: numberRow,
  integer: numberRow,
  bigint: numberRow,
  numeric: { toTidb: decimal, toJson: jsonNumber },
  real: { toTidb: float(32), toJson: jsonNumber },
  'double precision': { toTidb: float(64), toJson: jsonNumber },
  money: { toTidb: money, toJson: jsonText },
  oid: numberRow,
  xid: numberRow,
  pg_lsn: { toTidb: pgLsn, toJson: jsonText },
  'character varying': textRow,
  character: textRow,
  text: textRow,
  citext: textRow,
  name: textRow,
  '"char"': textRow,
  bytea: { toTidb: bytea, toJson: jsonText },
  boolean: { toTidb: boolean, toJson: (t) => (BOOL_TRUE.has(t.trim().toLowerCase()) ? 'true' : BOOL_FALSE.has(t.trim().toLowerCase()) ? 'false' : bad(`not a boolean: ${t}`)) },
  uuid: { toTidb: uuid, toJson: jsonOf(uuid, { base: 'CHAR', length: 36 }) },
  json: { toTidb: json, toJson: rawJson },
  jsonb: { toTidb: json, toJson: rawJson },
  xml: textRow,
  hstore: { toTidb: hstore, toJson: (t) => hstore(t) as string | Unrepresentable },
  ltree: textRow,
  bit: { toTidb: bits, toJson: jsonText },
  'bit varying': { toTidb: bits, toJson: jsonText },
  inet: textRow,
  cidr: textRow,
  macaddr: textRow,
  macaddr8: textRow,
  tsvector: textRow,
  tsquery: textRow,
  vector: { toTidb: vector, toJson: rawJson },
  halfvec: { toTidb: vector, toJson: rawJson },
  sparsevec: { toTidb: sparsevec, toJson: (t) => sparsevec(t) as string | Unrepresentable },
  date: { toTidb: dateValue, toJson: jsonText },
  time: { toTidb: timeValue, toJson: jsonText },
  'time with time zone': { toTidb: timetz, toJson: jsonText },
  timestamp: { toTidb: timestampValue, toJson: (t) => JSON.stringify(t.trim().replace(' ', 'T')) },
  'timestamp with time zone': { toTidb: timestamptz, toJson: jsonText },
  interval: { toTidb: intervalIso, toJson: jsonOf(intervalIso, { base: 'VARCHAR', length: 64 }) },
  int4range: textRow,
  int8range: textRow,
  numrange: textRow,
  daterange: textRow,
  tsrange: textRow,
  tstzrange: textRow,
  int4multirange: textRow,
  int8multirange: textRow,
  nummultirange: textRow,
  datemultirange: textRow,
  tsmultirange: textRow,
  tstzmultirange: textRow,
  point: textRow,
  line: textRow,
  lseg: textRow,
  box: textRow,
  path: textRow,
  polygon: textRow,
  circle: textRow,
  geometry: { toTidb: wkbHex, toJson: jsonText },
  geography: { toTidb: wkbHex, toJson: jsonText },
  regclass: textRow,
  regtype: textRow,
  regproc: textRow,
  regprocedure: textRow,
  regoper: textRow,
  regnamespace: textRow,
  regrole: textRow,
  regconfig: textRow,
} satisfies Record<ScalarTypeName, ValueConverter>;

/** Byte limits of the text and blob types (tidb.md §1.3), as fitTarget applies them (the fast converters too). */
export const BYTE_LIMITS: Partial<Record<TidbType['base'], number>> = {
  TEXT: 65_535,
  BLOB: 65_535,
  MEDIUMTEXT: 16_777_215,
  MEDIUMBLOB: 16_777_215,
  LONGTEXT: 4_294_967_295,
  LONGBLOB: 4_294_967_295,
};

/** The TiDB-side checks every converted value goes through: lengths, members, JSON and byte limits. */
export function fitTarget(value: string | Uint8Array, target: TidbType): string | Uint8Array | Unrepresentable {
  switch (target.base) {
    case 'CHAR':
    case 'VARCHAR': {
      const n = target.length ?? 1;
      if (typeof value === 'string') {
        // Count code points only when the UTF-16 length could exceed the limit.
        if (value.length > n && [...value].length > n) return bad(`${[...value].length} characters do not fit ${target.base}(${n})`);
        if (target.charset === 'ascii' && /[^\x00-\x7f]/.test(value)) return bad(`non-ASCII text in an ascii column`);
      } else return bad(`binary value for a ${target.base} column`);
      return value;
    }
    case 'BINARY':
    case 'VARBINARY': {
      const len = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
      const n = target.length ?? 1;
      if (len > n) return bad(`${len} bytes do not fit ${target.base}(${n})`);
      return value;
    }
    case 'ENUM': {
      if (typeof value !== 'string' || !(target.values ?? []).includes(value)) return bad(`${String(value)} is not one of the ENUM members`);
      return value;
    }
    default: {
      const limit = BYTE_LIMITS[target.base];
      if (limit !== undefined) {
        const len = typeof value === 'string' ? (value.length * 3 > limit ? Buffer.byteLength(value, 'utf8') : value.length) : value.length;
        if (len > limit) return bad(`${len} bytes do not fit ${target.base}`);
      }
      return value;
    }
  }
}

/** The text types whose value is the text itself (for the byte-level fast paths of fast-values.ts). */
export function isPlainTextScalar(name: ScalarTypeName): boolean {
  return VALUE_CONVERTERS[name].toTidb === asText;
}

/** The types whose JSON element is the text as a JSON string. */
export function isJsonTextScalar(name: ScalarTypeName): boolean {
  return (VALUE_CONVERTERS[name] as ValueConverter).toJson === jsonText;
}

/** The integer types (digits kept as they are). */
export function isNumberScalar(name: ScalarTypeName): boolean {
  return VALUE_CONVERTERS[name] === numberRow;
}
