import type { CheckConstraint, Column, Table } from '../ir/schema.js';
import type { ColumnType, Expr } from '../ir/types.js';
import type { TidbColumn } from '../ir/tidb.js';
import { own } from '../util/own.js';
import { key, type TransformContext } from './context.js';
import { COLLATION_TRAITS } from './options.js';

/**
 * When a text key column can hold two values that PostgreSQL keeps apart but a TiDB collation makes
 * equal (case, accents, trailing spaces). Decided by the source type, its domain and the CHECKs on the
 * column; a column is reported only when a collision can really arise.
 */

/** PostgreSQL types whose text form is canonical: no case, accent or trailing-space variants exist. */
const CANONICAL_TYPES: Readonly<Record<string, string>> = {
  uuid: 'uuid values print as lowercase hex',
  inet: 'inet values print in one canonical form',
  cidr: 'cidr values print in one canonical form',
  macaddr: 'macaddr values print as lowercase hex',
  macaddr8: 'macaddr8 values print as lowercase hex',
  bit: 'bit strings hold only 0 and 1',
  'bit varying': 'bit strings hold only 0 and 1',
};

/** TiDB column types that can hold case, accent or space variants at all. */
const TEXT_BASES = new Set(['CHAR', 'VARCHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT']);

export interface CollationEffect {
  readonly columns: readonly string[];
  readonly effects: readonly string[];
}

/** The key columns whose values can collide under their TiDB collation, and how; undefined when none can. */
export function collationEffects(ctx: TransformContext, table: Table, cols: readonly string[], byName: ReadonlyMap<string, TidbColumn>): CollationEffect | undefined {
  const textCols = cols.filter((c) => {
    const t = byName.get(c)?.type;
    if (!t || !TEXT_BASES.has(t.base) || t.charset === 'ascii') return false;
    const source = table.columns.find((s) => s.name === c);
    return source === undefined || canonicalReason(ctx, table, source) === undefined;
  });
  if (textCols.length === 0) return undefined;
  const collations = new Set(textCols.map((c) => byName.get(c)!.type.collation ?? ctx.options.collation));
  const effects: string[] = [];
  for (const coll of collations) {
    const traits = own(COLLATION_TRAITS, coll) ?? { caseInsensitive: /_ci$/.test(coll), padSpace: !/0900/.test(coll) };
    if (traits.caseInsensitive) effects.push(`${coll} treats 'Abc' and 'abc' (and accented variants) as equal`);
    if (traits.padSpace) effects.push(`${coll} ignores trailing spaces ('a' = 'a ')`);
  }
  return effects.length === 0 ? undefined : { columns: textCols, effects };
}

/** Why this column's values cannot differ only by case, accents or trailing spaces; undefined if they can. */
export function canonicalReason(ctx: TransformContext, table: Table, column: Column): string | undefined {
  const checks: CheckConstraint[] = [...table.checks];
  let type: ColumnType = column.type;
  // Follow domains to their base type, collecting their CHECKs (which name the value as VALUE).
  for (let depth = 0; type.kind === 'user' && depth < 8; depth++) {
    const domain = ctx.domains.get(key(type.name));
    if (!domain) break;
    checks.push(...domain.checks.map((c) => ({ ...c, expr: renameValue(c.expr, column.name) })));
    type = domain.type;
  }
  if (type.kind === 'scalar') {
    const reason = own(CANONICAL_TYPES, type.name);
    if (reason !== undefined) return reason;
  }
  for (const check of checks) {
    const reason = checkReason(check.expr, column.name);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** A CHECK that confines the column to values without case, accent or space variants. */
function checkReason(expr: Expr, column: string): string | undefined {
  if (expr.k === 'and') {
    for (const a of expr.args) {
      const r = checkReason(a, column);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (expr.k === 'binary' && (expr.op === '~' || expr.op === '~*') && isColumn(expr.left, column) && expr.right.k === 'string') {
    return variantFreePattern(expr.right.value, expr.op === '~*') ? `CHECK ${expr.op} '${expr.right.value}' admits no case or space variants` : undefined;
  }
  if (expr.k === 'in' && !expr.not && isColumn(expr.expr, column) && expr.list.every((e) => e.k === 'string')) {
    const folded = expr.list.map((e) => fold((e as { value: string }).value));
    return new Set(folded).size === folded.length ? 'CHECK IN (...) lists no two values that differ only by case, accents or trailing spaces' : undefined;
  }
  return undefined;
}

function isColumn(e: Expr, column: string): boolean {
  if (e.k === 'cast') return isColumn(e.expr, column);
  return e.k === 'column' && e.name === column;
}

function renameValue(e: Expr, column: string): Expr {
  if (e.k === 'column' && e.name.toLowerCase() === 'value') return { ...e, name: column };
  if (e.k === 'binary') return { ...e, left: renameValue(e.left, column), right: renameValue(e.right, column) };
  if (e.k === 'and') return { ...e, args: e.args.map((a) => renameValue(a, column)) };
  if (e.k === 'in') return { ...e, expr: renameValue(e.expr, column) };
  if (e.k === 'cast') return { ...e, expr: renameValue(e.expr, column) };
  return e;
}

/** What a case-insensitive, accent-insensitive, PAD SPACE collation compares. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ +$/, '');
}

/**
 * An anchored regex over an ASCII alphabet with no space, no wildcard and no letter in both cases
 * (e.g. `^[0-9a-f]{64}$`): two different matching values stay different under any collation.
 */
export function variantFreePattern(pattern: string, caseInsensitive: boolean): boolean {
  if (!pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return false;
  const body = pattern.slice(1, -1);
  const letters = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '\\') {
      const next = body[++i];
      if (next === undefined || /[sSwWDbB]/.test(next)) return false;
      if (next === 'd') continue;
      if (/[A-Za-z]/.test(next)) return false;
      continue;
    }
    if (ch === '[') {
      if (body[i + 1] === '^') return false;
      const end = body.indexOf(']', i + 2);
      if (end < 0) return false;
      const cls = body.slice(i + 1, end);
      for (let j = 0; j < cls.length; j++) {
        const c = cls[j]!;
        if (c === '\\') {
          const n = cls[++j];
          if (n === undefined || /[sSwW]/.test(n)) return false;
          continue;
        }
        if (cls[j + 1] === '-' && cls[j + 2] !== undefined) {
          const lo = c.charCodeAt(0);
          const hi = cls[j + 2]!.charCodeAt(0);
          for (let k = lo; k <= hi; k++) if (!addChar(String.fromCharCode(k), letters)) return false;
          j += 2;
          continue;
        }
        if (!addChar(c, letters)) return false;
      }
      i = end;
      continue;
    }
    if (ch === '.') return false;
    if ('{}()*+?|,0123456789'.includes(ch)) {
      if (/[0-9]/.test(ch) && !isQuantifierDigit(body, i)) addChar(ch, letters);
      continue;
    }
    if (!addChar(ch, letters)) return false;
  }
  if (caseInsensitive && [...letters].length > 0) return false;
  for (const l of letters) if (letters.has(l.toLowerCase()) && letters.has(l.toUpperCase()) && l.toLowerCase() !== l.toUpperCase()) return false;
  return true;
}

function isQuantifierDigit(body: string, i: number): boolean {
  const open = body.lastIndexOf('{', i);
  const close = body.lastIndexOf('}', i);
  return open > close;
}

/** Records a letter; refuses spaces and anything outside printable ASCII. */
function addChar(c: string, letters: Set<string>): boolean {
  const code = c.charCodeAt(0);
  if (code <= 0x20 || code > 0x7e) return false;
  if (/[A-Za-z]/.test(c)) letters.add(c);
  return true;
}
