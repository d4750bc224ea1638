/**
 * Runtime mode (`--python`): SQLAlchemy itself, in a pinned venv (test/oracles/python/projects-setup.sh),
 * imports the models and the shipped dumper describes their MetaData.
 *  - agreement: on every fixtures/sa-* and every real project of ../shared/corpus/sqlalchemy, static
 *    and runtime mode give the same schema IR (spans aside), except the reviewed AGREEMENT_EXCEPTIONS;
 *  - conservation judged by SQLAlchemy: every table, column, index and constraint of each real
 *    project's MetaData is in our TiDB output or named by a diagnostic's subject, in both modes;
 *  - an import failure is a located diagnostic with the end of the traceback.
 * Under CI=true a missing venv fails the run; no project is skipped.
 */
import { noteText } from '../src/diagnostics/catalogue.js';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import type { SourceFile } from '../src/diagnostics/span.js';
import type { SubjectKind } from '../src/diagnostics/subject.js';
import { collectPythonFiles } from '../src/frontends/sqlalchemy/files.js';
import { readSqlalchemy } from '../src/frontends/sqlalchemy/index.js';
import { isAlembicScript, lowerDump, readSqlalchemyRuntime, runDumper, type DumpResult } from '../src/frontends/sqlalchemy-runtime/index.js';
import type { Schema } from '../src/ir/schema.js';
import { translate, type TranslateResult } from '../src/translate.js';
import { CORPUS, FIXTURES, ROOT } from './helpers/fixtures.js';
import { dropPath, normaliseSchema } from './helpers/schema-normalise.js';
import { tidbCheck } from './helpers/tidb-parser.js';
import { PROJECTS, projectsPython, stubEnv, type Project } from './helpers/sqlalchemy-projects.js';
import { AGREEMENT_EXCEPTIONS, STATIC_LOSSES } from './sqlalchemy-runtime.exceptions.js';

const SA_CORPUS = join(CORPUS, 'sqlalchemy');
/**
 * Fixtures that import a module from outside their input on purpose: runtime mode gets it from
 * the stand-ins of test/oracles/sqlalchemy/stubs (README.md there), as the user's installed package.
 * Only these get that PYTHONPATH: its flask_sqlalchemy stand-in would hide the venv's real one.
 */
const OUTSIDE_INPUT = ['sa-external-base'];
const STUBS = join(ROOT, 'test', 'oracles', 'sqlalchemy', 'stubs');
const fixtures = readdirSync(FIXTURES).filter((d) => d.startsWith('sa-')).sort();

function inputsOf(dir: string): string[] {
  return [existsSync(join(dir, 'input')) ? join(dir, 'input') : join(dir, 'models.py')];
}

/** Files with paths relative to `base`, as the CLI names them. */
async function filesUnder(paths: string[], base: string): Promise<SourceFile[]> {
  return (await collectPythonFiles(paths)).map((f) => ({ ...f, path: relative(base, f.path) }));
}

/**
 * PG2TIDB_RUNTIME_REPORT=<file> writes what differs (table keys) and what static mode loses, per
 * target, as JSON: the material to review before changing the exceptions tables.
 */
const reportFile = process.env.PG2TIDB_RUNTIME_REPORT;
const report: Record<string, { differs?: string[]; staticGaps?: string[] }> = {};

function compare(target: string, staticSchema: Schema, runtimeSchema: Schema): void {
  const a = normaliseSchema(staticSchema);
  const b = normaliseSchema(runtimeSchema);
  const stale: string[] = [];
  for (const ex of AGREEMENT_EXCEPTIONS.filter((e) => e.target === target)) {
    if (JSON.stringify(dropPath(a, ex.path)) === JSON.stringify(dropPath(b, ex.path))) stale.push(ex.path);
  }
  expect.soft(stale, `${target}: AGREEMENT_EXCEPTIONS entries that no longer hide a difference`).toEqual([]);
  if (reportFile) {
    const ta = a.tables as Record<string, unknown>;
    const tb = b.tables as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ta), ...Object.keys(tb)])].sort();
    (report[target] ??= {}).differs = keys.filter((k) => JSON.stringify(ta[k]) !== JSON.stringify(tb[k]));
    writeFileSync(reportFile, JSON.stringify(report, null, 2));
  }
  expect.soft(a, `${target}: static (left) vs runtime (right)`).toEqual(b);
}

// ---------------------------------------------------------------- conservation

/** An object of SQLAlchemy's MetaData that a diagnostic may name. */
export interface Ref {
  readonly kind: 'table' | 'column' | 'primary-key' | 'unique' | 'index' | 'foreign-key' | 'check';
  readonly table: string;
  /** The column, or the constraint's/index's name. */
  readonly name?: string;
}

/** The subject kinds a diagnostic about each kind of MetaData object carries (src/transform). */
const SUBJECT_KINDS: Readonly<Record<Ref['kind'], readonly SubjectKind[]>> = {
  table: ['table'],
  column: ['column'],
  'primary-key': ['constraint'],
  unique: ['index', 'constraint'],
  index: ['index'],
  'foreign-key': ['foreign-key'],
  check: ['constraint'],
};

/** Diagnostics that drop a whole constraint or index: they name an unnamed one by its kind and table only. */
const DROPS: Readonly<Record<Ref['kind'], readonly string[]>> = {
  table: [],
  column: [],
  'primary-key': ['index-dropped'],
  unique: ['index-dropped', 'index-key-too-long'],
  index: ['index-dropped', 'index-key-too-long'],
  'foreign-key': ['fk-dropped'],
  check: ['check-dropped'],
};

/** Diagnostics whose subject is the table and that drop some of its objects without naming each. */
const TABLE_DROPS: Readonly<Partial<Record<Ref['kind'], readonly string[]>>> = {
  index: ['too-many-indexes'],
  unique: ['too-many-indexes'],
};

/** Whether `d` names `ref` by its structured subject (the one place that reads subjects). */
export function subjectNames(d: Diagnostic, ref: Ref): boolean {
  const s = d.subject;
  const table = s.table ?? (s.kind === 'table' ? s.name : undefined);
  if (table !== ref.table) return false;
  if (ref.kind === 'table') return s.kind === 'table';
  // a table defined twice: the definition dropped is named whole, with everything it holds
  if (s.kind === 'table' && d.id === 'duplicate-object') return true;
  if (ref.kind === 'column') return s.kind === 'column' && s.column === ref.name;
  if (SUBJECT_KINDS[ref.kind].includes(s.kind)) {
    return ref.name !== undefined && s.name !== undefined ? s.name === ref.name : DROPS[ref.kind].includes(d.id);
  }
  return s.kind === 'table' && (TABLE_DROPS[ref.kind] ?? []).includes(d.id);
}

/** Everything in SQLAlchemy's MetaData that `result` neither holds nor names by a diagnostic subject. */
export function conservationGaps(dump: DumpResult, result: TranslateResult): string[] {
  const gaps: string[] = [];
  const named = (ref: Ref): boolean => result.diagnostics.some((d) => subjectNames(d, ref));
  for (const t of dump.tables) {
    const outs = result.tidb.tables.filter((x) => x.name.name === t.name);
    if (outs.length === 0) {
      if (!named({ kind: 'table', table: t.name })) gaps.push(`table ${t.name}`);
      continue;
    }
    const has = <T>(pick: (o: (typeof outs)[number]) => readonly T[], ok: (x: T) => boolean): boolean => outs.some((o) => pick(o).some(ok));
    for (const c of t.columns) if (!has((o) => o.columns, (x) => x.name === c.name) && !named({ kind: 'column', table: t.name, name: c.name })) gaps.push(`column ${t.name}.${c.name}`);
    const sameCols = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
    const keyCols = (o: (typeof outs)[number]) => o.indexes.map((i) => i.parts.map((p) => ('column' in p ? String(p.column) : '')));
    if (t.primaryKey && !outs.some((o) => o.primaryKey) && !named({ kind: 'primary-key', table: t.name })) gaps.push(`primary key of ${t.name}`);
    for (const u of t.uniques) {
      const ok = has((o) => o.indexes, (i) => (u.name ? i.name === u.name || i.name.startsWith(`${u.name}_`) : false)) || outs.some((o) => keyCols(o).some((k) => sameCols(k, u.columns)));
      if (!ok && !named({ kind: 'unique', table: t.name, ...(u.name ? { name: u.name } : {}) })) gaps.push(`unique ${t.name}.${u.name ?? u.columns.join(',')}`);
    }
    for (const ix of t.indexes) {
      const ok = has((o) => o.indexes, (i) => !!ix.name && (i.name === ix.name || i.name.startsWith(`${ix.name}_`)));
      if (!ok && !named({ kind: 'index', table: t.name, ...(ix.name ? { name: ix.name } : {}) })) gaps.push(`index ${t.name}.${ix.name ?? '?'}`);
    }
    const fks = (o: (typeof outs)[number]) => [...o.foreignKeys, ...result.tidb.deferredForeignKeys.filter((d) => d.table.name === o.name.name && d.table.database === o.name.database).map((d) => d.foreignKey)];
    for (const f of t.foreignKeys) {
      const ok = outs.some((o) => fks(o).some((x) => (f.name ? x.name === f.name || x.name.startsWith(`${f.name}_`) : sameCols(x.columns, f.columns))));
      if (!ok && !named({ kind: 'foreign-key', table: t.name, name: f.name ?? `(${f.columns.join(', ')})` })) gaps.push(`foreign key ${t.name}.${f.name ?? f.columns.join(',')}`);
    }
    for (const c of t.checks) {
      const ok = has((o) => o.checks, (x) => (c.name ? x.name === c.name || (x.name ?? '').startsWith(`${c.name}_`) : true));
      if (!ok && !named({ kind: 'check', table: t.name, ...(c.name ? { name: c.name } : {}) })) gaps.push(`check ${t.name}.${c.name ?? '?'}`);
    }
  }
  return gaps;
}

// ---------------------------------------------------------------- the tests

describe('SQLAlchemy runtime mode', () => {
  let python = '';
  beforeAll(() => {
    python = projectsPython();
  });

  it('has fixtures and projects', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    expect(PROJECTS.map((p) => p.name).sort()).toEqual(readdirSync(SA_CORPUS).sort());
  });

  describe('static and runtime agree on the fixtures', () => {
    for (const name of fixtures) {
      it(name, async () => {
        const dir = join(FIXTURES, name);
        const files = await filesUnder(inputsOf(dir), dir);
        const runtime = await readSqlalchemyRuntime(files, { python, cwd: dir, ...(OUTSIDE_INPUT.includes(name) ? { env: { PYTHONPATH: STUBS } } : {}) });
        expect(runtime.notes.filter((n) => n.id === 'input-error')).toEqual([]);
        compare(name, await readSqlalchemy(files), runtime);
      });
    }
  });

  describe('the real projects', () => {
    const summary: string[] = [];
    for (const project of PROJECTS) {
      it(project.name, async () => {
        const { files, dump, stubbed } = await dumpProject(project, python);
        expect(dump.fatal).toBeUndefined();
        expect(dump.failures.map((f) => `${f.file}:${f.line} ${f.error}`)).toEqual([]);
        expect(dump.tables.length).toBeGreaterThan(0);
        const models = files.filter((f) => !isAlembicScript(f));
        const runtimeSchema = await lowerDump(dump, (p) => files.find((f) => join(SA_CORPUS, f.path) === p), models[0]!, python);
        const runtime = await translate(files, {}, {}, { sqlalchemy: runtimeSchema });
        const statics = await translate(files, {});
        const tablesIn = (r: TranslateResult) => new Set(r.tidb.tables.map((t) => t.name.name)).size;
        summary.push(`${project.name}: MetaData ${dump.tables.length} tables (${new Set(dump.tables.map((t) => t.name)).size} names); output static ${tablesIn(statics)}, runtime ${tablesIn(runtime)}; stubbed ${stubbed.length} modules`);

        // runtime mode loses nothing silently
        expect.soft(conservationGaps(dump, runtime), 'runtime mode').toEqual([]);
        // static mode: nothing beyond the reviewed static losses, and every listed loss still happens
        const known = STATIC_LOSSES.filter((l) => l.project === project.name).map((l) => l.gap);
        const gaps = conservationGaps(dump, statics);
        if (reportFile) (report[`corpus:${project.name}`] ??= {}).staticGaps = gaps;
        expect.soft(gaps.filter((g) => !known.includes(g)), 'static losses not in STATIC_LOSSES').toEqual([]);
        expect.soft(known.filter((g) => !gaps.includes(g)), 'STATIC_LOSSES entries that no longer happen').toEqual([]);

        compare(`corpus:${project.name}`, statics.schema, runtime.schema);

        // TiDB's own parser and semantic checks accept what runtime mode emits
        const checked = (await tidbCheck([{ id: project.name, sql: runtime.sql }])).get(project.name)!;
        expect.soft(checked.statements.filter((s) => !s.ok).map((s) => `${s.error} in: ${s.text.slice(0, 200)}`), 'TiDB parser').toEqual([]);
        expect.soft(checked.violations.map((v) => `${v.rule}: ${v.message}`), 'TiDB rules').toEqual([]);
        expect(checked.statements.filter((s) => s.kind === 'CreateTableStmt').length).toBe(tablesIn(runtime));
      }, 300_000);
    }
    it('reports per project', () => {
      process.stderr.write(`[sqlalchemy-runtime] ${summary.join('\n[sqlalchemy-runtime] ')}\n`);
      expect(summary.length).toBe(PROJECTS.length);
    });
  });

  it('the CLI: --python gives the same tidb.sql as static mode on a fixture; a bad interpreter is a usage error', async () => {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const io = {
        stdin: Readable.from([]),
        stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
        stderr: new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) }),
        cwd: join(FIXTURES, 'sa-blog-declarative'),
      };
      return { code: await main(args, io), out, err };
    };
    const statics = await run(['translate', 'models.py']);
    const runtime = await run(['translate', 'models.py', '--python', python]);
    expect(runtime.code).toBe(0);
    expect(runtime.out).toBe(statics.out);
    const bad = await run(['translate', 'models.py', '--python', '/nonexistent/python3']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('could not run the SQLAlchemy dumper');
  });

  it('an import failure is a diagnostic at the module, with the end of the traceback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-rt-'));
    try {
      const text = 'from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\nimport no_such_package_xyz\n';
      writeFileSync(join(dir, 'models.py'), text);
      const schema = await readSqlalchemyRuntime([{ path: 'models.py', text }], { python, cwd: dir });
      const note = schema.notes.find((n) => n.id === 'input-error');
      expect(note?.span).toMatchObject({ file: 'models.py', line: 8 });
      expect(note && noteText(note)).toContain("ModuleNotFoundError: No module named 'no_such_package_xyz'");
      expect(note && noteText(note)).toContain('line 8');
      const result = await translate([{ path: 'models.py', text }], {}, {}, { sqlalchemy: schema });
      expect(result.diagnostics.some((d) => d.id === 'input-error' && d.span?.line === 8)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function dumpProject(project: Project, python: string): Promise<{ files: SourceFile[]; dump: DumpResult; stubbed: string[] }> {
  const files = await filesUnder([join(SA_CORPUS, project.name)], SA_CORPUS);
  const models = files.filter((f) => !isAlembicScript(f));
  const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-stubs-'));
  try {
    const log = join(dir, 'stubbed.txt');
    const dump = await runDumper(python, models.map((f) => join(SA_CORPUS, f.path)), [join(SA_CORPUS, project.name)], { cwd: SA_CORPUS, env: stubEnv(project, log) });
    const stubbed = existsSync(log) ? [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort() : [];
    return { files, dump, stubbed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
