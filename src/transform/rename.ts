import type { RenameLog } from './renames.js';
import type { Index, IndexKey, Schema, Table } from '../ir/schema.js';
import type { Expr } from '../ir/types.js';

/** TiDB rejects column names that end in a space (error 1166). */
function invalidColumnName(name: string): boolean {
  return /\s$/.test(name) && name.trim() !== '';
}

/** The TiDB names of a table's columns that TiDB would reject (original -> new); `pg2tidb data` maps rows with it. */
export function columnRenames(table: Table): Map<string, string> {
  const map = new Map<string, string>();
  const bad = table.columns.filter((c) => invalidColumnName(c.name));
  if (bad.length === 0) return map;
  const taken = new Set(table.columns.map((c) => c.name.toLowerCase()));
  for (const c of bad) {
    let name = c.name.trimEnd();
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${c.name.trimEnd()}_${n}`;
    taken.add(name.toLowerCase());
    map.set(c.name, name);
  }
  return map;
}

function renameExpr(e: Expr, map: ReadonlyMap<string, string>): Expr {
  const r = (x: Expr) => renameExpr(x, map);
  switch (e.k) {
    case 'column':
      return map.has(e.name) && !e.table ? { ...e, name: map.get(e.name)! } : e;
    case 'func':
      return { ...e, args: e.args.map(r) };
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
    case 'nullif':
      return { ...e, args: e.args.map(r) };
    case 'cast':
    case 'unary':
    case 'not':
    case 'isnull':
    case 'istrue':
      return { ...e, expr: r(e.expr) } as Expr;
    case 'binary':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'in':
      return { ...e, expr: r(e.expr), list: e.list.map(r) };
    case 'between':
      return { ...e, expr: r(e.expr), low: r(e.low), high: r(e.high) };
    case 'like':
      return { ...e, expr: r(e.expr), pattern: r(e.pattern) };
    case 'case':
      return { ...e, ...(e.arg ? { arg: r(e.arg) } : {}), whens: e.whens.map((w) => ({ when: r(w.when), then: r(w.then) })), ...(e.else ? { else: r(e.else) } : {}) };
    case 'array':
      return { ...e, elements: e.elements.map(r) };
    case 'any':
      return { ...e, expr: r(e.expr), array: r(e.array) };
    default:
      return e;
  }
}

/**
 * Renames columns TiDB cannot hold (names ending in spaces) to their trimmed form, everywhere
 * the table and the tables referencing it mention them, and reports each rename.
 */
export function renameInvalidColumns(schema: Schema, log: RenameLog, database: (schema: string | undefined) => string): Schema {
  const renames = new Map<Table, Map<string, string>>();
  for (const table of schema.tables) {
    const map = columnRenames(table);
    if (map.size === 0) continue;
    for (const c of table.columns) {
      const name = map.get(c.name);
      if (name === undefined) continue;
      log.record({ kind: 'column', database: database(table.name.schema), table: table.name.name, from: c.name, to: name, reason: 'invalid' }, { span: c.span, sourceTable: table.name });
    }
    renames.set(table, map);
  }
  if (renames.size === 0) return schema;
  const col = (map: ReadonlyMap<string, string> | undefined, c: string) => map?.get(c) ?? c;
  const key = (t: { schema?: string; name: string }) => `${t.schema ?? 'public'}.${t.name}`;
  const byKey = new Map([...renames].map(([t, m]) => [key(t.name), m]));
  const tables = schema.tables.map((table) => {
    const map = renames.get(table);
    const rk = (k: IndexKey): IndexKey => ({ ...k, ...(k.column !== undefined ? { column: col(map, k.column) } : {}), ...(k.expr && map ? { expr: renameExpr(k.expr, map) } : {}) });
    const index = (i: Index): Index => ({ ...i, keys: i.keys.map(rk), include: i.include.map((c) => col(map, c)), ...(i.where && map ? { where: renameExpr(i.where, map) } : {}) });
    const foreignKeys = table.foreignKeys.map((f) => ({ ...f, columns: f.columns.map((c) => col(map, c)), refColumns: f.refColumns.map((c) => col(byKey.get(key(f.refTable)), c)) }));
    if (!map) return foreignKeys.some((f, i) => f !== table.foreignKeys[i]) ? { ...table, foreignKeys } : table;
    return {
      ...table,
      columns: table.columns.map((c) => ({ ...c, name: col(map, c.name), ...(c.generated ? { generated: { ...c.generated, expr: renameExpr(c.generated.expr, map) } } : {}) })),
      ...(table.primaryKey ? { primaryKey: { ...table.primaryKey, columns: table.primaryKey.columns.map((c) => col(map, c)) } } : {}),
      uniques: table.uniques.map((u) => ({ ...u, columns: u.columns.map((c) => col(map, c)) })),
      foreignKeys,
      checks: table.checks.map((c) => ({ ...c, expr: renameExpr(c.expr, map) })),
      indexes: table.indexes.map(index),
      ...(table.partitionBy ? { partitionBy: { ...table.partitionBy, keys: table.partitionBy.keys.map(rk) } } : {}),
    };
  });
  return { ...schema, tables };
}
