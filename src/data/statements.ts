/**
 * The data-carrying statements of a dump, read with the real PostgreSQL grammar (libpg-query):
 * COPY ... FROM stdin headers, INSERT ... VALUES rows (each value as the text PostgreSQL's input
 * function would receive), and setval() calls.
 */
import { largeObjectWrite } from '../frontends/postgres/data-forms.js';
import type { RawParser } from '../frontends/postgres/raw-parser.js';
import type { QualifiedName } from '../ir/types.js';

/** A value of an INSERT row: the literal's text, NULL, DEFAULT, or an expression we cannot evaluate. */
export type InsertValue = string | null | { readonly default: true } | { readonly expression: string };

export type DataStatement =
  | { readonly kind: 'copy'; readonly table: QualifiedName; readonly columns?: readonly string[]; readonly format: 'text' | 'csv' | 'binary'; readonly delimiter: string }
  | { readonly kind: 'insert'; readonly table: QualifiedName; readonly columns?: readonly string[]; readonly rows: readonly (readonly InsertValue[])[]; readonly onConflict: boolean }
  | { readonly kind: 'setval'; readonly sequence: string; readonly value: bigint; readonly isCalled: boolean }
  | { readonly kind: 'search-path'; readonly schemas: readonly string[] }
  /** A large object's bytes written (pg_dump's lo_open, lowrite, lo_close): `oid` when the call names it. */
  | { readonly kind: 'large-object'; readonly oid?: string }
  | { readonly kind: 'standard-strings'; readonly on: boolean }
  /** COPY ... FROM a server file or program, or psql's \\copy ... FROM a client file: rows that are not in the input. */
  | { readonly kind: 'copy-file'; readonly what: string }
  /** UPDATE, DELETE, TRUNCATE, INSERT ... SELECT: changes data we do not replay. */
  | { readonly kind: 'unsupported'; readonly what: string }
  | { readonly kind: 'other' };

type Node = Record<string, unknown>;

const DATA_START = /^\s*(copy|insert|select|set|update|delete|truncate|merge)\b/i;

/** Cheap test before parsing: only these statements can carry data. */
export function mayCarryData(text: string): boolean {
  return DATA_START.test(text);
}

function str(n: unknown): string | undefined {
  const s = (n as { String?: { sval?: string } })?.String?.sval;
  return s;
}

function qualifiedText(q: QualifiedName): string {
  return q.schema !== undefined ? `${q.schema}.${q.name}` : q.name;
}

function relation(r: Node | undefined): QualifiedName {
  const rel = (r ?? {}) as { schemaname?: string; relname?: string };
  return rel.schemaname ? { schema: rel.schemaname, name: rel.relname ?? '' } : { name: rel.relname ?? '' };
}

/** An A_Const's text as PostgreSQL's input function would see it. */
function constText(c: Node): string | null {
  if (c['isnull']) return null;
  if ('ival' in c) return String((c['ival'] as { ival?: number }).ival ?? 0);
  if ('fval' in c) return String((c['fval'] as { fval?: string }).fval ?? '0');
  if ('sval' in c) return (c['sval'] as { sval?: string }).sval ?? '';
  if ('boolval' in c) return (c['boolval'] as { boolval?: boolean }).boolval ? 'true' : 'false';
  if ('bsval' in c) {
    const b = (c['bsval'] as { bsval?: string }).bsval ?? '';
    if (b.startsWith('b')) return b.slice(1);
    if (b.startsWith('x')) return [...b.slice(1)].map((h) => parseInt(h, 16).toString(2).padStart(4, '0')).join('');
    return b;
  }
  return null;
}

/** Quotes an element of an array literal the way array_out does. */
function arrayElement(v: string | null): string {
  if (v === null) return 'NULL';
  return v === '' || /^null$/i.test(v) || /[{},"\\\s]/.test(v) ? `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"` : v;
}

function valueOf(expr: Node, sql: string): InsertValue {
  const [kind, body] = Object.entries(expr)[0] as [string, Node];
  switch (kind) {
    case 'A_Const':
      return constText(body);
    case 'TypeCast': {
      // Mostly the type the column already has (pg_dump: '...'::date, '{1,2}'::integer[]); the
      // character casts change the text: N'..' and ::char are bpchar, whose trailing blanks an
      // assignment to text or varchar removes, and an explicit length truncates.
      const inner = valueOf(body['arg'] as Node, sql);
      if (typeof inner !== 'string') return inner;
      const typeName = body['typeName'] as { names?: unknown[]; typmods?: Node[]; arrayBounds?: unknown[] };
      if (typeName.arrayBounds) return inner;
      const name = str(typeName.names?.[typeName.names.length - 1]);
      const mod = typeName.typmods?.[0] ? Number(constText((typeName.typmods[0] as { A_Const: Node }).A_Const)) : undefined;
      if (name === 'bpchar') return (mod !== undefined ? [...inner].slice(0, mod).join('') : inner).replace(/ +$/, '');
      if (name === 'varchar' && mod !== undefined) return [...inner].slice(0, mod).join('');
      return inner;
    }
    case 'SetToDefault':
      return { default: true };
    case 'A_Expr': {
      const name = str((body['name'] as unknown[] | undefined)?.[0]);
      if (body['kind'] === 'AEXPR_OP' && name === '-' && !body['lexpr']) {
        const inner = valueOf(body['rexpr'] as Node, sql);
        if (typeof inner === 'string') return inner.startsWith('-') ? inner.slice(1) : `-${inner}`;
      }
      break;
    }
    case 'A_ArrayExpr': {
      const parts: string[] = [];
      for (const e of (body['elements'] as Node[] | undefined) ?? []) {
        const v = valueOf(e, sql);
        if (v !== null && typeof v !== 'string') return { expression: excerpt(sql, body) };
        // Nested ARRAY[...] gives an array literal: kept unquoted as a sub-array.
        parts.push(v !== null && v.startsWith('{') && 'A_ArrayExpr' in e ? v : arrayElement(v));
      }
      return `{${parts.join(',')}}`;
    }
  }
  return { expression: excerpt(sql, body) };
}

function excerpt(sql: string, body: Node): string {
  const at = typeof body['location'] === 'number' ? (body['location'] as number) : 0;
  return sql.slice(at, at + 60);
}

/** Classifies one statement; `undefined` when it does not parse (the schema pass reported it). */
export function readDataStatement(parse: RawParser, text: string): DataStatement | undefined {
  if (!mayCarryData(text)) return { kind: 'other' };
  const setval = /^\s*select\s+(?:pg_catalog\.)?setval\s*\(\s*'((?:[^']|'')+)'(?:::regclass)?\s*,\s*(-?\d+)\s*(?:,\s*(true|false)\s*)?\)\s*$/i.exec(text);
  if (setval) return { kind: 'setval', sequence: setval[1]!.replace(/''/g, "'"), value: BigInt(setval[2]!), isCalled: (setval[3] ?? 'true').toLowerCase() === 'true' };
  const lo = largeObjectWrite(text);
  if (lo) return { kind: 'large-object', ...lo };
  const parsed = parse(text);
  if (!parsed.ok) return undefined;
  const stmts = (JSON.parse(parsed.json) as { stmts?: { stmt: Node }[] }).stmts ?? [];
  const stmt = stmts[0]?.stmt;
  if (!stmt) return { kind: 'other' };
  const [kind, body] = Object.entries(stmt)[0] as [string, Node];
  switch (kind) {
    case 'CopyStmt': {
      if (body['is_from'] && (body['filename'] !== undefined || body['is_program'] === true)) return { kind: 'copy-file', what: `COPY ${qualifiedText(relation(body['relation'] as Node))} FROM ${body['is_program'] === true ? 'PROGRAM ' : ''}'${String(body['filename'] ?? '')}'` };
      if (!body['is_from'] || body['filename'] !== undefined || body['query'] !== undefined) return { kind: 'other' };
      const options = ((body['options'] as Node[] | undefined) ?? []).map((o) => (o as { DefElem: { defname: string; arg?: unknown } }).DefElem);
      const opt = (name: string): string | undefined => {
        const d = options.find((o) => o.defname === name);
        return d ? (str(d.arg) ?? ((d.arg as { TypeName?: unknown })?.TypeName ? undefined : undefined)) : undefined;
      };
      const format = (opt('format') ?? 'text').toLowerCase();
      const columns = ((body['attlist'] as unknown[] | undefined) ?? []).map((a) => str(a) ?? '');
      return {
        kind: 'copy',
        table: relation(body['relation'] as Node),
        ...(columns.length ? { columns } : {}),
        format: format === 'csv' ? 'csv' : format === 'binary' ? 'binary' : 'text',
        delimiter: opt('delimiter') ?? (format === 'csv' ? ',' : '\t'),
      };
    }
    case 'InsertStmt': {
      const select = (body['selectStmt'] as { SelectStmt?: Node } | undefined)?.SelectStmt;
      const lists = select?.['valuesLists'] as { List: { items: Node[] } }[] | undefined;
      if (!lists) return { kind: 'unsupported', what: 'INSERT ... SELECT' };
      const columns = ((body['cols'] as { ResTarget: { name: string } }[] | undefined) ?? []).map((c) => c.ResTarget.name);
      return {
        kind: 'insert',
        table: relation(body['relation'] as Node),
        ...(columns.length ? { columns } : {}),
        rows: lists.map((l) => (l.List.items ?? []).map((e) => valueOf(e, text))),
        onConflict: body['onConflictClause'] !== undefined,
      };
    }
    case 'VariableSetStmt': {
      const name = String(body['name'] ?? '').toLowerCase();
      const args = ((body['args'] as Node[] | undefined) ?? []).map((a) => {
        const c = (a as { A_Const?: Node }).A_Const;
        return c ? (constText(c) ?? '') : '';
      });
      if (name === 'search_path') return { kind: 'search-path', schemas: args.flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean) };
      if (name === 'standard_conforming_strings') return { kind: 'standard-strings', on: !/^(off|false|0)$/i.test(args[0] ?? 'on') };
      return { kind: 'other' };
    }
    case 'SelectStmt': {
      // pg_dump: SELECT pg_catalog.set_config('search_path', '', false);
      const m = /set_config\s*\(\s*'search_path'\s*,\s*'([^']*)'/i.exec(text);
      if (m) return { kind: 'search-path', schemas: m[1]!.split(',').map((s) => s.trim()).filter(Boolean) };
      return { kind: 'other' };
    }
    case 'UpdateStmt':
      return { kind: 'unsupported', what: 'UPDATE' };
    case 'DeleteStmt':
      return { kind: 'unsupported', what: 'DELETE' };
    case 'TruncateStmt':
      return { kind: 'unsupported', what: 'TRUNCATE' };
    case 'MergeStmt':
      return { kind: 'unsupported', what: 'MERGE' };
    default:
      return { kind: 'other' };
  }
}
