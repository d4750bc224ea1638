/**
 * The SQLAlchemy judge: for every fixtures/sa-* and fixtures/alembic-* case, SQLAlchemy itself
 * (in a pinned venv, test/oracles/python/setup.sh) prints the PostgreSQL DDL of the models or
 * `alembic upgrade head --sql`; that DDL goes through readPostgres, and the result must equal
 * what readSqlalchemy reads statically, after normalisation, except the documented
 * entries of sqlalchemy-judge.exceptions.ts.
 * Under CI=true a missing venv fails; locally it is built by calling setup.sh.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../src/ir/schema.js';
import { readSqlalchemy } from '../src/frontends/sqlalchemy/index.js';
import { collectPythonFiles } from '../src/frontends/sqlalchemy/files.js';
import { JUDGE_EXCEPTIONS } from './sqlalchemy-judge.exceptions.js';
import { dropPath, normaliseSchema } from './helpers/schema-normalise.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = join(repo, 'fixtures');
const oracleDir = join(repo, 'test', 'oracles', 'sqlalchemy');

export function judgePython(): string {
  const cache = process.env.PG2TIDB_CACHE ?? join(repo, '.cache');
  const py = join(cache, 'venv', 'bin', 'python');
  if (existsSync(py) && existsSync(join(cache, 'venv', '.pg2tidb-requirements'))) return py;
  if (process.env.CI === 'true') {
    throw new Error(`the SQLAlchemy judge venv is missing (${py}); run \`bash test/oracles/python/setup.sh\` before the tests`);
  }
  const out = execFileSync('bash', [join(repo, 'test', 'oracles', 'python', 'setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  return out.trim().split('\n').pop()!;
}

const cases = existsSync(fixturesDir)
  ? readdirSync(fixturesDir)
      .filter((d) => /^(sa|alembic)-/.test(d))
      .sort()
  : [];

// ---------------------------------------------------------------- the judge

describe('SQLAlchemy judge', () => {
  let python = '';
  let readPostgres: ((files: readonly { path: string; text: string }[]) => Promise<Schema>) | undefined;

  beforeAll(async () => {
    python = judgePython();
    try {
      const spec = '../src/frontends/postgres/index.js';
      readPostgres = ((await import(spec)) as { readPostgres?: typeof readPostgres }).readPostgres;
    } catch {
      readPostgres = undefined;
    }
  });

  it('has fixtures', () => {
    expect(cases.filter((c) => c.startsWith('sa-')).length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.startsWith('alembic-')).length).toBeGreaterThanOrEqual(5);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(fixturesDir, name);
      const isAlembic = name.startsWith('alembic-');
      const script = isAlembic ? join(oracleDir, 'alembic_sql.py') : join(oracleDir, 'dump_models.py');
      const target = isAlembic ? join(dir, 'versions') : dir;
      // stubs/ stands in for modules a fixture imports from outside its input on purpose (see stubs/README.md)
      const stubs = join(oracleDir, 'stubs');
      const env = { ...process.env, PYTHONPATH: [process.env.PYTHONPATH, stubs].filter(Boolean).join(':') };
      const ddl = execFileSync(python, [script, target], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env });
      expect(ddl.length).toBeGreaterThan(0);
      if (!readPostgres) throw new Error('src/frontends/postgres/index.ts (readPostgres) is required by the judge');
      const pg = await readPostgres([{ path: `${name}.judge.sql`, text: ddl }]);
      const inputs = isAlembic ? [join(dir, 'versions')] : [existsSync(join(dir, 'input')) ? join(dir, 'input') : join(dir, 'models.py')];
      // options.json's databaseMap is not applied here: SQLAlchemy knows nothing of it
      // (it is covered by test/sqlalchemy-frontend.test.ts).
      const schema = await readSqlalchemy(await collectPythonFiles(inputs));
      expect(schema.notes.filter((n) => n.id === 'syntax-error')).toEqual([]);
      const actual = normaliseSchema(schema);
      // PostgreSQL names the constraints SQLAlchemy leaves unnamed (t_pkey, t_a_fkey, ...), and so does our
      // reader of its DDL: those names are compared only where the models give one.
      const given = new Set(schema.tables.flatMap((t) => [t.primaryKey?.name, ...t.foreignKeys.map((f) => f.name), ...t.uniques.map((u) => u.name), ...t.checks.map((c) => c.name)]));
      const keep = <T extends { name?: string }>(x: T): T => (x.name === undefined || given.has(x.name) ? x : { ...x, name: undefined });
      const expected = normaliseSchema({
        ...pg,
        tables: pg.tables.map((t) => ({ ...t, ...(t.primaryKey ? { primaryKey: keep(t.primaryKey) } : {}), foreignKeys: t.foreignKeys.map(keep), uniques: t.uniques.map(keep), checks: t.checks.map(keep) })),
      });
      for (const ex of JUDGE_EXCEPTIONS.filter((e) => e.fixture === name)) {
        dropPath(expected, ex.path);
        dropPath(actual, ex.path);
      }
      expect(actual).toEqual(expected);
    });
  }
});
