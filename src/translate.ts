import { groupDiagnostics, type DiagnosticGroup } from './diagnostics/group.js';
import { fileSubject } from './diagnostics/subject.js';
import type { Severity } from './diagnostics/catalogue.js';
import { countBySeverity, diagnostic, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { SourceFile } from './diagnostics/span.js';
import { LineIndex } from './diagnostics/span.js';
import { readPostgresWithStats, type FileStats } from './frontends/postgres/index.js';
import { EMPTY_SCHEMA, mergeSchemas } from './ir/merge.js';
import type { Schema } from './ir/schema.js';
import type { TidbSchema } from './ir/tidb.js';
import { emitTidbStatements, renderTidbSql, type EmittedStatement } from './backends/tidb/index.js';
import { printType } from './backends/tidb/print.js';
import { lowerToTidb, resolveOptions, type Rename, type TranslateOptions } from './transform/index.js';
import { applyDiagnosticLevels } from './transform/apply-overrides.js';
import { targetHas } from './transform/features.js';
import { assignFolderDatabases, folderKeys, groupByFolder, keepFirstTables, serviceDatabases } from './transform/services.js';
import { VERSION } from './version.js';

export interface TranslateResult {
  /** The whole tidb.sql text. */
  readonly sql: string;
  readonly statements: readonly EmittedStatement[];
  /** Sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly report: Report;
  readonly schema: Schema;
  readonly tidb: TidbSchema;
  readonly options: TranslateOptions;
  readonly files: readonly SourceFile[];
}

export interface Report {
  readonly tool: 'pg2tidb';
  readonly version: string;
  readonly options: TranslateOptions;
  readonly inputs: readonly { readonly path: string; readonly bytes: number; readonly statements: number }[];
  readonly summary: {
    readonly databases: number;
    readonly tables: number;
    readonly columns: number;
    readonly indexes: number;
    readonly foreignKeys: number;
    readonly checks: number;
    readonly sequences: number;
    readonly diagnostics: Record<Severity, number>;
  };
  /** Which rule decided each column's type (`pg2tidb explain` reads this). */
  readonly columns: readonly { readonly table: string; readonly column: string; readonly pgType: string; readonly tidbType: string; readonly rule: string }[];
  /** Diagnostics that say the same about several objects, with the indexes of their occurrences in `diagnostics`. */
  /** Every object whose TiDB name differs from its source name (old → new), each also an `identifier-renamed` diagnostic. */
  readonly renames: readonly Rename[];
  readonly groups: readonly DiagnosticGroup[];
  readonly diagnostics: readonly Diagnostic[];
}

export type TranslateInput = string | SourceFile | readonly SourceFile[];

/** Inputs already read outside `translate` (it stays pure): used instead of reading those files again. */
export interface TranslatePreRead {
  /**
   * The .py inputs as SQLAlchemy itself holds them (runtime mode, `readSqlalchemyRuntime`):
   * replaces the static reading of the .py files.
   */
  readonly sqlalchemy?: Schema;
}

/** How to run, as opposed to what to produce: never changes the output, so not in the report. */
export interface TranslateRun {
  /** Worker threads parsing PostgreSQL input; default by input size and cores, 0 for none. */
  readonly parseWorkers?: number;
  /** Called as input is read: after each chunk of about 256 KB of SQL and after each file. */
  readonly onProgress?: (progress: TranslateProgress) => void;
}

/** How far a translation has got. */
export interface TranslateProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Statements in the files read so far (SQL files; Python model files count 0). */
  readonly statements: number;
  /** The file just read. */
  readonly file?: string;
}

/** Counts files done and statements read, and tells `onProgress`. */
class ProgressTracker {
  private filesDone = 0;
  private statementsDone = 0;

  constructor(
    private readonly filesTotal: number,
    private readonly onProgress: (progress: TranslateProgress) => void,
  ) {}

  /** `statements` so far in `file`; `fileDone` when it is finished. */
  update(file: SourceFile, statements: number, fileDone: boolean): void {
    if (fileDone) {
      this.filesDone++;
      this.statementsDone += statements;
    }
    this.onProgress({ filesDone: this.filesDone, filesTotal: this.filesTotal, statements: this.statementsDone + (fileDone ? 0 : statements), file: file.path });
  }
}

function toFiles(input: TranslateInput): SourceFile[] {
  if (typeof input === 'string') return [{ path: '<input>', text: input }];
  if (Array.isArray(input)) return [...(input as readonly SourceFile[])];
  return [input as SourceFile];
}

/** Binary input: a NUL byte, or many replacement/control characters near the start. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\0')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.05;
}

/** How a SQL script can begin; text that fails to parse and starts otherwise is not SQL at all. */
const SQL_START = /^(create|alter|drop|comment|insert|update|delete|select|set|begin|start|commit|grant|revoke|copy|with|do|truncate|\\)/i;

function isPython(path: string): boolean {
  return /\.py$/i.test(path);
}

/** Problems with a whole input file that stop it from being read at all. */
function checkInput(file: SourceFile): Diagnostic | undefined {
  const span = new LineIndex(file).span(0, 0);
  if (looksBinary(file.text)) return diagnostic('input-error', { reason: 'binary', path: file.path }, { span, subject: fileSubject(file.path) });
  // an empty Python module (every package's `__init__.py`) is valid source
  if (file.text.trim() === '' && !isPython(file.path)) return diagnostic('input-error', { reason: 'empty', path: file.path }, { span, subject: fileSubject(file.path) });
  return undefined;
}

/**
 * Translates PostgreSQL DDL (and SQLAlchemy model files, by extension .py) to TiDB DDL.
 * Pure: reads nothing but its arguments, writes nothing.
 */
export async function translate(input: TranslateInput, options: Partial<TranslateOptions> = {}, run: TranslateRun = {}, preRead: TranslatePreRead = {}): Promise<TranslateResult> {
  const resolved = resolveOptions(options);
  const files = toFiles(input);
  // one database per service folder by default; folders the user mapped go where the user said
  const services = serviceDatabases(files, resolved.databaseMap);
  const folderMap = { ...services, ...folderKeys(files, resolved.databaseMap) };
  const progress = run.onProgress ? new ProgressTracker(files.length, run.onProgress) : undefined;
  const inputErrors: Diagnostic[] = [];
  const sqlFiles: SourceFile[] = [];
  const pyFiles: SourceFile[] = [];
  for (const f of files) {
    const problem = checkInput(f);
    if (problem) inputErrors.push(problem);
    else if (isPython(f.path)) pyFiles.push(f);
    else sqlFiles.push(f);
    if (problem) progress?.update(f, 0, true);
  }
  const parts: Schema[] = [];
  let stats: FileStats[] = [];
  // each service folder's SQL is read on its own: its `users` is not the other service's `users`
  for (const group of groupByFolder(sqlFiles, folderMap)) {
    const read = await readPostgresWithStats(group, {
      parseWorkers: run.parseWorkers,
      onStatements: progress && ((p) => progress.update(p.file, p.statements, p.fileDone)),
    });
    parts.push(assignFolderDatabases(read.schema, folderMap));
    stats.push(...read.stats);
    for (const s of read.stats) {
      const file = sqlFiles.find((f) => f.path === s.path)!;
      if (s.statements > 0 && s.statements === s.syntaxErrors && !SQL_START.test(file.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, ''))) {
        inputErrors.push(diagnostic('input-error', { reason: 'not-sql', path: s.path, statements: s.statements }, { span: new LineIndex(file).span(0, 0), subject: fileSubject(s.path) }));
      }
    }
  }
  if (preRead.sqlalchemy) {
    parts.push(keepFirstTables(assignFolderDatabases(preRead.sqlalchemy, folderMap)));
    for (const f of pyFiles) progress?.update(f, 0, true);
    for (const f of pyFiles) stats.push({ path: f.path, statements: 0, syntaxErrors: 0 });
  } else if (pyFiles.length > 0) {
    const { readSqlalchemy } = await import('./frontends/sqlalchemy/index.js');
    parts.push(await readSqlalchemy(pyFiles, { databaseMap: { ...services, ...resolved.databaseMap } }));
    for (const f of pyFiles) progress?.update(f, 0, true);
    for (const f of pyFiles) stats.push({ path: f.path, statements: 0, syntaxErrors: 0 });
  }
  const schema = parts.length > 0 ? mergeSchemas(parts) : EMPTY_SCHEMA;
  const { tidb, diagnostics, renames } = lowerToTidb(schema, resolved);
  const all = sortDiagnostics(applyDiagnosticLevels([...inputErrors, ...diagnostics], tidb, resolved));
  const statements = emitTidbStatements(tidb);
  const header = [
    `Generated by pg2tidb from ${files.map((f) => f.path).join(', ')}`,
    `Options: uuid=${resolved.uuid} timestamptz=${resolved.timestamptz} collation=${resolved.collation}${resolved.autoRandom ? ' auto-random' : ''}`,
    ...(tidb.tables.some((t) => t.checks.length > 0) && targetHas(resolved, 'checkConstraint') ? ['CHECK constraints are enforced only with: SET GLOBAL tidb_enable_check_constraint = ON;'] : []),
  ];
  const sql = renderTidbSql(statements, header);
  const report = buildReport(files, stats, resolved, tidb, all, renames);
  return { sql, statements, diagnostics: all, report, schema, tidb, options: resolved, files };
}

function buildReport(files: readonly SourceFile[], stats: readonly FileStats[], options: TranslateOptions, tidb: TidbSchema, diagnostics: readonly Diagnostic[], renames: readonly Rename[]): Report {
  const columns = tidb.tables.flatMap((t) =>
    t.columns.map((c) => ({ table: `${t.name.database}.${t.name.name}`, column: c.name, pgType: c.origin.pgType, tidbType: printType(c.type), rule: c.origin.rule })),
  );
  return {
    tool: 'pg2tidb',
    version: VERSION,
    options,
    inputs: files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.text, 'utf8'), statements: stats.find((s) => s.path === f.path)?.statements ?? 0 })),
    summary: {
      databases: tidb.databases.length,
      tables: tidb.tables.length,
      columns: columns.length,
      indexes: tidb.tables.reduce((n, t) => n + t.indexes.length, 0),
      foreignKeys: tidb.tables.reduce((n, t) => n + t.foreignKeys.length, 0) + tidb.deferredForeignKeys.length,
      checks: tidb.tables.reduce((n, t) => n + t.checks.length, 0),
      sequences: tidb.sequences.length,
      diagnostics: countBySeverity(diagnostics),
    },
    columns,
    renames,
    groups: groupDiagnostics(diagnostics),
    diagnostics,
  };
}

/** 0 ok; 1 errors (or warnings under strict); 2 input that could not be read. */
export function exitCodeFor(result: Pick<TranslateResult, 'diagnostics'>, strict: boolean): 0 | 1 | 2 {
  if (result.diagnostics.some((d) => d.id === 'input-error')) return 2;
  if (result.diagnostics.some((d) => d.severity === 'error')) return 1;
  if (strict && result.diagnostics.some((d) => d.severity === 'warning')) return 1;
  return 0;
}
