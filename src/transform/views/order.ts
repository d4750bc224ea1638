/**
 * Views in creation order: each after the views it reads; ties keep input order. Views cannot
 * form a cycle in PostgreSQL (each is created after what it reads), so a back edge is only a
 * name this set does not create.
 */
export function orderViews<V>(views: readonly V[], id: (v: V) => string, reads: (v: V) => readonly string[]): V[] {
  const byId = new Map(views.map((v) => [id(v), v]));
  const done = new Set<string>();
  const out: V[] = [];
  const visit = (v: V, path: Set<string>): void => {
    const k = id(v);
    if (done.has(k) || path.has(k)) return;
    path.add(k);
    for (const d of reads(v)) {
      const dep = byId.get(d);
      if (dep) visit(dep, path);
    }
    path.delete(k);
    done.add(k);
    out.push(v);
  };
  for (const v of views) visit(v, new Set());
  return out;
}
