// Long fuzzing run (npm run fuzz): robustness properties at 100,000 cases each and the
// model properties at PG2TIDB_FUZZ_MODEL_RUNS (default 20,000), TiDB oracle in batches; then the
// differential harness over PG2TIDB_FUZZ_DIFF_SCHEMAS (default 3,000) generated schemas on
// PostgreSQL 15 and tidb-server, stopping at the first unexplained difference (its seed printed,
// its schema saved as a fixture folder).
// Prints counts and every distinct exception/failure found; exits 1 when any was found.
// Compiled with tsc into .cache/fuzz and run from the repository root.
// `npm run fuzz -- --server [--schemas N]` instead runs N generated schemas (default 10,000) on one
// tidb-server in batches, stopping at the first refusal no error diagnostic or known class explains.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { translate } from '../src/index.js';
import { checkCase, lexMysql, pgCase, runDifferentialLanes, saveCounterexample, spanProblems, type DifferentialReport } from '../src/testing/index.js';
import { startPostgres } from './helpers/data-load.js';
import { differentialCases, openLanes } from './helpers/differential-lanes.js';
import { KNOWN_SERVER_REJECTIONS } from './helpers/server-cases.js';
import { startTidbServer } from './helpers/tidb-server.js';

const ROBUST_RUNS = Number(process.env.PG2TIDB_FUZZ_RUNS ?? 100_000);
const MODEL_RUNS = Number(process.env.PG2TIDB_FUZZ_MODEL_RUNS ?? 20_000);
const DIFF_SCHEMAS = Number(process.env.PG2TIDB_FUZZ_DIFF_SCHEMAS ?? 3_000);
const DIFF_LANES = Number(process.env.PG2TIDB_DIFF_LANES ?? 3);
const SEED = Number(process.env.PG2TIDB_PROPERTY_SEED ?? Date.now() % 2 ** 31);
const root = process.cwd();
const CORPUS = resolve(root, '../shared/corpus/pg');

const found = new Map<string, { count: number; example: string }>();
function record(kind: string, message: string, input: string): void {
  // One entry (and one saved fixture) per kind of problem: names and numbers vary between cases.
  const key = `${kind}: ${message.split('\n')[0]!.replace(/violation ([\w-]+):.*/, 'violation $1').replace(/\d+/g, 'N').slice(0, 160)}`;
  const entry = found.get(key);
  if (entry) entry.count++;
  else {
    found.set(key, { count: 1, example: input });
    const folder = saveCounterexample(input, { dir: resolve(root, 'fixtures'), note: `${kind} (fuzz, seed ${SEED})\n\n${message}` });
    console.log(`  NEW ${key}\n      saved to ${folder}`);
  }
}

function statements(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.sql')).sort()) {
    for (const s of readFileSync(join(CORPUS, f), 'utf8').split(/;\s*\n/)) if (s.trim() && s.length < 4000) out.push(`${s};\n`);
  }
  return out;
}

const STATEMENTS = statements();
const TOKENS = ['(', ')', ',', ';', "'", '"', '$$', '--', '/*', '*/', 'NULL', 'DEFAULT', 'PRIMARY KEY', 'REFERENCES', 'CREATE', 'TABLE', 'INDEX', 'int', 'text[]', '::', '\\', '\n', 'ALTER TABLE', 'ONLY', 'CHECK', "E'\\", '\0', '\uFFFD', '😀'];
const windowArb = fc.tuple(fc.nat(STATEMENTS.length - 1), fc.integer({ min: 1, max: 4 })).map(([i, n]) => STATEMENTS.slice(i, i + n).join(''));
const robust: Record<string, fc.Arbitrary<string>> = {
  'arbitrary-text': fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((a) => a.join(' '))),
  'truncated-corpus': fc.tuple(windowArb, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
  'mutated-corpus': fc.tuple(windowArb, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...TOKENS), fc.nat(40)), { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let s = text;
    for (const [at, op, tok, len] of edits) {
      const spaces = [...s.matchAll(/[\s(),;]/g)].map((m) => m.index!);
      const pos = spaces.length > 0 ? spaces[at % spaces.length]! : at % (s.length + 1);
      if (op === 0) s = s.slice(0, pos) + tok + s.slice(pos);
      else if (op === 1) s = s.slice(0, pos) + s.slice(pos + len);
      else if (op === 2) s = s.slice(0, pos) + ' ' + tok + ' ' + s.slice(pos + 1);
      else s = s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos, pos + len) + s.slice(pos + len);
    }
    return s;
  }),
};

function oracleBinary(): string {
  const out = execFileSync('bash', [resolve(root, 'test/oracles/tidb-parser/build.sh')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.trim().split('\n').pop()!;
}

interface Batch {
  id: string;
  statements: { ok: boolean; error?: string; restored?: string }[];
  violations: { rule: string; message: string }[];
}

function oracle(bin: string, batches: { id: string; sql: string }[]): Promise<Batch[]> {
  return new Promise((ok, fail) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? ok((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batches: Batch[] }).batches) : fail(new Error(`oracle exited ${code}`))));
    child.stdin.end(JSON.stringify({ batches }));
  });
}

async function main(): Promise<void> {
  console.log(`pg2tidb fuzz: seed ${SEED}, ${ROBUST_RUNS} runs per robustness property, ${MODEL_RUNS} model cases`);
  const started = Date.now();
  for (const [name, arb] of Object.entries(robust)) {
    let runs = 0;
    const t0 = Date.now();
    for (const text of fc.sample(arb, { numRuns: ROBUST_RUNS, seed: SEED })) {
      runs++;
      try {
        const r = await translate({ path: 'input.sql', text });
        for (const p of spanProblems(r)) record(name, `span: ${p}`, text);
      } catch (err) {
        record(name, `threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, text);
      }
    }
    console.log(`${name}: ${runs} cases, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  const bin = oracleBinary();
  let modelRuns = 0;
  let tidbStatements = 0;
  const t0 = Date.now();
  const BATCH = 1000;
  for (let offset = 0; offset < MODEL_RUNS; offset += BATCH) {
    const cases = fc.sample(pgCase(), { numRuns: Math.min(BATCH, MODEL_RUNS - offset), seed: SEED + offset });
    const results = [];
    for (const c of cases) {
      modelRuns++;
      try {
        const problem = await checkCase(c, {}, ['round-trip', 'conservation', 'determinism', 'spans']);
        if (problem) record('model', problem, c.sql);
        results.push({ c, r: await translate({ path: 'input.sql', text: c.sql }) });
      } catch (err) {
        record('model', `threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, c.sql);
      }
    }
    const verdicts = await oracle(bin, results.map(({ r }, i) => ({ id: String(i), sql: r.sql })));
    for (const [i, b] of verdicts.entries()) {
      const { c, r } = results[i]!;
      tidbStatements += b.statements.length;
      const bad = b.statements.find((s) => !s.ok);
      if (bad) record('tidb-accepts', `rejected: ${bad.error}`, c.sql);
      const errors = new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.id as string));
      for (const v of b.violations.filter((x) => !errors.has(x.rule))) record('tidb-accepts', `violation ${v.rule}: ${v.message.replace(/`[^`]*`/g, '`…`')}`, c.sql);
      if (b.statements.length !== r.statements.length) record('quoting', `statement count ${r.statements.length} vs ${b.statements.length}`, c.sql);
      else
        b.statements.forEach((s, n) => {
          const mine = lexMysql(r.statements[n]!.sql, true);
          const theirs = lexMysql(s.restored ?? '', false);
          if (JSON.stringify([...mine.identifiers].sort()) !== JSON.stringify([...theirs.identifiers].sort()) || JSON.stringify([...mine.strings].sort()) !== JSON.stringify([...theirs.strings].sort())) {
            record('quoting', 'restored identifiers or strings differ', c.sql);
          }
        });
    }
    console.log(`model: ${modelRuns} cases, ${tidbStatements} TiDB statements checked, ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }

  await differential();

  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(0)}s; ${found.size} distinct problem(s)`);
  for (const [key, { count }] of found) console.log(`  ${count}x ${key}`);
  process.exitCode = found.size > 0 ? 1 : 0;
}

const showDifferences = (r: DifferentialReport) => r.unexplained.map((d) => `${d.kind} ${d.table}${d.column ? `.${d.column}` : ''}: ${d.detail}${d.row ? ` row ${JSON.stringify(d.row)}` : ''}`).join('\n');

/** The differential harness over DIFF_SCHEMAS generated schemas; the first unexplained difference stops it. */
async function differential(): Promise<void> {
  if (DIFF_SCHEMAS <= 0) return;
  const pg = startPostgres();
  if (!pg.url) {
    record('differential', `not run: ${pg.unavailable}`, '');
    return;
  }
  const server = await startTidbServer();
  const lanes = await openLanes(pg.url, server, DIFF_LANES);
  const t0 = Date.now();
  const totals = { schemas: 0, refusedByTidb: 0, rows: 0, differences: 0, predicted: 0 };
  try {
    await runDifferentialLanes(differentialCases(SEED, DIFF_SCHEMAS, 10), lanes.engines, ({ index, case: c, report, error }) => {
      if (error !== undefined) {
        const reason = (error as { reason?: string }).reason ?? String(error);
        if ((error as { engine?: string }).engine === 'tidb' && KNOWN_SERVER_REJECTIONS.some((k) => k.message.test(reason))) {
          totals.refusedByTidb++;
          return true;
        }
        record('differential', `schema ${index} (seed ${SEED + index}) did not run: ${String(error)}`, c.sql);
        return false;
      }
      totals.schemas++;
      totals.rows += report!.rows;
      totals.differences += report!.differences.length;
      totals.predicted += report!.differences.length - report!.unexplained.length;
      if (totals.schemas % 250 === 0) console.log(`differential: ${totals.schemas} schemas, ${((Date.now() - t0) / 1000).toFixed(0)}s`);
      if (report!.unexplained.length === 0) return true;
      record('differential', `schema ${index}: unexplained difference (seed ${SEED + index}; replay alone: PG2TIDB_PROPERTY_SEED=${SEED + index} PG2TIDB_FUZZ_RUNS=0 PG2TIDB_FUZZ_MODEL_RUNS=0 PG2TIDB_FUZZ_DIFF_SCHEMAS=1 npm run fuzz)\n${showDifferences(report!)}`, c.sql);
      return false;
    });
  } finally {
    await lanes.close();
    await server.stop();
  }
  console.log(`differential: ${JSON.stringify(totals)} in ${((Date.now() - t0) / 1000).toFixed(1)}s over ${DIFF_LANES} lanes`);
}

/** Server mode: generated schemas on a real tidb-server (test/helpers/generated-server.ts). */
async function serverMain(schemas: number): Promise<void> {
  const { startTidbServer, freshDatabase } = await import('./helpers/tidb-server.js');
  const { newServerRunStats, runGeneratedBatch } = await import('./helpers/generated-server.js');
  const { KNOWN_SERVER_REJECTIONS } = await import('./helpers/server-cases.js');
  console.log(`pg2tidb fuzz --server: seed ${SEED}, ${schemas} generated schemas; replay with PG2TIDB_PROPERTY_SEED=${SEED}`);
  // Compiled into .cache/fuzz, the helper's own path to build.sh is wrong: resolve it from the root.
  const binary = process.env.PG2TIDB_TIDB_SERVER_BIN ?? execFileSync('bash', [resolve(root, 'test/oracles/tidb-server/build.sh')], { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n').pop()!;
  const server = await startTidbServer({ binary });
  const conn = await freshDatabase('fuzz_server', { server });
  const stats = newServerRunStats();
  const started = Date.now();
  let failures: string[] = [];
  try {
    await conn.query('SET GLOBAL tidb_enable_check_constraint = ON');
    for (let offset = 0; offset < schemas && failures.length === 0; offset += 50) {
      failures = await runGeneratedBatch(conn, SEED, offset, Math.min(50, schemas - offset), stats);
      if ((offset / 50) % 10 === 9 || failures.length > 0) console.log(`server: ${stats.cases} schemas, ${stats.tables} tables, ${stats.statements} statements, ${((Date.now() - started) / 1000).toFixed(0)}s`);
    }
  } finally {
    await conn.end();
    await server.stop();
  }
  console.log(`\n${stats.cases} schemas, ${stats.tables} tables, ${stats.statements} statements in ${((Date.now() - started) / 1000).toFixed(0)}s; excused by an error diagnostic: ${stats.excused}`);
  for (const k of KNOWN_SERVER_REJECTIONS) console.log(`  KNOWN-REJECTION ${k.errno} x${stats.known.get(k.why) ?? 0}: ${k.why}`);
  for (const f of failures) console.log(`UNEXPLAINED ${f}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

const argv = process.argv.slice(2);
if (argv.includes('--server')) {
  const at = argv.indexOf('--schemas');
  await serverMain(at >= 0 ? Number(argv[at + 1]) : 10_000);
} else await main();
