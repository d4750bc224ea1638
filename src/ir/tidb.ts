import type { SourceSpan } from '../diagnostics/span.js';

/**
 * The target-side IR: a TiDB schema exactly as it will be emitted. The transform decides
 * everything in here; backends (TiDB DDL, Alembic, SQL migrations, TypeScript) only print it.
 * Expressions are already MySQL/TiDB SQL text.
 */
export interface TidbSchema {
  readonly databases: readonly TidbDatabase[];
  readonly sequences: readonly TidbSequence[];
  /** In creation order: every table after the tables its inline foreign keys reference. */
  readonly tables: readonly TidbTable[];
  /** Foreign keys that close a reference cycle, added after all tables exist. */
  readonly deferredForeignKeys: readonly { readonly table: TidbName; readonly foreignKey: TidbForeignKey }[];
  /** Views, created after all tables, each after the views it reads. */
  readonly views?: readonly TidbView[];
  /** Materialized views, each a table in `tables` that a refresh script fills from its query. */
  readonly materializedViews?: readonly TidbMaterializedView[];
}

export interface TidbView {
  readonly name: TidbName;
  /** The explicit column list `CREATE VIEW v (a, b)` is printed with. */
  readonly columns: readonly string[];
  /**
   * Per column of `columns`: its TiDB type where the select list gives one (absent: not inferable),
   * whether it can be NULL, and `orType`, the type TiDB itself may give it instead (an integer
   * expression is BIGINT on TiDB whatever its operands), so a reader may get either.
   */
  readonly columnTypes?: readonly { readonly type?: TidbType; readonly orType?: TidbType; readonly nullable: boolean }[];
  /** The query, TiDB SQL. */
  readonly sql: string;
  /** Tables and views it reads. */
  readonly dependencies: readonly TidbName[];
  readonly span?: SourceSpan;
}

export interface TidbMaterializedView {
  /** The table that holds its rows. */
  readonly table: TidbName;
  readonly columns: readonly string[];
  /** The query that refills the table, TiDB SQL. */
  readonly sql: string;
}

export interface TidbName {
  readonly database: string;
  readonly name: string;
}

export interface TidbDatabase {
  readonly name: string;
  readonly charset: 'utf8mb4';
  readonly collation: string;
  /** The PostgreSQL schema (or service folder) it came from. */
  readonly source: string;
}

export interface TidbSequence {
  readonly name: TidbName;
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
  readonly span?: SourceSpan;
}

export type TidbBaseType =
  | 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT'
  | 'DECIMAL' | 'FLOAT' | 'DOUBLE'
  | 'BOOLEAN'
  | 'CHAR' | 'VARCHAR' | 'TEXT' | 'MEDIUMTEXT' | 'LONGTEXT'
  | 'BINARY' | 'VARBINARY' | 'BLOB' | 'MEDIUMBLOB' | 'LONGBLOB'
  | 'JSON'
  | 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP' | 'YEAR'
  | 'BIT'
  | 'ENUM'
  | 'VECTOR';

export interface TidbType {
  readonly base: TidbBaseType;
  /** CHAR/VARCHAR/BINARY/VARBINARY/BIT length, VECTOR dimensions. */
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** Fractional seconds precision of TIME/DATETIME/TIMESTAMP. */
  readonly fsp?: number;
  readonly unsigned?: boolean;
  /** ENUM members. */
  readonly values?: readonly string[];
  readonly charset?: string;
  readonly collation?: string;
}

export type TidbDefault =
  /** A literal TiDB stores as is: `DEFAULT 0`, `DEFAULT 'x'`, `DEFAULT NULL`. */
  | { readonly kind: 'literal'; readonly sql: string }
  /** An expression default, printed in parentheses: `DEFAULT (UUID())`. */
  | { readonly kind: 'expression'; readonly sql: string }
  /** `DEFAULT CURRENT_TIMESTAMP(fsp)`, printed without parentheses. */
  | { readonly kind: 'current-timestamp'; readonly fsp: number }
  | { readonly kind: 'nextval'; readonly sequence: TidbName };

export interface TidbColumn {
  readonly name: string;
  readonly type: TidbType;
  readonly nullable: boolean;
  readonly default?: TidbDefault;
  readonly autoIncrement?: boolean;
  readonly autoRandom?: { readonly shardBits: number; readonly rangeBits?: number };
  /** `ON UPDATE CURRENT_TIMESTAMP(fsp)`. */
  readonly onUpdateCurrentTimestamp?: { readonly fsp: number };
  readonly generated?: { readonly sql: string; readonly stored: boolean };
  readonly comment?: string;
  /** Where the column came from, for the report and for emitters' comments. */
  readonly origin: {
    readonly column: string;
    readonly pgType: string;
    /** The mapping rule that decided the type: a built-in rule id or an override's name. */
    readonly rule: string;
    /** Set when a configured type override matched the column: its index in `typeOverrides`. */
    readonly override?: number;
    /** The built-in rule's decision when an override replaced the type (for `explain`). */
    readonly builtin?: { readonly rule: string; readonly type: TidbType };
    /** Set when pg2tidb chose the length itself (text -> VARCHAR(n), bytea -> VARBINARY(n)): key fitting shortens these before lengths the user declared. */
    readonly lengthChosen?: true;
    readonly span?: SourceSpan;
  };
}

export type TidbKeyPart =
  | { readonly column: string; readonly length?: number }
  | { readonly expr: string };

export interface TidbIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly parts: readonly TidbKeyPart[];
  readonly comment?: string;
  /** A multi-valued index over a JSON array (`CAST(... AS ... ARRAY)`). */
  readonly multiValued?: boolean;
  /**
   * Partial-index predicate (TiDB v8.5.7+), already TiDB SQL. TiDB's grammar accepts WHERE only in
   * CREATE INDEX / ALTER TABLE ADD INDEX, so such an index is printed as its own statement.
   */
  readonly where?: string;
  readonly span?: SourceSpan;
}

export interface TidbPrimaryKey {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly clustered: boolean;
}

export type TidbFkAction = 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'NO ACTION';

export interface TidbForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: TidbName;
  readonly refColumns: readonly string[];
  readonly onDelete?: TidbFkAction;
  readonly onUpdate?: TidbFkAction;
  readonly span?: SourceSpan;
}

export interface TidbCheck {
  readonly name?: string;
  readonly sql: string;
  readonly span?: SourceSpan;
}

export interface TidbPartitioning {
  readonly method: 'RANGE' | 'RANGE COLUMNS' | 'LIST' | 'LIST COLUMNS' | 'HASH' | 'KEY';
  /** Column list or expression, already SQL. */
  readonly expr: string;
  readonly partitions: readonly { readonly name: string; readonly bound: string }[];
  /** For HASH/KEY without explicit partitions. */
  readonly count?: number;
}

export interface TidbTable {
  readonly name: TidbName;
  readonly columns: readonly TidbColumn[];
  readonly primaryKey?: TidbPrimaryKey;
  readonly indexes: readonly TidbIndex[];
  readonly foreignKeys: readonly TidbForeignKey[];
  readonly checks: readonly TidbCheck[];
  readonly comment?: string;
  readonly partitioning?: TidbPartitioning;
  readonly autoIncrementStart?: string;
  /** The PostgreSQL table it came from (schema.table). */
  readonly source: string;
  readonly span?: SourceSpan;
}
