import type { OtherObject } from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';

/**
 * sakila's `group_concat`: `CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text)`
 * whose state function joins with a separator, skipping NULLs: TiDB's GROUP_CONCAT(x SEPARATOR sep).
 * Recognised by its definition (state function body, types, no other options), never by name.
 */
const STATE_BODY = /^\s*SELECT\s+CASE\s+WHEN\s+\$2\s+IS\s+NULL\s+THEN\s+\$1\s+WHEN\s+\$1\s+IS\s+NULL\s+THEN\s+\$2\s+ELSE\s+\$1\s*\|\|\s*'((?:[^'\\]|'')*)'\s*\|\|\s*\$2\s+END\s*;?\s*$/i;

const TEXT = new Set(['text', 'pg_catalog.text']);

export function groupConcatAggregates(others: readonly OtherObject[]): { name: QualifiedName; separator: string }[] {
  const routines = new Map<string, string>();
  for (const o of others) {
    const r = o.routine;
    if (r && r.body !== undefined && (r.language ?? '').toLowerCase() === 'sql') routines.set(`${r.name.schema ?? 'public'}.${r.name.name}`.toLowerCase(), r.body);
  }
  const out: { name: QualifiedName; separator: string }[] = [];
  for (const o of others) {
    const a = o.aggregate;
    if (!a || a.args.length !== 1 || !TEXT.has(a.args[0]!.toLowerCase())) continue;
    const { sfunc, stype, ...rest } = a.options;
    if (!sfunc || !stype || !TEXT.has(stype.toLowerCase()) || Object.keys(rest).length > 0) continue;
    const fname = sfunc.includes('.') ? sfunc : `${a.name.schema ?? 'public'}.${sfunc}`;
    const m = STATE_BODY.exec(routines.get(fname.toLowerCase()) ?? '');
    if (m) out.push({ name: a.name, separator: m[1]!.replace(/''/g, "'") });
  }
  return out;
}
