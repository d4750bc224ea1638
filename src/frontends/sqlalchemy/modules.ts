/**
 * Module and import resolution across the input tree: gives every file a dotted module
 * name, builds its top-level symbol table and resolves names and attribute chains to
 * local classes, functions, values, modules, or external (library) paths.
 */
import type { SourceFile } from '../../diagnostics/span.js';
import { LineIndex } from '../../diagnostics/span.js';
import type { ClassDef, FuncDef, Off, PyExpr, PyModule, PyStmt } from './ast.js';

export type Sym =
  | { readonly k: 'import'; readonly module: string; readonly name?: string; readonly level: number }
  | { readonly k: 'class'; readonly def: ClassDef }
  | { readonly k: 'func'; readonly def: FuncDef }
  | { readonly k: 'value'; readonly expr: PyExpr; readonly annotation?: PyExpr };

export interface Mod {
  readonly file: SourceFile;
  readonly lines: LineIndex;
  readonly parts: readonly string[];
  readonly isPackage: boolean;
  readonly ast: PyModule;
  readonly symbols: Map<string, Sym>;
}

export type Resolved =
  | { readonly k: 'external'; readonly path: string }
  | { readonly k: 'class'; readonly mod: Mod; readonly def: ClassDef }
  | { readonly k: 'func'; readonly mod: Mod; readonly def: FuncDef }
  | { readonly k: 'value'; readonly mod: Mod; readonly expr: PyExpr; readonly name: string }
  | { readonly k: 'module'; readonly mod: Mod }
  | { readonly k: 'builtin'; readonly name: string }
  | { readonly k: 'unresolved'; readonly text: string };

/** Packages never looked up in the input tree. */
const EXTERNAL_ROOTS = new Set([
  'sqlalchemy', 'sqlmodel', 'alembic', 'typing', 'typing_extensions', 'datetime', 'decimal', 'uuid', 'enum',
  'pgvector', 'geoalchemy2', 'sqlalchemy_utils', 'sqlalchemy_jsonfield', 'flask_sqlalchemy', 'pydantic', 'os', 'sys', 'json', 'collections', 'dataclasses', '__future__',
]);

/** A dotted path into a library the reader knows (not a project module missing from the input). */
export function isLibraryPath(path: string): boolean {
  return EXTERNAL_ROOTS.has(path.split('.')[0]!);
}

const BUILTINS = new Set(['int', 'str', 'bool', 'float', 'bytes', 'dict', 'list', 'set', 'tuple', 'object', 'type', 'frozenset', 'bytearray', 'None']);

/** A local scope (function body, class body) searched before the module's symbols. */
export type Scope = ReadonlyMap<string, PyExpr>;

export class ModuleGraph {
  readonly mods: Mod[] = [];
  private readonly byKey = new Map<string, Mod>();

  add(file: SourceFile, ast: PyModule): Mod {
    const parts = file.path.replace(/\\/g, '/').replace(/\.py$/, '').split('/').filter((p) => p !== '' && p !== '.');
    const isPackage = parts[parts.length - 1] === '__init__';
    if (isPackage) parts.pop();
    const mod: Mod = { file, lines: new LineIndex(file), parts, isPackage, ast, symbols: new Map() };
    collectSymbols(ast.body, mod.symbols);
    this.mods.push(mod);
    this.byKey.set(parts.join('.'), mod);
    return mod;
  }

  /** Finds a module of the tree by absolute or relative dotted name. */
  findModule(from: Mod, name: string, level: number): Mod | undefined {
    if (level > 0) {
      const base = from.isPackage ? [...from.parts] : from.parts.slice(0, -1);
      const up = base.slice(0, Math.max(0, base.length - (level - 1)));
      const key = [...up, ...(name ? name.split('.') : [])].join('.');
      return this.byKey.get(key);
    }
    const want = name.split('.');
    if (EXTERNAL_ROOTS.has(want[0]!)) return undefined;
    let best: Mod | undefined;
    let bestScore = -1;
    for (const m of this.mods) {
      // the module's path ends with the import (input rooted above the package), or
      // the import ends with the module's path (input rooted inside the package)
      const n = Math.min(m.parts.length, want.length);
      let ok = n > 0;
      for (let i = 1; i <= n && ok; i++) if (m.parts[m.parts.length - i] !== want[want.length - i]) ok = false;
      if (!ok) continue;
      if (m.parts.length < want.length && m.parts.length < 1) continue;
      const score = n * 10 - Math.abs(m.parts.length - want.length);
      if (score > bestScore) {
        best = m;
        bestScore = score;
      }
    }
    // a bare single-segment name must match the whole remaining path of a sibling module
    if (best && want.length === 1 && best.parts.length > 1) {
      const sibling = from.parts.slice(0, -1).concat(want).join('.');
      if (best.parts.join('.') !== sibling && this.byKey.get(sibling)) return this.byKey.get(sibling);
    }
    return best;
  }

  /** Resolves a name in a module, following imports (up to a depth limit). */
  resolveName(mod: Mod, name: string, scope?: Scope, depth = 0): Resolved {
    if (depth > 30) return { k: 'unresolved', text: name };
    const local = scope?.get(name);
    if (local) return { k: 'value', mod, expr: local, name };
    const sym = mod.symbols.get(name);
    if (!sym) {
      const star = this.fromStar(mod, name, depth);
      if (star) return star;
      if (BUILTINS.has(name)) return { k: 'builtin', name };
      return { k: 'unresolved', text: name };
    }
    switch (sym.k) {
      case 'class':
        return { k: 'class', mod, def: sym.def };
      case 'func':
        return { k: 'func', mod, def: sym.def };
      case 'value':
        return { k: 'value', mod, expr: sym.expr, name };
      case 'import': {
        if (sym.name === undefined) {
          // `import a.b as c` / `import a`
          const target = this.findModule(mod, sym.module, sym.level);
          if (target && sym.level === 0 && this.isLocalRoot(sym.module, target)) return { k: 'module', mod: target };
          return { k: 'external', path: sym.module };
        }
        const target = this.findModule(mod, sym.module, sym.level);
        if (target) {
          if (target.symbols.has(sym.name)) return this.resolveName(target, sym.name, undefined, depth + 1);
          const sub = this.findModule(target, sym.name, 1);
          if (sub && target.isPackage) return { k: 'module', mod: sub };
          const sub2 = this.findModule(mod, `${sym.module}.${sym.name}`, sym.level);
          if (sub2) return { k: 'module', mod: sub2 };
          const star = this.fromStar(target, sym.name, depth);
          if (star) return star;
          return { k: 'unresolved', text: `${sym.module}.${sym.name}` };
        }
        if (sym.level > 0) {
          // a relative import of a namespace package's submodule
          const sub = this.findModule(mod, sym.module ? `${sym.module}.${sym.name}` : sym.name, sym.level);
          if (sub) return { k: 'module', mod: sub };
          return { k: 'unresolved', text: `${'.'.repeat(sym.level)}${sym.module}.${sym.name}` };
        }
        const sub = this.findModule(mod, `${sym.module}.${sym.name}`, 0);
        if (sub && this.isLocalRoot(`${sym.module}.${sym.name}`, sub)) return { k: 'module', mod: sub };
        return { k: 'external', path: `${sym.module}.${sym.name}` };
      }
    }
  }

  /** A name bound by `from x import *` in `mod` (honouring the source module's `__all__`). */
  private fromStar(mod: Mod, name: string, depth: number): Resolved | undefined {
    if (depth > 30 || name.startsWith('_')) return undefined;
    let external: string | undefined;
    for (const st of starImports(mod.ast.body)) {
      const m = this.findModule(mod, st.module, st.level);
      if (!m) {
        if (st.level === 0 && EXTERNAL_ROOTS.has(st.module.split('.')[0]!)) external ??= `${st.module}.${name}`;
        continue;
      }
      if (m === mod) continue;
      const all = exportedNames(m);
      if (all && !all.has(name)) continue;
      if (m.symbols.has(name)) return this.resolveName(m, name, undefined, depth + 1);
      const deeper = this.fromStar(m, name, depth + 1);
      if (deeper) return deeper;
    }
    return external ? { k: 'external', path: external } : undefined;
  }

  /** True when `target` really is the module named `name` (not a suffix accident such as `sqlalchemy`). */
  private isLocalRoot(name: string, target: Mod): boolean {
    const want = name.split('.');
    const tail = target.parts.slice(-want.length);
    return tail.length === want.length && tail.every((p, i) => p === want[i]);
  }

  resolve(mod: Mod, e: PyExpr, scope?: Scope, depth = 0): Resolved {
    if (depth > 30) return { k: 'unresolved', text: '…' };
    if (e.t === 'name') return this.resolveName(mod, e.id, scope, depth);
    if (e.t === 'attr') {
      const o = this.resolve(mod, e.obj, scope, depth + 1);
      switch (o.k) {
        case 'external':
          return { k: 'external', path: `${o.path}.${e.name}` };
        case 'module': {
          if (o.mod.symbols.has(e.name)) return this.resolveName(o.mod, e.name, undefined, depth + 1);
          const star = this.fromStar(o.mod, e.name, depth);
          if (star) return star;
          const sub = this.findModule(o.mod, e.name, 1);
          if (sub && o.mod.isPackage) return { k: 'module', mod: sub };
          return { k: 'unresolved', text: `${o.mod.parts.join('.')}.${e.name}` };
        }
        case 'value': {
          // Flask-SQLAlchemy's `db = SQLAlchemy()`: `db.Column`, `db.Integer`, `db.relationship`... are SQLAlchemy's
          if (o.expr.t === 'call' && isFlaskSqlalchemy(this.externalPath(o.mod, o.expr.fn))) return { k: 'external', path: FLASK_ATTRS.has(e.name) ? `flask_sqlalchemy.${e.name}` : `sqlalchemy.${e.name}` };
          // an alias of a module-level value: `Base.metadata`, `pg = postgresql`
          if (o.expr.t === 'name' || o.expr.t === 'attr') {
            const inner = this.resolve(o.mod, o.expr, undefined, depth + 1);
            if (inner.k === 'external') return { k: 'external', path: `${inner.path}.${e.name}` };
          }
          return { k: 'unresolved', text: `${o.name}.${e.name}` };
        }
        default:
          return { k: 'unresolved', text: `${exprText(mod, e.obj)}.${e.name}` };
      }
    }
    return { k: 'unresolved', text: exprText(mod, e) };
  }

  /** The dotted external path of an expression, following local aliases (`sa.String` → `sqlalchemy.String`). */
  externalPath(mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
    const r = this.resolve(mod, e, scope);
    if (r.k === 'external') return r.path;
    if (r.k === 'value' && (r.expr.t === 'name' || r.expr.t === 'attr') && r.expr !== e) return this.externalPath(r.mod, r.expr);
    return undefined;
  }
}

/** `flask_sqlalchemy.SQLAlchemy` (also through `flask_sqlalchemy.extension`). */
export function isFlaskSqlalchemy(path: string | undefined): boolean {
  return !!path && /^flask_sqlalchemy(\.extension)?\.SQLAlchemy$/.test(path);
}

/** Attributes of a Flask-SQLAlchemy extension object that are its own, not SQLAlchemy's. */
const FLASK_ATTRS = new Set(['Model', 'metadata', 'session', 'engine', 'engines', 'metadatas', 'Query', 'init_app', 'create_all', 'drop_all', 'get_or_404', 'paginate']);

function starImports(body: readonly PyStmt[]): Extract<PyStmt, { t: 'from' }>[] {
  const out: Extract<PyStmt, { t: 'from' }>[] = [];
  for (const st of body) {
    if (st.t === 'from' && st.star) out.push(st);
    else if (st.t === 'if') out.push(...starImports(st.body), ...starImports(st.orelse));
  }
  return out;
}

/** A module's static `__all__`, if it has one. */
function exportedNames(m: Mod): Set<string> | undefined {
  const sym = m.symbols.get('__all__');
  if (sym?.k !== 'value') return undefined;
  const e = sym.expr;
  if (e.t !== 'list' && e.t !== 'tuple') return undefined;
  const names = new Set<string>();
  for (const i of e.items) {
    if (i.t !== 'str' || i.dynamic) return undefined;
    names.add(i.value);
  }
  return names;
}

export function exprText(mod: Mod, e: { readonly s: Off }): string {
  return mod.file.text.slice(e.s.start, e.s.end);
}

function collectSymbols(body: readonly PyStmt[], into: Map<string, Sym>): void {
  for (const st of body) {
    switch (st.t) {
      case 'import':
        for (const n of st.names) {
          if (n.alias) into.set(n.alias, { k: 'import', module: n.name, level: 0 });
          else {
            const first = n.name.split('.')[0]!;
            into.set(first, { k: 'import', module: first, level: 0 });
          }
        }
        break;
      case 'from':
        for (const n of st.names) into.set(n.alias ?? n.name, { k: 'import', module: st.module, name: n.name, level: st.level });
        break;
      case 'class':
        into.set(st.def.name, { k: 'class', def: st.def });
        break;
      case 'def':
        into.set(st.def.name, { k: 'func', def: st.def });
        break;
      case 'assign':
        for (const t of st.targets) {
          if (t.t === 'name' && st.value) into.set(t.id, { k: 'value', expr: st.value, ...(st.annotation ? { annotation: st.annotation } : {}) });
          else if (t.t === 'name' && st.annotation && !into.has(t.id)) {
            // a bare annotation: ignore
          }
        }
        break;
      case 'if':
        if (st.test.t === 'other' && st.test.kind === 'except') {
          // an ImportError fallback only defines what the try body did not
          const alt = new Map<string, Sym>();
          collectSymbols(st.body, alt);
          for (const [k, v] of alt) if (!into.has(k)) into.set(k, v);
          break;
        }
        // `if TYPE_CHECKING:` imports and version switches: take both branches, the last wins
        collectSymbols(st.body, into);
        collectSymbols(st.orelse, into);
        break;
      case 'with':
        collectSymbols(st.body, into);
        break;
      default:
        break;
    }
  }
}
