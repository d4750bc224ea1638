"""A stand-in for Flask-SQLAlchemy 3.1's schema behaviour (flask_sqlalchemy/model.py, extension.py).

Only what decides the DDL: the model base and its metaclass (table names from class names,
single-table inheritance when a subclass declares no primary key), db.Table without a MetaData,
and SQLAlchemy's names under db.*.
"""
import re

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm


def camel_to_snake_case(name):
    name = re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name)
    return name.lower().lstrip("_")


def should_set_tablename(cls):
    if cls.__dict__.get("__abstract__", False) or not any(isinstance(b, sa_orm.DeclarativeMeta) for b in cls.__mro__[1:]):
        return False
    for base in cls.__mro__:
        if "__tablename__" not in base.__dict__:
            continue
        if isinstance(base.__dict__["__tablename__"], sa_orm.declared_attr):
            return False
        return not (base is cls or base.__dict__.get("__abstract__", False) or not isinstance(base, sa_orm.DeclarativeMeta))
    return True


class NameMetaMixin(type):
    def __init__(cls, classname, bases, d, **kw):
        if should_set_tablename(cls):
            cls.__tablename__ = camel_to_snake_case(cls.__name__)
        super().__init__(classname, bases, d, **kw)
        if "__tablename__" not in cls.__dict__ and "__table__" in cls.__dict__ and cls.__dict__["__table__"] is None:
            del cls.__table__

    def __table_cls__(cls, *args, **kwargs):
        schema = kwargs.get("schema")
        key = args[0] if schema is None else f"{schema}.{args[0]}"
        if key in cls.metadata.tables:
            return sa.Table(*args, **kwargs)
        for arg in args:
            if (isinstance(arg, sa.Column) and arg.primary_key) or isinstance(arg, sa.PrimaryKeyConstraint):
                return sa.Table(*args, **kwargs)
        for base in cls.__mro__[1:-1]:
            if "__table__" in base.__dict__:
                break
        else:
            return sa.Table(*args, **kwargs)
        if "__tablename__" in cls.__dict__:
            del cls.__tablename__
        return None


class DefaultMeta(NameMetaMixin, sa_orm.DeclarativeMeta):
    pass


class Model:
    pass


class SQLAlchemy:
    def __init__(self, app=None, *, metadata=None, **kwargs):
        self.metadata = metadata if metadata is not None else sa.MetaData()
        self.Model = sa_orm.declarative_base(metadata=self.metadata, cls=Model, name="Model", metaclass=DefaultMeta)

    def Table(self, name, *args, **kwargs):
        if not args or not isinstance(args[0], sa.MetaData):
            args = (self.metadata, *args)
        return sa.Table(name, *args, **kwargs)

    def __getattr__(self, name):
        for mod in (sa, sa_orm):
            if hasattr(mod, name):
                return getattr(mod, name)
        raise AttributeError(name)
