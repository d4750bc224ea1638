import type { Schema } from './schema.js';

export const EMPTY_SCHEMA: Schema = {
  namespaces: [],
  tables: [],
  enums: [],
  domains: [],
  composites: [],
  sequences: [],
  views: [],
  extensions: [],
  others: [],
  notes: [],
};

/** Concatenates schemas read by different frontends; namespaces are de-duplicated by name. */
export function mergeSchemas(schemas: readonly Schema[]): Schema {
  if (schemas.length === 1) return schemas[0]!;
  const namespaces = new Map<string, Schema['namespaces'][number]>();
  for (const s of schemas) for (const n of s.namespaces) if (!namespaces.has(n.name)) namespaces.set(n.name, n);
  return {
    namespaces: [...namespaces.values()],
    tables: schemas.flatMap((s) => s.tables),
    enums: schemas.flatMap((s) => s.enums),
    domains: schemas.flatMap((s) => s.domains),
    composites: schemas.flatMap((s) => s.composites),
    sequences: schemas.flatMap((s) => s.sequences),
    views: schemas.flatMap((s) => s.views),
    extensions: schemas.flatMap((s) => s.extensions),
    others: schemas.flatMap((s) => s.others),
    notes: schemas.flatMap((s) => s.notes),
  };
}
