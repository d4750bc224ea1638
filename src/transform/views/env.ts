import type { TidbType } from '../../ir/tidb.js';
import type { ColumnType, QualifiedName } from '../../ir/types.js';

/**
 * What a view body may name, after every rename: the TiDB tables and views, their columns and
 * types. Plain data, so the differential harness can build one without the transform.
 */
export interface ViewEnv {
  readonly relations: readonly EnvRelation[];
  /** User aggregates that are TiDB's GROUP_CONCAT (sakila's `group_concat`): source name → separator. */
  readonly groupConcat?: readonly { readonly name: QualifiedName; readonly separator: string }[];
  /** The collation text comparisons use in TiDB, for the note on comparisons (default utf8mb4_bin). */
  readonly collation?: string;
  /** How uuid columns are stored (the --uuid option; default char36): casts to uuid are translated only for char36. */
  readonly uuid?: 'char36' | 'binary16';
}

export interface EnvRelation {
  /** The PostgreSQL name (`schema` absent: public). */
  readonly source: QualifiedName;
  readonly database: string;
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly columns: readonly EnvColumn[];
  /** A view left out of the output: a view naming it is left out too, naming why. */
  readonly excluded?: string;
}

export interface EnvColumn {
  /** The PostgreSQL name, as the view body writes it. */
  readonly source: string;
  /** The TiDB name. */
  readonly name: string;
  readonly type?: TidbType;
  readonly pgType?: ColumnType;
  readonly nullable: boolean;
}

export function relationKey(name: QualifiedName): string {
  return `${name.schema ?? 'public'}.${name.name}`;
}
