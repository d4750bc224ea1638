import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import type { CompositeType, Domain, EnumType, Schema, Table } from '../ir/schema.js';
import type { TidbName } from '../ir/tidb.js';
import type { QualifiedName } from '../ir/types.js';
import type { TranslateOptions } from './options.js';
import { own } from '../util/own.js';
import { RenameLog } from './renames.js';

/** What every transform step can see: the whole source schema, the options and the diagnostics. */
export class TransformContext {
  readonly enums = new Map<string, EnumType>();
  readonly domains = new Map<string, Domain>();
  readonly composites = new Map<string, CompositeType>();
  readonly tables = new Map<string, Table>();
  readonly renames: RenameLog;

  constructor(
    readonly schema: Schema,
    readonly options: TranslateOptions,
    readonly diagnostics: DiagnosticBag,
    renames?: RenameLog,
  ) {
    this.renames = renames ?? new RenameLog(diagnostics);
    for (const e of schema.enums) this.enums.set(key(e.name), e);
    for (const d of schema.domains) this.domains.set(key(d.name), d);
    for (const c of schema.composites) this.composites.set(key(c.name), c);
    for (const t of schema.tables) this.tables.set(key(t.name), t);
  }

  /** The TiDB database a PostgreSQL schema maps to. */
  database(schema: string | undefined): string {
    return databaseFor(this.options, schema);
  }

  tidbName(name: QualifiedName): TidbName {
    return { database: this.database(name.schema), name: name.name };
  }
}

/** The TiDB database a PostgreSQL schema maps to (`--database`, service folders). */
export function databaseFor(options: TranslateOptions, schema: string | undefined): string {
  const s = schema ?? 'public';
  return own(options.databaseMap, s) ?? s;
}

export function key(name: QualifiedName): string {
  return `${name.schema ?? 'public'}.${name.name}`;
}

export function display(name: QualifiedName): string {
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}
