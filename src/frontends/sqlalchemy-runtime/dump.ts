/**
 * Runs the shipped dumper (python/pg2tidb_sa_dump.py) with the user's interpreter and returns
 * its JSON. This executes the user's model code, so it only runs when asked (`--python`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dumper, shipped in the package (`files`: "python"); the same path from src/ and dist/. */
export const DUMPER_PATH = fileURLToPath(new URL('../../../python/pg2tidb_sa_dump.py', import.meta.url));

export interface DumpedType {
  readonly class: string;
  readonly module: string;
  readonly compiled?: string;
  readonly compileError?: string;
  /** A TypeDecorator's type on PostgreSQL (load_dialect_impl). */
  readonly impl?: DumpedType;
  readonly implError?: string;
  /** ARRAY's item type. */
  readonly item?: DumpedType;
  readonly args?: Readonly<Record<string, string | number | boolean | readonly string[] | null>>;
}

export interface DumpedDefault {
  readonly kind: 'sequence' | 'callable' | 'clause' | 'scalar';
  readonly text?: string;
  readonly name?: string;
  readonly function?: string | null;
}

export interface DumpedSequence {
  readonly name: string;
  readonly schema?: string | null;
  readonly optional?: boolean;
  readonly start?: number;
  readonly increment?: number;
  readonly minvalue?: number;
  readonly maxvalue?: number;
  readonly cache?: number;
  readonly cycle?: boolean;
  readonly metadata?: number;
}

export interface DumpedColumn {
  readonly name: string;
  readonly key: string;
  readonly type: DumpedType;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly serial?: 'SERIAL' | 'BIGSERIAL' | 'SMALLSERIAL';
  readonly serverDefault?: string | null;
  readonly serverDefaultError?: string;
  readonly serverDefaultFetched?: boolean;
  readonly sequence?: DumpedSequence;
  readonly default?: DumpedDefault | null;
  readonly onupdate?: DumpedDefault | null;
  readonly computed?: { readonly sql: string | { error: string }; readonly persisted?: boolean | null };
  readonly identity?: { readonly always: boolean; readonly start?: number; readonly increment?: number; readonly minvalue?: number; readonly maxvalue?: number; readonly cache?: number; readonly cycle?: boolean };
  readonly comment?: string;
}

/** SQL compiled by the dumper, or why it could not be. */
export type DumpedSql = string | { readonly error: string } | null;

export interface DumpedIndex {
  readonly name: string | null;
  readonly unique: boolean;
  readonly keys: readonly { readonly column?: string; readonly sql?: DumpedSql; readonly desc?: boolean; readonly opclass?: string }[];
  readonly using?: string;
  readonly where?: DumpedSql;
  readonly include?: readonly string[];
  readonly nullsNotDistinct?: boolean;
  readonly otherDialects?: Readonly<Record<string, string>>;
}

export interface DumpedTable {
  readonly name: string;
  readonly schema: string | null;
  readonly columns: readonly DumpedColumn[];
  readonly file?: string;
  readonly line?: number;
  readonly class?: string | null;
  readonly comment?: string;
  readonly primaryKey?: { readonly name: string | null; readonly columns: readonly string[] };
  readonly uniques: readonly { readonly name: string | null; readonly columns: readonly string[]; readonly nullsNotDistinct?: boolean; readonly deferrable?: boolean }[];
  readonly checks: readonly { readonly name: string | null; readonly sql: DumpedSql }[];
  readonly foreignKeys: readonly {
    readonly name: string | null;
    readonly columns: readonly string[];
    readonly refSchema: string | null;
    readonly refTable: string | null;
    readonly refColumns: readonly string[];
    readonly ondelete: string | null;
    readonly onupdate: string | null;
    readonly deferrable: boolean | null;
    readonly initially: string | null;
    readonly match: string | null;
    readonly useAlter: boolean;
  }[];
  readonly indexes: readonly DumpedIndex[];
  /** Constraints other than keys, checks and foreign keys (ExcludeConstraint), as DDL text. */
  readonly otherConstraints?: readonly { readonly class: string; readonly name: string | null; readonly sql: string | null }[];
  readonly constraintErrors?: readonly string[];
  /** postgresql_partition_by, postgresql_inherits, ... and Table prefixes (TEMPORARY, UNLOGGED). */
  readonly pgOptions?: Readonly<Record<string, string>>;
  /** Which collected MetaData the table belongs to. */
  readonly metadata: number;
}

export interface DumpFailure {
  readonly file: string;
  /** Set when the module imported but this table could not be described. */
  readonly table?: string;
  readonly line: number;
  readonly error: string;
  readonly traceback: readonly string[];
}

export interface DumpResult {
  readonly format: number;
  readonly sqlalchemy?: string;
  readonly fatal?: string;
  readonly failures: readonly DumpFailure[];
  readonly tables: readonly DumpedTable[];
  readonly sequences: readonly DumpedSequence[];
  readonly metadata: number;
}

export class DumperError extends Error {}

/**
 * Imports `files` (absolute paths) with `python` and returns what the dumper found.
 * `inputs` are the folders/files the user named: module names are found inside them.
 */
export async function runDumper(python: string, files: readonly string[], inputs: readonly string[], opts: { cwd?: string; timeoutMs?: number; env?: Readonly<Record<string, string>> } = {}): Promise<DumpResult> {
  const dir = await mkdtemp(join(tmpdir(), 'pg2tidb-sa-'));
  try {
    const request = join(dir, 'request.json');
    await writeFile(request, JSON.stringify({ files, inputs }));
    const stdout = await new Promise<string>((done, fail) => {
      execFile(
        python,
        [DUMPER_PATH, request],
        { cwd: opts.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: opts.timeoutMs ?? 300_000, env: { ...process.env, ...opts.env, PYTHONDONTWRITEBYTECODE: '1' } },
        (err, out, errText) => {
          if (err && !out) {
            const tail = String(errText ?? '').trim().split('\n').slice(-8).join('\n');
            fail(new DumperError(`${python} could not run the SQLAlchemy dumper: ${(err as Error).message.split('\n')[0]}${tail ? `\n${tail}` : ''}`));
          } else done(out);
        },
      );
    });
    try {
      return JSON.parse(stdout) as DumpResult;
    } catch {
      throw new DumperError(`the SQLAlchemy dumper run by ${python} printed no JSON: ${stdout.slice(0, 200)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
