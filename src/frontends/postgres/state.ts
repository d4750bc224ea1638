import type { Subject } from '../../diagnostics/subject.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type {
  Column,
  CompositeType,
  Domain,
  EnumType,
  Extension,
  FrontendNote,
  NoteArgs,
  Namespace,
  OtherObject,
  PartitionBound,
  PgAstNode,
  Schema,
  Sequence,
  Table,
  View,
} from '../../ir/schema.js';
import type { ColumnType, Expr, QualifiedName } from '../../ir/types.js';
import { resolveExtensionType } from './types.js';

/** Deeply writable, except values that are replaced whole (expressions, types, spans). */
export type Mutable<T> = T extends string | number | boolean | undefined | null | Expr | ColumnType | PartitionBound | SourceSpan | PgAstNode
  ? T
  : T extends readonly (infer U)[]
    ? Mutable<U>[]
    : { -readonly [K in keyof T]: Mutable<T[K]> };

export type MTable = Mutable<Table> & { columns: Mutable<Column>[] };

/** The schema being built while statements are replayed in order. */
export class SchemaState {
  readonly namespaces = new Map<string, Mutable<Namespace>>();
  readonly tables = new Map<string, MTable>();
  readonly enums = new Map<string, Mutable<EnumType>>();
  readonly domains = new Map<string, Mutable<Domain>>();
  readonly composites = new Map<string, Mutable<CompositeType>>();
  readonly sequences = new Map<string, Mutable<Sequence>>();
  readonly views = new Map<string, Mutable<View>>();
  readonly extensions: Extension[] = [];
  readonly others: OtherObject[] = [];
  readonly notes: FrontendNote[] = [];
  /** Indexes by name per schema, to apply COMMENT ON INDEX / DROP INDEX / RENAME. */
  readonly indexOwners = new Map<string, string>();
  searchPath: string[] = ['public'];
  /** Inside CREATE TABLE: implicit names to choose at its end, in PostgreSQL's order (see `defer`). */
  private pending: { check: (() => void)[]; index: (() => void)[]; fkey: (() => void)[] } | undefined;

  /** Runs `assign` now, or at the end of the CREATE TABLE being read, after the earlier phases. */
  defer(phase: 'check' | 'index' | 'fkey', assign: () => void): void {
    if (this.pending) this.pending[phase].push(assign);
    else assign();
  }

  /** Reads one CREATE TABLE: implicit names wait until all its elements are known. */
  withDeferredNames(read: () => void): void {
    const outer = this.pending;
    this.pending = { check: [], index: [], fkey: [] };
    try {
      read();
    } finally {
      const { check, index, fkey } = this.pending;
      this.pending = outer;
      for (const assign of [...check, ...index, ...fkey]) assign();
    }
  }

  key(name: QualifiedName): string {
    return `${name.schema ?? this.creationSchema()}.${name.name}`;
  }

  creationSchema(): string {
    return this.searchPath.find((s) => s !== '' && s !== 'pg_catalog' && s !== '"$user"' && s !== '$user') ?? 'public';
  }

  /** Qualifies a name for creation: an explicit schema wins, else the first search-path entry. */
  qualify(schema: string | undefined, name: string): QualifiedName {
    return { schema: schema ?? this.creationSchema(), name };
  }

  /** Finds an existing object through the search path, as PostgreSQL would. */
  lookup<T>(map: Map<string, T>, schema: string | undefined, name: string): { key: string; value: T } | undefined {
    if (schema !== undefined) {
      const key = `${schema}.${name}`;
      const value = map.get(key);
      return value === undefined ? undefined : { key, value };
    }
    const path = [...this.searchPath.filter((s) => s !== '' && !s.includes('$user')), 'public'];
    for (const s of path) {
      const key = `${s}.${name}`;
      const value = map.get(key);
      if (value !== undefined) return { key, value };
    }
    return undefined;
  }

  ensureNamespace(name: string, span?: SourceSpan): void {
    if (!this.namespaces.has(name)) this.namespaces.set(name, span ? { name, span, origin: 'schema' } : { name, origin: 'schema' });
  }

  note(...[id, data, span, subject]: [...NoteArgs, span?: SourceSpan, subject?: Subject]): void {
    this.notes.push({ id, data, ...(span ? { span } : {}), ...(subject ? { subject } : {}) } as FrontendNote);
  }

  other(obj: OtherObject): void {
    this.others.push(obj);
  }

  freeze(): Schema {
    const userTypeExists = (schema: string | undefined, name: string) =>
      this.lookup(this.enums, schema, name) !== undefined ||
      this.lookup(this.domains, schema, name) !== undefined ||
      this.lookup(this.composites, schema, name) !== undefined;
    const fixUserType = <T extends { type: Column['type'] }>(c: T): T => {
      const type = resolveExtensionType(c.type, userTypeExists);
      return type === c.type ? c : { ...c, type: qualifyUser(type, this) };
    };
    for (const table of this.tables.values()) {
      table.columns = table.columns.map((c) => fixUserType(c));
      table.columns = table.columns.map((c) => ({ ...c, type: qualifyUser(c.type, this) }));
    }
    for (const domain of this.domains.values()) Object.assign(domain, fixUserType(domain));
    for (const composite of this.composites.values()) composite.attributes = composite.attributes.map((a) => fixUserType(a));
    // Every table's schema becomes a namespace, even when no CREATE SCHEMA named it.
    for (const table of this.tables.values()) this.ensureNamespace(table.name.schema ?? 'public');
    return {
      namespaces: [...this.namespaces.values()],
      tables: [...this.tables.values()],
      enums: [...this.enums.values()],
      domains: [...this.domains.values()],
      composites: [...this.composites.values()],
      sequences: [...this.sequences.values()],
      views: [...this.views.values()],
      extensions: this.extensions,
      others: this.others,
      notes: this.notes,
    };
  }
}

/** Gives user types the schema they resolve to, so the transform needs no search path. */
function qualifyUser(type: Column['type'], state: SchemaState): Column['type'] {
  if (type.kind === 'array') {
    const element = qualifyUser(type.element, state);
    return element === type.element ? type : { ...type, element };
  }
  if (type.kind !== 'user' || type.name.schema !== undefined) return type;
  const found =
    state.lookup(state.enums, undefined, type.name.name) ??
    state.lookup(state.domains, undefined, type.name.name) ??
    state.lookup(state.composites, undefined, type.name.name);
  if (!found) return type;
  const schema = found.key.slice(0, found.key.length - type.name.name.length - 1);
  return { ...type, name: { schema, name: type.name.name } };
}
