/**
 * Renders Python-side SQL constructs (`text("...")`, `func.now()`, `sa.true()`, string
 * server defaults, `Sequence(...).next_value()`) into the PostgreSQL text SQLAlchemy would
 * emit, so that it can go through the PostgreSQL frontend like any other SQL.
 */
import type { PyExpr } from './ast.js';
import type { Ctx } from './context.js';
import type { Mod, Scope } from './modules.js';

/** ANSI functions SQLAlchemy renders without parentheses (sql/functions.py AnsiFunction). */
const ANSI_FUNCTIONS = new Set(['current_timestamp', 'current_date', 'current_time', 'localtime', 'localtimestamp', 'current_user', 'session_user', 'user']);

export const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A keyword when `func.now()`/`func.current_timestamp()`... is used (the updated_at pattern). */
export function isNowCall(cx: Ctx, mod: Mod, e: PyExpr, scope?: Scope): boolean {
  if (e.t !== 'call' || e.args.length > 0) return false;
  const name = funcName(cx, mod, e.fn, scope);
  return name === 'now' || name === 'current_timestamp' || name === 'localtimestamp';
}

/** `func.x` / `sa.func.x` / `func.schema.x` → 'x' (or 'schema.x'). */
export function funcName(cx: Ctx, mod: Mod, fn: PyExpr, scope?: Scope): string | undefined {
  const chain: string[] = [];
  let cur: PyExpr = fn;
  while (cur.t === 'attr') {
    chain.unshift(cur.name);
    cur = cur.obj;
    const p = cx.graph.externalPath(mod, cur, scope);
    if (p && /^sqlalchemy(\.sql)?(\.expression|\.functions)?\.func$/.test(p)) return chain.join('.');
  }
  return undefined;
}

/**
 * SQL text of a server-side expression, or undefined when it is not static.
 * `literalStrings`: a plain Python string is a quoted SQL literal (server_default="0").
 */
export function renderSql(cx: Ctx, mod: Mod, e: PyExpr, scope?: Scope, literalStrings = true): string | undefined {
  switch (e.t) {
    case 'str':
      if (e.dynamic) return undefined;
      return literalStrings ? quoteLiteral(e.value) : e.value;
    case 'num':
      return e.text;
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'none':
      return 'NULL';
    case 'unary': {
      const inner = renderSql(cx, mod, e.operand, scope, literalStrings);
      return inner === undefined ? undefined : `-${inner}`;
    }
    case 'name':
    case 'attr': {
      const r = cx.graph.resolve(mod, e, scope);
      if (r.k === 'value') return renderSql(cx, r.mod, r.expr, undefined, literalStrings);
      return undefined;
    }
    case 'call': {
      const fname = funcName(cx, mod, e.fn, scope);
      if (fname !== undefined) {
        const lower = fname.toLowerCase();
        if (ANSI_FUNCTIONS.has(lower) && e.args.length === 0) return lower.toUpperCase();
        const args: string[] = [];
        for (const a of e.args) {
          const s = renderSql(cx, mod, a, scope, true);
          if (s === undefined) return undefined;
          args.push(s);
        }
        return `${fname}(${args.join(', ')})`;
      }
      // Sequence("s").next_value()
      if (e.fn.t === 'attr' && e.fn.name === 'next_value') {
        const seq = e.fn.obj;
        const target = seq.t === 'call' ? seq : undefined;
        const resolved = target ?? (() => {
          const r = cx.graph.resolve(mod, seq, scope);
          return r.k === 'value' && r.expr.t === 'call' ? r.expr : undefined;
        })();
        const name = resolved ? cx.str(mod, resolved.args[0], scope) : undefined;
        return name ? `nextval('${name}')` : undefined;
      }
      const path = cx.graph.externalPath(mod, e.fn, scope);
      if (!path || !path.startsWith('sqlalchemy')) return undefined;
      const last = path.slice(path.lastIndexOf('.') + 1);
      if (last === 'text' || last === 'literal_column' || last === 'DefaultClause') {
        const a = e.args[0];
        return a ? renderSql(cx, mod, a, scope, false) : undefined;
      }
      if (last === 'true') return 'true';
      if (last === 'false') return 'false';
      if (last === 'null') return 'NULL';
      if (last === 'literal') {
        const a = e.args[0];
        return a ? renderSql(cx, mod, a, scope, true) : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
