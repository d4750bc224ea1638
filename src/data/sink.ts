/** One TiDB table's CSV chunks: rows appended in order, a new chunk file past the size limit, rows/bytes/checksum counted. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import { encodeRow, RowChecksum } from './csv.js';
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

const NEWLINE = Buffer.from('\n');
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
  private pending: Buffer[] = [];
  private pendingBytes = 0;
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

  write(cells: readonly Cell[]): void {
    const row = encodeRow(cells);
    this.checksum.add(row);
    const size = row.length + 1;
    if (this.fd !== undefined && this.chunkBytes > 0 && this.chunkBytes + size > this.maxChunkBytes) this.endChunk();
    if (this.fd === undefined) this.fd = openSync(join(this.dir, chunkName(this.table.name.database, this.table.name.name, this.files.length + 1)), 'w');
    this.pending.push(row, NEWLINE);
    this.pendingBytes += size;
    this.chunkBytes += size;
    this.chunkRows++;
    this.rows++;
    this.bytes += size;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const buf = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done);
    this.pending = [];
    this.pendingBytes = 0;
  }

  private endChunk(): void {
    this.flush();
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    this.files.push({ name: chunkName(this.table.name.database, this.table.name.name, this.files.length + 1), rows: this.chunkRows, bytes: this.chunkBytes });
    this.chunkRows = 0;
    this.chunkBytes = 0;
  }

  async close(): Promise<TableSummary> {
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
