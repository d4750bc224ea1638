/**
 * The CSV dialect of the files `pg2tidb data` writes, one definition for every reader of them
 * (LOAD DATA, IMPORT INTO, TiDB Lightning):
 * - fields separated by `,`, every non-NULL field enclosed in `"`, rows ended by `\n`, no header;
 * - NULL is `\N`, unquoted;
 * - inside a field, backslash escapes: `\\` backslash, `\"` quote, `\n` newline, `\r` carriage
 *   return, `\0` NUL; every other byte (UTF-8 text, raw binary) is written as it is.
 */
import { createHash } from 'node:crypto';
import type { Cell } from './values.js';

export const CSV_DIALECT = {
  separator: ',',
  delimiter: '"',
  escape: '\\',
  terminator: '\n',
  null: '\\N',
} as const;

/** `FIELDS ... LINES ...` for LOAD DATA. */
export const LOAD_DATA_FORMAT = `FIELDS TERMINATED BY ',' ENCLOSED BY '"' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'`;

/** `WITH ...` options of IMPORT INTO for the same dialect. */
export const IMPORT_INTO_OPTIONS = `FIELDS_TERMINATED_BY=',', FIELDS_ENCLOSED_BY='"', FIELDS_ESCAPED_BY='\\\\', FIELDS_DEFINED_NULL_BY='\\\\N', LINES_TERMINATED_BY='\\n'`;

/** The `[mydumper.csv]` section of tidb-lightning.toml for the same dialect. */
export const LIGHTNING_CSV_TOML = `[mydumper.csv]
separator = ','
delimiter = '"'
terminator = "\\n"
header = false
not-null = false
null = '\\N'
backslash-escape = true
trim-last-separator = false
`;

const NEEDS_ESCAPE = /[\\"\n\r\0]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  // A loop over char codes: replace() with a callback was the top self-time of the CSV writer.
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x00) {
      out += s.slice(last, i) + ESCAPES[s[i]!]!;
      last = i + 1;
    }
  }
  return out + s.slice(last);
}

function escapeBytes(b: Buffer): Buffer {
  let extra = 0;
  for (const x of b) if (x === 0x5c || x === 0x22 || x === 0x0a || x === 0x0d || x === 0x00) extra++;
  if (extra === 0) return b;
  const out = Buffer.allocUnsafe(b.length + extra);
  let j = 0;
  for (const x of b) {
    if (x === 0x5c || x === 0x22 || x === 0x0a || x === 0x0d || x === 0x00) {
      out[j++] = 0x5c;
      out[j++] = x === 0x0a ? 0x6e : x === 0x0d ? 0x72 : x === 0x00 ? 0x30 : x;
    } else out[j++] = x;
  }
  return out;
}

/** One row in the dialect, without its terminator. */
export function encodeRow(cells: readonly Cell[]): Buffer {
  let text = '';
  let parts: Buffer[] | undefined;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    const sep = i === 0 ? '' : ',';
    if (c === null) text += `${sep}\\N`;
    else if (typeof c === 'string') text += `${sep}"${escapeText(c)}"`;
    else {
      parts ??= [];
      parts.push(Buffer.from(`${text}${sep}"`, 'utf8'), escapeBytes(Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
      text = '"';
    }
  }
  if (!parts) return Buffer.from(text, 'utf8');
  parts.push(Buffer.from(text, 'utf8'));
  return Buffer.concat(parts);
}

/**
 * The order-independent table checksum: the sum modulo 2^64 of, per row, the first 8 bytes of
 * SHA-256 over the row as written (its canonical form: each value converted, then escaped as
 * above). Same rows in any order, same checksum; any changed, missing or extra row changes it.
 */
export class RowChecksum {
  private hi = 0;
  private lo = 0;

  add(row: Buffer): void {
    const d = createHash('sha256').update(row).digest();
    this.lo += d.readUInt32BE(4);
    this.hi += d.readUInt32BE(0) + Math.floor(this.lo / 0x1_0000_0000);
    this.lo %= 0x1_0000_0000;
    this.hi %= 0x1_0000_0000;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}
