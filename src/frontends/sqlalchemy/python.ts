/**
 * Python parsing: loads web-tree-sitter and the tree-sitter-python grammar once, parses a
 * module and converts the CST into the small AST of ./ast.ts, then deletes the tree.
 * Syntax errors (ERROR / MISSING nodes) are returned with their offsets; never throws
 * for bad input.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { ClassDef, FuncDef, ImportName, Kw, Off, PyExpr, PyModule, PyStmt, StrPart, SyntaxProblem } from './ast.js';

let parserPromise: Promise<Parser> | undefined;

function grammarPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
}

/** The shared parser (grammar loaded once per process). */
export function getParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const lang = await Language.load(grammarPath());
    const parser = new Parser();
    parser.setLanguage(lang);
    return parser;
  })();
  return parserPromise;
}

export async function parsePython(text: string): Promise<PyModule> {
  const parser = await getParser();
  const tree = parser.parse(text);
  if (!tree) return { body: [], errors: [{ s: { start: 0, end: 0 }, message: 'the Python parser returned no tree' }] };
  try {
    const errors: SyntaxProblem[] = [];
    if (tree.rootNode.hasError) collectErrors(tree.rootNode, errors);
    const body = block(tree.rootNode);
    return { body, errors };
  } finally {
    tree.delete();
  }
}

function off(n: Node): Off {
  return { start: n.startIndex, end: n.endIndex };
}

function collectErrors(n: Node, out: SyntaxProblem[]): void {
  if (out.length >= 20) return;
  if (n.isMissing) {
    out.push({ s: off(n), message: `missing ${JSON.stringify(n.type)}` });
    return;
  }
  if (n.type === 'ERROR') {
    const snippet = n.text.split('\n')[0]!.slice(0, 40);
    out.push({ s: off(n), message: `invalid Python syntax near ${JSON.stringify(snippet)}` });
    return;
  }
  if (!n.hasError) return;
  for (const c of n.children) if (c) collectErrors(c, out);
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

// ---------------------------------------------------------------- statements

function block(n: Node): PyStmt[] {
  const out: PyStmt[] = [];
  for (const c of named(n)) statement(c, out);
  return out;
}

function statement(n: Node, out: PyStmt[]): void {
  switch (n.type) {
    case 'expression_statement': {
      for (const c of named(n)) {
        if (c.type === 'assignment') out.push(assignment(c));
        else if (c.type === 'augmented_assignment') out.push({ t: 'other', kind: 'augmented_assignment', s: off(c) });
        else out.push({ t: 'expr', expr: expr(c), s: off(c) });
      }
      return;
    }
    case 'import_statement': {
      const names: ImportName[] = [];
      for (const c of n.childrenForFieldName('name')) if (c) names.push(importName(c));
      out.push({ t: 'import', names, s: off(n) });
      return;
    }
    case 'import_from_statement': {
      const mod = n.childForFieldName('module_name');
      let module = '';
      let level = 0;
      if (mod?.type === 'relative_import') {
        for (const c of named(mod)) {
          if (c.type === 'import_prefix') level = c.text.length;
          else if (c.type === 'dotted_name') module = c.text;
        }
      } else if (mod) module = mod.text;
      const names: ImportName[] = [];
      for (const c of n.childrenForFieldName('name')) if (c) names.push(importName(c));
      const star = named(n).some((c) => c.type === 'wildcard_import');
      out.push({ t: 'from', module, level, names, star, s: off(n) });
      return;
    }
    case 'class_definition':
      out.push({ t: 'class', def: classDef(n, []) });
      return;
    case 'function_definition':
      out.push({ t: 'def', def: funcDef(n, []) });
      return;
    case 'decorated_definition': {
      const decorators = named(n)
        .filter((c) => c.type === 'decorator')
        .map((d) => {
          const e = named(d)[0];
          return e ? expr(e) : other(d);
        });
      const def = n.childForFieldName('definition');
      if (def?.type === 'class_definition') out.push({ t: 'class', def: classDef(def, decorators) });
      else if (def?.type === 'function_definition') out.push({ t: 'def', def: funcDef(def, decorators) });
      else out.push({ t: 'other', kind: 'decorated', s: off(n) });
      return;
    }
    case 'if_statement': {
      const cond = n.childForFieldName('condition');
      const cons = n.childForFieldName('consequence');
      // `elif` keeps its condition: an `if` nested in the else branch (dialect branches need it)
      let orelse: PyStmt[] = [];
      const alts = n.childrenForFieldName('alternative').filter((a): a is NonNullable<typeof a> => !!a);
      for (const alt of [...alts].reverse()) {
        const b = alt.childForFieldName('consequence') ?? alt.childForFieldName('body');
        const stmts = b ? block(b) : [];
        const c = alt.type === 'elif_clause' ? alt.childForFieldName('condition') : null;
        orelse = c ? [{ t: 'if', test: expr(c), body: stmts, orelse, s: off(alt) }] : [...stmts, ...orelse];
      }
      out.push({
        t: 'if',
        test: cond ? expr(cond) : { t: 'other', kind: 'missing', text: '', s: off(n) },
        body: cons ? block(cons) : [],
        orelse,
        s: off(n),
      });
      return;
    }
    case 'try_statement': {
      // Both the body and the handlers may define names (optional imports): keep them all.
      // A handler is kept as `if <except ...>:` so that symbol tables let the try body's
      // binding win (`try: from sqlalchemy.orm import mapped_column / except ImportError: def ...`).
      for (const c of named(n)) {
        if (c.type === 'block') out.push(...block(c));
        else {
          const body: PyStmt[] = [];
          for (const b of named(c)) if (b.type === 'block') body.push(...block(b));
          if (c.type === 'except_clause' || c.type === 'except_group_clause') out.push({ t: 'if', test: { t: 'other', kind: 'except', text: c.text.split('\n')[0]!, s: off(c) }, body, orelse: [], s: off(c) });
          else out.push(...body);
        }
      }
      return;
    }
    case 'with_statement': {
      const items: { expr: PyExpr; alias?: string }[] = [];
      const clause = named(n).find((c) => c.type === 'with_clause');
      for (const item of clause ? named(clause) : []) {
        const v = item.childForFieldName('value') ?? named(item)[0];
        if (!v) continue;
        if (v.type === 'as_pattern') {
          const [inner, target] = named(v);
          const alias = target ? (named(target)[0] ?? target).text : undefined;
          items.push({ expr: inner ? expr(inner) : other(v), ...(alias ? { alias } : {}) });
        } else items.push({ expr: expr(v) });
      }
      const body = n.childForFieldName('body');
      out.push({ t: 'with', items, body: body ? block(body) : [], s: off(n) });
      return;
    }
    case 'return_statement': {
      const v = named(n)[0];
      out.push(v ? { t: 'return', value: expr(v), s: off(n) } : { t: 'return', s: off(n) });
      return;
    }
    case 'block':
      out.push(...block(n));
      return;
    default:
      out.push({ t: 'other', kind: n.type, s: off(n) });
  }
}

function importName(n: Node): ImportName {
  if (n.type === 'aliased_import') {
    const name = n.childForFieldName('name')?.text ?? '';
    const alias = n.childForFieldName('alias')?.text;
    return alias ? { name, alias } : { name };
  }
  return { name: n.text };
}

function assignment(n: Node): PyStmt {
  const targets: PyExpr[] = [];
  let cur: Node | null = n;
  let annotation: PyExpr | undefined;
  let value: PyExpr | undefined;
  // a = b = c parses as assignment(left=a, right=assignment(left=b, right=c))
  while (cur && cur.type === 'assignment') {
    const left = cur.childForFieldName('left');
    if (left) targets.push(expr(left));
    const type = cur.childForFieldName('type');
    if (type && !annotation) annotation = expr(type);
    const right: Node | null = cur.childForFieldName('right');
    if (right && right.type !== 'assignment') value = expr(right);
    cur = right;
  }
  return { t: 'assign', targets, ...(annotation ? { annotation } : {}), ...(value ? { value } : {}), s: off(n) };
}

function classDef(n: Node, decorators: PyExpr[]): ClassDef {
  const bases: PyExpr[] = [];
  const keywords: Kw[] = [];
  const sup = n.childForFieldName('superclasses');
  if (sup) {
    for (const c of named(sup)) {
      if (c.type === 'keyword_argument') keywords.push(kw(c));
      else bases.push(expr(c));
    }
  }
  const body = n.childForFieldName('body');
  return { name: n.childForFieldName('name')?.text ?? '', bases, keywords, decorators, body: body ? block(body) : [], s: off(n) };
}

function funcDef(n: Node, decorators: PyExpr[]): FuncDef {
  const params: string[] = [];
  const defaults = new Map<string, PyExpr>();
  const ps = n.childForFieldName('parameters');
  for (const p of ps ? named(ps) : []) {
    const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? named(p).find((c) => c.type === 'identifier'));
    if (!id) continue;
    params.push(id.text);
    const v = p.type === 'default_parameter' || p.type === 'typed_default_parameter' ? p.childForFieldName('value') : null;
    if (v) defaults.set(id.text, expr(v));
  }
  const ret = n.childForFieldName('return_type');
  const body = n.childForFieldName('body');
  return {
    name: n.childForFieldName('name')?.text ?? '',
    params,
    ...(defaults.size ? { defaults } : {}),
    decorators,
    ...(ret ? { returns: expr(ret) } : {}),
    body: body ? block(body) : [],
    s: off(n),
  };
}

function kw(n: Node): Kw {
  const v = n.childForFieldName('value');
  return { name: n.childForFieldName('name')?.text ?? '', value: v ? expr(v) : other(n) };
}

// ---------------------------------------------------------------- expressions

function other(n: Node): PyExpr {
  return { t: 'other', kind: n.type, text: n.text, s: off(n) };
}

/** Comparison operators read as a binop (the rest of comparison_operator stays opaque). */
const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescape(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\s\S])/g, (m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? m;
  });
}

function stringNode(n: Node): { value: string; dynamic: boolean; parts: StrPart[] } {
  const start = n.children.find((c) => c?.type === 'string_start')?.text ?? '"';
  const prefix = start.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const fstr = prefix.includes('f');
  let value = '';
  let dynamic = false;
  const parts: StrPart[] = [];
  const text = (t: string): void => {
    value += t;
    if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += t;
    else parts.push(t);
  };
  for (const c of n.children) {
    if (!c) continue;
    if (c.type === 'string_content') {
      const t = raw ? c.text : unescape(c.text);
      text(fstr ? t.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : t);
    }
    else if (c.type === 'escape_sequence') text(raw ? c.text : unescape(c.text));
    else if (c.type === 'escape_interpolation') text(c.text.slice(1));
    else if (c.type === 'interpolation') {
      dynamic = true;
      value += c.text;
      const inner = c.childForFieldName('expression') ?? named(c)[0];
      const conv = named(c).find((x) => x.type === 'type_conversion')?.text.replace(/^!/, '');
      const spec = named(c).find((x) => x.type === 'format_specifier')?.text.replace(/^:/, '');
      parts.push({ expr: inner ? expr(inner) : other(c), ...(conv ? { conversion: conv } : {}), ...(spec !== undefined ? { spec } : {}) });
    }
  }
  return { value, dynamic, parts };
}

export function expr(n: Node): PyExpr {
  const s = off(n);
  switch (n.type) {
    case 'identifier':
      return { t: 'name', id: n.text, s };
    case 'attribute': {
      const o = n.childForFieldName('object');
      const a = n.childForFieldName('attribute');
      if (!o || !a) return other(n);
      return { t: 'attr', obj: expr(o), name: a.text, s };
    }
    case 'call': {
      const f = n.childForFieldName('function');
      const a = n.childForFieldName('arguments');
      if (!f) return other(n);
      const args: PyExpr[] = [];
      const kwargs: Kw[] = [];
      let splat = false;
      if (a?.type === 'argument_list') {
        for (const c of named(a)) {
          if (c.type === 'keyword_argument') kwargs.push(kw(c));
          else if (c.type === 'list_splat' || c.type === 'dictionary_splat') splat = true;
          else args.push(expr(c));
        }
      } else if (a) args.push(other(a));
      return { t: 'call', fn: expr(f), args, kwargs, splat, s };
    }
    case 'string': {
      const { value, dynamic, parts } = stringNode(n);
      return dynamic ? { t: 'str', value, dynamic, parts, s } : { t: 'str', value, dynamic, s };
    }
    case 'concatenated_string': {
      let value = '';
      let dynamic = false;
      const parts: StrPart[] = [];
      for (const c of named(n)) {
        if (c.type !== 'string') continue;
        const r = stringNode(c);
        value += r.value;
        dynamic ||= r.dynamic;
        parts.push(...r.parts);
      }
      return dynamic ? { t: 'str', value, dynamic, parts, s } : { t: 'str', value, dynamic, s };
    }
    case 'integer':
    case 'float':
      return { t: 'num', text: n.text.replace(/_/g, ''), s };
    case 'true':
      return { t: 'bool', value: true, s };
    case 'false':
      return { t: 'bool', value: false, s };
    case 'none':
      return { t: 'none', s };
    case 'tuple':
    case 'expression_list':
    case 'pattern_list':
      return { t: 'tuple', items: named(n).map(expr), s };
    case 'list':
      return { t: 'list', items: named(n).map(expr), s };
    case 'set':
      return { t: 'set', items: named(n).map(expr), s };
    case 'dictionary': {
      const entries: { key: PyExpr; value: PyExpr }[] = [];
      let splat = false;
      for (const c of named(n)) {
        if (c.type === 'pair') {
          const k = c.childForFieldName('key');
          const v = c.childForFieldName('value');
          if (k && v) entries.push({ key: expr(k), value: expr(v) });
        } else splat = true;
      }
      return { t: 'dict', entries, splat, s };
    }
    case 'subscript': {
      const v = n.childForFieldName('value');
      if (!v) return other(n);
      const idx: PyExpr[] = [];
      for (const c of n.childrenForFieldName('subscript')) if (c) idx.push(expr(c));
      return { t: 'subscript', value: expr(v), index: idx, s };
    }
    case 'generic_type': {
      const [base, params] = named(n);
      if (!base) return other(n);
      const idx = params ? named(params).map(expr) : [];
      return { t: 'subscript', value: expr(base), index: idx, s };
    }
    case 'type':
    case 'parenthesized_expression':
    case 'keyword_argument_value': {
      const inner = named(n)[0];
      return inner ? expr(inner) : other(n);
    }
    case 'union_type':
    case 'binary_operator': {
      const l = n.childForFieldName('left') ?? named(n)[0];
      const r = n.childForFieldName('right') ?? named(n)[1];
      const op = n.childForFieldName('operator')?.text ?? '|';
      if (!l || !r) return other(n);
      return { t: 'binop', op, left: expr(l), right: expr(r), s };
    }
    case 'comparison_operator': {
      // one comparison (`length >= 0` in a CheckConstraint); chains and `is`/`in` stay opaque
      const parts = named(n);
      const ops = n.childrenForFieldName('operators').filter((c) => c !== null);
      if (parts.length !== 2 || ops.length !== 1 || !COMPARISONS.has(ops[0]!.text)) return other(n);
      return { t: 'binop', op: ops[0]!.text, left: expr(parts[0]!), right: expr(parts[1]!), s };
    }
    case 'member_type': {
      const [o, a] = named(n);
      if (!o || !a) return other(n);
      return { t: 'attr', obj: expr(o), name: a.text, s };
    }
    case 'unary_operator': {
      const a = n.childForFieldName('argument');
      const op = n.childForFieldName('operator')?.text ?? '-';
      return a ? { t: 'unary', op, operand: expr(a), s } : other(n);
    }
    case 'lambda': {
      const ps = n.childForFieldName('parameters');
      const body = n.childForFieldName('body');
      const params = ps ? named(ps).map((p) => p.text) : [];
      return body ? { t: 'lambda', params, body: expr(body), s } : other(n);
    }
    default:
      return other(n);
  }
}
