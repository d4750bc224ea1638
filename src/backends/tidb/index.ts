import type { TidbSchema } from '../../ir/tidb.js';
import { printAddForeignKey, printCreateDatabase, printCreateIndex, printCreateSequence, printCreateTable, printCreateView, printRefresh } from './print.js';

export interface EmittedStatement {
  readonly sql: string;
  readonly kind: 'create-database' | 'create-sequence' | 'create-table' | 'create-index' | 'add-foreign-key' | 'create-view';
  readonly subject: string;
}

/** The statements of tidb.sql in order: databases, sequences, tables, deferred foreign keys, views. */
export function emitTidbStatements(schema: TidbSchema): EmittedStatement[] {
  const out: EmittedStatement[] = [];
  for (const db of schema.databases) out.push({ kind: 'create-database', subject: db.name, sql: printCreateDatabase(db) });
  for (const s of schema.sequences) out.push({ kind: 'create-sequence', subject: `${s.name.database}.${s.name.name}`, sql: printCreateSequence(s) });
  for (const t of schema.tables) {
    out.push({ kind: 'create-table', subject: `${t.name.database}.${t.name.name}`, sql: printCreateTable(t) });
    for (const i of t.indexes) if (i.where !== undefined) out.push({ kind: 'create-index', subject: `${t.name.database}.${t.name.name}`, sql: printCreateIndex(t.name, i) });
  }
  for (const d of schema.deferredForeignKeys) out.push({ kind: 'add-foreign-key', subject: `${d.table.database}.${d.table.name}`, sql: printAddForeignKey(d.table, d.foreignKey) });
  for (const v of schema.views ?? []) out.push({ kind: 'create-view', subject: `${v.name.database}.${v.name.name}`, sql: printCreateView(v) });
  return out;
}

/** refresh-materialized-views.sql: each materialized view's table emptied and refilled from its query, one transaction each. */
export function renderRefreshScript(schema: TidbSchema): string | undefined {
  const mvs = schema.materializedViews ?? [];
  if (mvs.length === 0) return undefined;
  const header = '-- Refreshes the tables that stand for PostgreSQL materialized views (REFRESH MATERIALIZED VIEW).\n-- Run it whenever PostgreSQL would have refreshed them.\n';
  return `${header}\n${mvs.map((m) => `${printRefresh(m).join(';\n')};`).join('\n\n')}\n`;
}

export function renderTidbSql(statements: readonly EmittedStatement[], header: readonly string[]): string {
  const lines = header.map((h) => `-- ${h}`);
  const body = statements.map((s) => `${s.sql};`).join('\n\n');
  return `${lines.join('\n')}${lines.length > 0 ? '\n\n' : ''}${body}${body ? '\n' : ''}`;
}
