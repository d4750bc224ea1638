/**
 * pg_dump's order of a schema's objects (pg_dump_sort.c, PostgreSQL 15): first by object type
 * priority, then by schema and name (compared as bytes), then a topological sort that places
 * objects as late as their dependencies allow (TopoSort: built from the end, each step taking
 * the last eligible object of that order). Tables come out in the order a pg_dump of the same
 * database has them, which the translation keeps where keys do not decide it.
 */

/** pg_dump_sort.c's priorities (PRIO_*), those the catalog reader emits. */
export const PRIORITY = {
  namespace: 1,
  procLang: 2,
  collation: 3,
  extension: 5,
  type: 6,
  cast: 7,
  function: 8,
  aggregate: 9,
  accessMethod: 10,
  operator: 11,
  opFamily: 12,
  conversion: 13,
  tsParser: 14,
  tsTemplate: 15,
  tsDict: 16,
  tsConfig: 17,
  fdw: 18,
  foreignServer: 19,
  table: 20,
  tableAttach: 21,
  attrdef: 23,
  largeObject: 24,
  constraint: 29,
  index: 30,
  indexAttach: 31,
  statsExt: 32,
  rule: 33,
  trigger: 34,
  fkConstraint: 35,
  policy: 36,
  publication: 37,
  publicationRel: 38,
  publicationSchema: 39,
  subscription: 40,
  /** The ACL pass: each object's GRANTs in the order of the objects (not sorted themselves), then default privileges. */
  defaultAcl: 41,
  eventTrigger: 42,
  refreshMatview: 45,
} as const;

export interface DumpObject {
  /** Unique key: `classid:objid` as pg_depend names it, or a derived one. */
  readonly key: string;
  readonly priority: number;
  readonly schema: string;
  readonly name: string;
  /** A tie-breaker after the name (function arguments, a constraint's table). */
  readonly detail?: string;
  /** The DDL text, statements ending in `;`. */
  readonly sql: string;
  /** Keys of objects this one must come after. */
  readonly deps: Set<string>;
}

const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

function presort(a: DumpObject, b: DumpObject): number {
  return a.priority - b.priority || bytes(a.schema, b.schema) || bytes(a.name, b.name) || bytes(a.detail ?? '', b.detail ?? '') || bytes(a.key, b.key);
}

/** The objects in pg_dump's order; dependencies on keys not in the list are ignored, and a cycle keeps the presorted order of its members. */
export function dumpOrder(objects: readonly DumpObject[]): DumpObject[] {
  const objs = [...objects].sort(presort);
  const index = new Map(objs.map((o, i) => [o.key, i]));
  const deps = objs.map((o) => [...o.deps].map((k) => index.get(k)).filter((j): j is number => j !== undefined && j !== index.get(o.key)));
  // before[j]: how many objects must come after j and are not placed yet.
  const before = new Array<number>(objs.length).fill(0);
  for (const d of deps) for (const j of d) before[j]!++;
  const placed = new Array<boolean>(objs.length).fill(false);
  const out: DumpObject[] = new Array(objs.length);
  let at = objs.length;
  // A max-heap of eligible indexes would be pg_dump's; a sorted array is enough for a schema's size.
  const ready: number[] = [];
  const push = (i: number) => {
    let lo = 0;
    let hi = ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ready[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    ready.splice(lo, 0, i);
  };
  for (let i = 0; i < objs.length; i++) if (before[i] === 0) push(i);
  while (at > 0) {
    let i = ready.pop();
    if (i === undefined) {
      // A cycle: pg_dump breaks it by splitting objects; here the last unplaced one goes first.
      for (let k = objs.length - 1; k >= 0; k--) if (!placed[k]) { i = k; break; }
    }
    placed[i!] = true;
    out[--at] = objs[i!]!;
    for (const j of deps[i!]!) if (!placed[j] && --before[j]! === 0) push(j);
  }
  return out;
}
