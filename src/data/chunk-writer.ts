/** Rows into numbered files of at most `maxChunkBytes` each (a file holds at least one row): a new file before a row that would pass the limit. */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface ChunkFile {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
}

export class ChunkWriter {
  private fd: number | undefined;
  private chunkRows = 0;
  private chunkBytes = 0;
  private readonly done: ChunkFile[] = [];
  rows = 0;
  bytes = 0;

  /** `name(i)`: the file name of the i-th file (1-based) in `dir`. */
  constructor(
    private readonly dir: string,
    private readonly name: (index: number) => string,
    private readonly maxChunkBytes: number,
  ) {}

  /** Rows in `csv`, each ending at its offset in `ends`. */
  place(csv: Uint8Array, ends: ArrayLike<number>): void {
    const total = ends.length > 0 ? ends[ends.length - 1]! : 0;
    if (this.fd !== undefined && this.chunkBytes + total <= this.maxChunkBytes) {
      // The whole batch fits the open file (the common case): no walk over its rows.
      this.count(ends.length, total);
      this.put(csv, 0, total);
      return;
    }
    let seg = 0;
    let prev = 0;
    for (let r = 0; r < ends.length; r++) {
      const end = ends[r]!;
      const size = end - prev;
      if (this.fd !== undefined && this.chunkBytes > 0 && this.chunkBytes + size > this.maxChunkBytes) {
        this.put(csv, seg, prev);
        seg = prev;
        this.endFile();
      }
      if (this.fd === undefined) this.fd = openSync(join(this.dir, this.name(this.done.length + 1)), 'w');
      this.count(1, size);
      prev = end;
    }
    this.put(csv, seg, prev);
  }

  /** The files written, the open one closed. */
  close(): ChunkFile[] {
    this.endFile();
    return this.done;
  }

  /** Removes every file written (the open one too). */
  discard(): void {
    const open = this.fd !== undefined;
    if (open) closeSync(this.fd!);
    this.fd = undefined;
    const count = this.done.length + (open ? 1 : 0);
    for (let i = 1; i <= count; i++) rmSync(join(this.dir, this.name(i)), { force: true });
  }

  private count(rows: number, bytes: number): void {
    this.chunkRows += rows;
    this.chunkBytes += bytes;
    this.rows += rows;
    this.bytes += bytes;
  }

  private put(csv: Uint8Array, s: number, e: number): void {
    if (this.fd === undefined) return;
    let at = s;
    while (at < e) at += writeSync(this.fd, csv, at, e - at);
  }

  private endFile(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.done.push({ name: this.name(this.done.length + 1), rows: this.chunkRows, bytes: this.chunkBytes });
    this.chunkRows = 0;
    this.chunkBytes = 0;
  }
}
