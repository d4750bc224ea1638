import type { SourceFile } from '../../diagnostics/span.js';
import type { Schema } from '../../ir/schema.js';
import { ensureParser, parseFile } from './parse.js';
import { SchemaState } from './state.js';
import { applySessionSetting, lowerStatement } from './statements.js';

export { splitStatements } from './split.js';
export { ensureParser } from './parse.js';

/** Reads PostgreSQL DDL files, in order, into one schema. */
export async function readPostgres(files: readonly SourceFile[]): Promise<Schema> {
  await ensureParser();
  return readPostgresSync(files);
}

export interface FileStats {
  readonly path: string;
  /** Statements recognised (parsed, or failed to parse), psql meta-commands and COPY data blocks. */
  readonly statements: number;
  readonly syntaxErrors: number;
}

/** Like readPostgres, once `ensureParser()` has resolved. */
export function readPostgresSync(files: readonly SourceFile[]): Schema {
  return readPostgresWithStats(files).schema;
}

export function readPostgresWithStats(files: readonly SourceFile[]): { schema: Schema; stats: FileStats[] } {
  const state = new SchemaState();
  const stats: FileStats[] = [];
  for (const file of files) {
    // Each file starts with PostgreSQL's default search path, as a new psql session would.
    state.searchPath = ['public'];
    const parsed = parseFile(file);
    for (const meta of parsed.metaLines) {
      state.other({
        kind: 'psql-meta-command',
        statement: meta.text.split(/\s+/)[0] ?? '\\',
        name: meta.text.length > 60 ? `${meta.text.slice(0, 57)}...` : meta.text,
        span: parsed.lines.span(meta.start, meta.end - meta.start),
      });
    }
    for (const d of parsed.data) state.other({ kind: 'data', statement: d.label, ...(d.target ? { name: d.target } : {}), span: d.span });
    for (const error of parsed.errors) state.note(error.missingSemicolon ? 'unsupported-syntax' : 'syntax-error', error.message, error.span);
    for (const stmt of parsed.statements) {
      applySessionSetting(stmt, state);
      lowerStatement(stmt, state);
    }
    const syntaxErrors = parsed.errors.filter((e) => !e.missingSemicolon).length;
    stats.push({ path: file.path, statements: parsed.statements.length + parsed.data.length + syntaxErrors + parsed.metaLines.length, syntaxErrors });
  }
  return { schema: state.freeze(), stats };
}
