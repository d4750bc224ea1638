import { subjectText } from '../diagnostics/subject.js';
/**
 * pg2tidb/testing: property-based testing of PostgreSQL -> TiDB translation.
 *
 * - `pgModel()` and friends: fast-check arbitraries for PostgreSQL schemas (a small model);
 * - `printModel()`: the model as PostgreSQL DDL (pg_dump style or hand-written style);
 * - `normaliseModel()` / `normaliseSchema()`: a comparable form of the model and of the IR;
 * - `conservationProblems()`: input objects neither in the output nor named by a diagnostic;
 * - `runProperties()`: runs the built-in properties, and your own predicate, with the same harness.
 *
 * fast-check is a dependency of this entry only; the compiler itself never imports it.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Schema } from '../ir/schema.js';
import type { TidbSchema } from '../ir/tidb.js';
import type { ColumnType } from '../ir/types.js';
import type { TranslateOptions } from '../transform/options.js';
import { translate, type TranslateResult } from '../translate.js';
import { pgModel, type ModelConstraints, type ModelType, type PgModel } from './arbitraries.js';
import { printModel, type PrintStyle } from './printer.js';

export * from './arbitraries.js';
export * from './printer.js';
export { fc };

// ---------------------------------------------------------------------------------------
// Cases: a model and its printed script

export interface PgCase {
  readonly model: PgModel;
  readonly style: PrintStyle;
  readonly variant: number;
  readonly sql: string;
}

/** A model printed in a random style. */
export function pgCase(constraints: Partial<ModelConstraints> = {}, style?: PrintStyle): fc.Arbitrary<PgCase> {
  return fc
    .record({ model: pgModel(constraints), style: style ? fc.constant(style) : fc.constantFrom<PrintStyle>('pg_dump', 'hand'), variant: fc.nat(59) })
    .map(({ model, style: s, variant }) => ({ model, style: s, variant, sql: printModel(model, { style: s, variant }) }));
}

// ---------------------------------------------------------------------------------------
// Normal form: what the round trip compares

export interface NormalColumn {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly identity?: string;
}

export interface NormalTable {
  readonly name: string;
  readonly columns: readonly NormalColumn[];
  readonly primaryKey?: string;
  readonly uniques: readonly string[];
  readonly foreignKeys: readonly string[];
  readonly checks: readonly string[];
  readonly indexes: readonly string[];
  readonly comment?: string;
  readonly columnComments: readonly string[];
}

export interface NormalSchema {
  readonly tables: readonly NormalTable[];
  readonly enums: readonly string[];
  readonly domains: readonly string[];
}

const q = (schema: string | undefined, name: string) => `${schema ?? 'public'}.${name}`;
const list = (xs: readonly string[]) => `(${xs.map((x) => JSON.stringify(x)).join(',')})`;

/** PostgreSQL's implied lengths: `char` and `bit` mean length 1. */
function impliedParams(name: string, params: readonly number[]): readonly number[] {
  if ((name === 'character' || name === 'bit') && params.length === 0) return [1];
  return params;
}

function modelType(t: ModelType): string {
  switch (t.kind) {
    case 'scalar':
      return `${t.name}${list(impliedParams(t.name, t.params).map(String))}`;
    case 'enum':
    case 'domain':
      return `user:${q(t.ref.schema, t.ref.name)}`;
    case 'array':
      return (t.element.kind === 'scalar' ? modelType(t.element) : `user:${q(t.element.ref.schema, t.element.ref.name)}`) + '[]'.repeat(t.dims);
  }
}

function irType(t: ColumnType): string {
  switch (t.kind) {
    case 'scalar':
      return `${t.name}${list(impliedParams(t.name, t.params).map(String))}`;
    case 'user':
      return `user:${q(t.name.schema, t.name.name)}`;
    case 'array':
      return irType(t.element) + '[]'.repeat(t.dims);
    case 'unsupported':
      return `unsupported:${t.raw}`;
  }
}

const sorted = (xs: string[]) => [...xs].sort();

export function normaliseModel(model: PgModel): NormalSchema {
  return {
    enums: sorted(model.enums.map((e) => `${q(e.name.schema, e.name.name)}${list(e.values)}`)),
    domains: sorted(model.domains.map((d) => `${q(d.name.schema, d.name.name)}:${modelType(d.base)}`)),
    tables: model.tables.map((t) => {
      const pk = new Set(t.primaryKey?.columns ?? []);
      return {
        name: q(t.name.schema, t.name.name),
        columns: t.columns.map((c) => ({
          name: c.name,
          type: modelType(c.type),
          notNull: c.notNull || pk.has(c.name) || c.identity !== undefined,
          hasDefault: c.default !== undefined,
          ...(c.identity ? { identity: c.identity.kind } : {}),
        })),
        ...(t.primaryKey ? { primaryKey: `${t.primaryKey.name ?? ''}${list(t.primaryKey.columns)}` } : {}),
        uniques: sorted(t.uniques.map((u) => `${u.name ?? ''}${list(u.columns)}`)),
        foreignKeys: sorted(t.foreignKeys.map((f) => `${f.name ?? ''}${list(f.columns)}->${q(f.refTable.schema, f.refTable.name)}${list(f.refColumns)} ${f.onDelete}/${f.onUpdate}`)),
        checks: sorted(t.checks.map((c) => c.name ?? '')),
        indexes: sorted(
          model.indexes
            .filter((i) => i.table === t.name)
            .map((i) => `${i.name ?? ''}|${i.unique}|${i.method}|${i.keys.map((k) => ('lower' in k ? `lower(${k.lower})` : `${k.column}${k.desc ? ' desc' : ''}`)).join(',')}|${i.where ? 'partial' : ''}|${i.comment ?? ''}`),
        ),
        ...(t.comment !== undefined && t.comment !== '' ? { comment: t.comment } : {}),
        columnComments: t.columns.flatMap((c) => (c.comment !== undefined && c.comment !== '' ? [`${c.name}=${c.comment}`] : [])),
      };
    }),
  };
}

export function normaliseSchema(schema: Schema): NormalSchema {
  const tables = new Map(schema.tables.map((t) => [q(t.name.schema, t.name.name), t]));
  return {
    enums: sorted(schema.enums.map((e) => `${q(e.name.schema, e.name.name)}${list(e.values)}`)),
    domains: sorted(schema.domains.map((d) => `${q(d.name.schema, d.name.name)}:${irType(d.type)}`)),
    tables: schema.tables.map((t) => {
      const pk = new Set(t.primaryKey?.columns ?? []);
      return {
        name: q(t.name.schema, t.name.name),
        columns: t.columns.map((c) => ({
          name: c.name,
          type: irType(c.type),
          notNull: c.notNull || pk.has(c.name) || c.identity !== undefined,
          hasDefault: c.default !== undefined && c.identity === undefined,
          ...(c.identity ? { identity: c.identity.kind } : {}),
        })),
        ...(t.primaryKey ? { primaryKey: `${t.primaryKey.name ?? ''}${list(t.primaryKey.columns)}` } : {}),
        uniques: sorted(t.uniques.map((u) => `${u.name ?? ''}${list(u.columns)}`)),
        foreignKeys: sorted(
          t.foreignKeys.map((f) => {
            const ref = f.refColumns.length > 0 ? f.refColumns : tables.get(q(f.refTable.schema, f.refTable.name))?.primaryKey?.columns ?? [];
            return `${f.name ?? ''}${list(f.columns)}->${q(f.refTable.schema, f.refTable.name)}${list(ref)} ${f.onDelete}/${f.onUpdate}`;
          }),
        ),
        checks: sorted(t.checks.map((c) => c.name ?? '')),
        indexes: sorted(
          t.indexes.map((i) => {
            const keys = i.keys.map((k) => {
              if (k.column !== undefined) return `${k.column}${k.desc ? ' desc' : ''}`;
              const e = k.expr;
              if (e && e.k === 'func' && e.name.toLowerCase() === 'lower' && e.args.length === 1 && e.args[0]!.k === 'column') return `lower(${e.args[0]!.name})`;
              return `expr:${JSON.stringify(e)}`;
            });
            return `${i.name ?? ''}|${i.unique}|${i.method}|${keys.join(',')}|${i.where ? 'partial' : ''}|${i.comment ?? ''}`;
          }),
        ),
        ...(t.comment !== undefined && t.comment !== '' ? { comment: t.comment } : {}),
        columnComments: t.columns.flatMap((c) => (c.comment !== undefined && c.comment !== '' ? [`${c.name}=${c.comment}`] : [])),
      };
    }),
  };
}

/**
 * The model leaves some keys, checks and indexes unnamed; the frontend names them as PostgreSQL does
 * (`t_pkey`, `t_a_check`, ...). Where the model has no name, the actual object with the same shape
 * counts as that unnamed object, so the round trip compares names only where the model gives one.
 */
export function adoptImplicitNames(expected: NormalSchema, actual: NormalSchema): NormalSchema {
  const byName = new Map(expected.tables.map((t) => [t.name, t]));
  // An unnamed entry is its shape alone; a named one is the name followed by the same shape.
  const adopt = (want: readonly string[], got: readonly string[], unnamed: (x: string) => boolean): string[] => {
    const out = [...got];
    const adopted = new Set<number>();
    for (const w of want) {
      if (!unnamed(w)) continue;
      const i = out.findIndex((g, n) => !adopted.has(n) && g.endsWith(w) && (g === w || !want.includes(g)));
      if (i < 0) continue;
      out[i] = w;
      adopted.add(i);
    }
    return sorted(out);
  };
  const paren = (x: string) => x.startsWith('(');
  const bar = (x: string) => x.startsWith('|');
  const whole = (x: string) => x === '';
  return {
    ...actual,
    tables: actual.tables.map((t) => {
      const e = byName.get(t.name);
      if (!e) return t;
      const pk = e.primaryKey !== undefined && t.primaryKey !== undefined ? adopt([e.primaryKey], [t.primaryKey], paren)[0] : t.primaryKey;
      return {
        ...t,
        ...(pk !== undefined ? { primaryKey: pk } : {}),
        uniques: adopt(e.uniques, t.uniques, paren),
        foreignKeys: adopt(e.foreignKeys, t.foreignKeys, paren),
        checks: adopt(e.checks, t.checks, whole),
        indexes: adopt(e.indexes, t.indexes, bar),
      };
    }),
  };
}

/** The first difference between two normal forms, as a path and both values; undefined when equal. */
export function diffNormal(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null || Array.isArray(expected) !== Array.isArray(actual)) {
    return `${path || '<root>'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length !== actual.length) {
    return `${path}: expected ${expected.length} items ${JSON.stringify(expected)}, got ${actual.length} ${JSON.stringify(actual)}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const k of keys) {
    const d = diffNormal((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Conservation

function named(diagnostics: readonly Diagnostic[], ...words: string[]): boolean {
  return diagnostics.some((d) => words.every((w) => subjectText(d.subject).includes(w) || d.message.includes(w)));
}

/**
 * Every model table, column, index and constraint is in the TiDB output, or a diagnostic
 * names it (in its subject or message). Returns what is missing.
 */
export function conservationProblems(model: PgModel, result: Pick<TranslateResult, 'tidb' | 'diagnostics'> & { readonly report?: Pick<TranslateResult['report'], 'renames'> }): string[] {
  const problems: string[] = [];
  const diags = result.diagnostics;
  const tidb: TidbSchema = result.tidb;
  for (const t of model.tables) {
    const display = `${t.name.schema}.${t.name.name}`;
    const out = tidb.tables.find((x) => x.source === display);
    if (!out) {
      if (!named(diags, t.name.name)) problems.push(`table ${display} is neither emitted nor named by a diagnostic`);
      continue;
    }
    for (const c of t.columns) {
      if (!out.columns.some((x) => x.origin.column === c.name) && !named(diags, display, c.name)) problems.push(`column ${display}.${c.name} is lost silently`);
    }
    // Columns TiDB forced a new name on (a trailing space) are compared under it.
    const renamed = (c: string) => result.report?.renames.find((r) => r.kind === 'column' && r.table === out.name.name && r.database === out.name.database && r.from === c)?.to ?? c;
    const indexCols = (source: readonly string[], cols = source.map(renamed)) =>
      out.indexes.some((i) => i.parts.length === cols.length && i.parts.every((p, n) => ('column' in p ? p.column === cols[n] : p.expr.includes(`\`${cols[n]!.replace(/`/g, '``')}\``))));
    if (t.primaryKey) {
      const ok = out.primaryKey?.columns.join('\0') === t.primaryKey.columns.map(renamed).join('\0');
      if (!ok && !named(diags, display, 'primary key')) problems.push(`primary key of ${display} is lost silently`);
    }
    for (const u of t.uniques) {
      const ok = u.name !== undefined ? out.indexes.some((i) => i.name.startsWith([...u.name!].slice(0, 50).join(''))) : indexCols(u.columns);
      if (!ok && !named(diags, display, u.name ?? '')) problems.push(`unique constraint ${u.name ?? list(u.columns)} of ${display} is lost silently`);
    }
    const fks = [...out.foreignKeys, ...tidb.deferredForeignKeys.filter((d) => d.table.name === out.name.name && d.table.database === out.name.database).map((d) => d.foreignKey)];
    for (const f of t.foreignKeys) {
      const ok = fks.some((x) => x.columns.join('\0') === f.columns.map(renamed).join('\0'));
      if (!ok && !named(diags, display, 'foreign key', f.name ?? '')) problems.push(`foreign key ${f.name ?? list(f.columns)} of ${display} is lost silently`);
    }
    for (const c of t.checks) {
      const ok = c.name !== undefined ? out.checks.some((x) => x.name !== undefined && x.name.startsWith([...c.name!].slice(0, 50).join(''))) : out.checks.length >= t.checks.filter((x) => x.name === undefined).length;
      if (!ok && !named(diags, display, 'CHECK')) problems.push(`check ${c.name ?? c.sql} of ${display} is lost silently`);
    }
    for (const i of model.indexes.filter((x) => x.table === t.name)) {
      const cols = i.keys.map((k) => ('lower' in k ? k.lower : k.column));
      const ok = i.name !== undefined ? out.indexes.some((x) => x.name.startsWith([...i.name!].slice(0, 50).join(''))) : indexCols(cols) || out.indexes.length > 0;
      if (!ok && !named(diags, display, i.name ?? '')) problems.push(`index ${i.name ?? list(cols)} on ${display} is lost silently`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// Spans

/** Diagnostics whose span lies outside its file's text. */
export function spanProblems(result: Pick<TranslateResult, 'diagnostics' | 'files'>): string[] {
  const out: string[] = [];
  for (const d of result.diagnostics) {
    if (!d.span) continue;
    const f = result.files.find((x) => x.path === d.span!.file);
    if (!f) {
      out.push(`${d.code} span names unknown file ${d.span.file}`);
      continue;
    }
    if (!(d.span.offset >= 0 && d.span.offset <= f.text.length && d.span.length >= 0 && d.span.offset + d.span.length <= f.text.length)) {
      out.push(`${d.code} span ${d.span.offset}+${d.span.length} outside 0..${f.text.length}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Quoting: a MySQL lexer for identifiers and strings

export interface SqlLexemes {
  readonly identifiers: string[];
  readonly strings: string[];
  /** Top-level `;` count (statement terminators outside quotes and comments). */
  readonly semicolons: number;
}

/**
 * Extracts backquoted identifiers and single-quoted strings from MySQL text. `escapes`:
 * backslash escapes are decoded (TiDB's default sql_mode); off for TiDB's restored text.
 */
export function lexMysql(sql: string, escapes = true): SqlLexemes {
  const identifiers: string[] = [];
  const strings: string[] = [];
  let semicolons = 0;
  const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', Z: '\x1a', b: '\b' };
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if (c === '`') {
      let s = '';
      i++;
      for (;;) {
        if (i >= sql.length) break;
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            s += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += sql[i++];
      }
      identifiers.push(s);
    } else if (c === "'") {
      const start = i;
      let s = '';
      i++;
      for (;;) {
        if (i >= sql.length) break;
        const d = sql[i]!;
        if (escapes && d === '\\' && i + 1 < sql.length) {
          const e = sql[i + 1]!;
          s += esc[e] ?? e;
          i += 2;
          continue;
        }
        if (d === "'") {
          if (sql[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += d;
        i++;
      }
      // x'..' and b'..' are hex and bit literals (TiDB restores 0x.. as x'..'), not strings.
      const prefix = start > 0 ? sql[start - 1]! : '';
      const literal = /[xXbB]/.test(prefix) && !(start > 1 && /[\w$]/.test(sql[start - 2]!));
      if (!literal) strings.push(s);
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*' && sql[i + 2] !== '!' && sql[i + 2] !== 'T') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (c === ';') semicolons++;
      i++;
    }
  }
  return { identifiers, strings, semicolons };
}

// ---------------------------------------------------------------------------------------
// Counterexamples

/** Writes a failing input as `<dir>/prop-<short-hash>/input.sql` (once) and returns the folder. */
export function saveCounterexample(sql: string, options: { dir?: string; name?: string; note?: string } = {}): string {
  const hash = createHash('sha256').update(sql).digest('hex').slice(0, 8);
  const folder = join(options.dir ?? 'fixtures', `prop-${options.name ?? hash}`);
  if (!existsSync(join(folder, 'input.sql'))) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'input.sql'), sql);
    if (options.note) writeFileSync(join(folder, 'NOTE.md'), `${options.note}\n`);
  }
  return folder;
}

// ---------------------------------------------------------------------------------------
// The harness

export type BuiltinProperty = 'round-trip' | 'conservation' | 'determinism' | 'spans';

export interface PropertyContext {
  readonly case: PgCase;
  readonly result: TranslateResult;
  readonly options: Partial<TranslateOptions>;
}

export interface PropertyRunOptions {
  /** Runs per property run (default 100). */
  readonly numRuns?: number;
  readonly seed?: number;
  /** Generator knobs (table count, column types, identifier arbitrary, ...). */
  readonly model?: Partial<ModelConstraints>;
  readonly style?: PrintStyle;
  /** Translate options: fixed, or an arbitrary of options to vary them too. */
  readonly translateOptions?: Partial<TranslateOptions> | fc.Arbitrary<Partial<TranslateOptions>>;
  /** Built-in properties to check (default: all). */
  readonly properties?: readonly BuiltinProperty[];
  /** Your convention: return false or a message (string) to fail the case; throw to fail too. */
  readonly predicate?: (ctx: PropertyContext) => boolean | string | void | Promise<boolean | string | void>;
  /** Save the shrunk counterexample as a fixture folder under this directory (e.g. 'fixtures'). */
  readonly saveTo?: string;
}

export interface PropertyRunReport {
  readonly ok: boolean;
  readonly numRuns: number;
  readonly seed: number;
  /** The shrunk failing case, its message and (with saveTo) where it was written. */
  readonly failure?: { readonly sql: string; readonly message: string; readonly fixture?: string; readonly case: PgCase };
}

/** Checks the built-in properties on one case; returns the first problem. */
export async function checkCase(c: PgCase, options: Partial<TranslateOptions>, properties: readonly BuiltinProperty[], predicate?: PropertyRunOptions['predicate']): Promise<string | undefined> {
  const input = { path: 'input.sql', text: c.sql };
  const result = await translate(input, options);
  if (properties.includes('round-trip')) {
    const expected = normaliseModel(c.model);
    const d = diffNormal(expected, adoptImplicitNames(expected, normaliseSchema(result.schema)));
    if (d) return `round trip: ${d}`;
    const syntax = result.diagnostics.filter((x) => x.id === 'syntax-error' || x.id === 'input-error');
    if (syntax.length > 0) return `round trip: ${syntax[0]!.message}`;
  }
  if (properties.includes('conservation')) {
    const p = conservationProblems(c.model, result);
    if (p.length > 0) return `conservation: ${p[0]}`;
  }
  if (properties.includes('spans')) {
    const p = spanProblems(result);
    if (p.length > 0) return `spans: ${p[0]}`;
  }
  if (properties.includes('determinism')) {
    const again = await translate(input, options);
    if (again.sql !== result.sql) return 'determinism: two translations of the same input differ';
  }
  if (predicate) {
    const verdict = await predicate({ case: c, result, options });
    if (verdict === false) return 'predicate returned false';
    if (typeof verdict === 'string') return verdict;
  }
  return undefined;
}

/**
 * Property-tests the translation with generated schemas: the built-in properties plus your
 * predicate, e.g. `runProperties({ translateOptions: { uuid: 'binary16' }, predicate: ({ result }) =>
 * result.tidb.tables.every((t) => t.primaryKey !== undefined) || 'every table needs a primary key' })`.
 * Never throws for a failing property: the report carries the shrunk counterexample.
 */
export async function runProperties(options: PropertyRunOptions = {}): Promise<PropertyRunReport> {
  const properties = options.properties ?? ['round-trip', 'conservation', 'determinism', 'spans'];
  const opts = options.translateOptions;
  const optionsArb: fc.Arbitrary<Partial<TranslateOptions>> = opts && typeof (opts as fc.Arbitrary<unknown>).generate === 'function' ? (opts as fc.Arbitrary<Partial<TranslateOptions>>) : fc.constant((opts ?? {}) as Partial<TranslateOptions>);
  const numRuns = options.numRuns ?? 100;
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  let lastMessage = '';
  const property = fc.asyncProperty(pgCase(options.model, options.style), optionsArb, async (c, o) => {
    const problem = await checkCase(c, o, properties, options.predicate);
    lastMessage = problem ?? '';
    return problem === undefined;
  });
  const details = await fc.check(property, { numRuns, seed });
  if (!details.failed || !details.counterexample) return { ok: true, numRuns: details.numRuns, seed };
  const [c, o] = details.counterexample;
  const message = details.errorInstance ? String(details.errorInstance) : (await checkCase(c, o, properties, options.predicate)) ?? lastMessage;
  const fixture = options.saveTo ? saveCounterexample(c.sql, { dir: options.saveTo, note: message }) : undefined;
  return { ok: false, numRuns: details.numRuns, seed, failure: { sql: c.sql, message, case: c, ...(fixture ? { fixture } : {}) } };
}

/** `runProperties` bound to options: `const run = propertyRunner({...}); await run({ numRuns: 500 })`. */
export function propertyRunner(defaults: PropertyRunOptions): (more?: PropertyRunOptions) => Promise<PropertyRunReport> {
  return (more = {}) => runProperties({ ...defaults, ...more });
}
export * from './differential.js';
export * from './views.js';
export * from './lanes.js';
