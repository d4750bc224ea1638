/**
 * Unit tests of the SQLAlchemy frontend on small inline snippets: one per pattern, plus
 * robustness (syntax errors, dynamic code → notes, never throws) and the databaseMap option.
 * The full-fixture comparison against SQLAlchemy itself is test/sqlalchemy-judge.test.ts.
 */
import { noteText } from '../src/diagnostics/catalogue.js';
import { join, resolve, dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Column, Schema, Table } from '../src/ir/schema.js';
import { readSqlalchemy } from '../src/frontends/sqlalchemy/index.js';
import { collectPythonFiles } from '../src/frontends/sqlalchemy/files.js';
import { parsePython } from '../src/frontends/sqlalchemy/python.js';
import { parsePgTypeName } from '../src/frontends/sqlalchemy/type-rules.js';
import { parseSqlExpr } from '../src/frontends/sqlalchemy/sql-expr.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const HEAD = `
import enum, uuid, datetime
from decimal import Decimal
from typing import Any, Optional, Annotated
import sqlalchemy as sa
from sqlalchemy import Column, Integer, String, ForeignKey, func, text, Index, UniqueConstraint, CheckConstraint, Enum, Identity, Computed
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, declared_attr, relationship

class Base(DeclarativeBase):
    pass
`;

async function read(src: string, path = 'models.py'): Promise<Schema> {
  return readSqlalchemy([{ path, text: HEAD + src }]);
}
const table = (s: Schema, name: string): Table => {
  const t = s.tables.find((x) => x.name.name === name);
  if (!t) throw new Error(`no table ${name}: ${s.tables.map((x) => x.name.name).join(', ')}`);
  return t;
};
const col = (t: Table, name: string): Column => {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};
const typeOf = (c: Column): string => (c.type.kind === 'scalar' ? `${c.type.name}${c.type.params.length ? `(${c.type.params.join(',')})` : ''}` : c.type.kind === 'user' ? `user:${c.type.name.name}` : c.type.kind === 'array' ? `array:${c.type.dims}` : 'unsupported');

describe('python parsing', () => {
  it('parses with tree-sitter and reports syntax errors with a location', async () => {
    const m = await parsePython('class A(Base):\n    x = Column(Integer\n');
    expect(m.errors.length).toBeGreaterThan(0);
  });
});

describe('columns and types', () => {
  it('infers types and nullability from Mapped annotations', async () => {
    const s = await read(`
class T(Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(primary_key=True)
    a: Mapped[str]
    b: Mapped[Optional[str]]
    c: Mapped[str | None]
    d: Mapped[Decimal]
    e: Mapped[datetime.datetime]
    f: Mapped[datetime.date]
    g: Mapped[datetime.timedelta]
    h: Mapped[bytes]
    i: Mapped[uuid.UUID]
    j: Mapped[bool]
    k: Mapped[float]
    l: Mapped[datetime.time]
`);
    const t = table(s, 't');
    expect(col(t, 'id')).toMatchObject({ notNull: true, identity: { kind: 'serial' } });
    expect(typeOf(col(t, 'a'))).toBe('character varying');
    expect(col(t, 'a').notNull).toBe(true);
    expect(col(t, 'b').notNull).toBe(false);
    expect(col(t, 'c').notNull).toBe(false);
    expect(['d', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((n) => typeOf(col(t, n)))).toEqual([
      'numeric', 'timestamp', 'date', 'interval', 'bytea', 'uuid', 'boolean', 'double precision', 'time',
    ]);
  });

  it('maps generic and postgresql types as the PG dialect renders them', async () => {
    const s = await read(`
t = sa.Table("t", Base.metadata,
    Column("a", String(20)), Column("b", sa.Numeric(10, 2)), Column("c", sa.DateTime(timezone=True)),
    Column("d", sa.Float(24)), Column("e", postgresql.ARRAY(Integer, dimensions=2)), Column("f", postgresql.JSONB),
    Column("g", postgresql.INET), Column("h", postgresql.TIMESTAMP(timezone=True, precision=3)), Column("i", sa.Text()),
    Column("j", postgresql.MONEY), Column("k", sa.BigInteger), Column("l", postgresql.CITEXT),
)
`);
    const t = table(s, 't');
    expect(t.columns.map(typeOf)).toEqual([
      'character varying(20)', 'numeric(10,2)', 'timestamp with time zone', 'real', 'array:2', 'jsonb', 'inet',
      'timestamp with time zone(3)', 'text', 'money', 'bigint', 'citext',
    ]);
  });

  it('registers enums (names by default, values with values_callable) and non-native VARCHAR', async () => {
    const s = await read(`
class Color(enum.Enum):
    RED = "r"
    GREEN = "g"
class T(Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(primary_key=True)
    a: Mapped[Color]
    b: Mapped[Color] = mapped_column(Enum(Color, name="color_v", values_callable=lambda x: [e.value for e in x]))
    c: Mapped[str] = mapped_column(Enum("x", "yyy", native_enum=False))
`);
    expect(s.enums.map((e) => [e.name.name, e.values])).toEqual([
      ['color', ['RED', 'GREEN']],
      ['color_v', ['r', 'g']],
    ]);
    const t = table(s, 't');
    expect(typeOf(col(t, 'a'))).toBe('user:color');
    expect(typeOf(col(t, 'c'))).toBe('character varying(3)');
  });

  it('reads server defaults, python-side defaults and the updated_at pattern', async () => {
    const s = await read(`
class T(Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(primary_key=True)
    a: Mapped[datetime.datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    b: Mapped[str] = mapped_column(server_default="x", default="y")
    c: Mapped[int] = mapped_column(server_default=text("0"), onupdate=lambda: 1)
`);
    const t = table(s, 't');
    expect(col(t, 'a').default).toEqual({ k: 'func', name: 'now', args: [] });
    expect(col(t, 'a').onUpdate).toEqual({ k: 'keyword', name: 'CURRENT_TIMESTAMP' });
    expect(col(t, 'b').default).toMatchObject({ k: 'string', value: 'x' });
    expect(col(t, 'c').default).toMatchObject({ k: 'number', value: '0' });
    expect(s.others.filter((o) => o.kind === 'python-side').map((o) => o.name)).toEqual(['t.b', 't.c']);
  });

  it('reads Identity, Computed, comments, unique and index flags', async () => {
    const s = await read(`
class T(Base):
    __tablename__ = "t"
    id: Mapped[int] = mapped_column(Identity(always=True, start=10), primary_key=True)
    a: Mapped[int] = mapped_column(unique=True, comment="A")
    b: Mapped[int] = mapped_column(index=True)
    c: Mapped[int] = mapped_column(Computed("a + b"))
`);
    const t = table(s, 't');
    expect(col(t, 'id').identity).toMatchObject({ kind: 'always', start: '10' });
    expect(col(t, 'a').comment).toBe('A');
    expect(t.uniques.map((u) => u.columns)).toEqual([['a']]);
    expect(t.indexes.map((i) => i.name)).toEqual(['ix_t_b']);
    expect(col(t, 'c').generated?.stored).toBe(true);
  });

  it('follows TypeDecorator impl and load_dialect_impl, noting the assumption', async () => {
    const s = await read(`
class GUID(sa.TypeDecorator):
    impl = sa.CHAR
    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID())
        return dialect.type_descriptor(sa.CHAR(32))
class T(Base):
    __tablename__ = "t"
    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True)
`);
    expect(typeOf(col(table(s, 't'), 'id'))).toBe('uuid');
    expect(s.notes.some((n) => noteText(n).includes('TypeDecorator GUID'))).toBe(true);
  });
});

describe('classes and tables', () => {
  it('handles mixins, declared_attr, abstract bases and single/joined inheritance', async () => {
    const s = await read(`
class Stamp:
    @declared_attr
    def created(cls) -> Mapped[datetime.datetime]:
        return mapped_column(server_default=func.now())
class Abstract(Base):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
class P(Stamp, Abstract):
    __tablename__ = "p"
    kind: Mapped[str]
class S(P):
    extra: Mapped[Optional[str]]
class J(P):
    __tablename__ = "j"
    id: Mapped[int] = mapped_column(ForeignKey("p.id"), primary_key=True)
`);
    expect(table(s, 'p').columns.map((c) => c.name)).toEqual(['kind', 'created', 'id', 'extra']); // SQLAlchemy: own columns, then MRO order
    expect(table(s, 'j').columns.map((c) => c.name)).toEqual(['id']);
    expect(table(s, 'j').foreignKeys[0]?.refTable.name).toBe('p');
  });

  it('reads __table_args__ forms and constraints', async () => {
    const s = await read(`
class T(Base):
    __tablename__ = "t"
    __table_args__ = (
        UniqueConstraint("a", "b", name="uq_ab"),
        CheckConstraint("a > 0", name="ck_a"),
        Index("ix_b", "b", postgresql_using="gin", postgresql_where=text("a > 1")),
        {"schema": "s1", "comment": "tbl"},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    a: Mapped[int]
    b: Mapped[int]
`);
    const t = table(s, 't');
    expect(t.name).toEqual({ schema: 's1', name: 't' });
    expect(t.comment).toBe('tbl');
    expect(t.uniques[0]).toMatchObject({ name: 'uq_ab', columns: ['a', 'b'] });
    expect(t.checks[0]?.name).toBe('ck_a');
    expect(t.indexes[0]).toMatchObject({ name: 'ix_b', method: 'gin' });
    expect(t.indexes[0]?.where).toBeDefined();
  });

  it('reads SQLModel table=True classes', async () => {
    const s = await readSqlalchemy([{ path: 'm.py', text: `
from typing import Optional
from sqlmodel import Field, SQLModel
class Hero(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=40)
    age: Optional[int] = None
class NotATable(SQLModel):
    x: int
` }]);
    expect(s.tables.map((t) => t.name.name)).toEqual(['hero']);
    const t = table(s, 'hero');
    expect(typeOf(col(t, 'name'))).toBe('character varying(40)');
    expect(col(t, 'age').notNull).toBe(false);
  });

  it('resolves references across files (mixins, enums, relative imports)', async () => {
    const files = await collectPythonFiles([join(repo, 'fixtures/sa-crm-multifile/input')]);
    const s = await readSqlalchemy(files);
    expect(s.tables.map((t) => t.name.name).sort()).toEqual(['contacts', 'leads']);
    expect(s.enums.map((e) => e.name.name).sort()).toEqual(['contactkind', 'lead_stage']);
    expect(s.notes.filter((n) => n.id === 'unresolved-reference' || n.id === 'not-static')).toEqual([]);
  });

  it('reads an Annotated alias from another module in that module (its imports, its spans)', async () => {
    const types = [
      'import datetime',
      'from typing import Annotated',
      'from sqlalchemy import text as sql_text',
      'from sqlalchemy.orm import mapped_column',
      'created_at = Annotated[datetime.datetime, mapped_column(server_default=sql_text("now()"))]',
      '',
    ].join('\n');
    const models = [
      'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
      'from .types import created_at',
      'class Base(DeclarativeBase):',
      '    pass',
      'class Post(Base):',
      '    __tablename__ = "posts"',
      '    id: Mapped[int] = mapped_column(primary_key=True)',
      '    created: Mapped[created_at]',
      '',
    ].join('\n');
    const s = await readSqlalchemy([
      { path: 'app/types.py', text: types },
      { path: 'app/models.py', text: models },
    ]);
    const c = col(table(s, 'posts'), 'created');
    expect(c.default).toBeDefined();
    expect(c.defaultSpan?.file).toBe('app/types.py');
    expect(types.slice(c.defaultSpan!.offset, c.defaultSpan!.offset + c.defaultSpan!.length)).toBe('sql_text("now()")');
    expect(s.notes.filter((n) => n.id === 'unresolved-reference' || n.id === 'not-static')).toEqual([]);
  });
});

describe('alembic', () => {
  it('replays a chain in revision order', async () => {
    const files = await collectPythonFiles([join(repo, 'fixtures/alembic-batch-ops/versions')]);
    const s = await readSqlalchemy(files);
    const t = table(s, 'customers');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'full_name', 'score', 'email']);
    expect(t.checks.map((c) => c.name)).toEqual(['ck_customer_score_range']);
    expect(t.uniques.map((u) => u.name)).toEqual(['uq_customer_email']);
  });

  it('reports branches and merges', async () => {
    const files = await collectPythonFiles([join(repo, 'fixtures/alembic-branch-merge/versions')]);
    const s = await readSqlalchemy(files);
    expect(s.notes.some((n) => /branches into/.test(noteText(n)))).toBe(true);
    expect(s.notes.some((n) => /merges/.test(noteText(n)))).toBe(true);
    expect(table(s, 'items').columns.map((c) => c.name)).toEqual(['id', 'title', 'price']);
  });

  it('maps service folders to databases and reports GRANTs as privileges', async () => {
    const files = await collectPythonFiles([join(repo, 'fixtures/services')]);
    const options = JSON.parse(readFileSync(join(repo, 'fixtures/services/options.json'), 'utf8')) as { databaseMap: Record<string, string> };
    const s = await readSqlalchemy(files, options);
    expect(s.namespaces.map((n) => n.name).sort()).toEqual(['knowledge_db', 'projects_db', 'users_db']);
    expect(s.namespaces.every((n) => n.origin === 'database')).toBe(true);
    expect(table(s, 'users').name.schema).toBe('users_db');
    expect(table(s, 'articles').name.schema).toBe('knowledge_db');
    expect(s.others.filter((o) => o.kind === 'privilege').length).toBeGreaterThanOrEqual(6);
    expect(s.notes.filter((n) => n.id === 'input-error')).toEqual([]);
  });
});

describe('robustness', () => {
  it('turns syntax errors into notes and still reads the rest', async () => {
    const s = await read(`
class Good(Base):
    __tablename__ = "good"
    id: Mapped[int] = mapped_column(primary_key=True)

def broken(:
    pass
`);
    expect(s.notes.some((n) => n.id === 'syntax-error' && (n.span?.line ?? 0) > 1)).toBe(true);
    expect(s.tables.map((t) => t.name.name)).toContain('good');
  });

  it('notes dynamic things with their Python location', async () => {
    const s = await read(`
NAME = get_table_name()
class T(Base):
    __tablename__ = NAME
    id: Mapped[int] = mapped_column(primary_key=True)
class U(Base):
    __tablename__ = "u"
    id: Mapped[int] = mapped_column(primary_key=True)
    x = Column(make_type())
    y: Mapped[int] = mapped_column(server_default=compute())
`);
    const notes = s.notes.filter((n) => n.id === 'not-static');
    expect(notes.map((n) => n.data.reason)).toEqual(expect.arrayContaining(['tablename', 'column-type', 'server-default']));
    for (const n of notes) expect(n.span?.file).toBe('models.py');
    expect(s.tables.map((t) => t.name.name)).toEqual(['u']);
  });

  it('never throws on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (junk) => {
        const s = await readSqlalchemy([{ path: 'x.py', text: HEAD + junk }]);
        expect(Array.isArray(s.tables)).toBe(true);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...readFileSync(join(repo, 'fixtures/sa-blog-declarative/models.py'), 'utf8').split('\n')), fc.nat(400), async (_line, cut) => {
        const text = readFileSync(join(repo, 'fixtures/sa-blog-declarative/models.py'), 'utf8');
        const s = await readSqlalchemy([{ path: 'x.py', text: text.slice(0, cut * 5) }]);
        expect(Array.isArray(s.notes)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('helpers', () => {
  it('parses PostgreSQL type names', () => {
    expect(parsePgTypeName('varchar(20)')).toMatchObject({ kind: 'scalar', name: 'character varying', params: [20] });
    expect(parsePgTypeName('integer[]')).toMatchObject({ kind: 'array', dims: 1 });
    expect(parsePgTypeName('ltree')).toMatchObject({ kind: 'scalar', name: 'ltree' });
  });
  it('has a fallback SQL expression parser', () => {
    expect(parseSqlExpr("'{}'::jsonb")).toMatchObject({ k: 'cast', expr: { k: 'string', value: '{}' } });
    expect(parseSqlExpr('now()')).toEqual({ k: 'func', name: 'now', args: [] });
    expect(parseSqlExpr('CURRENT_TIMESTAMP')).toEqual({ k: 'keyword', name: 'CURRENT_TIMESTAMP' });
    expect(parseSqlExpr('a > 0 AND b IS NOT NULL')).toMatchObject({ k: 'and' });
    expect(parseSqlExpr('weird ~~~ syntax')).toMatchObject({ k: 'raw' });
  });
});
