import { objectSubject } from '../../diagnostics/subject.js';
/**
 * Column and type lowering: `Column(...)`, `mapped_column(...)`, SQLModel `Field(...)` and
 * `Mapped[...]` annotations → ColSpec (a column before table-level rules such as
 * autoincrement and naming conventions are applied by ./tables.ts).
 */
import type { Identity } from '../../ir/schema.js';
import type { Expr } from '../../ir/types.js';
import { dotted, type Kw, type Off, type PyExpr } from './ast.js';
import { arg, literal, type Ctx, type SchemaState, qkey } from './context.js';
import { isLibraryPath, type Mod, type Scope } from './modules.js';
import { isNowCall, renderSql } from './sql-render.js';
import { ANNOTATION_TYPES, SQLMODEL_ANNOTATION_TYPES, TYPE_RULES, parsePgTypeName, scalar, typeRuleName, type Lowered, type TypeArgs } from './type-rules.js';

export interface MetaInfo {
  /** Naming convention templates by kind: ix, uq, ck, fk, pk. */
  readonly naming: ReadonlyMap<string, string>;
  readonly schema?: string;
  /** `type_annotation_map` entries, keyed by the normalised annotation text. */
  readonly typeMap: ReadonlyMap<string, { readonly mod: Mod; readonly expr: PyExpr }>;
  readonly sqlmodel?: boolean;
}

export const DEFAULT_META: MetaInfo = { naming: new Map([['ix', 'ix_%(column_0_label)s']]), typeMap: new Map() };

export interface FkSpec {
  readonly target: string;
  readonly name?: string;
  readonly conv?: boolean;
  readonly onDelete?: string;
  readonly onUpdate?: string;
  readonly deferrable?: boolean;
  readonly initially?: string;
  readonly s: Off;
  readonly mod: Mod;
}

export interface CheckSpec {
  readonly name?: string;
  readonly conv?: boolean;
  readonly sql: string;
  readonly s: Off;
  readonly mod: Mod;
}

export interface ColSpec {
  key: string;
  name: string;
  mod: Mod;
  s: Off;
  type?: Lowered;
  nullable?: boolean;
  annotationNullable?: boolean;
  primaryKey: boolean;
  unique?: boolean;
  index?: boolean;
  autoincrement: boolean | 'auto' | 'ignore_fk';
  comment?: string;
  serverDefault?: Expr;
  serverDefaultSpan?: Off;
  /** Where serverDefaultSpan is: an Annotated alias's module, or the column's. */
  serverDefaultMod?: Mod;
  identity?: Identity;
  computed?: { sql: string };
  sequence?: string;
  /** Python-side defaults with no DDL. */
  pyDefault?: { what: string; text: string; s: Off };
  pyOnUpdate?: { text: string; s: Off };
  onUpdateNow?: boolean;
  fks: FkSpec[];
  checks: CheckSpec[];
  enumCheck?: { name?: string; values: readonly string[] };
  sortOrder: number;
}

/** A call read in the module that wrote it: an Annotated alias's mapped_column may live in another module. */
type ModCall = { readonly mod: Mod; readonly call: Extract<PyExpr, { t: 'call' }> };
type Mapped = { kind: 'column'; type?: Lowered; nullable?: boolean; extra: ModCall[] } | { kind: 'skip' };

/** Python comparison operators as SQLAlchemy renders them in SQL. */
const SQL_COMPARISON: Readonly<Record<string, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '=', '!=': '!=' };

const norm = (s: string): string => s.replace(/\s+/g, '').replace(/typing\.|t\./g, '');

/** A recognised SQLAlchemy constructor name (`Column`, `ForeignKey`...), from the external path. */
export function saCallName(cx: Ctx, mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
  if (e.t !== 'call') return undefined;
  const p = cx.graph.externalPath(mod, e.fn, scope);
  if (!p) return undefined;
  const last = p.slice(p.lastIndexOf('.') + 1);
  if (/^(sqlalchemy|sqlmodel|alembic)\b/.test(p)) return last;
  if (!ASSUMED_SA_NAMES.has(last) || isLibraryPath(p)) return undefined;
  // a project helper outside the input (`from myapp.utils.sqlalchemy import mapped_column`)
  cx.noteOnce(`assumed:${p}`, mod, e.fn.s, 'unresolved-reference', { place: 'python-import', kind: 'module', name: last, module: p.slice(0, p.lastIndexOf('.')) }, { kind: 'file', name: p });
  return last;
}

/** Constructors a project commonly re-exports or wraps under the same name. */
const ASSUMED_SA_NAMES = new Set(['mapped_column', 'Column', 'relationship', 'ForeignKey', 'Index', 'UniqueConstraint', 'PrimaryKeyConstraint', 'ForeignKeyConstraint', 'CheckConstraint', 'Table']);

export class Lowerer {
  /** While a class's `__table_args__` are read: its attribute names → column names. */
  classAttrs?: ReadonlyMap<string, string>;

  constructor(
    readonly cx: Ctx,
    readonly state: SchemaState,
  ) {}

  // ------------------------------------------------------------ types

  /** Lowers a type expression (`String(50)`, `JSONB`, `MutableDict.as_mutable(JSONB)`...). */
  lowerType(mod: Mod, e: PyExpr, scope?: Scope, depth = 0): (Lowered & { enumCheck?: ColSpec['enumCheck'] }) | undefined {
    if (depth > 15) return undefined;
    const cx = this.cx;
    const call = e.t === 'call' ? e : undefined;
    const callee = call ? call.fn : e;
    // wrappers
    if (call && callee.t === 'attr') {
      if (callee.name === 'as_mutable' && call.args[0]) return this.lowerType(mod, call.args[0], scope, depth + 1);
      if (callee.name === 'with_variant') {
        const dialects = cx.value(mod, call.args[1] ?? { t: 'none', s: call.s }, scope);
        const list = Array.isArray(dialects) ? dialects : [dialects];
        if (list.includes('postgresql') && call.args[0]) return this.lowerType(mod, call.args[0], scope, depth + 1);
        return this.lowerType(mod, callee.obj, scope, depth + 1);
      }
      if (callee.name === 'evaluates_none' || callee.name === 'as_generic' || callee.name === 'copy') return this.lowerType(mod, callee.obj, scope, depth + 1);
    }
    const r = cx.graph.resolve(mod, callee, scope);
    if (r.k === 'external') {
      const ruleName = typeRuleName(r.path);
      if (!ruleName) return undefined;
      return this.applyRule(mod, ruleName, call, scope);
    }
    if (r.k === 'value' && !call) return this.lowerType(r.mod, r.expr, r.mod === mod ? scope : undefined, depth + 1);
    if (r.k === 'value' && call) {
      // a re-exported alias called here: `String = sa.String` ... `sql.String(64)`
      const p = cx.graph.externalPath(mod, callee, scope);
      const ruleName = p ? typeRuleName(p) : undefined;
      if (ruleName) return this.applyRule(mod, ruleName, call, scope);
    }
    if (r.k === 'class') return this.lowerTypeClass(r.mod, r.def, call, mod, scope, depth);
    if (r.k === 'func' && call) {
      // a helper returning a type: `def StringID(*, length=ID_LEN, **kw): return String(length=length, **kw)`
      const bound = this.bindCall(mod, call, r.mod, r.def, scope);
      const ret = bound && findReturn(r.def.body);
      if (bound && ret) return this.lowerType(r.mod, ret, bound, depth + 1);
    }
    return undefined;
  }

  /** A helper function's parameters bound to a call's arguments (constants cross modules; expressions within one). */
  bindCall(mod: Mod, call: Extract<PyExpr, { t: 'call' }>, fmod: Mod, def: import('./ast.js').FuncDef, scope?: Scope): Map<string, PyExpr> | undefined {
    if (call.splat) return undefined;
    const bound = new Map<string, PyExpr>();
    const params = def.params.filter((p) => p !== 'self' && p !== 'cls');
    if (call.args.length > params.length) return undefined;
    for (const [i, p] of params.entries()) {
      const given = call.kwargs.find((k) => k.name === p)?.value ?? call.args[i];
      if (given) {
        const v = this.cx.value(mod, given, scope);
        if (v !== undefined) bound.set(p, literal(v, given.s));
        else if (fmod === mod) bound.set(p, given);
        else return undefined;
      } else {
        const d = def.defaults?.get(p);
        if (d) bound.set(p, d);
      }
    }
    return bound;
  }

  private applyRule(mod: Mod, ruleName: string, call: Extract<PyExpr, { t: 'call' }> | undefined, scope?: Scope): (Lowered & { enumCheck?: ColSpec['enumCheck'] }) | undefined {
    const rule = TYPE_RULES[ruleName]!;
    if (rule.special === 'enum') return this.lowerEnum(mod, ruleName, call, scope);
    const cx = this.cx;
    const get = (name: string): PyExpr | undefined => {
      if (!call) return undefined;
      const i = rule.params.indexOf(name);
      return arg(call, name, i >= 0 ? i : undefined);
    };
    const args: TypeArgs = {
      num: (n) => cx.num(mod, get(n), scope),
      bool: (n) => cx.bool(mod, get(n), scope),
      str: (n) => cx.str(mod, get(n), scope),
      nested: (n) => {
        const e = get(n);
        return e ? this.lowerType(mod, e, scope) : undefined;
      },
    };
    const type = rule.build(args);
    return rule.affinity ? { type, affinity: rule.affinity } : { type };
  }

  /** A class of the tree used as a type: TypeDecorator, UserDefinedType, or a subclass of a SQLAlchemy type. */
  private lowerTypeClass(cmod: Mod, def: import('./ast.js').ClassDef, call: Extract<PyExpr, { t: 'call' }> | undefined, useMod: Mod, scope: Scope | undefined, depth: number): Lowered | undefined {
    const cx = this.cx;
    const bases = def.bases.map((b) => cx.graph.externalPath(cmod, b) ?? '');
    const isDecorator = bases.some((b) => /TypeDecorator$/.test(b));
    const isUserDefined = bases.some((b) => /UserDefinedType$/.test(b));
    if (isUserDefined) {
      const fn = def.body.find((s) => s.t === 'def' && s.def.name === 'get_col_spec');
      if (fn?.t === 'def') {
        const ret = findReturn(fn.def.body);
        const spec = ret ? cx.str(cmod, ret) : undefined;
        if (spec) {
          this.cx.noteOnce(`type-class:${cmod.file.path}:${def.name}`, useMod, (call ?? def).s, 'type-assumed', { reason: 'get-col-spec', class: def.name, type: spec }, objectSubject('type', def.name));
          return { type: parsePgTypeName(spec) };
        }
      }
      return undefined;
    }
    if (isDecorator) {
      // load_dialect_impl: the branch taken for dialect.name == "postgresql"
      const ldi = def.body.find((s) => s.t === 'def' && s.def.name === 'load_dialect_impl');
      if (ldi?.t === 'def') {
        const picked = pgBranchReturn(cx, cmod, ldi.def.body);
        if (picked) {
          const inner = picked.t === 'call' && picked.fn.t === 'attr' && picked.fn.name === 'type_descriptor' && picked.args[0] ? picked.args[0] : picked;
          const lowered = this.lowerType(cmod, inner, undefined, depth + 1);
          if (lowered) {
            cx.noteOnce(`type-class:${cmod.file.path}:${def.name}`, useMod, (call ?? def).s, 'type-assumed', { reason: 'load-dialect-impl', class: def.name, type: cx.text(cmod, inner) }, objectSubject('type', def.name));
            return lowered;
          }
        }
      }
      const impl = def.body.find((s) => s.t === 'assign' && s.targets.some((t) => t.t === 'name' && t.id === 'impl'));
      if (impl?.t === 'assign' && impl.value) {
        let implExpr: PyExpr = impl.value;
        // TypeDecorator(*args) passes its arguments to impl's constructor
        if (call && implExpr.t !== 'call' && (call.args.length || call.kwargs.length)) implExpr = { ...call, fn: implExpr };
        const lowered = this.lowerType(cmod, implExpr, undefined, depth + 1);
        if (lowered) {
          cx.noteOnce(`type-class:${cmod.file.path}:${def.name}`, useMod, (call ?? def).s, 'type-assumed', { reason: 'impl', class: def.name, type: cx.text(cmod, impl.value) }, objectSubject('type', def.name));
          return lowered;
        }
      }
      return undefined;
    }
    // class MyString(String): ... → the base type with the call's arguments
    for (const b of def.bases) {
      const lowered = this.lowerType(cmod, call ? { ...call, fn: b } : b, undefined, depth + 1);
      if (lowered) return lowered;
    }
    return undefined;
  }

  /** Enum / postgresql.ENUM: registers the PostgreSQL enum type (native) or lowers to VARCHAR(n). */
  lowerEnum(mod: Mod, ruleName: string, call: Extract<PyExpr, { t: 'call' }> | undefined, scope?: Scope, pyClass?: { mod: Mod; def: import('./ast.js').ClassDef }): (Lowered & { enumCheck?: ColSpec['enumCheck'] }) | undefined {
    const cx = this.cx;
    let values: string[] = [];
    let enumClass = pyClass;
    const kwv = (n: string): PyExpr | undefined => (call ? arg(call, n) : undefined);
    if (call && call.args.length === 1 && !enumClass) {
      const r = cx.graph.resolve(mod, call.args[0]!, scope);
      if (r.k === 'class') enumClass = { mod: r.mod, def: r.def };
    }
    if (enumClass) {
      const members = cx.enumMembers(enumClass.mod, enumClass.def) ?? [];
      const vc = kwv('values_callable');
      if (vc) {
        // a lambda, or a function of the tree: read what its body takes from each member
        const fn = vc.t === 'name' || vc.t === 'attr' ? cx.graph.resolve(mod, vc, scope) : undefined;
        const body = fn?.k === 'func' ? findReturn(fn.def.body) : undefined;
        const t = body && fn?.k === 'func' ? cx.text(fn.mod, body) : cx.text(mod, vc);
        if (/\.value\b/.test(t)) values = members.map((m) => String(m.value));
        else if (/\.name\b/.test(t)) values = members.map((m) => m.name);
        else {
          cx.note(mod, vc.s, 'not-static', { reason: 'values-callable', text: t });
          values = members.map((m) => m.name);
        }
      } else values = members.map((m) => m.name);
    } else if (call) {
      for (const a of call.args) {
        const v = cx.value(mod, a, scope);
        if (typeof v === 'string') values.push(v);
        else if (Array.isArray(v)) values.push(...v.map(String));
        else {
          cx.note(mod, a.s, 'not-static', { reason: 'enum-values', text: cx.text(mod, a) });
        }
      }
      if (call.splat) cx.note(mod, call.s, 'not-static', { reason: 'enum-splat' });
    }
    const nativeEnum = cx.bool(mod, kwv('native_enum'), scope) ?? true;
    const explicitName = cx.str(mod, kwv('name'), scope);
    const name = explicitName ?? (enumClass ? enumClass.def.name.toLowerCase() : undefined);
    if (!nativeEnum) {
      const length = cx.num(mod, kwv('length'), scope) ?? Math.max(0, ...values.map((v) => v.length));
      const check = cx.bool(mod, kwv('create_constraint'), scope)
        ? { values, ...(explicitName ? { name: explicitName } : {}) }
        : undefined;
      return { type: scalar('character varying', 'VARCHAR', [length]), ...(check ? { enumCheck: check } : {}) };
    }
    if (!name) {
      if (call) cx.note(mod, call.s, 'model-invalid', { reason: 'enum-no-name' }, objectSubject('type', ruleName));
      return { type: { kind: 'unsupported', raw: 'ENUM' } };
    }
    const schema = cx.str(mod, kwv('schema'), scope);
    const qn = schema ? { schema, name } : { name };
    const key = qkey(qn);
    if (!this.state.enums.has(key)) {
      this.state.enums.set(key, { name: qn, values, span: cx.span(mod, (call ?? { s: { start: 0, end: 0 } }).s) });
    }
    return { type: { kind: 'user', name: qn, raw: schema ? `${schema}.${name}` : name } };
  }

  // ------------------------------------------------------------ annotations

  /** `Mapped[Optional[int]]` → type + nullability; relationships and ClassVars → skip. */
  lowerAnnotation(mod: Mod, ann: PyExpr, meta: MetaInfo, wrapped = false): Mapped | undefined {
    const cx = this.cx;
    let inner = ann;
    if (ann.t === 'str') return { kind: 'skip' };
    if (ann.t === 'subscript') {
      const head = cx.graph.externalPath(mod, ann.value) ?? dotted(ann.value) ?? '';
      const last = head.slice(head.lastIndexOf('.') + 1);
      if (last === 'Mapped') inner = ann.index[0] ?? ann;
      else if (last === 'WriteOnlyMapped' || last === 'DynamicMapped' || last === 'ClassVar') return { kind: 'skip' };
      else if (!wrapped && !meta.sqlmodel) return undefined;
    } else if (!wrapped && !meta.sqlmodel) {
      return undefined;
    }
    return this.lowerPyType(mod, inner, meta, 0);
  }

  private lowerPyType(mod: Mod, t: PyExpr, meta: MetaInfo, depth: number): Mapped {
    const cx = this.cx;
    if (depth > 10) return { kind: 'column', extra: [] };
    if (t.t === 'str') return { kind: 'skip' };
    // X | None
    if (t.t === 'binop' && t.op === '|') {
      const parts = flattenUnion(t).filter((p) => p.t !== 'none');
      const hasNone = flattenUnion(t).some((p) => p.t === 'none');
      const one = parts.length === 1 ? this.lowerPyType(mod, parts[0]!, meta, depth + 1) : { kind: 'column' as const, extra: [] };
      return one.kind === 'column' && hasNone ? { ...one, nullable: true } : one;
    }
    // type_annotation_map: exact text first
    const mapped = this.fromTypeMap(mod, t, meta);
    if (mapped) return { kind: 'column', type: mapped, extra: [] };
    if (t.t === 'subscript') {
      const head = cx.graph.externalPath(mod, t.value) ?? dotted(t.value) ?? '';
      const last = head.slice(head.lastIndexOf('.') + 1);
      if (last === 'Optional') {
        const r = this.lowerPyType(mod, t.index[0]!, meta, depth + 1);
        return r.kind === 'column' ? { ...r, nullable: true } : r;
      }
      if (last === 'Union') {
        const parts = t.index.filter((p) => p.t !== 'none');
        const hasNone = parts.length !== t.index.length;
        const one = parts.length === 1 ? this.lowerPyType(mod, parts[0]!, meta, depth + 1) : { kind: 'column' as const, extra: [] };
        return one.kind === 'column' && hasNone ? { ...one, nullable: true } : one;
      }
      if (last === 'Annotated') {
        const base = this.lowerPyType(mod, t.index[0]!, meta, depth + 1);
        if (base.kind !== 'column') return base;
        const extra = t.index.slice(1).flatMap((call) => (call.t === 'call' ? [{ mod, call }] : []));
        return { ...base, extra: [...base.extra, ...extra] };
      }
      if (last === 'List' || last === 'list' || last === 'Set' || last === 'set') {
        // list["Child"] / list[Child] without a map entry: a relationship collection
        const el = t.index[0];
        if (el && (el.t === 'str' || cx.graph.resolve(mod, el).k === 'class')) return { kind: 'skip' };
        const originMap = this.fromTypeMap(mod, t.value, meta);
        if (originMap) return { kind: 'column', type: originMap, extra: [] };
      }
      if (last === 'Dict' || last === 'dict') {
        const originMap = this.fromTypeMap(mod, t.value, meta);
        if (originMap) return { kind: 'column', type: originMap, extra: [] };
      }
      if (last === 'Literal') {
        return { kind: 'column', extra: [] };
      }
      return { kind: 'column', extra: [] };
    }
    if (t.t === 'none') return { kind: 'column', nullable: true, extra: [] };
    const r = cx.graph.resolve(mod, t);
    if (r.k === 'value') {
      // Annotated alias (intpk = Annotated[int, mapped_column(primary_key=True)])
      return this.lowerPyType(r.mod, r.expr, meta, depth + 1);
    }
    if (r.k === 'class') {
      if (cx.enumMembers(r.mod, r.def)) {
        // SQLAlchemy looks the class's bases up in type_annotation_map: `enum.Enum: Enum(enum.Enum, values_callable=...)`
        const generic = [...meta.typeMap.entries()].find(([k]) => /^path:enum\.(Enum|StrEnum|IntEnum)$/.test(k))?.[1];
        const call = generic?.expr.t === 'call' && saCallName(cx, generic.mod, generic.expr) === 'Enum' ? generic.expr : undefined;
        const lowered = call ? this.lowerEnum(generic!.mod, 'Enum', call, undefined, { mod: r.mod, def: r.def }) : this.lowerEnum(mod, 'Enum', undefined, undefined, { mod: r.mod, def: r.def });
        return { kind: 'column', ...(lowered ? { type: lowered } : {}), extra: [] };
      }
      return { kind: 'skip' }; // a mapped class: relationship
    }
    const table = meta.sqlmodel ? SQLMODEL_ANNOTATION_TYPES : ANNOTATION_TYPES;
    const key = r.k === 'builtin' ? r.name : r.k === 'external' ? r.path : undefined;
    const ruleName = key !== undefined ? table[key] : undefined;
    if (ruleName) return { kind: 'column', type: this.applyRule(mod, ruleName, undefined)!, extra: [] };
    if (r.k === 'external' && /^(typing|typing_extensions)\.Any$/.test(r.path)) return { kind: 'column', extra: [] };
    return { kind: 'column', extra: [] };
  }

  private fromTypeMap(mod: Mod, t: PyExpr, meta: MetaInfo): Lowered | undefined {
    if (meta.typeMap.size === 0) return undefined;
    const hit = meta.typeMap.get(norm(this.cx.text(mod, t)));
    if (hit) return this.lowerType(hit.mod, hit.expr);
    return undefined;
  }

  // ------------------------------------------------------------ columns

  /**
   * Lowers `Column(...)` / `mapped_column(...)` / `Field(...)` (plus an optional annotation)
   * into a ColSpec. `key` is the attribute name.
   */
  lowerColumn(mod: Mod, key: string | undefined, call: Extract<PyExpr, { t: 'call' }> | undefined, annotation: PyExpr | undefined, meta: MetaInfo, s: Off, scope?: Scope, kind: 'Column' | 'mapped_column' | 'Field' = 'mapped_column'): ColSpec | 'skip' | undefined {
    const cx = this.cx;
    let typeFromAnn: Lowered | undefined;
    let annNullable: boolean | undefined;
    const calls: ModCall[] = [];
    const enumsBefore = new Set(this.state.enums.keys());
    if (annotation) {
      const m = this.lowerAnnotation(mod, annotation, meta, kind === 'Field');
      if (m?.kind === 'skip') return 'skip';
      if (m?.kind === 'column') {
        typeFromAnn = m.type;
        annNullable = m.nullable ?? false;
        calls.push(...m.extra);
      }
    }
    // Annotated's mapped_column first, then the attribute's own call (which wins)
    if (call) calls.push({ mod, call });
    const spec: ColSpec = {
      key: key ?? '',
      name: key ?? '',
      mod,
      s,
      primaryKey: false,
      autoincrement: 'auto',
      fks: [],
      checks: [],
      sortOrder: 0,
      ...(annNullable !== undefined ? { annotationNullable: annNullable } : {}),
    };
    let typeUnresolved = false;
    for (const { mod: cm, call: c } of calls) {
      // A class-body scope belongs to the column's module; an alias elsewhere is read at module level.
      const cs = cm === mod ? scope : undefined;
      const isField = kind === 'Field' && c === call;
      if (isField) {
        this.applyField(cm, c, spec, meta, cs, typeFromAnn);
        continue;
      }
      for (const a0 of c.args) {
        const a = this.deref(cm, a0, cs);
        // Column(None, ForeignKey(...)): the type comes from the referenced column
        if (a.t === 'none') continue;
        if (a.t === 'str' && !a.dynamic) {
          spec.name = a.value;
          continue;
        }
        const ctor = saCallName(cx, cm, a, cs);
        if (ctor === 'ForeignKey' && a.t === 'call') {
          const fk = this.fkSpec(cm, a, cs);
          if (fk) spec.fks.push(fk);
          continue;
        }
        if (ctor === 'Identity' && a.t === 'call') {
          spec.identity = this.identity(cm, a, cs);
          continue;
        }
        if (ctor === 'Computed' && a.t === 'call') {
          const sql = a.args[0] ? renderSql(cx, cm, a.args[0], cs, false) : undefined;
          if (sql) spec.computed = { sql };
          else cx.note(cm, a.s, 'not-static', { reason: 'computed', text: cx.text(cm, a.args[0] ?? a) });
          continue;
        }
        if (ctor === 'Sequence' && a.t === 'call') {
          const seqName = this.sequence(cm, a, cs, meta);
          if (seqName) spec.sequence = seqName;
          continue;
        }
        if (ctor === 'CheckConstraint' && a.t === 'call') {
          const ck = this.checkSpec(cm, a, cs);
          if (ck) spec.checks.push(ck);
          continue;
        }
        if (ctor === 'FetchedValue' || ctor === 'DefaultClause') continue;
        const t = this.lowerType(cm, a, cs);
        if (t) {
          spec.type = t;
          if ('enumCheck' in t && t.enumCheck) spec.enumCheck = t.enumCheck;
          continue;
        }
        typeUnresolved = true;
        cx.note(cm, a.s, 'not-static', { reason: 'column-type', name: key ?? spec.name, text: cx.text(cm, a), ...(typeFromAnn ? { annotated: true } : {}) }, { kind: 'column', column: key ?? spec.name });
      }
      for (const k of c.kwargs) this.applyKw(cm, k, spec, meta, cs);
    }
    const annEnums = [...this.state.enums.keys()].filter((k) => !enumsBefore.has(k));
    // mapped_column(ForeignKey(...)) without a type takes the referenced column's type, not the annotation's
    const fkTyped = !spec.type && kind === 'mapped_column' && spec.fks.length > 0;
    if ((spec.type || fkTyped) && typeFromAnn?.type.kind === 'user') {
      for (const k of annEnums) if (!this.usedEnum(k, spec)) this.state.enums.delete(k);
    }
    if (!spec.type && !fkTyped && typeFromAnn) {
      spec.type = typeFromAnn;
      if ('enumCheck' in typeFromAnn && (typeFromAnn as { enumCheck?: ColSpec['enumCheck'] }).enumCheck) spec.enumCheck = (typeFromAnn as { enumCheck?: ColSpec['enumCheck'] }).enumCheck!;
    }
    if (!spec.type && spec.fks.length === 0 && !typeUnresolved) {
      cx.note(mod, s, 'not-static', { reason: 'column-type-unknown', name: spec.name || '?', ...(annotation ? { text: cx.text(mod, annotation) } : {}) }, { kind: 'column', column: spec.name });
    }
    if (spec.nullable === undefined && kind !== 'Column' && annNullable !== undefined && !spec.primaryKey) spec.nullable = annNullable;
    return spec;
  }

  /** A name bound to a module-level call (`seq = Sequence(...)`) → that call, when in the same module. */
  private deref(mod: Mod, e: PyExpr, scope?: Scope): PyExpr {
    if (e.t !== 'name') return e;
    const r = this.cx.graph.resolve(mod, e, scope);
    if (r.k === 'value' && r.mod === mod && r.expr.t === 'call') {
      const ctor = saCallName(this.cx, mod, r.expr, scope);
      if (ctor === 'Sequence' || ctor === 'Identity' || ctor === 'Computed' || ctor === 'ForeignKey' || ctor === 'CheckConstraint') return r.expr;
    }
    return e;
  }

  private usedEnum(key: string, spec: ColSpec): boolean {
    const t = spec.type?.type;
    return t?.kind === 'user' && `${t.name.schema ?? ''}.${t.name.name}` === key;
  }

  private applyKw(mod: Mod, k: Kw, spec: ColSpec, meta: MetaInfo, scope?: Scope): void {
    const cx = this.cx;
    const v = k.value;
    switch (k.name) {
      case 'name':
        spec.name = cx.str(mod, v, scope) ?? spec.name;
        return;
      case 'type_': {
        const t = this.lowerType(mod, v, scope);
        if (t) spec.type = t;
        return;
      }
      case 'primary_key':
        spec.primaryKey = cx.bool(mod, v, scope) ?? false;
        return;
      case 'nullable':
      case 'unique':
      case 'index': {
        const b = cx.bool(mod, v, scope);
        if (b !== undefined) spec[k.name] = b;
        return;
      }
      case 'autoincrement': {
        const val = cx.value(mod, v, scope);
        if (val === true || val === false || val === 'auto' || val === 'ignore_fk') spec.autoincrement = val;
        return;
      }
      case 'comment': {
        const c = cx.str(mod, v, scope);
        if (c !== undefined) spec.comment = c;
        return;
      }
      case 'sort_order': {
        const n = cx.num(mod, v, scope);
        if (n !== undefined) spec.sortOrder = n;
        return;
      }
      case 'server_default': {
        if (v.t === 'none') return;
        const ctor = saCallName(cx, mod, v, scope);
        if (ctor === 'FetchedValue') return;
        if (ctor === 'Identity' && v.t === 'call') {
          spec.identity = this.identity(mod, v, scope);
          return;
        }
        const sql = renderSql(cx, mod, v, scope, true);
        if (sql === undefined) {
          cx.note(mod, v.s, 'not-static', { reason: 'server-default', text: cx.text(mod, v) }, { kind: 'column', column: spec.name });
          return;
        }
        spec.serverDefault = { k: 'raw', text: sql };
        spec.serverDefaultSpan = v.s;
        spec.serverDefaultMod = mod;
        return;
      }
      case 'default':
      case 'insert_default':
      case 'default_factory': {
        if (v.t === 'none') return;
        const ctor = saCallName(cx, mod, v, scope);
        if (ctor === 'Sequence' && v.t === 'call') {
          const seq = this.sequence(mod, v, scope, meta);
          if (seq) spec.sequence = seq;
          return;
        }
        spec.pyDefault = { what: `${k.name}=`, text: cx.text(mod, v), s: v.s };
        return;
      }
      case 'onupdate': {
        if (v.t === 'none') return;
        if (isNowCall(cx, mod, v, scope)) spec.onUpdateNow = true;
        else spec.pyOnUpdate = { text: cx.text(mod, v), s: v.s };
        return;
      }
      case 'foreign_key': {
        // SQLModel Field(foreign_key="t.c")
        const target = cx.str(mod, v, scope);
        if (target) spec.fks.push({ target, s: v.s, mod });
        return;
      }
      case 'server_onupdate':
      case 'key':
      case 'info':
      case 'doc':
      case 'quote':
      case 'system':
      case 'init':
      case 'repr':
      case 'compare':
      case 'kw_only':
      case 'hash':
      case 'deferred':
      case 'deferred_group':
      case 'deferred_raiseload':
      case 'active_history':
      case 'use_existing_column':
      case 'dataclass_metadata':
        return;
      default:
        cx.note(mod, k.value.s, 'unsupported-syntax', { reason: 'column-argument', option: k.name }, { kind: 'column', column: spec.name });
    }
  }

  /** SQLModel `Field(...)`: primary_key, nullable, unique, index, foreign_key, max_length, sa_type, sa_column, sa_column_kwargs. */
  private applyField(mod: Mod, c: Extract<PyExpr, { t: 'call' }>, spec: ColSpec, meta: MetaInfo, scope: Scope | undefined, typeFromAnn: Lowered | undefined): void {
    const cx = this.cx;
    const saColumn = arg(c, 'sa_column');
    if (saColumn?.t === 'call') {
      const inner = this.lowerColumn(mod, spec.key, saColumn, undefined, meta, saColumn.s, scope, 'Column');
      if (inner && inner !== 'skip') Object.assign(spec, inner, { key: spec.key, name: inner.name || spec.key });
      return;
    }
    for (const k of c.kwargs) {
      switch (k.name) {
        case 'sa_type': {
          const t = this.lowerType(mod, k.value, scope);
          if (t) spec.type = t;
          break;
        }
        case 'sa_column_kwargs': {
          if (k.value.t === 'dict') {
            for (const e of k.value.entries) {
              const name = cx.str(mod, e.key, scope);
              if (name) this.applyKw(mod, { name, value: e.value }, spec, meta, scope);
            }
          }
          break;
        }
        case 'max_length': {
          const n = cx.num(mod, k.value, scope);
          if (n !== undefined && (!typeFromAnn || (typeFromAnn.type.kind === 'scalar' && typeFromAnn.type.name === 'character varying'))) {
            spec.type = { type: scalar('character varying', 'VARCHAR', [n]) };
          }
          break;
        }
        case 'max_digits':
        case 'decimal_places': {
          const p = cx.num(mod, arg(c, 'max_digits'), scope);
          const sc = cx.num(mod, arg(c, 'decimal_places'), scope);
          if (p !== undefined) spec.type = { type: scalar('numeric', 'NUMERIC', sc !== undefined ? [p, sc] : [p]), affinity: 'numeric' };
          break;
        }
        case 'ondelete': {
          const a = cx.str(mod, k.value, scope);
          const fk = spec.fks[spec.fks.length - 1];
          if (a && fk) spec.fks[spec.fks.length - 1] = { ...fk, onDelete: a };
          break;
        }
        case 'default':
          // SQLModel does not pass Field(default=...) to the Column
          break;
        case 'default_factory':
        case 'title':
        case 'description':
        case 'alias':
        case 'regex':
        case 'ge':
        case 'gt':
        case 'le':
        case 'lt':
        case 'min_length':
        case 'schema_extra':
        case 'exclude':
        case 'include':
        case 'const':
        case 'discriminator':
        case 'repr':
          break;
        default:
          this.applyKw(mod, k, spec, meta, scope);
      }
    }
    // ondelete given before foreign_key
    const od = cx.str(mod, arg(c, 'ondelete'), scope);
    if (od) spec.fks = spec.fks.map((f) => (f.onDelete ? f : { ...f, onDelete: od }));
    if (!spec.type && typeFromAnn) spec.type = typeFromAnn;
  }

  fkSpec(mod: Mod, call: Extract<PyExpr, { t: 'call' }>, scope?: Scope): FkSpec | undefined {
    const cx = this.cx;
    const t = call.args[0] ?? arg(call, 'column');
    if (!t) return undefined;
    const target = this.columnRef(mod, t, scope);
    if (!target) {
      cx.note(mod, t.s, 'not-static', { reason: 'fk-target', text: cx.text(mod, t) });
      return undefined;
    }
    const { name, conv } = this.constraintName(mod, arg(call, 'name'), scope);
    const od = cx.str(mod, arg(call, 'ondelete'), scope);
    const ou = cx.str(mod, arg(call, 'onupdate'), scope);
    const df = cx.bool(mod, arg(call, 'deferrable'), scope);
    const ini = cx.str(mod, arg(call, 'initially'), scope);
    return {
      target,
      ...(name ? { name } : {}),
      ...(conv ? { conv } : {}),
      ...(od ? { onDelete: od } : {}),
      ...(ou ? { onUpdate: ou } : {}),
      ...(df !== undefined ? { deferrable: df } : {}),
      ...(ini ? { initially: ini } : {}),
      s: call.s,
      mod,
    };
  }

  /** `"users.id"`, `User.id`, `users_table.c.id` → "table.column" (or "schema.table.column"). */
  columnRef(mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
    const cx = this.cx;
    const s = cx.str(mod, e, scope);
    if (s !== undefined) return s;
    if (e.t === 'attr') {
      // Table.c.col / Table.columns.col
      if (e.obj.t === 'attr' && (e.obj.name === 'c' || e.obj.name === 'columns')) {
        const r = cx.graph.resolve(mod, e.obj.obj, scope);
        if (r.k === 'value' && r.expr.t === 'call') {
          const tname = cx.str(r.mod, r.expr.args[0]);
          const schema = cx.str(r.mod, arg(r.expr, 'schema'));
          if (tname) return `${schema ? `${schema}.` : ''}${tname}.${e.name}`;
        }
      }
      const r = cx.graph.resolve(mod, e.obj, scope);
      if (r.k === 'class' && this.classTable) {
        const t = this.classTable(r.mod, r.def);
        if (t) return `${t.schema ? `${t.schema}.` : ''}${t.name}.${this.classColumnName?.(r.mod, r.def, e.name) ?? e.name}`;
      }
    }
    return undefined;
  }

  /** Set by the model analysis: the table a mapped class of the tree maps to. */
  classTable?: (mod: Mod, def: import('./ast.js').ClassDef) => { schema?: string; name: string } | undefined;
  classColumnName?: (mod: Mod, def: import('./ast.js').ClassDef, attr: string) => string | undefined;

  constraintName(mod: Mod, e: PyExpr | undefined, scope?: Scope): { name?: string; conv?: boolean } {
    if (!e || e.t === 'none') return {};
    const cx = this.cx;
    if (e.t === 'call') {
      const fn = e.fn.t === 'attr' ? e.fn.name : e.fn.t === 'name' ? e.fn.id : '';
      if ((fn === 'f' || fn === 'conv') && e.args[0]) {
        const n = cx.str(mod, e.args[0], scope);
        if (!n) this.unnamed(mod, e);
        return n ? { name: n, conv: true } : {};
      }
    }
    const n = cx.str(mod, e, scope);
    if (!n) this.unnamed(mod, e);
    return n ? { name: n } : {};
  }

  /** A name that cannot be evaluated is never replaced silently by a generated one. */
  private unnamed(mod: Mod, e: PyExpr): void {
    this.cx.note(mod, e.s, 'not-static', { reason: 'constraint-name', text: this.cx.text(mod, e) });
  }

  checkSpec(mod: Mod, call: Extract<PyExpr, { t: 'call' }>, scope?: Scope): CheckSpec | undefined {
    const cx = this.cx;
    const e = call.args[0] ?? arg(call, 'sqltext');
    const sql = e ? (renderSql(cx, mod, e, scope, false) ?? this.inListSql(mod, e, scope) ?? this.comparisonSql(mod, e, scope)) : undefined;
    if (!sql) {
      const n = cx.str(mod, arg(call, 'name', 1), scope);
      cx.note(mod, call.s, 'not-static', { reason: 'check', text: e ? cx.text(mod, e) : '', ...(n ? { name: n } : {}) }, n !== undefined ? { kind: 'constraint', name: n } : undefined);
      return undefined;
    }
    const { name, conv } = this.constraintName(mod, arg(call, 'name', 1), scope);
    return { sql, ...(name ? { name } : {}), ...(conv ? { conv } : {}), s: call.s, mod };
  }

  /** `length >= 0` on a class-body column (or `Model.col`) and a static number or string. */
  private comparisonSql(mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
    if (e.t !== 'binop' || !Object.hasOwn(SQL_COMPARISON, e.op)) return undefined;
    const col = e.left.t === 'name' ? this.classAttrs?.get(e.left.id) : e.left.t === 'attr' && this.cx.graph.resolve(mod, e.left.obj, scope).k === 'class' ? e.left.name : undefined;
    const v = this.cx.value(mod, e.right, scope);
    const lit = typeof v === 'number' ? String(v) : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : undefined;
    return col && lit !== undefined ? `${col} ${SQL_COMPARISON[e.op]} ${lit}` : undefined;
  }

  /** `status.in_(["a", "b"])` on a class-body column (or `Model.col`), with static values. */
  private inListSql(mod: Mod, e: PyExpr, scope?: Scope): string | undefined {
    if (e.t !== 'call' || e.fn.t !== 'attr' || e.fn.name !== 'in_' || e.args.length !== 1 || e.kwargs.length) return undefined;
    const target = e.fn.obj;
    const col = target.t === 'name' ? this.classAttrs?.get(target.id) : target.t === 'attr' ? target.name : undefined;
    const values = this.cx.value(mod, e.args[0]!, scope);
    if (!col || !Array.isArray(values) || values.length === 0) return undefined;
    const lits: string[] = [];
    for (const v of values) {
      if (typeof v === 'string') lits.push(`'${v.replace(/'/g, "''")}'`);
      else if (typeof v === 'number') lits.push(String(v));
      else return undefined;
    }
    return `${col} IN (${lits.join(', ')})`;
  }

  identity(mod: Mod, call: Extract<PyExpr, { t: 'call' }>, scope?: Scope): Identity {
    const cx = this.cx;
    const num = (n: string, i?: number): string | undefined => {
      const v = cx.num(mod, arg(call, n, i), scope);
      return v === undefined ? undefined : String(v);
    };
    const start = num('start', 1);
    const increment = num('increment', 2);
    const minValue = num('minvalue');
    const maxValue = num('maxvalue');
    const cache = num('cache');
    const cycle = cx.bool(mod, arg(call, 'cycle'), scope);
    return {
      kind: cx.bool(mod, arg(call, 'always', 0), scope) ? 'always' : 'by-default',
      ...(start ? { start } : {}),
      ...(increment ? { increment } : {}),
      ...(minValue ? { minValue } : {}),
      ...(maxValue ? { maxValue } : {}),
      ...(cache ? { cache } : {}),
      ...(cycle !== undefined ? { cycle } : {}),
    };
  }

  /** Registers a `Sequence(...)`; returns its name. */
  sequence(mod: Mod, call: Extract<PyExpr, { t: 'call' }>, scope: Scope | undefined, meta: MetaInfo): string | undefined {
    const cx = this.cx;
    const name = cx.str(mod, arg(call, 'name', 0), scope);
    if (!name) {
      cx.note(mod, call.s, 'not-static', { reason: 'sequence-name' });
      return undefined;
    }
    if (cx.bool(mod, arg(call, 'optional'), scope)) return undefined;
    const schema = cx.str(mod, arg(call, 'schema'), scope) ?? meta.schema;
    const qn = schema ? { schema, name } : { name };
    const num = (n: string, i?: number): string | undefined => {
      const v = cx.num(mod, arg(call, n, i), scope);
      return v === undefined ? undefined : String(v);
    };
    const start = num('start', 1);
    const increment = num('increment', 2);
    const minValue = num('minvalue');
    const maxValue = num('maxvalue');
    const cache = num('cache');
    const cycle = cx.bool(mod, arg(call, 'cycle'), scope);
    const key = qkey(qn);
    if (!this.state.sequences.has(key)) {
      this.state.sequences.set(key, {
        name: qn,
        ...(start ? { start } : {}),
        ...(increment ? { increment } : {}),
        ...(minValue ? { minValue } : {}),
        ...(maxValue ? { maxValue } : {}),
        ...(cache ? { cache } : {}),
        ...(cycle ? { cycle } : {}),
        span: cx.span(mod, call.s),
      });
    }
    return name;
  }
}

function flattenUnion(e: PyExpr): PyExpr[] {
  if (e.t === 'binop' && e.op === '|') return [...flattenUnion(e.left), ...flattenUnion(e.right)];
  return [e];
}

function findReturn(body: readonly import('./ast.js').PyStmt[]): PyExpr | undefined {
  for (const s of body) {
    if (s.t === 'return' && s.value) return s.value;
    if (s.t === 'if') {
      const r = findReturn(s.body) ?? findReturn(s.orelse);
      if (r) return r;
    }
  }
  return undefined;
}

/** In `load_dialect_impl`, the value returned when dialect.name == "postgresql". */
function pgBranchReturn(cx: Ctx, mod: Mod, body: readonly import('./ast.js').PyStmt[]): PyExpr | undefined {
  for (const s of body) {
    if (s.t === 'if') {
      const test = cx.text(mod, s.test);
      const mentionsPg = /["']postgresql["']/.test(test);
      const negated = /!=|\bnot\b/.test(test);
      if (mentionsPg && !negated) return findReturn(s.body);
      if (mentionsPg && negated) return findReturn(s.orelse) ?? findReturnAfter(body, s);
      const inner = pgBranchReturn(cx, mod, s.body) ?? pgBranchReturn(cx, mod, s.orelse);
      if (inner) return inner;
    }
  }
  return undefined;
}

function findReturnAfter(body: readonly import('./ast.js').PyStmt[], after: import('./ast.js').PyStmt): PyExpr | undefined {
  const i = body.indexOf(after);
  return findReturn(body.slice(i + 1));
}

