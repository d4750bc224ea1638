"""Judge for rewritten SQLAlchemy models (pg2tidb --emit sqlalchemy).

Usage: python dump_models_mysql.py MODELS_DIR [mysql|postgresql]

Imports every module of MODELS_DIR (the folder `input/` when present, as dump_models.py does),
collects every MetaData reachable from them and prints the DDL that SQLAlchemy's MySQL dialect
emits for it, as `metadata.create_all()` would on MySQL/TiDB: CREATE TABLE (comments inline),
CREATE INDEX, and use_alter foreign keys (not those whose `.ddl_if()` names another dialect).
With `postgresql` it prints what dump_models.py prints, for the variant check
(`JSON().with_variant(JSONB(), "postgresql")` models on PostgreSQL).
This runs our own fixture code only; nothing connects to a database.
"""
import importlib
import os
import sys
import warnings

warnings.filterwarnings("ignore")

from sqlalchemy.dialects import mysql
from sqlalchemy.schema import AddConstraint, CreateIndex, CreateTable

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dump_models  # noqa: E402  (module_names, collect_metadata, and the PostgreSQL judge itself)


def main():
    target = os.path.abspath(sys.argv[1])
    dialect_name = sys.argv[2] if len(sys.argv) > 2 else "mysql"
    if dialect_name == "postgresql":
        sys.argv = [sys.argv[0], target]
        dump_models.main()
        return
    root = os.path.join(target, "input") if os.path.isdir(os.path.join(target, "input")) else target
    sys.path.insert(0, root)
    modules = [importlib.import_module(name) for name in dump_models.module_names(root)]
    dialect = mysql.dialect()
    out = []
    for md in dump_models.collect_metadata(modules):
        for table in md.sorted_tables:
            out.append(str(CreateTable(table).compile(dialect=dialect)))
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                if dump_models.created_by_create_all(CreateIndex(index), dialect):
                    out.append(str(CreateIndex(index).compile(dialect=dialect)))
        for table in md.sorted_tables:
            for fk in sorted(table.foreign_key_constraints, key=lambda c: c.name or ""):
                if fk.use_alter and dump_models.created_by_create_all(AddConstraint(fk), dialect):
                    out.append(str(AddConstraint(fk).compile(dialect=dialect)))
    for stmt in out:
        print(stmt.strip() + ";\n")


if __name__ == "__main__":
    main()
