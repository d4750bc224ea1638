import { DiagnosticBag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Schema } from '../ir/schema.js';
import type { TidbSchema } from '../ir/tidb.js';
import { databaseFor, TransformContext } from './context.js';
import { RenameLog, type Rename } from './renames.js';
import type { TranslateOptions } from './options.js';
import { reportOthers } from './others.js';
import { applyTriggerPatterns, reportTriggerPatterns } from './trigger-patterns.js';
import { renameInvalidColumns } from './rename.js';
import { emptyStage, type NamedPass, type Stage } from './passes/stage.js';
import { lower } from './passes/lower.js';
import { attachForeignKeys } from './passes/foreign-keys.js';
import { retypeExpressions } from './passes/expression-types.js';
import { fitKeys } from './passes/key-fitting.js';
import { addParentIndexes } from './passes/parent-indexes.js';
import { dropChecksOnActionColumns } from './passes/action-checks.js';
import { orderTables } from './passes/table-order.js';
import { translateViews } from './passes/views.js';
import { dropUnusedDatabases, reportEnforcement, targetOptions, targetSequences } from './passes/target.js';

export { resolveOptions, type TranslateOptions } from './options.js';
export type { Rename } from './renames.js';

export interface TransformResult {
  readonly tidb: TidbSchema;
  readonly diagnostics: readonly Diagnostic[];
  /** Every object whose TiDB name differs from its source name, each also an `identifier-renamed` diagnostic. */
  readonly renames: readonly Rename[];
}

/** The transform, in order: each pass takes the stage the one before left (docs/architecture.md). */
export const PASSES: readonly NamedPass[] = [
  { name: 'lowering', run: lower },
  { name: 'foreign-keys', run: attachForeignKeys },
  { name: 'expression-types', run: retypeExpressions },
  { name: 'key-fitting', run: fitKeys },
  { name: 'parent-indexes', run: addParentIndexes },
  { name: 'action-checks', run: dropChecksOnActionColumns },
  { name: 'table-order', run: orderTables },
  { name: 'enforcement-notes', run: reportEnforcement },
  { name: 'target-sequences', run: targetSequences },
  { name: 'views', run: translateViews },
  { name: 'unused-databases', run: dropUnusedDatabases },
];

/** Lowers a PostgreSQL schema to the TiDB schema it becomes, with every loss reported. */
export function lowerToTidb(source: Schema, requested: TranslateOptions): TransformResult {
  const bag = new DiagnosticBag();
  const options = targetOptions(requested, bag);
  const renames = new RenameLog(bag);
  // Before renames: trigger bodies name the source columns.
  const patterns = applyTriggerPatterns(source);
  const schema = renameInvalidColumns(patterns.schema, renames, (s) => databaseFor(options, s));
  const ctx = new TransformContext(schema, options, bag, renames);
  reportTriggerPatterns(patterns, bag);
  reportOthers(ctx, new Set([...patterns.converted.map((c) => c.trigger), ...patterns.convertedRoutines]));
  const stage = PASSES.reduce<Stage>((s, pass) => pass.run(s, ctx), emptyStage());
  return { tidb: toTidbSchema(stage), diagnostics: bag.items, renames: renames.items };
}

export function toTidbSchema(stage: Stage): TidbSchema {
  return {
    databases: [...stage.databases.values()],
    sequences: stage.sequences,
    tables: stage.tables.map((b) => b.table),
    deferredForeignKeys: stage.deferredForeignKeys,
    ...(stage.views && stage.views.length > 0 ? { views: stage.views } : {}),
    ...(stage.materializedViews && stage.materializedViews.length > 0 ? { materializedViews: stage.materializedViews } : {}),
  };
}
