/**
 * COPY text rows to CSV, a batch at a time, on bytes: rows split at `\n`, fields at the
 * delimiter by scanning bytes, escapes decoded only in fields that have a backslash, each column's
 * fast converter (fast-values.ts) chosen once per table, and the CSV written into one buffer.
 * A row the fast path is not sure of (octal or hex escapes, a malformed row, a value the fast
 * converters do not take) goes through the string path (parseCopyLine + the column's converter),
 * which is the reference; both give the same bytes. A batch needs nothing but its bytes and the
 * table's plan, so it runs the same on a worker thread (copy-worker.ts) as in the main thread; the
 * results are applied in batch order, so the output never depends on scheduling.
 */
import { isAscii } from 'node:buffer';
import type { ExactPayload, PayloadOf } from '../diagnostics/catalogue.js';
import { CsvOut } from './csv-out.js';
import { CopyFormatError, parseCopyLine } from './copy-text.js';
import type { ColumnPlan, TablePlan } from './columns.js';
import { RowChecksum, ROW_HASH, rowHash64 } from './csv.js';
import { Unrepresentable, type Cell } from './values.js';
import type { FastConvert } from './fast-values.js';

export type UnrepresentablePolicy = 'fail' | 'null' | 'skip-row';

/** The catalogue ids rows report (PGT8xxx). */
export type RowDiagnosticId = 'data-unrepresentable' | 'data-row-malformed';

/** A COPY block's rows: which table, and where each field goes. */
export interface CopyTargetSpec {
  /** The plan's key in planTables' map. */
  readonly table: string;
  /** Per field of the COPY row: its position in the sink's columns, or -1 to leave it out (generated). */
  readonly slots: readonly number[];
  /** The PostgreSQL column of each sink column. */
  readonly sources: readonly string[];
  readonly delimiter: string;
}

export interface BatchJob {
  readonly target: CopyTargetSpec;
  /** Whole lines (each ending in `\n`, the last one perhaps not), `\r\n` allowed. */
  readonly bytes: Uint8Array;
  /** The line number of the first line. */
  readonly firstLine: number;
  /** Where each line ends (its `\n`, or the end of bytes), from the start of bytes, when the reader found them already. */
  readonly lineEnds?: Int32Array;
}

/** A diagnostic of one row: the span's offset is in UTF-16 units from the start of the batch. */
export type RowReport = { readonly [K in RowDiagnosticId]: { readonly id: K; readonly data: PayloadOf<K> } }[RowDiagnosticId] & {
  readonly line: number;
  readonly offset: number;
  readonly length: number;
  /** 1-based column of the span (a malformed field's position). */
  readonly column: number;
  readonly pgColumn?: string;
};

export interface BatchResult {
  /** The CSV rows, each ending in `\n`. */
  readonly csv: Uint8Array;
  /** The end offset of each row in csv. */
  readonly ends: Uint32Array;
  readonly checksumHi: number;
  readonly checksumLo: number;
  /** Rows read (converted or left out for a value, not malformed ones), as the progress counts them. */
  readonly rowsRead: number;
  /** Row diagnostics kept in full (at most maxRowDiagnostics per code and column in this batch), in row order. */
  readonly reports: readonly RowReport[];
  /** Row diagnostics beyond that cap, counted: `${id}|${pgColumn ?? ''}` -> n, in first-seen order. */
  readonly counted: readonly (readonly [string, number])[];
  /** Per sink column, the largest integer value loaded, where the column feeds a sequence. */
  readonly maxima: readonly (string | undefined)[];
}

export interface BatchContext {
  readonly plans: ReadonlyMap<string, TablePlan>;
  readonly policy: UnrepresentablePolicy;
  readonly maxRowDiagnostics: number;
}

const BS = 0x5c;

function excerpt(text: string): string {
  const s = JSON.stringify(text);
  return s.length > 50 ? `${s.slice(0, 40)}…" (${text.length} chars)` : s;
}

/** Whether values of a column feed AUTO_INCREMENT or a sequence (SequenceTracker.observe's test). */
function tracked(plan: ColumnPlan): boolean {
  return plan.tidb.autoIncrement === true || plan.tidb.default?.kind === 'nextval';
}

const INTEGER_TEXT = /^-?\d+$/;

/** Per sink column, the largest integer seen (SequenceTracker keeps the maximum, so a batch's maximum is all it needs). */
export class MaxTracker {
  private readonly max: (bigint | undefined)[];
  constructor(readonly columns: readonly ColumnPlan[]) {
    this.max = columns.map(() => undefined);
  }
  observe(slot: number, value: Cell): void {
    if (typeof value !== 'string' || !tracked(this.columns[slot]!) || !INTEGER_TEXT.test(value)) return;
    const v = BigInt(value);
    const prev = this.max[slot];
    if (prev === undefined || v > prev) this.max[slot] = v;
  }
  result(): (string | undefined)[] {
    return this.max.map((v) => (v === undefined ? undefined : String(v)));
  }
}

type Report = <K extends RowDiagnosticId>(id: K, data: ExactPayload<K>, pgColumn?: string, errorColumn?: number) => void;

/**
 * One row's texts into cells by the table's converters (the string path, also INSERT's);
 * undefined when the row must be left out. Every value TiDB cannot hold is reported.
 */
export function convertCells(plan: TablePlan, slots: readonly number[], columns: readonly ColumnPlan[], values: readonly (string | null)[], policy: UnrepresentablePolicy, report: Report, observe: (slot: number, v: Cell) => void): Cell[] | undefined {
  const cells: Cell[] = new Array<Cell>(columns.length).fill(null);
  let skip = false;
  for (let i = 0; i < values.length; i++) {
    const slot = slots[i]!;
    if (slot < 0) continue;
    const text = values[i]!;
    if (text === null) continue;
    const col = columns[slot]!;
    const v = col.convert(text);
    if (v instanceof Unrepresentable) {
      const asNull = policy === 'null' && col.tidb.nullable;
      const outcome = asNull ? 'null' : policy === 'null' ? 'not-null' : 'skipped';
      report('data-unrepresentable', { value: excerpt(text), target: `${plan.tidb.name.name}.${col.tidb.name}`, why: v.reason, outcome }, col.pgName);
      if (!asNull) skip = true;
      continue;
    }
    cells[slot] = v;
    observe(slot, v);
  }
  return skip ? undefined : cells;
}

/** The UTF-16 length of UTF-8 bytes (what a decoded line's .length is), `\r` before `\n` left out as the line reader drops it. */
export function utf16Units(b: Uint8Array, s: number, e: number): number {
  const part = b.subarray(s, e);
  if (part.indexOf(13) !== -1) return unitsWithCr(b, s, e);
  // Most dumps are ASCII: a native check, one unit per byte.
  if (isAscii(part)) return e - s;
  // A four-byte sequence is two units; they are rare, so a native search tells whether to count them.
  for (let lead = 0xf0; lead <= 0xf4; lead++) if (part.indexOf(lead) !== -1) return unitsWithLeads(b, s, e);
  // Otherwise every byte but a continuation byte (10xxxxxx) is one unit: continuation bytes are
  // counted four at a time, in byte lanes of an accumulator summed every 255 words (a lane holds 255).
  let n = 0;
  let i = s;
  while (i < e && (b.byteOffset + i) % 4 !== 0) n += unitOf(b[i++]!);
  const words = (e - i) >> 2;
  if (words > 0) {
    const w32 = new Int32Array(b.buffer, b.byteOffset + i, words);
    let continuations = 0;
    for (let w0 = 0; w0 < words; w0 += 255) {
      const end = Math.min(words, w0 + 255);
      let lanes = 0;
      for (let w = w0; w < end; w++) {
        const x = w32[w]!;
        lanes = (lanes + ((x & ~(x << 1) & 0x80808080) >>> 7)) | 0;
      }
      continuations += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
    }
    n += words * 4 - continuations;
    i += words * 4;
  }
  while (i < e) n += unitOf(b[i++]!);
  return n;
}

/** UTF-16 units a UTF-8 byte starts: 1 for a lead or ASCII byte, 2 for a four-byte lead, 0 for a continuation byte. */
function unitOf(c: number): number {
  return c < 0x80 ? 1 : (c & 0xc0) === 0x80 ? 0 : c >= 0xf0 && c <= 0xf4 ? 2 : 1;
}

function unitsWithLeads(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) n += unitOf(b[i]!);
  return n;
}

function unitsWithCr(b: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c !== 13 || i + 1 >= e || b[i + 1] !== 10) n += unitOf(c);
  }
  return n;
}

/**
 * Splits a row at unescaped delimiters: the first `nf` fields' bounds, escape counts and first
 * escape's offset into the arrays; returns the number of fields.
 */
function splitFields(src: Uint8Array, s: number, e: number, delim: number, nf: number, fStart: Int32Array, fEnd: Int32Array, fEsc: Int32Array, fEscAt: Int32Array, words: Int32Array): number {
  let k = 0;
  let fs = s;
  let esc = 0;
  let escAt = -1;
  const dm = Math.imul(delim, 0x01010101);
  // words views src's whole ArrayBuffer: byte i of src is byte w0 + i of it.
  const w0 = src.byteOffset;
  let i = s;
  while (i < e) {
    if (((w0 + i) & 3) === 0 && i + 4 <= e) {
      // Four bytes at once when none is the delimiter or a backslash (the zero-byte test on x ^ pattern).
      const x = words[(w0 + i) >> 2]!;
      const a = x ^ dm;
      const b = x ^ 0x5c5c5c5c;
      if (((((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b)) & 0x80808080) === 0) {
        i += 4;
        continue;
      }
    }
    const c = src[i]!;
    if (c === BS) {
      if (esc === 0) escAt = i;
      esc++;
      i += 2;
      continue;
    }
    if (c === delim) {
      if (k < nf) {
        fStart[k] = fs;
        fEnd[k] = i;
        fEsc[k] = esc;
        fEscAt[k] = escAt;
      }
      k++;
      fs = i + 1;
      esc = 0;
    }
    i++;
  }
  if (k < nf) {
    fStart[k] = fs;
    fEnd[k] = e;
    fEsc[k] = esc;
    fEscAt[k] = escAt;
  }
  return k + 1;
}

/**
 * The byte path of a batch's rows (fields in sink order, a one-byte delimiter): a method per row,
 * so that the engine optimises it after a few hundred rows rather than the batch's whole loop.
 */
class FastRows {
  private readonly nf: number;
  private readonly fStart: Int32Array;
  private readonly fEnd: Int32Array;
  private readonly fEsc: Int32Array;
  private readonly fEscAt: Int32Array;
  private readonly words: Int32Array;
  private scratch = Buffer.allocUnsafe(1024);
  private readonly tracked: boolean[];
  // Per sink column, its converters (arrays rather than the plans' properties: one shape at every call).
  private readonly fastOf: (FastConvert | undefined)[];
  private readonly copyOf: (FastConvert['copy'] | undefined)[];
  private readonly rowSlots: number[] = [];
  private readonly rowValues: Cell[] = [];

  constructor(
    private readonly src: Uint8Array,
    private readonly out: CsvOut,
    private readonly columns: readonly ColumnPlan[],
    private readonly slots: readonly number[],
    private readonly delim: number,
    private readonly maxima: MaxTracker,
  ) {
    const nf = slots.length;
    this.nf = nf;
    this.fStart = new Int32Array(nf + 1);
    this.fEnd = new Int32Array(nf + 1);
    this.fEsc = new Int32Array(nf + 1);
    this.fEscAt = new Int32Array(nf + 1);
    this.words = new Int32Array(src.buffer, 0, src.buffer.byteLength >> 2);
    this.tracked = columns.map(tracked);
    this.fastOf = columns.map((c) => c.fast);
    // Not for a column feeding a sequence: the sequence sees the decoded value.
    this.copyOf = columns.map((c, slot) => (this.tracked[slot] ? undefined : c.fast?.copy));
  }

  /** Writes the row [s, e) into out; false (out as it was) when the string path must take it. */
  row(s: number, e: number): boolean {
    const { src, out, nf, fStart, fEnd, fEsc, fEscAt, slots } = this;
    if (splitFields(src, s, e, this.delim, nf, fStart, fEnd, fEsc, fEscAt, this.words) !== nf) return false;
    const rowStart = out.pos;
    let first = true;
    let observed = 0;
    for (let f = 0; f < nf; f++) {
      const slot = slots[f]!;
      if (slot < 0) continue;
      if (!first) out.byte(0x2c);
      first = false;
      let a = fStart[f]!;
      let b = fEnd[f]!;
      let buf = src;
      const at = out.pos;
      const escs = fEsc[f]!;
      if (escs > 0) {
        if (b - a === 2 && src[a] === BS && src[a + 1] === 0x4e) {
          out.cell(null);
          continue;
        }
        const copy = this.copyOf[slot];
        if (copy !== undefined && copy(src, a, b, out)) continue;
        out.pos = at;
        if (escs === 1 && fEscAt[f] === a && src[a + 1] === BS) {
          // A leading `\\` is the only escape (bytea's hex form): the decoded field is the rest as it is.
          a++;
        } else {
          const len = this.unescape(a, b);
          if (len < 0) {
            out.pos = rowStart;
            return false;
          }
          buf = this.scratch;
          a = 0;
          b = len;
        }
      }
      const fast = this.fastOf[slot];
      if (fast !== undefined && fast(buf, a, b, out)) {
        // Sequences see the row's values only once the row is known to load (the string path may still refuse it).
        if (this.tracked[slot]) {
          this.rowSlots[observed] = slot;
          this.rowValues[observed++] = Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('latin1');
        }
        continue;
      }
      out.pos = at;
      const text = Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('utf8');
      const v = this.columns[slot]!.convert(text);
      if (v instanceof Unrepresentable) {
        // The string path reports it, with every other value of the row, in field order.
        out.pos = rowStart;
        return false;
      }
      out.cell(v);
      if (this.tracked[slot]) {
        this.rowSlots[observed] = slot;
        this.rowValues[observed++] = v;
      }
    }
    for (let o = 0; o < observed; o++) this.maxima.observe(this.rowSlots[o]!, this.rowValues[o]!);
    return true;
  }

  /** Decodes a field's simple escapes into scratch; -1 when it has octal or hex escapes or ends in a backslash (the string path decides). */
  private unescape(s: number, e: number): number {
    const src = this.src;
    if (this.scratch.length < e - s) this.scratch = Buffer.allocUnsafe(2 * (e - s));
    const scratch = this.scratch;
    let p = 0;
    for (let i = s; i < e; i++) {
      const c = src[i]!;
      if (c !== BS) {
        scratch[p++] = c;
        continue;
      }
      if (i + 1 >= e) return -1;
      const x = src[++i]!;
      if ((x >= 48 && x <= 55) || x === 0x78) return -1;
      scratch[p++] = x === 0x62 ? 8 : x === 0x66 ? 12 : x === 0x6e ? 10 : x === 0x72 ? 13 : x === 0x74 ? 9 : x === 0x76 ? 11 : x;
    }
    return p;
  }
}

/** Converts one batch of COPY rows; `reuse`: a buffer the CSV may be written into (an applied batch's, so memory is recycled rather than allocated per batch). */
export function convertBatch(ctx: BatchContext, job: BatchJob, reuse?: ArrayBuffer): BatchResult {
  const plan = ctx.plans.get(job.target.table);
  if (!plan) throw new Error(`no plan for ${job.target.table}`);
  const { slots } = job.target;
  const columns = job.target.sources.map((s) => plan.columns.get(s)!);
  const maxima = new MaxTracker(columns);
  const src = job.bytes;
  const n = src.length;
  // A power of two, so that a recycled buffer fits the next batch of about the same size.
  const out = new CsvOut(2 ** Math.ceil(Math.log2(Math.max(1 << 16, n + (n >> 2)))), reuse);
  const ends: number[] = [];
  // The halves summed as doubles and carried into the checksum every 2^20 rows (exact below 2^21) and at the end.
  const checksum = new RowChecksum();
  let sumHi = 0;
  let sumLo = 0;
  let summed = 0;
  const carry = (): void => {
    checksum.addSum(sumHi % 0x1_0000_0000, 0);
    checksum.addSum(0, sumLo);
    sumHi = 0;
    sumLo = 0;
  };
  const reports: RowReport[] = [];
  const counted = new Map<string, number>();
  const kept = new Map<string, number>();
  let rowsRead = 0;
  const delim = job.target.delimiter.length === 1 && job.target.delimiter.charCodeAt(0) < 0x80 ? job.target.delimiter.charCodeAt(0) : -1;
  // Fields in COPY order must be sink columns in order for the byte path (pg_dump's column lists are).
  let monotone = delim >= 0;
  for (let i = 0, last = -1; i < slots.length; i++) {
    if (slots[i]! < 0) continue;
    if (slots[i]! <= last) monotone = false;
    last = slots[i]!;
  }
  const nf = slots.length;
  const rows = monotone ? new FastRows(src, out, columns, slots, delim, maxima) : undefined;

  // Offsets of rows in UTF-16 units from the batch start, computed only for rows that report.
  let unitsAt = 0;
  let unitsPos = 0;
  let line = job.firstLine;
  let rowStartByte = 0;
  let rowEndByte = 0;
  const rowUnits = (): number => {
    unitsAt += utf16Units(src, unitsPos, rowStartByte);
    unitsPos = rowStartByte;
    return unitsAt;
  };
  const report: Report = (id, data, pgColumn, errorColumn): void => {
    const k = `${id}|${pgColumn ?? ''}`;
    const seen = kept.get(k) ?? 0;
    kept.set(k, seen + 1);
    if (seen >= ctx.maxRowDiagnostics) {
      counted.set(k, (counted.get(k) ?? 0) + 1);
      return;
    }
    const offset = rowUnits();
    // id and data are paired by Report's signature; TypeScript cannot carry the pairing into the union
    reports.push({ id, data, line, offset, length: utf16Units(src, rowStartByte, rowEndByte), column: errorColumn ?? 1, ...(pgColumn !== undefined ? { pgColumn } : {}) } as RowReport);
  };
  const observe = (slot: number, v: Cell) => maxima.observe(slot, v);

  const commit = (rowStart: number): void => {
    rowHash64(out.buf, rowStart, out.pos);
    sumHi += ROW_HASH.hi;
    sumLo += ROW_HASH.lo;
    if (++summed === 1 << 20) {
      carry();
      summed = 0;
    }
    out.byte(10);
    ends.push(out.pos);
  };

  /** The reference path for one row. */
  const slowRow = (s: number, e: number): void => {
    const text = Buffer.from(src.buffer, src.byteOffset + s, e - s).toString('utf8');
    let fields;
    try {
      fields = parseCopyLine(text, job.target.delimiter);
    } catch (err) {
      if (!(err instanceof CopyFormatError)) throw err;
      report('data-row-malformed', { reason: 'copy-field', why: err.message }, undefined, err.offset + 1);
      return;
    }
    if (fields.length !== nf) {
      report('data-row-malformed', { reason: 'copy-field-count', values: fields.length, columns: nf });
      return;
    }
    rowsRead++;
    const cells = convertCells(plan, slots, columns, fields, ctx.policy, report, observe);
    if (!cells) return;
    const rowStart = out.pos;
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) out.byte(0x2c);
      out.cell(cells[i]!);
    }
    commit(rowStart);
  };

  let pos = 0;
  const lineEnds = job.lineEnds;
  let lineIndex = 0;
  while (pos < n) {
    let nl = lineEnds !== undefined ? lineEnds[lineIndex++]! : src.indexOf(10, pos);
    if (nl === -1) nl = n;
    const next = nl + 1;
    let e = nl;
    if (e > pos && src[e - 1] === 13) e--;
    const s = pos;
    rowStartByte = s;
    rowEndByte = e;
    pos = next;
    const rowStart = out.pos;
    if (rows !== undefined && rows.row(s, e)) {
      commit(rowStart);
      rowsRead++;
    } else slowRow(s, e);
    line++;
  }
  carry();
  const { hi, lo } = checksum.parts;
  return { csv: out.buf.subarray(0, out.pos), ends: Uint32Array.from(ends), checksumHi: hi, checksumLo: lo, rowsRead, reports, counted: [...counted], maxima: maxima.result() };
}
