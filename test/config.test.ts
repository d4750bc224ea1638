import { execFile } from 'node:child_process';
import { subjectText } from '../src/diagnostics/subject.js';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';
import { ROOT } from './helpers/fixtures.js';
import { translate } from '../src/translate.js';
import { compileOverrides, judgeColumn, matchesPgType, parseDefault, parsePgTypePattern, parseTidbType, type ColumnFacts } from '../src/transform/overrides.js';
import { ConfigError, CONFIG_KEYS, validateConfig } from '../src/config/validate.js';
import { loadConfig, findConfig } from '../src/config/load.js';
import { checkOutputs, generate, watchInputs, writeOutputs } from '../src/config/generate.js';
import { unifiedDiff } from '../src/config/diff.js';
import { explainColumn } from '../src/config/explain.js';
import { printType } from '../src/backends/tidb/print.js';
import { TIDB_FEATURES, targetHas } from '../src/transform/features.js';
import { main } from '../src/cli/main.js';
import { CATALOGUE } from '../src/diagnostics/catalogue.js';

const BIN = join(ROOT, 'bin', 'pg2tidb.js');
const SERVICES = ['user_service', 'project_service', 'knowledge_service'].map((s) => join(ROOT, 'fixtures', 'services', s));

function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end();
  });
}

const facts = (over: Partial<ColumnFacts> = {}): ColumnFacts => ({
  schema: 'public',
  database: 'public',
  table: 'users',
  column: 'email',
  type: { kind: 'scalar', name: 'text', params: [], raw: 'text' },
  primaryKey: false,
  indexed: false,
  hasDefault: false,
  ...over,
});

describe('TiDB type strings', () => {
  it('parses types into TidbType', () => {
    expect(parseTidbType('VARCHAR(320)')).toEqual({ base: 'VARCHAR', length: 320 });
    expect(parseTidbType('bigint unsigned')).toEqual({ base: 'BIGINT', unsigned: true });
    expect(parseTidbType('DATETIME(3)')).toEqual({ base: 'DATETIME', fsp: 3 });
    expect(parseTidbType('decimal(12, 2)')).toEqual({ base: 'DECIMAL', precision: 12, scale: 2 });
    expect(parseTidbType('NUMERIC')).toEqual({ base: 'DECIMAL', precision: 10, scale: 0 });
    expect(parseTidbType('INTEGER')).toEqual({ base: 'INT' });
    expect(parseTidbType("ENUM('a','it''s')")).toEqual({ base: 'ENUM', values: ['a', "it's"] });
    expect(parseTidbType('CHAR(36) CHARACTER SET ascii COLLATE ascii_bin')).toEqual({ base: 'CHAR', length: 36, charset: 'ascii', collation: 'ascii_bin' });
    expect(printType(parseTidbType('varchar(20) collate utf8mb4_bin'))).toBe('VARCHAR(20) COLLATE utf8mb4_bin');
  });

  it('rejects what TiDB would reject, saying why', () => {
    expect(() => parseTidbType('VARCHAR')).toThrow(/needs a length/);
    expect(() => parseTidbType('VARCHAR(20000)')).toThrow(/0 to 16383/);
    expect(() => parseTidbType('DATETIME(7)')).toThrow(/0 to 6/);
    expect(() => parseTidbType('DECIMAL(10,20)')).toThrow(/scale/);
    expect(() => parseTidbType('TEXT UNSIGNED')).toThrow(/numeric types only/);
    expect(() => parseTidbType('INT(11)')).toThrow(/display widths/);
    expect(() => parseTidbType('STRING')).toThrow(/unknown TiDB type/);
    expect(() => parseTidbType('INT SIGNED')).toThrow(/unexpected/);
  });

  it('parses default rewrites', () => {
    expect(parseDefault('CURRENT_TIMESTAMP(3)')).toEqual({ kind: 'current-timestamp', fsp: 3 });
    expect(parseDefault('now()')).toEqual({ kind: 'current-timestamp', fsp: 0 });
    expect(parseDefault('0')).toEqual({ kind: 'literal', sql: '0' });
    expect(parseDefault("'x'")).toEqual({ kind: 'literal', sql: "'x'" });
    expect(parseDefault('null')).toEqual({ kind: 'literal', sql: 'NULL' });
    expect(parseDefault('(UUID())')).toEqual({ kind: 'expression', sql: 'UUID()' });
    expect(parseDefault('UUID()')).toEqual({ kind: 'expression', sql: 'UUID()' });
    expect(() => parseDefault('(UUID()')).toThrow(/unbalanced/);
  });
});

describe('override matching', () => {
  it('matches PostgreSQL types with and without modifiers, through aliases', () => {
    const varchar255 = { kind: 'scalar', name: 'character varying', params: [255], raw: 'varchar(255)' } as const;
    expect(matchesPgType(parsePgTypePattern('varchar'), varchar255)).toBe(true);
    expect(matchesPgType(parsePgTypePattern('varchar(255)'), varchar255)).toBe(true);
    expect(matchesPgType(parsePgTypePattern('character varying(100)'), varchar255)).toBe(false);
    expect(matchesPgType(parsePgTypePattern('text'), varchar255)).toBe(false);
    expect(matchesPgType(parsePgTypePattern('timestamptz'), { kind: 'scalar', name: 'timestamp with time zone', params: [], raw: 'timestamptz' })).toBe(true);
    const arr = { kind: 'array', element: { kind: 'scalar', name: 'text', params: [], raw: 'text' }, dims: 1, raw: 'text[]' } as const;
    expect(matchesPgType(parsePgTypePattern('text[]'), arr)).toBe(true);
    expect(matchesPgType(parsePgTypePattern('text'), arr)).toBe(false);
    expect(matchesPgType(parsePgTypePattern('mood'), { kind: 'user', name: { schema: 'app', name: 'mood' }, raw: 'app.mood' })).toBe(true);
    expect(matchesPgType(parsePgTypePattern('app.mood'), { kind: 'user', name: { schema: 'app', name: 'mood' }, raw: 'app.mood' })).toBe(true);
  });

  it('matches column globs with and without schema', () => {
    const [rules] = [compileOverrides([
      { name: 'exact', match: { column: 'users.email' }, type: 'VARCHAR(320)' },
      { name: 'any-created', match: { column: '*.created_at' }, type: 'DATETIME(3)' },
      { name: 'billing', match: { column: 'billing.*.*' }, type: 'LONGTEXT' },
    ])];
    const fired = (f: ColumnFacts) => judgeColumn(rules, f).fired?.label;
    expect(fired(facts())).toBe('exact');
    expect(fired(facts({ table: 'orders', column: 'created_at' }))).toBe('any-created');
    expect(fired(facts({ schema: 'billing', table: 'invoices', column: 'note' }))).toBe('billing');
    expect(fired(facts({ database: 'billing', table: 'invoices', column: 'note' }))).toBe('billing');
    expect(fired(facts({ table: 'orders', column: 'note' }))).toBeUndefined();
  });

  it('matches on usage, first rule wins, and says why others did not fire', () => {
    const rules = compileOverrides([
      { name: 'pk', match: { type: 'integer', primaryKey: true }, type: 'BIGINT UNSIGNED' },
      { name: 'indexed-text', match: { type: 'text', indexed: true }, type: 'VARCHAR(100)' },
      { name: 'defaulted', match: { hasDefault: true }, default: null },
      { name: 'all-text', match: { type: 'text' }, type: 'MEDIUMTEXT' },
    ]);
    const int = { kind: 'scalar', name: 'integer', params: [], raw: 'integer' } as const;
    expect(judgeColumn(rules, facts({ type: int, primaryKey: true })).fired?.label).toBe('pk');
    const idx = judgeColumn(rules, facts({ indexed: true, hasDefault: true }));
    expect(idx.fired?.label).toBe('indexed-text');
    expect(idx.verdicts[0]!.reason).toMatch(/type text is not integer/);
    expect(idx.verdicts[2]!.reason).toMatch(/not consulted/);
    expect(judgeColumn(rules, facts({ hasDefault: true })).fired?.label).toBe('defaulted');
    const plain = judgeColumn(rules, facts());
    expect(plain.fired?.label).toBe('all-text');
    expect(plain.verdicts[1]!.reason).toBe('column is not indexed');
  });
});

describe('config validation', () => {
  const bad = (config: unknown): string => {
    try {
      validateConfig(config, 'pg2tidb.config.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('expected a ConfigError');
  };
  it('names the key and the expected shape', () => {
    expect(bad({ uuid: 'hex' })).toBe('pg2tidb.config.json: uuid: expected one of "char36", "binary16", got "hex"');
    expect(bad({ textKeyLength: 1000 })).toMatch(/^pg2tidb.config.json: textKeyLength: expected an integer from 1 to 768/);
    expect(bad({ emit: ['tidb', 'sql'] })).toMatch(/emit\[1\]: expected one of "tidb"/);
    expect(bad({ inputz: [] })).toMatch(/inputz: unknown key/);
    expect(bad({ tidb_version: '8.5.3' })).toMatch(/did you mean "tidbVersion"/);
    expect(bad({ databaseMap: { a: 1 } })).toMatch(/databaseMap\.a: expected a database name/);
    expect(bad({ diagnostics: { 'lossy-typo': 'off' } })).toMatch(/diagnostics\.lossy-typo: unknown diagnostic id/);
    expect(bad({ diagnostics: { 'lossy-type': 'loud' } })).toMatch(/diagnostics\.lossy-type: expected one of "off", "info", "warning", "error"/);
    expect(bad({ overrides: {} })).toMatch(/overrides: expected an array of rules/);
    expect(bad({ overrides: [{ match: {}, type: 'INT' }] })).toMatch(/overrides\[0\]\.match: must have at least one condition/);
    expect(bad({ overrides: [{ match: { column: 'a.b.c.d' }, type: 'INT' }] })).toMatch(/overrides\[0\]\.match\.column: expected "column", "table.column"/);
    expect(bad({ overrides: [{ match: { column: 'users.email' }, type: 'VARCHAR' }] })).toMatch(/overrides\[0\]\.type: "VARCHAR": VARCHAR needs a length/);
    expect(bad({ overrides: [{ match: { column: 'users.email' } }] })).toMatch(/overrides\[0\]: a rule must set at least one of type, default, diagnostics/);
    expect(bad({ overrides: [{ match: { primaryKey: 'yes' }, type: 'INT' }] })).toMatch(/overrides\[0\]\.match\.primaryKey: expected true or false/);
    expect(bad({ overrides: [{ match: { column: 'x' }, default: 5 }] })).toMatch(/overrides\[0\]\.default: expected a string/);
    expect(bad([])).toMatch(/expected a config object/);
  });

  it('the published JSON Schema lists exactly the keys the validator accepts', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'pg2tidb.config.schema.json'), 'utf8')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('the published JSON Schema names exactly the catalogue ids for diagnostic levels (npm run schema:report writes them)', () => {
    type IdList = { propertyNames: { anyOf: [{ enum: string[] }, unknown] } };
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'pg2tidb.config.schema.json'), 'utf8')) as {
      properties: { diagnostics: IdList; overrides: { items: { properties: { diagnostics: IdList } } } };
    };
    const ids = Object.keys(CATALOGUE);
    expect(schema.properties.diagnostics.propertyNames.anyOf[0].enum).toEqual(ids);
    expect(schema.properties.overrides.items.properties.diagnostics.propertyNames.anyOf[0].enum).toEqual(ids);
  });

  it('loads pg2tidb.config.ts without a TypeScript runtime', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-cfg-ts-'));
    writeFileSync(join(dir, 'pg2tidb.config.ts'), `import type { Pg2tidbConfig } from 'pg2tidb';\nconst length: number = 320;\nconst config: Pg2tidbConfig = { inputs: ['schema.sql'], overrides: [{ match: { column: 'users.email' }, type: \`VARCHAR(\${length})\` }] };\nexport default config;\n`);
    mkdirSync(join(dir, 'sub'));
    expect(findConfig(join(dir, 'sub'))).toBe(join(dir, 'pg2tidb.config.ts'));
    const loaded = await loadConfig(join(dir, 'pg2tidb.config.ts'));
    expect(loaded.config.overrides?.[0]?.type).toBe('VARCHAR(320)');
    expect(readdirSync(dir).filter((f) => f.endsWith('.mjs'))).toEqual([]);
  });
});

describe('overrides and diagnostic levels in translate', () => {
  const sql = `CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE, note text, deleted_at timestamptz, created_at timestamptz DEFAULT now());
CREATE INDEX users_live ON users (note) WHERE deleted_at IS NULL;`;

  it('applies the type, the default and records the rule in the report', async () => {
    const r = await translate(sql, {
      typeOverrides: [
        { name: 'email', match: { column: 'users.email' }, type: 'VARCHAR(320)' },
        { match: { column: '*.created_at' }, type: 'DATETIME(3)', default: 'CURRENT_TIMESTAMP(3)', diagnostics: { timestamptz: 'off' } },
      ],
    });
    expect(r.sql).toContain('`email` VARCHAR(320) NULL');
    expect(r.sql).toContain('`created_at` DATETIME(3) NULL DEFAULT CURRENT_TIMESTAMP(3)');
    const rules = Object.fromEntries(r.report.columns.map((c) => [c.column, c.rule]));
    expect(rules).toEqual({ id: 'integer', email: 'email', note: 'text', deleted_at: 'timestamptz', created_at: 'overrides[1]' });
    const subjects = r.diagnostics.map((d) => `${d.id} ${subjectText(d.subject)}`);
    expect(subjects).toContain('timestamptz public.users.deleted_at');
    expect(subjects).not.toContain('timestamptz public.users.created_at');
  });

  it('a rule without a type silences or raises diagnostics for its columns only', async () => {
    const r = await translate(sql, { typeOverrides: [{ match: { column: 'users.deleted_at' }, diagnostics: { timestamptz: 'error' } }, { match: { column: '*.created_at' }, default: null }] });
    expect(r.diagnostics.find((d) => d.id === 'timestamptz' && subjectText(d.subject) === 'public.users.deleted_at')?.severity).toBe('error');
    expect(r.diagnostics.find((d) => d.id === 'timestamptz' && subjectText(d.subject) === 'public.users.created_at')?.severity).toBe('warning');
    expect(r.sql).toMatch(/`created_at` DATETIME\(6\) NULL,/);
  });

  it('global levels: off drops, others change severity (by id or code)', async () => {
    const base = await translate(sql);
    expect(base.diagnostics.some((d) => d.id === 'collation-equality')).toBe(true);
    const r = await translate(sql, { diagnosticLevels: { 'collation-equality': 'off', PGT2005: 'error' } });
    expect(r.diagnostics.some((d) => d.id === 'collation-equality')).toBe(false);
    expect(r.diagnostics.filter((d) => d.id === 'timestamptz').every((d) => d.severity === 'error')).toBe(true);
    expect(r.report.summary.diagnostics.error).toBeGreaterThan(0);
    await expect(translate(sql, { diagnosticLevels: { nope: 'off' } as never })).rejects.toThrow(/diagnosticLevels\.nope/);
  });

  it('partial indexes are native only from TiDB 8.5.7, not on Cloud Starter, as a separate CREATE INDEX', async () => {
    const old = await translate(sql, { tidbVersion: '8.5.3' });
    expect(old.sql).toContain('KEY `users_live` (`note`)');
    expect(old.sql).not.toContain('WHERE');
    const starter = await translate(sql, { tidbVersion: '8.5.7', cloudStarter: true });
    expect(starter.sql).not.toContain('WHERE');
    // Starter's own kernel decides; a tidbVersion next to it is ignored, and the report says so.
    expect(starter.diagnostics.find((d) => d.id === 'target-ignored' && d.message.startsWith('tidbVersion 8.5.7 is ignored'))).toBeDefined();
    expect((await translate(sql, { cloudStarter: true })).diagnostics.some((d) => d.message.startsWith('tidbVersion'))).toBe(false);
    const native = await translate(sql, { tidbVersion: '8.5.7' });
    expect(native.sql).toMatch(/CREATE INDEX `users_live` ON `public`\.`users` \(`note`\) WHERE \(`deleted_at` IS NULL\);/);
    expect(native.sql).not.toMatch(/\n {2}KEY `users_live`/);
    expect(native.diagnostics.find((d) => d.id === 'partial-index-kept')?.severity).toBe('info');
    const complex = await translate(`CREATE TABLE t (a int, b int); CREATE INDEX t_a ON t (a) WHERE a + b > 1;`, { tidbVersion: '9.0.0' });
    expect(complex.sql).not.toContain('WHERE');
  });

  it('one table of TiDB features gates the output by version and Cloud Starter', () => {
    // Every row says which self-managed version has the feature, or that none has it without server config.
    for (const [name, row] of Object.entries(TIDB_FEATURES) as [string, { since?: readonly number[]; cloudStarter: boolean }][]) {
      expect(row.since !== undefined || !row.cloudStarter, name).toBe(true);
    }
    expect(targetHas({}, 'vectorType')).toBe(true); // default target 8.5.0
    expect(targetHas({}, 'partialIndex')).toBe(false);
    expect(targetHas({ tidbVersion: '8.3' }, 'vectorType')).toBe(false);
    expect(targetHas({ tidbVersion: '6.5' }, 'expressionIndex')).toBe(true);
    expect(targetHas({ tidbVersion: '6.1.7' }, 'expressionIndex')).toBe(false);
    // Starter's kernel is fixed: tidbVersion does not apply there.
    expect(targetHas({ cloudStarter: true, tidbVersion: '6.1' }, 'vectorType')).toBe(true);
    expect(targetHas({ cloudStarter: true, tidbVersion: '9.0' }, 'partialIndex')).toBe(false);
    expect(targetHas({ tidbVersion: '9.0' }, 'expressionIndexAnyFunction')).toBe(false);
  });

  it('expression indexes: generated column before v6.5; outside the allow-list the message names Cloud Starter', async () => {
    const lower = 'CREATE TABLE t (id int PRIMARY KEY, h varchar(64)); CREATE INDEX t_h ON t (lower(h));';
    const v61 = await translate(lower, { tidbVersion: '6.1' });
    expect(v61.sql).toContain('`t_h_expr1` VARCHAR(64) AS (LOWER(`h`)) VIRTUAL NULL');
    expect(v61.sql).toContain('KEY `t_h` (`t_h_expr1`)');
    expect(v61.diagnostics.find((d) => d.id === 'target-feature')?.message).toMatch(/TiDB v6\.5\.0 or later is needed for expression indexes.*the target is TiDB v6\.1\.0/);
    const v65 = await translate(lower, { tidbVersion: '6.5' });
    expect(v65.sql).toContain('KEY `t_h` ((LOWER(`h`)))');
    expect(v65.diagnostics.some((d) => d.id === 'target-feature')).toBe(false);
    const outside = 'CREATE TABLE t (id int PRIMARY KEY, h varchar(64)); CREATE INDEX t_len ON t (length(h));';
    const selfManaged = await translate(outside);
    const starter = await translate(outside, { cloudStarter: true });
    expect(starter.sql).toBe(selfManaged.sql);
    expect(selfManaged.diagnostics.find((d) => d.id === 'expression-index')?.message).toMatch(/short list of functions/);
    expect(starter.diagnostics.find((d) => d.id === 'expression-index')?.message).toMatch(/TiDB Cloud Starter does not offer expression indexes over functions outside tidb_allow_function_for_expression_index/);
  });

  it('old targets: no AUTO_RANDOM before v3.1, no sequences before v4.0, no 0900 collations before v7.4', async () => {
    const seq = "CREATE SEQUENCE s; CREATE TABLE a (id bigserial PRIMARY KEY, n bigint DEFAULT nextval('s')); CREATE TABLE b (n bigint DEFAULT nextval('s'));";
    const now = await translate(seq, { autoRandom: true });
    expect(now.sql).toContain('CREATE SEQUENCE');
    expect(now.sql).toContain('AUTO_RANDOM(5)');
    const v30 = await translate(seq, { autoRandom: true, tidbVersion: '3.0' });
    expect(v30.sql).not.toMatch(/SEQUENCE|NEXTVAL|AUTO_RANDOM/);
    expect(v30.sql).toContain('`id` BIGINT NOT NULL AUTO_INCREMENT');
    const notes = v30.diagnostics.filter((d) => d.id === 'target-feature').map((d) => d.message);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/sequence public\.s is not created.*TiDB v4\.0\.0 or later/), expect.stringMatching(/keeps AUTO_INCREMENT: TiDB v3\.1\.0 or later is needed for AUTO_RANDOM/)]));
    const keyed = 'CREATE TABLE t (id int PRIMARY KEY, s varchar(10) UNIQUE);';
    const v73 = await translate(keyed, { collation: 'utf8mb4_0900_bin', tidbVersion: '7.3' });
    expect(v73.sql).not.toMatch(/COLLATE utf8mb4_0900/);
    expect(v73.sql).toContain('COLLATE utf8mb4_bin');
    expect(v73.diagnostics.find((d) => d.id === 'target-feature')?.message).toMatch(/utf8mb4_0900_bin becomes utf8mb4_bin.*TiDB v7\.4\.0/);
    expect((await translate(keyed, { collation: 'utf8mb4_0900_bin', tidbVersion: '7.4' })).sql).toContain('COLLATE utf8mb4_0900_bin');
  });

  it('explain names the built-in rule and the override that fired', async () => {
    const r = await translate(sql, { typeOverrides: [{ name: 'notes', match: { type: 'int' }, type: 'BIGINT' }, { name: 'email', match: { column: 'users.email' }, type: 'VARCHAR(320)' }] });
    const [e] = explainColumn(r, 'users.email');
    expect(e!.builtin).toEqual({ rule: 'text', type: 'VARCHAR(255)' });
    expect(e!.fired).toBe('email');
    expect(e!.verdicts[0]!.reason).toMatch(/type text is not int/);
  });
});

describe('diff, generate, check and watch', () => {
  it('unified diff', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nb\nc\n', 'a', 'b')).toBe('');
    const d = unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n10\n', 'a/x', 'b/x');
    expect(d).toBe('--- a/x\n+++ b/x\n@@ -2,8 +2,9 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n 9\n+10\n');
    expect(unifiedDiff('', 'x\n', '/dev/null', 'b/x')).toBe('--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('generate is pure; writeOutputs writes; checkOutputs compares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-gen-'));
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE t (id int PRIMARY KEY, name text);\n');
    const files = await generate({ inputs: ['schema.sql'], emit: ['tidb', 'sql-migrations'] }, { cwd: dir });
    expect(files.map((f) => f.path)).toEqual(['tidb.sql', 'report.json', 'migrations/up.sql', 'migrations/down.sql']);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect((await checkOutputs(join(dir, 'out'), files)).every((c) => c.status === 'missing')).toBe(true);
    await writeOutputs(join(dir, 'out'), files);
    expect((await checkOutputs(join(dir, 'out'), files)).every((c) => c.status === 'same')).toBe(true);
  });

  it('watchInputs calls back once per burst of changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-watch-'));
    writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE a (id int);\n');
    const calls: string[][] = [];
    const handle = await watchInputs([dir], (changed) => calls.push(changed), { debounceMs: 100 });
    try {
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(join(dir, 'a.sql'), 'CREATE TABLE a (id bigint);\n');
      writeFileSync(join(dir, 'b.sql'), 'CREATE TABLE b (id int);\n');
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      for (let i = 0; i < 40 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      handle.close();
    }
    expect(calls.length).toBe(1);
    expect(calls[0]!.map((p) => p.slice(dir.length + 1))).toEqual(['a.sql', 'b.sql']);
  });
});

describe('--watch and the config file', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('reloads the config: new options and inputs apply, an invalid config is reported and watching goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-watch-config-'));
    mkdirSync(join(dir, 'schema'));
    mkdirSync(join(dir, 'schema2'));
    writeFileSync(join(dir, 'schema', 'a.sql'), 'CREATE TABLE a (id int PRIMARY KEY, u uuid);\n');
    writeFileSync(join(dir, 'schema2', 'b.sql'), 'CREATE TABLE b (id int PRIMARY KEY);\n');
    const writeConfig = (config: object) => writeFileSync(join(dir, 'pg2tidb.config.json'), JSON.stringify(config));
    writeConfig({ inputs: ['schema'], out: 'out' });
    const chunks: string[] = [];
    const stderr = new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    const log = () => chunks.join('');
    const tidb = () => (existsSync(join(dir, 'out', 'tidb.sql')) ? readFileSync(join(dir, 'out', 'tidb.sql'), 'utf8') : '');
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await sleep(50);
      if (!done()) throw new Error(`timed out waiting for ${what}; stderr so far:\n${log()}`);
    };
    const stop = new AbortController();
    const watching = main(['translate', '--watch'], { stdin: Readable.from([]), stdout, stderr, cwd: dir, signal: stop.signal });
    let settled = false;
    void watching.finally(() => (settled = true));
    try {
      await until('the first run', () => log().includes('watching for changes to the inputs and the config'));
      expect(tidb()).toContain('`u` CHAR(36)');

      writeConfig({ inputs: ['schema'], out: 'out', uuid: 'binary16' });
      await until('the new option', () => tidb().includes('`u` BINARY(16)'));

      writeConfig({ inputs: ['schema'], out: 'out', uuid: 'hex' });
      await until('the validation error', () => log().includes('still watching with the previous config'));
      expect(log()).toMatch(/pg2tidb: invalid config: .*uuid/);
      expect(settled).toBe(false);

      // New inputs: the old folder is no longer read or watched, the new one is.
      writeConfig({ inputs: ['schema2'], out: 'out' });
      await until('the new inputs', () => tidb().includes('`public`.`b`'));
      expect(tidb()).not.toContain('`public`.`a`');
      writeFileSync(join(dir, 'schema2', 'b.sql'), 'CREATE TABLE b (id int PRIMARY KEY, note text);\n');
      await until('a change to the new inputs', () => tidb().includes('`note`'));
      // The run logs "wrote ..." after writing tidb.sql: count runs only once the log is quiet.
      for (let seen = -1; seen !== log().length; ) {
        seen = log().length;
        await sleep(300);
      }
      const runs = log().split('wrote ').length;
      writeFileSync(join(dir, 'schema', 'a.sql'), 'CREATE TABLE a (id bigint PRIMARY KEY);\n');
      await sleep(500);
      expect(log().split('wrote ').length).toBe(runs);
    } finally {
      stop.abort();
    }
    expect(await watching).toBe(0);
  }, 30_000);
});

describe('end to end: a project with a config file', () => {
  // The test command builds first; a stale or missing dist/ is built here, so the file also runs on its own.
  beforeAll(ensureBuilt, 300_000);

  it('bare translate writes every output, --check passes, explain names the override', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-project-'));
    const config = {
      $schema: join(ROOT, 'schema', 'pg2tidb.config.schema.json'),
      inputs: SERVICES,
      out: 'generated',
      emit: ['tidb', 'alembic', 'sql-migrations', 'ts'],
      databaseMap: { user_service: 'users_db', project_service: 'projects_db', knowledge_service: 'knowledge_db' },
      diagnostics: { 'collation-equality': 'off' },
      overrides: [
        { name: 'email-length', match: { column: 'users.email' }, type: 'VARCHAR(320)' },
        { name: 'created-ms', match: { column: '*.created_at', type: 'timestamptz' }, type: 'DATETIME(3)', default: 'CURRENT_TIMESTAMP(3)', diagnostics: { timestamptz: 'off' } },
      ],
    };
    writeFileSync(join(dir, 'pg2tidb.config.json'), JSON.stringify(config, null, 2));
    mkdirSync(join(dir, 'nested'));

    const run = await cli(['translate'], dir);
    expect(run.stderr).toContain('wrote tidb.sql, report.json, migration.py, migrations/up.sql, migrations/down.sql, models.ts');
    expect(run.code).toBe(0);
    for (const f of ['tidb.sql', 'report.json', 'migration.py', 'migrations/up.sql', 'migrations/down.sql', 'models.ts']) expect(existsSync(join(dir, 'generated', f))).toBe(true);
    const sql = readFileSync(join(dir, 'generated', 'tidb.sql'), 'utf8');
    expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `users_db`');
    expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `projects_db`');
    expect(sql).toContain('CREATE DATABASE IF NOT EXISTS `knowledge_db`');
    expect(sql).toContain('`email` VARCHAR(320) NOT NULL');
    expect(sql).toContain('`created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)');
    const report = JSON.parse(readFileSync(join(dir, 'generated', 'report.json'), 'utf8')) as { columns: { table: string; column: string; rule: string }[] };
    expect(report.columns.find((c) => c.table === 'users_db.users' && c.column === 'email')?.rule).toBe('email-length');
    expect(report.columns.filter((c) => c.column === 'created_at').map((c) => c.rule)).toEqual(['created-ms', 'created-ms', 'created-ms']);
    expect(report.columns.find((c) => c.column === 'id')?.rule).toBe('integer');

    // --check right after passes, from a subfolder too (the config is found upward).
    const check = await cli(['translate', '--check'], join(dir, 'nested'));
    expect(check.stderr).toContain('up to date');
    expect(check.code).toBe(0);

    // A stale file: exit 1 with a unified diff.
    writeFileSync(join(dir, 'generated', 'tidb.sql'), sql.replace('VARCHAR(320)', 'VARCHAR(300)'));
    const stale = await cli(['translate', '--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('--- a/tidb.sql\n+++ b/tidb.sql\n');
    expect(stale.stdout).toContain('-  `email` VARCHAR(300) NOT NULL,\n+  `email` VARCHAR(320) NOT NULL,');

    const explain = await cli(['explain', 'users.email'], dir);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('built-in rule:   varchar -> VARCHAR(255)');
    expect(explain.stdout).toMatch(/\[0\] email-length: FIRED \(type VARCHAR\(320\)\)/);
    expect(explain.stdout).toContain('decided by override email-length');
  });

  it('pg2tidb.config.ts with defineConfig from the package', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-tsproject-'));
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE users (id int PRIMARY KEY, email text);\n');
    writeFileSync(join(dir, 'pg2tidb.config.ts'), `import { defineConfig } from 'pg2tidb';\nconst width: number = 320;\nexport default defineConfig({ inputs: 'schema.sql', overrides: [{ name: 'email', match: { column: 'users.email' }, type: \`VARCHAR(\${width})\` }] });\n`);
    const run = await cli(['translate'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('`email` VARCHAR(320) NULL');
    expect(readdirSync(dir).sort()).toEqual(['pg2tidb.config.ts', 'schema.sql']);
  });

  it('invalid config: exit 2 naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-badcfg-'));
    writeFileSync(join(dir, 'pg2tidb.config.json'), JSON.stringify({ inputs: ['x.sql'], overrides: [{ match: { column: 'users.email' }, type: 'VARCHAR' }] }));
    const run = await cli(['translate'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('overrides[0].type: "VARCHAR": VARCHAR needs a length');
    const missing = await cli(['translate', '--config', 'nope.json'], dir);
    expect(missing.code).toBe(2);
  });
});
