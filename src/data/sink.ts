/**
 * One TiDB table's CSV chunks, rows/bytes/checksum counted. The table's rows come in pieces, in
 * input order: rows the main thread converts (INSERTs, small COPY blocks), appended to an open
 * piece, and segments of large COPY blocks (segments.ts), each converted by whichever thread into
 * files of its own. Every file is written under a temporary name and numbered at close, in piece
 * order, so a table's chunks are the same whichever thread finished first.
 */
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import { ChunkWriter, type ChunkFile } from './chunk-writer.js';
import { RowChecksum } from './csv.js';
import { CsvOut } from './csv-out.js';
import type { Cell } from './values.js';

export type { ChunkFile } from './chunk-writer.js';

export interface SinkColumn {
  /** TiDB column name. */
  readonly name: string;
  /** The PostgreSQL column it is loaded from. */
  readonly pgName: string;
  readonly column: TidbColumn;
}

export interface TableSummary {
  readonly database: string;
  readonly table: string;
  /** The PostgreSQL table. */
  readonly source: string;
  /** The CSV's columns, in order. */
  readonly columns: readonly string[];
  readonly files: readonly ChunkFile[];
  readonly rows: number;
  readonly bytes: number;
  /** See RowChecksum: order-independent, 16 hex digits. */
  readonly checksum: string;
}

const FLUSH_BYTES = 1 << 20;

/**
 * A name as a file name part: `/`, `\`, `%`, control characters, the glob characters IMPORT INTO
 * would expand (`*?[]`) and, in a database name, `.` (Lightning splits `{db}.{table}` at the first
 * dot) are percent-encoded; everything else, Unicode included, is kept.
 */
export function fileNamePart(name: string, isDatabase = false): string {
  return name.replace(isDatabase ? /[\/\\%*?[\]\x00-\x1f\x7f.]/g : /[\/\\%*?[\]\x00-\x1f\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** `{db}.{table}.000001.csv`, Lightning's name for the first chunk of a table. */
export function chunkName(database: string, table: string, index: number): string {
  return `${fileNamePart(database, true)}.${fileNamePart(table)}.${String(index).padStart(6, '0')}.csv`;
}

/** A chunk's name until the table is closed: hidden, and matched by no `*.csv` pattern a loader would read. */
export function partName(database: string, table: string, piece: number, index: number): string {
  return `${partPrefix(database, table)}${piece}.${index}.part`;
}

function partPrefix(database: string, table: string): string {
  return `.${fileNamePart(database, true)}.${fileNamePart(table)}.p`;
}

/** What a segment wrote: its files (under partName) and their rows' sum. */
export interface SegmentFiles {
  readonly files: readonly ChunkFile[];
  readonly checksumHi: number;
  readonly checksumLo: number;
}

export class TableSink {
  readonly columnSources: readonly string[];
  /** Rows written one at a time (INSERT), held until a batch or the end. */
  private readonly single = new CsvOut(1 << 16);
  private singleEnds: number[] = [];
  /** The table's pieces in input order: a writer of the main thread's rows, or a segment's files once it reports them. */
  private readonly pieces: (ChunkWriter | { files?: readonly ChunkFile[] })[] = [];
  /** The piece the main thread's rows go to (undefined after a segment: the next rows start a piece). */
  private open: ChunkWriter | undefined;
  private readonly checksum = new RowChecksum();

  constructor(
    private readonly dir: string,
    private readonly table: TidbTable,
    readonly columns: readonly SinkColumn[],
    private readonly maxChunkBytes: number,
  ) {
    this.columnSources = columns.map((c) => c.pgName);
  }

  /** One row of cells (the INSERT path). */
  write(cells: readonly Cell[]): void {
    const out = this.single;
    const start = out.pos;
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) out.byte(0x2c);
      out.cell(cells[i]!);
    }
    this.checksum.addRange(out.buf, start, out.pos);
    out.byte(10);
    this.singleEnds.push(out.pos);
    if (out.pos >= FLUSH_BYTES) this.flushSingle();
  }

  private flushSingle(): void {
    if (this.singleEnds.length === 0) return;
    const ends = this.singleEnds;
    this.singleEnds = [];
    this.writer().place(this.single.buf, ends);
    this.single.pos = 0;
  }

  /** Rows converted elsewhere (convertBatch): `csv` holds them, `ends` their end offsets; the checksum is their sum. */
  appendBatch(csv: Uint8Array, ends: ArrayLike<number>, checksumHi: number, checksumLo: number): void {
    this.flushSingle();
    this.checksum.addSum(checksumHi, checksumLo);
    this.writer().place(csv, ends);
  }

  /** The next rows start a chunk (a segment's end in a stream's rows). */
  newChunk(): void {
    this.flushSingle();
    this.open = undefined;
  }

  /** A place for a segment's files, after every row given so far; `name(i)` names its i-th file until close. */
  reserveSegment(): { readonly piece: number; readonly name: (index: number) => string } {
    this.newChunk();
    const piece = this.pieces.length;
    this.pieces.push({});
    return { piece, name: (i) => partName(this.table.name.database, this.table.name.name, piece, i) };
  }

  fillSegment(piece: number, written: SegmentFiles): void {
    const slot = this.pieces[piece];
    if (!slot || slot instanceof ChunkWriter || slot.files) throw new Error(`segment ${piece} of ${this.table.name.name} filled twice or never reserved`);
    slot.files = written.files;
    this.checksum.addSum(written.checksumHi, written.checksumLo);
  }

  private writer(): ChunkWriter {
    if (!this.open) {
      const piece = this.pieces.length;
      this.open = new ChunkWriter(this.dir, (i) => partName(this.table.name.database, this.table.name.name, piece, i), this.maxChunkBytes);
      this.pieces.push(this.open);
    }
    return this.open;
  }

  /** A run that failed: every file written so far (segments' too) is removed, so no partial table is left to load. */
  discard(): void {
    for (const p of this.pieces) if (p instanceof ChunkWriter) p.discard();
    const prefix = partPrefix(this.table.name.database, this.table.name.name);
    for (const name of readdirSync(this.dir)) if (name.startsWith(prefix) && /^\d+\.\d+\.part$/.test(name.slice(prefix.length))) rmSync(join(this.dir, name), { force: true });
  }

  async close(): Promise<TableSummary> {
    this.flushSingle();
    const files: ChunkFile[] = [];
    let rows = 0;
    let bytes = 0;
    for (const p of this.pieces) {
      const written = p instanceof ChunkWriter ? p.close() : p.files;
      if (!written) throw new Error(`a segment of ${this.table.name.name} never reported its files`);
      for (const f of written) {
        const name = chunkName(this.table.name.database, this.table.name.name, files.length + 1);
        renameSync(join(this.dir, f.name), join(this.dir, name));
        files.push({ name, rows: f.rows, bytes: f.bytes });
        rows += f.rows;
        bytes += f.bytes;
      }
    }
    return {
      database: this.table.name.database,
      table: this.table.name.name,
      source: this.table.source,
      columns: this.columns.map((c) => c.name),
      files,
      rows,
      bytes,
      checksum: this.checksum.hex(),
    };
  }
}
