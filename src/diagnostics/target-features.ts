/**
 * What each TiDB target can do (the data; src/transform/features.ts asks it), and the sentence a
 * target-feature diagnostic gives for a feature the target lacks, from the feature's key and the target.
 */

export type Version = readonly [number, number, number];

/** One thing the transform emits that not every TiDB target has. */
export interface TargetFeature {
  /** What the feature is, as diagnostics name it ("multi-valued indexes"). */
  readonly what: string;
  /**
   * First self-managed TiDB version that has it. Absent: no version has it without changing the
   * TiDB configuration file, which pg2tidb does not assume.
   */
  readonly since?: Version;
  /**
   * Whether TiDB Cloud Starter/Essential has it. Starter runs its own kernel ("based on the classic
   * TiDB v8.5.3 kernel") with a fixed configuration, so `tidbVersion` does not apply there.
   */
  readonly cloudStarter: boolean;
  /** For features no version has by default: the server configuration that enables them. */
  readonly config?: string;
}

/**
 * What each TiDB target can do: the one place the transform learns about versions and TiDB Cloud
 * Starter (style: esbuild's compat table, queried as a set). The transform asks `targetHas()`;
 * where the target lacks a feature it falls back the way it does for anything TiDB cannot
 * express (a generated column, a dropped index, an unpartitioned table) and reports
 * `target-feature` naming the version needed (`targetLacks()`).
 *
 * Only rules checked against the TiDB documentation or ../shared/reference/tidb.md are here; each
 * row names its source. Not gated, because nothing emitted depends on them or the version is not
 * documented: UUID()/CURRENT_DATE defaults, LIST COLUMNS partitioning, generated columns, the
 * CHECK-constraint switch on Starter (tidb.md §10, unverified).
 */
export const TIDB_FEATURES = {
  // https://docs.pingcap.com/tidb/stable/auto-random ("AUTO_RANDOM New in v3.1.0").
  autoRandom: { what: 'AUTO_RANDOM', since: [3, 1, 0], cloudStarter: true },
  // tidb.md §9 "v4.0 sequences"; the v5.2 https://docs.pingcap.com/tidb/v5.2/basic-features marks
  // Sequences Y back to 4.0, its oldest column.
  sequence: { what: 'sequences (CREATE SEQUENCE, DEFAULT NEXTVAL)', since: [4, 0, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/basic-features: expression indexes are experimental up to
  // v6.1 and GA from v6.5; the JSON functions joined tidb_allow_function_for_expression_index in
  // https://github.com/pingcap/tidb/pull/37738 (2022-09, after v6.1). Allow-list:
  // https://docs.pingcap.com/tidb/v8.5/sql-statement-create-index#expression-index (tidb.md §3.6).
  expressionIndex: { what: 'expression indexes over allow-listed functions', since: [6, 5, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/v8.5/sql-statement-create-index#expression-index: functions outside
  // the allow-list need allow-expression-index in the TiDB configuration file (error 8200 otherwise),
  // which TiDB Cloud does not expose (tidb.md §3.6, §6.4 "expression-index whitelist only").
  // Operators, CAST and CASE are documented as experimental, but the 8200 check looks at function
  // names only (tidb.md §3.6 [src]); test/tidb-execute.test.ts runs CAST expression indexes on a
  // tidb-server with the default configuration.
  expressionIndexAnyFunction: {
    what: 'expression indexes over functions outside tidb_allow_function_for_expression_index',
    cloudStarter: false,
    config: 'allow-expression-index = true in the TiDB configuration file',
  },
  // https://docs.pingcap.com/tidb/v8.5/sql-statement-create-index#multi-valued-indexes; tidb.md §3.7:
  // experimental in v6.6, GA in v7.1.
  multiValuedIndex: { what: 'multi-valued indexes', since: [6, 6, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/foreign-key ("Starting from v6.6.0, TiDB supports foreign
  // key constraints", GA in v8.5.0); earlier versions parse FOREIGN KEY and do not enforce it (tidb.md §4.1).
  foreignKey: { what: 'foreign key enforcement', since: [6, 6, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/constraints#check; tidb.md §4.2: CHECK is enforced from
  // v7.2.0 (with tidb_enable_check_constraint = ON); earlier versions parse and ignore it.
  checkConstraint: { what: 'CHECK constraints', since: [7, 2, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/partitioned-table#key-partitioning; tidb.md §5.4, §9 (v7.0).
  keyPartitioning: { what: 'KEY partitioning', since: [7, 0, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/partitioned-table#default-list-partition; tidb.md §5.4, §9 (v7.3).
  listDefaultPartition: { what: 'a DEFAULT partition in LIST partitioning', since: [7, 3, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/character-set-and-collation; tidb.md §5.9: utf8mb4_0900_ai_ci
  // and utf8mb4_0900_bin from v7.4.0.
  collation0900: { what: 'the utf8mb4_0900_ai_ci and utf8mb4_0900_bin collations', since: [7, 4, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/data-type-default-values ("Starting from v8.0.0, TiDB
  // additionally supports assigning default values to BLOB, TEXT, and JSON data types", expressions only).
  blobJsonDefault: { what: 'defaults on TEXT, BLOB and JSON columns', since: [8, 0, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/stable/vector-search-data-types; tidb.md §1.6: self-managed from
  // v8.4.0, and on TiDB Cloud Starter.
  vectorType: { what: 'the VECTOR type', since: [8, 4, 0], cloudStarter: true },
  // https://docs.pingcap.com/tidb/v8.5/sql-statement-create-index (CREATE INDEX ... WHERE, new in
  // v8.5.7); Starter's 8.5.3-based kernel predates it (tidb.md §0.2, §3.8).
  partialIndex: { what: 'partial indexes', since: [8, 5, 7], cloudStarter: false },
} as const satisfies Record<string, TargetFeature>;

export type TidbFeatureName = keyof typeof TIDB_FEATURES;
export const TIDB_FEATURE_NAMES = Object.keys(TIDB_FEATURES) as TidbFeatureName[];

/** The target a diagnostic names: a self-managed TiDB version (`8.5.0`), or TiDB Cloud Starter. */
export interface FeatureTarget {
  readonly version?: string;
  readonly cloudStarter?: boolean;
}

/** "TiDB v6.6.0 or later is needed for multi-valued indexes; the target is TiDB v6.5.0". */
export function lacksText(feature: TidbFeatureName, t: FeatureTarget): string {
  const row: TargetFeature = TIDB_FEATURES[feature];
  const target = t.cloudStarter === true ? 'TiDB Cloud Starter' : `TiDB v${t.version ?? '8.5.0'}`;
  if (t.cloudStarter === true) return `${target} does not offer ${row.what}${row.since ? ` (self-managed TiDB does from v${row.since.join('.')})` : ''}`;
  if (row.since === undefined) return `${target} allows ${row.what} only with ${row.config ?? 'a configuration change'}, which pg2tidb does not assume`;
  return `TiDB v${row.since.join('.')} or later is needed for ${row.what}; the target is ${target}`;
}
