import type { DiagnosticBag } from '../../diagnostics/diagnostic.js';
import { objectSubject } from '../../diagnostics/subject.js';
import type { TidbColumn } from '../../ir/tidb.js';
import type { TransformContext } from '../context.js';
import { featureTarget, targetHas } from '../features.js';
import type { TranslateOptions } from '../options.js';
import { mapTables, type Stage } from './stage.js';

/** Target options: tidbVersion is ignored on Cloud Starter; the utf8mb4_0900 collations need TiDB v7.4 (features.ts); older targets get the nearest older collation. Runs on the options, before lowering. */
export function targetOptions(options: TranslateOptions, bag: DiagnosticBag): TranslateOptions {
  if (options.cloudStarter === true && options.tidbVersion !== undefined) {
    bag.add('target-ignored', { option: 'tidbVersion', value: options.tidbVersion }, {
      subject: objectSubject('option', 'tidbVersion'),
      fix: 'Drop tidbVersion, or cloudStarter for a self-managed target.',
    });
  }
  const fallback: Record<string, string> = { utf8mb4_0900_bin: 'utf8mb4_bin', utf8mb4_0900_ai_ci: 'utf8mb4_general_ci' };
  const older = fallback[options.collation];
  if (older === undefined || targetHas(options, 'collation0900')) return options;
  bag.add('target-feature', { reason: 'collation', feature: 'collation0900', ...featureTarget(options), collation: options.collation, to: older }, { subject: objectSubject('option', 'collation') });
  return { ...options, collation: older };
}

/** Enforcement notes: CHECKs and foreign keys the target parses but does not enforce. */
export function reportEnforcement(stage: Stage, ctx: TransformContext): Stage {
  const { options, diagnostics: bag } = ctx;
  const checkCount = stage.tables.reduce((n, b) => n + b.table.checks.length, 0);
  if (checkCount > 0 && !targetHas(options, 'checkConstraint')) {
    bag.add('target-feature', { reason: 'check-constraint', feature: 'checkConstraint', ...featureTarget(options), count: checkCount }, { subject: objectSubject('option', 'tidbVersion') });
  } else if (checkCount > 0) {
    bag.add('check-constraint-off', { count: checkCount }, { subject: objectSubject('option', 'tidb_enable_check_constraint') });
  }
  const fkCount = stage.tables.reduce((n, b) => n + b.table.foreignKeys.length, 0) + stage.deferredForeignKeys.length;
  if (fkCount > 0 && !targetHas(options, 'foreignKey')) {
    bag.add('target-feature', { reason: 'foreign-key', feature: 'foreignKey', ...featureTarget(options), count: fkCount }, {
      subject: objectSubject('option', 'tidbVersion'),
      fix: 'Check references in the application, or target a TiDB version that enforces foreign keys.',
    });
  }
  return stage;
}

/** Target sequences: sequences need TiDB v4.0 (features.ts); on older targets they are not created and DEFAULT NEXTVAL is dropped. */
export function targetSequences(stage: Stage, ctx: TransformContext): Stage {
  const { options, diagnostics: bag } = ctx;
  if (stage.sequences.length === 0 || targetHas(options, 'sequence')) return stage;
  for (const seq of stage.sequences) {
    bag.add('target-feature', { reason: 'sequence', feature: 'sequence', ...featureTarget(options) }, { span: seq.span, subject: objectSubject('sequence', `${seq.name.database}.${seq.name.name}`) });
  }
  const withoutNextval = (c: TidbColumn): TidbColumn => {
    if (c.default?.kind !== 'nextval') return c;
    const { default: _dropped, ...rest } = c;
    return rest;
  };
  return { ...mapTables(stage, (b) => (b.table.columns.some((c) => c.default?.kind === 'nextval') ? { ...b.table, columns: b.table.columns.map(withoutNextval) } : b.table)), sequences: [] };
}

/** Databases no table or sequence uses are left out. */
export function dropUnusedDatabases(stage: Stage): Stage {
  const used = new Set([...stage.tables.map((b) => b.table.name.database), ...stage.sequences.map((s) => s.name.database), ...(stage.views ?? []).map((v) => v.name.database)]);
  return { ...stage, databases: new Map([...stage.databases].filter(([name]) => used.has(name))) };
}
