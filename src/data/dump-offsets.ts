/**
 * UTF-16 offsets into a dump (what diagnostics' spans count), worked out only when a span asks:
 * COPY rows streaming by are counted as one unit per byte, and where a batch of them differs (its
 * multi-byte characters, a `\r` before `\n`) it is read again from the file when a span after it
 * is wanted. A run without row diagnostics never counts (3 % of a one-thread run at 1 GB when
 * every batch was counted); one diagnostic late in the dump costs one more read of what is before.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { utf16Units } from './copy-batch.js';

/** A place in the dump, resolved to its UTF-16 offset by DumpOffsets.resolve. */
export interface OffsetMark {
  /** The offset had every deferred batch one unit per byte. */
  readonly approx: number;
  /** Deferred batches before the place. */
  readonly deferred: number;
}

export class DumpOffsets {
  private approx = 0;
  /** Where each deferred batch is in the file, and its length. */
  private readonly at: number[] = [];
  private readonly lengths: number[] = [];
  /** surplus[i]: bytes over UTF-16 units of the first i deferred batches (known as far as counted). */
  private readonly surplus: number[] = [0];

  /** `file`: where rows can be read again (none: they are counted as they come). */
  constructor(private readonly file: string | undefined) {}

  /** Text whose UTF-16 length is known. */
  add(units: number): void {
    this.approx += units;
  }

  /** Rows as bytes; `filePos`: where they are in the file, when they are its bytes as they were. */
  rows(bytes: Uint8Array, filePos: number | undefined): void {
    if (this.file === undefined || filePos === undefined) {
      this.approx += utf16Units(bytes, 0, bytes.length);
      return;
    }
    this.at.push(filePos);
    this.lengths.push(bytes.length);
    this.approx += bytes.length;
  }

  mark(): OffsetMark {
    return { approx: this.approx, deferred: this.at.length };
  }

  resolve(mark: OffsetMark): number {
    if (mark.deferred >= this.surplus.length) this.count(mark.deferred);
    return mark.approx - this.surplus[mark.deferred]!;
  }

  /** Counts the deferred batches up to `n`, reading them again. */
  private count(n: number): void {
    const fd = openSync(this.file!, 'r');
    try {
      let buf = Buffer.allocUnsafe(1 << 20);
      for (let i = this.surplus.length - 1; i < n; i++) {
        const length = this.lengths[i]!;
        if (buf.length < length) buf = Buffer.allocUnsafe(length);
        let got = 0;
        while (got < length) {
          const r = readSync(fd, buf, got, length - got, this.at[i]! + got);
          if (r === 0) throw new Error(`${this.file} changed while it was read (ends before byte ${this.at[i]! + length})`);
          got += r;
        }
        this.surplus.push(this.surplus[i]! + length - utf16Units(buf, 0, length));
      }
    } finally {
      closeSync(fd);
    }
  }
}
