/**
 * One database per service folder (src/transform/services.ts) and Alembic dialect branches
 * (src/frontends/sqlalchemy/dialect-branch.ts).
 */
import { describe, expect, it } from 'vitest';
import { postgresTakesBranch } from '../src/frontends/sqlalchemy/dialect-branch.js';
import { serviceDatabases } from '../src/transform/services.js';
import { translate } from '../src/translate.js';

const base = (name: string) => `from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\nclass Base(DeclarativeBase):\n    pass\n\nclass ${name}(Base):\n    __tablename__ = "users"\n    id: Mapped[int] = mapped_column(primary_key=True)\n`;
const sql = (col: string) => `CREATE TABLE users (id serial PRIMARY KEY, ${col} text);\n`;

describe('one database per service folder', () => {
  it('gives each folder with its own base its own database, and the same table name in each', async () => {
    const files = ['a', 'b', 'c'].map((s) => ({ path: `svc/${s}_service/models.py`, text: base(`User${s}`) }));
    const r = await translate(files);
    expect(r.tidb.tables.map((t) => `${t.name.database}.${t.name.name}`).sort()).toEqual(['a_service.users', 'b_service.users', 'c_service.users']);
    expect(r.diagnostics.filter((d) => d.id === 'duplicate-object')).toEqual([]);
  });

  it('keeps one database when the folders share a base (models in one, the base in another)', () => {
    const files = [
      { path: 'app/db/base.py', text: 'from sqlalchemy.orm import DeclarativeBase\n\nclass Base(DeclarativeBase):\n    pass\n' },
      { path: 'app/models/user.py', text: 'from app.db.base import Base\n\nclass User(Base):\n    __tablename__ = "users"\n' },
      { path: 'app/other/x.py', text: 'from sqlalchemy import MetaData\nmetadata = MetaData()\nfrom app.db.base import Base\n' },
    ];
    expect(serviceDatabases(files, {})).toEqual({});
  });

  it('does not split one folder, nor folders without a schema of their own', () => {
    expect(serviceDatabases([{ path: 'models/a.py', text: base('A') }, { path: 'models/b.py', text: base('B') }], {})).toEqual({});
    expect(serviceDatabases([{ path: 'x/models.py', text: base('A') }, { path: 'y/util.py', text: 'def f():\n    pass\n' }], {})).toEqual({});
  });

  it('splits SQL inputs by folder too, and --database folder=db renames a folder', async () => {
    const files = [
      { path: 'a/schema.sql', text: sql('email') },
      { path: 'b/schema.sql', text: sql('name') },
    ];
    const r = await translate(files, { databaseMap: { a: 'accounts_db' } });
    const tables = r.tidb.tables.map((t) => `${t.name.database}.${t.name.name}:${t.columns.map((c) => c.name).join(',')}`).sort();
    expect(tables).toEqual(['accounts_db.users:id,email', 'b.users:id,name']);
    expect(r.diagnostics.filter((d) => d.id === 'duplicate-object')).toEqual([]);
  });

  it('--database folder=db works for SQL inputs alone', async () => {
    const r = await translate([{ path: 'legacy/schema.sql', text: sql('email') }], { databaseMap: { legacy: 'legacy_db' } });
    expect(r.tidb.tables.map((t) => t.name.database)).toEqual(['legacy_db']);
  });
});

describe('Alembic dialect branches', () => {
  const vars = (m: Record<string, string>) => (n: string) => m[n];
  it.each([
    ['op.get_bind().dialect.name == "postgresql"', true],
    ["op.get_bind().dialect.name == 'mysql'", false],
    ['context.get_context().dialect.name == "mysql"', false],
    ['op.get_context().dialect.name != "postgresql"', false],
    ['bind.dialect.name in ("postgresql", "sqlite")', true],
    ['bind.dialect.name not in ["postgresql"]', false],
    ['"postgresql" == conn.dialect.name', true],
    ['not (op.get_bind().dialect.name == "postgresql")', false],
  ])('%s', (test, expected) => {
    expect(postgresTakesBranch(test)).toBe(expected);
  });

  it('follows a variable holding the dialect name or a dialect test', () => {
    expect(postgresTakesBranch('dialect == "postgresql"', vars({ dialect: 'op.get_bind().dialect.name' }))).toBe(true);
    expect(postgresTakesBranch('is_mysql', vars({ is_mysql: 'op.get_bind().dialect.name == "mysql"' }))).toBe(false);
  });

  it('leaves other tests alone (both branches replayed, with a note)', () => {
    expect(postgresTakesBranch('settings.ENABLE_X')).toBeUndefined();
    expect(postgresTakesBranch('bind.dialect.name == "postgresql" and has_x')).toBeUndefined();
    expect(postgresTakesBranch('name == "postgresql"')).toBeUndefined();
  });

  it('replays only the PostgreSQL branch, elif included', async () => {
    const text = `from alembic import op\nimport sqlalchemy as sa\n\nrevision = "r1"\ndown_revision = None\n\ndef upgrade():\n    op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True))\n    d = op.get_bind().dialect.name\n    if d == "mysql":\n        op.execute("ALTER TABLE t ENGINE=InnoDB")\n    elif d == "postgresql":\n        op.add_column("t", sa.Column("pg", sa.Text()))\n    else:\n        op.add_column("t", sa.Column("other", sa.Text()))\n`;
    const r = await translate([{ path: 'versions/r1.py', text }]);
    expect(r.tidb.tables[0]!.columns.map((c) => c.name)).toEqual(['id', 'pg']);
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});
