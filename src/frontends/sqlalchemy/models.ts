import { tableSubject, objectSubject } from '../../diagnostics/subject.js';
/**
 * Class and base analysis: finds declarative roots (DeclarativeBase subclasses,
 * declarative_base(), registry().mapped / generate_base(), SQLModel table=True), decides
 * for each class whether it maps a table (own, joined-inheritance, single-table
 * inheritance, abstract, mixin), collects its columns from its body, its mixins and
 * @declared_attr functions, and builds TableSpecs, also for `Table("name", metadata, ...)`.
 */
import type { QualifiedName } from '../../ir/types.js';
import type { ClassDef, FuncDef, PyExpr, PyStmt } from './ast.js';
import { arg, literal, qkey, type Ctx } from './context.js';
import { DEFAULT_META, saCallName, type ColSpec, type Lowerer, type MetaInfo } from './columns.js';
import { isFlaskSqlalchemy, type Mod, type Scope } from './modules.js';
import { applyTableItem, indexSpec, tableArgs } from './table-args.js';
import type { TableSpec } from './tables.js';

interface Cls {
  readonly mod: Mod;
  readonly def: ClassDef;
}

type Root =
  | { kind: 'class'; cls: Cls }
  | { kind: 'value'; mod: Mod; call: Extract<PyExpr, { t: 'call' }>; flask?: boolean }
  | { kind: 'sqlmodel' }
  /** A base imported from outside the input: its MetaData and registry were not seen. */
  | { kind: 'unseen'; path: string };

interface Plan {
  cls: Cls;
  root: Root;
  meta: MetaInfo;
  /** own table (undefined for single-table inheritance subclasses) */
  table?: QualifiedName;
  /** the mapped parent (inheritance) */
  parent?: Cls;
  /** the table columns go into */
  target?: QualifiedName;
}

const DECL_BASE = /^sqlalchemy\.(orm|ext\.declarative)(\.decl_api)?\.(DeclarativeBase|DeclarativeBaseNoMeta|MappedAsDataclass)$/;
const DECL_FUNC = /^sqlalchemy\.(orm|ext\.declarative)(\.decl_api)?\.declarative_base$/;
const SQLMODEL = /^sqlmodel(\.main)?\.SQLModel$/;
const FLASK_MODEL = /^flask_sqlalchemy\.Model$/;
const CONVENTION_KEYS: Record<string, string> = { Index: 'ix', UniqueConstraint: 'uq', CheckConstraint: 'ck', ForeignKeyConstraint: 'fk', PrimaryKeyConstraint: 'pk' };

export class ModelAnalysis {
  private readonly plans = new Map<ClassDef, Plan | null>();
  private readonly mros = new Map<ClassDef, Cls[]>();
  readonly specs = new Map<string, { spec: TableSpec; meta: MetaInfo }>();
  private readonly tableVars = new Map<PyExpr, QualifiedName>();

  constructor(
    readonly lw: Lowerer,
    readonly cx: Ctx,
  ) {
    lw.classTable = (mod, def) => this.plan({ mod, def })?.target;
  }

  run(mods: readonly Mod[]): void {
    const classes: Cls[] = [];
    const walk = (mod: Mod, body: readonly PyStmt[]): void => {
      for (const st of body) {
        if (st.t === 'class') classes.push({ mod, def: st.def });
        else if (st.t === 'if') {
          walk(mod, st.body);
          walk(mod, st.orelse);
        }
      }
    };
    for (const m of mods) walk(m, m.ast.body);
    for (const m of mods) this.warnNested(m, m.ast.body, undefined);
    // module-level Table(...)
    for (const m of mods) {
      for (const st of m.ast.body) {
        if (st.t === 'assign' && st.value && saCallName(this.cx, m, st.value) === 'Table') this.tableCall(m, st.value as Extract<PyExpr, { t: 'call' }>);
        else if (st.t === 'expr' && saCallName(this.cx, m, st.expr) === 'Table') this.tableCall(m, st.expr as Extract<PyExpr, { t: 'call' }>);
      }
    }
    // own tables first, then single-table inheritance columns
    const plans = classes.map((c) => this.plan(c)).filter((p): p is Plan => !!p);
    for (const p of plans) if (p.table) this.buildOwn(p);
    for (const p of plans) if (!p.table) this.buildSingle(p);
    for (const [path, u] of this.unseen) {
      this.cx.note(u.mod, u.s, 'unresolved-reference', { place: 'declarative-base', kind: 'module', name: path, classes: u.classes }, objectSubject('model', path));
    }
    // module-level Index(...)
    for (const m of mods) {
      for (const st of m.ast.body) {
        const e = st.t === 'expr' ? st.expr : st.t === 'assign' ? st.value : undefined;
        if (e && saCallName(this.cx, m, e) === 'Index') this.moduleIndex(m, e as Extract<PyExpr, { t: 'call' }>);
      }
    }
  }

  /** Mapped classes defined inside a function exist only once it runs: say so instead of skipping them. */
  private warnNested(mod: Mod, body: readonly PyStmt[], fn: string | undefined): void {
    for (const st of body) {
      if (st.t === 'def') this.warnNested(mod, st.def.body, st.def.name);
      else if (st.t === 'if' || st.t === 'with') {
        this.warnNested(mod, st.body, fn);
        if (st.t === 'if') this.warnNested(mod, st.orelse, fn);
      } else if (st.t === 'class') {
        if (fn === undefined) {
          for (const inner of st.def.body) if (inner.t === 'def') this.warnNested(mod, inner.def.body, `${st.def.name}.${inner.def.name}`);
          continue;
        }
        const c = { mod, def: st.def };
        const declares = st.def.body.some((x) => x.t === 'assign' && x.targets.some((t) => t.t === 'name' && (t.id === '__tablename__' || t.id === '__table__')));
        if (!declares && !this.rootOf(c)) continue;
        this.cx.note(mod, st.def.s, 'unsupported-syntax', { reason: 'nested-class', class: st.def.name, function: fn }, objectSubject('model', st.def.name));
      }
    }
  }

  // ------------------------------------------------------------ classes

  mro(c: Cls, depth = 0): Cls[] {
    const cached = this.mros.get(c.def);
    if (cached) return cached;
    const out: Cls[] = [c];
    if (depth < 30) {
      for (const b of c.def.bases) {
        const r = this.cx.graph.resolve(c.mod, b);
        if (r.k === 'class') out.push(...this.mro({ mod: r.mod, def: r.def }, depth + 1));
      }
    }
    // keep the last occurrence (C3 for the usual diamond-free hierarchies)
    const seen = new Set<ClassDef>();
    const res: Cls[] = [];
    for (let i = out.length - 1; i >= 0; i--) {
      if (seen.has(out[i]!.def)) continue;
      seen.add(out[i]!.def);
      res.unshift(out[i]!);
    }
    this.mros.set(c.def, res);
    return res;
  }

  private isDeclRootClass(c: Cls): boolean {
    return c.def.bases.some((b) => DECL_BASE.test(this.cx.graph.externalPath(c.mod, b) ?? ''));
  }

  private rootOf(c: Cls): Root | undefined {
    for (const d of c.def.decorators) {
      // @reg.mapped / @reg.mapped_as_dataclass / @as_declarative()
      if (d.t === 'attr' && (d.name === 'mapped' || d.name === 'mapped_as_dataclass')) {
        const r = this.cx.graph.resolve(c.mod, d.obj);
        if (r.k === 'value' && r.expr.t === 'call') return { kind: 'value', mod: r.mod, call: r.expr };
      }
    }
    for (const k of this.mro(c)) {
      if (this.isDeclRootClass(k)) return { kind: 'class', cls: k };
      for (const d of k.def.decorators) {
        const p = this.cx.graph.externalPath(k.mod, d.t === 'call' ? d.fn : d) ?? '';
        if (/as_declarative$/.test(p)) return { kind: 'class', cls: k };
      }
      for (const b of k.def.bases) {
        const p = this.cx.graph.externalPath(k.mod, b) ?? '';
        if (SQLMODEL.test(p)) return { kind: 'sqlmodel' };
        if (FLASK_MODEL.test(p) && b.t === 'attr') {
          const db = this.cx.graph.resolve(k.mod, b.obj);
          if (db.k === 'value' && db.expr.t === 'call') return { kind: 'value', mod: db.mod, call: db.expr, flask: true };
        }
        const r = this.cx.graph.resolve(k.mod, b);
        if (r.k === 'value' && r.expr.t === 'call') {
          const fp = this.cx.graph.externalPath(r.mod, r.expr.fn) ?? '';
          if (DECL_FUNC.test(fp)) return { kind: 'value', mod: r.mod, call: r.expr };
          if (r.expr.fn.t === 'attr' && r.expr.fn.name === 'generate_base') {
            const reg = this.cx.graph.resolve(r.mod, r.expr.fn.obj);
            if (reg.k === 'value' && reg.expr.t === 'call') return { kind: 'value', mod: reg.mod, call: reg.expr };
          }
        }
      }
    }
    return undefined;
  }

  private readonly metaCache = new Map<unknown, MetaInfo>();

  metaOf(root: Root): MetaInfo {
    const key = root.kind === 'class' ? root.cls.def : root.kind === 'value' ? root.call : root.kind === 'unseen' ? `unseen:${root.path}` : 'sqlmodel';
    const hit = this.metaCache.get(key);
    if (hit) return hit;
    let meta: MetaInfo = root.kind === 'sqlmodel' ? { ...DEFAULT_META, sqlmodel: true } : DEFAULT_META;
    if (root.kind === 'class') {
      const m = root.cls.mod;
      let md: PyExpr | undefined;
      let tam: PyExpr | undefined;
      for (const st of root.cls.def.body) {
        if (st.t !== 'assign' || !st.value) continue;
        const n = st.targets[0]?.t === 'name' ? st.targets[0].id : '';
        if (n === 'metadata') md = st.value;
        if (n === 'type_annotation_map') tam = st.value;
      }
      meta = this.metaFrom(m, md, tam);
    } else if (root.kind === 'value') {
      meta = this.metaFrom(root.mod, arg(root.call, 'metadata'), arg(root.call, 'type_annotation_map'));
    }
    this.metaCache.set(key, meta);
    return meta;
  }

  /** MetaData(naming_convention=..., schema=...) + type_annotation_map. */
  metaFrom(mod: Mod, metadata: PyExpr | undefined, typeMap: PyExpr | undefined): MetaInfo {
    const cx = this.cx;
    const naming = new Map(DEFAULT_META.naming);
    let schema: string | undefined;
    let md = metadata;
    let mdMod = mod;
    for (let i = 0; i < 5 && md && md.t !== 'call'; i++) {
      // Base.metadata / a module-level metadata = MetaData(...)
      if (md.t === 'attr' && md.name === 'metadata') {
        const r = cx.graph.resolve(mdMod, md.obj);
        if (r.k === 'class') {
          const root = this.rootOf({ mod: r.mod, def: r.def });
          return root ? this.metaOf(root) : DEFAULT_META;
        }
        if (r.k === 'value' && r.expr.t === 'call') {
          const inner = this.rootMetaFromCall(r.mod, r.expr);
          if (inner) return inner;
          if (isFlaskSqlalchemy(cx.graph.externalPath(r.mod, r.expr.fn))) return this.metaOf({ kind: 'value', mod: r.mod, call: r.expr, flask: true });
        }
        if (r.k === 'external' && SQLMODEL.test(r.path)) return { ...DEFAULT_META, sqlmodel: true };
        break;
      }
      const r = cx.graph.resolve(mdMod, md);
      if (r.k !== 'value') break;
      md = r.expr;
      mdMod = r.mod;
    }
    if (md?.t === 'call') {
      const nc = arg(md, 'naming_convention');
      let ncExpr = nc;
      let ncMod = mdMod;
      if (ncExpr && ncExpr.t !== 'dict') {
        const r = cx.graph.resolve(mdMod, ncExpr);
        if (r.k === 'value') {
          ncExpr = r.expr;
          ncMod = r.mod;
        }
      }
      if (ncExpr?.t === 'dict') {
        for (const { key, value } of ncExpr.entries) {
          let k = cx.str(ncMod, key);
          if (k === undefined) {
            const p = cx.graph.externalPath(ncMod, key) ?? '';
            k = CONVENTION_KEYS[p.slice(p.lastIndexOf('.') + 1)];
          }
          const v = cx.str(ncMod, value);
          if (k && v) naming.set(k, v);
          else cx.note(ncMod, key.s, 'not-static', { reason: 'naming-convention' });
        }
      }
      schema = cx.str(mdMod, arg(md, 'schema'));
    }
    const tmap = new Map<string, { mod: Mod; expr: PyExpr }>();
    let tm = typeMap;
    let tmMod = mod;
    if (tm && tm.t !== 'dict') {
      const r = cx.graph.resolve(mod, tm);
      if (r.k === 'value') {
        tm = r.expr;
        tmMod = r.mod;
      }
    }
    if (tm?.t === 'dict') {
      for (const { key, value } of tm.entries) {
        tmap.set(cx.text(tmMod, key).replace(/\s+/g, '').replace(/typing\.|t\./g, ''), { mod: tmMod, expr: value });
        // by what the key is, for entries SQLAlchemy finds through a class's bases (`enum.Enum: Enum(...)`)
        const p = cx.graph.externalPath(tmMod, key);
        if (p) tmap.set(`path:${p}`, { mod: tmMod, expr: value });
      }
    }
    return { naming, ...(schema ? { schema } : {}), typeMap: tmap };
  }

  private rootMetaFromCall(mod: Mod, call: Extract<PyExpr, { t: 'call' }>): MetaInfo | undefined {
    const fp = this.cx.graph.externalPath(mod, call.fn) ?? '';
    if (DECL_FUNC.test(fp) || /registry$/.test(fp)) return this.metaOf({ kind: 'value', mod, call });
    // Base = mapper_registry.generate_base(): the registry's MetaData (airflow's Table(..., Base.metadata))
    if (call.fn.t === 'attr' && call.fn.name === 'generate_base') {
      const reg = this.cx.graph.resolve(mod, call.fn.obj);
      if (reg.k === 'value' && reg.expr.t === 'call') return this.metaOf({ kind: 'value', mod: reg.mod, call: reg.expr });
    }
    return undefined;
  }

  private ownAssign(c: Cls, name: string): PyExpr | undefined {
    for (const st of c.def.body) {
      if (st.t === 'assign' && st.value && st.targets.some((t) => t.t === 'name' && t.id === name)) return st.value;
      if (st.t === 'def' && st.def.name === name && this.isDeclaredAttr(c.mod, st.def)) return { t: 'other', kind: 'declared_attr', text: name, s: st.def.s };
    }
    return undefined;
  }

  private ownDeclaredAttr(c: Cls, name: string): FuncDef | undefined {
    for (const st of c.def.body) if (st.t === 'def' && st.def.name === name && this.isDeclaredAttr(c.mod, st.def)) return st.def;
    return undefined;
  }

  private isDeclaredAttr(mod: Mod, f: FuncDef): boolean {
    return f.decorators.some((d) => {
      const t = this.cx.text(mod, d);
      return /declared_attr/.test(t) || /classproperty/.test(t);
    });
  }

  plan(c: Cls): Plan | undefined {
    const cached = this.plans.get(c.def);
    if (cached !== undefined) return cached ?? undefined;
    this.plans.set(c.def, null); // cycle guard
    const p = this.computePlan(c);
    this.plans.set(c.def, p ?? null);
    return p;
  }

  private computePlan(c: Cls): Plan | undefined {
    const cx = this.cx;
    if (cx.enumMembers(c.mod, c.def)) return undefined;
    if (this.isDeclRootClass(c)) return undefined;
    const root = this.rootOf(c) ?? this.unseenRoot(c);
    if (!root) return undefined;
    if (root.kind === 'class' && root.cls.def === c.def) return undefined;
    const meta = this.metaOf(root);
    if (root.kind === 'sqlmodel') {
      const tableKw = c.def.keywords.find((k) => k.name === 'table');
      if (!tableKw || cx.bool(c.mod, tableKw.value) !== true) return undefined;
    }
    const abstract = this.ownAssign(c, '__abstract__');
    if (abstract && cx.bool(c.mod, abstract) === true) return undefined;
    const mro = this.mro(c);
    let parent: Cls | undefined;
    for (const k of mro.slice(1)) {
      if (this.plan(k)) {
        parent = k;
        break;
      }
    }
    const unmapped = mro.filter((k, i) => i === 0 || (!this.plan(k) && !(parent && this.mro(parent).some((x) => x.def === k.def))));
    // __tablename__ from the class or its unmapped bases/mixins
    let tableName: string | undefined;
    let nameUnknown = false;
    let ownTable: PyExpr | undefined;
    for (const k of unmapped) {
      const t = this.ownAssign(k, '__table__');
      if (t && k.def === c.def) ownTable = t;
      const fn = this.ownDeclaredAttr(k, '__tablename__');
      if (fn) {
        tableName = this.evalTablenameFn(k.mod, fn, c.def.name);
        if (tableName === undefined) {
          nameUnknown = true;
          cx.note(k.mod, fn.s, 'not-static', { reason: 'declared-tablename', owner: k.def.name, class: c.def.name }, objectSubject('model', c.def.name));
        }
        break;
      }
      const v = this.ownAssign(k, '__tablename__');
      if (v) {
        tableName = cx.str(k.mod, v);
        if (tableName === undefined) {
          nameUnknown = true;
          cx.note(k.mod, v.s, 'not-static', { reason: 'tablename', text: cx.text(k.mod, v), class: c.def.name }, objectSubject('model', c.def.name));
        }
        break;
      }
    }
    if (root.kind === 'sqlmodel' && tableName === undefined && !parent) tableName = c.def.name.toLowerCase();
    if (root.kind === 'value' && root.flask && !ownTable) {
      // Flask-SQLAlchemy: a subclass without its own primary key is single-table inheritance even
      // with a __tablename__ (NameMetaMixin.__table_cls__); a class without one gets snake_case
      const ownPk = this.hasOwnPrimaryKey(c);
      if (parent && !ownPk && tableName !== undefined) {
        const pt = this.plan(parent)?.target;
        const at = this.ownAssign(c, '__tablename__');
        if (at) cx.other(c.mod, at.s, { kind: 'other', statement: '__tablename__', name: tableName, detail: `class ${c.def.name} has no primary key of its own, so Flask-SQLAlchemy maps it onto ${pt?.name ?? 'its parent\'s table'} (single-table inheritance) and creates no table ${tableName}` });
        tableName = undefined;
      } else if (parent && !ownPk) tableName = undefined;
      else if (tableName === undefined && (ownPk || !parent) && !this.ownAssign(c, '__tablename__')) tableName = camelToSnake(c.def.name);
    }
    if (ownTable?.t === 'call' && saCallName(cx, c.mod, ownTable) === 'Table') {
      const qn = this.tableCall(c.mod, ownTable);
      return qn ? { cls: c, root, meta, target: qn } : undefined;
    }
    if (tableName !== undefined) {
      let schema = meta.schema;
      const ta = this.findTableArgs(c, unmapped);
      if (ta) {
        const probe = this.emptySpec(c.mod, { name: tableName });
        const o = this.silently(() => tableArgs(this.lw, ta.mod, ta.expr, probe, meta));
        if (o.schema) schema = o.schema;
      }
      const table = schema ? { schema, name: tableName } : { name: tableName };
      return { cls: c, root, meta, table, target: table, ...(parent ? { parent } : {}) };
    }
    if (nameUnknown) return undefined;
    if (parent) {
      const pp = this.plan(parent)!;
      return { cls: c, root, meta, parent, ...(pp.target ? { target: pp.target } : {}) };
    }
    cx.note(c.mod, c.def.s, 'model-invalid', { reason: 'unmapped-class', class: c.def.name }, objectSubject('model', c.def.name));
    return undefined;
  }

  /** Flask-SQLAlchemy's test for joined inheritance: a primary key column declared in the class body. */
  private hasOwnPrimaryKey(c: Cls): boolean {
    for (const st of c.def.body) {
      if (st.t !== 'assign' || st.value?.t !== 'call') continue;
      let v = st.value;
      if (saCallName(this.cx, c.mod, v) === 'column_property' && v.args[0]?.t === 'call') v = v.args[0];
      const ctor = saCallName(this.cx, c.mod, v);
      if ((ctor === 'Column' || ctor === 'mapped_column') && this.cx.bool(c.mod, arg(v, 'primary_key')) === true) return true;
    }
    const ta = this.ownAssign(c, '__table_args__');
    return !!ta && (ta.t === 'tuple' || ta.t === 'list') && ta.items.some((i) => saCallName(this.cx, c.mod, i) === 'PrimaryKeyConstraint');
  }

  /** Bases imported from outside the input, by path, with the classes read as mapped through them. */
  readonly unseen = new Map<string, { mod: Mod; s: { start: number; end: number }; classes: string[] }>();

  /**
   * A class whose base comes from a module outside the input but that declares `__tablename__`
   * or `__table__` and columns is mapped in practice: read it so, and say the base was not seen.
   */
  private unseenRoot(c: Cls): Root | undefined {
    const cx = this.cx;
    const declares = (k: Cls): boolean => k.def.body.some((st) => st.t === 'assign' && st.targets.some((t) => t.t === 'name' && (t.id === '__tablename__' || t.id === '__table__')));
    const mro = this.mro(c);
    if (!mro.some(declares)) return undefined;
    if (mro.slice(1).some((k) => this.plans.get(k.def))) return undefined;
    for (const k of mro) {
      for (const b of k.def.bases) {
        const r = cx.graph.resolve(k.mod, b);
        const path = r.k === 'external' ? r.path : r.k === 'unresolved' ? r.text : undefined;
        if (!path || /^(sqlalchemy|sqlmodel|typing|typing_extensions|enum|abc|pydantic)\b/.test(path)) continue;
        const hit = this.unseen.get(path) ?? { mod: k.mod, s: b.s, classes: [] as string[] };
        this.unseen.set(path, hit);
        if (!hit.classes.includes(c.def.name)) hit.classes.push(c.def.name);
        return { kind: 'unseen', path };
      }
    }
    // no base the reader knows at all (a custom metaclass, a base built at run time): still the class
    // declares a table and columns, so read it, and say which base was not understood
    if (!declares(c) || !c.def.body.some((st) => st.t === 'assign' && st.value?.t === 'call' && /^(Column|mapped_column)$/.test(saCallName(cx, c.mod, st.value) ?? ''))) return undefined;
    const root = mro[mro.length - 1]!;
    const path = root.def.bases[0] ? `${cx.text(root.mod, root.def.bases[0])} (base of ${root.def.name})` : `${root.def.name} (no declarative base)`;
    const hit = this.unseen.get(path) ?? { mod: c.mod, s: c.def.s, classes: [] as string[] };
    this.unseen.set(path, hit);
    hit.classes.push(c.def.name);
    return { kind: 'unseen', path };
  }

  private silently<T>(f: () => T): T {
    const n = this.cx.notes.length;
    const o = this.cx.others.length;
    const r = f();
    this.cx.notes.length = n;
    this.cx.others.length = o;
    return r;
  }

  /** `return cls.__name__.lower()` and friends. */
  private evalTablenameFn(mod: Mod, fn: FuncDef, className: string): string | undefined {
    const ret = fn.body.find((s) => s.t === 'return');
    if (ret?.t !== 'return' || !ret.value) return undefined;
    // evaluate the body with `cls.__name__` bound: local assignments, helpers, re.sub, f-strings
    const scope = new Map<string, PyExpr>();
    const first = fn.params[0] ?? 'cls';
    scope.set(`${first}.__name__`, literal(className, fn.s));
    for (const st of fn.body) {
      if (st.t === 'return') break;
      if (st.t === 'assign' && st.value && st.targets.length === 1 && st.targets[0]!.t === 'name') {
        const v = this.cx.value(mod, st.value, scope);
        if (v !== undefined) scope.set(st.targets[0]!.id, literal(v, st.value.s));
      }
    }
    const general = this.cx.str(mod, ret.value, scope);
    if (general !== undefined) return general;
    const ev = (e: PyExpr): string | undefined => {
      if (e.t === 'str' && !e.dynamic) return e.value;
      if (e.t === 'str' && e.dynamic) {
        // f"{cls.__name__.lower()}s"
        let ok = true;
        const out = e.value.replace(/\{([^}]*)\}/g, (_, inner: string) => {
          const r = evText(inner.trim());
          if (r === undefined) ok = false;
          return r ?? '';
        });
        return ok ? out : undefined;
      }
      return evText(this.cx.text(mod, e));
    };
    const evText = (t: string): string | undefined => {
      const m = /^(?:cls|self)\.__name__((?:\.(?:lower|upper)\(\))*)$/.exec(t.replace(/\s+/g, ''));
      if (m) {
        let s = className;
        for (const call of m[1]!.split('.').filter(Boolean)) s = call.startsWith('lower') ? s.toLowerCase() : s.toUpperCase();
        return s;
      }
      const plus = t.split('+').map((x) => x.trim());
      if (plus.length > 1) {
        const parts = plus.map((p) => (/^["'].*["']$/.test(p) ? p.slice(1, -1) : evText(p)));
        return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
      }
      const snake = /^\w+\((?:cls|self)\.__name__\)$/.exec(t.replace(/\s+/g, ''));
      if (snake) return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
      return undefined;
    };
    return ev(ret.value);
  }

  private findTableArgs(c: Cls, unmapped: readonly Cls[]): { mod: Mod; expr: PyExpr; owner: Cls } | undefined {
    for (const k of unmapped) {
      const fn = this.ownDeclaredAttr(k, '__table_args__');
      if (fn) {
        const ret = fn.body.find((s) => s.t === 'return');
        if (ret?.t === 'return' && ret.value) return { mod: k.mod, expr: ret.value, owner: k };
        this.cx.note(k.mod, fn.s, 'not-static', { reason: 'declared-table-args' }, objectSubject('model', c.def.name));
        return undefined;
      }
      const v = this.ownAssign(k, '__table_args__');
      if (v) return { mod: k.mod, expr: v, owner: k };
    }
    return undefined;
  }

  private emptySpec(mod: Mod, name: QualifiedName, s = { start: 0, end: 0 }): TableSpec {
    return { name, cols: [], keys: [], fks: [], checks: [], indexes: [], mod, s };
  }

  /** Columns declared by one class body (own attributes and @declared_attr functions). */
  private classColumns(k: Cls, meta: MetaInfo, taken: Set<string>): ColSpec[] {
    const out: ColSpec[] = [];
    const scope: Map<string, PyExpr> = new Map();
    for (const st of k.def.body) {
      if (st.t === 'assign') {
        const t = st.targets[0];
        if (st.value && t?.t === 'name') scope.set(t.id, st.value);
        if (t?.t !== 'name' || t.id.startsWith('__') || taken.has(t.id)) continue;
        if (['metadata', 'type_annotation_map', 'registry', 'model_config', 'Config'].includes(t.id)) continue;
        const col = this.attrColumn(k.mod, t.id, st.annotation, st.value, meta, st.s, scope);
        if (col === 'skip' || !col) continue;
        taken.add(t.id);
        out.push(col);
      } else if (st.t === 'def' && !st.def.name.startsWith('__') && this.isDeclaredAttr(k.mod, st.def) && !taken.has(st.def.name)) {
        const ret = st.def.body.find((s) => s.t === 'return');
        const value = ret?.t === 'return' ? ret.value : undefined;
        if (!value) continue;
        const col = this.attrColumn(k.mod, st.def.name, st.def.returns, value, meta, st.def.s, scope);
        if (col === 'skip' || !col) continue;
        taken.add(st.def.name);
        out.push(col);
      }
    }
    return out;
  }

  private attrColumn(mod: Mod, key: string, ann: PyExpr | undefined, value: PyExpr | undefined, meta: MetaInfo, s: { start: number; end: number }, scope: Scope): ColSpec | 'skip' | undefined {
    const cx = this.cx;
    const lw = this.lw;
    if (value?.t === 'call') {
      let v = value;
      let ctor = saCallName(cx, mod, v, scope);
      if ((ctor === 'deferred' || ctor === 'column_property') && v.args[0]?.t === 'call') {
        const inner = v.args[0];
        const ic = saCallName(cx, mod, inner, scope);
        if (ic === 'Column' || ic === 'mapped_column') {
          v = inner;
          ctor = ic;
        } else return 'skip';
      }
      if (ctor === 'Column') return lw.lowerColumn(mod, key, v, ann, meta, s, scope, 'Column');
      if (ctor === 'mapped_column') return lw.lowerColumn(mod, key, v, ann, meta, s, scope, 'mapped_column');
      if (ctor === 'Field' && meta.sqlmodel) return lw.lowerColumn(mod, key, v, ann, meta, s, scope, 'Field');
      if (ctor) return 'skip'; // relationship, synonym, column_property(expr), Relationship...
      const helper = cx.graph.resolve(mod, v.fn, scope);
      if (helper.k === 'func') {
        // a helper that builds the column: `created_at = timestamp_column()`
        const ret = helper.def.body.find((st) => st.t === 'return');
        const rc = ret?.t === 'return' && ret.value?.t === 'call' ? ret.value : undefined;
        const rctor = rc ? saCallName(cx, helper.mod, rc) : undefined;
        const bound = rc && (rctor === 'Column' || rctor === 'mapped_column') ? lw.bindCall(mod, v, helper.mod, helper.def, scope) : undefined;
        if (rc && bound) {
          const col = lw.lowerColumn(helper.mod, key, rc, helper.mod === mod ? ann : undefined, meta, rc.s, bound, rctor as 'Column' | 'mapped_column');
          if (col && col !== 'skip') return col;
        }
      }
      if (ann && /\bMapped\[/.test(cx.text(mod, ann))) {
        cx.note(mod, v.s, 'not-static', { reason: 'column-call', name: key, text: cx.text(mod, v.fn) }, { kind: 'column', column: key });
      }
      if (meta.sqlmodel && ann) return lw.lowerColumn(mod, key, undefined, ann, meta, s, scope, 'Field');
      return 'skip';
    }
    if (!ann) return 'skip';
    if (meta.sqlmodel) return lw.lowerColumn(mod, key, undefined, ann, meta, s, scope, 'Field');
    const annText = cx.text(mod, ann);
    if (!/\bMapped\[/.test(annText)) return 'skip';
    return lw.lowerColumn(mod, key, undefined, ann, meta, s, scope, 'mapped_column');
  }

  private collect(p: Plan): { cols: ColSpec[]; unmapped: Cls[] } {
    const mro = this.mro(p.cls);
    const parentMro = p.parent ? this.mro(p.parent) : [];
    const unmapped = mro.filter((k, i) => i === 0 || (!this.plan(k) && !parentMro.some((x) => x.def === k.def)));
    const taken = new Set<string>();
    const order = p.meta.sqlmodel ? [...unmapped].reverse() : unmapped;
    const cols: ColSpec[] = [];
    if (p.meta.sqlmodel) {
      // pydantic: fields of bases first, a subclass redefinition replaces in place
      const byKey = new Map<string, ColSpec>();
      for (const k of order) for (const c of this.classColumns(k, p.meta, new Set())) byKey.set(c.key, c);
      cols.push(...byKey.values());
    } else {
      for (const k of order) cols.push(...this.classColumns(k, p.meta, taken));
    }
    return { cols, unmapped };
  }

  private buildOwn(p: Plan): void {
    const cx = this.cx;
    const noted = cx.notes.length;
    const { cols, unmapped } = this.collect(p);
    const spec = this.emptySpec(p.cls.mod, p.table!, p.cls.def.s);
    spec.cols.push(...cols);
    const ta = this.findTableArgs(p.cls, unmapped);
    if (ta) {
      // the class body is in scope: `Index("ix", name)`, f"ix_{__tablename__}_key"
      const scope = bodyScope(ta.owner.def);
      if (ta.owner.def === p.cls.def) this.lw.classAttrs = new Map(cols.filter((c) => c.mod === p.cls.mod).map((c) => [c.key, c.name]));
      try {
        const o = tableArgs(this.lw, ta.mod, ta.expr, spec, p.meta, scope);
        if (o.comment !== undefined) spec.comment = o.comment;
      } finally {
        this.lw.classAttrs = undefined;
      }
    }
    cx.locateSubjects(noted, p.table!);
    const key = qkey(p.table!);
    if (this.specs.has(key)) {
      cx.note(p.cls.mod, p.cls.def.s, 'duplicate-object', { reason: 'table-mapped-twice', object: p.table!.name, class: p.cls.def.name }, tableSubject(p.table!.name));
      return;
    }
    this.specs.set(key, { spec, meta: p.meta });
  }

  private buildSingle(p: Plan): void {
    if (!p.target) return;
    const entry = this.specs.get(qkey(p.target));
    if (!entry) return;
    const { cols } = this.collect(p);
    const have = new Set(entry.spec.cols.map((c) => c.name));
    for (const c of cols) if (!have.has(c.name)) entry.spec.cols.push(c);
  }

  // ------------------------------------------------------------ Table(...) and Index(...)

  /** `Table("name", metadata, Column(...), ..., schema=, comment=)` */
  tableCall(mod: Mod, call: Extract<PyExpr, { t: 'call' }>): QualifiedName | undefined {
    const cx = this.cx;
    const known = this.tableVars.get(call);
    if (known) return known;
    const name = cx.str(mod, call.args[0] ?? arg(call, 'name'));
    if (!name) {
      cx.note(mod, call.s, 'not-static', { reason: 'table-name' });
      return undefined;
    }
    // Flask-SQLAlchemy's db.Table(name, *items) takes its MetaData from db
    const second = call.args[1];
    const flaskTable = call.fn.t === 'attr' && this.cx.graph.resolve(mod, call.fn.obj).k === 'value' && second !== undefined && saCallName(cx, mod, second) !== undefined;
    const meta = flaskTable && call.fn.t === 'attr' ? this.metaFrom(mod, { t: 'attr', obj: call.fn.obj, name: 'metadata', s: call.fn.s }, undefined) : this.metaFrom(mod, second ?? arg(call, 'metadata'), undefined);
    const schema = cx.str(mod, arg(call, 'schema')) ?? meta.schema;
    const qn = schema ? { schema, name } : { name };
    this.tableVars.set(call, qn);
    const spec = this.emptySpec(mod, qn, call.s);
    const noted = cx.notes.length;
    for (const item of call.args.slice(flaskTable ? 1 : 2)) {
      if (!applyTableItem(this.lw, mod, item, spec, meta)) cx.note(mod, item.s, 'unsupported-syntax', { reason: 'table-item', text: cx.text(mod, item).slice(0, 60) }, tableSubject(name));
    }
    cx.locateSubjects(noted, qn);
    const comment = cx.str(mod, arg(call, 'comment'));
    if (comment !== undefined) spec.comment = comment;
    const key = qkey(qn);
    if (this.specs.has(key)) cx.note(mod, call.s, 'duplicate-object', { reason: 'table-defined-twice', object: name }, tableSubject(name));
    else this.specs.set(key, { spec, meta });
    return qn;
  }

  private moduleIndex(mod: Mod, call: Extract<PyExpr, { t: 'call' }>): void {
    const cx = this.cx;
    const first = call.args[1];
    let table: QualifiedName | undefined;
    let e: PyExpr | undefined = first;
    // dig to the column reference: func.lower(User.email), User.email.desc()
    for (let i = 0; i < 5 && e && e.t === 'call'; i++) e = e.args[0] ?? (e.fn.t === 'attr' ? e.fn.obj : undefined);
    if (e?.t === 'attr') {
      if (e.obj.t === 'attr' && (e.obj.name === 'c' || e.obj.name === 'columns')) {
        const r = cx.graph.resolve(mod, e.obj.obj);
        if (r.k === 'value' && r.expr.t === 'call') table = this.tableCall(r.mod, r.expr);
      } else {
        const r = cx.graph.resolve(mod, e.obj);
        if (r.k === 'class') table = this.plan({ mod: r.mod, def: r.def })?.target;
      }
    }
    if (!table) {
      cx.note(mod, call.s, 'not-static', { reason: 'index-table' });
      return;
    }
    const entry = this.specs.get(qkey(table));
    const ix = indexSpec(this.lw, mod, call, undefined, 1);
    if (entry && ix) entry.spec.indexes.push(ix);
  }
}

/** Flask-SQLAlchemy's `camel_to_snake_case` (flask_sqlalchemy/model.py). */
export function camelToSnake(name: string): string {
  return name.replace(/((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))/g, '_$1').toLowerCase().replace(/^_+/, '');
}

/** Names assigned in a class body, for expressions that refer back to them. */
function bodyScope(def: ClassDef): Map<string, PyExpr> {
  const scope = new Map<string, PyExpr>();
  for (const st of def.body) if (st.t === 'assign' && st.value) for (const t of st.targets) if (t.t === 'name') scope.set(t.id, st.value);
  return scope;
}
