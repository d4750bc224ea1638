/** One TiDB table's CSV chunks: rows appended in order, a new chunk file past the size limit, rows/bytes/checksum counted. */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import { RowChecksum } from './csv.js';
import { CsvOut } from './csv-out.js';
import type { Cell } from './values.js';

export interface SinkColumn {
  /** TiDB column name. */
  readonly name: string;
  /** The PostgreSQL column it is loaded from. */
  readonly pgName: string;
  readonly column: TidbColumn;
}

export interface ChunkFile {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
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

export class TableSink {
  readonly columnSources: readonly string[];
  private fd: number | undefined;
  /** Rows written one at a time (INSERT), held until a batch or the end. */
  private readonly single = new CsvOut(1 << 16);
  private singleEnds: number[] = [];
  private chunkRows = 0;
  private chunkBytes = 0;
  private readonly files: ChunkFile[] = [];
  private rows = 0;
  private bytes = 0;
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
    this.place(this.single.buf, ends);
    this.single.pos = 0;
  }

  /** Rows converted elsewhere (convertBatch): `csv` holds them, `ends` their end offsets; the checksum is their sum. */
  appendBatch(csv: Uint8Array, ends: ArrayLike<number>, checksumHi: number, checksumLo: number): void {
    this.flushSingle();
    this.checksum.addSum(checksumHi, checksumLo);
    this.place(csv, ends);
  }

  /** Writes rows into chunk files: a new chunk before a row that would pass the size limit. */
  private place(csv: Uint8Array, ends: ArrayLike<number>): void {
    const total = ends.length > 0 ? ends[ends.length - 1]! : 0;
    if (this.fd !== undefined && this.chunkBytes + total <= this.maxChunkBytes) {
      // The whole batch fits the open chunk (the common case): no walk over its rows.
      this.chunkBytes += total;
      this.chunkRows += ends.length;
      this.rows += ends.length;
      this.bytes += total;
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
        this.endChunk();
      }
      if (this.fd === undefined) this.fd = openSync(join(this.dir, chunkName(this.table.name.database, this.table.name.name, this.files.length + 1)), 'w');
      this.chunkBytes += size;
      this.chunkRows++;
      this.rows++;
      this.bytes += size;
      prev = end;
    }
    this.put(csv, seg, prev);
  }

  private put(csv: Uint8Array, s: number, e: number): void {
    if (this.fd === undefined) return;
    let done = s;
    while (done < e) done += writeSync(this.fd, csv, done, e - done);
  }

  private endChunk(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.files.push({ name: chunkName(this.table.name.database, this.table.name.name, this.files.length + 1), rows: this.chunkRows, bytes: this.chunkBytes });
    this.chunkRows = 0;
    this.chunkBytes = 0;
  }

  /** A run that failed: the chunk files written so far (the open one too) are removed, so no partial table is left to load. */
  discard(): void {
    const open = this.fd !== undefined;
    if (open) closeSync(this.fd!);
    this.fd = undefined;
    const count = this.files.length + (open ? 1 : 0);
    for (let i = 1; i <= count; i++) rmSync(join(this.dir, chunkName(this.table.name.database, this.table.name.name, i)), { force: true });
  }

  async close(): Promise<TableSummary> {
    this.flushSingle();
    this.endChunk();
    return {
      database: this.table.name.database,
      table: this.table.name.name,
      source: this.table.source,
      columns: this.columns.map((c) => c.name),
      files: this.files,
      rows: this.rows,
      bytes: this.bytes,
      checksum: this.checksum.hex(),
    };
  }
}
