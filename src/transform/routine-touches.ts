import type { OtherObject, Table } from '../ir/schema.js';
import type { QualifiedName } from '../ir/types.js';

/** A table a function or trigger body names, and the columns of it the body names. */
export interface Touched {
  readonly table: string;
  readonly columns: readonly string[];
}

const TOKEN = /"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)/g;

function tokens(body: string): Set<string> {
  const out = new Set<string>();
  const code = body.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  for (const m of code.matchAll(TOKEN)) out.add(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
  return out;
}

const display = (n: QualifiedName) => (n.schema && n.schema !== 'public' ? `${n.schema}.${n.name}` : n.name);
const same = (a: QualifiedName, b: QualifiedName) => a.name === b.name && (a.schema ?? 'public') === (b.schema ?? 'public');

/**
 * The tables and columns a reported routine or trigger names: by identifier, so dynamic SQL in
 * strings counts and a name shadowed by a variable may be over-reported (never under-reported).
 */
export function touchedBy(o: OtherObject, tables: readonly Table[], others: readonly OtherObject[]): Touched[] {
  const words = new Set<string>();
  // Tables whose rows a trigger body sees as NEW/OLD: the trigger's own, or every trigger's that runs this routine.
  const own = new Set<Table>();
  const ownOf = (t: { readonly table: QualifiedName }) => tables.find((tb) => same(tb.name, t.table));
  if (o.routine?.body !== undefined) for (const w of tokens(o.routine.body)) words.add(w);
  if (o.routine) {
    const r = o.routine;
    for (const t of others) if (t.trigger && same(t.trigger.function, r.name)) own.add(ownOf(t.trigger)!);
  }
  if (o.trigger) {
    const t = o.trigger;
    own.add(ownOf(t)!);
    const fn = others.find((r) => r.routine && same(r.routine.name, t.function));
    if (fn?.routine?.body !== undefined) for (const w of tokens(fn.routine.body)) words.add(w);
    for (const c of t.columns) words.add(c);
  }
  const out: Touched[] = [];
  for (const table of tables) {
    if (!own.has(table) && !words.has(table.name.name)) continue;
    const columns = table.columns.filter((c) => words.has(c.name)).map((c) => c.name);
    out.push({ table: display(table.name), columns });
  }
  return out;
}
