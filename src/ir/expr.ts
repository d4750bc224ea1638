// Walks over the expression IR that frontends build and the transform reads.
import type { Expr } from './types.js';

/** Columns an expression reads, for dependency and validity checks. */
export function columnsOf(expr: Expr, out: Set<string> = new Set()): Set<string> {
  const visit = (e: Expr): void => {
    switch (e.k) {
      case 'column':
        out.add(e.name);
        return;
      case 'func':
      case 'and':
      case 'or':
      case 'coalesce':
      case 'greatest':
      case 'least':
      case 'nullif':
        e.args.forEach(visit);
        return;
      case 'cast':
      case 'unary':
      case 'not':
      case 'isnull':
      case 'istrue':
        visit(e.expr);
        return;
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'in':
        visit(e.expr);
        e.list.forEach(visit);
        return;
      case 'between':
        visit(e.expr);
        visit(e.low);
        visit(e.high);
        return;
      case 'like':
        visit(e.expr);
        visit(e.pattern);
        return;
      case 'case':
        if (e.arg) visit(e.arg);
        e.whens.forEach((w) => {
          visit(w.when);
          visit(w.then);
        });
        if (e.else) visit(e.else);
        return;
      case 'array':
        e.elements.forEach(visit);
        return;
      case 'any':
        visit(e.expr);
        visit(e.array);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return out;
}
