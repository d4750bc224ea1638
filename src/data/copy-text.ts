/**
 * PostgreSQL's COPY text format (the default of `COPY ... TO/FROM stdin`, as pg_dump writes it):
 * one row per line, fields separated by a tab, `\N` alone is NULL, and backslash escapes
 * `\b \f \n \r \t \v \\`, octal `\ooo` (1-3 digits), hex `\xh`/`\xhh` (bytes in the client
 * encoding, UTF-8 here); a backslash before any other character is that character.
 */

export type CopyField = string | null;

/** A COPY row that is not well formed, with the 0-based character offset in the line. */
export class CopyFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function isOctal(c: number): boolean {
  return c >= 48 && c <= 55;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** One field's text (between delimiters) with its escapes decoded. */
export function decodeCopyField(raw: string, lineOffset = 0): CopyField {
  if (raw === '\\N') return null;
  if (raw.indexOf('\\') === -1) return raw;
  // Octal and hex escapes give bytes, which may form multi-byte UTF-8 characters together.
  const bytes: number[] = [];
  let out = '';
  let hasBytes = false;
  const flushBytes = () => {
    if (bytes.length === 0) return;
    const decoded = Buffer.from(bytes).toString('utf8');
    if (decoded.includes('\ufffd') && !Buffer.from(decoded, 'utf8').equals(Buffer.from(bytes))) {
      throw new CopyFormatError('octal or hex escapes do not form valid UTF-8', lineOffset);
    }
    out += decoded;
    bytes.length = 0;
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\') {
      flushBytes();
      out += ch;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) throw new CopyFormatError('a field ends with a lone backslash', lineOffset + i);
    const code = raw.charCodeAt(i + 1);
    if (isOctal(code)) {
      let v = 0;
      let j = i + 1;
      while (j < raw.length && j < i + 4 && isOctal(raw.charCodeAt(j))) v = v * 8 + raw.charCodeAt(j++) - 48;
      bytes.push(v & 0xff);
      hasBytes = true;
      i = j - 1;
      continue;
    }
    if (next === 'x' && hexValue(raw.charCodeAt(i + 2)) >= 0) {
      let v = hexValue(raw.charCodeAt(i + 2));
      let j = i + 3;
      const h2 = hexValue(raw.charCodeAt(j));
      if (h2 >= 0) {
        v = v * 16 + h2;
        j++;
      }
      bytes.push(v);
      hasBytes = true;
      i = j - 1;
      continue;
    }
    flushBytes();
    out += SIMPLE_ESCAPES[next] ?? next;
    i++;
  }
  if (hasBytes) flushBytes();
  return out;
}

/** Splits one COPY text line (without its newline) into decoded fields. */
export function parseCopyLine(line: string, delimiter = '\t'): CopyField[] {
  const fields: CopyField[] = [];
  let start = 0;
  for (;;) {
    // A delimiter preceded by a backslash is data ("\<tab>" is a tab): find the next unescaped one.
    let i = start;
    let end = -1;
    while (i < line.length) {
      const c = line[i]!;
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === delimiter) {
        end = i;
        break;
      }
      i++;
    }
    if (end === -1) {
      fields.push(decodeCopyField(line.slice(start), start));
      return fields;
    }
    fields.push(decodeCopyField(line.slice(start, end), start));
    start = end + 1;
  }
}
