import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { translate } from '../src/index.js';

/**
 * The package as a user gets it: `npm pack`, then `npm install <tarball> --omit=dev` in an empty
 * project, then the installed CLI and both entry points. Touches the npm registry (through the npm
 * cache), so it belongs to the oracles tier. A runtime import of a package that is only a
 * devDependency fails here, as it would for a user.
 */

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without npm's lifecycle variables, which would leak `npm test`'s settings into the child npm. */
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

function run(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { cwd, env: CLEAN_ENV, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function ok(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stderr}\n${r.stdout}`);
  return r;
}

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const SMALL_SQL = readFileSync(join(FIXTURES, 'example', 'input.sql'), 'utf8');
const MODELS_PY = readFileSync(join(FIXTURES, 'sa-blog-declarative', 'models.py'), 'utf8');

/** The ESM script a user would write: one call into each entry point, with its own fast-check. */
const USER_SCRIPT = `
import { createRequire } from 'node:module';
import { translate } from 'pg2tidb';
import { pgCase, fc as ours } from 'pg2tidb/testing';
import fc from 'fast-check';

const schema = await translate({ path: 'small.sql', text: 'CREATE TABLE t (id bigint PRIMARY KEY, tags text[]);' }, { uuid: 'binary16' });
// The worker-thread parse path loads parse-worker.js from the installed package.
const threaded = await translate({ path: 'small.sql', text: 'CREATE TABLE t (id bigint PRIMARY KEY, tags text[]);' }, { uuid: 'binary16' }, { parseWorkers: 1 });
const [sample] = fc.sample(pgCase(), { numRuns: 1, seed: 7 });
const fromProject = createRequire(import.meta.url).resolve('fast-check');
const fromPackage = createRequire(import.meta.resolve('pg2tidb')).resolve('fast-check');
console.log(JSON.stringify({
  sql: schema.sql,
  threadedSame: threaded.sql === schema.sql,
  sampleSql: sample.sql,
  sampleTables: sample.model.tables.length,
  translatedTables: (await translate({ path: 'sample.sql', text: sample.sql })).tidb.tables.length,
  sameFastCheck: ours === fc && fromProject === fromPackage,
}));
`;

/** A user's TypeScript: one typed use of each entry point. */
const USER_TS = `import { translate, defineConfig, type TranslateResult } from 'pg2tidb';
import { pgCase, runProperties, type PgCase } from 'pg2tidb/testing';
import fc from 'fast-check';

const result: TranslateResult = await translate({ path: 'a.sql', text: 'CREATE TABLE t (id int PRIMARY KEY);' });
const sql: string = result.sql;
const config = defineConfig({ inputs: ['a.sql'], emit: ['tidb'] });
const cases: PgCase[] = fc.sample(pgCase(), 1);
const report = await runProperties({ numRuns: 1, predicate: ({ result: r }) => r.tidb.tables.length >= 0 });
export { sql, config, cases, report };
`;

const CONFIG_TS = `import { defineConfig } from 'pg2tidb';

export default defineConfig({
  inputs: ['small.sql'],
  out: 'from-config',
  emit: ['tidb', 'alembic'],
});
`;

/** Names the scan finds that are not imports of an undeclared package (the tsc output and the CLI bundle), each with why. */
const NOT_A_DEPENDENCY: Record<string, string> = {
  kysely: 'text of the generated models.ts (backends/typescript), not an import of pg2tidb',
  typescript: "optional: only a .ts config needs it, and then the user's own (config/load.ts)",
};

/** Bare package names a file imports or requires (static, dynamic, type-only, createRequire). */
function bareSpecifiers(text: string): string[] {
  const found = new Set<string>();
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\)?\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) continue;
      found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return [...found];
}

function filesUnder(dir: string, suffix: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, suffix));
    else if (suffix.test(name)) out.push(full);
  }
  return out;
}

describe('npm pack, then install with production dependencies only', () => {
  let work: string;
  let project: string;
  let installed: string;
  const bin = () => join(project, 'node_modules', '.bin', 'pg2tidb');

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist', 'index.js')), 'dist/ is missing: run npm run build first').toBe(true);
    work = mkdtempSync(join(tmpdir(), 'pg2tidb-pack-'));
    // --ignore-scripts: `prepare` would rebuild dist/ under the other test files; `npm test` builds it first.
    const packed = await ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    const [info] = JSON.parse(packed.stdout) as { filename: string }[];
    const tarball = join(work, info!.filename);
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-pg2tidb', version: '1.0.0', private: true, type: 'module' }, null, 2));
    writeFileSync(join(project, 'small.sql'), SMALL_SQL);
    writeFileSync(join(project, 'models.py'), MODELS_PY);
    writeFileSync(join(project, 'user.mjs'), USER_SCRIPT);
    await ok('npm', ['install', tarball, '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
    installed = join(project, 'node_modules', MANIFEST.name);
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('pins exactly the packages whose internals or binary formats pg2tidb depends on', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string; dependencies?: Record<string, string> }> };
    // libpg-query: private WASM exports (raw-parser.ts); @pgsql/types: its AST types, in our .d.ts;
    // web-tree-sitter and tree-sitter-python: the grammar's ABI must match the runtime's.
    for (const name of ['libpg-query', '@pgsql/types', 'web-tree-sitter', 'tree-sitter-python']) {
      expect(MANIFEST.dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(lock.packages[`node_modules/${name}`]?.version, `${name} in package-lock.json`).toBe(MANIFEST.dependencies[name]);
    }
    // The AST types are the ones libpg-query itself resolves, not a second copy.
    expect(lock.packages['node_modules/libpg-query/node_modules/@pgsql/types']).toBeUndefined();
  });

  it('installs the runtime dependencies and the fast-check peer, and no devDependency', () => {
    // An optional peer (mysql2, which only `pg2tidb verify` loads) is the user's to install.
    const optionalPeers = new Set(Object.keys(MANIFEST.peerDependenciesMeta ?? {}).filter((p) => MANIFEST.peerDependenciesMeta![p]!.optional));
    for (const dep of [...Object.keys(MANIFEST.dependencies), ...Object.keys(MANIFEST.peerDependencies ?? {}).filter((p) => !optionalPeers.has(p))]) {
      expect(existsSync(join(project, 'node_modules', dep, 'package.json')), `${dep} installed`).toBe(true);
    }
    for (const dev of ['vitest', 'typescript', 'mysql2', 'pg', 'pg-copy-streams']) expect(existsSync(join(project, 'node_modules', dev)), `${dev} not installed`).toBe(false);
  });

  it('every package dist/ imports or names in its types is declared', () => {
    const declared = new Set([...Object.keys(MANIFEST.dependencies), ...Object.keys(MANIFEST.peerDependencies ?? {})]);
    const builtin = new Set(builtinModules);
    const undeclared: string[] = [];
    const files = filesUnder(join(installed, 'dist'), /\.(d\.ts|js|mjs)$/);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      for (const name of bareSpecifiers(readFileSync(file, 'utf8'))) {
        if (name.startsWith('node:') || builtin.has(name) || declared.has(name) || name === MANIFEST.name) continue;
        if (!(name in NOT_A_DEPENDENCY)) undeclared.push(`${file.slice(installed.length + 1)}: ${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('the installed CLI translates a small schema exactly as the sources do', async () => {
    // bin/pg2tidb.js runs the esbuild bundle of the CLI (scripts/bundle-cli.mjs); the library is tsc's dist/.
    expect(existsSync(join(installed, 'dist', 'cli-bundle', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'cli-bundle', 'parse-worker.js'))).toBe(true);
    const r = await run(bin(), ['translate', 'small.sql'], project);
    expect(r.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|internal error/);
    expect(r.code).toBe(0);
    const expected = await translate({ path: 'small.sql', text: SMALL_SQL });
    expect(r.stdout).toBe(expected.sql);
    expect(r.stdout).toContain('CREATE TABLE');
  });

  it('the installed CLI writes every emitter, reads SQLAlchemy models and rewrites them', async () => {
    const sql = await run(bin(), ['translate', 'small.sql', '-o', 'out-sql', '--emit', 'tidb,alembic,sql-migrations,ts'], project);
    expect(sql.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|internal error/);
    expect(sql.code).toBe(0);
    for (const f of ['tidb.sql', 'report.json', 'migration.py', 'models.ts']) expect(existsSync(join(project, 'out-sql', f)), f).toBe(true);
    expect(readFileSync(join(project, 'out-sql', 'models.ts'), 'utf8')).toMatch(/export interface/);

    const py = await run(bin(), ['translate', 'models.py', '-o', 'out-py', '--emit', 'tidb,sqlalchemy'], project);
    expect(py.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|internal error/);
    expect(py.code).toBe(0);
    expect(readFileSync(join(project, 'out-py', 'tidb.sql'), 'utf8')).toMatch(/CREATE TABLE `public`.`posts`/);
    expect(readFileSync(join(project, 'out-py', 'sqlalchemy', 'models.py'), 'utf8')).toMatch(/class Post\(Base\)/);
  });

  it('the installed CLI parses a large input on worker threads', async () => {
    // Over PARALLEL_PARSE_MIN_BYTES (2 MB), with two cores or more: the bundle's parse worker must find libpg-query's WASM.
    const columns = Array.from({ length: 12 }, (_, c) => `  col_${c} varchar(64) NOT NULL DEFAULT 'x'`).join(',\n');
    const tables = 4000;
    const big = Array.from({ length: tables }, (_, i) => `CREATE TABLE big_${i} (\n  id bigint PRIMARY KEY,\n${columns}\n);\n`).join('');
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    writeFileSync(join(project, 'big.sql'), big);
    const r = await run(bin(), ['translate', 'big.sql', '-o', 'out-big', '-q'], project);
    expect(r.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|internal error|worker/);
    expect(r.code).toBe(0);
    expect(readFileSync(join(project, 'out-big', 'tidb.sql'), 'utf8').match(/^CREATE TABLE /gm)?.length).toBe(tables);
  });

  it('the installed CLI asks for the optional pg packages when data reads a live database, the password masked', async () => {
    const r = await run(bin(), ['data', 'small.sql', '--from', 'postgres://u:S3cret@127.0.0.1:1/db', '-o', 'out-live'], project);
    expect(r.stderr).toContain('needs the pg and pg-copy-streams packages: npm install pg pg-copy-streams');
    expect(r.stderr).not.toContain('S3cret');
    expect(r.code).toBe(1);
  });

  it('the installed CLI loads a pg2tidb.config.ts that imports pg2tidb, with the typescript the project brings', async () => {
    const dir = join(project, 'with-config');
    mkdirSync(dir);
    copyFileSync(join(project, 'small.sql'), join(dir, 'small.sql'));
    writeFileSync(join(dir, 'pg2tidb.config.ts'), CONFIG_TS);
    // Without typescript in the project: a usage error that says what to install, no stack trace.
    const without = await run(bin(), ['translate'], dir);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/needs the "typescript" package/);
    expect(without.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|internal error|\n\s+at /);
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    await ok('npm', ['install', '--no-save', `typescript@${lock.packages['node_modules/typescript']!.version}`, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
    const r = await run(bin(), ['translate'], dir);
    expect(r.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|internal error|invalid config/);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'from-config', 'migration.py'))).toBe(true);
  });

  it("a TypeScript project without @types/node type-checks against both entry points' declarations", async () => {
    // The declarations name @pgsql/types, fast-check and web-tree-sitter: each must be installed
    // for a user's tsc, with skipLibCheck off so our .d.ts files are checked too.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    const tsVersion = lock.packages['node_modules/typescript']!.version;
    await ok('npm', ['install', '--no-save', `typescript@${tsVersion}`, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], project);
    writeFileSync(join(project, 'user.ts'), USER_TS);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [], skipLibCheck: false }, files: ['user.ts'] }, null, 2));
    expect(existsSync(join(project, 'node_modules', '@types', 'node'))).toBe(false);
    const r = await run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);

  it('imports both entry points from an ESM script, with one fast-check instance', async () => {
    const r = await ok(process.execPath, ['user.mjs'], project);
    const out = JSON.parse(r.stdout) as { sql: string; threadedSame: boolean; sampleSql: string; sampleTables: number; translatedTables: number; sameFastCheck: boolean };
    expect(out.sql).toMatch(/CREATE TABLE `public`.`t`/);
    expect(out.sql).toMatch(/`tags` JSON/);
    expect(out.threadedSame).toBe(true);
    expect(out.sampleSql).toMatch(/CREATE TABLE/i);
    expect(out.sampleTables).toBeGreaterThan(0);
    expect(out.translatedTables).toBe(out.sampleTables);
    expect(out.sameFastCheck).toBe(true);
  });
});
