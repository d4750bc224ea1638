/**
 * SQLAlchemy runtime mode (`--python <interpreter>`): the user's own Python imports the models
 * and SQLAlchemy itself says what its MetaData holds (./dump.ts runs python/pg2tidb_sa_dump.py);
 * ./lower.ts turns that into the schema IR the static reader (../sqlalchemy) also produces.
 * It executes the user's code, so it runs only when asked. Alembic revision scripts are not
 * models: they are still replayed statically.
 */
import { fileSubject, tableSubject } from '../../diagnostics/subject.js';
import { resolve } from 'node:path';
import type { SourceFile, SourceSpan } from '../../diagnostics/span.js';
import { LineIndex } from '../../diagnostics/span.js';
import { EMPTY_SCHEMA, mergeSchemas } from '../../ir/merge.js';
import type { FrontendNote, Schema, Table } from '../../ir/schema.js';
import { readSqlalchemy, resolveSql } from '../sqlalchemy/index.js';
import type { TranslatePreRead } from '../../translate.js';
import { runDumper, type DumpResult } from './dump.js';
import { RuntimeLowerer } from './lower.js';

export { DumperError, DUMPER_PATH, runDumper, type DumpResult } from './dump.js';

export interface RuntimeOptions {
  /** The Python interpreter that has the project's packages (and SQLAlchemy) installed. */
  readonly python: string;
  /** Where the inputs' relative paths start. */
  readonly cwd: string;
  /** The folders/files the user named (relative to cwd; default: cwd): module names are found inside them. */
  readonly inputs?: readonly string[];
  readonly timeoutMs?: number;
  /** Extra environment for the interpreter (PYTHONPATH, the project's settings). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A revision script or env.py: replayed by the static reader, never imported. */
export function isAlembicScript(f: SourceFile): boolean {
  if (/(^|[\\/])env\.py$/.test(f.path) && /\bcontext\b/.test(f.text)) return true;
  return /^\s*revision\s*(:\s*[\w\[\], |]+)?\s*=/m.test(f.text) && /^\s*def\s+upgrade\s*\(/m.test(f.text);
}

/** Reads `.py` inputs by importing them; revision scripts go to the static reader. */
export async function readSqlalchemyRuntime(files: readonly SourceFile[], options: RuntimeOptions): Promise<Schema> {
  const scripts = files.filter(isAlembicScript);
  const models = files.filter((f) => !isAlembicScript(f));
  const parts: Schema[] = [];
  if (models.length > 0) {
    const abs = new Map(models.map((f) => [resolve(options.cwd, f.path), f]));
    const dump = await runDumper(options.python, [...abs.keys()], (options.inputs ?? ['.']).map((p) => resolve(options.cwd, p)), {
      cwd: options.cwd,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    parts.push(await lowerDump(dump, (p) => abs.get(p), models[0]!, options.python));
  }
  if (scripts.length > 0) parts.push(await readSqlalchemy(scripts));
  return parts.length === 0 ? EMPTY_SCHEMA : mergeSchemas(parts);
}

/**
 * What `translate` needs in runtime mode: the .py inputs among `files`, read by importing them with
 * `python`; nothing when there are none.
 */
export async function readPythonAtRuntime(files: readonly SourceFile[], python: string, cwd: string, inputs: readonly string[]): Promise<TranslatePreRead> {
  const py = files.filter((f) => /\.py$/i.test(f.path));
  if (py.length === 0) return {};
  return { sqlalchemy: await readSqlalchemyRuntime(py, { python, cwd, inputs: inputs.filter((p) => p !== '-') }) };
}

/** The dump → schema IR; failures become notes at the module (file:line from the traceback). */
export async function lowerDump(dump: DumpResult, file: (absPath: string) => SourceFile | undefined, first: SourceFile, python: string): Promise<Schema> {
  const notes: FrontendNote[] = [];
  const at = (abs: string | undefined, line: number): SourceSpan => {
    const f = (abs && file(abs)) || first;
    const ix = new LineIndex(f);
    let offset = 0;
    for (let n = 1; n < line; n++) {
      const next = f.text.indexOf('\n', offset);
      if (next === -1) break;
      offset = next + 1;
    }
    const end = f.text.indexOf('\n', offset);
    return ix.span(offset, (end === -1 ? f.text.length : end) - offset);
  };
  if (dump.fatal) notes.push({ id: 'input-error', data: { reason: 'python-fatal', python, error: dump.fatal }, span: at(undefined, 1) });
  for (const fail of dump.failures) {
    const f = file(fail.file);
    const traceback = fail.traceback.length ? { traceback: fail.traceback } : {};
    const data = fail.table
      ? { reason: 'python-table' as const, table: fail.table, python, error: fail.error, ...traceback }
      : { reason: 'python-import' as const, path: f?.path ?? fail.file, python, error: fail.error, ...traceback };
    notes.push({ id: 'input-error', data, span: at(fail.file, fail.line), subject: fail.table ? tableSubject(fail.table) : fileSubject(f?.path ?? fail.file) });
  }
  const lowered = new RuntimeLowerer({ file }).lower(dump);
  const tables: Table[] = await resolveSql(lowered.tables);
  return {
    ...EMPTY_SCHEMA,
    tables,
    enums: lowered.enums,
    sequences: lowered.sequences,
    others: lowered.others,
    notes: [...notes, ...lowered.notes],
  };
}
