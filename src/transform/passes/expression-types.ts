import type { TidbTable } from '../../ir/tidb.js';
import { key, type TransformContext } from '../context.js';
import { expressionType } from '../expression-types.js';
import { sameFkType } from '../fk-type-rules.js';
import type { KeyToFit } from '../indexes.js';
import type { Stage } from './stage.js';

/**
 * Expression types again, after foreign-key alignment: lowering typed each index expression (its
 * generated column, or its key part's width) from its operands' lowered types, which alignment may
 * since have widened or re-collated. A generated `CASE WHEN … THEN LOWER(email) END` left VARCHAR(255)
 * under an email aligned to VARCHAR(320) would refuse a 300-character email (1406). Runs before key fitting,
 * which fits the keys on these types.
 */
export function retypeExpressions(stage: Stage, ctx: TransformContext): Stage {
  if (stage.widened.size === 0) return stage;
  const keysToFit = new Map(stage.keysToFit);
  let changed = false;
  const tables = stage.tables.map((b) => {
    const k = key(b.source.name);
    const keys = stage.keysToFit.get(k);
    if (!stage.widened.has(k) || !keys) return b;
    let table: TidbTable = b.table;
    const fitted = new Map<string, KeyToFit>();
    for (const [name, fit] of keys) {
      const expressionTypes = [...fit.expressionTypes];
      for (const d of fit.derived ?? []) {
        const columns = new Map(table.columns.map((c) => [c.name, c]));
        const type = expressionType(d.expr, columns, ctx);
        if (!type) continue;
        if ('part' in d) {
          expressionTypes[d.part] = type;
          continue;
        }
        const column = columns.get(d.column);
        if (!column || sameFkType(column.type, type)) continue;
        table = { ...table, columns: table.columns.map((c) => (c.name === d.column ? { ...c, type } : c)) };
      }
      fitted.set(name, { ...fit, expressionTypes });
    }
    keysToFit.set(k, fitted);
    if (table === b.table) return b;
    changed = true;
    return { source: b.source, table };
  });
  return { ...stage, keysToFit, ...(changed ? { tables } : {}) };
}
