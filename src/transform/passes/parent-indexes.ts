import type { TidbTable } from '../../ir/tidb.js';
import { key, type TransformContext } from '../context.js';
import type { Stage } from './stage.js';

/** Parent indexes: TiDB needs an index on the referenced columns, leading columns first (tidb.md §4.1, error 1822). */
export function addParentIndexes(stage: Stage, ctx: TransformContext): Stage {
  if (stage.parentIndexes.length === 0) return stage;
  const tables = new Map<string, TidbTable>(stage.tables.map((b) => [key(b.source.name), b.table]));
  for (const need of stage.parentIndexes) {
    const parent = tables.get(need.parent);
    if (!parent) continue;
    const { columns } = need;
    const leads = (cols: readonly string[]) => columns.every((c, i) => cols[i] === c);
    if (parent.primaryKey && leads(parent.primaryKey.columns)) continue;
    if (parent.indexes.some((i) => leads(i.parts.map((p) => ('column' in p && p.length === undefined ? p.column : '\u0000'))))) continue;
    const names = new Set(parent.indexes.map((i) => i.name.toLowerCase()));
    let name = `${parent.name.name}_${columns.join('_')}_fk_idx`.slice(0, 64);
    for (let n = 2; names.has(name.toLowerCase()); n++) name = `${name.slice(0, 60)}_${n}`;
    tables.set(need.parent, { ...parent, indexes: [...parent.indexes, { name, unique: false, parts: columns.map((c) => ({ column: c })) }] });
    ctx.diagnostics.add('fk-parent-index', { constraint: need.label, columns, parent: parent.source, index: name }, need.at);
  }
  return { ...stage, tables: stage.tables.map((b) => ({ source: b.source, table: tables.get(key(b.source.name))! })), parentIndexes: [] };
}
