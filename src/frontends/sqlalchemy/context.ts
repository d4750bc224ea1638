/**
 * Shared state of one read: the module graph, the schema being built (mutable), notes, and
 * the static evaluator for Python constants (strings, numbers, tuples, dicts, enum members).
 */
import type { Subject } from '../../diagnostics/subject.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type {
  CheckConstraint, Column, EnumType, Extension, ForeignKey, FrontendNote, Index, NoteArgs, KeyConstraint, Namespace, OtherObject, Sequence, Table, View, Domain,
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

/** Subject kinds that belong to a table. */
const TABLE_OBJECT_KINDS: ReadonlySet<Subject['kind']> = new Set(['column', 'constraint', 'index', 'foreign-key']);

export class Ctx {
  readonly notes: FrontendNote[] = [];
  readonly others: OtherObject[] = [];

  constructor(readonly graph: ModuleGraph) {}

  span(mod: Mod, s: Off): SourceSpan {
    return mod.lines.span(s.start, s.end - s.start);
  }

  note(mod: Mod, s: Off, ...[id, data, subject]: [...NoteArgs, subject?: Subject]): void {
    this.notes.push({ id, data, ...(subject ? { subject } : {}), span: this.span(mod, s) } as FrontendNote);
  }

  /**
   * Gives the notes from index `from` on the table they were met in, when their subject is a
   * column, constraint or index that names no table (column and constraint readers do not know it).
   */
  locateSubjects(from: number, table: QualifiedName): void {
    for (let i = from; i < this.notes.length; i++) {
      const n = this.notes[i]!;
      if (!n.subject || n.subject.table !== undefined || !TABLE_OBJECT_KINDS.has(n.subject.kind)) continue;
      this.notes[i] = { ...n, subject: { ...n.subject, ...(table.schema !== undefined ? { database: table.schema } : {}), table: table.name } };
    }
  }

  private readonly once = new Map<string, FrontendNote>();

  /** A note given at the first place only (an assumption repeated at every use is noise). */
  noteOnce(key: string, mod: Mod, s: Off, ...args: [...NoteArgs, subject?: Subject]): void {
    const had = this.once.get(key);
    // a note discarded by a silent probe is given again
    if (had && this.notes.includes(had)) return;
    this.note(mod, s, ...args);
    this.once.set(key, this.notes[this.notes.length - 1]!);
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
      case 'str': {
        if (!e.dynamic) return e.value;
        // f"index_{__tablename__}_key"
        let out = '';
        for (const p of e.parts ?? [{ expr: e }]) {
          if (typeof p === 'string') out += p;
          else {
            if (p.expr === e || p.spec) return undefined;
            const v = this.value(mod, p.expr, scope, depth + 1);
            const t = pyStr(v, p.conversion === 'r');
            if (t === undefined) return undefined;
            out += t;
          }
        }
        return out;
      }
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
        if (e.op === '%' && typeof l === 'string' && r !== undefined) return percentFormat(l, Array.isArray(r) ? r : [r]);
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
      case 'call':
        return this.callValue(mod, e, scope, depth);
      case 'attr': {
        // `cls.__name__` bound by the caller (declared_attr evaluation)
        if (e.obj.t === 'name' && scope?.has(`${e.obj.id}.${e.name}`)) return this.value(mod, scope.get(`${e.obj.id}.${e.name}`)!, scope, depth + 1);
        // Enum member `.value` / `.name`
        if ((e.name === 'value' || e.name === 'name') && e.obj.t === 'attr') {
          const cls = this.graph.resolve(mod, e.obj.obj, scope);
          if (cls.k === 'class') {
            const members = this.enumMembers(cls.mod, cls.def);
            const m = members?.find((x) => x.name === (e.obj as { name: string }).name);
            if (m) return e.name === 'name' ? m.name : m.value;
          }
        }
        // a member of a str-mixin enum is itself a str (`server_default=Status.NEW`)
        const owner = this.graph.resolve(mod, e.obj, scope);
        if (owner.k === 'class' && this.isStrEnum(owner.mod, owner.def)) {
          const m = this.enumMembers(owner.mod, owner.def)?.find((x) => x.name === e.name);
          if (m && typeof m.value === 'string') return m.value;
        }
        const r = this.graph.resolve(mod, e, scope);
        if (r.k === 'value') return this.value(r.mod, r.expr, undefined, depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * The common string helpers: str methods, `"...".format()`, `"_".join()`, `str()`,
   * `re.sub()`, and calls to the tree's own functions whose body returns one expression.
   */
  private callValue(mod: Mod, e: Extract<PyExpr, { t: 'call' }>, scope: Scope | undefined, depth: number): PyVal | undefined {
    if (e.splat) return undefined;
    const args = (): PyVal[] | undefined => {
      const out: PyVal[] = [];
      for (const a of e.args) {
        const v = this.value(mod, a, scope, depth + 1);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    };
    if (e.fn.t === 'attr' && STR_METHODS.has(e.fn.name)) {
      const self = this.value(mod, e.fn.obj, scope, depth + 1);
      const a = args();
      if (typeof self === 'string' && a) {
        if (e.fn.name === 'format') {
          const kw = new Map<string, PyVal>();
          for (const k of e.kwargs) {
            const v = this.value(mod, k.value, scope, depth + 1);
            if (v === undefined) return undefined;
            kw.set(k.name, v);
          }
          return braceFormat(self, a, kw);
        }
        if (e.kwargs.length === 0) return strMethod(self, e.fn.name, a);
      }
    }
    const path = this.graph.externalPath(mod, e.fn, scope);
    if (path === 're.sub' && e.kwargs.length === 0) {
      const a = args();
      if (a && a.length === 3 && a.every((x) => typeof x === 'string')) return reSub(a[0] as string, a[1] as string, a[2] as string);
      return undefined;
    }
    const r = this.graph.resolve(mod, e.fn, scope);
    if (r.k === 'builtin' && r.name === 'str' && e.args.length === 1) return pyStr(this.value(mod, e.args[0]!, scope, depth + 1), false);
    if (r.k !== 'func' || depth > 10) return undefined;
    const ret = r.def.body.length === 1 || r.def.body.filter((st) => st.t !== 'expr').length === 1 ? r.def.body.find((st) => st.t === 'return') : undefined;
    if (ret?.t !== 'return' || !ret.value) return undefined;
    // bind the parameters to the caller's values, in the function's own module
    const bound = new Map<string, PyExpr>();
    const params = r.def.params.filter((p) => p !== 'self');
    for (const [i, p] of params.entries()) {
      const given = e.kwargs.find((k) => k.name === p)?.value ?? e.args[i];
      if (given) {
        const v = this.value(mod, given, scope, depth + 1);
        if (v === undefined) return undefined;
        bound.set(p, literal(v, given.s));
      } else {
        const d = r.def.defaults?.get(p);
        if (d) bound.set(p, d);
      }
    }
    return this.value(r.mod, ret.value, bound, depth + 1);
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

  private isStrEnum(mod: Mod, def: ClassDef): boolean {
    return def.bases.some((b) => {
      const p = this.graph.resolve(mod, b);
      return (p.k === 'builtin' && p.name === 'str') || (p.k === 'external' && p.path === 'enum.StrEnum');
    });
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

const STR_METHODS = new Set(['lower', 'upper', 'title', 'capitalize', 'strip', 'lstrip', 'rstrip', 'replace', 'format', 'join', 'removeprefix', 'removesuffix']);

function strMethod(self: string, name: string, a: readonly PyVal[]): PyVal | undefined {
  const s0 = typeof a[0] === 'string' ? a[0] : undefined;
  const strip = (re: string): RegExp => new RegExp(re.replace('X', s0 === undefined ? '\\s' : `[${s0.replace(/[\]\\^-]/g, '\\$&')}]`));
  switch (name) {
    case 'lower':
      return self.toLowerCase();
    case 'upper':
      return self.toUpperCase();
    case 'title':
      return self.toLowerCase().replace(/(^|[^a-zA-Z])([a-z])/g, (_, p: string, c: string) => p + c.toUpperCase());
    case 'capitalize':
      return self.charAt(0).toUpperCase() + self.slice(1).toLowerCase();
    case 'strip':
      return self.replace(strip('^X+'), '').replace(strip('X+$'), '');
    case 'lstrip':
      return self.replace(strip('^X+'), '');
    case 'rstrip':
      return self.replace(strip('X+$'), '');
    case 'replace':
      return typeof a[0] === 'string' && typeof a[1] === 'string' && a.length === 2 ? self.split(a[0]).join(a[1]) : undefined;
    case 'removeprefix':
      return s0 !== undefined ? (self.startsWith(s0) ? self.slice(s0.length) : self) : undefined;
    case 'removesuffix':
      return s0 !== undefined ? (s0 && self.endsWith(s0) ? self.slice(0, -s0.length) : self) : undefined;
    case 'join':
      return Array.isArray(a[0]) && a[0].every((x) => typeof x === 'string') ? a[0].join(self) : undefined;
    default:
      return undefined;
  }
}

/** Python's str() of a constant (repr for !r); undefined for containers. */
function pyStr(v: PyVal | undefined, repr: boolean): string | undefined {
  if (typeof v === 'string') return repr ? `'${v}'` : v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return undefined;
}

function percentFormat(fmt: string, a: readonly PyVal[]): string | undefined {
  let i = 0;
  let ok = true;
  const out = fmt.replace(/%([%sdir])/g, (m, c: string) => {
    if (c === '%') return '%';
    const t = pyStr(a[i++], c === 'r');
    if (t === undefined) ok = false;
    return t ?? '';
  });
  return ok && i === a.length ? out : undefined;
}

function braceFormat(fmt: string, a: readonly PyVal[], kw: ReadonlyMap<string, PyVal>): string | undefined {
  let i = 0;
  let ok = true;
  const out = fmt.replace(/\{\{|\}\}|\{([^{}!:]*)\}/g, (m, key: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = key === '' ? a[i++] : /^\d+$/.test(key!) ? a[Number(key)] : kw.get(key!);
    const t = pyStr(v, false);
    if (t === undefined) ok = false;
    return t ?? '';
  });
  return ok ? out : undefined;
}

/** `re.sub(pattern, repl, string)`: Python's syntax translated to JavaScript's where they differ. */
function reSub(pattern: string, repl: string, text: string): string | undefined {
  try {
    const re = new RegExp(pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), 'gu');
    const r = repl.replace(/\$/g, '$$$$').replace(/\\g<(\w+)>/g, (_, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)).replace(/\\(\d)/g, '$$$1');
    return text.replace(re, r);
  } catch {
    return undefined;
  }
}

/** A constant as an expression node, so it can be bound in a Scope. */
export function literal(v: PyVal, s: Off): PyExpr {
  if (typeof v === 'string') return { t: 'str', value: v, dynamic: false, s };
  if (typeof v === 'number') return { t: 'num', text: String(v), s };
  if (typeof v === 'boolean') return { t: 'bool', value: v, s };
  if (v === null) return { t: 'none', s };
  if (Array.isArray(v)) return { t: 'tuple', items: v.map((x) => literal(x, s)), s };
  const d = v as { dict: ReadonlyMap<string, PyVal> };
  return { t: 'dict', entries: [...d.dict].map(([k, x]) => ({ key: literal(k, s), value: literal(x, s) })), splat: false, s };
}
