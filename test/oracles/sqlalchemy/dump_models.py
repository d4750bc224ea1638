"""Judge for SQLAlchemy model fixtures.

Usage: python dump_models.py FIXTURE_DIR

Imports every module of the fixture (the folder `input/` when present, else the folder
itself, minus Alembic `versions/`), collects every MetaData reachable from them and prints
the DDL that SQLAlchemy's PostgreSQL dialect emits for it, as `metadata.create_all()` would:
CREATE TYPE for named native enums, CREATE SEQUENCE, CREATE TABLE, CREATE INDEX, and
COMMENT ON (the PostgreSQL dialect does not inline comments). Like create_all(), it skips an index
or use_alter foreign key whose `.ddl_if()` names another dialect.
This runs our own fixture code only; nothing connects to a database.
"""
import importlib
import os
import sys
import warnings

warnings.filterwarnings("ignore")

from sqlalchemy import MetaData, Table, Enum
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import registry as Registry
from sqlalchemy.schema import (
    AddConstraint,
    CreateIndex,
    CreateSequence,
    CreateTable,
    SetColumnComment,
    SetTableComment,
)

try:
    from sqlalchemy.dialects.postgresql.named_types import CreateEnumType
except ImportError:  # pragma: no cover
    from sqlalchemy.dialects.postgresql.base import CreateEnumType

SKIP_DIRS = {"__pycache__", "versions", "alembic", "migrations", ".venv", "venv"}


def module_names(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for f in sorted(filenames):
            if not f.endswith(".py") or f == "env.py":
                continue
            rel = os.path.relpath(os.path.join(dirpath, f), root)[:-3].split(os.sep)
            if rel[-1] == "__init__":
                rel = rel[:-1]
            if rel:
                yield ".".join(rel)


def collect_metadata(modules):
    found = []
    seen = set()

    def add(md):
        if isinstance(md, MetaData) and id(md) not in seen:
            seen.add(id(md))
            found.append(md)

    for mod in modules:
        for value in list(vars(mod).values()):
            if isinstance(value, MetaData):
                add(value)
            elif isinstance(value, Table):
                add(value.metadata)
            elif isinstance(value, Registry):
                add(value.metadata)
            elif isinstance(value, type):
                md = getattr(value, "metadata", None)
                if isinstance(md, MetaData):
                    add(md)
    return found


def created_by_create_all(stmt, dialect):
    """create_all() skips an Index or use_alter constraint whose .ddl_if() names another dialect."""
    return stmt._should_execute(stmt.element, None, compiler=stmt.compile(dialect=dialect))


def main():
    fixture = os.path.abspath(sys.argv[1])
    root = os.path.join(fixture, "input") if os.path.isdir(os.path.join(fixture, "input")) else fixture
    sys.path.insert(0, root)
    modules = [importlib.import_module(name) for name in module_names(root)]
    dialect = postgresql.dialect()
    out = []
    done_enums = set()
    for md in collect_metadata(modules):
        for seq in sorted(md._sequences.values(), key=lambda s: s.name):
            out.append(str(CreateSequence(seq).compile(dialect=dialect)))
        for table in md.sorted_tables:
            for col in table.columns:
                impl = col.type.dialect_impl(dialect)
                if isinstance(impl, Enum) and getattr(impl, "native_enum", False) and impl.name:
                    key = (impl.schema, impl.name)
                    if key in done_enums:
                        continue
                    done_enums.add(key)
                    out.append(str(CreateEnumType(impl).compile(dialect=dialect)))
        for table in md.sorted_tables:
            out.append(str(CreateTable(table).compile(dialect=dialect)))
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                if created_by_create_all(CreateIndex(index), dialect):
                    out.append(str(CreateIndex(index).compile(dialect=dialect)))
            if table.comment is not None:
                out.append(str(SetTableComment(table).compile(dialect=dialect)))
            for col in table.columns:
                if col.comment is not None:
                    out.append(str(SetColumnComment(col).compile(dialect=dialect)))
        # use_alter foreign keys are added after every table exists, as create_all() does
        for table in md.sorted_tables:
            for fk in sorted(table.foreign_key_constraints, key=lambda c: c.name or ""):
                if fk.use_alter and created_by_create_all(AddConstraint(fk), dialect):
                    out.append(str(AddConstraint(fk).compile(dialect=dialect)))
    for stmt in out:
        print(stmt.strip() + ";\n")


if __name__ == "__main__":
    main()
