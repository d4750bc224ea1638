/**
 * `--emit sqlalchemy`: writes SQLAlchemy model files back with what the transform chose for TiDB,
 * as text edits at tree-sitter node ranges (comments, formatting, relationships and everything
 * else stay byte for byte). It prints the transform's decisions (`result.tidb`, located in the
 * models through spans and `result.schema`); it decides no mapping of its own.
 *
 * - Types (./columns.ts): the rewrite predicts what SQLAlchemy's MySQL dialect prints for the
 *   model's type (from its PostgreSQL rendering, `origin.pgType`) and replaces it only when that
 *   differs from the TiDB type: `JSONB` -> `mysql.JSON`, `UUID` -> `mysql.CHAR(36, ...)`,
 *   `String` without length -> `String(n)`, `DateTime(timezone=True)` -> `mysql.DATETIME(fsp=6)`...
 * - server_default (also inside an `Annotated` alias) and `Computed(...)`: the TiDB SQL.
 * - Indexes, unique constraints and foreign keys (./constraints.ts): a construct whose MySQL DDL
 *   differs from tidb.sql is replaced, dropped, or added (after its class / `Table(...)`); FK
 *   DEFERRABLE / INITIALLY are removed.
 *
 * With `keepPostgresVariant` the same models still create the original schema on PostgreSQL:
 * `mysql.X().with_variant(<original>, "postgresql")` types, per-dialect SQL for defaults and
 * computed columns, `.ddl_if(dialect=...)` on indexes, and the small compiler hooks of ./helpers.ts.
 */
import type { Tree } from 'web-tree-sitter';
import type { SourceFile } from '../../diagnostics/span.js';
import type { Table } from '../../ir/schema.js';
import type { TidbForeignKey, TidbTable } from '../../ir/tidb.js';
import type { TranslateResult } from '../../translate.js';
import { planColumn } from './columns.js';
import { planForeignKeys, planIndexes } from './constraints.js';
import { finishModule, openModule, type Module, type RewriteOptions } from './module.js';
import { spanKey } from './python.js';

export type { RewriteOptions } from './module.js';

export interface RewrittenFile {
  readonly path: string;
  readonly content: string;
}

/** Where a rewritten model file goes under the output folder: `sqlalchemy/<relative path>`, never outside it. */
export function rewriteOutputPath(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return `sqlalchemy/${parts.join('/')}`;
}

function foreignKeysOf(table: TidbTable, result: TranslateResult): TidbForeignKey[] {
  const deferred = result.tidb.deferredForeignKeys.filter((d) => d.table.database === table.name.database && d.table.name === table.name.name);
  return [...table.foreignKeys, ...deferred.map((d) => d.foreignKey)];
}

function planTable(table: TidbTable, src: Table | undefined, result: TranslateResult, modules: ReadonlyMap<string, Module>, options: RewriteOptions): void {
  for (const col of table.columns) {
    const m = col.origin.span ? modules.get(col.origin.span.file) : undefined;
    if (!m || col.origin.rule === 'index-generated-column') continue;
    planColumn(col, src?.columns.find((c) => c.name === col.origin.column), m, modules, options);
  }
  planIndexes(table, src, modules, options);
  planForeignKeys(foreignKeysOf(table, result), modules, options);
}

/**
 * Writes the SQLAlchemy model files of `files` back with the TiDB schema of `result`.
 * Returns every Python input file (unchanged ones as they were, so a package still imports), with
 * its original path; non-Python inputs are skipped.
 */
export async function rewriteModels(files: readonly SourceFile[], result: TranslateResult, options: RewriteOptions): Promise<RewrittenFile[]> {
  const python = files.filter((f) => /\.py$/i.test(f.path));
  const modules = new Map<string, Module>();
  const trees: Tree[] = [];
  try {
    for (const f of python) {
      const opened = await openModule(f);
      if (!opened) continue;
      modules.set(f.path, opened.module);
      trees.push(opened.tree);
    }
    const sources = new Map(result.schema.tables.filter((t) => t.span).map((t) => [spanKey(t.span), t]));
    for (const table of result.tidb.tables) planTable(table, sources.get(spanKey(table.span)), result, modules, options);
    const out: RewrittenFile[] = [];
    for (const f of python) {
      const m = modules.get(f.path);
      out.push({ path: f.path, content: m ? await finishModule(m) : f.text });
    }
    return out;
  } finally {
    for (const t of trees) t.delete();
  }
}
