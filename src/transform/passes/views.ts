import type { SourceSpan } from '../../diagnostics/span.js';
import { objectSubject } from '../../diagnostics/subject.js';
import type { View } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import type { TidbColumn, TidbMaterializedView, TidbName, TidbTable, TidbType, TidbView } from '../../ir/tidb.js';
import type { TransformContext } from '../context.js';
import { groupConcatAggregates } from '../views/aggregates.js';
import { relationKey, type EnvRelation, type ViewEnv } from '../views/env.js';
import { translateView } from '../views/index.js';
import { orderViews } from '../views/order.js';
import type { Built, Stage } from './stage.js';

/** The file report.json and the CLI write the materialized views' refresh statements to. */
export const REFRESH_SCRIPT = 'refresh-materialized-views.sql';

/**
 * Views: each body translated to TiDB SQL (src/transform/views) and created after the tables, each
 * after the views it reads; what cannot be translated is left out with the construct and its place,
 * and so is every view that reads a left-out one. Materialized views become tables plus a refresh script.
 */
export function translateViews(stage: Stage, ctx: TransformContext): Stage {
  const views = ctx.schema.views;
  if (views.length === 0) return stage;
  // Column renames happen before lowering; view bodies still write the source names.
  const renamedFrom = new Map(ctx.renames.items.filter((r) => r.kind === 'column').map((r) => [`${r.database}.${r.table ?? ''}.${r.to}`, r.from]));
  const relations: EnvRelation[] = stage.tables.map((b) => tableRelation(b, (c) => renamedFrom.get(`${b.table.name.database}.${b.table.name.name}.${c}`) ?? c));
  const env = (): ViewEnv => ({ relations, groupConcat, collation: ctx.options.collation, uuid: ctx.options.uuid });
  const groupConcat = groupConcatAggregates(ctx.schema.others);
  const out: TidbView[] = [];
  const materialized: TidbMaterializedView[] = [];
  const tables: Built[] = [];
  const viewKeys = new Set(views.map((v) => relationKey(v.name)));
  // A name resolves through the view's search path to the first schema that has a view of that name.
  const reads = (v: View) => relationNames(v.select).flatMap((r) => (r.schema !== undefined ? [relationKey(r)] : (v.searchPath ?? ['public']).map((s) => `${s}.${r.name}`).filter((k) => viewKeys.has(k)).slice(0, 1)));
  const ordered = orderViews(views, (v) => relationKey(v.name), reads);
  const d = ctx.diagnostics;
  for (const view of ordered) {
    const name: TidbName = { database: ctx.database(view.name.schema), name: view.name.name };
    const subject = objectSubject(view.materialized ? 'materialized-view' : 'view', view.name);
    const t = translateView(view, env());
    if (!t.ok) {
      const at = { subject, ...(spanAt(view, t.location) ? { span: spanAt(view, t.location)! } : view.span ? { span: view.span } : {}) };
      if (t.dependency !== undefined) d.add('view-dependency-left-out', { materialized: view.materialized, dependency: t.dependency }, at);
      else d.add('view-construct-unsupported', { materialized: view.materialized, construct: t.construct, reason: t.reason }, at);
      relations.push({ source: view.name, ...name, kind: 'view', columns: [], excluded: t.dependency !== undefined ? `it reads ${t.dependency}` : `it uses ${t.construct}` });
      continue;
    }
    for (const r of t.renamed) ctx.renames.record({ kind: 'column', database: name.database, table: name.name, from: r.from, to: r.to, reason: r.reason }, { ...(view.span ? { span: view.span } : {}), sourceTable: view.name });
    const notes = t.notes.map((n) => n.note);
    if (view.comment !== undefined) notes.push('the comment is dropped: TiDB views have no comments');
    if (view.checkOption) notes.push(`WITH ${view.checkOption.toUpperCase()} CHECK OPTION is dropped`);
    d.add('view-translated', { materialized: view.materialized, notes }, { subject, ...(view.span ? { span: view.span } : {}) });
    const columns = t.columns.map((c) => c.name);
    relations.push({ source: view.name, ...name, kind: view.materialized ? 'table' : 'view', columns: t.columns.map((c) => ({ source: c.name, name: c.name, ...(c.type ? { type: c.type } : {}), nullable: c.nullable })) });
    if (!view.materialized) {
      out.push({ name, columns, columnTypes: t.columns.map(viewColumnType), sql: t.sql, dependencies: t.dependencies, ...(view.span ? { span: view.span } : {}) });
      continue;
    }
    const untyped = t.columns.filter((c) => !c.type).map((c) => c.name);
    const tableColumns: TidbColumn[] = t.columns.map((c) => ({
      name: c.name,
      type: c.type ?? { base: 'LONGTEXT' },
      nullable: true,
      origin: { column: c.name, pgType: 'view column', rule: c.type ? 'view-query' : 'view-untyped', ...(view.span ? { span: view.span } : {}) },
    }));
    const table: TidbTable = { name, columns: tableColumns, indexes: [], foreignKeys: [], checks: [], source: `${view.name.schema ?? 'public'}.${view.name.name}`, ...(view.span ? { span: view.span } : {}) };
    tables.push({ source: { name: view.name, columns: [], uniques: [], foreignKeys: [], checks: [], excludes: [], indexes: [], inherits: [], persistence: 'permanent' }, table });
    materialized.push({ table: name, columns, sql: t.sql });
    d.add('materialized-view-table', { table: `${name.database}.${name.name}`, refreshScript: REFRESH_SCRIPT, untyped }, { subject, ...(view.span ? { span: view.span } : {}) });
  }
  return {
    ...stage,
    tables: [...stage.tables, ...tables],
    views: orderViews(out, (v) => `${v.name.database}.${v.name.name}`, (v) => v.dependencies.map((x) => `${x.database}.${x.name}`)),
    materializedViews: materialized,
  };
}

/**
 * A view column's type for readers of the view. TiDB types an integer or boolean expression in a
 * select list BIGINT (measured on tidb-server v8.5: `qty > 1`, `qty DIV 2`, `EXTRACT(YEAR ...)`,
 * `qty + 1` over an INT column all read back as BIGINT), and the inferred type does not say whether
 * the column is a plain column or such an expression, so either may reach the reader.
 */
function viewColumnType(c: { readonly type?: TidbType; readonly nullable: boolean }): NonNullable<TidbView['columnTypes']>[number] {
  const widened = c.type && INTEGER_KINDS.has(c.type.base) && c.type.base !== 'BIGINT';
  return { ...(c.type ? { type: c.type } : {}), ...(widened ? { orType: { base: 'BIGINT' } } : {}), nullable: c.nullable };
}

const INTEGER_KINDS = new Set<TidbType['base']>(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BOOLEAN']);

function tableRelation(b: Built, sourceName: (column: string) => string): EnvRelation {
  const byName = new Map(b.source.columns.map((c) => [c.name, c]));
  return {
    source: b.source.name,
    database: b.table.name.database,
    name: b.table.name.name,
    kind: 'table',
    columns: b.table.columns.map((c) => {
      const pg = byName.get(c.origin.column)?.type;
      return { source: sourceName(c.origin.column), name: c.name, type: c.type, ...(pg ? { pgType: pg } : {}), nullable: c.nullable };
    }),
  };
}

/** Relation names a parse tree mentions (RangeVar), for ordering views before translating them. */
function relationNames(node: unknown): QualifiedName[] {
  const out: QualifiedName[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n === null || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    const rv = o.RangeVar as { relname?: string; schemaname?: string } | undefined;
    if (rv?.relname) out.push({ ...(rv.schemaname ? { schema: rv.schemaname } : {}), name: rv.relname });
    for (const v of Object.values(o)) walk(v);
  };
  walk(node);
  return out;
}

/** The span of a file offset inside the view's statement, to the end of that line. */
function spanAt(view: View, offset: number): SourceSpan | undefined {
  const base = view.span;
  const text = view.text;
  if (!base || text === undefined || offset < base.offset || offset > base.offset + text.length) return undefined;
  const rel = offset - base.offset;
  const before = text.slice(0, rel);
  const nl = before.lastIndexOf('\n');
  const line = base.line + (before.match(/\n/g)?.length ?? 0);
  const column = nl === -1 ? base.column + rel : rel - nl;
  let end = text.indexOf('\n', rel);
  if (end === -1) end = text.length;
  const length = Math.max(1, end - rel);
  return { file: base.file, line, column, endLine: line, endColumn: column + length, offset, length };
}
