/**
 * Per table, how each PostgreSQL column's text becomes its TiDB value: the scalar row of
 * VALUE_CONVERTERS for the column's PostgreSQL type, applied to the TiDB type the schema
 * translation decided (`result.tidb`), through arrays, domains, enums and composites.
 */
import type { Schema, Table } from '../ir/schema.js';
import type { TidbColumn, TidbTable, TidbType } from '../ir/tidb.js';
import type { ColumnType } from '../ir/types.js';
import { key } from '../transform/context.js';
import { columnRenames } from '../transform/rename.js';
import { parsePgArray, parsePgRecord, PgTextError, type PgArray } from './pg-text.js';
import { fitTarget, Unrepresentable, VALUE_CONVERTERS, type Converted } from './values.js';
import { fastConverter, type FastConvert } from './fast-values.js';

export type ColumnConvert = (text: string) => Converted;
type JsonConvert = (text: string) => string | Unrepresentable;

export interface ColumnPlan {
  /** The PostgreSQL column name as COPY and INSERT name it. */
  readonly pgName: string;
  readonly tidb: TidbColumn;
  readonly convert: ColumnConvert;
  /** Generated in TiDB: the dump's value is left out and TiDB computes it. */
  readonly generated: boolean;
  /** The byte-level converter for the usual forms of the value (fast-values.ts); `convert` does the rest. */
  readonly fast: FastConvert | undefined;
}

export interface TablePlan {
  readonly pg: Table;
  readonly tidb: TidbTable;
  /** Subject for diagnostics: schema.table. */
  readonly subject: string;
  readonly columns: ReadonlyMap<string, ColumnPlan>;
  /** PostgreSQL column order, for INSERTs without a column list and COPY without one. */
  readonly pgOrder: readonly string[];
}

class TypeResolver {
  private readonly enums = new Map<string, readonly string[]>();
  private readonly domains = new Map<string, ColumnType>();
  private readonly composites = new Map<string, readonly { name: string; type: ColumnType }[]>();

  constructor(schema: Schema) {
    for (const e of schema.enums) this.enums.set(key(e.name), e.values);
    for (const d of schema.domains) this.domains.set(key(d.name), d.type);
    for (const c of schema.composites) this.composites.set(key(c.name), c.attributes);
  }

  /** A domain's base type (the fast paths key on it); other types as they are. */
  resolve(type: ColumnType, depth = 0): ColumnType {
    if (type.kind !== 'user' || depth >= 10) return type;
    const domain = this.domains.get(key(type.name));
    return domain ? this.resolve(domain, depth + 1) : type;
  }

  /** The converter of a value of `type` into a column of `target`. */
  column(type: ColumnType, target: TidbType, depth = 0): ColumnConvert {
    const fit = (conv: (text: string) => Converted): ColumnConvert => (text) => {
      const v = conv(text);
      return v instanceof Unrepresentable ? v : fitTarget(v, target);
    };
    switch (type.kind) {
      case 'scalar': {
        const row = VALUE_CONVERTERS[type.name];
        return fit((text) => row.toTidb(text, target));
      }
      case 'array': {
        const element = this.json(type.element, depth);
        return fit((text) => arrayToJson(text, element));
      }
      case 'user': {
        const k = key(type.name);
        const domain = this.domains.get(k);
        if (domain && depth < 10) return this.column(domain, target, depth + 1);
        const attrs = this.composites.get(k);
        if (attrs && depth < 10) {
          const conv = attrs.map((a) => ({ name: a.name, json: this.json(a.type, depth + 1) }));
          return fit((text) => recordToJson(text, conv));
        }
        // Enums and unknown types: the text, checked against the decided type (ENUM members, VARCHAR length).
        return fit((text) => text);
      }
      case 'unsupported':
        return fit((text) => text);
    }
  }

  /** The JSON value of an array element or composite attribute of `type`. */
  json(type: ColumnType, depth = 0): JsonConvert {
    switch (type.kind) {
      case 'scalar': {
        const row = VALUE_CONVERTERS[type.name];
        return row.toJson ?? ((t) => JSON.stringify(t));
      }
      case 'array': {
        const element = this.json(type.element, depth);
        return (text) => arrayToJson(text, element);
      }
      case 'user': {
        const k = key(type.name);
        const domain = this.domains.get(k);
        if (domain && depth < 10) return this.json(domain, depth + 1);
        const attrs = this.composites.get(k);
        if (attrs && depth < 10) {
          const conv = attrs.map((a) => ({ name: a.name, json: this.json(a.type, depth + 1) }));
          return (text) => recordToJson(text, conv);
        }
        return (text) => JSON.stringify(text);
      }
      case 'unsupported':
        return (text) => JSON.stringify(text);
    }
  }
}

/** A PostgreSQL array's text -> a JSON array (nested for each dimension, NULL elements as null). */
function arrayToJson(text: string, element: JsonConvert): string | Unrepresentable {
  let parsed: PgArray;
  try {
    parsed = parsePgArray(text);
  } catch (e) {
    if (e instanceof PgTextError) return new Unrepresentable(`array text: ${e.message}`);
    throw e;
  }
  let failure: Unrepresentable | undefined;
  const out = (items: PgArray): string =>
    `[${items
      .map((item) => {
        if (item === null) return 'null';
        if (typeof item !== 'string') return out(item);
        const v = element(item);
        if (v instanceof Unrepresentable) {
          failure ??= new Unrepresentable(`array element: ${v.reason}`);
          return 'null';
        }
        return v;
      })
      .join(', ')}]`;
  const json = out(parsed);
  return failure ?? json;
}

function recordToJson(text: string, attrs: readonly { name: string; json: JsonConvert }[]): string | Unrepresentable {
  let fields: (string | null)[];
  try {
    fields = parsePgRecord(text);
  } catch (e) {
    if (e instanceof PgTextError) return new Unrepresentable(`composite text: ${e.message}`);
    throw e;
  }
  if (fields.length !== attrs.length) return new Unrepresentable(`composite value has ${fields.length} fields, the type ${attrs.length}`);
  const parts: string[] = [];
  for (const [i, a] of attrs.entries()) {
    const f = fields[i]!;
    const v = f === null ? 'null' : a.json(f);
    if (v instanceof Unrepresentable) return new Unrepresentable(`attribute ${a.name}: ${v.reason}`);
    parts.push(`${JSON.stringify(a.name)}: ${v}`);
  }
  return `{${parts.join(', ')}}`;
}

/** Columns under a multi-valued index (`CAST(\`col\`->'$' AS ... ARRAY)`). */
function multiValuedColumns(table: TidbTable): Set<string> {
  const out = new Set<string>();
  for (const index of table.indexes) {
    if (!index.multiValued) continue;
    for (const part of index.parts) {
      const m = 'expr' in part ? /^CAST\(`((?:[^`]|``)+)`/.exec(part.expr) : undefined;
      if (m) out.add(m[1]!.replace(/``/g, '`'));
    }
  }
  return out;
}

/** TiDB refuses a row whose value a multi-valued index cannot cast (3903): nested arrays and null elements. */
function flatArrayOnly(convert: ColumnConvert): ColumnConvert {
  return (text) => {
    const v = convert(text);
    if (typeof v !== 'string') return v;
    const items = JSON.parse(v) as unknown;
    if (Array.isArray(items) && items.every((x) => x !== null && typeof x !== 'object')) return v;
    return new Unrepresentable('the column has a multi-valued index, which holds only flat arrays without NULL elements');
  };
}

/**
 * Table plans keyed by the PostgreSQL table (`schema.table`); partitions are routed to the
 * table TiDB holds them in.
 */
export function planTables(schema: Schema, tables: readonly TidbTable[]): Map<string, TablePlan> {
  const resolver = new TypeResolver(schema);
  const pgByDisplay = new Map<string, Table>();
  for (const t of schema.tables) {
    pgByDisplay.set(key(t.name), t);
    if (!t.name.schema) pgByDisplay.set(t.name.name, t);
  }
  const plans = new Map<string, TablePlan>();
  for (const tidb of tables) {
    const pg = pgByDisplay.get(tidb.source) ?? pgByDisplay.get(`public.${tidb.source}`);
    if (!pg) continue;
    // Columns the schema translation renamed (TiDB rejects a trailing space) are found by their TiDB-side origin name.
    const renames = columnRenames(pg);
    const byPg = new Map(pg.columns.map((c) => [renames.get(c.name) ?? c.name, c]));
    const multiValued = multiValuedColumns(tidb);
    const columns = new Map<string, ColumnPlan>();
    for (const col of tidb.columns) {
      const source = byPg.get(col.origin.column);
      if (!source) continue;
      const convert = resolver.column(source.type, col.type);
      const flatOnly = multiValued.has(col.name);
      columns.set(source.name, { pgName: source.name, tidb: col, convert: flatOnly ? flatArrayOnly(convert) : convert, generated: col.generated !== undefined, fast: fastConverter(resolver.resolve(source.type), col.type, flatOnly) });
    }
    const plan: TablePlan = { pg, tidb, subject: key(pg.name), columns, pgOrder: pg.columns.filter((c) => !c.generated).map((c) => c.name) };
    plans.set(key(pg.name), plan);
  }
  // Partitions of a table TiDB holds as one partitioned table.
  for (const t of schema.tables) {
    if (!t.partitionOf || plans.has(key(t.name))) continue;
    let parent = plans.get(key(t.partitionOf.parent));
    for (let up = t.partitionOf.parent, depth = 0; !parent && depth < 10; depth++) {
      const next = pgByDisplay.get(key(up))?.partitionOf?.parent;
      if (!next) break;
      parent = plans.get(key(next));
      up = next;
    }
    if (parent) plans.set(key(t.name), { ...parent, pg: { ...parent.pg, columns: t.columns.length ? t.columns : parent.pg.columns }, pgOrder: (t.columns.length ? t.columns : parent.pg.columns).filter((c) => !c.generated).map((c) => c.name) });
  }
  return plans;
}
