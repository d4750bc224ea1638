"""pg2tidb runtime mode: imports a project's SQLAlchemy models and prints their MetaData as JSON.

Usage: python pg2tidb_sa_dump.py REQUEST_JSON
  REQUEST_JSON: {"files": [absolute .py paths], "inputs": [absolute input folders/files]}

Runs the user's own Python with their installed packages, as Alembic's env.py would: each file's
import root goes on sys.path and every given module is imported. It then collects every MetaData
reachable from those modules (declarative bases and registries, Flask-SQLAlchemy's db, bare
MetaData/Table objects) and serialises them with the PostgreSQL dialect. It never connects to a
database: no engine is created. An import failure is reported with the end of its traceback and
the other modules are still read. JSON goes to stdout; anything the user's code prints goes to stderr.
"""
import ast
import importlib
import inspect
import json
import os
import re
import sys
import traceback
import types
import warnings

FORMAT = 1


def import_roots(files, inputs):
    """Module name and sys.path root for each file: the deepest root that makes the package
    chain (__init__.py) or the files' own absolute imports (namespace packages) resolve."""
    imported = set()
    for f in files:
        try:
            tree = ast.parse(open(f, encoding="utf-8").read())
        except (SyntaxError, UnicodeDecodeError, OSError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names)
    bounds = [os.path.abspath(p) for p in inputs]

    def imported_prefix(dotted):
        return any(m == dotted or m.startswith(dotted + ".") for m in imported)

    out = []
    fallback = []
    for f in files:
        d = os.path.dirname(f)
        stem = os.path.splitext(os.path.basename(f))[0]
        bound = next((b for b in bounds if f == b or f.startswith(b.rstrip(os.sep) + os.sep)), d)
        bound_dir = bound if os.path.isdir(bound) else os.path.dirname(bound)
        best = None
        a = d
        chain = True
        inside = True
        # the __init__.py chain is Python's own rule; an imported dotted name only counts inside the inputs
        while True:
            chain = chain and os.path.exists(os.path.join(a, "__init__.py"))
            dotted = ".".join(os.path.relpath(d, os.path.dirname(a)).split(os.sep))
            if chain or (inside and imported_prefix(dotted)):
                best = a
            if a == bound_dir:
                inside = False
            if (not chain and not inside) or os.path.dirname(a) == a:
                break
            a = os.path.dirname(a)
        if best is None:
            fallback.append(len(out))
            out.append((d, stem))
            continue
        out.append(module_at(os.path.dirname(best), d, stem))
    # a file no import names sits in a package another file's root already holds: name it from there
    found = {(root, name.split(".")[0]) for i, (root, name) in enumerate(out) if i not in fallback}
    for i in fallback:
        f = files[i]
        d = os.path.dirname(f)
        under = [(r, top) for r, top in found if d.startswith(os.path.join(r, top) + os.sep) or d == os.path.join(r, top)]
        if under:
            root, _ = max(under, key=lambda x: len(x[0]))
            out[i] = module_at(root, d, os.path.splitext(os.path.basename(f))[0])
    return out


def module_at(root, d, stem):
    parts = os.path.relpath(d, root).split(os.sep)
    return root, ".".join(parts if stem == "__init__" else parts + [stem])


def isolate(root, name):
    """Services side by side may each have a top-level package of the same name (models/):
    before importing one, forget the other's modules (their MetaData is already collected)."""
    top = name.split(".")[0]
    loaded = sys.modules.get(top)
    if loaded is not None:
        where = [os.path.abspath(p) for p in (getattr(loaded, "__path__", None) or [os.path.dirname(getattr(loaded, "__file__", "") or "")])]
        if not any(p == os.path.join(root, top) or p == root for p in where):
            for k in [k for k in sys.modules if k == top or k.startswith(top + ".")]:
                del sys.modules[k]
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)


def failure(file, exc):
    """Where an import failed (the deepest frame in the input files) and the end of the traceback."""
    tb = traceback.extract_tb(exc.__traceback__)
    line = 1
    at = file
    for fr in tb:
        if fr.filename == file:
            line = fr.lineno or 1
    if isinstance(exc, SyntaxError) and exc.filename == file:
        line = exc.lineno or 1
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip().splitlines()
    return {"file": at, "line": line, "error": f"{type(exc).__name__}: {exc}", "traceback": text[-8:]}


# ---------------------------------------------------------------- collecting MetaData


def collect(modules):
    from sqlalchemy import MetaData, Table
    from sqlalchemy.orm import registry as Registry

    found = []
    seen = set()
    registries = []

    def add(md):
        if isinstance(md, MetaData) and id(md) not in seen:
            seen.add(id(md))
            found.append(md)

    def add_registry(reg):
        if isinstance(reg, Registry) and all(r is not reg for r in registries):
            registries.append(reg)
            add(reg.metadata)

    for mod in modules:
        for value in list(vars(mod).values()):
            try:
                if isinstance(value, MetaData):
                    add(value)
                elif isinstance(value, Table):
                    add(value.metadata)
                elif isinstance(value, Registry):
                    add_registry(value)
                elif isinstance(value, type):
                    add_registry(getattr(value, "registry", None))
                    add(getattr(value, "metadata", None))
                else:
                    # Flask-SQLAlchemy: db.metadatas (bind key -> MetaData), db.Model
                    mds = getattr(type(value), "metadatas", None) and getattr(value, "metadatas", None)
                    if isinstance(mds, dict):
                        for md in mds.values():
                            add(md)
                        add_registry(getattr(getattr(value, "Model", None), "registry", None))
            except Exception:
                continue
    return found, registries


def class_sources(registries, modules):
    """Table -> (file, line) of the mapped class that defines it."""
    out = {}
    # the module each class was defined in: two services may both have a module named models
    owner = {}
    for mod in modules:
        for value in list(vars(mod).values()):
            if isinstance(value, type) and getattr(value, "__module__", None) == mod.__name__:
                owner.setdefault(id(value), mod)

    def record(cls):
        t = getattr(cls, "__table__", None)
        if t is None or id(t) in out:
            return
        mod = owner.get(id(cls))
        name = getattr(cls, "__module__", None)
        saved = sys.modules.get(name) if name else None
        try:
            if mod is not None:
                sys.modules[name] = mod
            file = inspect.getsourcefile(cls)
            line = inspect.getsourcelines(cls)[1]
        except (TypeError, OSError):
            return
        finally:
            if mod is not None:
                if saved is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = saved
        if file:
            out[id(t)] = (os.path.abspath(file), line, cls.__qualname__)

    for reg in registries:
        for m in list(reg.mappers):
            if m.local_table is not None and not m.inherits or (m.inherits is not None and m.local_table is not m.inherits.local_table):
                record(m.class_)
    for mod in modules:
        for value in list(vars(mod).values()):
            if isinstance(value, type) and getattr(value, "__module__", None) == mod.__name__:
                record(value)
    return out


def table_sources(modules):
    """Table objects bound to module globals: (file, line of the Table( call)."""
    from sqlalchemy import Table

    out = {}
    for mod in modules:
        file = getattr(mod, "__file__", None)
        if not file:
            continue
        try:
            text = open(file, encoding="utf-8").read()
        except OSError:
            continue
        for value in list(vars(mod).values()):
            if isinstance(value, Table) and id(value) not in out:
                m = re.search(r"Table\(\s*[\"']" + re.escape(value.name) + r"[\"']", text)
                line = text.count("\n", 0, m.start()) + 1 if m else 1
                out[id(value)] = (os.path.abspath(file), line, None)
    return out


# ---------------------------------------------------------------- serialising


class Dumper:
    def __init__(self):
        from sqlalchemy.dialects import postgresql

        self.dialect = postgresql.dialect()
        self.preparer = self.dialect.identifier_preparer
        self.ddl = self.dialect.ddl_compiler(self.dialect, None)

    def sql(self, clause):
        """SQL as CREATE TABLE / CREATE INDEX print it: literal values, columns without their table."""
        if clause is None:
            return None
        if isinstance(clause, str):
            return clause
        try:
            from sqlalchemy.sql import coercions, roles

            element = coercions.expect(roles.DDLExpressionRole, clause)
            return str(self.ddl.sql_compiler.process(element, include_table=False, literal_binds=True))
        except Exception:
            pass
        try:
            return str(clause.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True}))
        except Exception:
            try:
                return str(clause.compile(dialect=self.dialect))
            except Exception as e:  # noqa: BLE001
                return {"error": f"{type(e).__name__}: {e}"}

    def name(self, constraint):
        try:
            return self.preparer.format_constraint(constraint, _alembic_quote=False)
        except Exception:
            n = constraint.name
            return n if isinstance(n, str) else None

    def type(self, t, depth=0):
        from sqlalchemy import types as T

        variants = getattr(t, "_variant_mapping", None) or {}
        if "postgresql" in variants:
            t = variants["postgresql"]
        out = {"class": type(t).__name__, "module": type(t).__module__}
        try:
            out["compiled"] = t.compile(dialect=self.dialect)
        except Exception as e:  # noqa: BLE001
            out["compileError"] = f"{type(e).__name__}: {e}"
        from sqlalchemy.sql import sqltypes

        if isinstance(t, sqltypes.Emulated) and isinstance(t, T.TypeDecorator):
            # Interval and the like: PostgreSQL has the native type
            native = t.dialect_impl(self.dialect)
            if not isinstance(native, T.TypeDecorator):
                return self.type(native, depth + 1)
        if isinstance(t, T.TypeDecorator) and depth < 5:
            try:
                out["impl"] = self.type(t.load_dialect_impl(self.dialect), depth + 1)
            except Exception as e:  # noqa: BLE001
                out["implError"] = f"{type(e).__name__}: {e}"
            return out
        args = {}
        for a in ("length", "precision", "scale", "timezone", "dimensions", "as_uuid", "native_enum", "none_as_null",
                  "collation", "srid", "geometry_type", "dim", "varying", "fields", "second_precision", "day_precision",
                  "create_constraint", "native", "asdecimal"):
            v = getattr(t, a, None)
            if isinstance(v, (str, int, float, bool)) and not (a == "length" and isinstance(v, bool)):
                args[a] = v
        if isinstance(t, T.Enum):
            args["enums"] = list(t.enums)
            if t.name:
                args["name"] = t.name
            if t.schema:
                args["schema"] = t.schema
            args["length"] = t.length
        if isinstance(t, T.ARRAY) and depth < 5:
            out["item"] = self.type(t.item_type, depth + 1)
        out["args"] = args
        return out

    def default_kind(self, d):
        if d is None:
            return None
        from sqlalchemy import Sequence

        if isinstance(d, Sequence):
            return {"kind": "sequence", "name": d.name}
        arg = getattr(d, "arg", None)
        if getattr(d, "is_callable", False):
            fn = getattr(arg, "__wrapped__", arg)
            return {"kind": "callable", "text": getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or "callable"}
        if getattr(d, "is_clause_element", False):
            return {"kind": "clause", "text": self.sql(arg), "function": getattr(arg, "name", None)}
        return {"kind": "scalar", "text": repr(arg)[:200]}

    def sequence(self, s):
        out = {"name": s.name, "schema": s.schema, "optional": bool(getattr(s, "optional", False))}
        for a in ("start", "increment", "minvalue", "maxvalue", "cache", "cycle"):
            v = getattr(s, a, None)
            if v is not None:
                out[a] = v
        return out

    def column(self, table, c):
        from sqlalchemy import Sequence

        d = {"name": c.name, "key": c.key, "type": self.type(c.type), "nullable": bool(c.nullable), "primaryKey": bool(c.primary_key)}
        if c.server_default is not None:
            try:
                d["serverDefault"] = self.ddl.get_column_default_string(c)
            except Exception as e:  # noqa: BLE001
                d["serverDefaultError"] = f"{type(e).__name__}: {e}"
            if d.get("serverDefault") is None and "serverDefaultError" not in d:
                d["serverDefaultFetched"] = True
        if isinstance(c.default, Sequence):
            d["sequence"] = self.sequence(c.default)
        elif c.default is not None:
            d["default"] = self.default_kind(c.default)
        if c.onupdate is not None:
            d["onupdate"] = self.default_kind(c.onupdate)
        if c.computed is not None:
            d["computed"] = {"sql": self.sql(c.computed.sqltext), "persisted": c.computed.persisted}
        if c.identity is not None:
            i = c.identity
            d["identity"] = {"always": bool(i.always)}
            for a in ("start", "increment", "minvalue", "maxvalue", "cache", "cycle"):
                v = getattr(i, a, None)
                if v is not None:
                    d["identity"][a] = v
        if c.comment is not None:
            d["comment"] = c.comment
        try:
            spec = self.ddl.get_column_specification(c)
            m = re.match(re.escape(self.preparer.format_column(c)) + r" ((?:BIG|SMALL)?SERIAL)\b", spec)
            if m:
                d["serial"] = m.group(1)
        except Exception as e:  # noqa: BLE001
            d["specError"] = f"{type(e).__name__}: {e}"
        return d

    def index(self, ix):
        pg = ix.dialect_options["postgresql"]
        keys = []
        ops = pg.get("ops") or {}
        for e in ix.expressions:
            from sqlalchemy import Column
            from sqlalchemy.sql.elements import UnaryExpression

            desc = False
            inner = e
            if isinstance(e, UnaryExpression) and e.modifier is not None and getattr(e.modifier, "__name__", "") == "desc_op":
                desc = True
                inner = e.element
            if isinstance(inner, Column):
                k = {"column": inner.name}
                op = ops.get(inner.key) or ops.get(inner.name)
            else:
                k = {"sql": self.sql(inner if desc else e)}
                op = None
            if desc:
                k["desc"] = True
            if op:
                k["opclass"] = op
            keys.append(k)
        out = {"name": self.name(ix), "unique": bool(ix.unique), "keys": keys}
        if pg.get("using"):
            out["using"] = pg["using"]
        if pg.get("where") is not None:
            out["where"] = self.sql(pg["where"])
        if pg.get("include"):
            out["include"] = [getattr(c, "name", c) for c in pg["include"]]
        if pg.get("nulls_not_distinct"):
            out["nullsNotDistinct"] = True
        other = {k: str(v) for k, v in ix.dialect_kwargs.items() if not k.startswith("postgresql_") and v is not None}
        if other:
            out["otherDialects"] = other
        return out

    def on_postgresql(self, element):
        """create_all() on PostgreSQL skips what .ddl_if(dialect=...) reserves for another database."""
        cond = getattr(element, "_ddl_if", None)
        if cond is None or cond.dialect is None:
            return True
        names = (cond.dialect,) if isinstance(cond.dialect, str) else tuple(cond.dialect)
        return "postgresql" in names

    def fk_target(self, c):
        """(schema, table, columns) a foreign key refers to; from its spec when the table is not in the MetaData."""
        try:
            ref = c.elements[0].column.table
            return ref.schema, ref.name, [e.column.name for e in c.elements]
        except Exception:
            specs = [e.target_fullname.split(".") for e in c.elements]
            first = specs[0] if specs else ["", ""]
            schema = ".".join(first[:-2]) or None
            return schema, first[-2] if len(first) >= 2 else first[0], [s[-1] for s in specs]

    def created_on_postgresql(self, c):
        """Whether CREATE TABLE on PostgreSQL prints `c`: Boolean(create_constraint=True) and a native
        Enum attach a CHECK that PostgreSQL's native types make unnecessary (DDLCompiler's _create_rule)."""
        rule = getattr(c, "_create_rule", None)
        if rule is None:
            return True
        try:
            return bool(rule(types.SimpleNamespace(dialect=self.dialect)))
        except Exception:  # noqa: BLE001 - a rule we cannot ask keeps the constraint
            return True

    def table(self, t, src):
        from sqlalchemy import CheckConstraint, ForeignKeyConstraint, PrimaryKeyConstraint, UniqueConstraint
        from sqlalchemy.schema import AddConstraint

        d = {"name": t.name, "schema": t.schema, "columns": [self.column(t, c) for c in t.columns]}
        if src:
            d["file"], d["line"], d["class"] = src
        if t.comment is not None:
            d["comment"] = t.comment
        pk = t.primary_key
        if pk is not None and len(pk.columns) > 0:
            d["primaryKey"] = {"name": self.name(pk), "columns": [c.name for c in pk.columns]}
        d["uniques"], d["checks"], d["foreignKeys"], d["otherConstraints"] = [], [], [], []
        # table options PostgreSQL gives a meaning to (partitioning, inheritance, storage)
        pg = t.dialect_options["postgresql"]
        options = {k: str(pg.get(k)) for k in ("partition_by", "inherits", "with_oids", "tablespace", "using", "on_commit") if pg.get(k) not in (None, False)}
        if t._prefixes:
            options["prefixes"] = " ".join(str(p) for p in t._prefixes)
        if options:
            d["pgOptions"] = options
        for c in sorted(t.constraints, key=lambda c: getattr(c, "_creation_order", 0)):
            if isinstance(c, UniqueConstraint):
                u = {"name": self.name(c), "columns": [x.name for x in c.columns]}
                if c.dialect_options["postgresql"].get("nulls_not_distinct"):
                    u["nullsNotDistinct"] = True
                if c.deferrable:
                    u["deferrable"] = True
                d["uniques"].append(u)
            elif isinstance(c, CheckConstraint):
                if not self.created_on_postgresql(c):
                    continue
                d["checks"].append({"name": self.name(c), "sql": self.sql(c.sqltext)})
            elif isinstance(c, PrimaryKeyConstraint):
                pass
            elif not isinstance(c, ForeignKeyConstraint):
                # ExcludeConstraint and the like: as CREATE TABLE would print it
                try:
                    text = str(AddConstraint(c).compile(dialect=self.dialect))
                    text = re.sub(r"^ALTER TABLE \S+ ADD ", "", text.strip())
                except Exception as e:  # noqa: BLE001
                    text = None
                    d.setdefault("constraintErrors", []).append(f"{type(c).__name__}: {type(e).__name__}: {e}")
                d["otherConstraints"].append({"class": type(c).__name__, "name": self.name(c), "sql": text})
            elif isinstance(c, ForeignKeyConstraint):
                ref_schema, ref_table, ref_cols = self.fk_target(c)
                d["foreignKeys"].append({
                    "name": self.name(c),
                    "columns": [e.parent.name for e in c.elements],
                    "refSchema": ref_schema,
                    "refTable": ref_table,
                    "refColumns": ref_cols,
                    "ondelete": c.ondelete, "onupdate": c.onupdate,
                    "deferrable": c.deferrable, "initially": c.initially, "match": c.match,
                    "useAlter": bool(c.use_alter),
                })
        indexes = sorted(t.indexes, key=lambda i: (i.name or "") if isinstance(i.name, str) else "")
        d["indexes"] = [self.index(ix) for ix in indexes if self.on_postgresql(ix)]
        return d


def main():
    request = json.load(open(sys.argv[1], encoding="utf-8"))
    files = [os.path.abspath(f) for f in request["files"]]
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # user code that prints must not corrupt the JSON
    warnings.simplefilter("ignore")
    result = {"format": FORMAT, "failures": [], "tables": [], "sequences": [], "metadata": 0}
    try:
        import sqlalchemy  # noqa: F401
    except Exception as e:  # noqa: BLE001
        result["fatal"] = f"SQLAlchemy cannot be imported by {sys.executable}: {type(e).__name__}: {e}"
        real_stdout.write(json.dumps(result))
        return
    result["sqlalchemy"] = sqlalchemy.__version__
    roots = import_roots(files, request.get("inputs", []))
    for root, _ in roots:
        if root not in sys.path:
            sys.path.insert(0, root)
    modules = []
    for f, (root, name) in zip(files, roots):
        try:
            isolate(root, name)
            mod = importlib.import_module(name)
            if os.path.abspath(getattr(mod, "__file__", "") or "") != f:
                result["failures"].append({"file": f, "line": 1, "error": f"module {name} resolved to {getattr(mod, '__file__', None)}, not this file", "traceback": []})
            modules.append(mod)
        except BaseException as e:  # noqa: BLE001 - user code may raise anything, even SystemExit
            result["failures"].append(failure(f, e))
    try:
        mds, registries = collect(modules)
        sources = {**table_sources(modules), **class_sources(registries, modules)}
        dumper = Dumper()
        result["metadata"] = len(mds)
        for i, md in enumerate(mds):
            for t in md.tables.values():
                src = sources.get(id(t))
                try:
                    td = dumper.table(t, src)
                except Exception as e:  # noqa: BLE001 - one table must not hide the others
                    f = failure(src[0] if src else "", e)
                    f["line"] = src[1] if src else 1
                    f["table"] = t.fullname
                    result["failures"].append(f)
                    continue
                td["metadata"] = i
                result["tables"].append(td)
            for s in md._sequences.values():
                sd = dumper.sequence(s)
                sd["metadata"] = i
                result["sequences"].append(sd)
    except BaseException as e:  # noqa: BLE001
        result["fatal"] = "".join(traceback.format_exception(type(e), e, e.__traceback__))[-2000:]
    real_stdout.write(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
