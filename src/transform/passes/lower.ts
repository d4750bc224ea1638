import { objectSubject, tableSubject } from '../../diagnostics/subject.js';
import type { TidbDatabase, TidbName } from '../../ir/tidb.js';
import { display, key, type TransformContext } from '../context.js';
import { NameScope } from '../names.js';
import { TIDB_RESERVED_INDEX_NAMES } from '../limits.js';
import { planPartitions } from '../partitions.js';
import { SequencePlan } from '../sequences.js';
import { buildTable, keyedColumns } from '../tables.js';
import { isLiteral, resolveColumnType } from '../column-types.js';
import type { Built, Stage } from './stage.js';

/**
 * Lowering: databases, partitions folded into their parents, the sequence plan, and one
 * `buildTable` call per table (after the case-insensitive name collision and empty-table checks).
 */
export function lower(stage: Stage, ctx: TransformContext): Stage {
  const { schema, options, diagnostics: bag } = ctx;
  // Columns referenced by foreign keys are keys too (they need a bounded type).
  const referenced = new Set<string>();
  for (const t of schema.tables) {
    for (const fk of t.foreignKeys) {
      const parent = ctx.tables.get(key(fk.refTable));
      const cols = fk.refColumns.length > 0 ? fk.refColumns : parent?.primaryKey?.columns ?? [];
      for (const c of cols) referenced.add(`${key(fk.refTable)}.${c}`);
    }
  }

  const partitions = planPartitions(ctx, (table, column) => {
    const col = table.columns.find((c) => c.name === column);
    if (!col) return undefined;
    const keyed = keyedColumns(table, referenced).has(column);
    const resolved = resolveColumnType(ctx, col.type, { keyed, literalDefault: isLiteral(col.default) });
    return { name: column, type: resolved.type, nullable: !col.notNull, origin: { column, pgType: col.type.raw, rule: resolved.rule } };
  });
  const sequences = new SequencePlan(ctx, partitions.folded);

  const databases = new Map<string, TidbDatabase>(stage.databases);
  const checkScopes = new Map<string, NameScope>();
  const fkScopes = new Map<string, NameScope>(stage.fkScopes);
  const tableNamesByDb = new Map<string, Map<string, string>>();
  const built: Built[] = [...stage.tables];
  const keysToFit = new Map(stage.keysToFit);

  for (const ns of schema.namespaces) {
    const db = ctx.database(ns.name);
    if (!databases.has(db)) databases.set(db, { name: db, charset: 'utf8mb4', collation: options.collation, source: ns.name });
  }
  for (const table of schema.tables) {
    const k = key(table.name);
    if (partitions.folded.has(k)) continue;
    const name: TidbName = ctx.tidbName(table.name);
    if (!databases.has(name.database)) databases.set(name.database, { name: name.database, charset: 'utf8mb4', collation: options.collation, source: table.name.schema ?? 'public' });
    const seen = tableNamesByDb.get(name.database) ?? new Map<string, string>();
    tableNamesByDb.set(name.database, seen);
    const lower = name.name.toLowerCase();
    if (seen.has(lower)) {
      bag.add('name-collision', { kind: 'table', names: [seen.get(lower)!, display(table.name)], becomes: `${name.database}.${lower}` }, { span: table.span, subject: tableSubject(table.name) });
      continue;
    }
    seen.set(lower, display(table.name));
    if (table.columns.length === 0) {
      bag.add('empty-table', { table: display(table.name) }, { span: table.span, subject: tableSubject(table.name) });
      continue;
    }
    const checks = checkScopes.get(name.database) ?? new NameScope({ log: ctx.renames, kind: 'check', database: name.database });
    checkScopes.set(name.database, checks);
    // A foreign key's implicit index takes the key's name, so `primary` is refused there too (error 1280).
    const fks = fkScopes.get(name.database) ?? new NameScope({ log: ctx.renames, kind: 'foreign-key', database: name.database }, TIDB_RESERVED_INDEX_NAMES);
    fkScopes.set(name.database, fks);
    const { table: t, keys } = buildTable(ctx, table, referenced, sequences, checks, fks, name);
    keysToFit.set(k, keys);
    const partitioning = partitions.inline.get(k);
    built.push({ source: table, table: partitioning ? { ...t, partitioning } : t });
  }

  for (const ns of schema.namespaces) {
    if (ns.comment) bag.add('statement-ignored', { kind: 'schema-comment' }, { span: ns.span, subject: objectSubject('schema', ns.name) });
    if (ns.name !== 'public' && databases.has(ctx.database(ns.name))) {
      bag.add('schema-to-database', { database: ctx.database(ns.name) }, { span: ns.span, subject: objectSubject('schema', ns.name) });
    }
  }
  return { ...stage, databases, sequences: [...stage.sequences, ...sequences.sequences], tables: built, keysToFit, fkScopes };
}
