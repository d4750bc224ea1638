/**
 * SQL expression text → IR Expr.
 * Primary path: the PostgreSQL frontend, given small synthetic statements that put each
 * snippet where it occurs (DEFAULT, CHECK, index key, index WHERE, GENERATED), so both
 * frontends agree. Fallback: a small recursive-descent parser for the common shapes
 * (literals, casts, function calls, keywords, comparisons, AND/OR/NOT, IS NULL, IN);
 * anything else stays {k:'raw'}.
 */
import type { Expr, SqlKeyword, ColumnType } from '../../ir/types.js';
import { loadReadPostgres } from './pg-bridge.js';
import { parsePgTypeName } from './type-rules.js';

export type SqlSite = 'default' | 'check' | 'index-key' | 'where' | 'generated';

export interface SqlRequest {
  readonly site: SqlSite;
  readonly text: string;
}

function stmtFor(i: number, r: SqlRequest): string {
  const t = `__pg2tidb_sa_${i}`;
  switch (r.site) {
    case 'default':
      return `CREATE TABLE ${t} (c text DEFAULT (${r.text}));`;
    case 'check':
      return `CREATE TABLE ${t} (c text, CHECK (${r.text}));`;
    case 'generated':
      return `CREATE TABLE ${t} (c text GENERATED ALWAYS AS (${r.text}) STORED);`;
    case 'index-key':
      return `CREATE TABLE ${t} (c text);\nCREATE INDEX ${t}_i ON ${t} (${r.text});`;
    case 'where':
      return `CREATE TABLE ${t} (c text);\nCREATE INDEX ${t}_i ON ${t} (c) WHERE ${r.text};`;
  }
}

function pick(schema: { tables: readonly { name: { name: string }; columns: readonly { default?: Expr; generated?: { expr: Expr } }[]; checks: readonly { expr: Expr }[]; indexes: readonly { keys: readonly { expr?: Expr; column?: string }[]; where?: Expr }[] }[] }, i: number, r: SqlRequest): Expr | undefined {
  const t = schema.tables.find((x) => x.name.name === `__pg2tidb_sa_${i}`);
  if (!t) return undefined;
  switch (r.site) {
    case 'default':
      return t.columns[0]?.default;
    case 'check':
      return t.checks[0]?.expr;
    case 'generated':
      return t.columns[0]?.generated?.expr;
    case 'index-key': {
      const k = t.indexes[0]?.keys[0];
      if (!k) return undefined;
      return k.expr ?? (k.column !== undefined ? { k: 'column', name: k.column } : undefined);
    }
    case 'where':
      return t.indexes[0]?.where;
  }
}

/** Converts every request; keys of the result are `${site}\u0000${text}`. */
export async function convertSql(reqs: readonly SqlRequest[]): Promise<Map<string, Expr>> {
  const out = new Map<string, Expr>();
  const uniq = new Map<string, SqlRequest>();
  for (const r of reqs) uniq.set(`${r.site}\u0000${r.text}`, r);
  const list = [...uniq.values()];
  const readPostgres = await loadReadPostgres();
  if (readPostgres && list.length > 0) {
    const tryBatch = async (items: readonly SqlRequest[]): Promise<void> => {
      const text = items.map((r, i) => stmtFor(i, r)).join('\n');
      try {
        const schema = await readPostgres([{ path: '<sqlalchemy-expr>.sql', text }]);
        items.forEach((r, i) => {
          const e = pick(schema, i, r);
          if (e) out.set(`${r.site}\u0000${r.text}`, e);
        });
      } catch {
        // fall through: the fallback parser takes over
      }
    };
    await tryBatch(list);
    const missing = list.filter((r) => !out.has(`${r.site}\u0000${r.text}`));
    if (missing.length > 0 && missing.length < list.length) for (const r of missing) await tryBatch([r]);
  }
  for (const r of list) {
    const key = `${r.site}\u0000${r.text}`;
    if (!out.has(key)) out.set(key, parseSqlExpr(r.text));
  }
  return out;
}

// ---------------------------------------------------------------- fallback parser

const KEYWORDS: ReadonlySet<string> = new Set<SqlKeyword>([
  'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP', 'CURRENT_USER',
  'SESSION_USER', 'USER', 'CURRENT_ROLE', 'CURRENT_CATALOG', 'CURRENT_SCHEMA',
]);

type Tok = { k: 'num' | 'str' | 'id' | 'qid' | 'op'; v: string };

function lex(s: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === "'") {
          if (s[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ k: 'str', v });
      continue;
    }
    if (c === '"') {
      const j = s.indexOf('"', i + 1);
      if (j < 0) return undefined;
      out.push({ k: 'qid', v: s.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i));
    if (num) { out.push({ k: 'num', v: num[0] }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(s.slice(i));
    if (id) { out.push({ k: 'id', v: id[0] }); i += id[0].length; continue; }
    const op = /^(::|<>|!=|<=|>=|\|\||[-+*/%<>=(),.\[\]])/.exec(s.slice(i));
    if (op) { out.push({ k: 'op', v: op[0] }); i += op[0].length; continue; }
    return undefined;
  }
  return out;
}

class P {
  i = 0;
  constructor(readonly t: Tok[]) {}
  peek(): Tok | undefined { return this.t[this.i]; }
  isOp(v: string): boolean { const t = this.peek(); return t?.k === 'op' && t.v === v; }
  isKw(v: string): boolean { const t = this.peek(); return t?.k === 'id' && t.v.toUpperCase() === v; }
  expect(v: string): void { if (!this.isOp(v)) throw new Error(`expected ${v}`); this.i++; }

  or(): Expr {
    const args = [this.and()];
    while (this.isKw('OR')) { this.i++; args.push(this.and()); }
    return args.length === 1 ? args[0]! : { k: 'or', args };
  }
  and(): Expr {
    const args = [this.not()];
    while (this.isKw('AND')) { this.i++; args.push(this.not()); }
    return args.length === 1 ? args[0]! : { k: 'and', args };
  }
  not(): Expr {
    if (this.isKw('NOT')) { this.i++; return { k: 'not', expr: this.not() }; }
    return this.cmp();
  }
  cmp(): Expr {
    const left = this.add();
    const t = this.peek();
    if (t?.k === 'op' && ['=', '<>', '!=', '<', '>', '<=', '>='].includes(t.v)) {
      this.i++;
      return { k: 'binary', op: t.v === '!=' ? '<>' : t.v, left, right: this.add() };
    }
    if (this.isKw('IS')) {
      this.i++;
      const not = this.isKw('NOT');
      if (not) this.i++;
      if (this.isKw('NULL')) { this.i++; return { k: 'isnull', expr: left, not }; }
      throw new Error('IS');
    }
    let not = false;
    if (this.isKw('NOT')) { not = true; this.i++; }
    if (this.isKw('IN')) {
      this.i++;
      this.expect('(');
      const list = [this.or()];
      while (this.isOp(',')) { this.i++; list.push(this.or()); }
      this.expect(')');
      return { k: 'in', expr: left, list, not };
    }
    if (this.isKw('LIKE') || this.isKw('ILIKE')) {
      const op = this.peek()!.v.toLowerCase() as 'like' | 'ilike';
      this.i++;
      return { k: 'like', op, expr: left, pattern: this.add(), not };
    }
    if (not) throw new Error('NOT');
    return left;
  }
  add(): Expr {
    let left = this.mul();
    for (;;) {
      const t = this.peek();
      if (t?.k === 'op' && (t.v === '+' || t.v === '-' || t.v === '||')) { this.i++; left = { k: 'binary', op: t.v, left, right: this.mul() }; }
      else return left;
    }
  }
  mul(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.k === 'op' && (t.v === '*' || t.v === '/' || t.v === '%')) { this.i++; left = { k: 'binary', op: t.v, left, right: this.unary() }; }
      else return left;
    }
  }
  unary(): Expr {
    if (this.isOp('-')) {
      this.i++;
      const e = this.unary();
      if (e.k === 'number') return { k: 'number', value: e.value.startsWith('-') ? e.value.slice(1) : `-${e.value}` };
      return { k: 'unary', op: '-', expr: e };
    }
    return this.postfix();
  }
  postfix(): Expr {
    let e = this.primary();
    while (this.isOp('::')) {
      this.i++;
      let name = '';
      while (this.peek()?.k === 'id') { name += (name ? ' ' : '') + this.peek()!.v; this.i++; }
      if (this.isOp('(')) {
        let depth = 0;
        do { const t = this.t[this.i++]!; name += t.v; if (t.v === '(') depth++; if (t.v === ')') depth--; } while (depth > 0 && this.i < this.t.length);
      }
      while (this.isOp('[')) { this.i++; this.expect(']'); name += '[]'; }
      const type: ColumnType = parsePgTypeName(name);
      e = { k: 'cast', expr: e, type };
    }
    return e;
  }
  primary(): Expr {
    const t = this.peek();
    if (!t) throw new Error('eof');
    this.i++;
    if (t.k === 'num') return { k: 'number', value: t.v };
    if (t.k === 'str') return { k: 'string', value: t.v };
    if (t.k === 'op' && t.v === '(') { const e = this.or(); this.expect(')'); return e; }
    if (t.k === 'qid') return { k: 'column', name: t.v };
    if (t.k === 'id') {
      const up = t.v.toUpperCase();
      if (up === 'TRUE' || up === 'FALSE') return { k: 'bool', value: up === 'TRUE' };
      if (up === 'NULL') return { k: 'null' };
      if (KEYWORDS.has(up) && !this.isOp('(')) return { k: 'keyword', name: up as SqlKeyword };
      if (KEYWORDS.has(up) && this.isOp('(')) {
        this.i++;
        const p = this.peek();
        this.i++;
        this.expect(')');
        return { k: 'keyword', name: up as SqlKeyword, precision: Number(p?.v) };
      }
      if (this.isOp('(')) {
        this.i++;
        const args: Expr[] = [];
        let star = false;
        if (this.isOp('*')) { this.i++; star = true; }
        else if (!this.isOp(')')) {
          args.push(this.or());
          while (this.isOp(',')) { this.i++; args.push(this.or()); }
        }
        this.expect(')');
        const name = t.v.toLowerCase();
        if (name === 'coalesce' || name === 'greatest' || name === 'least' || name === 'nullif') return { k: name, args };
        return star ? { k: 'func', name, args, star } : { k: 'func', name, args };
      }
      if (this.isOp('.')) {
        this.i++;
        const n = this.peek();
        this.i++;
        if (n && this.isOp('(')) {
          this.i -= 1;
          const inner = this.primary();
          if (inner.k === 'func') return { ...inner, schema: t.v.toLowerCase() };
          return inner;
        }
        return { k: 'column', table: t.v.toLowerCase(), name: n?.k === 'qid' ? n.v : (n?.v ?? '').toLowerCase() };
      }
      return { k: 'column', name: t.v.toLowerCase() };
    }
    throw new Error(`unexpected ${t.v}`);
  }
}

export function parseSqlExpr(text: string): Expr {
  const toks = lex(text);
  if (!toks) return { k: 'raw', text };
  try {
    const p = new P(toks);
    const e = p.or();
    if (p.i !== toks.length) return { k: 'raw', text };
    return e;
  } catch {
    return { k: 'raw', text };
  }
}
