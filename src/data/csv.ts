/**
 * The CSV dialect of the files `pg2tidb data` writes, one definition for every reader of them
 * (LOAD DATA, IMPORT INTO, TiDB Lightning):
 * - fields separated by `,`, every non-NULL field enclosed in `"`, rows ended by `\n`, no header;
 * - NULL is `\N`, unquoted;
 * - inside a field, backslash escapes: `\\` backslash, `\"` quote, `\n` newline, `\r` carriage
 *   return, `\0` NUL; every other byte (UTF-8 text, raw binary) is written as it is.
 */
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
 * A row's 64-bit hash, as two 32-bit halves in `ROW_HASH` (no allocation per row): the row's bytes
 * read as little-endian 32-bit words (the tail zero-padded), words taken alternately by two
 * MurmurHash3 lanes (each with its own constants; a word per lane per 8 bytes keeps the cost of one
 * lane), mixed with the length and each other and finished with fmix32.
 */
export const ROW_HASH = { hi: 0, lo: 0 };

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A DataView of the last buffer hashed (rows of a batch share one): a little-endian word per load. */
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
let viewed: Uint8Array | undefined;

export function rowHash64(b: Uint8Array, s: number, e: number): void {
  if (b !== viewed) {
    view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    viewed = b;
  }
  const dv = view;
  let h1 = 0x9747b28c;
  let h2 = 0x5bd1e995;
  let i = s;
  for (; i + 8 <= e; i += 8) {
    const k1 = dv.getInt32(i, true);
    const k2 = dv.getInt32(i + 4, true);
    h1 ^= Math.imul(rotl(Math.imul(k1, 0xcc9e2d51), 15), 0x1b873593);
    h1 = (Math.imul(rotl(h1, 13), 5) + 0xe6546b64) | 0;
    h2 ^= Math.imul(rotl(Math.imul(k2, 0x85ebca77), 17), 0xc2b2ae3d);
    h2 = (Math.imul(rotl(h2, 11), 9) + 0x27d4eb2f) | 0;
  }
  if (i + 4 <= e) {
    const k1 = dv.getInt32(i, true);
    h1 ^= Math.imul(rotl(Math.imul(k1, 0xcc9e2d51), 15), 0x1b873593);
    h1 = (Math.imul(rotl(h1, 13), 5) + 0xe6546b64) | 0;
    i += 4;
  }
  if (i < e) {
    // The tail (1-3 bytes) goes to the lane whose turn it is.
    let k = 0;
    for (let j = e - 1; j >= i; j--) k = (k << 8) | b[j]!;
    if (((i - s) & 4) === 0) h1 ^= Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593);
    else h2 ^= Math.imul(rotl(Math.imul(k, 0x85ebca77), 17), 0xc2b2ae3d);
  }
  const len = e - s;
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  ROW_HASH.hi = h1 >>> 0;
  ROW_HASH.lo = h2 >>> 0;
}

/** What data-manifest.json says the checksum is. */
export const CHECKSUM_DEFINITION = 'per table: sum mod 2^64 of each row\'s 64-bit hash (rowHash64 in src/data/csv.ts: two MurmurHash3 lanes) over the row as written, without its newline';

/**
 * The order-independent table checksum: the sum modulo 2^64 of, per row, its rowHash64 over the
 * row as written (its canonical form: each value converted, then escaped as above). Same rows in
 * any order, same checksum; any changed, missing or extra row changes it. Sums of parts (the
 * batches converted on worker threads) add up to the same checksum.
 */
export class RowChecksum {
  private hi = 0;
  private lo = 0;

  add(row: Uint8Array): void {
    this.addRange(row, 0, row.length);
  }

  addRange(b: Uint8Array, s: number, e: number): void {
    rowHash64(b, s, e);
    this.addSum(ROW_HASH.hi, ROW_HASH.lo);
  }

  /** Adds another sum (hi and lo 32-bit halves). */
  addSum(hi: number, lo: number): void {
    this.lo += lo;
    this.hi += hi + Math.floor(this.lo / 0x1_0000_0000);
    this.lo %= 0x1_0000_0000;
    this.hi %= 0x1_0000_0000;
  }

  get parts(): { hi: number; lo: number } {
    return { hi: this.hi, lo: this.lo };
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}
