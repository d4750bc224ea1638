/**
 * A dump's COPY rows in segments, each converted by one thread into chunk files of its own: the
 * thread reads its rows from the file itself (pread) and writes its own output, so no row crosses
 * between threads. Batches handed from the reading thread to a worker, and their CSV handed back,
 * cost 15-20 % more CPU per byte on two cores (session 28's profile of CopyPool); segments cost
 * what one thread does (1 GB: 10.5 CPU s on two threads, 10.8 on one). Where segments start depends
 * only on the rows, so the files are the same for any number of threads.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ChunkWriter, type ChunkFile } from './chunk-writer.js';
import { convertBatch, type BatchContext, type CopyTargetSpec, type RowReport } from './copy-batch.js';
import { RowChecksum } from './csv.js';
import { partName } from './sink.js';

/**
 * How a COPY block's rows are cut. Every block is cut after the first row that brings a segment
 * to `bytes` of COPY text (or the chunk size, if smaller), and a cut starts a chunk file. The cuts
 * depend on the rows alone, so a live source's rows, which come in other batches, are cut at the
 * same rows. A dump's block of `minBlockBytes` or more is converted a segment at a time, each by
 * one thread, which reads its rows again from the file and writes files of its own, and it starts
 * a chunk; a smaller block, and a stream's rows, are converted in batches and join the table's
 * open chunk. 64 MiB: a 1 GB table in 16 segments (several threads busy to the end), and files
 * within the 256 MiB TiDB Lightning recommends for its file-level concurrency
 * (docs.pingcap.com/tidb/stable/tidb-lightning-data-source).
 */
export const SEGMENT_RULE = { minBlockBytes: 1 << 20, bytes: 64 << 20 } as const;

export type SegmentRule = { readonly [K in keyof typeof SEGMENT_RULE]: number };

/** Whether a block of `blockBytes` rows (from the schema pass) is cut into segments. */
export function segmented(blockBytes: number, rule: SegmentRule = SEGMENT_RULE): boolean {
  return blockBytes >= rule.minBlockBytes;
}

/** The COPY bytes of a segment. */
export function segmentBytes(chunkBytes: number, rule: SegmentRule = SEGMENT_RULE): number {
  return Math.min(chunkBytes, rule.bytes);
}

/**
 * Where a segment that holds `filled` bytes ends in a run of rows (`lineEnds[i]`: where row i's
 * newline is, from the run's start; rows before `fromRow` are already placed): the row after
 * which it reaches `size`, or -1 when the run's rows do not fill it.
 */
export function segmentEnd(filled: number, size: number, runStart: number, lineEnds: ArrayLike<number>, fromRow: number, length: number): number {
  if (filled + length - runStart < size) return -1;
  for (let r = fromRow; r < lineEnds.length; r++) if (filled + Math.min(lineEnds[r]! + 1, length) - runStart >= size) return r;
  return lineEnds.length - 1;
}

/** A run of whole COPY lines: where it is in the file, or its bytes when they are not the file's as they were (invalid UTF-8 replaced). */
export type SegmentPiece = { readonly firstLine: number } & ({ readonly at: number; readonly length: number } | { readonly bytes: Uint8Array });

export interface SegmentJob {
  readonly file: string;
  readonly target: CopyTargetSpec;
  readonly pieces: readonly SegmentPiece[];
  /** Where its files go, and their names (sink.ts's partName). */
  readonly dir: string;
  readonly database: string;
  readonly table: string;
  readonly piece: number;
  readonly maxChunkBytes: number;
}

export interface SegmentResult {
  readonly files: readonly ChunkFile[];
  readonly checksumHi: number;
  readonly checksumLo: number;
  readonly rowsRead: number;
  /** As a batch's, each with the index of its piece (whose offsets it counts from). */
  readonly reports: readonly (RowReport & { readonly piece: number })[];
  readonly counted: readonly (readonly [string, number])[];
  readonly maxima: readonly (string | undefined)[];
}

/** One segment's conversion, a piece at a time, into its own files; the same in a worker and in the main thread. */
export class SegmentConverter {
  private readonly writer: ChunkWriter;
  private readonly checksum = new RowChecksum();
  private rowsRead = 0;
  private readonly reports: (RowReport & { readonly piece: number })[] = [];
  private readonly kept = new Map<string, number>();
  private readonly counted = new Map<string, number>();
  private maxima: (bigint | undefined)[] = [];
  private spare: ArrayBuffer | undefined;
  private pieces = 0;

  constructor(
    private readonly ctx: BatchContext,
    private readonly job: Omit<SegmentJob, 'pieces' | 'file'>,
  ) {
    this.writer = new ChunkWriter(job.dir, (i) => partName(job.database, job.table, job.piece, i), job.maxChunkBytes);
  }

  /** `lineEnds`: where its lines end, when the reader found them already. */
  add(bytes: Uint8Array, firstLine: number, lineEnds?: Int32Array): void {
    const piece = this.pieces++;
    const r = convertBatch(this.ctx, { target: this.job.target, bytes, firstLine, ...(lineEnds ? { lineEnds } : {}) }, this.spare);
    this.writer.place(r.csv, r.ends);
    this.spare = r.csv.buffer as ArrayBuffer;
    this.checksum.addSum(r.checksumHi, r.checksumLo);
    this.rowsRead += r.rowsRead;
    // A batch keeps at most maxRowDiagnostics per code and column; so does the segment, counting the rest.
    for (const d of r.reports) {
      const k = `${d.id}|${d.pgColumn ?? ''}`;
      const seen = this.kept.get(k) ?? 0;
      this.kept.set(k, seen + 1);
      if (seen < this.ctx.maxRowDiagnostics) this.reports.push({ ...d, piece });
      else this.counted.set(k, (this.counted.get(k) ?? 0) + 1);
    }
    for (const [k, n] of r.counted) this.counted.set(k, (this.counted.get(k) ?? 0) + n);
    r.maxima.forEach((v, slot) => {
      if (v === undefined) return;
      const b = BigInt(v);
      const prev = this.maxima[slot];
      if (prev === undefined || b > prev) this.maxima[slot] = b;
    });
  }

  finish(): SegmentResult {
    const { hi, lo } = this.checksum.parts;
    const maxima = Array.from({ length: this.maxima.length }, (_, i) => this.maxima[i]?.toString());
    return { files: this.writer.close(), checksumHi: hi, checksumLo: lo, rowsRead: this.rowsRead, reports: this.reports, counted: [...this.counted], maxima };
  }

  discard(): void {
    this.writer.discard();
  }
}

/** A whole segment, its pieces read from the file (a worker's job). */
export function convertSegment(ctx: BatchContext, job: SegmentJob): SegmentResult {
  const converter = new SegmentConverter(ctx, job);
  const fd = openSync(job.file, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 21);
    for (const p of job.pieces) {
      if ('bytes' in p) {
        converter.add(Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length), p.firstLine);
        continue;
      }
      if (buf.length < p.length) buf = Buffer.allocUnsafe(p.length);
      let got = 0;
      while (got < p.length) {
        const n = readSync(fd, buf, got, p.length - got, p.at + got);
        if (n === 0) throw new Error(`${job.file} changed while it was read (ends before byte ${p.at + p.length})`);
        got += n;
      }
      converter.add(buf.subarray(0, p.length), p.firstLine);
    }
    return converter.finish();
  } catch (e) {
    converter.discard();
    throw e;
  } finally {
    closeSync(fd);
  }
}
