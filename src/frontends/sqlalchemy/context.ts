/**
 * Shared state of one read: the module graph, the schema being built (mutable), notes, and
 * the static evaluator for Python constants (strings, numbers, tuples, dicts, enum members).
 */
import type { Subject } from '../../diagnostics/subject.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type {
  CheckConstraint, Column, EnumType, Extension, ForeignKey, FrontendNote, Index, KeyConstraint, Namespace, OtherObject, Sequence, Table, View, Domain,
} from '../../ir/schema.js';
import type { QualifiedName } from '../../ir/types.js';
import type { ClassDef, Off, PyExpr } from './ast.js';
import { exprText, type Mod, type ModuleGraph, type Scope } from './modules.js';

export interface MTable {
  name: QualifiedName;
  columns: Column[];
  primaryKey?: KeyConstraint;
  uniques: KeyConstraint[];
  foreignKeys: ForeignKey[];
  checks: CheckConstraint[];
  indexes: Index[];
  comment?: string;
  span?: SourceSpan;
}

export function toTable(t: MTable): Table {
  return {
    name: t.name,
    columns: t.columns,
    ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
    uniques: t.uniques,
    foreignKeys: t.foreignKeys,
    checks: t.checks,
    excludes: [],
    indexes: t.indexes,
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
    inherits: [],
    persistence: 'permanent',
    ...(t.span ? { span: t.span } : {}),
  };
}

export function fromTable(t: Table): MTable {
  return {
    name: t.name,
    columns: [...t.columns],
    ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}),
    uniques: [...t.uniques],
    foreignKeys: [...t.foreignKeys],
    checks: [...t.checks],
    indexes: [...t.indexes],
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
    ...(t.span ? { span: t.span } : {}),
  };
}

export const qkey = (n: QualifiedName): string => `${n.schema ?? ''}.${n.name}`;

/** A statically evaluated Python value. */
export type PyVal = string | number | boolean | null | readonly PyVal[] | { readonly dict: ReadonlyMap<string, PyVal> };

export interface SchemaState {
  tables: Map<string, MTable>;
  enums: Map<string, EnumType>;
  sequences: Map<string, Sequence>;
  extensions: Extension[];
  views: View[];
  domains: Domain[];
  namespaces: Namespace[];
}

export function newState(): SchemaState {
  return { tables: new Map(), enums: new Map(), sequences: new Map(), extensions: [], views: [], domains: [], namespaces: [] };
}

export class Ctx {
  readonly notes: FrontendNote[] = [];
  readonly others: OtherObject[] = [];

  constructor(readonly graph: ModuleGraph) {}

  span(mod: Mod, s: Off): SourceSpan {
    return mod.lines.span(s.start, s.end - s.start);
  }

  note(mod: Mod, s: Off, id: FrontendNote['id'], message: string, subject?: Subject): void {
    this.notes.push({ id, message, ...(subject ? { subject } : {}), span: this.span(mod, s) });
  }

  other(mod: Mod, s: Off, o: Omit<OtherObject, 'span'>): void {
    this.others.push({ ...o, span: this.span(mod, s) });
  }

  text(mod: Mod, e: { readonly s: Off }): string {
    return exprText(mod, e);
  }

  /** Evaluates constants: literals, containers, module-level names, `Enum.MEMBER.value`, `"a" + "b"`. */
  value(mod: Mod, e: PyExpr, scope?: Scope, depth = 0): PyVal | undefined {
    if (depth > 20) return undefined;
    switch (e.t) {
      case 'str':
        return e.dynamic ? undefined : e.value;
      case 'num': {
        const n = Number(e.text);
        return Number.isFinite(n) ? n : undefined;
      }
      case 'bool':
        return e.value;
      case 'none':
        return null;
      case 'unary': {
        const v = this.value(mod, e.operand, scope, depth + 1);
        if (typeof v === 'number') return e.op === '-' ? -v : v;
        if (e.op === 'not' && typeof v === 'boolean') return !v;
        return undefined;
      }
      case 'binop': {
        const l = this.value(mod, e.left, scope, depth + 1);
        const r = this.value(mod, e.right, scope, depth + 1);
        if (e.op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
        if (typeof l === 'number' && typeof r === 'number') {
          if (e.op === '+') return l + r;
          if (e.op === '*') return l * r;
          if (e.op === '-') return l - r;
        }
        if (e.op === '+' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
        return undefined;
      }
      case 'tuple':
      case 'list':
      case 'set': {
        const out: PyVal[] = [];
        for (const i of e.items) {
          const v = this.value(mod, i, scope, depth + 1);
          if (v === undefined) return undefined;
          out.push(v);
        }
        return out;
      }
      case 'dict': {
        if (e.splat) return undefined;
        const m = new Map<string, PyVal>();
        for (const { key, value } of e.entries) {
          const k = this.value(mod, key, scope, depth + 1);
          const v = this.value(mod, value, scope, depth + 1);
          if (typeof k !== 'string' || v === undefined) return undefined;
          m.set(k, v);
        }
        return { dict: m };
      }
      case 'name': {
        const r = this.graph.resolve(mod, e, scope);
        if (r.k === 'value') return this.value(r.mod, r.expr, r.mod === mod ? scope : undefined, depth + 1);
        return undefined;
      }
      case 'attr': {
        // Enum member `.value` / `.name`
        if ((e.name === 'value' || e.name === 'name') && e.obj.t === 'attr') {
          const cls = this.graph.resolve(mod, e.obj.obj, scope);
          if (cls.k === 'class') {
            const members = this.enumMembers(cls.mod, cls.def);
            const m = members?.find((x) => x.name === (e.obj as { name: string }).name);
            if (m) return e.name === 'name' ? m.name : m.value;
          }
        }
        const r = this.graph.resolve(mod, e, scope);
        if (r.k === 'value') return this.value(r.mod, r.expr, undefined, depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  str(mod: Mod, e: PyExpr | undefined, scope?: Scope): string | undefined {
    if (!e) return undefined;
    const v = this.value(mod, e, scope);
    return typeof v === 'string' ? v : undefined;
  }

  num(mod: Mod, e: PyExpr | undefined, scope?: Scope): number | undefined {
    if (!e) return undefined;
    const v = this.value(mod, e, scope);
    return typeof v === 'number' ? v : undefined;
  }

  bool(mod: Mod, e: PyExpr | undefined, scope?: Scope): boolean | undefined {
    if (!e) return undefined;
    const v = this.value(mod, e, scope);
    return typeof v === 'boolean' ? v : undefined;
  }

  private readonly enumCache = new Map<ClassDef, { name: string; value: PyVal }[] | undefined>();

  /** Members of a Python enum class defined in the tree (undefined when it is not one). */
  enumMembers(mod: Mod, def: ClassDef): { name: string; value: PyVal }[] | undefined {
    if (this.enumCache.has(def)) return this.enumCache.get(def);
    let isEnum = false;
    let strEnum = false;
    for (const b of def.bases) {
      const p = this.graph.externalPath(mod, b);
      if (p && /^enum\.(Enum|IntEnum|StrEnum|Flag|IntFlag)$/.test(p)) {
        isEnum = true;
        if (p === 'enum.StrEnum') strEnum = true;
      }
      const r = this.graph.resolve(mod, b);
      if (r.k === 'class' && this.enumMembers(r.mod, r.def)) isEnum = true;
      if (r.k === 'builtin' && r.name === 'str') strEnum = true;
    }
    if (!isEnum) {
      this.enumCache.set(def, undefined);
      return undefined;
    }
    const out: { name: string; value: PyVal }[] = [];
    let auto = 0;
    for (const st of def.body) {
      if (st.t !== 'assign' || !st.value) continue;
      const target = st.targets[0];
      if (target?.t !== 'name' || target.id.startsWith('_')) continue;
      let v = this.value(mod, st.value);
      if (v === undefined && st.value.t === 'call' && st.value.fn.t !== 'other' && /(^|\.)auto$/.test(this.text(mod, st.value.fn))) {
        v = strEnum ? target.id.toLowerCase() : ++auto;
      }
      if (v === undefined) v = this.text(mod, st.value);
      if (Array.isArray(v) && v.length > 0) v = v[0] as PyVal;
      out.push({ name: target.id, value: v });
    }
    this.enumCache.set(def, out);
    return out;
  }
}

/** Keyword argument lookup + positional fallback on a call. */
export function arg(call: { readonly args: readonly PyExpr[]; readonly kwargs: readonly { name: string; value: PyExpr }[] }, name: string, pos?: number): PyExpr | undefined {
  for (const k of call.kwargs) if (k.name === name) return k.value;
  return pos === undefined ? undefined : call.args[pos];
}
