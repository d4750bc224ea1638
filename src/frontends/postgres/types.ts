import type { Node, TypeName } from '@pgsql/types';
import type { ColumnType, ScalarTypeName } from '../../ir/types.js';
import { SCALAR_TYPES } from '../../ir/types.js';
import { PG_SERIAL_TYPES, PG_TYPE_ALIASES } from '../../ir/pg-type-aliases.js';
import { own } from '../../util/own.js';

/** The grammar's names folded to the canonical names of the IR (the shared alias table, src/ir/pg-type-aliases.ts). */
const ALIASES: Record<string, ScalarTypeName> = {
  ...PG_TYPE_ALIASES,
  // pg_catalog.char is the one-byte "char"; CHAR(n) arrives as bpchar.
  char: '"char"',
};
for (const name of SCALAR_TYPES) ALIASES[name] ??= name;

/**
 * Internal names the grammar produces for built-in types. An unqualified name outside this set
 * (a quoted "int", "decimal", "citext") may be a user type and is resolved once the schema is known.
 */
const CATALOG_NAMES = new Set([
  'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'money', 'oid', 'xid', 'pg_lsn',
  'varchar', 'bpchar', 'text', 'name', 'char', 'bytea', 'bool', 'uuid', 'json', 'jsonb', 'xml',
  'bit', 'varbit', 'inet', 'cidr', 'macaddr', 'macaddr8', 'tsvector', 'tsquery',
  'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval',
  'int4range', 'int8range', 'numrange', 'daterange', 'tsrange', 'tstzrange',
  'int4multirange', 'int8multirange', 'nummultirange', 'datemultirange', 'tsmultirange', 'tstzmultirange',
  'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle',
  'regclass', 'regtype', 'regproc', 'regprocedure', 'regoper', 'regnamespace', 'regrole', 'regconfig',
]);

/** Types that extensions define: only taken as built-in when no user type has the name. */
export const EXTENSION_TYPES: ReadonlySet<string> = new Set([
  'citext', 'hstore', 'ltree', 'vector', 'halfvec', 'sparsevec', 'geometry', 'geography',
]);


export function typeNameParts(type: TypeName): string[] {
  return (type.names ?? []).map((n) => stringOf(n));
}

export function stringOf(node: Node | undefined): string {
  if (!node) return '';
  if ('String' in node) return node.String.sval ?? '';
  return '';
}

function typmodValues(type: TypeName): number[] | undefined {
  const out: number[] = [];
  for (const mod of type.typmods ?? []) {
    if ('A_Const' in mod && mod.A_Const.ival !== undefined) out.push(mod.A_Const.ival.ival ?? 0);
    else if ('A_Const' in mod && mod.A_Const.ival === undefined && mod.A_Const.fval === undefined && mod.A_Const.sval === undefined && !mod.A_Const.isnull) out.push(0);
    else return undefined;
  }
  return out;
}

/** The type as PostgreSQL would print it: the `raw` text kept for reports. */
export function formatTypeName(type: TypeName): string {
  const parts = typeNameParts(type);
  const base = parts[0] === 'pg_catalog' && parts.length === 2 ? displayName(parts[1]!) : parts.map(quoteIfNeeded).join('.');
  const mods = typmodValues(type);
  let text = base;
  if (mods && mods.length > 0 && !(base === 'interval')) text += `(${mods.join(',')})`;
  if (base === 'interval' && mods && mods.length > 1) text += `(${mods[1]})`;
  for (const bound of type.arrayBounds ?? []) {
    const b = 'Integer' in bound ? bound.Integer.ival : undefined;
    text += b !== undefined && b >= 0 ? `[${b}]` : '[]';
  }
  return text;
}

function displayName(internal: string): string {
  const alias = own(ALIASES, internal);
  return alias ?? internal;
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export interface LoweredType {
  readonly type: ColumnType;
  /** Set for serial pseudo-types. */
  readonly serial?: boolean;
}

/**
 * Lowers a parsed type name. User-defined names stay `user` until the schema is complete:
 * the frontend resolves them against declared enums, domains and composite types.
 */
export function lowerTypeName(type: TypeName): LoweredType {
  const parts = typeNameParts(type);
  const raw = formatTypeName(type);
  const dims = (type.arrayBounds ?? []).length;
  const unqualified = parts[parts.length - 1] ?? '';
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const mods = typmodValues(type);

  let element: ColumnType;
  let serial = false;
  if (type.pct_type || type.setof) {
    element = { kind: 'unsupported', raw };
  } else if ((schema === undefined || schema === 'pg_catalog') && own(PG_SERIAL_TYPES, unqualified) && dims === 0) {
    serial = true;
    element = { kind: 'scalar', name: own(PG_SERIAL_TYPES, unqualified)!, params: [], raw };
  } else if ((schema === 'pg_catalog' && own(ALIASES, unqualified)) || (schema === undefined && CATALOG_NAMES.has(unqualified))) {
    element = scalar(own(ALIASES, unqualified)!, unqualified, mods, raw, type);
  } else {
    element = { kind: 'user', name: schema ? { schema, name: unqualified } : { name: unqualified }, raw };
  }
  if (dims > 0 && element.kind !== 'unsupported') {
    return { type: { kind: 'array', element: stripArrayRaw(element, raw), dims, raw } };
  }
  return serial ? { type: element, serial } : { type: element };
}

function stripArrayRaw(element: ColumnType, raw: string): ColumnType {
  const base = raw.replace(/(\[\d*\])+$/, '');
  return { ...element, raw: base } as ColumnType;
}

function scalar(name: ScalarTypeName, spelled: string, mods: number[] | undefined, raw: string, type: TypeName): ColumnType {
  if (mods === undefined) return { kind: 'unsupported', raw };
  let params = mods;
  if (name === 'interval') {
    // The first interval typmod encodes the field restriction; only the precision matters here.
    params = mods.length > 1 ? [mods[1]!] : [];
  }
  // bpchar without a length from the `char` keyword means char(1); the grammar already adds it.
  if (name === 'character' && spelled === 'bpchar' && params.length === 0 && type.typmods === undefined) params = [];
  return { kind: 'scalar', name, params, raw };
}

/** Resolves a `user` type to a scalar when it names an extension type and no user type exists. */
export function resolveExtensionType(type: ColumnType, userTypeExists: (schema: string | undefined, name: string) => boolean): ColumnType {
  if (type.kind === 'array') {
    const element = resolveExtensionType(type.element, userTypeExists);
    return element === type.element ? type : { ...type, element };
  }
  if (type.kind !== 'user') return type;
  if (userTypeExists(type.name.schema, type.name.name)) return type;
  const name = type.name.name;
  if (EXTENSION_TYPES.has(name) || own(ALIASES, name)) {
    const canonical = own(ALIASES, name) ?? (name as ScalarTypeName);
    const params = [...type.raw.matchAll(/\((\d+)(?:,(\d+))?\)/g)].flatMap((m) => [m[1], m[2]].filter((x): x is string => x !== undefined).map(Number));
    return { kind: 'scalar', name: canonical, params, raw: type.raw };
  }
  return type;
}
