/**
 * Byte-level fast paths of the value converters, for the forms pg_dump writes: each reads one
 * COPY field's decoded bytes and writes the CSV field (quotes included), or returns false, and
 * the caller then runs the string converter of values.ts on the same value. A fast path accepts
 * only input whose output it is sure of (the string converter's output for it, byte for byte;
 * test/data-fast.test.ts compares the two), so anything unusual, and every value that is not
 * representable, takes the string path with its diagnostics.
 */
import type { TidbType } from '../ir/tidb.js';
import type { ColumnType } from '../ir/types.js';
import { CsvOut, putEscaped } from './csv-out.js';
import { BYTE_LIMITS, isJsonTextScalar, isNumberScalar, isPlainTextScalar } from './values.js';

export type FastConvert = ((src: Uint8Array, s: number, e: number, out: CsvOut) => boolean) & {
  /**
   * The same conversion read straight from the COPY field's bytes, its escapes not yet decoded
   * (the field is not `\N`): the bytes `fast` writes for the decoded field, or false (the caller
   * then decodes the field and goes on as without it). Saves decoding into a scratch buffer.
   */
  readonly copy?: (src: Uint8Array, s: number, e: number, out: CsvOut) => boolean;
};

const Q = 0x22;
const BS = 0x5c;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;


/** A target fitTarget passes every value of (no length, member or byte limit). */
function plainTarget(t: TidbType): boolean {
  return !['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'ENUM'].includes(t.base) && BYTE_LIMITS[t.base] === undefined;
}

function quoted(out: CsvOut, src: Uint8Array, s: number, e: number): void {
  out.reserve(2 * (e - s) + 2);
  out.buf[out.pos++] = Q;
  out.escaped(src, s, e);
  out.buf[out.pos++] = Q;
}

function integerFast(src: Uint8Array, s: number, e: number, out: CsvOut): boolean {
  let i = s;
  if (src[i] === 45) i++;
  if (i >= e) return false;
  for (; i < e; i++) if (!isDigit(src[i]!)) return false;
  out.reserve(e - s + 2);
  out.buf[out.pos++] = Q;
  out.raw(src, s, e);
  out.buf[out.pos++] = Q;
  return true;
}

/**
 * A COPY text field's decoded byte for `\x` (256: an octal or hex escape, which the string path
 * decodes), as copy-batch.ts's unescape decodes it.
 */
const COPY_UNESCAPE = new Uint16Array(256);
for (let x = 0; x < 256; x++) COPY_UNESCAPE[x] = (x >= 48 && x <= 55) || x === 0x78 ? 256 : x;
COPY_UNESCAPE[0x62] = 8;
COPY_UNESCAPE[0x66] = 12;
COPY_UNESCAPE[0x6e] = 10;
COPY_UNESCAPE[0x72] = 13;
COPY_UNESCAPE[0x74] = 9;
COPY_UNESCAPE[0x76] = 11;

/**
 * A COPY text field into a quoted CSV field in one pass, its COPY escapes decoded and the CSV's
 * applied (`quoted` over the decoded bytes); false on an escape the string path decodes. With
 * `ascii`, false on any byte >= 0x80 too.
 */
function quotedCopy(out: CsvOut, src: Uint8Array, s: number, e: number, ascii: boolean): boolean {
  out.reserve(2 * (e - s) + 2);
  const b = out.buf;
  let p = out.pos;
  b[p++] = Q;
  for (let i = s; i < e; i++) {
    let c = src[i]!;
    if (c === BS) {
      if (++i >= e) return false;
      c = COPY_UNESCAPE[src[i]!]!;
      if (c === 256) return false;
    } else if (ascii && c >= 0x80) return false;
    p = putEscaped(b, p, c);
  }
  b[p++] = Q;
  out.pos = p;
  return true;
}

/** Escapes (backslashes) in a COPY field: each is two bytes for one decoded byte. */
function escapes(src: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) {
    if (src[i] === BS) {
      n++;
      i++;
    }
  }
  return n;
}

/** Code points of UTF-8 bytes: every byte that is not a continuation byte. */
function codePoints(src: Uint8Array, s: number, e: number): number {
  let cps = 0;
  for (let i = s; i < e; i++) if ((src[i]! & 0xc0) !== 0x80) cps++;
  return cps;
}

function textFast(target: TidbType): FastConvert | undefined {
  if (target.base === 'CHAR' || target.base === 'VARCHAR') {
    const n = target.length ?? 1;
    const ascii = target.charset === 'ascii';
    const fast: FastConvert = (src, s, e, out) => {
      if (e - s > n && codePoints(src, s, e) > n) return false;
      if (ascii) for (let i = s; i < e; i++) if (src[i]! >= 0x80) return false;
      quoted(out, src, s, e);
      return true;
    };
    // An escape is two ASCII bytes for one code point.
    const copy = (src: Uint8Array, s: number, e: number, out: CsvOut): boolean => (e - s <= n || codePoints(src, s, e) - escapes(src, s, e) <= n) && quotedCopy(out, src, s, e, ascii);
    return Object.assign(fast, { copy });
  }
  const limit = BYTE_LIMITS[target.base];
  if (limit !== undefined && target.base.endsWith('TEXT')) {
    const fast: FastConvert = (src, s, e, out) => {
      if (e - s > limit) return false;
      quoted(out, src, s, e);
      return true;
    };
    const copy = (src: Uint8Array, s: number, e: number, out: CsvOut): boolean => (e - s <= limit || e - s - escapes(src, s, e) <= limit) && quotedCopy(out, src, s, e, false);
    return Object.assign(fast, { copy });
  }
  return undefined;
}

/**
 * float8 text (digits, sign, point, exponent: no spaces, NaN or Infinity) into DOUBLE: the text of
 * the double it reads as, as the string path writes it, without the string path's trim and checks.
 */
function doubleFast(src: Uint8Array, s: number, e: number, out: CsvOut): boolean {
  if (e - s > 32 || e === s) return false;
  let text = '';
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    if (!isDigit(c) && c !== 45 && c !== 43 && c !== 46 && c !== 0x65 && c !== 0x45) return false;
    text += String.fromCharCode(c);
  }
  const v = Number(text);
  if (!Number.isFinite(v)) return false;
  out.reserve(28);
  out.buf[out.pos++] = Q;
  out.ascii(Object.is(v, -0) ? '-0' : String(v));
  out.buf[out.pos++] = Q;
  return true;
}

function booleanFast(src: Uint8Array, s: number, e: number, out: CsvOut): boolean {
  if (e - s !== 1) return false;
  const c = src[s];
  if (c !== 0x74 && c !== 0x66) return false;
  out.reserve(3);
  out.buf[out.pos++] = Q;
  out.buf[out.pos++] = c === 0x74 ? 0x31 : 0x30;
  out.buf[out.pos++] = Q;
  return true;
}

/** A hex digit's value per byte, -1 for any other byte. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let d = 0; d < 16; d++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(d)] = d;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(d)] = d;
}

function hexValue(c: number): number {
  return HEX_VALUE[c]!;
}

/** 1 for the bytes of canonical uuid text's hex digits (lower case). */
const LOWER_HEX = new Uint8Array(256);
for (const c of '0123456789abcdef') LOWER_HEX[c.charCodeAt(0)] = 1;

/** Canonical lower-case uuid text: 8-4-4-4-12. */
function canonicalUuid(src: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 36 || src[s + 8] !== 45 || src[s + 13] !== 45 || src[s + 18] !== 45 || src[s + 23] !== 45) return false;
  // The hyphens have no LOWER_HEX entry: and-ing every byte's entry but theirs.
  let ok = 1;
  for (let i = s; i < s + 8; i++) ok &= LOWER_HEX[src[i]!]!;
  for (let i = s + 9; i < s + 13; i++) ok &= LOWER_HEX[src[i]!]!;
  for (let i = s + 14; i < s + 18; i++) ok &= LOWER_HEX[src[i]!]!;
  for (let i = s + 19; i < s + 23; i++) ok &= LOWER_HEX[src[i]!]!;
  for (let i = s + 24; i < s + 36; i++) ok &= LOWER_HEX[src[i]!]!;
  return ok === 1;
}

function uuidFast(target: TidbType): FastConvert | undefined {
  if ((target.base === 'CHAR' || target.base === 'VARCHAR') && (target.length ?? 1) >= 36) {
    return (src, s, e, out) => {
      if (!canonicalUuid(src, s, e)) return false;
      out.reserve(38);
      out.buf[out.pos++] = Q;
      out.raw(src, s, e);
      out.buf[out.pos++] = Q;
      return true;
    };
  }
  if ((target.base === 'BINARY' || target.base === 'VARBINARY') && (target.length ?? 1) >= 16) {
    const bytes = Buffer.alloc(16);
    return (src, s, e, out) => {
      if (!canonicalUuid(src, s, e)) return false;
      let j = 0;
      for (let i = 0; i < 36; i++) {
        if (i === 8 || i === 13 || i === 18 || i === 23) continue;
        bytes[j >> 1] = j & 1 ? bytes[j >> 1]! * 16 + hexValue(src[s + i]!) : hexValue(src[s + i]!);
        j++;
      }
      quoted(out, bytes, 0, 16);
      return true;
    };
  }
  return undefined;
}

/** numeric `-?\d+(\.\d+)?` into DECIMAL(p,s): leading and trailing zeros dropped, as decimal() does. */
function decimalFast(target: TidbType): FastConvert | undefined {
  if (target.base !== 'DECIMAL') return undefined;
  const p = target.precision ?? 10;
  const sc = target.scale ?? 0;
  return (src, s, e, out) => {
    let i = s;
    const neg = src[i] === 45;
    if (neg) i++;
    const intStart = i;
    while (i < e && isDigit(src[i]!)) i++;
    const intEnd = i;
    if (intEnd === intStart) return false;
    let fracStart = i;
    let fracEnd = i;
    if (i < e) {
      if (src[i] !== 0x2e) return false;
      i++;
      fracStart = i;
      while (i < e && isDigit(src[i]!)) i++;
      if (i !== e || i === fracStart) return false;
      fracEnd = i;
    }
    let a = intStart;
    while (a < intEnd && src[a] === 48) a++;
    let z = fracEnd;
    while (z > fracStart && src[z - 1] === 48) z--;
    if (intEnd - a > p - sc || z - fracStart > sc) return false;
    out.reserve(e - s + 4);
    const b = out.buf;
    b[out.pos++] = Q;
    if (neg && (a < intEnd || z > fracStart)) b[out.pos++] = 45;
    if (a === intEnd) b[out.pos++] = 48;
    else out.raw(src, a, intEnd);
    if (z > fracStart) {
      out.buf[out.pos++] = 0x2e;
      out.raw(src, fracStart, z);
    }
    out.buf[out.pos++] = Q;
    return true;
  };
}

const two = (src: Uint8Array, i: number): number => {
  const a = src[i]! - 48;
  const b = src[i + 1]! - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

function put2(out: CsvOut, n: number): void {
  out.buf[out.pos++] = 48 + ((n / 10) | 0);
  out.buf[out.pos++] = 48 + (n % 10);
}

function monthDays(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Days since 1970-01-01 -> [year, month, day] (proleptic Gregorian; H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** pg_dump's timestamptz form (CANONICAL_TIMESTAMPTZ of values.ts) into DATETIME, as UTC. */
function timestamptzFast(target: TidbType): FastConvert | undefined {
  if (target.base !== 'DATETIME') return undefined;
  return (src, s, e, out) => {
    if (e - s < 22) return false;
    const c0 = src[s]!;
    if (c0 < 49 || c0 > 57) return false;
    const y1 = two(src, s);
    const y2 = two(src, s + 2);
    const mo = two(src, s + 5);
    const d = two(src, s + 8);
    const h = two(src, s + 11);
    const mi = two(src, s + 14);
    const sec = two(src, s + 17);
    if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return false;
    if (src[s + 4] !== 45 || src[s + 7] !== 45 || src[s + 10] !== 0x20 || src[s + 13] !== 58 || src[s + 16] !== 58) return false;
    if (h > 23 || mi > 59 || sec > 59 || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
    let i = s + 19;
    const fracStart = i;
    if (src[i] === 0x2e) {
      i++;
      const f = i;
      while (i < e && isDigit(src[i]!)) i++;
      if (i === f || i - f > 6) return false;
    }
    const fracEnd = i;
    const sign = src[i];
    if (sign !== 43 && sign !== 45) return false;
    i++;
    const oh = two(src, i);
    if (oh < 0) return false;
    i += 2;
    let om = 0;
    let os = 0;
    if (i < e) {
      if (src[i] !== 58 || (om = two(src, i + 1)) < 0) return false;
      i += 3;
      if (i < e) {
        if (src[i] !== 58 || (os = two(src, i + 1)) < 0) return false;
        i += 3;
      }
    }
    if (i !== e) return false;
    const offset = (sign === 45 ? -1 : 1) * (oh * 3600 + om * 60 + os);
    let rest = h * 3600 + mi * 60 + sec - offset;
    let yy = y1 * 100 + y2;
    let mm = mo;
    let dd = d;
    // Most values stay on their day in UTC: no calendar arithmetic (a day past the month's end takes it, as the string path does).
    if (rest < 0 || rest >= 86_400 || (d > 28 && d > monthDays(yy, mo))) {
      const ms = Date.UTC(yy, mo - 1, d, h, mi, sec - offset);
      const days = Math.floor(ms / 86_400_000);
      rest = (ms - days * 86_400_000) / 1000;
      [yy, mm, dd] = civil(days);
      if (yy < 1 || yy > 9999) return false;
    }
    out.reserve(22 + fracEnd - fracStart);
    out.buf[out.pos++] = Q;
    put2(out, (yy / 100) | 0);
    put2(out, yy % 100);
    out.buf[out.pos++] = 45;
    put2(out, mm);
    out.buf[out.pos++] = 45;
    put2(out, dd);
    out.buf[out.pos++] = 0x20;
    put2(out, (rest / 3600) | 0);
    rest %= 3600;
    out.buf[out.pos++] = 58;
    put2(out, (rest / 60) | 0);
    out.buf[out.pos++] = 58;
    put2(out, rest % 60);
    out.raw(src, fracStart, fracEnd);
    out.buf[out.pos++] = Q;
    return true;
  };
}

function dateFast(src: Uint8Array, s: number, e: number, out: CsvOut): boolean {
  if (e - s !== 10 || src[s + 4] !== 45 || src[s + 7] !== 45) return false;
  if (two(src, s) < 0 || two(src, s + 2) < 0) return false;
  const mo = two(src, s + 5);
  const d = two(src, s + 8);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  out.reserve(12);
  out.buf[out.pos++] = Q;
  out.raw(src, s, e);
  out.buf[out.pos++] = Q;
  return true;
}

/** bytea hex format `\x..` into a BLOB or (VAR)BINARY. */
function byteaFast(target: TidbType): FastConvert | undefined {
  const limit = target.base.endsWith('BLOB') ? BYTE_LIMITS[target.base] : target.base === 'BINARY' || target.base === 'VARBINARY' ? (target.length ?? 1) : undefined;
  if (limit === undefined) return undefined;
  return (src, s, e, out) => {
    if (e - s < 2 || src[s] !== BS || src[s + 1] !== 0x78 || (e - s) % 2 !== 0) return false;
    const n = (e - s - 2) / 2;
    if (n > limit) return false;
    out.reserve(2 * n + 2);
    const b = out.buf;
    const start = out.pos;
    let p = start;
    b[p++] = Q;
    for (let i = s + 2; i < e; i += 2) {
      const hi = HEX_VALUE[src[i]!]!;
      const lo = HEX_VALUE[src[i + 1]!]!;
      if ((hi | lo) < 0) {
        out.pos = start;
        return false;
      }
      const c = (hi << 4) | lo;
      p = putEscaped(b, p, c);
    }
    b[p++] = Q;
    out.pos = p;
    return true;
  };
}

/**
 * json/jsonb into JSON: json() of values.ts refuses numbers TiDB's JSON changes; this accepts the
 * text when every number is an integer of at most 18 digits or a plain decimal of at most 15
 * (both kept exactly), and leaves any other number to json().
 */
function jsonFast(src: Uint8Array, s: number, e: number, out: CsvOut): boolean {
  // One pass: checked while it is copied (escaped for the CSV), the copy dropped if a number is refused.
  out.reserve(2 * (e - s) + 2);
  const b = out.buf;
  let p = out.pos;
  b[p++] = Q;
  let inString = false;
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    if (inString) {
      if (c === Q) inString = false;
      else if (c === BS && i + 1 < e) {
        b[p++] = BS;
        b[p++] = BS;
        i++;
        const d = src[i]!;
        p = putEscaped(b, p, d);
        continue;
      }
    } else if (c === Q) inString = true;
    else if (c === 45 || isDigit(c)) {
      let j = c === 45 ? i + 1 : i;
      const d0 = j;
      while (j < e && isDigit(src[j]!)) j++;
      if (j > d0) {
        let digits = j - d0;
        if (j < e && src[j] === 0x2e && j + 1 < e && isDigit(src[j + 1]!)) {
          j++;
          const f0 = j;
          while (j < e && isDigit(src[j]!)) j++;
          digits += j - f0;
          if (digits > 15) return false;
        } else if (digits > 18) return false;
        if (j < e && (src[j] === 0x65 || src[j] === 0x45)) return false;
        // Digits, '-' and '.' need no escaping.
        for (; i < j; i++) b[p++] = src[i]!;
        i--;
        continue;
      }
      // A lone '-': not a number.
    }
    p = putEscaped(b, p, c);
  }
  b[p++] = Q;
  out.pos = p;
  return true;
}

const JSON_SHORT = new Uint8Array(32);
JSON_SHORT[8] = 0x62;
JSON_SHORT[9] = 0x74;
JSON_SHORT[10] = 0x6e;
JSON_SHORT[12] = 0x66;
JSON_SHORT[13] = 0x72;
const HEX = '0123456789abcdef';

/** A JSON string of the bytes, as JSON.stringify writes it, then escaped for the CSV. */
function jsonStringCsv(out: CsvOut, src: Uint8Array, s: number, e: number): void {
  out.reserve(12 * (e - s) + 4);
  const b = out.buf;
  let p = out.pos;
  b[p++] = BS;
  b[p++] = Q;
  for (let i = s; i < e; i++) {
    const c = src[i]!;
    if (c >= 0x20 && c !== Q && c !== BS) b[p++] = c;
    else if (c === Q || c === BS) {
      b[p++] = BS;
      b[p++] = BS;
      b[p++] = BS;
      b[p++] = c;
    } else {
      b[p++] = BS;
      b[p++] = BS;
      const short = JSON_SHORT[c]!;
      if (short) b[p++] = short;
      else {
        b[p++] = 0x75;
        b[p++] = 48;
        b[p++] = 48;
        b[p++] = HEX.charCodeAt(c >> 4);
        b[p++] = HEX.charCodeAt(c & 15);
      }
    }
  }
  b[p++] = BS;
  b[p++] = Q;
  out.pos = p;
}

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

/**
 * A one-dimensional array of text or integer elements into a JSON array, as parsePgArray and
 * arrayToJson do; decorations, nesting, odd spacing and errors go to the string path.
 */
function arrayFast(element: 'text' | 'integer'): FastConvert {
  let scratch = Buffer.allocUnsafe(256);
  return (src, s, e, out) => {
    let i = s;
    while (i < e && isSpace(src[i])) i++;
    if (src[i] !== 0x7b) return false;
    i++;
    const start = out.pos;
    out.reserve(4);
    out.buf[out.pos++] = Q;
    out.buf[out.pos++] = 0x5b;
    while (i < e && isSpace(src[i])) i++;
    let first = true;
    if (src[i] === 0x7d) i++;
    else {
      for (;;) {
        while (i < e && isSpace(src[i])) i++;
        if (i >= e || src[i] === 0x7b) return fail();
        if (scratch.length < e - s) scratch = Buffer.allocUnsafe(2 * (e - s));
        let n = 0;
        let isNull = false;
        if (src[i] === Q) {
          i++;
          for (;;) {
            if (i >= e) return fail();
            const c = src[i]!;
            if (c === BS) {
              if (i + 1 >= e) return fail();
              scratch[n++] = src[i + 1]!;
              i += 2;
            } else if (c === Q) {
              i++;
              break;
            } else {
              scratch[n++] = c;
              i++;
            }
          }
        } else {
          let escaped = false;
          while (i < e && src[i] !== 0x2c && src[i] !== 0x7d) {
            const c = src[i]!;
            if (c === Q || c === 0x7b) return fail();
            if (c === BS) {
              if (i + 1 >= e) return fail();
              scratch[n++] = src[i + 1]!;
              escaped = true;
              i += 2;
            } else {
              scratch[n++] = c;
              i++;
            }
          }
          if (!escaped) {
            // String.prototype.trim also drops Unicode spaces: leave any non-ASCII edge to the string path.
            if (n > 0 && (scratch[0]! >= 0x80 || scratch[n - 1]! >= 0x80)) return fail();
            while (n > 0 && isSpace(scratch[n - 1])) n--;
            if (n === 0) return fail();
            isNull = n === 4 && (scratch[0]! | 0x20) === 0x6e && (scratch[1]! | 0x20) === 0x75 && (scratch[2]! | 0x20) === 0x6c && (scratch[3]! | 0x20) === 0x6c;
          }
        }
        if (!first) {
          out.reserve(2);
          out.buf[out.pos++] = 0x2c;
          out.buf[out.pos++] = 0x20;
        }
        first = false;
        if (isNull) out.ascii('null');
        else if (element === 'text') jsonStringCsv(out, scratch, 0, n);
        else {
          // jsonNumber: an integer literal is written as it is; anything else (spaces to trim included) takes the string path.
          let k = 0;
          if (scratch[0] === 45) k++;
          if (k >= n || (scratch[k] === 48 && n - k > 1)) return fail();
          for (let m = k; m < n; m++) if (!isDigit(scratch[m]!)) return fail();
          out.raw(scratch, 0, n);
        }
        while (i < e && isSpace(src[i])) i++;
        const sep = src[i++];
        if (sep === 0x7d) break;
        if (sep !== 0x2c) return fail();
      }
    }
    while (i < e && isSpace(src[i])) i++;
    if (i !== e) return fail();
    out.reserve(2);
    out.buf[out.pos++] = 0x5d;
    out.buf[out.pos++] = Q;
    return true;

    function fail(): false {
      out.pos = start;
      return false;
    }
  };
}

/** The fast path for a column, or undefined when every value takes the string path. */
export function fastConverter(type: ColumnType, target: TidbType, flatOnly: boolean): FastConvert | undefined {
  if (type.kind === 'array') {
    if (flatOnly || target.base !== 'JSON' || type.element.kind !== 'scalar') return undefined;
    const name = type.element.name;
    if (isJsonTextScalar(name)) return arrayFast('text');
    if (name === 'smallint' || name === 'integer' || name === 'bigint') return arrayFast('integer');
    return undefined;
  }
  if (type.kind !== 'scalar') return undefined;
  const name = type.name;
  if (isPlainTextScalar(name)) return textFast(target);
  if (isNumberScalar(name)) return plainTarget(target) ? integerFast : undefined;
  switch (name) {
    case 'double precision':
      return target.base === 'DOUBLE' ? doubleFast : undefined;
    case 'boolean':
      return plainTarget(target) ? booleanFast : undefined;
    case 'uuid':
      return uuidFast(target);
    case 'numeric':
      return decimalFast(target);
    case 'timestamp with time zone':
      return timestamptzFast(target);
    case 'date':
      return target.base === 'DATE' ? dateFast : undefined;
    case 'bytea':
      return byteaFast(target);
    case 'json':
    case 'jsonb':
      return target.base === 'JSON' ? jsonFast : undefined;
    default:
      return undefined;
  }
}
