import { tableObjectSubject } from '../../diagnostics/subject.js';
import type { TidbTable } from '../../ir/tidb.js';
import type { TransformContext } from '../context.js';
import { quoteIdent } from '../../sql/quote.js';
import { mapTables, type Stage } from './stage.js';

/** Checks on action columns: MySQL/TiDB reject a CHECK on a column that a foreign key with CASCADE or SET NULL changes (error 3823). */
export function dropChecksOnActionColumns(stage: Stage, ctx: TransformContext): Stage {
  return mapTables(stage, (b) => dropChecks(ctx, b.table));
}

function dropChecks(ctx: TransformContext, table: TidbTable): TidbTable {
  const acted = new Set(table.foreignKeys.filter((f) => (f.onDelete && f.onDelete !== 'RESTRICT' && f.onDelete !== 'NO ACTION') || (f.onUpdate && f.onUpdate !== 'RESTRICT' && f.onUpdate !== 'NO ACTION')).flatMap((f) => f.columns));
  if (acted.size === 0) return table;
  const keep = table.checks.filter((c) => {
    const hit = [...acted].find((col) => c.sql.includes(quoteIdent(col)));
    if (!hit) return true;
    ctx.diagnostics.add('check-dropped', { reason: 'fk-action', constraint: `CHECK ${c.name ?? ''} on ${table.source}`, column: hit }, { span: c.span, subject: tableObjectSubject('constraint', table.source, c.name) });
    return false;
  });
  return keep.length === table.checks.length ? table : { ...table, checks: keep };
}
