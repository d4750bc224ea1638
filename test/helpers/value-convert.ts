// The normalisations the data tests use to compare a value read back from TiDB with the
// PostgreSQL original. The conversion itself is the product's (src/data/values.ts).

// ---------------------------------------------------------------- readings

/** TiDB BIT(n) bytes -> the n-character bit string. */
export function bufferToBits(buf: Buffer, n: number): string {
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  return v.toString(2).padStart(n, '0');
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
