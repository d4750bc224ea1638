import type { Node } from '@pgsql/types';
import { createRequire } from 'node:module';
import type { Expr, SqlKeyword } from '../../ir/types.js';
import { lowerTypeName, stringOf } from './types.js';

type Deparse = (node: never) => string;
let deparser: Deparse | undefined;

/** PostgreSQL source text for a node we do not model, so that reports can quote it. */
export function deparseNode(node: Node): string {
  try {
    // Loaded on first use: most schemas never need it, and it costs start-up time.
    deparser ??= (createRequire(import.meta.url)('pgsql-deparser') as { deparseSync: Deparse }).deparseSync;
    return deparser(node as never);
  } catch {
    return '<expression>';
  }
}

const SQL_VALUE_FUNCTIONS: Record<string, SqlKeyword> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE',
  SVFOP_CURRENT_TIME: 'CURRENT_TIME',
  SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP',
  SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
  SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME',
  SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
  SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE',
  SVFOP_CURRENT_USER: 'CURRENT_USER',
  SVFOP_USER: 'USER',
  SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
  SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
};

export function lowerExpr(node: Node | undefined): Expr {
  if (!node) return { k: 'null' };
  if ('A_Const' in node) {
    const c = node.A_Const;
    if (c.isnull) return { k: 'null' };
    if (c.ival !== undefined) return { k: 'number', value: String(c.ival.ival ?? 0) };
    if (c.fval !== undefined) return { k: 'number', value: c.fval.fval ?? '0' };
    if (c.sval !== undefined) return { k: 'string', value: c.sval.sval ?? '' };
    if (c.boolval !== undefined) return { k: 'bool', value: c.boolval.boolval ?? false };
    if (c.bsval !== undefined) {
      // Bit-string constants arrive as 'b0101' or 'x1F'; keep them as a string of bits.
      const v = c.bsval.bsval ?? '';
      if (/^b[01]*$/i.test(v)) return { k: 'string', value: v.slice(1) };
      if (/^x[0-9a-f]*$/i.test(v)) return { k: 'string', value: [...v.slice(1)].map((h) => parseInt(h, 16).toString(2).padStart(4, '0')).join('') };
      return { k: 'raw', text: deparseNode(node) };
    }
    return { k: 'number', value: '0' };
  }
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    if (fields.some((f) => 'A_Star' in f)) return { k: 'raw', text: deparseNode(node) };
    const names = fields.map((f) => stringOf(f));
    const name = names[names.length - 1] ?? '';
    return names.length > 1 ? { k: 'column', name, table: names[names.length - 2]! } : { k: 'column', name };
  }
  if ('TypeCast' in node) {
    const tc = node.TypeCast;
    if (!tc.typeName) return lowerExpr(tc.arg);
    const inner = lowerExpr(tc.arg);
    const type = lowerTypeName(tc.typeName).type;
    // `true`/`false` come out of the parser as 't'::bool casts.
    if (type.kind === 'scalar' && type.name === 'boolean' && inner.k === 'string' && (inner.value === 't' || inner.value === 'f')) {
      return { k: 'bool', value: inner.value === 't' };
    }
    if (type.kind === 'scalar' && type.name === 'interval' && inner.k === 'string') return { k: 'interval', value: inner.value };
    return { k: 'cast', expr: inner, type };
  }
  if ('FuncCall' in node) {
    const f = node.FuncCall;
    if (f.over || f.agg_filter || (f.agg_order && f.agg_order.length > 0) || f.agg_distinct || f.func_variadic) {
      return { k: 'raw', text: deparseNode(node) };
    }
    const parts = (f.funcname ?? []).map((n) => stringOf(n));
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const args = (f.args ?? []).map((a) => lowerExpr(a));
    if (f.agg_star) return { k: 'func', name, args, star: true, ...(schema ? { schema } : {}) };
    return schema && schema !== 'pg_catalog' ? { k: 'func', name, schema, args } : { k: 'func', name, args };
  }
  if ('SQLValueFunction' in node) {
    const v = node.SQLValueFunction;
    const name = SQL_VALUE_FUNCTIONS[v.op ?? ''];
    if (!name) return { k: 'raw', text: deparseNode(node) };
    // The parse tree leaves out a typmod of 0 (CURRENT_TIMESTAMP(0)); no precision is -1.
    const typmod = v.typmod ?? 0;
    return typmod >= 0 ? { k: 'keyword', name, precision: typmod } : { k: 'keyword', name };
  }
  if ('BoolExpr' in node) {
    const b = node.BoolExpr;
    const args = (b.args ?? []).map((a) => lowerExpr(a));
    if (b.boolop === 'AND_EXPR') return { k: 'and', args };
    if (b.boolop === 'OR_EXPR') return { k: 'or', args };
    return { k: 'not', expr: args[0] ?? { k: 'null' } };
  }
  if ('NullTest' in node) {
    const t = node.NullTest;
    return { k: 'isnull', expr: lowerExpr(t.arg), not: t.nulltesttype === 'IS_NOT_NULL' };
  }
  if ('BooleanTest' in node) {
    const t = node.BooleanTest;
    const kind = t.booltesttype ?? 'IS_TRUE';
    const test = kind.includes('TRUE') ? 'true' : kind.includes('FALSE') ? 'false' : 'unknown';
    return { k: 'istrue', expr: lowerExpr(t.arg), test, not: kind.includes('NOT') };
  }
  if ('A_Expr' in node) return lowerAExpr(node);
  if ('CaseExpr' in node) {
    const c = node.CaseExpr;
    const whens = (c.args ?? []).flatMap((w) =>
      'CaseWhen' in w ? [{ when: lowerExpr(w.CaseWhen.expr), then: lowerExpr(w.CaseWhen.result) }] : [],
    );
    return {
      k: 'case',
      whens,
      ...(c.arg ? { arg: lowerExpr(c.arg) } : {}),
      ...(c.defresult ? { else: lowerExpr(c.defresult) } : {}),
    };
  }
  if ('CoalesceExpr' in node) return { k: 'coalesce', args: (node.CoalesceExpr.args ?? []).map((a) => lowerExpr(a)) };
  if ('MinMaxExpr' in node) {
    const m = node.MinMaxExpr;
    return { k: m.op === 'IS_LEAST' ? 'least' : 'greatest', args: (m.args ?? []).map((a) => lowerExpr(a)) };
  }
  if ('A_ArrayExpr' in node) return { k: 'array', elements: (node.A_ArrayExpr.elements ?? []).map((e) => lowerExpr(e)) };
  if ('CollateClause' in node) return lowerExpr(node.CollateClause.arg);
  return { k: 'raw', text: deparseNode(node) };
}

function lowerAExpr(node: Node & { A_Expr: object }): Expr {
  const e = (node as { A_Expr: import('@pgsql/types').A_Expr }).A_Expr;
  const op = (e.name ?? []).map((n) => stringOf(n)).join('.');
  const left = e.lexpr ? lowerExpr(e.lexpr) : undefined;
  const listOf = (n: Node | undefined): Expr[] => {
    if (n && 'List' in n) return (n.List.items ?? []).map((i) => lowerExpr(i));
    return [lowerExpr(n)];
  };
  switch (e.kind) {
    case 'AEXPR_OP':
      if (!left) return { k: 'unary', op, expr: lowerExpr(e.rexpr) };
      return { k: 'binary', op, left, right: lowerExpr(e.rexpr) };
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return { k: 'any', op, expr: left ?? { k: 'null' }, array: lowerExpr(e.rexpr), all: e.kind === 'AEXPR_OP_ALL' };
    case 'AEXPR_IN':
      return { k: 'in', expr: left ?? { k: 'null' }, list: listOf(e.rexpr), not: op === '<>' };
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return {
        k: 'like',
        op: e.kind === 'AEXPR_LIKE' ? 'like' : e.kind === 'AEXPR_ILIKE' ? 'ilike' : 'similar',
        expr: left ?? { k: 'null' },
        pattern: lowerExpr(e.rexpr),
        not: op.startsWith('!'),
      };
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN': {
      const [low, high] = listOf(e.rexpr);
      return { k: 'between', expr: left ?? { k: 'null' }, low: low ?? { k: 'null' }, high: high ?? { k: 'null' }, not: e.kind === 'AEXPR_NOT_BETWEEN' };
    }
    case 'AEXPR_NULLIF':
      return { k: 'nullif', args: [left ?? { k: 'null' }, lowerExpr(e.rexpr)] };
    case 'AEXPR_DISTINCT':
      return { k: 'binary', op: 'IS DISTINCT FROM', left: left ?? { k: 'null' }, right: lowerExpr(e.rexpr) };
    case 'AEXPR_NOT_DISTINCT':
      return { k: 'binary', op: 'IS NOT DISTINCT FROM', left: left ?? { k: 'null' }, right: lowerExpr(e.rexpr) };
    default:
      return { k: 'raw', text: deparseNode(node as Node) };
  }
}

