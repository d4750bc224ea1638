import { tableSubject } from '../../diagnostics/subject.js';
/**
 * SQLAlchemy frontend: model files and Alembic revision scripts → the schema IR, read
 * statically (no user code runs). See ./README in the module docs for the layout:
 *   python.ts (grammar + AST), modules.ts (imports), models.ts (classes & bases),
 *   columns.ts + type-rules.ts (columns & types), table-args.ts + tables.ts (table-level
 *   rules), alembic.ts (revision replay), sql-render.ts + sql-expr.ts + pg-bridge.ts (SQL).
 */
import type { SourceFile } from '../../diagnostics/span.js';
import type { Column, Index, Namespace, Schema, Table } from '../../ir/schema.js';
import type { Expr, QualifiedName } from '../../ir/types.js';
import { AlembicReplay, isRevisionModule, orderRevisions, readRevision, type Revision } from './alembic.js';
import { Lowerer } from './columns.js';
import { Ctx, newState, qkey, toTable, type SchemaState } from './context.js';
import { ModelAnalysis } from './models.js';
import { ModuleGraph, type Mod } from './modules.js';
import { parsePython } from './python.js';
import { convertSql, type SqlRequest, type SqlSite } from './sql-expr.js';
import { assembleTable } from './tables.js';

export interface SqlalchemyOptions {
  /** Input folder → database name: the tables read from that folder go into that database. */
  readonly databaseMap?: Record<string, string>;
}

const norm = (p: string): string => `/${p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '')}/`;

function groupOf(path: string, map: Record<string, string> | undefined): string | undefined {
  if (!map) return undefined;
  const p = norm(path);
  let best: { db: string; len: number } | undefined;
  for (const [folder, db] of Object.entries(map)) {
    const f = norm(folder);
    if (p.includes(f) && (!best || f.length > best.len)) best = { db, len: f.length };
  }
  return best?.db;
}

export async function readSqlalchemy(files: readonly SourceFile[], options?: SqlalchemyOptions): Promise<Schema> {
  const graph = new ModuleGraph();
  const cx = new Ctx(graph);
  for (const f of files) {
    let ast;
    try {
      ast = await parsePython(f.text);
    } catch (err) {
      cx.notes.push({ id: 'input-error', data: { reason: 'python-parse', path: f.path, error: (err as Error).message }, span: { file: f.path, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, length: 0 } });
      continue;
    }
    const mod = graph.add(f, ast);
    for (const e of ast.errors) cx.note(mod, e.s, 'syntax-error', { error: e.message });
  }

  const groups = new Map<string | undefined, Mod[]>();
  for (const m of graph.mods) {
    const g = groupOf(m.file.path, options?.databaseMap);
    const list = groups.get(g) ?? [];
    list.push(m);
    groups.set(g, list);
  }

  const tables: Table[] = [];
  const namespaces: Namespace[] = [];
  const merged = newState();
  for (const [db, mods] of groups) {
    const state = newState();
    const lw = new Lowerer(cx, state);
    const revMods = mods.filter(isRevisionModule);
    const modelMods = mods.filter((m) => !isRevisionModule(m) && !/(^|\/)(env|alembic\/env)\.py$/.test(m.file.path));
    const analysis = new ModelAnalysis(lw, cx);
    analysis.run(modelMods);
    const modelTables = [...analysis.specs.values()].map(({ spec, meta }) => assembleTable(cx, spec, meta));
    if (revMods.length > 0) {
      const revs = revMods.map((m) => readRevision(cx, m)).filter((r): r is Revision => !!r);
      await new AlembicReplay(lw, cx, state).replay(orderRevisions(cx, revs));
      for (const t of modelTables) {
        if (state.tables.has(qkey(t.name))) continue;
        cx.notes.push({ id: 'input-error', data: { reason: 'alembic-missing-table', table: t.name.name }, subject: tableSubject(t.name), ...(t.span ? { span: t.span } : {}) });
        state.tables.set(qkey(t.name), t);
      }
    } else {
      for (const t of modelTables) state.tables.set(qkey(t.name), t);
    }
    inferFkTypes(state);
    const inDb = <T extends { name: QualifiedName }>(x: T): T => (db ? { ...x, name: { ...x.name, schema: db } } : x);
    for (const t of state.tables.values()) {
      const table = inDb(toTable(t));
      tables.push(db ? { ...table, foreignKeys: table.foreignKeys.map((f) => ({ ...f, refTable: { ...f.refTable, schema: db } })) } : table);
    }
    for (const [k, e] of state.enums) merged.enums.set(`${db ?? ''}|${k}`, inDb(e));
    for (const [k, s] of state.sequences) merged.sequences.set(`${db ?? ''}|${k}`, inDb(s));
    merged.extensions.push(...state.extensions);
    merged.views.push(...state.views);
    merged.domains.push(...state.domains);
    namespaces.push(...state.namespaces);
    if (db && !namespaces.some((n) => n.name === db)) namespaces.push({ name: db, origin: 'database' });
  }
  // a Python input that yields nothing is never silent
  if (tables.length === 0 && graph.mods.length > 0 && graph.mods.some((m) => m.ast.body.length > 0)) {
    const first = graph.mods.find((m) => m.ast.body.length > 0)!;
    cx.notes.push({
      id: 'unsupported-syntax',
      data: { reason: 'no-models', files: graph.mods.length },
      span: first.lines.span(0, 0),
    });
  }
  // user type references follow their enum into the database
  const finalTables = await resolveSql(tables, options?.databaseMap ? [...merged.enums.values()].map((e) => e.name) : []);
  return {
    namespaces,
    tables: finalTables,
    enums: [...merged.enums.values()],
    domains: merged.domains,
    composites: [],
    sequences: [...merged.sequences.values()],
    views: merged.views,
    extensions: merged.extensions,
    others: cx.others,
    notes: cx.notes,
  };
}

/** A column declared without a type but with a foreign key takes the referenced column's type (SQLAlchemy does this at DDL time). */
function inferFkTypes(state: SchemaState): void {
  for (let pass = 0; pass < 3; pass++) {
    for (const t of state.tables.values()) {
      for (const fk of t.foreignKeys) {
        fk.columns.forEach((col, i) => {
          const ci = t.columns.findIndex((c) => c.name === col);
          const c = t.columns[ci];
          if (!c || c.type.kind !== 'unsupported' || c.type.raw !== 'NullType') return;
          const ref = state.tables.get(qkey(fk.refTable)) ?? [...state.tables.values()].find((x) => x.name.name === fk.refTable.name);
          const refCol = ref?.columns.find((x) => x.name === (fk.refColumns[i] ?? ref.primaryKey?.columns[i]));
          if (!refCol || (refCol.type.kind === 'unsupported' && refCol.type.raw === 'NullType')) return;
          const type = refCol.type.kind === 'scalar' && refCol.identity?.kind === 'serial' ? { ...refCol.type, raw: refCol.type.name.toUpperCase() } : refCol.type;
          t.columns[ci] = { ...c, type };
        });
      }
    }
  }
}

/** Replaces the SQL text kept in {k:'raw'} by converted expressions (PostgreSQL frontend or fallback). */
export async function resolveSql(tables: readonly Table[], dbEnums: readonly QualifiedName[] = []): Promise<Table[]> {
  const reqs: SqlRequest[] = [];
  const want = (site: SqlSite, e: Expr | undefined): void => {
    if (e?.k === 'raw') reqs.push({ site, text: e.text });
  };
  for (const t of tables) {
    for (const c of t.columns) {
      want('default', c.default);
      want('generated', c.generated?.expr);
    }
    for (const c of t.checks) want('check', c.expr);
    for (const i of t.indexes) {
      for (const k of i.keys) want('index-key', k.expr);
      want('where', i.where);
    }
  }
  const map = await convertSql(reqs);
  const conv = (site: SqlSite, e: Expr): Expr => (e.k === 'raw' ? (map.get(`${site}\u0000${e.text}`) ?? e) : e);
  const byName = new Map(dbEnums.map((n) => [n.name, n]));
  const fixType = (c: Column): Column => {
    if (c.type.kind === 'user' && !c.type.name.schema && byName.has(c.type.name.name)) return { ...c, type: { ...c.type, name: byName.get(c.type.name.name)! } };
    return c;
  };
  return tables.map((t) => ({
    ...t,
    columns: t.columns.map((c) => {
      let col = fixType(c);
      if (col.default) col = { ...col, default: conv('default', col.default) };
      if (col.generated) col = { ...col, generated: { ...col.generated, expr: conv('generated', col.generated.expr) } };
      return col;
    }),
    checks: t.checks.map((c) => ({ ...c, expr: conv('check', c.expr) })),
    indexes: t.indexes.map(
      (i): Index => ({
        ...i,
        keys: i.keys.map((k) => {
          if (!k.expr) return k;
          const e = conv('index-key', k.expr);
          // a bare column expression is a column key
          if (e.k === 'column' && !e.table) {
            const { expr: _e, ...rest } = k;
            return { ...rest, column: e.name };
          }
          return { ...k, expr: e };
        }),
        ...(i.where ? { where: conv('where', i.where) } : {}),
      }),
    ),
  }));
}

