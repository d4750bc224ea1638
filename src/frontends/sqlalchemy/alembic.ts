import { columnSubject, tableSubject, objectSubject, tableObjectSubject } from '../../diagnostics/subject.js';
/**
 * Alembic revision scripts: orders a versions/ folder by its revision/down_revision chain
 * (branches and merges are reported as notes) and replays each `upgrade()` — op.create_table,
 * add/drop/alter_column, create/drop_index, create_foreign_key, create_unique_constraint,
 * create_check_constraint, create_primary_key, drop_constraint, rename_table, drop_table,
 * batch_alter_table, create_table_comment, execute — onto a SchemaState.
 */
import type { Column, FrontendNote, OtherObject } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import type { Off, PyExpr, PyStmt } from './ast.js';
import { arg, fromTable, qkey, type Ctx, type MTable, type SchemaState } from './context.js';
import { DEFAULT_META, type Lowerer } from './columns.js';
import { postgresTakesBranch } from './dialect-branch.js';
import type { Mod, Scope } from './modules.js';
import { loadReadPostgres } from './pg-bridge.js';
import { renderSql } from './sql-render.js';
import { applyTableItem, columnNames, indexSpec } from './table-args.js';
import { assembleTable, buildIndex, fkAction, type TableSpec } from './tables.js';

type Call = Extract<PyExpr, { t: 'call' }>;

export interface Revision {
  readonly mod: Mod;
  readonly id: string;
  readonly down: readonly string[];
  readonly upgrade?: readonly PyStmt[];
}

export function isRevisionModule(mod: Mod): boolean {
  return mod.symbols.has('revision') && mod.symbols.has('down_revision') && mod.symbols.get('upgrade')?.k === 'func';
}

export function readRevision(cx: Ctx, mod: Mod): Revision | undefined {
  const rev = mod.symbols.get('revision');
  const down = mod.symbols.get('down_revision');
  const up = mod.symbols.get('upgrade');
  const id = rev?.k === 'value' ? cx.str(mod, rev.expr) : undefined;
  if (!id) {
    cx.note(mod, { start: 0, end: 0 }, 'not-static', { reason: 'revision-id' });
    return undefined;
  }
  const dv = down?.k === 'value' ? cx.value(mod, down.expr) : null;
  const downs = dv === null || dv === undefined ? [] : Array.isArray(dv) ? dv.map(String) : [String(dv)];
  return { mod, id, down: downs, ...(up?.k === 'func' ? { upgrade: up.def.body } : {}) };
}

/** Topological order of the revisions; notes for branches, merges, missing parents, several heads. */
export function orderRevisions(cx: Ctx, revs: readonly Revision[]): Revision[] {
  const byId = new Map(revs.map((r) => [r.id, r]));
  const children = new Map<string, Revision[]>();
  for (const r of revs) {
    if (r.down.length > 1) cx.note(r.mod, { start: 0, end: 0 }, 'alembic-history', { reason: 'merge', revisions: r.down }, objectSubject('revision', r.id));
    for (const d of r.down) {
      if (!byId.has(d)) cx.note(r.mod, { start: 0, end: 0 }, 'unresolved-reference', { place: 'down-revision', kind: 'revision', name: d }, objectSubject('revision', r.id));
      const list = children.get(d) ?? [];
      list.push(r);
      children.set(d, list);
    }
  }
  for (const [parent, list] of children) {
    if (list.length > 1 && byId.has(parent)) {
      const p = byId.get(parent)!;
      cx.note(p.mod, { start: 0, end: 0 }, 'alembic-history', { reason: 'branch', revisions: list.map((r) => r.id) }, objectSubject('revision', parent));
    }
  }
  const heads = revs.filter((r) => !children.has(r.id));
  if (heads.length > 1) cx.note(heads[0]!.mod, { start: 0, end: 0 }, 'alembic-history', { reason: 'heads', revisions: heads.map((h) => h.id) });
  const done = new Set<string>();
  const out: Revision[] = [];
  const visit = (r: Revision, stack: Set<string>): void => {
    if (done.has(r.id) || stack.has(r.id)) return;
    stack.add(r.id);
    for (const d of r.down) {
      const p = byId.get(d);
      if (p) visit(p, stack);
    }
    stack.delete(r.id);
    done.add(r.id);
    out.push(r);
  };
  const sorted = [...revs].sort((a, b) => a.mod.file.path.localeCompare(b.mod.file.path));
  for (const r of sorted) visit(r, new Set());
  return out;
}

export class AlembicReplay {
  constructor(
    readonly lw: Lowerer,
    readonly cx: Ctx,
    readonly state: SchemaState,
  ) {}

  async replay(revs: readonly Revision[]): Promise<void> {
    for (const r of revs) if (r.upgrade) await this.block(r.mod, r.upgrade, new Map(), undefined);
  }

  private async block(mod: Mod, body: readonly PyStmt[], scope: Map<string, PyExpr>, batch: { table: string; schema?: string; alias: string } | undefined): Promise<void> {
    const cx = this.cx;
    for (const st of body) {
      switch (st.t) {
        case 'expr':
          if (st.expr.t === 'call') await this.op(mod, st.expr, scope, batch);
          break;
        case 'assign':
          for (const t of st.targets) if (t.t === 'name' && st.value) scope.set(t.id, st.value);
          if (st.value?.t === 'call' && st.value.fn.t === 'attr' && this.isOp(mod, st.value.fn.obj, scope, batch)) await this.op(mod, st.value, scope, batch);
          break;
        case 'with': {
          for (const item of st.items) {
            const e = item.expr;
            if (e.t === 'call' && e.fn.t === 'attr' && e.fn.name === 'batch_alter_table' && item.alias) {
              const table = cx.str(mod, arg(e, 'table_name', 0), scope);
              const schema = cx.str(mod, arg(e, 'schema'), scope);
              if (!table) cx.note(mod, e.s, 'not-static', { reason: 'batch-table-name' });
              else await this.block(mod, st.body, scope, { table, ...(schema ? { schema } : {}), alias: item.alias });
            }
          }
          break;
        }
        case 'if': {
          // a dialect test: only the branch PostgreSQL takes describes the source
          const pg = postgresTakesBranch(cx.text(mod, st.test), (name) => {
            const v = scope.get(name);
            return v ? cx.text(mod, v) : undefined;
          });
          if (pg !== undefined) {
            await this.block(mod, pg ? st.body : st.orelse, scope, batch);
            break;
          }
          cx.note(mod, st.s, 'unsupported-syntax', { reason: 'conditional-migration' });
          await this.block(mod, st.body, scope, batch);
          await this.block(mod, st.orelse, scope, batch);
          break;
        }
        case 'return':
        case 'other':
        case 'import':
        case 'from':
          if (st.t === 'other' && st.kind !== 'pass_statement' && st.kind !== 'comment') cx.note(mod, st.s, 'unsupported-syntax', { reason: 'upgrade-statement', statement: st.kind });
          break;
        default:
          cx.note(mod, st.def.s, 'unsupported-syntax', { reason: 'upgrade-definition' });
      }
    }
  }

  private isOp(mod: Mod, e: PyExpr, scope: Scope, batch: { alias: string } | undefined): boolean {
    if (batch && e.t === 'name' && e.id === batch.alias) return true;
    const p = this.cx.graph.externalPath(mod, e, scope);
    return p === 'alembic.op' || p === 'alembic.op.batch_op';
  }

  private findTable(mod: Mod, s: Off, name: string | undefined, schema?: string): MTable | undefined {
    if (!name) {
      this.cx.note(mod, s, 'not-static', { reason: 'op-table-name' });
      return undefined;
    }
    const t = this.state.tables.get(qkey(schema ? { schema, name } : { name }));
    if (!t) this.cx.note(mod, s, 'unresolved-reference', { place: 'alembic-table', kind: 'table', name: `${schema ? `${schema}.` : ''}${name}` }, tableSubject(schema ? `${schema}.${name}` : name));
    return t;
  }

  private async op(mod: Mod, call: Call, scope: Map<string, PyExpr>, batch: { table: string; schema?: string; alias: string } | undefined): Promise<void> {
    const cx = this.cx;
    if (call.fn.t !== 'attr' || !this.isOp(mod, call.fn.obj, scope, batch)) return;
    const name = call.fn.name;
    const inBatch = !!batch && call.fn.obj.t === 'name' && call.fn.obj.id === batch.alias;
    // In batch mode the table argument is implied: shift positional arguments.
    const A = (kw: string, pos: number, batchPos?: number): PyExpr | undefined => arg(call, kw, inBatch ? batchPos : pos);
    const tableName = inBatch ? batch!.table : cx.str(mod, A('table_name', 0), scope);
    const schema = inBatch ? batch!.schema : cx.str(mod, arg(call, 'schema'), scope);
    const s = call.s;
    switch (name) {
      case 'create_table': {
        const tname = cx.str(mod, A('table_name', 0), scope);
        if (!tname) return cx.note(mod, s, 'not-static', { reason: 'create-table-name' });
        const qn: QualifiedName = schema ? { schema, name: tname } : { name: tname };
        const spec: TableSpec = { name: qn, cols: [], keys: [], fks: [], checks: [], indexes: [], mod, s };
        for (const item of call.args.slice(1)) {
          let e = item;
          if (e.t === 'name') {
            const v = scope.get(e.id);
            if (v) e = v;
          }
          if (!applyTableItem(this.lw, mod, e, spec, DEFAULT_META, scope)) cx.note(mod, item.s, 'unsupported-syntax', { reason: 'create-table-item', text: cx.text(mod, item).slice(0, 60) }, tableSubject(tname));
        }
        const comment = cx.str(mod, arg(call, 'comment'), scope);
        if (comment !== undefined) spec.comment = comment;
        if (this.state.tables.has(qkey(qn))) cx.note(mod, s, 'duplicate-object', { reason: 'table-exists', object: tname }, tableSubject(tname));
        this.state.tables.set(qkey(qn), assembleTable(cx, spec, DEFAULT_META));
        return;
      }
      case 'drop_table': {
        const t = this.findTable(mod, s, tableName, schema);
        if (t) this.state.tables.delete(qkey(t.name));
        return;
      }
      case 'rename_table': {
        const t = this.findTable(mod, s, cx.str(mod, arg(call, 'old_table_name', 0), scope), schema);
        const nn = cx.str(mod, arg(call, 'new_table_name', 1), scope);
        if (!t || !nn) return;
        this.state.tables.delete(qkey(t.name));
        t.name = { ...t.name, name: nn };
        this.state.tables.set(qkey(t.name), t);
        return;
      }
      case 'add_column': {
        const t = this.findTable(mod, s, tableName, schema);
        const colExpr = A('column', 1, 0);
        if (!t || colExpr?.t !== 'call') return;
        const spec: TableSpec = { name: t.name, cols: [], keys: [], fks: [], checks: [], indexes: [], mod, s };
        applyTableItem(this.lw, mod, colExpr, spec, DEFAULT_META, scope);
        const tmp = assembleTable(cx, spec, DEFAULT_META);
        t.columns.push(...tmp.columns);
        if (tmp.primaryKey) t.primaryKey = tmp.primaryKey;
        t.uniques.push(...tmp.uniques);
        t.foreignKeys.push(...tmp.foreignKeys);
        t.checks.push(...tmp.checks);
        t.indexes.push(...tmp.indexes);
        return;
      }
      case 'drop_column': {
        const t = this.findTable(mod, s, tableName, schema);
        const col = cx.str(mod, A('column_name', 1, 0), scope);
        if (!t || !col) return;
        t.columns = t.columns.filter((c) => c.name !== col);
        t.uniques = t.uniques.filter((u) => !u.columns.includes(col));
        t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(col));
        t.indexes = t.indexes.filter((i) => !i.keys.some((k) => k.column === col));
        if (t.primaryKey?.columns.includes(col)) delete t.primaryKey;
        return;
      }
      case 'alter_column': {
        const t = this.findTable(mod, s, tableName, schema);
        const col = cx.str(mod, A('column_name', 1, 0), scope);
        if (!t || !col) return;
        const i = t.columns.findIndex((c) => c.name === col);
        if (i < 0) return cx.note(mod, s, 'unresolved-reference', { place: 'alembic-column', kind: 'column', name: col, table: t.name.name }, columnSubject(t.name, col));
        let c: Column = t.columns[i]!;
        const nullable = cx.bool(mod, arg(call, 'nullable'), scope);
        if (nullable !== undefined) c = { ...c, notNull: !nullable };
        const typeE = arg(call, 'type_');
        if (typeE) {
          const lt = this.lw.lowerType(mod, typeE, scope);
          if (lt) c = { ...c, type: lt.type };
          else cx.note(mod, typeE.s, 'not-static', { reason: 'op-type', text: cx.text(mod, typeE) });
        }
        const sd = arg(call, 'server_default');
        if (sd && !(sd.t === 'bool' && !sd.value)) {
          if (sd.t === 'none') {
            const { default: _d, defaultSpan: _s, ...rest } = c;
            c = rest;
          } else {
            const sql = renderSql(cx, mod, sd, scope, true);
            if (sql) c = { ...c, default: { k: 'raw', text: sql }, defaultSpan: cx.span(mod, sd.s) };
            else cx.note(mod, sd.s, 'not-static', { reason: 'server-default', text: cx.text(mod, sd) });
          }
        }
        const cm = arg(call, 'comment');
        if (cm && !(cm.t === 'bool' && !cm.value)) {
          const v = cx.str(mod, cm, scope);
          if (cm.t === 'none') {
            const { comment: _c, ...rest } = c;
            c = rest;
          } else if (v !== undefined) c = { ...c, comment: v };
        }
        const nn = cx.str(mod, arg(call, 'new_column_name'), scope);
        if (nn) {
          const old = c.name;
          c = { ...c, name: nn };
          const ren = (xs: readonly string[]): string[] => xs.map((x) => (x === old ? nn : x));
          if (t.primaryKey) t.primaryKey = { ...t.primaryKey, columns: ren(t.primaryKey.columns) };
          t.uniques = t.uniques.map((u) => ({ ...u, columns: ren(u.columns) }));
          t.foreignKeys = t.foreignKeys.map((f) => ({ ...f, columns: ren(f.columns) }));
          t.indexes = t.indexes.map((x) => ({ ...x, keys: x.keys.map((k) => (k.column === old ? { ...k, column: nn } : k)) }));
        }
        t.columns[i] = c;
        return;
      }
      case 'create_index': {
        const t = this.findTable(mod, s, inBatch ? batch!.table : cx.str(mod, arg(call, 'table_name', 1), scope), schema);
        if (!t) return;
        const colsArg = inBatch ? arg(call, 'columns', 1) : arg(call, 'columns', 2);
        const ix = indexSpec(this.lw, mod, call, scope, 99, colsArg);
        if (ix) t.indexes.push(buildIndex(cx, t.name, ix, DEFAULT_META));
        return;
      }
      case 'drop_index': {
        const { name: iname } = this.lw.constraintName(mod, arg(call, 'index_name', 0), scope);
        for (const t of this.state.tables.values()) {
          const before = t.indexes.length;
          t.indexes = t.indexes.filter((i) => i.name !== iname);
          if (t.indexes.length !== before) return;
        }
        cx.note(mod, s, 'unresolved-reference', { place: 'alembic-index', kind: 'index', name: iname ?? '' }, iname ? { kind: 'index', name: iname } : undefined);
        return;
      }
      case 'create_unique_constraint':
      case 'create_primary_key': {
        const t = this.findTable(mod, s, inBatch ? batch!.table : cx.str(mod, arg(call, 'table_name', 1), scope), schema);
        if (!t) return;
        const n = this.lw.constraintName(mod, arg(call, 'constraint_name', 0), scope);
        const cols = columnNames(this.lw, mod, arg(call, 'columns', inBatch ? 1 : 2), scope);
        const k = { ...(n.name ? { name: n.name } : {}), columns: cols, span: cx.span(mod, s) };
        if (name === 'create_primary_key') {
          t.primaryKey = k;
          t.columns = t.columns.map((c) => (cols.includes(c.name) ? { ...c, notNull: true } : c));
        } else t.uniques.push(k);
        return;
      }
      case 'create_check_constraint': {
        const t = this.findTable(mod, s, inBatch ? batch!.table : cx.str(mod, arg(call, 'table_name', 1), scope), schema);
        if (!t) return;
        const n = this.lw.constraintName(mod, arg(call, 'constraint_name', 0), scope);
        const cond = arg(call, 'condition', inBatch ? 1 : 2);
        const sql = cond ? renderSql(cx, mod, cond, scope, false) : undefined;
        if (!sql) return cx.note(mod, s, 'not-static', { reason: 'check-condition' });
        t.checks.push({ ...(n.name ? { name: n.name } : {}), expr: { k: 'raw', text: sql }, span: cx.span(mod, s) });
        return;
      }
      case 'create_foreign_key': {
        const src = inBatch ? batch!.table : cx.str(mod, arg(call, 'source_table', 1), scope);
        const t = this.findTable(mod, s, src, inBatch ? batch!.schema : cx.str(mod, arg(call, 'source_schema'), scope));
        if (!t) return;
        const off = inBatch ? 1 : 2;
        const n = this.lw.constraintName(mod, arg(call, 'constraint_name', 0), scope);
        const ref = cx.str(mod, arg(call, 'referent_table', off), scope) ?? '';
        const refSchema = cx.str(mod, arg(call, 'referent_schema'), scope);
        const local = columnNames(this.lw, mod, arg(call, 'local_cols', off + 1), scope);
        const remote = columnNames(this.lw, mod, arg(call, 'remote_cols', off + 2), scope);
        const df = cx.bool(mod, arg(call, 'deferrable'), scope);
        const ini = cx.str(mod, arg(call, 'initially'), scope);
        t.foreignKeys.push({
          ...(n.name ? { name: n.name } : {}),
          columns: local,
          refTable: refSchema ? { schema: refSchema, name: ref } : { name: ref },
          refColumns: remote,
          onDelete: fkAction(cx, cx.str(mod, arg(call, 'ondelete'), scope), mod, s),
          onUpdate: fkAction(cx, cx.str(mod, arg(call, 'onupdate'), scope), mod, s),
          ...(df ? { deferrable: true } : {}),
          ...(ini?.toUpperCase() === 'DEFERRED' ? { initiallyDeferred: true } : {}),
          span: cx.span(mod, s),
        });
        return;
      }
      case 'drop_constraint': {
        const t = this.findTable(mod, s, inBatch ? batch!.table : cx.str(mod, arg(call, 'table_name', 1), scope), schema);
        const { name: cname } = this.lw.constraintName(mod, arg(call, 'constraint_name', 0), scope);
        if (!t || !cname) return;
        const n0 = t.uniques.length + t.foreignKeys.length + t.checks.length + (t.primaryKey ? 1 : 0);
        t.uniques = t.uniques.filter((u) => u.name !== cname);
        t.foreignKeys = t.foreignKeys.filter((u) => u.name !== cname);
        t.checks = t.checks.filter((u) => u.name !== cname);
        if (t.primaryKey?.name === cname) delete t.primaryKey;
        const n1 = t.uniques.length + t.foreignKeys.length + t.checks.length + (t.primaryKey ? 1 : 0);
        if (n0 === n1) cx.note(mod, s, 'unresolved-reference', { place: 'alembic-constraint', kind: 'constraint', name: cname, table: t.name.name }, tableObjectSubject('constraint', t.name, cname));
        return;
      }
      case 'create_table_comment': {
        const t = this.findTable(mod, s, tableName, schema);
        const c = cx.str(mod, arg(call, 'comment', 1), scope);
        if (t && c !== undefined) t.comment = c;
        return;
      }
      case 'drop_table_comment': {
        const t = this.findTable(mod, s, tableName, schema);
        if (t) delete t.comment;
        return;
      }
      case 'execute': {
        const e = arg(call, 'sqltext', 0);
        const sql = e ? renderSql(cx, mod, e, scope, false) : undefined;
        if (!sql) return cx.note(mod, s, 'not-static', { reason: 'execute-sql' });
        await this.executeSql(mod, e!, sql);
        return;
      }
      case 'bulk_insert':
        cx.other(mod, s, { kind: 'data', statement: 'op.bulk_insert', detail: 'rows inserted by the migration are not schema' });
        return;
      case 'get_bind':
      case 'get_context':
      case 'f':
        return;
      default:
        cx.note(mod, s, 'unsupported-syntax', { reason: 'alembic-op', option: name }, { kind: 'statement', name: `op.${name}()` });
    }
  }

  /** op.execute SQL → the PostgreSQL frontend, merged into the replayed state. */
  private async executeSql(mod: Mod, e: PyExpr, sql: string): Promise<void> {
    const cx = this.cx;
    const readPostgres = await loadReadPostgres();
    const where = cx.span(mod, e.s);
    if (!readPostgres) {
      // FALLBACK until src/frontends/postgres exists: record the SQL, classify privileges.
      for (const stmt of sql.split(/;\s*(?=\S)|;\s*$/).map((x) => x.trim()).filter(Boolean)) {
        const priv = /^(GRANT|REVOKE)\b/i.test(stmt);
        cx.others.push({ kind: priv ? 'privilege' : 'other', statement: priv ? stmt.split(/\s+/)[0]!.toUpperCase() : 'op.execute', detail: stmt, span: where });
      }
      return;
    }
    // Empty stubs of the tables replayed so far let statements such as CREATE INDEX or
    // ALTER TABLE ... ADD on an existing table resolve; what comes back on a stub is merged.
    const st = this.state;
    const q = (n: string): string => `"${n.replace(/"/g, '""')}"`;
    const stubs = [...st.tables.values()].map((t) => `CREATE TABLE ${t.name.schema ? `${q(t.name.schema)}.` : ''}${q(t.name.name)} ();`).join('\n');
    let schema;
    try {
      schema = await readPostgres([
        { path: '<alembic-state>.sql', text: stubs },
        { path: `${mod.file.path}:${where.line}`, text: sql },
      ]);
    } catch (err) {
      cx.notes.push({ id: 'input-error', data: { reason: 'alembic-execute', error: (err as Error).message }, span: where });
      return;
    }
    for (const t of schema.tables) {
      // the PostgreSQL frontend may qualify names with the search path's schema
      const existing = st.tables.get(qkey(t.name)) ?? (t.name.schema === 'public' ? st.tables.get(qkey({ name: t.name.name })) : undefined);
      if (!existing) {
        st.tables.set(qkey(t.name), { ...fromTable(t), span: where });
        continue;
      }
      for (const c of t.columns) if (!existing.columns.some((x) => x.name === c.name)) existing.columns.push({ ...c, span: where });
      existing.indexes.push(...t.indexes.map((x) => ({ ...x, span: where })));
      existing.uniques.push(...t.uniques.map((x) => ({ ...x, span: where })));
      existing.foreignKeys.push(...t.foreignKeys.map((x) => ({ ...x, span: where })));
      existing.checks.push(...t.checks.map((x) => ({ ...x, span: where })));
      if (t.primaryKey) existing.primaryKey = { ...t.primaryKey, span: where };
      if (t.comment !== undefined) existing.comment = t.comment;
    }
    for (const x of schema.enums) st.enums.set(qkey(x.name), { ...x, span: where });
    for (const x of schema.sequences) st.sequences.set(qkey(x.name), { ...x, span: where });
    st.extensions.push(...schema.extensions.map((x) => ({ ...x, span: where })));
    st.views.push(...schema.views.map((x) => ({ ...x, span: where })));
    st.domains.push(...schema.domains.map((x) => ({ ...x, span: where })));
    for (const n of schema.namespaces) if (n.name !== 'public' && !st.namespaces.some((m) => m.name === n.name)) st.namespaces.push({ ...n, span: where });
    cx.others.push(...schema.others.map((o: OtherObject) => ({ ...o, span: where })));
    cx.notes.push(...schema.notes.map((n: FrontendNote) => ({ ...n, span: where })));
  }
}
