import type { SqlMigrationFormat } from './backends/sql-migrations/index.js';
import type { TranslateResult } from './translate.js';
import { jsonChunks } from './util/json-chunks.js';

export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** The same text in pieces, for writing large files without building `content`. */
  readonly chunks?: () => Iterable<string>;
}

export type OutputKind = 'tidb' | 'alembic' | 'sql-migrations' | 'ts' | 'sqlalchemy' | 'report';

/** Choices that shape the emitted files but not the TiDB schema itself. */
export interface EmitOptions {
  readonly migrationsFormat: SqlMigrationFormat;
  readonly revision?: string;
  readonly downRevision?: string | null;
  readonly tsDriver: 'mysql2' | 'tidb-serverless';
  readonly tsStyle: 'plain' | 'kysely';
  readonly bigNumberStrings: boolean;
  readonly dateStrings: boolean;
  readonly tinyint1AsBoolean: boolean;
  readonly jsonType?: string;
  readonly keepPostgresVariant?: boolean;
}

export const DEFAULT_EMIT_OPTIONS: EmitOptions = {
  migrationsFormat: 'plain',
  tsDriver: 'mysql2',
  tsStyle: 'plain',
  bigNumberStrings: true,
  dateStrings: false,
  tinyint1AsBoolean: false,
};

/** report.json: built on demand, and streamed by writeOutputs (a 100 MB schema's report is ~350 MB of text). */
function reportFile(result: TranslateResult): OutputFile {
  return {
    path: 'report.json',
    get content() {
      return `${JSON.stringify(result.report, null, 2)}\n`;
    },
    chunks: function* () {
      yield* jsonChunks(result.report as unknown as Record<string, unknown>);
      yield '\n';
    },
  };
}

/** The files a run produces, in memory (pure): tidb.sql and report.json always, plus the chosen emitters. */
export async function renderOutputs(result: TranslateResult, emit: readonly OutputKind[], options: Partial<EmitOptions> = {}): Promise<OutputFile[]> {
  const o: EmitOptions = { ...DEFAULT_EMIT_OPTIONS, ...options };
  const sourceName = result.files.map((f) => f.path).join(', ');
  const files: OutputFile[] = [
    { path: 'tidb.sql', content: result.sql },
    reportFile(result),
  ];
  const refresh = result.tidb.materializedViews?.length ? (await import('./backends/tidb/index.js')).renderRefreshScript(result.tidb) : undefined;
  if (refresh !== undefined) files.push({ path: 'refresh-materialized-views.sql', content: refresh });
  if (emit.includes('alembic')) {
    const { emitAlembic } = await import('./backends/alembic/index.js');
    files.push({
      path: 'migration.py',
      content: emitAlembic(result.tidb, {
        sourceName,
        message: `schema translated from PostgreSQL by pg2tidb`,
        ...(o.revision !== undefined ? { revision: o.revision } : {}),
        ...(o.downRevision !== undefined ? { downRevision: o.downRevision } : {}),
      }),
    });
  }
  if (emit.includes('sql-migrations')) {
    const { emitSqlMigrations } = await import('./backends/sql-migrations/index.js');
    for (const f of emitSqlMigrations(result.tidb, { format: o.migrationsFormat })) files.push({ path: `migrations/${f.path}`, content: f.content });
  }
  if (emit.includes('ts')) {
    // Loaded only when TypeScript output is asked for.
    const { emitTypeScript } = await import('./backends/typescript/index.js');
    files.push({
      path: 'models.ts',
      content: emitTypeScript(result.tidb, {
        driver: o.tsDriver,
        style: o.tsStyle,
        bigNumberStrings: o.bigNumberStrings,
        dateStrings: o.dateStrings,
        tinyint1AsBoolean: o.tinyint1AsBoolean,
        ...(o.jsonType ? { jsonType: o.jsonType } : {}),
        sourceName,
        optionsSummary: `driver=${o.tsDriver} style=${o.tsStyle} bigNumberStrings=${o.bigNumberStrings} dateStrings=${o.dateStrings} tinyint1AsBoolean=${o.tinyint1AsBoolean}`,
      }),
    });
  }
  if (emit.includes('sqlalchemy')) {
    const { rewriteModels, rewriteOutputPath } = await import('./backends/sqlalchemy-rewrite/index.js');
    for (const f of await rewriteModels(result.files, result, { keepPostgresVariant: o.keepPostgresVariant ?? false })) files.push({ path: rewriteOutputPath(f.path), content: f.content });
  }
  if (emit.includes('report')) {
    const { emitReport } = await import('./backends/report/index.js');
    const report = emitReport(result.schema, result.diagnostics, result.files);
    files.push({ path: 'report.md', content: report.markdown }, { path: 'report.html', content: report.html });
  }
  return files;
}
