// Property-based tests of the whole compiler: generated PostgreSQL schemas (pg2tidb/testing)
// are printed, translated and judged by the PostgreSQL parser, the IR, and TiDB's parser.
//
// Runs per property: PG2TIDB_PROPERTY_RUNS (default 1000). Seed: PG2TIDB_PROPERTY_SEED, else
// derived from the commit (test/helpers/property-seed.ts, printed so a failure can be replayed). A failing case is shrunk and
// written to fixtures/prop-<hash>/input.sql (only when a property fails).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadModule, parseSync } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import { lowerToTidb, resolveOptions, translate, type TranslateResult } from '../src/index.js';
import {
  checkCase,
  conservationProblems,
  adoptImplicitNames,
  diffNormal,
  joinStatements,
  lexMysql,
  normaliseModel,
  normaliseSchema,
  pgCase,
  printStatements,
  runProperties,
  saveCounterexample,
  spanProblems,
  type PgCase,
} from '../src/testing/index.js';
import { tidbCheck, tidbParserBinary, type TidbBatchResult } from './helpers/tidb-parser.js';
import { propertySeed, seedLine } from './helpers/property-seed.js';

const RUNS = Number(process.env.PG2TIDB_PROPERTY_RUNS ?? 1000);
const SEED_FROM = propertySeed();
const SEED = SEED_FROM.seed;
console.log(seedLine('properties', SEED_FROM));
const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(here, '../fixtures');
const CORPUS = resolve(here, '../../shared/corpus/pg');

/** Translations by input text: properties with the same seed see the same cases, so each is translated once. */
const cache = new Map<string, Promise<TranslateResult>>();
function translated(sql: string): Promise<TranslateResult> {
  let r = cache.get(sql);
  if (!r) {
    r = translate({ path: 'input.sql', text: sql });
    cache.set(sql, r);
  }
  return r;
}

const cases = pgCase();

/** fc.assert, but a failure saves the shrunk counterexample as a fixture and names it in the error. */
async function assertProperty(name: string, property: fc.IAsyncProperty<[PgCase]> | fc.IAsyncPropertyWithHooks<[PgCase]>, numRuns = RUNS): Promise<void> {
  const details = await fc.check(property, { numRuns, seed: SEED });
  if (!details.failed) return;
  const c = details.counterexample?.[0];
  const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const fixture = c ? saveCounterexample(c.sql, { dir: FIXTURES, note: `property: ${name}\nseed: ${details.seed}\n\n${message}` }) : '(no counterexample)';
  throw new Error(`property "${name}" failed after ${details.numRuns} runs (seed ${details.seed}); shrunk case saved to ${fixture}\n${message}\n--- input.sql ---\n${c?.sql ?? ''}`);
}

beforeAll(async () => {
  await loadModule();
  tidbParserBinary();
}, 600_000);

describe('properties of translating generated schemas', () => {
  it('(1) round trip: printed DDL parses in PostgreSQL and reads back as the model', async () => {
    await assertProperty(
      'round-trip',
      fc.asyncProperty(cases, async (c) => {
        parseSync(c.sql); // throws on anything PostgreSQL's parser rejects
        const result = await translated(c.sql);
        const syntax = result.diagnostics.filter((d) => d.id === 'syntax-error' || d.id === 'input-error' || d.id === 'unsupported-syntax');
        if (syntax.length > 0) throw new Error(`frontend: ${syntax[0]!.message}`);
        const expected = normaliseModel(c.model);
        const diff = diffNormal(expected, adoptImplicitNames(expected, normaliseSchema(result.schema)));
        if (diff) throw new Error(diff);
      }),
    );
  });

  it('(2)+(6) TiDB accepts every statement, with no semantic violation, and no quoting is broken', async () => {
    // One oracle process for all cases (batched); on failure, fc.check replays the same
    // sequence (same seed) against the oracle case by case, so that the case is shrunk.
    const sample = fc.sample(cases, { numRuns: RUNS, seed: SEED });
    const results = await Promise.all(sample.map((c) => translated(c.sql)));
    const verdicts = await tidbCheck(results.map((r, i) => ({ id: String(i), sql: r.sql })));
    const problem = (r: TranslateResult, b: TidbBatchResult | undefined) => tidbProblems(r, b);
    const failing = results.findIndex((r, i) => problem(r, verdicts.get(String(i))) !== undefined);
    let statements = 0;
    for (const r of results) statements += r.statements.length;
    expect(statements).toBeGreaterThanOrEqual(Math.min(1000, RUNS));
    if (failing < 0) return;
    await assertProperty(
      'tidb-accepts',
      fc.asyncProperty(cases, async (c) => {
        const r = await translated(c.sql);
        const b = (await tidbCheck([{ id: 'x', sql: r.sql }])).get('x');
        const p = problem(r, b);
        if (p) throw new Error(p);
      }),
      failing + 1,
    );
  }, 600_000);

  it('(3) conservation: every table, column, index and constraint is emitted or named by a diagnostic', async () => {
    await assertProperty(
      'conservation',
      fc.asyncProperty(cases, async (c) => {
        const p = conservationProblems(c.model, await translated(c.sql));
        if (p.length > 0) throw new Error(p.join('\n'));
      }),
    );
  });

  it('(4) determinism: same input, same bytes; reordering CREATE INDEX or COMMENT statements changes nothing', async () => {
    await assertProperty(
      'determinism',
      fc.asyncProperty(cases, fc.nat(), async (c, shuffleSeed) => {
        const first = await translated(c.sql);
        const again = await translate({ path: 'input.sql', text: c.sql });
        if (again.sql !== first.sql) throw new Error('two translations of the same input differ');
        const stmts = printStatements(c.model, { style: c.style, variant: c.variant });
        // CREATE INDEX and COMMENT statements may come in any order (fixtures/prop-index-order pins it),
        // except unnamed indexes: PostgreSQL names them in statement order (t_a_idx, then t_a_idx1), so
        // reordering them renames them there as here.
        const kinds = c.model.indexes.some((i) => i.name === undefined) ? ['comment' as const] : ['index' as const, 'comment' as const];
        const reordered = shuffleKinds(stmts, shuffleSeed, kinds);
        if (reordered.every((s, i) => s === stmts[i])) return;
        const sql = joinStatements(reordered, c.style);
        const other = await translate({ path: 'input.sql', text: sql });
        if (other.sql !== first.sql) throw new Error(`reordering index/comment statements changes the output:\n${firstLineDiff(first.sql, other.sql)}`);
      }) as unknown as fc.IAsyncProperty<[PgCase]>,
    );
  });

  it('(5) idempotence: the transform is pure and the IR survives a JSON round trip', async () => {
    await assertProperty(
      'idempotence',
      fc.asyncProperty(cases, async (c) => {
        const result = await translated(c.sql);
        const before = JSON.stringify(result.schema);
        const options = resolveOptions({});
        const a = lowerToTidb(result.schema, options);
        const b = lowerToTidb(JSON.parse(before), options);
        if (JSON.stringify(result.schema) !== before) throw new Error('lowerToTidb mutated its input');
        if (JSON.stringify(a.tidb) !== JSON.stringify(result.tidb)) throw new Error('lowering the same schema twice gives different TiDB schemas');
        if (JSON.stringify(b.tidb) !== JSON.stringify(a.tidb)) throw new Error('lowering the JSON copy of the schema gives a different TiDB schema');
      }),
    );
  });

  it('runProperties: the public harness runs the built-in properties and a custom predicate', async () => {
    const report = await runProperties({
      numRuns: 20,
      seed: SEED,
      translateOptions: { uuid: 'binary16', collation: 'utf8mb4_0900_bin' },
      predicate: ({ result }) => result.tidb.tables.every((t) => t.columns.every((c) => c.type.base !== 'CHAR' || c.type.length !== 36)) || 'uuid=binary16 left a CHAR(36)',
    });
    expect(report.failure?.message).toBeUndefined();
    expect(report.ok).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// Robustness: arbitrary and mutated input never throws; spans stay inside the input.

function corpusStatements(): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(CORPUS).filter((f) => f.endsWith('.sql'));
  } catch {
    return ['CREATE TABLE t (id serial PRIMARY KEY, name text NOT NULL DEFAULT \'x\');', "COMMENT ON TABLE t IS 'c';"];
  }
  const out: string[] = [];
  for (const f of files.sort()) {
    const text = readFileSync(join(CORPUS, f), 'utf8');
    for (const s of text.split(/;\s*\n/)) if (s.trim() && s.length < 4000) out.push(`${s};\n`);
  }
  return out;
}

const STATEMENTS = corpusStatements();
const TOKENS = ['(', ')', ',', ';', "'", '"', '$$', '--', '/*', '*/', 'NULL', 'DEFAULT', 'PRIMARY KEY', 'REFERENCES', 'CREATE', 'TABLE', 'INDEX', 'int', 'text[]', '::', '\\', '\n', 'ALTER TABLE', 'ONLY', 'CHECK', 'E\'\\', '\0', '\uFFFD', '😀'];

const corpusWindow = fc.tuple(fc.nat(Math.max(0, STATEMENTS.length - 1)), fc.integer({ min: 1, max: 4 })).map(([i, n]) => STATEMENTS.slice(i, i + n).join(''));
const mutated = fc.tuple(corpusWindow, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...TOKENS), fc.nat(40)), { minLength: 1, maxLength: 4 })).map(([text, edits]) => {
  let s = text;
  for (const [at, op, tok, len] of edits) {
    // Edits at token boundaries (whitespace or punctuation) where possible.
    const spaces = [...s.matchAll(/[\s(),;]/g)].map((m) => m.index!);
    const pos = spaces.length > 0 ? spaces[at % spaces.length]! : at % (s.length + 1);
    if (op === 0) s = s.slice(0, pos) + tok + s.slice(pos);
    else if (op === 1) s = s.slice(0, pos) + s.slice(pos + len);
    else if (op === 2) s = s.slice(0, pos) + ' ' + tok + ' ' + s.slice(pos + 1);
    else s = s.slice(0, pos) + s.slice(pos, pos + len) + s.slice(pos, pos + len) + s.slice(pos + len);
  }
  return s;
});
const truncated = fc.tuple(corpusWindow, fc.nat()).map(([text, n]) => text.slice(0, n % (text.length + 1)));
const arbitraryText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((a) => a.join(' ')));

async function neverThrows(text: string): Promise<void> {
  let result: TranslateResult;
  try {
    result = await translate({ path: 'input.sql', text });
  } catch (err) {
    throw new Error(`translate threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
  const spans = spanProblems(result);
  if (spans.length > 0) throw new Error(spans.join('\n'));
}

async function assertRobust(name: string, arb: fc.Arbitrary<string>): Promise<void> {
  const details = await fc.check(fc.asyncProperty(arb, neverThrows), { numRuns: RUNS, seed: SEED });
  if (!details.failed) return;
  const text = details.counterexample?.[0] ?? '';
  const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const fixture = saveCounterexample(text, { dir: FIXTURES, note: `property: ${name}\nseed: ${details.seed}\n\n${message}` });
  throw new Error(`robustness "${name}" failed (seed ${details.seed}); saved to ${fixture}\n${message}\n--- input ---\n${JSON.stringify(text)}`);
}

describe('robustness', () => {
  it('arbitrary strings never throw out of translate', () => assertRobust('arbitrary-text', arbitraryText));
  it('truncated corpus statements never throw', () => assertRobust('truncated-corpus', truncated));
  it('token-level mutations of corpus statements never throw', () => assertRobust('mutated-corpus', mutated));
});

// ---------------------------------------------------------------------------------------
// Helpers

/** TiDB's identifier rules that its parser does not check (tidb.md §3.1): 1..64 characters, no trailing space. */
function identifierProblems(r: TranslateResult): string[] {
  const out: string[] = [];
  const check = (what: string, name: string) => {
    if (name.length === 0) out.push(`${what}: empty name`);
    else if ([...name].length > 64) out.push(`${what} ${JSON.stringify(name)}: longer than 64 characters`);
    else if (name.endsWith(' ')) out.push(`${what} ${JSON.stringify(name)}: ends with a space (TiDB: Incorrect name)`);
  };
  for (const db of r.tidb.databases) check('database', db.name);
  for (const t of r.tidb.tables) {
    check('table', t.name.name);
    for (const c of t.columns) check(`column of ${t.name.name}`, c.name);
    for (const i of t.indexes) {
      check(`index of ${t.name.name}`, i.name);
      // TiDB names each expression part's hidden column `_V$_<index>_<position>` (TIDB_LIMITS, measured).
      i.parts.forEach((p, n) => {
        if ('expr' in p && [...`_V$_${i.name}_${n}`].length > 64) out.push(`index ${JSON.stringify(i.name)} of ${t.name.name}: its hidden column _V$_${i.name}_${n} is longer than 64 characters`);
      });
    }
    for (const f of t.foreignKeys) check(`foreign key of ${t.name.name}`, f.name);
    for (const c of t.checks) if (c.name !== undefined) check(`check of ${t.name.name}`, c.name);
  }
  return out;
}

function tidbProblems(r: TranslateResult, b: TidbBatchResult | undefined): string | undefined {
  if (!b) return 'no oracle result';
  const bad = b.statements.find((s) => !s.ok);
  if (bad) return `TiDB rejects statement ${bad.index}: ${bad.error}\n${bad.text.slice(0, 2000)}`;
  // A violation the compiler reported as an error (e.g. a primary key over 3072 bytes) is not silent.
  const errors = new Set(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.id as string));
  const silent = b.violations.filter((v) => !errors.has(v.rule));
  if (silent.length > 0) return `TiDB semantic violation: ${silent.map((v) => `${v.rule}: ${v.message}`).join('; ')}`;
  if (b.statements.length !== r.statements.length) return `quoting: emitted ${r.statements.length} statements, TiDB sees ${b.statements.length}`;
  for (const [i, s] of b.statements.entries()) {
    const mine = lexMysql(r.statements[i]!.sql, true);
    const theirs = lexMysql(s.restored ?? '', false);
    const d = diffNormal([...mine.identifiers].sort(), [...theirs.identifiers].sort()) ?? diffNormal([...mine.strings].sort(), [...theirs.strings].sort());
    if (d) return `quoting: statement ${i} restored by TiDB differs in identifiers or strings: ${d}`;
  }
  const ids = identifierProblems(r);
  if (ids.length > 0) return `TiDB identifier rule: ${ids[0]}`;
  return undefined;
}

/** Shuffles the statements of the given kinds among the positions those kinds occupy. */
function shuffleKinds<T extends { kind: string }>(stmts: readonly T[], seed: number, kinds: readonly string[]): T[] {
  const out = [...stmts];
  let x = seed || 1;
  const rnd = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
  for (const kind of kinds) {
    const positions = out.flatMap((s, i) => (s.kind === kind ? [i] : []));
    const items = positions.map((i) => out[i]!);
    for (let i = items.length - 1; i > 0; i--) {
      const j = rnd() % (i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    positions.forEach((p, n) => (out[p] = items[n]!));
  }
  return out;
}

function firstLineDiff(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return `line ${i + 1}:\n- ${x[i]}\n+ ${y[i]}`;
  return '(same lines)';
}

void checkCase;
