// Hand-built IR for the transform passes' unit tests: a PostgreSQL source table and the TiDB
// table lowering made of it, without running a frontend.
import { DiagnosticBag } from '../../src/diagnostics/diagnostic.js';
import { tableObjectSubject } from '../../src/diagnostics/subject.js';
import type { ForeignKey, Schema, Table } from '../../src/ir/schema.js';
import type { TidbColumn, TidbIndex, TidbTable, TidbType } from '../../src/ir/tidb.js';
import { TransformContext } from '../../src/transform/context.js';
import { NameScope } from '../../src/transform/names.js';
import { resolveOptions, type TranslateOptions } from '../../src/transform/options.js';
import { emptyStage, type Built, type Stage } from '../../src/transform/passes/stage.js';

export function col(name: string, type: TidbType | TidbType['base'], extra: Partial<TidbColumn> = {}): TidbColumn {
  const t = typeof type === 'string' ? { base: type } : type;
  return { name, type: t, nullable: true, origin: { column: name, pgType: t.base.toLowerCase(), rule: 'test' }, ...extra };
}

export function fk(columns: string[], refTable: string, refColumns: string[] = [], extra: Partial<ForeignKey> = {}): ForeignKey {
  return { columns, refTable: { name: refTable }, refColumns, onDelete: 'no action', onUpdate: 'no action', ...extra };
}

export interface TableSpec {
  readonly columns: readonly TidbColumn[];
  readonly primaryKey?: readonly string[];
  readonly indexes?: readonly TidbIndex[];
  readonly foreignKeys?: readonly ForeignKey[];
}

/** A built table `name` in database `public`, its source table carrying the foreign keys. */
export function built(name: string, spec: TableSpec): Built {
  const source: Table = {
    name: { name },
    columns: spec.columns.map((c) => ({ name: c.name, type: { name: 'integer', raw: c.origin.pgType }, notNull: !c.nullable }) as unknown as Table['columns'][number]),
    ...(spec.primaryKey ? { primaryKey: { columns: spec.primaryKey } as unknown as NonNullable<Table['primaryKey']> } : {}),
    uniques: [],
    foreignKeys: spec.foreignKeys ?? [],
    checks: [],
    excludes: [],
    indexes: [],
    inherits: [],
    persistence: 'permanent',
  };
  const table: TidbTable = {
    name: { database: 'public', name },
    columns: spec.columns,
    ...(spec.primaryKey ? { primaryKey: { columns: spec.primaryKey, clustered: true } } : {}),
    indexes: spec.indexes ?? [],
    foreignKeys: [],
    checks: [],
    source: name,
  };
  return { source, table };
}

/** A context over the source tables of `tables`, and the stage lowering would leave with them. */
export function stageOf(tables: readonly Built[], options: Partial<TranslateOptions> = {}): { stage: Stage; ctx: TransformContext; bag: DiagnosticBag } {
  const schema: Schema = { namespaces: [], tables: tables.map((b) => b.source), enums: [], domains: [], composites: [], sequences: [], views: [], extensions: [], others: [], notes: [] };
  const bag = new DiagnosticBag();
  const ctx = new TransformContext(schema, resolveOptions(options), bag);
  // Every hand-built index is left for the key-fitting pass, as lowering leaves its indexes.
  const keysToFit = new Map(tables.map((b) => [`public.${b.table.name.name}`, new Map(b.table.indexes.map((i) => [i.name, { label: `index ${i.name}`, at: { subject: tableObjectSubject('index', b.table.source, i.name) }, unique: i.unique, expressionTypes: i.parts.map(() => undefined) }]))]));
  const stage: Stage = { ...emptyStage(), tables, keysToFit, fkScopes: new Map([['public', new NameScope({ log: ctx.renames, kind: 'foreign-key', database: 'public' })]]) };
  return { stage, ctx, bag };
}

export function tableNamed(stage: Stage, name: string): TidbTable {
  const b = stage.tables.find((t) => t.table.name.name === name);
  if (!b) throw new Error(`no table ${name}`);
  return b.table;
}
