/**
 * Schemas compared by meaning: spans and raw spellings dropped, tables keyed by name, keys and
 * constraints sorted. Used by the SQLAlchemy judge and by the static/runtime agreement test.
 */
import type { Schema } from '../../src/ir/schema.js';
import type { ColumnType, QualifiedName } from '../../src/ir/types.js';

const qn = (n: QualifiedName): string => `${(n.schema ?? 'public').toLowerCase()}.${n.name.toLowerCase()}`;

function typeKey(t: ColumnType): string {
  switch (t.kind) {
    case 'scalar':
      return t.params.length ? `${t.name}(${t.params.join(',')})` : t.name;
    case 'array':
      return `${typeKey(t.element)}${'[]'.repeat(Math.max(1, t.dims))}`;
    case 'user':
      return `user:${qn(t.name)}`;
    case 'unsupported':
      return `unsupported:${t.raw.toLowerCase()}`;
  }
}

/** Drops spans and raw spellings recursively. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'span' || k === 'defaultSpan' || k === 'raw' || x === undefined) continue;
      out[k] = clean(x);
    }
    return out;
  }
  return v;
}

const sortBy = <T>(xs: readonly T[], key: (x: T) => string): T[] => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export function normaliseSchema(s: Schema): Record<string, unknown> {
  const tables: Record<string, unknown> = {};
  for (const t of s.tables) {
    if (t.name.name === 'alembic_version') continue;
    const columns: Record<string, unknown> = {};
    for (const c of t.columns) {
      const identity = c.identity ? (c.identity.kind === 'serial' ? { kind: 'serial' } : clean({ ...c.identity, sequence: undefined })) : undefined;
      columns[c.name.toLowerCase()] = clean({
        type: typeKey(c.type),
        notNull: c.notNull || !!c.identity,
        default: c.default,
        identity,
        generated: c.generated,
        comment: c.comment,
      });
    }
    const fkKey = (f: (typeof t.foreignKeys)[number]): string => `${f.name ?? ''}|${f.columns.join(',')}`;
    tables[qn(t.name).replace(/^public\./, '')] = clean({
      columnOrder: t.columns.map((c) => c.name.toLowerCase()),
      columns,
      primaryKey: t.primaryKey ? { name: t.primaryKey.name, columns: t.primaryKey.columns } : undefined,
      uniques: sortBy(t.uniques.map((u) => clean({ name: u.name, columns: u.columns, nullsNotDistinct: u.nullsNotDistinct })), (x) => JSON.stringify(x)),
      foreignKeys: sortBy(t.foreignKeys, fkKey).map((f) => clean({ ...f, refTable: qn(f.refTable) })),
      checks: sortBy(t.checks.map((c) => clean({ name: c.name, expr: c.expr })), (x) => JSON.stringify(x)),
      indexes: Object.fromEntries(sortBy(t.indexes, (i) => i.name ?? '').map((i) => [i.name ?? '?', clean({ ...i, name: undefined, comment: undefined })])),
      comment: t.comment,
    });
  }
  const enums: Record<string, unknown> = {};
  for (const e of s.enums) enums[qn(e.name).replace(/^public\./, '')] = e.values;
  const sequences: Record<string, unknown> = {};
  for (const q of s.sequences) if (!q.ownedBy) sequences[qn(q.name).replace(/^public\./, '')] = clean({ ...q, name: undefined, ownedBy: undefined, dataType: undefined });
  return { tables, enums, sequences };
}

/**
 * Removes one dot-separated path from a normalised schema (table keys may hold a dot: schema.table)
 * and returns what was there (undefined if nothing), so a caller can tell a stale exception.
 */
export function dropPath(obj: Record<string, unknown>, path: string): unknown {
  const parts = path.split('.');
  // table keys contain a dot only for non-public schemas: "tables.<schema.table>" is given as "tables.schema.table"
  let cur: unknown = obj;
  for (let i = 0; i < parts.length && cur && typeof cur === 'object'; i++) {
    const rec = cur as Record<string, unknown>;
    const joined = i + 1 < parts.length ? `${parts[i]}.${parts[i + 1]}` : undefined;
    const key = !(parts[i]! in rec) && joined !== undefined && joined in rec ? joined : parts[i]!;
    if (key === joined) i++;
    if (i === parts.length - 1) {
      const had = rec[key];
      delete rec[key];
      return had;
    }
    cur = rec[key];
  }
  return undefined;
}
