/**
 * `pg2tidb data`: the schema is translated first (the same `translate` the CLI runs, on the
 * inputs' DDL), then the dump is streamed again and every COPY row and INSERT row is converted by
 * that translation's decisions into CSV files in TiDB Lightning's layout.
 */
import { Readable } from 'node:stream';
import { mkdir, readFile, stat } from 'node:fs/promises';
import type { ExactPayload } from '../diagnostics/catalogue.js';
import type { SourceFile, SourceSpan } from '../diagnostics/span.js';
import { DiagnosticBag, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { columnSubject, tableSubject, type Subject } from '../diagnostics/subject.js';
import { loadRawParser, type RawParser } from '../frontends/postgres/raw-parser.js';
import type { TranslateOptions } from '../transform/options.js';
import { translate, type TranslateResult } from '../translate.js';
import { planTables, type ColumnPlan, type TablePlan } from './columns.js';
import { convertBatch, convertCells, type BatchContext, type BatchJob, type BatchResult, type CopyTargetSpec, type RowReport } from './copy-batch.js';
import { SegmentConverter, segmentBytes, segmented, segmentEnd, type SegmentJob, type SegmentPiece, type SegmentResult, type SegmentRule } from './segments.js';
import { copyWorkerCount, CopyPool } from './copy-pool.js';
import { key as planKey } from '../transform/context.js';
import { DumpScanner, walkDump, type DumpEvent } from './dump-reader.js';
import { lineChunks } from './line-chunks.js';
import { copyFromTable, LARGE_OBJECT_WRITES, metaEffect } from '../frontends/postgres/data-forms.js';
import { DumpOffsets, type OffsetMark } from './dump-offsets.js';
import { readDataStatement, type InsertValue } from './statements.js';
import { TableSink, type SinkColumn } from './sink.js';
import type { Cell } from './values.js';
import { SequenceTracker } from './sequences.js';
import { writeLayout } from './layout.js';
import type { TableSummary } from './sink.js';
import type { RowSource, RowStream } from './row-source.js';

/** The catalogue ids `pg2tidb data` reports (PGT8xxx). */
type DataDiagnosticId = 'data-unrepresentable' | 'data-row-malformed' | 'data-table-mismatch' | 'data-statement-skipped';

export type { UnrepresentablePolicy } from './copy-batch.js';
import type { UnrepresentablePolicy } from './copy-batch.js';

export interface DataOptions {
  /** What happens to a row with a value TiDB cannot hold: `fail` (default) and `skip-row` leave the row out, `null` loads NULL. Every such value is a diagnostic either way. */
  readonly onUnrepresentable?: UnrepresentablePolicy;
  /** Bytes per CSV chunk before a new `{db}.{table}.NNNNNN.csv` starts (at a row boundary). Default 256 MiB. A large COPY block's segments start chunks too (segments.ts). */
  readonly chunkBytes?: number;
  /** How large COPY blocks are cut into segments (tests make small blocks large); default SEGMENT_RULE. */
  readonly segmentRule?: SegmentRule;
  /** Where IMPORT INTO reads the files from (a TiDB-local folder, s3://..., gs://...). Default: the output folder. */
  readonly location?: string;
  /** Row-level diagnostics kept in full per table, column and code; the rest are counted. Default 100. */
  readonly maxRowDiagnostics?: number;
  /** Threads converting COPY rows, the main thread one of them (n - 1 workers): 1 converts in the main thread alone; default one per core, for inputs of 64 MiB or more. The output is the same for any number. */
  readonly workers?: number;
  /**
   * More rows from elsewhere than the inputs (a live database): called after the inputs, with the
   * function that converts one table's COPY text (text format, rows only) by the same path as a
   * dump's COPY blocks.
   */
  readonly copySources?: (convertCopyStream: ConvertCopyStream) => Promise<void>;
  /** Rows from a live database (`--from`, pg-source.ts) instead of the inputs' COPY blocks and INSERTs: the inputs then give only the schema. Closed by the caller. */
  readonly rows?: RowSource;
}

/** One table's rows as COPY text (`COPY ... TO STDOUT`, text format: rows only, no `\.`), into the table's files. */
export type ConvertCopyStream = (
  table: { readonly schema?: string; readonly name: string },
  rows: AsyncIterable<Uint8Array | string>,
  options?: {
    /** The columns the rows hold, in order (default: the table's, as COPY without a column list gives them). */
    readonly columns?: readonly string[];
    /** The file name diagnostics give, with the row number as the line. */
    readonly label?: string;
    readonly delimiter?: string;
  },
) => Promise<void>;

export interface DataInputFile {
  /** Path shown in diagnostics. */
  readonly path: string;
  /** Where to read it. */
  readonly file: string;
}

export interface DataProgress {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly rows: number;
  readonly table?: string;
}

export type { TableSummary } from './sink.js';

export interface DataResult {
  readonly translation: TranslateResult;
  readonly diagnostics: readonly Diagnostic[];
  readonly tables: readonly TableSummary[];
  /** Totals per diagnostic code (row-level codes count every value, also those not kept in full). */
  readonly totals: Readonly<Record<string, number>>;
  /** The same totals per PostgreSQL table (`schema.table`). */
  readonly tableTotals: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** Files written, relative to the output folder. */
  readonly written: readonly string[];
  /** True when every row and value was loaded as it was. */
  readonly exact: boolean;
}

const LINE_WINDOW = 4096;

const DATA_STATEMENT = new RegExp(`^\\s*(copy|insert|update|delete|truncate|merge)\\b|^\\s*select\\s+(pg_catalog\\.)?(${['setval', ...LARGE_OBJECT_WRITES].join('|')})\\s*\\(`, 'i');

/**
 * The inputs' schema statements as one text per file, data blanked out line by line so that
 * line numbers (and diagnostics' spans) stay those of the dump. Memory: the DDL plus a byte per
 * data line. Also the bytes of each COPY block's rows, by its statement's line (where the data
 * pass cuts segments depends on them).
 */
async function schemaText(input: DataInputFile): Promise<{ readonly text: string; readonly blocks: ReadonlyMap<number, number> }> {
  const out: string[] = [];
  const blocks = new Map<number, number>();
  let block = 0;
  let line = 1;
  const put = (text: string, at: number, column: number) => {
    if (line < at) {
      out.push('\n'.repeat(at - line));
      line = at;
    }
    out.push(' '.repeat(Math.max(0, column - 1)), text, ';');
    line += (text.match(/\n/g) ?? []).length;
  };
  // Synchronous events: an async generator per event cost a promise per COPY row (a quarter of the run).
  const scanner = new DumpScanner((ev) => {
    if (ev.kind === 'statement' && COPY_FROM_STDIN.test(ev.text)) block = ev.line;
    if (ev.kind === 'statement' && !DATA_STATEMENT.test(ev.text)) put(ev.text, ev.line, ev.column);
    // A \\copy ... FROM is data: the data pass reports it (its rows are in a file, not in the input).
    else if (ev.kind === 'meta' && copyFromTable(ev.text) === undefined) put(ev.text.replace(/;$/, ''), ev.line, 1);
  });
  // Rows are only skipped here: pass 2 checks their UTF-8.
  const rows = (bytes: Uint8Array, count: number) => {
    scanner.skipRows(count);
    blocks.set(block, (blocks.get(block) ?? 0) + bytes.length);
  };
  await walkDump(lineChunks(input.file, READ_CHUNK), scanner, (line) => scanner.line(line), rows, undefined, false);
  scanner.end();
  out.push('\n');
  return { text: out.join(''), blocks };
}

const COPY_FROM_STDIN = /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i;

/** A large COPY block's segment being cut (segments.ts): where its pieces are, and where each starts for spans. */
interface OpenSegment {
  readonly target: CopyTarget;
  readonly job: Omit<SegmentJob, 'pieces'>;
  readonly pieces: SegmentPiece[];
  readonly marks: OffsetMark[];
  /** Converting as it is cut, in the main thread (no workers, or every worker has its fill). */
  readonly converter?: SegmentConverter;
}

interface CopyTarget {
  readonly plan: TablePlan;
  readonly sink: TableSink;
  /** Per field of the COPY row: its position in the sink's columns, or -1 to leave it out (generated). */
  readonly slots: readonly number[];
  /** The column plan of each sink column. */
  readonly columns: readonly ColumnPlan[];
  /** The plan's key in `plans`. */
  readonly key: string;
}

/** Bytes read at a time; a COPY block is converted a read's worth of rows at a time. */
const READ_CHUNK = 1 << 20;
/**
 * Below this much input, the default worker count starts no threads: a second thread costs 0.3-0.5 s
 * of CPU to start and warm up (2 cores, wall: 20 MB 0.52 s on two threads against 0.43 s on one,
 * 50 MB 0.68 against 0.72, 100 MB 1.01 against 1.22).
 */
const WORKERS_MIN_BYTES = 64 << 20;

export async function convertData(inputs: readonly DataInputFile[], translateOptions: Partial<TranslateOptions>, dataOptions: DataOptions, outDir: string, onProgress?: (p: DataProgress) => void): Promise<DataResult> {
  await mkdir(outDir, { recursive: true });
  const policy = dataOptions.onUnrepresentable ?? 'fail';
  const maxRowDiagnostics = dataOptions.maxRowDiagnostics ?? 100;
  const inputBytes = (await Promise.all(inputs.map(async (i) => stat(i.file).then((s) => s.size)))).reduce((a, b) => a + b, 0);
  const threadsFor = (bytes: number) => dataOptions.workers ?? (bytes >= WORKERS_MIN_BYTES ? copyWorkerCount(undefined) : 1);
  let batchContext: BatchContext | undefined;
  // The main thread is one of the converting threads: threads - 1 workers.
  const newPool = (threads: number) => (threads > 1 ? new CopyPool(threads - 1, (job, reuse) => convertBatch(batchContext!, job, reuse)) : undefined);
  // For a dump, the workers load while the schema pass reads it; a live source's size is known once it is open.
  let pool = dataOptions.rows ? undefined : newPool(threadsFor(inputBytes));
  const blocksOf = new Map<string, ReadonlyMap<number, number>>();
  let translation: TranslateResult;
  try {
    // --- pass 1: the schema.
    const files: SourceFile[] = [];
    for (const input of inputs) {
      let text: string;
      if (/\.py$/i.test(input.file)) text = await readFile(input.file, 'utf8');
      else {
        const dump = await schemaText(input);
        text = dump.text;
        blocksOf.set(input.file, dump.blocks);
      }
      // A data-only file (the data half of a schema + data pair) adds nothing to the schema.
      if (text.trim() !== '' || inputs.length === 1) files.push({ path: input.path, text });
    }
    // No schema inputs: the row source's own schema (a live database's catalog, in the rows' snapshot).
    if (inputs.length === 0) {
      if (!dataOptions.rows?.schema) throw new Error('convertData: no inputs and no row source that gives its schema');
      files.push(await dataOptions.rows.schema());
    }
    translation = await translate(files, translateOptions);
  } catch (e) {
    await pool?.close();
    throw e;
  }
  const plans = planTables(translation.schema, translation.tidb.tables);
  const bag = new DiagnosticBag();
  const totals: Record<string, number> = {};
  const kept = new Map<string, number>();
  const sinks = new Map<string, TableSink>();
  const sequences = new SequenceTracker(translation);
  const parse: RawParser = await loadRawParser();
  const chunkBytes = dataOptions.chunkBytes ?? 256 * 1024 * 1024;
  let exact = true;

  const tableTotals = new Map<string, Record<string, number>>();
  const subjects = new Map<string, Subject>();
  const report = <K extends DataDiagnosticId>(id: K, data: ExactPayload<K>, span: SourceSpan | undefined, table: string | undefined, rowLevel = true, column?: string) => {
    totals[id] = (totals[id] ?? 0) + 1;
    const subject = table === undefined ? undefined : column === undefined ? table : `${table}.${column}`;
    const structured: Subject = table === undefined ? { kind: 'statement' } : column === undefined ? tableSubject(table) : columnSubject(table, column);
    if (table) {
      const t = tableTotals.get(table) ?? {};
      t[id] = (t[id] ?? 0) + 1;
      tableTotals.set(table, t);
    }
    exact = false;
    if (rowLevel) {
      const k = `${id}|${subject ?? ''}`;
      const n = kept.get(k) ?? 0;
      kept.set(k, n + 1);
      subjects.set(k, structured);
      if (n >= maxRowDiagnostics) return;
    }
    // A copy: a span's offset is worked out here (see DumpOffsets), not when the span was made.
    bag.add(id, data, { span: span && { ...span }, subject: structured });
  };

  const sinkFor = (plan: TablePlan, columns: readonly string[], span: SourceSpan): CopyTarget | undefined => {
    // The CSV holds the TiDB table's columns in table order, those the dump gives values for, generated ones left out.
    const order = plan.tidb.columns.map((c) => c.name);
    const given = columns.map((pgName) => plan.columns.get(pgName));
    const missing = columns.filter((_, i) => given[i] === undefined);
    if (missing.length > 0) {
      report('data-table-mismatch', { reason: 'missing-columns', columns: missing }, span, plan.subject, false);
      return undefined;
    }
    const loaded = given.filter((c) => !c!.generated).map((c) => c!.tidb.name);
    const sinkColumns = order.filter((n) => loaded.includes(n));
    const key = `${plan.tidb.name.database}.${plan.tidb.name.name}`;
    let sink = sinks.get(key);
    if (!sink) {
      const byTidb = new Map([...plan.columns.values()].map((c) => [c.tidb.name, c]));
      const cols: SinkColumn[] = sinkColumns.map((n) => ({ name: n, pgName: byTidb.get(n)!.pgName, column: byTidb.get(n)!.tidb }));
      sink = new TableSink(outDir, plan.tidb, cols, chunkBytes);
      sinks.set(key, sink);
    } else if (sink.columns.map((c) => c.name).join(',') !== sinkColumns.join(',')) {
      report('data-table-mismatch', { reason: 'columns-changed', columns: sinkColumns, previous: sink.columns.map((c) => c.name) }, span, plan.subject, false);
      return undefined;
    }
    const slots = given.map((c) => (c!.generated ? -1 : sinkColumns.indexOf(c!.tidb.name)));
    return { plan, sink, slots, columns: sink.columnSources.map((n) => plan.columns.get(n)!), key: planKey(plan.pg.name) };
  };

  /** A span whose offset is resolved only if it is reported: `extra` UTF-16 units past `mark`. */
  const spanAt = (offsets: DumpOffsets, mark: OffsetMark, extra: number, span: Omit<SourceSpan, 'offset'>): SourceSpan => ({
    ...span,
    get offset() {
      return offsets.resolve(mark) + extra;
    },
  });

  /** Converts one row's texts into cells (INSERT rows); undefined when the row must be left out. */
  const convertRow = (target: CopyTarget, values: readonly (string | null)[], span: SourceSpan): Cell[] | undefined =>
    convertCells(
      target.plan,
      target.slots,
      target.columns,
      values,
      policy,
      (id, data, column) => report(id, data, span, target.plan.subject, true, column),
      (slot, v) => sequences.observe(target.plan.tidb, target.columns[slot]!.tidb, v),
    );

  /** Row diagnostics past the kept ones of a batch: counted as report() counts them. */
  const countOnly = (id: DataDiagnosticId, table: string, column: string | undefined, n: number) => {
    totals[id] = (totals[id] ?? 0) + n;
    const t = tableTotals.get(table) ?? {};
    t[id] = (t[id] ?? 0) + n;
    tableTotals.set(table, t);
    exact = false;
    const k = `${id}|${column === undefined ? table : `${table}.${column}`}`;
    kept.set(k, (kept.get(k) ?? 0) + n);
    subjects.set(k, column === undefined ? tableSubject(table) : columnSubject(table, column));
  };

  /** A converted batch into its table's files, its diagnostics into the report (spans from the batch's offset in the file). */
  const applyBatch = (target: CopyTarget, r: BatchResult, file: string, offsets: DumpOffsets, base: OffsetMark) => {
    target.sink.appendBatch(r.csv, r.ends, r.checksumHi, r.checksumLo);
    noteRows(target, r, file, offsets, () => base);
  };

  /** A converted segment: its files in their place in the table, its diagnostics as a batch's. */
  const applySegment = (segment: OpenSegment, r: SegmentResult, file: string, offsets: DumpOffsets) => {
    segment.target.sink.fillSegment(segment.job.piece, r);
    noteRows(segment.target, r, file, offsets, (piece) => segment.marks[piece]!);
  };

  /** Converted rows' diagnostics, sequence values and count; `base(piece)`: where the rows a report counts from start. */
  const noteRows = (target: CopyTarget, r: Omit<BatchResult, 'csv' | 'ends'> & { readonly reports: readonly (RowReport & { readonly piece?: number })[] }, file: string, offsets: DumpOffsets, base: (piece: number) => OffsetMark) => {
    const subject = target.plan.subject;
    for (const d of r.reports) {
      const span = spanAt(offsets, base(d.piece ?? 0), d.offset, { file, line: d.line, column: d.column, endLine: d.line, endColumn: 1 + d.length, length: d.length });
      report(d.id, d.data as ExactPayload<typeof d.id>, span, subject, true, d.pgColumn);
    }
    for (const [k, n] of r.counted) {
      const bar = k.indexOf('|');
      const column = k.slice(bar + 1);
      countOnly(k.slice(0, bar) as DataDiagnosticId, subject, column === '' ? undefined : column, n);
    }
    r.maxima.forEach((v, slot) => {
      if (v !== undefined) sequences.observe(target.plan.tidb, target.columns[slot]!.tidb, v);
    });
    rowsDone += r.rowsRead;
    tick(subject);
  };

  let live: RowStream | undefined;
  try {
    live = dataOptions.rows ? await dataOptions.rows.open({ translation, plans, mismatch: (data, table) => report('data-table-mismatch', data, undefined, table, false) }) : undefined;
  } catch (e) {
    await pool?.close();
    throw e;
  }
  const totalBytes = live ? live.totalBytes : inputBytes;
  let bytesDone = 0;
  let rowsDone = 0;
  let lastProgress = 0;
  const tick = (table?: string) => {
    if (!onProgress) return;
    const now = Date.now();
    if (now - lastProgress < 100) return;
    lastProgress = now;
    onProgress({ bytes: bytesDone, totalBytes, rows: rowsDone, ...(table ? { table } : {}) });
  };

  // Large objects are bytes outside every table: the schema's (lo_create) and those whose bytes a dump writes; none is loaded.
  const largeObjects = new Set(translation.schema.others.filter((o) => o.kind === 'large-object').map((o, i) => o.name ?? `#${i}`));
  let unnamedWrites = 0;

  // --- pass 2: the data.
  batchContext = { plans, policy, maxRowDiagnostics };
  const context = batchContext;
  if (live) pool = newPool(threadsFor(totalBytes));
  pool?.start({ schema: translation.schema, tables: translation.tidb.tables, policy, maxRowDiagnostics });
  // In the main thread, each batch's CSV is written before the next is converted: one buffer serves them all.
  let spare: ArrayBuffer | undefined;
  const applyBatchHere = (target: CopyTarget, job: BatchJob, file: string, offsets: DumpOffsets, base: OffsetMark): Promise<void> | undefined => {
    const r = convertBatch(context, job, spare);
    spare = r.csv.buffer as ArrayBuffer;
    if (!pool) {
      applyBatch(target, r, file, offsets, base);
      return undefined;
    }
    // Its rows are written now (the table's pieces keep the order); its diagnostics wait for the segments before it.
    target.sink.appendBatch(r.csv, r.ends, r.checksumHi, r.checksumLo);
    pool.later(() => noteRows(target, r, file, offsets, () => base));
    return new Promise<void>((resolve) => setImmediate(resolve));
  };
  let segment: OpenSegment | undefined;
  // The threads are ended however the conversion ends (a live thread would keep the process from exiting).
  let failed = false;
  try {
    for (const input of live ? [{ path: live.path, file: '' }] : inputs) {
      if (/\.py$/i.test(input.file)) continue;
      let searchPath = ['public'];
      let standardStrings = true;
      let copy: CopyTarget | undefined | null; // null: a COPY whose rows are skipped
      let copyDelimiter = '\t';
      /** The open block's segment size (segments.ts): its rows are cut there, whoever converts them. */
      let segmentSize: number | undefined;
      /** The open block is a dump's large one: its segments are converted whole, each into files of its own (else in batches, a cut starting a chunk). */
      let viaSegments = false;
      /** COPY bytes in the open segment. */
      let filled = 0;
      const blocks = blocksOf.get(input.file);
      // A dump's small block is the main thread's, its rows written as they are converted (its workers take segments); a stream's batches go to the workers while they have room, written in order as they come back.
      const streamPool = blocks === undefined ? pool : undefined;
      // A dump's rows can be read again to count their UTF-16 units if a span needs them; a live source's are counted as they come.
      const offsets = new DumpOffsets(live ? undefined : input.file);
      // Where the last LINE_WINDOW lines start (a ring: a Map set and delete per line cost more than the parse).
      const lineMarks: OffsetMark[] = Array.from({ length: LINE_WINDOW }, () => ({ approx: 0, deferred: 0 }));
      const markOf = (line: number): OffsetMark => (lineNo - line < LINE_WINDOW && line <= lineNo ? lineMarks[line % LINE_WINDOW]! : { approx: 0, deferred: 0 });
      let lineNo = 0;
      const resolveTable = (name: { schema?: string; name: string }): TablePlan | undefined => {
        if (name.schema) return plans.get(`${name.schema}.${name.name}`);
        for (const s of searchPath) {
          const p = plans.get(`${s}.${name.name}`);
          if (p) return p;
        }
        return undefined;
      };
      const copyTarget = (target: CopyTarget): CopyTargetSpec => ({ table: target.key, slots: target.slots, sources: target.sink.columnSources, delimiter: copyDelimiter });
      const openSegment = (target: CopyTarget): OpenSegment => {
        const { piece } = target.sink.reserveSegment();
        const job = { file: input.file, target: copyTarget(target), dir: outDir, database: target.plan.tidb.name.database, table: target.plan.tidb.name.name, piece, maxChunkBytes: chunkBytes };
        return { target, job, pieces: [], marks: [], ...(pool?.hasRoom() ? {} : { converter: new SegmentConverter(context, job) }) };
      };
      const closeSegment = (): Promise<void> | undefined => {
        const open = segment;
        segment = undefined;
        if (!open) return undefined;
        if (open.converter) {
          const r = open.converter.finish();
          if (!pool) {
            applySegment(open, r, input.path, offsets);
            return undefined;
          }
          pool.later(() => applySegment(open, r, input.path, offsets));
          // A turn of the event loop: the workers' messages (results, room for the next segment) are read (the reads are synchronous).
          return new Promise<void>((resolve) => setImmediate(resolve));
        }
        return pool!.submitSegment({ ...open.job, pieces: open.pieces }, (r) => applySegment(open, r, input.path, offsets));
      };
      const handle = (ev: DumpEvent): Promise<void> | undefined => {
        // walkDump hands COPY rows on as bytes (rows below), never as copy-row events.
        if (ev.kind === 'copy-row') return;
        if (ev.kind === 'copy-end') {
          if (!ev.terminated && copy !== undefined) report('data-row-malformed', { reason: 'copy-unterminated' }, spanAt(offsets, offsets.mark(), 0, { file: input.path, line: ev.line, column: 1, endLine: ev.line, endColumn: 1, length: 0 }), copy?.plan.subject, false);
          copy = undefined;
          segmentSize = undefined;
          viaSegments = false;
          filled = 0;
          return closeSegment();
        }
        if (ev.kind === 'meta') {
          // A \\copy ... FROM reads a client file, an include another script: rows either may hold are not in the input.
          const reason = copyFromTable(ev.text) !== undefined ? 'copy-file' : metaEffect(ev.text).effect === 'include' ? 'include' : undefined;
          if (reason === undefined) return;
          const span = spanAt(offsets, markOf(ev.line), 0, { file: input.path, line: ev.line, column: 1, endLine: ev.line, endColumn: 1 + ev.text.length, length: ev.text.length });
          report('data-statement-skipped', { reason, statement: ev.text.replace(/;$/, '') }, span, undefined, false);
          return;
        }
        if (ev.kind !== 'statement' || !DATA_STATEMENT.test(ev.text) && !/^\s*(set|select)\b/i.test(ev.text)) return;
        const st = readDataStatement(parse, ev.text);
        const span = spanAt(offsets, markOf(ev.line), ev.column - 1, { file: input.path, line: ev.line, column: ev.column, endLine: ev.line, endColumn: ev.column + 1, length: 1 });
        if (!st) {
          // A statement that does not parse: the schema pass reported the syntax error; say that its data is lost.
          if (DATA_STATEMENT.test(ev.text)) {
            report('data-statement-skipped', { reason: 'unparsable' }, span, undefined, false);
            if (/^\s*copy\b/i.test(ev.text) && /\bfrom\s+stdin\b/i.test(ev.text)) copy = null;
          }
          return;
        }
        switch (st.kind) {
          case 'search-path':
            searchPath = st.schemas.length ? st.schemas.map((s) => s.replace(/^"|"$/g, '')) : [];
            if (searchPath.length === 0) searchPath = ['public'];
            break;
          case 'standard-strings':
            standardStrings = st.on;
            break;
          case 'setval':
            sequences.setval(st.sequence, st.value, st.isCalled, searchPath[0] ?? 'public');
            break;
          case 'large-object':
            if (st.oid !== undefined) largeObjects.add(st.oid);
            else unnamedWrites++;
            break;
          case 'copy': {
            const plan = resolveTable(st.table);
            copy = null;
            if (!plan) {
              report('data-table-mismatch', { reason: 'no-table', statement: 'COPY', table: `${st.table.schema ? `${st.table.schema}.` : ''}${st.table.name}` }, span, undefined, false);
              break;
            }
            if (st.format !== 'text') {
              report('data-statement-skipped', { reason: 'copy-format', format: st.format }, span, plan.subject, false);
              break;
            }
            copyDelimiter = st.delimiter;
            copy = sinkFor(plan, st.columns ?? plan.pgOrder, span) ?? null;
            // Every block is cut at the same rows; a dump's large one (by its size in the schema pass) in segments a thread reads again from the file, the rest (a stream's too) in batches.
            segmentSize = copy ? segmentBytes(chunkBytes, dataOptions.segmentRule) : undefined;
            viaSegments = copy !== null && !live && segmented(blocks?.get(ev.line) ?? 0, dataOptions.segmentRule);
            filled = 0;
            break;
          }
          case 'insert': {
            const plan = resolveTable(st.table);
            if (!plan) {
              report('data-table-mismatch', { reason: 'no-table', statement: 'INSERT', table: `${st.table.schema ? `${st.table.schema}.` : ''}${st.table.name}` }, span, undefined, false);
              break;
            }
            const target = sinkFor(plan, st.columns ?? plan.pgOrder, span);
            if (!target) break;
            if (!standardStrings && ev.text.includes('\\')) {
              // With standard_conforming_strings off a backslash in '...' is an escape; the grammar read it as on.
              report('data-row-malformed', { reason: 'backslash-strings', rows: st.rows.length }, span, plan.subject);
              break;
            }
            if (st.onConflict) report('data-statement-skipped', { reason: 'on-conflict' }, span, plan.subject, false);
            for (const row of st.rows) {
              if (row.length !== target.slots.length) {
                report('data-row-malformed', { reason: 'insert-value-count', values: row.length, columns: target.slots.length }, span, plan.subject);
                continue;
              }
              const texts: (string | null)[] = [];
              let unsupported: string | undefined;
              for (const [i, v] of row.entries()) {
                if (isLiteral(v)) texts.push(v);
                else {
                  unsupported ??= `${st.columns?.[i] ?? plan.pgOrder[i]}: ${'default' in v ? 'DEFAULT' : v.expression}`;
                  texts.push(null);
                }
              }
              if (unsupported) {
                report('data-row-malformed', { reason: 'insert-not-literal', value: unsupported }, span, plan.subject);
                continue;
              }
              const cells = convertRow(target, texts, span);
              if (cells) target.sink.write(cells);
              rowsDone++;
            }
            tick(plan.subject);
            break;
          }
          case 'unsupported':
            report('data-statement-skipped', { reason: 'not-replayed', statement: st.what }, span, undefined, false);
            break;
          case 'copy-file':
            report('data-statement-skipped', { reason: 'copy-file', statement: st.what }, span, undefined, false);
            break;
          default:
            break;
        }
      };
      // Events are handled after the line that completes them; an INSERT waits for the batches in flight (it writes to the same files).
      const events: DumpEvent[] = [];
      const handleEvents = async (): Promise<void> => {
        while (events.length > 0) {
          const ev = events.shift()!;
          if (pool && ev.kind === 'statement' && /^\s*insert\b/i.test(ev.text)) await pool.drain();
          await handle(ev);
        }
      };
      const scanner = new DumpScanner((ev) => events.push(ev));
      const onLine = (line: string): Promise<void> | undefined => {
        lineNo++;
        lineMarks[lineNo % LINE_WINDOW] = offsets.mark();
        offsets.add(line.length + 1);
        scanner.line(line);
        if (events.length === 0) return undefined;
        if (!pool) {
          // Without workers nothing here waits (a segment is converted as it is cut).
          for (const ev of events) void handle(ev);
          events.length = 0;
          return undefined;
        }
        return handleEvents();
      };
      const onRows = (bytes: Uint8Array, count: number, lineEnds: Int32Array, at: number | undefined): Promise<void> | undefined => {
        const firstLine = lineNo + 1;
        lineNo += count;
        scanner.skipRows(count);
        // The offset past these lines: their UTF-16 length, as a decoded line's .length counts it, plus a newline each (one more for a last line with none).
        const tail = bytes[bytes.length - 1] === 10 || bytes[bytes.length - 1] === 13 ? 0 : 1;
        if (!copy || segmentSize === undefined) {
          const base = offsets.mark();
          offsets.rows(bytes, at);
          offsets.add(tail);
          return copy ? convertRows(copy, bytes, firstLine, lineEnds, base) : undefined;
        }
        return cutRows(copy, segmentSize, bytes, lineEnds, at, firstLine, tail);
      };
      /** Rows of a block cut into segments: each run up to a segment's end is placed, and the segment ended there. */
      const cutRows = async (target: CopyTarget, size: number, bytes: Uint8Array, lineEnds: Int32Array, at: number | undefined, firstLine: number, tail: number): Promise<void> => {
        let start = 0;
        let row = 0;
        while (row < lineEnds.length) {
          const last = segmentEnd(filled, size, start, lineEnds, row, bytes.length);
          const endRow = last === -1 ? lineEnds.length - 1 : last;
          const end = Math.min(lineEnds[endRow]! + 1, bytes.length);
          const part = bytes.subarray(start, end);
          const base = offsets.mark();
          offsets.rows(part, at === undefined ? undefined : at + start);
          if (end === bytes.length) offsets.add(tail);
          // Where its lines end, as the reader found them, when the part is the whole run (else convertBatch finds them).
          const ends = start === 0 && end === bytes.length ? lineEnds : undefined;
          if (viaSegments) placeInSegment(target, part, firstLine + row, ends, base, at === undefined ? undefined : at + start);
          else await convertRows(target, part, firstLine + row, ends, base);
          filled += end - start;
          if (last !== -1) {
            filled = 0;
            if (viaSegments) await closeSegment();
            // Batches: the rows after the cut start a chunk, after the batches before it are written.
            else if (streamPool) streamPool.later(() => target.sink.newChunk());
            else target.sink.newChunk();
          }
          start = end;
          row = endRow + 1;
        }
      };
      const placeInSegment = (target: CopyTarget, bytes: Uint8Array, firstLine: number, lineEnds: Int32Array | undefined, base: OffsetMark, at: number | undefined): void => {
        const open = (segment ??= openSegment(target));
        open.marks.push(base);
        if (open.converter) open.converter.add(bytes, firstLine, lineEnds);
        // A worker reads the piece from the file, unless these bytes are not the file's (invalid UTF-8 replaced).
        else open.pieces.push(at !== undefined ? { firstLine, at, length: bytes.length } : { firstLine, bytes: Uint8Array.from(bytes) });
      };
      const convertRows = (target: CopyTarget, bytes: Uint8Array, firstLine: number, lineEnds: Int32Array | undefined, base: OffsetMark): Promise<void> | undefined => {
        const job: BatchJob = { target: copyTarget(target), bytes, firstLine, ...(lineEnds ? { lineEnds } : {}) };
        if (!streamPool) return applyBatchHere(target, job, input.path, offsets, base);
        return streamPool.submit(job, (r) => applyBatch(target, r, input.path, offsets, base));
      };
      const countBytes = (n: number) => {
        bytesDone += n;
      };
      // A live source gives the lines of a plain dump: the same scanner and batches read them (it counts its own bytes).
      await walkDump(live ? Readable.from(dumpBytes(live, countBytes)) : lineChunks(input.file, READ_CHUNK), scanner, onLine, onRows, live ? undefined : countBytes);
      scanner.end();
      await handleEvents();
      await pool?.drain();
    }
    if (dataOptions.copySources) {
      await dataOptions.copySources(async (table, rows, options = {}) => {
        const label = options.label ?? `${table.schema ?? 'public'}.${table.name}`;
        const start: SourceSpan = { file: label, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, length: 0 };
        const plan = plans.get(`${table.schema ?? 'public'}.${table.name}`);
        if (!plan) {
          report('data-table-mismatch', { reason: 'no-table', statement: `COPY from ${label}`, table: `${table.schema ? `${table.schema}.` : ''}${table.name}` }, start, undefined, false);
          return;
        }
        const target = sinkFor(plan, options.columns ?? plan.pgOrder, start);
        if (!target) return;
        let line = 1;
        const offsets = new DumpOffsets(undefined);
        // Cut at the rows a dump's block of these rows is cut at (segments.ts).
        const size = segmentBytes(chunkBytes, dataOptions.segmentRule);
        let filled = 0;
        const convertPart = async (bytes: Uint8Array): Promise<void> => {
          const job: BatchJob = { target: { table: target.key, slots: target.slots, sources: target.sink.columnSources, delimiter: options.delimiter ?? '\t' }, bytes, firstLine: line };
          const base = offsets.mark();
          for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) line++;
          offsets.rows(bytes, undefined);
          if (pool) await pool.submit(job, (r) => applyBatch(target, r, label, offsets, base));
          else await applyBatchHere(target, job, label, offsets, base);
        };
        const convert = async (bytes: Uint8Array): Promise<void> => {
          let start = 0;
          for (let nl = bytes.indexOf(10); nl !== -1 && filled + bytes.length - start >= size; nl = bytes.indexOf(10, nl + 1)) {
            if (filled + nl + 1 - start < size) continue;
            await convertPart(bytes.subarray(start, nl + 1));
            filled = 0;
            if (pool) pool.later(() => target.sink.newChunk());
            else target.sink.newChunk();
            start = nl + 1;
          }
          if (start < bytes.length) await convertPart(bytes.subarray(start));
          filled += bytes.length - start;
        };
        let rest: Uint8Array | undefined;
        for await (const chunk of rows) {
          let buf: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
          if (rest) buf = Buffer.concat([rest, buf]);
          const last = buf.lastIndexOf(10);
          rest = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
          if (last >= 0) await convert(buf.subarray(0, last + 1));
        }
        if (rest && rest.length > 0) await convert(rest);
        await pool?.drain();
      });
    }
  } catch (e) {
    failed = true;
    segment?.converter?.discard();
    throw e;
  } finally {
    await pool?.close();
    // A run that fails midway (a live source lost, a read error) leaves no partial CSVs behind (the layout files are written only at the end).
    if (failed) for (const sink of sinks.values()) sink.discard();
  }
  onProgress?.({ bytes: bytesDone, totalBytes, rows: rowsDone });
  // Writes that name no object (lowrite, lo_close) belong to one lo_open'ed before them: counted only when nothing else names one.
  const largeObjectCount = largeObjects.size > 0 ? largeObjects.size : unnamedWrites > 0 ? 1 : 0;
  if (largeObjectCount > 0) report('data-statement-skipped', { reason: 'large-objects', total: largeObjectCount }, undefined, undefined, false);
  // In the schema's table order (parents first), not the order the source gave the tables: the same folder for the same data.
  const order = new Map(translation.tidb.tables.map((t, i) => [`${t.name.database}.${t.name.name}`, i]));
  const summaries = (await Promise.all([...sinks.values()].map((s) => s.close()))).sort((x, y) => (order.get(`${x.database}.${x.table}`) ?? 0) - (order.get(`${y.database}.${y.table}`) ?? 0));
  const post = sequences.statements(translation.tidb.tables);
  const written = await writeLayout(outDir, translation, summaries, post, dataOptions.location);
  const byTable = new Map(summaries.map((s) => [`${s.database}.${s.table}`, s]));
  const tables = translation.tidb.tables.map((t) => byTable.get(`${t.name.database}.${t.name.name}`) ?? { database: t.name.database, table: t.name.name, source: t.source, columns: [], files: [], rows: 0, bytes: 0, checksum: '0000000000000000' });
  for (const [k, n] of kept) {
    const id = k.slice(0, k.indexOf('|')) as DataDiagnosticId;
    if (n <= maxRowDiagnostics) continue;
    const more = { hidden: n - maxRowDiagnostics, total: n };
    const at = { subject: subjects.get(k) ?? { kind: 'statement' as const } };
    if (id === 'data-unrepresentable') bag.add(id, more, at);
    else bag.add(id, { reason: 'more', ...more }, at);
  }
  const items = live?.relocate ? bag.items.map((d) => relocated(d, live.relocate!.bind(live))) : bag.items;
  return { translation, diagnostics: sortDiagnostics(items), tables, totals, tableTotals, written, exact };
}

/** A live source's dump lines as the bytes walkDump reads. */
async function* dumpBytes(live: RowStream, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const batch of live.lines(onBytes)) if (batch.length > 0) yield Buffer.from(`${batch.join('\n')}\n`, 'utf8');
}

/** A diagnostic with its span as the row source names it (or none, where the place is no row). */
function relocated(d: Diagnostic, relocate: NonNullable<RowStream['relocate']>): Diagnostic {
  if (!d.span) return d;
  const span = relocate(d.span);
  if (span) return { ...d, span };
  const { span: _, ...rest } = d;
  return rest;
}

function isLiteral(v: InsertValue): v is string | null {
  return v === null || typeof v === 'string';
}

