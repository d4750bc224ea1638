import { tableObjectSubject } from '../../diagnostics/subject.js';
import type { TidbTable } from '../../ir/tidb.js';
import { key, type TransformContext } from '../context.js';
import { fitKey } from '../indexes.js';
import { mapTables, type Stage } from './stage.js';

/**
 * Key fitting: aligning a column to its parent's type can push an index over 3072 bytes, or leave a prefix
 * longer than the narrowed column (error 1089), so the aligned tables' indexes are fitted again.
 */
export function refitWidened(stage: Stage, ctx: TransformContext): Stage {
  if (stage.widened.size === 0) return stage;
  return mapTables(stage, (b) => (stage.widened.has(key(b.source.name)) ? refitIndexes(ctx, b.table) : b.table));
}

function refitIndexes(ctx: TransformContext, table: TidbTable): TidbTable {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  let changed = false;
  const indexes = table.indexes.map((index) => {
    if (!index.parts.every((p) => 'column' in p)) return index;
    const parts = index.parts as { column: string; length?: number }[];
    const fitted = fitKey(parts.map((p) => ({ column: p.column, type: byName.get(p.column)!.type, ...(p.length !== undefined ? { prefix: p.length } : {}), ...(byName.get(p.column)!.origin.lengthChosen ? { chosen: true } : {}) })));
    if (!fitted || JSON.stringify(fitted.parts) === JSON.stringify(parts)) return index;
    changed = true;
    // A column narrowed to its parent's type can make a prefix as long as the column: it is dropped, nothing is lost.
    if (!fitted.prefixed) return { ...index, parts: fitted.parts };
    ctx.diagnostics.add('index-key-too-long', { index: `index ${index.name} of ${table.source}`, reason: 'fk-widened', ...(index.unique ? { unique: true } : {}) }, { span: index.span, subject: tableObjectSubject('index', table.source, index.name) });
    return { ...index, parts: fitted.parts };
  });
  return changed ? { ...table, indexes } : table;
}
