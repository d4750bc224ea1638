/**
 * Table-level items: the positional contents of `Table(...)` / `op.create_table(...)` /
 * `__table_args__` (Column, UniqueConstraint, PrimaryKeyConstraint, ForeignKeyConstraint,
 * CheckConstraint, Index) and their keyword options (schema, comment).
 */
import { tableSubject } from '../../diagnostics/subject.js';
import type { PyExpr } from './ast.js';
import { arg } from './context.js';
import { saCallName, type Lowerer, type MetaInfo } from './columns.js';
import type { Mod, Scope } from './modules.js';
import { renderSql } from './sql-render.js';
import type { IndexSpec, TableSpec } from './tables.js';

type Call = Extract<PyExpr, { t: 'call' }>;

/** Column names from strings, `Model.attr`, `table.c.col`, `column("x")`. */
export function columnNames(lw: Lowerer, mod: Mod, e: PyExpr | undefined, scope?: Scope, unresolved?: PyExpr[]): string[] {
  if (!e) return [];
  const cx = lw.cx;
  const v = cx.value(mod, e, scope);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (e.t === 'list' || e.t === 'tuple') return e.items.flatMap((i) => columnNames(lw, mod, i, scope, unresolved));
  if (e.t === 'attr') return [e.name];
  const body = bodyColumn(lw, mod, e, scope);
  if (body !== undefined) return [body];
  unresolved?.push(e);
  return [];
}

/**
 * A column named inside a class body: an attribute assigned earlier (`Index("ix", name)`) or an
 * inline `Column("email")`.
 */
export function bodyColumn(lw: Lowerer, mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
  if (e.t === 'name') return lw.classAttrs?.get(e.id);
  if (e.t === 'call' && saCallName(lw.cx, mod, e, scope) === 'Column') {
    const first = e.args[0];
    return first ? lw.cx.str(mod, first, scope) : undefined;
  }
  return undefined;
}

/** Applies one table-level item; returns false when it is not one. */
export function applyTableItem(lw: Lowerer, mod: Mod, item: PyExpr, spec: TableSpec, meta: MetaInfo, scope?: Scope): boolean {
  const cx = lw.cx;
  const ctor = saCallName(cx, mod, item, scope);
  if (!ctor || item.t !== 'call') return false;
  const call = item as Call;
  switch (ctor) {
    case 'Column': {
      const c = lw.lowerColumn(mod, undefined, call, undefined, meta, call.s, scope, 'Column');
      if (c && c !== 'skip') {
        if (!c.name) cx.note(mod, call.s, 'model-invalid', { reason: 'column-no-name' });
        else spec.cols.push(c);
      }
      return true;
    }
    case 'PrimaryKeyConstraint':
    case 'UniqueConstraint': {
      const unresolved: PyExpr[] = [];
      const cols = call.args.flatMap((a) => columnNames(lw, mod, a, scope, unresolved));
      const what = ctor === 'PrimaryKeyConstraint' ? 'primary key' : 'unique constraint';
      if (unresolved.length > 0 || cols.length === 0) {
        // a key on fewer columns than declared would change what is unique: keep none
        cx.note(mod, unresolved[0]?.s ?? call.s, 'not-static', { reason: 'key-columns', table: spec.name.name, constraint: what, text: cx.text(mod, call).slice(0, 80), columns: unresolved.map((u) => cx.text(mod, u)) }, tableSubject(spec.name));
        return true;
      }
      const n = lw.constraintName(mod, arg(call, 'name'), scope);
      const nnd = cx.bool(mod, arg(call, 'postgresql_nulls_not_distinct'), scope);
      const df = cx.bool(mod, arg(call, 'deferrable'), scope);
      spec.keys.push({ kind: ctor === 'PrimaryKeyConstraint' ? 'pk' : 'unique', ...n, columns: cols, ...(nnd ? { nullsNotDistinct: true } : {}), ...(df ? { deferrable: true } : {}), s: call.s, mod });
      return true;
    }
    case 'ForeignKeyConstraint': {
      const cols = columnNames(lw, mod, arg(call, 'columns', 0), scope);
      const refsExpr = arg(call, 'refcolumns', 1);
      const refs: string[] = [];
      const items = refsExpr && (refsExpr.t === 'list' || refsExpr.t === 'tuple') ? refsExpr.items : refsExpr ? [refsExpr] : [];
      for (const r of items) {
        const t = lw.columnRef(mod, r, scope);
        if (t) refs.push(t);
        else cx.note(mod, r.s, 'not-static', { reason: 'fk-target', text: cx.text(mod, r) });
      }
      if (refs.length === 0) return true;
      const n = lw.constraintName(mod, arg(call, 'name'), scope);
      const parts = refs.map((r) => r.split('.'));
      const refColumns = parts.map((p) => p[p.length - 1]!);
      const first = parts[0]!;
      const tname = first[first.length - 2] ?? '';
      const schema = first.length > 2 ? first.slice(0, -2).join('.') : meta.schema;
      const od = cx.str(mod, arg(call, 'ondelete'), scope);
      const ou = cx.str(mod, arg(call, 'onupdate'), scope);
      const df = cx.bool(mod, arg(call, 'deferrable'), scope);
      const ini = cx.str(mod, arg(call, 'initially'), scope);
      spec.fks.push({
        target: refs[0]!,
        columns: cols,
        refColumns,
        refTable: schema ? { schema, name: tname } : { name: tname },
        ...n,
        ...(od ? { onDelete: od } : {}),
        ...(ou ? { onUpdate: ou } : {}),
        ...(df !== undefined ? { deferrable: df } : {}),
        ...(ini ? { initially: ini } : {}),
        s: call.s,
        mod,
      });
      return true;
    }
    case 'CheckConstraint': {
      const ck = lw.checkSpec(mod, call, scope);
      if (ck) spec.checks.push(ck);
      return true;
    }
    case 'Index': {
      const ix = indexSpec(lw, mod, call, scope, 1);
      if (ix) spec.indexes.push(ix);
      return true;
    }
    default:
      return false;
  }
}

/** `Index(name, *expressions, unique=, postgresql_using=, postgresql_where=, postgresql_ops=, postgresql_include=)`. */
export function indexSpec(lw: Lowerer, mod: Mod, call: Call, scope: Scope | undefined, firstKey: number, columnsArg?: PyExpr): IndexSpec | undefined {
  const cx = lw.cx;
  const n = lw.constraintName(mod, call.args[0] ?? arg(call, 'name'), scope);
  const ops = cx.value(mod, arg(call, 'postgresql_ops') ?? { t: 'none', s: call.s }, scope);
  const opsMap = ops && typeof ops === 'object' && 'dict' in ops ? ops.dict : undefined;
  const keys: IndexSpec['keys'] = [];
  const keyExprs = columnsArg ? (columnsArg.t === 'list' || columnsArg.t === 'tuple' ? columnsArg.items : [columnsArg]) : call.args.slice(firstKey);
  const label = n.name ?? cx.text(mod, call.args[0] ?? call).slice(0, 60);
  if (keyExprs.length === 0) {
    cx.note(mod, call.s, 'model-invalid', { reason: 'index-empty', name: label }, n.name !== undefined ? { kind: 'index', name: n.name } : undefined);
    return undefined;
  }
  for (const k of keyExprs) {
    const key = indexKey(lw, mod, k, scope);
    if (!key) {
      // an index on fewer parts than declared is another index (and another uniqueness rule)
      cx.note(mod, k.s, 'not-static', { reason: 'index-expression', name: label, text: cx.text(mod, k) }, n.name !== undefined ? { kind: 'index', name: n.name } : undefined);
      return undefined;
    }
    const op = key.column !== undefined ? opsMap?.get(key.column) : undefined;
    keys.push(typeof op === 'string' ? { ...key, opclass: op } : key);
  }
  const whereE = arg(call, 'postgresql_where');
  const where = whereE ? renderSql(cx, mod, whereE, scope, false) : undefined;
  if (whereE && !where) cx.note(mod, whereE.s, 'not-static', { reason: 'index-where', text: cx.text(mod, whereE) });
  const method = cx.str(mod, arg(call, 'postgresql_using'), scope);
  const include = columnNames(lw, mod, arg(call, 'postgresql_include'), scope);
  const nnd = cx.bool(mod, arg(call, 'postgresql_nulls_not_distinct'), scope);
  return {
    ...n,
    unique: cx.bool(mod, arg(call, 'unique'), scope) ?? false,
    keys,
    ...(method ? { method: method.toLowerCase() } : {}),
    ...(where ? { where } : {}),
    include,
    ...(nnd ? { nullsNotDistinct: true } : {}),
    s: call.s,
    mod,
  };
}

function indexKey(lw: Lowerer, mod: Mod, e: PyExpr, scope?: Scope): IndexSpec['keys'][number] | undefined {
  const cx = lw.cx;
  const s = cx.str(mod, e, scope);
  if (s !== undefined) return { column: s };
  const body = bodyColumn(lw, mod, e, scope);
  if (body !== undefined) return { column: body };
  if (e.t === 'call') {
    // col.desc() / sa.desc(col) / text("lower(email)") / func.lower(col)
    if (e.fn.t === 'attr' && (e.fn.name === 'desc' || e.fn.name === 'asc') && e.args.length === 0) {
      const inner = indexKey(lw, mod, e.fn.obj, scope);
      return inner ? { ...inner, ...(e.fn.name === 'desc' ? { desc: true } : {}) } : undefined;
    }
    const path = cx.graph.externalPath(mod, e.fn, scope);
    if (path && /\.(desc|asc)$/.test(path) && e.args[0]) {
      const inner = indexKey(lw, mod, e.args[0], scope);
      return inner ? { ...inner, ...(path.endsWith('desc') ? { desc: true } : {}) } : undefined;
    }
    const sql = renderIndexSql(lw, mod, e, scope);
    if (sql) {
      // text("published_at DESC"): the direction is part of the key, not of the expression
      const m = /^([\s\S]*?)\s+(ASC|DESC)$/i.exec(sql.trim());
      if (m) return { sql: m[1]!, ...(m[2]!.toUpperCase() === 'DESC' ? { desc: true } : {}) };
      return { sql };
    }
    return undefined;
  }
  if (e.t === 'attr') return { column: e.obj.t === 'attr' && (e.obj.name === 'c' || e.obj.name === 'columns') ? e.name : e.name };
  return undefined;
}

/** text(...) or func.x(Model.col, ...) as SQL. */
function renderIndexSql(lw: Lowerer, mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
  const cx = lw.cx;
  if (e.t === 'attr') return e.name;
  if (e.t === 'call') {
    const plain = renderSql(cx, mod, e, scope, false);
    if (plain) return plain;
    // func.lower(User.email)
    if (e.fn.t === 'attr') {
      let cur: PyExpr = e.fn;
      const chain: string[] = [];
      while (cur.t === 'attr') {
        chain.unshift(cur.name);
        cur = cur.obj;
      }
      const head = cx.graph.externalPath(mod, cur, scope);
      if (head && /func$/.test(head)) {
        const args: string[] = [];
        for (const a of e.args) {
          const r = a.t === 'attr' ? a.name : (bodyColumn(lw, mod, a, scope) ?? renderSql(cx, mod, a, scope, true));
          if (!r) return undefined;
          args.push(r);
        }
        return `${chain.join('.')}(${args.join(', ')})`;
      }
    }
  }
  return undefined;
}

/** `__table_args__` (tuple, dict, or tuple ending in a dict): items + {schema, comment}. */
export function tableArgs(lw: Lowerer, mod: Mod, e: PyExpr, spec: TableSpec, meta: MetaInfo, scope?: Scope): { schema?: string; comment?: string } {
  const cx = lw.cx;
  const out: { schema?: string; comment?: string } = {};
  const applyDict = (d: Extract<PyExpr, { t: 'dict' }>): void => {
    for (const { key, value } of d.entries) {
      const k = cx.str(mod, key, scope);
      if (k === 'schema') {
        const v = cx.str(mod, value, scope);
        if (v) out.schema = v;
      } else if (k === 'comment') {
        const v = cx.str(mod, value, scope);
        if (v !== undefined) out.comment = v;
      } else if (k && !/^(extend_existing|keep_existing|info|postgresql_partition_by|autoload_with|quote|implicit_returning|(sqlite|mysql|mariadb|mssql|oracle)_\w+)$/.test(k)) {
        cx.note(mod, key.s, 'unsupported-syntax', { reason: 'table-args-option', option: k });
      } else if (k === 'postgresql_partition_by') {
        cx.note(mod, key.s, 'unsupported-syntax', { reason: 'partition-by' });
      }
    }
  };
  let target = e;
  if (e.t === 'name' || e.t === 'attr') {
    const r = cx.graph.resolve(mod, e, scope);
    if (r.k === 'value') return tableArgs(lw, r.mod, r.expr, spec, meta);
  }
  if (target.t === 'dict') {
    applyDict(target);
    return out;
  }
  if (target.t === 'tuple' || target.t === 'list') {
    for (const item of target.items) {
      if (item.t === 'dict') applyDict(item);
      else if (!applyTableItem(lw, mod, item, spec, meta, scope)) cx.note(mod, item.s, 'unsupported-syntax', { reason: 'table-args-item', text: cx.text(mod, item).slice(0, 60) });
    }
    return out;
  }
  target = e;
  cx.note(mod, target.s, 'not-static', { reason: 'table-args' });
  return out;
}
