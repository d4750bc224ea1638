/**
 * JSON and DOUBLE text as TiDB prints them back (`CAST(j AS CHAR)`, `CAST(d AS CHAR)`), measured on
 * tidb-server v8.5:
 * - object keys in byte order, `", "` and `": "` separators;
 * - an integer literal within int64/uint64 stays exact (9007199254740993, 18446744073709551615);
 *   any other number is a double, printed as Go's encoding/json does: shortest digits, exponent
 *   form below 1e-6 and from 1e21 (`1e+300`, `1.5e-7`), `-0` kept for -0.0 (the integer -0 is 0);
 * - strings escape `"` `\` and \n \r \t, other control characters as \u00XX, U+2028/U+2029 as
 *   \u2028/\u2029; a lone surrogate becomes U+FFFD; everything else is raw;
 * - a DOUBLE column prints in plain notation (1e300 as 1 and 300 zeros, 5e-324 as 0.000...5) with
 *   the same shortest digits, and -0 as 0.
 */

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

type Node = { t: 'num'; text: string } | { t: 'str'; value: string } | { t: 'lit'; text: string } | { t: 'arr'; items: Node[] } | { t: 'obj'; entries: [string, Node][] };

/** A double's text as JavaScript prints it; the same shortest digits and thresholds as Go's encoding/json. */
const jsonDouble = (n: number): string => (Object.is(n, -0) ? '-0' : String(n));

function jsonNumber(text: string): string {
  if (/^-?\d+$/.test(text)) {
    const b = BigInt(text);
    if (b >= INT64_MIN && b <= UINT64_MAX) return b.toString();
  }
  return jsonDouble(Number(text));
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

function parse(text: string): Node {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at ${i}`);
  };
  const value = (): Node => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, Node][] = [];
      ws();
      if (text[i] === '}') return i++, { t: 'obj', entries };
      for (;;) {
        ws();
        const k = value();
        if (k.t !== 'str') fail();
        ws();
        if (text[i++] !== ':') fail();
        entries.push([(k as { value: string }).value, value()]);
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return { t: 'obj', entries };
        else fail();
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') return i++, { t: 'arr', items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return { t: 'arr', items };
        else fail();
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\\u0000-\u001f]|\\.)*"/su.exec(text.slice(i)) ?? fail();
      i += m[0].length;
      return { t: 'str', value: JSON.parse(m[0]) as string };
    }
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i)) ?? fail();
    i += m[0].length;
    return /^[tfn]/.test(m[0]) ? { t: 'lit', text: m[0] } : { t: 'num', text: m[0] };
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

function print(n: Node): string {
  switch (n.t) {
    case 'num':
      return jsonNumber(n.text);
    case 'str':
      return jsonString(n.value);
    case 'lit':
      return n.text;
    case 'arr':
      return `[${n.items.map(print).join(', ')}]`;
    case 'obj': {
      // A repeated key keeps its last value, as TiDB does.
      const last = new Map(n.entries);
      const keys = [...last.keys()].sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
      return `{${keys.map((k) => `${jsonString(k)}: ${print(last.get(k)!)}`).join(', ')}}`;
    }
  }
}

/** JSON text as TiDB prints it back; text that is not JSON is returned as it is (it cannot be equal). */
export function tidbJson(text: string): string {
  try {
    return print(parse(text));
  } catch {
    return text;
  }
}

/** A DOUBLE as `CAST(d AS CHAR)` prints it: plain notation, shortest digits. */
export function tidbDouble(text: string): string {
  const n = Number(text.trim());
  if (!Number.isFinite(n)) return text.trim();
  if (n === 0) return '0';
  const [mant, e] = Math.abs(n).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(e);
  const sign = n < 0 ? '-' : '';
  if (exp >= digits.length - 1) return sign + digits + '0'.repeat(exp - digits.length + 1);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
