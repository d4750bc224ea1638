import type { Node } from '@pgsql/types';
import type { SchemaState } from './state.js';
import { stringOf } from './types.js';

/**
 * The names PostgreSQL gives unnamed constraints and indexes, so that a later
 * `DROP CONSTRAINT t_a_fkey` or `RENAME CONSTRAINT` finds them. Ported from PostgreSQL 15:
 * makeObjectName and ChooseRelationName (src/backend/commands/indexcmds.c),
 * ChooseConstraintName (src/backend/catalog/pg_constraint.c), ChooseIndexNameAddition,
 * ChooseIndexColumnNames and FigureIndexColname (parser/parse_target.c).
 */

/** NAMEDATALEN - 1: the longest identifier PostgreSQL stores, in bytes. */
const MAX_NAME_BYTES = 63;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `s` within `limit` bytes that does not split a character (pg_mbcliplen). */
function clip(s: string, limit: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = bytes(ch);
    if (used + n > limit) break;
    out += ch;
    used += n;
  }
  return out;
}

/** `name1_name2_label` within 63 bytes, truncating the longer of name1 and name2 first. */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let name1chars = bytes(name1);
  let name2chars = name2 === undefined ? 0 : bytes(name2);
  let overhead = 0;
  if (label !== undefined) overhead += bytes(label) + 1;
  if (name2 !== undefined) overhead += 1;
  const avail = MAX_NAME_BYTES - overhead;
  while (name1chars + name2chars > avail) {
    if (name1chars > name2chars) name1chars--;
    else name2chars--;
  }
  let result = clip(name1, name1chars);
  if (name2 !== undefined) result += `_${clip(name2, name2chars)}`;
  if (label !== undefined) result += `_${label}`;
  return result;
}

/** Column names joined by `_`, stopping once the buffer passes NAMEDATALEN (ChooseIndexNameAddition). */
export function nameAddition(columns: readonly string[]): string {
  let buf = '';
  for (const name of columns) {
    if (buf.length > 0) buf += '_';
    buf += clip(name, MAX_NAME_BYTES);
    if (bytes(buf) >= MAX_NAME_BYTES + 1) break;
  }
  return buf;
}

/** Index column names, made distinct by numbering repeats (`expr`, `expr1`), as ChooseIndexColumnNames does. */
export function indexColumnNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const orig of names) {
    let next = orig;
    for (let i = 1; out.includes(next); i++) {
      const suffix = String(i);
      next = clip(orig, MAX_NAME_BYTES - suffix.length) + suffix;
    }
    out.push(next);
  }
  return out;
}

/** The name an index expression contributes (FigureIndexColname): a column, function or type name, else `expr`. */
export function figureIndexColname(node: Node | undefined): string {
  return figure(node)?.name ?? 'expr';
}

function figure(node: Node | undefined): { name: string; strength: number } | undefined {
  if (!node) return undefined;
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    return last && 'String' in last ? { name: stringOf(last), strength: 2 } : undefined;
  }
  if ('FuncCall' in node) {
    const parts = node.FuncCall.funcname ?? [];
    const last = parts[parts.length - 1];
    return last ? { name: stringOf(last), strength: 2 } : undefined;
  }
  if ('TypeCast' in node) {
    const inner = figure(node.TypeCast.arg);
    if (inner && inner.strength > 1) return inner;
    const parts = node.TypeCast.typeName?.names ?? [];
    const last = parts[parts.length - 1];
    return last ? { name: stringOf(last), strength: 1 } : inner;
  }
  if ('CollateClause' in node) return figure(node.CollateClause.arg);
  if ('A_Indirection' in node) {
    const ind = node.A_Indirection.indirection ?? [];
    const last = ind[ind.length - 1];
    if (last && 'String' in last) return { name: stringOf(last), strength: 2 };
    return figure(node.A_Indirection.arg);
  }
  if ('CoalesceExpr' in node) return { name: 'coalesce', strength: 2 };
  if ('MinMaxExpr' in node) return { name: node.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least', strength: 2 };
  if ('CaseExpr' in node) return { name: 'case', strength: 1 };
  if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_NULLIF') return { name: 'nullif', strength: 2 };
  if ('SQLValueFunction' in node) {
    const op = (node.SQLValueFunction.op ?? '').replace(/^SVFOP_/, '').toLowerCase();
    return { name: op.replace(/_n$/, ''), strength: 2 };
  }
  return undefined;
}

/** Which catalog a name must be free in: pg_class (relations), pg_constraint, or both. */
export type NameSpace = 'relation' | 'constraint' | 'both';

/** Whether `name` is taken in `schema` (PostgreSQL looks in the whole schema, not only the table). */
function taken(state: SchemaState, schema: string, name: string, space: NameSpace): boolean {
  const relations = space !== 'constraint';
  const constraints = space !== 'relation';
  const key = `${schema}.${name}`;
  if (relations && (state.tables.has(key) || state.sequences.has(key) || state.views.has(key))) return true;
  for (const table of state.tables.values()) {
    if ((table.name.schema ?? 'public') !== schema) continue;
    // PRIMARY KEY, UNIQUE and EXCLUDE are both a constraint and the index behind it.
    if (table.primaryKey?.name === name || table.uniques.some((u) => u.name === name) || table.excludes.some((e) => e.name === name)) return true;
    if (relations && table.indexes.some((i) => i.name === name)) return true;
    if (constraints && (table.foreignKeys.some((f) => f.name === name) || table.checks.some((c) => c.name === name))) return true;
  }
  return false;
}

/**
 * The first free name of `name1_name2_label`, `name1_name2_label1`, ...: ChooseRelationName for
 * indexes ('relation') and the indexes behind PRIMARY KEY, UNIQUE, EXCLUDE ('both'),
 * ChooseConstraintName for foreign keys and CHECKs ('constraint').
 */
export function chooseName(state: SchemaState, schema: string, name1: string, name2: string | undefined, label: string, space: NameSpace): string {
  let modlabel = label;
  for (let pass = 1; ; pass++) {
    const name = makeObjectName(name1, name2, modlabel);
    if (!taken(state, schema, name, space)) return name;
    modlabel = `${label}${pass}`;
  }
}

/** The distinct columns an expression reads (a CHECK on exactly one column is named after it). */
export function columnRefs(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) columnRefs(n, out);
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const ref = record.ColumnRef as { fields?: Node[] } | undefined;
    if (ref) {
      const fields = ref.fields ?? [];
      const last = fields[fields.length - 1];
      if (last && 'String' in last) out.add(stringOf(last));
      return out;
    }
    for (const value of Object.values(record)) columnRefs(value, out);
  }
  return out;
}
