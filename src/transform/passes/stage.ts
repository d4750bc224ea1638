import type { DiagnosticInit } from '../../diagnostics/diagnostic.js';
import type { Table } from '../../ir/schema.js';
import type { TidbDatabase, TidbForeignKey, TidbMaterializedView, TidbName, TidbSequence, TidbTable, TidbView } from '../../ir/tidb.js';
import type { TransformContext } from '../context.js';
import type { KeyToFit } from '../indexes.js';
import type { NameScope } from '../names.js';

/** A TiDB table with the PostgreSQL table it was built from. */
export interface Built {
  readonly source: Table;
  readonly table: TidbTable;
}

/** An index TiDB needs on referenced columns (tidb.md §4.1, error 1822), asked for by the foreign-key pass. */
export interface ParentIndexNeed {
  /** `key()` of the parent's source name. */
  readonly parent: string;
  readonly columns: readonly string[];
  readonly label: string;
  readonly at: DiagnosticInit;
  /** The child table (`key()` of its source name) and the foreign key's TiDB name: key fitting may still drop it. */
  readonly child?: string;
  readonly foreignKey?: string;
}

/** What the passes hand each other: the TiDB schema under construction plus the work one pass leaves for a later one. */
export interface Stage {
  readonly databases: ReadonlyMap<string, TidbDatabase>;
  readonly sequences: readonly TidbSequence[];
  /** In input order until the table-order pass; keyed by `key()` of the source name. */
  readonly tables: readonly Built[];
  readonly deferredForeignKeys: readonly { readonly table: TidbName; readonly foreignKey: TidbForeignKey }[];
  /** Tables whose columns the foreign-key pass widened: their primary keys are fitted again. */
  readonly widened: ReadonlySet<string>;
  /** Per table (`key()` of the source name), the lowered indexes the key-fitting pass fits, by TiDB index name. */
  readonly keysToFit: ReadonlyMap<string, ReadonlyMap<string, KeyToFit>>;
  readonly parentIndexes: readonly ParentIndexNeed[];
  /** Foreign-key names are unique per database: one scope each, shared by lowering and the foreign-key pass. */
  readonly fkScopes: ReadonlyMap<string, NameScope>;
  /** Set by the views pass. */
  readonly views?: readonly TidbView[];
  readonly materializedViews?: readonly TidbMaterializedView[];
}

export type Pass = (stage: Stage, ctx: TransformContext) => Stage;

/** A named pass, so the pipeline reads as its list. */
export interface NamedPass {
  readonly name: string;
  readonly run: Pass;
}

export function emptyStage(): Stage {
  return { databases: new Map(), sequences: [], tables: [], deferredForeignKeys: [], widened: new Set(), keysToFit: new Map(), parentIndexes: [], fkScopes: new Map() };
}

/** Replaces each table `update` returns a new value for, keeping order and the source pairing. */
export function mapTables(stage: Stage, update: (b: Built) => TidbTable): Stage {
  let changed = false;
  const tables = stage.tables.map((b) => {
    const table = update(b);
    if (table === b.table) return b;
    changed = true;
    return { source: b.source, table };
  });
  return changed ? { ...stage, tables } : stage;
}
