// Value conversion PostgreSQL text form -> what a loader following pg2tidb's type mapping
// (src/transform/type-rules.ts, tidb.md §7) would insert into TiDB, and the normalisations
// test/value-roundtrip.test.ts uses to compare a value read back from TiDB with the
// PostgreSQL original.
//
// Convention: a conversion never "fixes" a value the mapping cannot represent (NaN,
// 'infinity', BC dates...): it passes the PostgreSQL text through, so TiDB's own verdict
// (an error, a warning, a changed value) is what the round-trip test records.

/** A converted value: the parameter for a mysql2 placeholder and the SQL around it. */
export interface Converted {
  readonly value: string | number | Buffer | null;
  /** SQL with one `?`, e.g. `UUID_TO_BIN(?)`; default `?`. */
  readonly placeholder?: string;
}

export const plain = (value: string | number | Buffer | null): Converted => ({ value });

// ---------------------------------------------------------------- conversions

/** PostgreSQL boolean output 't'/'f' -> TINYINT 1/0. */
export function boolToTinyint(text: string): Converted {
  if (text === 't' || text === 'true') return plain(1);
  if (text === 'f' || text === 'false') return plain(0);
  throw new Error(`not a PostgreSQL boolean: ${JSON.stringify(text)}`);
}

/** bytea hex output '\x0aff' -> its bytes. */
export function byteaToBuffer(text: string): Converted {
  if (!text.startsWith('\\x')) throw new Error(`bytea not in hex output format: ${text.slice(0, 20)}`);
  return plain(Buffer.from(text.slice(2), 'hex'));
}

/**
 * money output (lc_monetary C/en_US: '$1,234.56', '-$1,234.56') -> DECIMAL text '1234.56'.
 * Other locales' formats are not handled (the mapping says: currency symbol and locale formatting are lost).
 */
export function moneyToDecimal(text: string): Converted {
  const m = /^(-)?\$([0-9,]+)(\.[0-9]+)?$/.exec(text);
  if (!m) throw new Error(`money text in an unknown format: ${text}`);
  return plain(`${m[1] ?? ''}${m[2]!.replace(/,/g, '')}${m[3] ?? ''}`);
}

/**
 * real/double output -> a JS number (rounded to float32 for real), which mysql2 sends with full
 * precision: PostgreSQL's shortest text of FLT_MAX ('3.4028235e+38') is above TiDB's FLOAT
 * bound as a decimal and would be refused, the same float32 written out in full is not.
 * NaN and ±Infinity have no TiDB value and pass through as text.
 */
export function floatToNumber(text: string, bits: 32 | 64): Converted {
  const v = floatValue(text, bits);
  return Number.isFinite(v) ? plain(v) : plain(text);
}

/** uuid text -> `UUID_TO_BIN(?)` (no swap flag, PingCAP's advice) for BINARY(16). */
export function uuidToBinary16(text: string): Converted {
  return { value: text, placeholder: 'UUID_TO_BIN(?)' };
}

/** bit(n) text '0101' -> big-endian bytes (mysql2 sends a Buffer as X'..', a bit-value literal). */
export function bitsToBuffer(text: string): Converted {
  if (!/^[01]*$/.test(text)) throw new Error(`not a bit string: ${text}`);
  const bytes = Math.max(1, Math.ceil(text.length / 8));
  let n = text === '' ? 0n : BigInt(`0b${text}`);
  const buf = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    buf[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return plain(buf);
}

/** TiDB BIT(n) bytes -> the n-character bit string. */
export function bufferToBits(buf: Buffer, n: number): string {
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  return v.toString(2).padStart(n, '0');
}

/**
 * timestamptz output ('2024-06-01 09:30:00.123456-02:30', offsets with seconds for LMT, ' BC')
 * -> 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC, for a DATETIME/TIMESTAMP written with
 * time_zone='+00:00'. 'infinity' and BC values have no UTC DATETIME text and pass through.
 */
export function timestamptzToUtc(text: string): Converted {
  const utc = timestamptzUtcText(text);
  return plain(utc ?? text);
}

/**
 * The UTC text of a timestamptz output value, or undefined for infinity and for instants
 * before 0001-01-01 UTC. A BC local time can still be AD in UTC (0001-01-01 00:00 UTC is
 * '0001-12-31 20:29:08-03:30:52 BC' in America/St_Johns, LMT).
 */
export function timestamptzUtcText(text: string): string | undefined {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(text);
  if (!m) return undefined;
  const sign = m[8] === '-' ? -1 : 1;
  const offsetSec = sign * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]); // 1 BC is astronomical year 0
  const d = new Date(0);
  d.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  d.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]) - offsetSec, 0);
  const y = d.getUTCFullYear();
  if (y < 1) return undefined;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${m[7] ?? ''}`;
}

// ---------------------------------------------------------------- normalisations

/** 'HH:MM:SS[.f]' / 'YYYY-MM-DD HH:MM:SS[.f]' with the fraction padded to `fsp` digits. */
export function padFraction(text: string, fsp = 6): string {
  const m = /^(.*\d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  return fsp === 0 ? m[1]! : `${m[1]}.${(m[2] ?? '').padEnd(fsp, '0')}`;
}

/** A decimal number's value as canonical text ('-0012.3400' -> '-12.34', '1e3' -> '1000'); other text unchanged. */
export function canonicalDecimal(text: string): string {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0); // position of the decimal point in `digits`
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  const sign = m[1] === '-' ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Float text (PostgreSQL or TiDB spelling, incl. NaN/Infinity/inf) -> a number rounded to float32 or float64. */
export function floatValue(text: string, bits: 32 | 64): number {
  const t = text.trim().toLowerCase();
  const v = t === 'nan' ? NaN : t === 'infinity' || t === 'inf' || t === '+inf' ? Infinity : t === '-infinity' || t === '-inf' ? -Infinity : Number(t);
  return bits === 32 ? Math.fround(v) : v;
}

/** Same IEEE value, -0 and 0 told apart, NaN equal to NaN. */
export function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b);
}

/** A JSON document kept as written: numbers as their text, object members in order, duplicates kept. */
export type JsonNode =
  | { readonly t: 'obj'; readonly entries: readonly (readonly [string, JsonNode])[] }
  | { readonly t: 'arr'; readonly items: readonly JsonNode[] }
  | { readonly t: 'num'; readonly text: string }
  | { readonly t: 'str'; readonly value: string }
  | { readonly t: 'lit'; readonly value: 'true' | 'false' | 'null' };

export function parseJsonText(text: string): JsonNode {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (why: string): never => {
    throw new Error(`JSON: ${why} at ${i} in ${text.slice(0, 80)}`);
  };
  const str = (): string => {
    const m = /^"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/.exec(text.slice(i));
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', entries };
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        if (text[i++] !== ':') fail('expected :');
        entries.push([k, value()]);
        ws();
        const sep = text[i++];
        if (sep === '}') return { t: 'obj', entries };
        if (sep !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value());
        ws();
        const sep = text[i++];
        if (sep === ']') return { t: 'arr', items };
        if (sep !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return { t: 'str', value: str() };
    for (const lit of ['true', 'false', 'null'] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return { t: 'lit', value: lit };
      }
    }
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return { t: 'num', text: m[0] };
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/**
 * A JSON document as canonical text.
 * - `document` (PostgreSQL json semantics: the text is the value): members in order, duplicates
 *   kept; whitespace, string escapes and number spelling ('1.50' = '1.5', '1e3' = '1000') are
 *   normalised.
 * - `value` (jsonb equality semantics): members sorted, the last of duplicate keys wins, numbers
 *   compared by decimal value ('1.50' = '1.5').
 */
export function canonicalJson(text: string, mode: 'document' | 'value'): string {
  const out = (n: JsonNode): string => {
    switch (n.t) {
      case 'obj': {
        let entries = n.entries;
        if (mode === 'value') {
          const last = new Map<string, JsonNode>();
          for (const [k, v] of entries) last.set(k, v);
          entries = [...last].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        }
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${out(v)}`).join(',')}}`;
      }
      case 'arr':
        return `[${n.items.map(out).join(',')}]`;
      case 'num':
        return canonicalDecimal(n.text);
      case 'str':
        return JSON.stringify(n.value);
      case 'lit':
        return n.value;
    }
  };
  return out(parseJsonText(text));
}

/**
 * A JSON array (as a PostgreSQL array was converted) back to PostgreSQL array literal text,
 * to compare with the original `col::text`: '[1,null,[2]]' -> '{1,NULL,{2}}'.
 */
export function jsonToPgArrayLiteral(text: string): string {
  const out = (n: JsonNode): string => {
    switch (n.t) {
      case 'arr':
        return `{${n.items.map(out).join(',')}}`;
      case 'lit':
        return n.value === 'null' ? 'NULL' : n.value;
      case 'num':
        return n.text;
      case 'str':
        return pgArrayElement(n.value);
      case 'obj':
        return pgArrayElement(canonicalJson(JSON.stringify(n), 'document'));
    }
  };
  const root = parseJsonText(text);
  if (root.t !== 'arr') throw new Error(`not a JSON array: ${text.slice(0, 40)}`);
  return out(root);
}

/** A text element of a PostgreSQL array literal, quoted the way array_out quotes it. */
function pgArrayElement(s: string): string {
  const needs = s === '' || /^null$/i.test(s) || /[{},"\\\s]/.test(s);
  return needs ? `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"` : s;
}

/** Short printable form of a value for notes: long strings are cut, Buffers shown as hex. */
export function show(v: unknown, max = 48): string {
  let s: string;
  if (v === null || v === undefined) s = 'NULL';
  else if (Buffer.isBuffer(v)) s = `0x${v.toString('hex')}`;
  else s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 12)}…(${s.length} chars)` : s;
}
