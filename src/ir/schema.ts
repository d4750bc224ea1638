import type { FrontendId, PayloadOf } from '../diagnostics/catalogue.js';
import type { SourceSpan } from '../diagnostics/span.js';
import type { Subject } from '../diagnostics/subject.js';
import type { ColumnType, Expr, QualifiedName } from './types.js';

/**
 * The source-side schema IR: the final state a PostgreSQL schema describes, after every
 * ALTER, COMMENT ON and OWNED BY has been applied. Both frontends (PostgreSQL DDL and
 * SQLAlchemy models) produce it. Plain readonly data, JSON-serialisable.
 */
export interface Schema {
  readonly namespaces: readonly Namespace[];
  readonly tables: readonly Table[];
  readonly enums: readonly EnumType[];
  readonly domains: readonly Domain[];
  readonly composites: readonly CompositeType[];
  readonly sequences: readonly Sequence[];
  readonly views: readonly View[];
  readonly extensions: readonly Extension[];
  /** Input that is not schema (session settings, data, privileges) or that TiDB cannot hold. */
  readonly others: readonly OtherObject[];
  /** Problems found while reading the input (syntax errors, unresolved references). */
  readonly notes: readonly FrontendNote[];
}

export interface Spanned {
  readonly span?: SourceSpan;
}

export interface Namespace extends Spanned {
  readonly name: string;
  readonly comment?: string;
  /** A database created from a folder mapping or a CREATE DATABASE, rather than a PG schema. */
  readonly origin?: 'schema' | 'database';
}

export interface Identity {
  /** serial: the serial pseudo-type or a nextval() default on an owned sequence. */
  readonly kind: 'serial' | 'always' | 'by-default';
  readonly sequence?: QualifiedName;
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
}

export interface Column extends Spanned {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly default?: Expr;
  readonly defaultSpan?: SourceSpan;
  readonly identity?: Identity;
  readonly generated?: { readonly expr: Expr; readonly stored: boolean };
  readonly collation?: string;
  readonly comment?: string;
  /** Python-side behaviour with no DDL (SQLAlchemy `default=`/`onupdate=`). */
  readonly onUpdate?: Expr;
}

export interface KeyConstraint extends Spanned {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly include?: readonly string[];
  readonly nullsNotDistinct?: boolean;
  readonly deferrable?: boolean;
  /** PostgreSQL 18 `WITHOUT OVERLAPS` on the last column: equal other columns, periods that do not overlap. */
  readonly withoutOverlaps?: boolean;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey extends Spanned {
  readonly name?: string;
  readonly columns: readonly string[];
  readonly refTable: QualifiedName;
  /** Empty when the input named none: the referenced table's primary key. */
  readonly refColumns: readonly string[];
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match?: 'full' | 'partial' | 'simple';
  readonly deferrable?: boolean;
  readonly initiallyDeferred?: boolean;
  readonly notValid?: boolean;
  /** PostgreSQL 18 `PERIOD` on the last column of both sides: the parent's periods must cover the child's. */
  readonly period?: boolean;
}

export interface CheckConstraint extends Spanned {
  readonly name?: string;
  readonly expr: Expr;
  readonly noInherit?: boolean;
  readonly notValid?: boolean;
  /** Set when the check came from a domain, for the report. */
  readonly fromDomain?: string;
}

export interface ExcludeConstraint extends Spanned {
  readonly name?: string;
  /** The constraint as PostgreSQL text, for the report. */
  readonly text: string;
  /** The index method (`btree` when the input names none, as in PostgreSQL). */
  readonly method: string;
  /** Each element and the operator it is compared with (`=`, `&&`, ...). */
  readonly elements: readonly (IndexKey & { readonly operator: string })[];
  readonly include: readonly string[];
  readonly where?: Expr;
}

export interface IndexKey {
  readonly column?: string;
  readonly expr?: Expr;
  readonly desc?: boolean;
  readonly nullsFirst?: boolean;
  readonly opclass?: string;
  readonly collation?: string;
}

export interface Index extends Spanned {
  readonly name?: string;
  readonly unique: boolean;
  readonly method: string;
  readonly keys: readonly IndexKey[];
  readonly include: readonly string[];
  readonly where?: Expr;
  readonly nullsNotDistinct?: boolean;
  readonly comment?: string;
}

export interface PartitionSpec extends Spanned {
  readonly strategy: 'range' | 'list' | 'hash';
  readonly keys: readonly IndexKey[];
}

export type PartitionBound =
  | { readonly kind: 'range'; readonly from: readonly Expr[]; readonly to: readonly Expr[] }
  | { readonly kind: 'list'; readonly values: readonly Expr[] }
  | { readonly kind: 'hash'; readonly modulus: number; readonly remainder: number }
  | { readonly kind: 'default' };

export interface Table extends Spanned {
  readonly name: QualifiedName;
  readonly columns: readonly Column[];
  readonly primaryKey?: KeyConstraint;
  readonly uniques: readonly KeyConstraint[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly CheckConstraint[];
  readonly excludes: readonly ExcludeConstraint[];
  readonly indexes: readonly Index[];
  readonly comment?: string;
  readonly partitionBy?: PartitionSpec;
  /** Set on a partition child: its parent and bound. */
  readonly partitionOf?: { readonly parent: QualifiedName; readonly bound: PartitionBound; readonly span?: SourceSpan };
  readonly inherits: readonly QualifiedName[];
  readonly persistence: 'permanent' | 'unlogged' | 'temporary';
  /** Options the source set that have no schema meaning in TiDB (WITH (...), TABLESPACE, OWNER). */
  readonly options?: readonly string[];
}

export interface EnumType extends Spanned {
  readonly name: QualifiedName;
  readonly values: readonly string[];
  readonly comment?: string;
}

export interface Domain extends Spanned {
  readonly name: QualifiedName;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly default?: Expr;
  readonly checks: readonly CheckConstraint[];
  readonly collation?: string;
  readonly comment?: string;
}

export interface CompositeType extends Spanned {
  readonly name: QualifiedName;
  readonly attributes: readonly { readonly name: string; readonly type: ColumnType }[];
}

export interface Sequence extends Spanned {
  readonly name: QualifiedName;
  readonly dataType?: string;
  readonly start?: string;
  readonly increment?: string;
  readonly minValue?: string;
  readonly maxValue?: string;
  readonly cache?: string;
  readonly cycle?: boolean;
  readonly ownedBy?: { readonly table: QualifiedName; readonly column: string };
}

/** A libpg-query parse-tree node as JSON (`{ SelectStmt: {...} }`), plain data. */
export type PgAstNode = { readonly [key: string]: unknown };

export interface View extends Spanned {
  readonly name: QualifiedName;
  readonly materialized: boolean;
  /** The query as PostgreSQL text, for messages. */
  readonly query: string;
  readonly comment?: string;
  /**
   * The query's parse tree, every `location` an offset in the file text (UTF-16 units, as
   * `SourceSpan.offset`); absent when the frontend does not parse SQL.
   */
  readonly select?: PgAstNode;
  /** The explicit column list: `CREATE VIEW v (a, b)`, `CREATE MATERIALIZED VIEW m (a, b)`. */
  readonly columns?: readonly string[];
  /** The statement as written (`span` is where it starts), so positions inside it can be reported. */
  readonly text?: string;
  readonly checkOption?: 'local' | 'cascaded';
  /** Schemas an unqualified name in the query resolves through, in order (the search_path when it was created). */
  readonly searchPath?: readonly string[];
}

export interface Extension extends Spanned {
  readonly name: string;
  readonly schema?: string;
}

/** Kinds of input that are recognised but are not tables, types or sequences. */
export type OtherKind =
  | 'session-setting'
  | 'psql-meta-command'
  | 'data'
  | 'select'
  | 'ownership'
  | 'privilege'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'aggregate'
  | 'operator'
  | 'policy'
  | 'row-level-security'
  | 'rule'
  | 'event-trigger'
  | 'cast'
  | 'collation'
  | 'text-search'
  | 'foreign-data'
  | 'publication'
  /** A PostgreSQL large object (pg_largeobject): bytes outside any table. */
  | 'large-object'
  | 'statistics'
  | 'role'
  | 'database'
  | 'transaction'
  | 'drop'
  | 'table-as'
  | 'alter-other'
  | 'comment-other'
  | 'python-side'
  /** A Sequence that SQLAlchemy calls nextval() on itself (no DDL default). */
  | 'python-sequence'
  | 'other';

export interface OtherObject extends Spanned {
  readonly kind: OtherKind;
  /** The statement's kind as the source names it, e.g. "CREATE FUNCTION". */
  readonly statement: string;
  readonly name?: string;
  readonly detail?: string;
  /** python-sequence: the sequence SQLAlchemy draws the column's values from. */
  readonly sequence?: string;
  /** python-side: the Python value SQLAlchemy applies, and whether a server_default is the DDL default too. */
  readonly python?: { readonly value: string; readonly serverDefault: boolean };
  /** CREATE TRIGGER, kept so transform can recognise patterns TiDB has natively. */
  readonly trigger?: TriggerInfo;
  /** CREATE FUNCTION/PROCEDURE: its body, to recognise trigger patterns and name what it touches. */
  readonly routine?: RoutineInfo;
  /** CREATE AGGREGATE, kept so transform can recognise aggregates TiDB has built in. */
  readonly aggregate?: AggregateInfo;
}

export interface AggregateInfo {
  readonly name: QualifiedName;
  /** Argument type names as written (`text`). */
  readonly args: readonly string[];
  /** Definition options by lower-case name (`sfunc`, `stype`, `initcond`, ...), values as written. */
  readonly options: Readonly<Record<string, string>>;
}

export interface TriggerInfo {
  readonly table: QualifiedName;
  readonly timing: 'before' | 'after' | 'instead-of';
  readonly events: readonly ('insert' | 'update' | 'delete' | 'truncate')[];
  readonly forEachRow: boolean;
  readonly function: QualifiedName;
  /** `UPDATE OF` columns; empty for every column. */
  readonly columns: readonly string[];
  readonly hasWhen: boolean;
}

export interface RoutineInfo {
  readonly name: QualifiedName;
  readonly language?: string;
  readonly body?: string;
  readonly returnsTrigger: boolean;
}

/** A diagnostic a frontend gives while reading: its id with that id's payload. */
export type FrontendNote = Spanned & { readonly subject?: Subject } & { readonly [K in FrontendId]: { readonly id: K; readonly data: PayloadOf<K> } }[FrontendId];
/** A frontend note's id and payload, checked against each other (a union id needs its own payload). */
export type NoteArgs = { readonly [K in FrontendId]: [id: K, data: PayloadOf<K>] }[FrontendId];
