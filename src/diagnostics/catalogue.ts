export type Severity = 'error' | 'warning' | 'info';

export interface CatalogueEntry {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  /** Default advice; a diagnostic may carry a more specific one. */
  readonly fix?: string;
}

/**
 * Every diagnostic the compiler can produce, by stable id. Codes never change meaning:
 * PGT0xxx input, PGT1xxx statements and objects, PGT2xxx types, PGT3xxx defaults,
 * PGT4xxx keys and indexes, PGT5xxx constraints, PGT6xxx names, PGT7xxx tables and partitions,
 * PGT8xxx data (`pg2tidb data`).
 */
export const CATALOGUE = {
  'input-error': { code: 'PGT0001', severity: 'error', title: 'input cannot be read' },
  'syntax-error': { code: 'PGT0002', severity: 'error', title: 'syntax error', fix: 'Fix the statement; the rest of the file was still translated.' },
  'unresolved-reference': { code: 'PGT0003', severity: 'warning', title: 'reference cannot be resolved' },
  'unsupported-syntax': { code: 'PGT0004', severity: 'warning', title: 'construct not understood' },
  'duplicate-object': { code: 'PGT0005', severity: 'warning', title: 'object defined twice' },

  'psql-meta-command': { code: 'PGT1001', severity: 'info', title: 'psql meta-command removed', fix: 'psql commands have no meaning to TiDB; use `USE db` or the connection settings instead.' },
  'session-setting': { code: 'PGT1002', severity: 'info', title: 'session setting not translated' },
  'data-not-translated': { code: 'PGT1003', severity: 'warning', title: 'data statements are not translated by this command', fix: 'Load data separately (e.g. TiDB Lightning, or a dump converted to MySQL syntax) after the schema exists.' },
  'ownership-not-translated': { code: 'PGT1004', severity: 'info', title: 'ownership not translated', fix: 'TiDB has no object owners; grant privileges to users instead.' },
  'privilege-not-translated': { code: 'PGT1005', severity: 'warning', title: 'privileges not translated', fix: 'Recreate users and GRANTs for TiDB by hand (MySQL privilege model).' },
  'object-not-supported': { code: 'PGT1006', severity: 'warning', title: 'TiDB cannot hold this object', fix: 'Move this logic into the application.' },
  'view-not-translated': { code: 'PGT1007', severity: 'warning', title: 'view body not translated', fix: 'Rewrite the query in MySQL syntax and create the view after the tables.' },
  'extension-implies': { code: 'PGT1008', severity: 'info', title: 'extension' },
  'statement-ignored': { code: 'PGT1009', severity: 'info', title: 'statement has no schema effect' },
  'sequence-folded': { code: 'PGT1010', severity: 'info', title: 'sequence folded into AUTO_INCREMENT' },
  'sequence-translated': { code: 'PGT1011', severity: 'info', title: 'sequence kept as a TiDB SEQUENCE', fix: 'TiDB caches 1000 values per node by default, so values are not monotonic across nodes; add NOCACHE if order matters.' },
  'schema-to-database': { code: 'PGT1012', severity: 'info', title: 'PostgreSQL schema becomes a TiDB database' },
  'type-object-inlined': { code: 'PGT1013', severity: 'info', title: 'type object inlined into columns' },
  'drop-applied': { code: 'PGT1014', severity: 'info', title: 'DROP statement' },
  'target-feature': { code: 'PGT1015', severity: 'warning', title: 'the target TiDB lacks a feature', fix: 'Target a newer TiDB (tidbVersion), or accept the fallback described.' },

  'lossy-type': { code: 'PGT2001', severity: 'warning', title: 'type mapping loses information' },
  'unsupported-type': { code: 'PGT2002', severity: 'warning', title: 'type has no TiDB equivalent' },
  'type-choice': { code: 'PGT2003', severity: 'info', title: 'type chosen by usage' },
  'unbounded-numeric': { code: 'PGT2004', severity: 'warning', title: 'numeric without precision', fix: 'Declare numeric(p,s) in PostgreSQL, or override the mapping; DECIMAL(65,30) holds at most 35 integer digits.' },
  'timestamptz': { code: 'PGT2005', severity: 'warning', title: 'timestamp with time zone' },
  'identity-lossy': { code: 'PGT2006', severity: 'warning', title: 'identity options lost' },
  'array-to-json': { code: 'PGT2007', severity: 'warning', title: 'array stored as JSON', fix: 'Rewrite queries: = ANY(col) -> MEMBER OF(col), @> -> JSON_CONTAINS, && -> JSON_OVERLAPS.' },

  'default-dropped': { code: 'PGT3001', severity: 'warning', title: 'default cannot be kept', fix: 'Set the value in the application, or use a default TiDB allows.' },
  'default-semantics': { code: 'PGT3002', severity: 'info', title: 'default behaves differently' },
  'default-rewritten': { code: 'PGT3003', severity: 'info', title: 'default rewritten as an expression' },
  'python-side-default': { code: 'PGT3004', severity: 'info', title: 'default applied by SQLAlchemy in Python', fix: 'Nothing to do: SQLAlchemy applies it on TiDB as on PostgreSQL; neither database has it in its DDL.' },

  'index-method': { code: 'PGT4001', severity: 'warning', title: 'index method not available' },
  'index-dropped': { code: 'PGT4002', severity: 'warning', title: 'index cannot be kept' },
  'partial-index': { code: 'PGT4003', severity: 'warning', title: 'partial index' },
  'expression-index': { code: 'PGT4004', severity: 'info', title: 'expression index rewritten' },
  'index-key-too-long': { code: 'PGT4005', severity: 'warning', title: 'index key longer than 3072 bytes' },
  'index-order-ignored': { code: 'PGT4006', severity: 'info', title: 'index order and NULLS placement ignored' },
  'index-include': { code: 'PGT4007', severity: 'info', title: 'INCLUDE columns' },
  'index-opclass': { code: 'PGT4008', severity: 'info', title: 'operator class ignored' },
  'multi-valued-index': { code: 'PGT4009', severity: 'info', title: 'GIN index on an array kept as a multi-valued index', fix: 'Queries must use MEMBER OF / JSON_CONTAINS / JSON_OVERLAPS to use it.' },
  'primary-key-folded': { code: 'PGT4010', severity: 'info', title: 'primary key moved into CREATE TABLE' },
  'too-many-indexes': { code: 'PGT4011', severity: 'error', title: 'more than 64 indexes on a table' },

  'fk-action-changed': { code: 'PGT5001', severity: 'warning', title: 'foreign-key action changed' },
  'fk-deferrable': { code: 'PGT5002', severity: 'warning', title: 'deferrable constraint', fix: 'TiDB checks constraints immediately: insert parents first, or disable foreign_key_checks during bulk loads.' },
  'check-constraint-off': { code: 'PGT5003', severity: 'warning', title: 'CHECK constraints are not enforced by default', fix: 'Run SET GLOBAL tidb_enable_check_constraint = ON before applying the schema, or TiDB drops every CHECK with only a warning.' },
  'check-dropped': { code: 'PGT5004', severity: 'warning', title: 'CHECK constraint cannot be kept' },
  'exclude-constraint': { code: 'PGT5005', severity: 'warning', title: 'exclusion constraint not supported', fix: 'Enforce the rule in the application, or with a slot table and a UNIQUE key.' },
  'fk-type-aligned': { code: 'PGT5006', severity: 'warning', title: 'foreign-key column type changed to match the parent' },
  'fk-dropped': { code: 'PGT5007', severity: 'warning', title: 'foreign key cannot be kept' },
  'constraint-not-valid': { code: 'PGT5008', severity: 'info', title: 'NOT VALID constraint' },
  'nulls-not-distinct': { code: 'PGT5009', severity: 'warning', title: 'NULLS NOT DISTINCT' },
  'fk-parent-index': { code: 'PGT5010', severity: 'info', title: 'index added for a foreign key' },

  'identifier-shortened': { code: 'PGT6001', severity: 'warning', title: 'identifier longer than 64 characters shortened' },
  'name-collision': { code: 'PGT6002', severity: 'error', title: 'names collide in TiDB' },
  'collation-equality': { code: 'PGT6003', severity: 'warning', title: 'collation changes which keys are equal' },
  'comment-too-long': { code: 'PGT6004', severity: 'warning', title: 'comment truncated' },
  'identifier-invalid': { code: 'PGT6005', severity: 'error', title: 'identifier TiDB rejects' },

  'partition-not-supported': { code: 'PGT7001', severity: 'warning', title: 'partitioning cannot be kept' },
  'partition-converted': { code: 'PGT7002', severity: 'info', title: 'partitions declared inline' },
  'inheritance': { code: 'PGT7003', severity: 'warning', title: 'table inheritance flattened' },
  'table-persistence': { code: 'PGT7004', severity: 'info', title: 'UNLOGGED/TEMPORARY ignored' },
  'generated-column': { code: 'PGT7005', severity: 'warning', title: 'generated column cannot be kept' },
  'empty-table': { code: 'PGT7006', severity: 'warning', title: 'table without columns' },

  'data-unrepresentable': { code: 'PGT8001', severity: 'error', title: 'value TiDB cannot hold', fix: 'Fix the value in PostgreSQL, override the column type, or choose --on-unrepresentable null|skip-row.' },
  'data-row-malformed': { code: 'PGT8002', severity: 'error', title: 'data row cannot be read' },
  'data-table-mismatch': { code: 'PGT8003', severity: 'error', title: 'data for a table or column the schema does not have', fix: 'Give the schema (pg_dump --schema-only output or the DDL) together with the data.' },
  'data-statement-skipped': { code: 'PGT8004', severity: 'warning', title: 'data statement not replayed' },
} as const satisfies Record<string, CatalogueEntry>;

export type DiagnosticId = keyof typeof CATALOGUE;
