import type { TidbForeignKey, TidbName } from '../../ir/tidb.js';
import type { Built, Stage } from './stage.js';

/**
 * Table order: each table after the tables its foreign keys reference; keys that close a cycle
 * move to ALTER TABLE statements after all tables. Ties keep input order.
 */
export function orderTables(stage: Stage): Stage {
  const id = (n: TidbName) => `${n.database}.${n.name}`;
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Built[] = [];
  const deferred: { table: TidbName; foreignKey: TidbForeignKey }[] = [...stage.deferredForeignKeys];
  const byId = new Map(stage.tables.map((b) => [id(b.table.name), b]));
  const kept = new Map<string, TidbForeignKey[]>();

  const visit = (b: Built): void => {
    const t = b.table;
    const tid = id(t.name);
    if (done.has(tid)) return;
    visiting.add(tid);
    const keep: TidbForeignKey[] = [];
    for (const fk of t.foreignKeys) {
      const pid = id(fk.refTable);
      if (pid === tid || done.has(pid)) {
        keep.push(fk);
        continue;
      }
      if (visiting.has(pid) || !byId.has(pid)) {
        deferred.push({ table: t.name, foreignKey: fk });
        continue;
      }
      visit(byId.get(pid)!);
      keep.push(fk);
    }
    visiting.delete(tid);
    done.add(tid);
    kept.set(tid, keep);
    out.push(b);
  };
  for (const b of stage.tables) visit(b);
  return {
    ...stage,
    tables: out.map((b) => {
      const keep = kept.get(id(b.table.name))!;
      return keep.length === b.table.foreignKeys.length ? b : { source: b.source, table: { ...b.table, foreignKeys: keep } };
    }),
    deferredForeignKeys: deferred,
  };
}
