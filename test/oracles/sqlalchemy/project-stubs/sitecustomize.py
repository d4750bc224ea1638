"""Test harness only (never shipped): lets the real projects of ../shared/corpus/sqlalchemy import
with SQLAlchemy although only their model files are in the corpus.

Put on PYTHONPATH, Python imports this file at start-up. It appends an import hook that, for the
module prefixes in PG2TIDB_STUB_MODULES (comma-separated), supplies a permissive stand-in module
when the real one cannot be found: the rest of each project (airflow.configuration, CTFd.utils,
keystone.conf, mlflow.entities, ...) and helper packages unreasonable to install (kubernetes,
opentelemetry, ...). Modules that exist (the corpus files, the venv's packages) are never stubbed,
because the hook is consulted last. Stand-ins are falsy, callable, iterable as empty, usable as
bases (they drop out of the class's bases) and as decorators (they return what they decorate).
Every stubbed module is appended to the file PG2TIDB_STUB_LOG names, so the test can report them.
"""
import importlib.abc
import json
import importlib.machinery
import os
import sys
import types

PREFIXES = tuple(p for p in os.environ.get("PG2TIDB_STUB_MODULES", "").split(",") if p)
# "module.NAME" -> value, for the few constants a schema takes from a module that is not there
VALUES = json.loads(os.environ.get("PG2TIDB_STUB_VALUES", "{}"))
# "module.NAME" that must be a real class (functools.singledispatch registers types only)
CLASSES = set(p for p in os.environ.get("PG2TIDB_STUB_CLASSES", "").split(",") if p)

# "module.NAME" of a stubbed `import_string("pkg.mod.Attr")` helper that must really import: a
# package's PEP 562 lazy attributes go through it (airflow.models.Base)
IMPORTERS = set(p for p in os.environ.get("PG2TIDB_STUB_IMPORTERS", "").split(",") if p)


def import_string(dotted):
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def resolve(full):
    if full in VALUES:
        return VALUES[full]
    if full in IMPORTERS:
        return import_string
    if full in CLASSES:
        cls = type(full.rsplit(".", 1)[-1], (), {"__module__": full.rsplit(".", 1)[0]})
        VALUES[full] = cls
        return cls
    return Stub(full)


class Stub:
    def __init__(self, name="stub"):
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return resolve(f"{self._name}.{name}")

    def __call__(self, *args, **kwargs):
        # used as a decorator: hand back what it decorates
        if len(args) == 1 and not kwargs and (callable(args[0]) or isinstance(args[0], type)) and not isinstance(args[0], Stub):
            return args[0]
        return Stub(f"{self._name}()")

    def __mro_entries__(self, bases):
        return ()

    def __instancecheck__(self, obj):
        return False

    def __subclasscheck__(self, cls):
        return False

    def __bool__(self):
        return False

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __getitem__(self, key):
        return Stub(f"{self._name}[]")

    def __or__(self, other):
        return self

    __ror__ = __or__

    def __str__(self):
        return ""

    def __repr__(self):
        return f"<stub {self._name}>"

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


class StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return resolve(f"{self.__name__}.{name}")


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if not any(fullname == p or fullname.startswith(p + ".") for p in PREFIXES):
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        m = StubModule(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        log = os.environ.get("PG2TIDB_STUB_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as f:
                f.write(module.__name__ + "\n")


if PREFIXES:
    sys.meta_path.append(StubFinder())
