/**
 * A growable output buffer for CSV rows in the dialect of csv.ts: fields are written as bytes
 * into one preallocated Buffer (no string per value, no Buffer per row) and handed on in batches.
 */
import type { Cell } from './values.js';

const Q = 0x22;
const BS = 0x5c;

/** The byte after `\` for each byte the dialect escapes (0: written as it is). */
export const CSV_ESCAPE = new Uint8Array(256);
CSV_ESCAPE[0x5c] = 0x5c;
CSV_ESCAPE[0x22] = 0x22;
CSV_ESCAPE[0x0a] = 0x6e;
CSV_ESCAPE[0x0d] = 0x72;
CSV_ESCAPE[0x00] = 0x30;

/** Writes byte `c` into `b` at `p` as the dialect escapes it; returns the position after it. */
export function putEscaped(b: Uint8Array, p: number, c: number): number {
  const x = CSV_ESCAPE[c]!;
  if (x === 0) {
    b[p] = c;
    return p + 1;
  }
  b[p] = BS;
  b[p + 1] = x;
  return p + 2;
}

export class CsvOut {
  /** Always a Buffer; declared as its Uint8Array base so the published types need no @types/node. */
  buf: Uint8Array;
  pos = 0;

  /** `reuse`: memory to write into when it holds `size` bytes (a batch's buffer handed back), else a new buffer. */
  constructor(size = 1 << 16, reuse?: ArrayBuffer) {
    this.buf = reuse !== undefined && reuse.byteLength >= size ? Buffer.from(reuse) : Buffer.allocUnsafe(size);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(c: number): void {
    this.reserve(1);
    this.buf[this.pos++] = c;
  }

  /** Bytes as they are (the caller knows none needs escaping). */
  raw(src: Uint8Array, s: number, e: number): void {
    this.reserve(e - s);
    const b = this.buf;
    let p = this.pos;
    for (let i = s; i < e; i++) b[p++] = src[i]!;
    this.pos = p;
  }

  /** Bytes with the dialect's escapes. */
  escaped(src: Uint8Array, s: number, e: number): void {
    this.reserve(2 * (e - s));
    const b = this.buf;
    let p = this.pos;
    for (let i = s; i < e; i++) {
      p = putEscaped(b, p, src[i]!);
    }
    this.pos = p;
  }

  /** An ASCII string that needs no escaping (digits, punctuation). */
  ascii(s: string): void {
    this.reserve(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A string with the dialect's escapes. */
  text(s: string): void {
    this.reserve(s.length * 3);
    const start = this.pos;
    const n = (this.buf as Buffer).write(s, start, 'utf8');
    let extra = 0;
    const b = this.buf;
    for (let i = start; i < start + n; i++) {
      const c = b[i]!;
      if (CSV_ESCAPE[c] !== 0 || c === 0) extra++;
    }
    if (extra === 0) {
      this.pos = start + n;
      return;
    }
    // Escape in place from the end, after making room.
    this.reserve(n + extra);
    const buf = this.buf;
    let w = start + n + extra;
    for (let r = start + n - 1; r >= start; r--) {
      const c = buf[r]!;
      const x = CSV_ESCAPE[c]!;
      if (x === 0 && c !== 0) buf[--w] = c;
      else {
        buf[--w] = x;
        buf[--w] = BS;
      }
    }
    this.pos = start + n + extra;
  }

  /** One field as encodeRow writes it: NULL as \N, anything else in quotes, escaped. */
  cell(c: Cell): void {
    if (c === null) {
      this.reserve(2);
      this.buf[this.pos++] = BS;
      this.buf[this.pos++] = 0x4e;
      return;
    }
    this.byte(Q);
    if (typeof c === 'string') this.text(c);
    else this.escaped(c, 0, c.length);
    this.byte(Q);
  }
}
