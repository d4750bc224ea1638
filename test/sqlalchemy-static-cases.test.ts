/**
 * Issue 12 (static reader): the CLI on model trees as a user gives them, and the real projects of
 * ../shared/corpus/sqlalchemy in their upstream layout. The per-case fixtures (fixtures/sa-*) are
 * pinned by goldens and judged by SQLAlchemy in sqlalchemy-judge.test.ts; this file checks what
 * only a run can show: exit codes, --strict where something was lost, the -o folder inside an
 * input folder, and that every table a real project declares comes out or is named by a diagnostic.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';
import { collectPythonFiles } from '../src/frontends/sqlalchemy/files.js';
import { CORPUS, FIXTURES, ROOT } from './helpers/fixtures.js';

const BIN = join(ROOT, 'bin', 'pg2tidb.js');

function cli(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const fixture = (name: string): string => {
  const dir = join(FIXTURES, name);
  return existsSync(join(dir, 'input')) ? join(dir, 'input') : join(dir, 'models.py');
};

describe('SQLAlchemy static reader through the CLI', () => {
  it('reads a package whose __init__.py files are empty (case 1)', async () => {
    const r = await cli(['translate', fixture('sa-empty-init')]);
    expect(r.stderr).not.toContain('input-error');
    expect(r.code).toBe(0);
    // one top-level folder is one service: the default database (src/transform/services.ts splits several)
    expect(r.stdout).toContain('CREATE TABLE `public`.`products`');
  });

  // each of these loses something the static reader cannot know; --strict must fail
  for (const [name, what] of [
    ['sa-class-body-keys', 'ix_accounts_nothing'],
    ['sa-external-base', 'myapp.db.base.Base'],
    ['sa-declared-tablename', 'Region'],
    ['sa-models-in-function', 'make_audit_model'],
  ] as const) {
    it(`--strict fails on ${name}, and says what was lost`, async () => {
      // --verbose: the terminal groups messages of one code and shows one example otherwise
      const plain = await cli(['translate', fixture(name), '--verbose']);
      expect(plain.code).toBe(0);
      expect(plain.stderr).toContain(what);
      const strict = await cli(['translate', fixture(name), '--strict']);
      expect(strict.code).toBe(1);
    });
  }

  it('Python-side defaults alone do not fail --strict (case 13)', async () => {
    const r = await cli(['translate', fixture('sa-python-defaults'), '--strict']);
    expect(r.stderr).toContain('python-side-default');
    expect(r.stderr).not.toContain('default-dropped');
    expect(r.code).toBe(0);
  });

  it('does not read its own output folder inside the input folder on the next run (case 15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-sa15-'));
    cpSync(join(FIXTURES, 'sa-import-fallback', 'input'), join(dir, 'app'), { recursive: true });
    const first = await cli(['translate', 'app', '-o', 'app/out', '--emit', 'tidb,alembic'], dir);
    expect(first.code).toBe(0);
    expect(existsSync(join(dir, 'app', 'out', 'migration.py'))).toBe(true);
    const before = readFileSync(join(dir, 'app', 'out', 'tidb.sql'), 'utf8');
    const second = await cli(['translate', 'app', '-o', 'app/out', '--emit', 'tidb,alembic'], dir);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('app/out/ is pg2tidb output');
    const report = JSON.parse(readFileSync(join(dir, 'app', 'out', 'report.json'), 'utf8')) as { inputs: { path: string }[] };
    expect(report.inputs.map((i) => i.path).filter((p) => p.includes('out/'))).toEqual([]);
    expect(readFileSync(join(dir, 'app', 'out', 'tidb.sql'), 'utf8')).toBe(before);
    // a copy of an output folder elsewhere under the input is recognised by its report.json
    cpSync(join(dir, 'app', 'out'), join(dir, 'app', 'old-out'), { recursive: true });
    const third = await cli(['translate', 'app'], dir);
    expect(third.stderr).toContain('app/old-out/ is pg2tidb output');
    expect(third.stdout).not.toContain('alembic_version');
  });
});

// ------------------------------------------------------------ real projects

/** Every table name the sources declare: `__tablename__ = "x"` and `Table("x", ...)`. */
function declaredTables(root: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.py')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/^\s*__tablename__\s*=\s*["']([\w]+)["']/gm)) out.add(m[1]!);
        for (const m of text.matchAll(/\bTable\(\s*["']([\w]+)["']/g)) out.add(m[1]!);
      }
    }
  };
  walk(root);
  return out;
}

/** The input a user gives for each project, and how many tables it declares (counted from the sources, see the closing note). */
const PROJECTS = [
  { name: 'airflow', input: 'airflow/airflow-core/src/airflow', tables: 51 },
  // admins is single-table inheritance under Flask-SQLAlchemy (no primary key of its own)
  { name: 'ctfd', input: 'ctfd/CTFd/models', tables: 28 },
  { name: 'keystone', input: 'keystone/keystone', tables: 15 },
  // initial_models.py maps five of the same tables on a second Base: reported as duplicates
  { name: 'mlflow', input: 'mlflow/mlflow', tables: 22 },
] as const;

describe('real SQLAlchemy projects (static mode)', () => {
  for (const p of PROJECTS) {
    it(`${p.name}: every declared table comes out or is named by a diagnostic`, async () => {
      const root = join(CORPUS, 'sqlalchemy', p.input);
      const files = (await collectPythonFiles([root])).map((f) => ({ ...f, path: relative(join(CORPUS, 'sqlalchemy'), f.path) }));
      const result = await translate(files);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const out = new Set(result.tidb.tables.map((t) => t.name.name));
      expect(out.size).toBe(p.tables);
      const named = (t: string): boolean => result.diagnostics.some((d) => (d.subject.table ?? d.subject.name) === t || new RegExp(`\\b${t}\\b`).test(d.message));
      const missing = [...declaredTables(root)].filter((t) => !out.has(t) && !named(t));
      expect(missing).toEqual([]);
      // never an index or key with no parts
      for (const t of result.tidb.tables) {
        for (const ix of t.indexes) expect(ix.parts.length, `${t.name.name}.${ix.name}`).toBeGreaterThan(0);
        if (t.primaryKey) expect(t.primaryKey.columns.length).toBeGreaterThan(0);
      }
      expect(result.sql).not.toMatch(/KEY `[^`]*` \(\)/);
    });
  }
});
