/**
 * Type-mapping overrides: ordered rules, pgloader-style, as plain data. A rule matches columns by
 * PostgreSQL type, by `[schema.]table.column` glob and by usage (primary key, indexed, has a default),
 * and names the TiDB type, a default rewrite and diagnostic levels for the columns it matches.
 * The first rule that matches a column applies; the others are not consulted.
 */
import { CATALOGUE, type DiagnosticId } from '../diagnostics/catalogue.js';
import type { TidbBaseType, TidbDefault, TidbType } from '../ir/tidb.js';
import { canonicalPgType, PG_SERIAL_TYPES } from '../ir/pg-type-aliases.js';
import type { ColumnType, ScalarTypeName } from '../ir/types.js';
import { TIDB_LIMITS } from './limits.js';

/** What a diagnostic level setting can say about a diagnostic (`off` removes it). */
export type DiagnosticLevel = 'off' | 'info' | 'warning' | 'error';

export interface TypeOverrideMatch {
  /** PostgreSQL type, with or without modifiers: `text`, `varchar(255)`, `numeric`, `text[]`, an enum name. */
  readonly type?: string | readonly string[];
  /** `column`, `table.column` or `schema.table.column`; `*` and `?` are wildcards. */
  readonly column?: string | readonly string[];
  readonly primaryKey?: boolean;
  /** In a primary key, unique key, index or foreign key (either side). */
  readonly indexed?: boolean;
  readonly hasDefault?: boolean;
}

export interface TypeOverride {
  /** Shown in the report and by `explain`; default `overrides[<index>]`. */
  readonly name?: string;
  readonly match: TypeOverrideMatch;
  /** TiDB type, e.g. `VARCHAR(320)`, `BIGINT UNSIGNED`, `DATETIME(3)`. */
  readonly type?: string;
  /** New default (`CURRENT_TIMESTAMP(3)`, `0`, `'x'`, `(UUID())`), or null to drop it. */
  readonly default?: string | null;
  /** Diagnostic levels for the matched columns only. */
  readonly diagnostics?: Readonly<Record<string, DiagnosticLevel>>;
}

export class OverrideError extends Error {
  constructor(
    /** Path of the offending key, e.g. `overrides[1].type`. */
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// TiDB type strings

const TIDB_ALIASES: Record<string, TidbBaseType> = {
  INTEGER: 'INT', BOOL: 'BOOLEAN', DEC: 'DECIMAL', NUMERIC: 'DECIMAL', FIXED: 'DECIMAL', REAL: 'DOUBLE', 'DOUBLE PRECISION': 'DOUBLE',
  'CHARACTER VARYING': 'VARCHAR', CHARACTER: 'CHAR',
};
const TIDB_BASES: readonly TidbBaseType[] = [
  'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE', 'BOOLEAN', 'CHAR', 'VARCHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT',
  'BINARY', 'VARBINARY', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'JSON', 'DATE', 'TIME', 'DATETIME', 'TIMESTAMP', 'YEAR', 'BIT', 'ENUM', 'VECTOR',
];
const INTEGER_BASES = new Set<TidbBaseType>(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
const NUMERIC_BASES = new Set<TidbBaseType>([...INTEGER_BASES, 'DECIMAL', 'FLOAT', 'DOUBLE']);
const TEXT_BASES = new Set<TidbBaseType>(['CHAR', 'VARCHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM']);

const TYPE_SHAPE = 'a TiDB type such as "VARCHAR(320)", "BIGINT UNSIGNED", "DECIMAL(12,2)" or "DATETIME(3)"';

/** Parses a TiDB column type as written in DDL into the IR's TidbType. Throws an Error saying what is wrong. */
export function parseTidbType(text: string): TidbType {
  const src = text.trim();
  const m = /^([A-Za-z]+(?:\s+(?:PRECISION|VARYING))?)\s*(?:\((.*)\))?\s*(.*)$/s.exec(src);
  if (!m) throw new Error(`expected ${TYPE_SHAPE}, got "${text}"`);
  const word = m[1]!.toUpperCase().replace(/\s+/g, ' ');
  const base = (TIDB_ALIASES[word] ?? word) as TidbBaseType;
  if (!TIDB_BASES.includes(base)) throw new Error(`unknown TiDB type "${m[1]}" in "${text}"; expected one of ${TIDB_BASES.join(', ')}`);
  const argText = m[2];
  let rest = m[3]!.trim();
  const type: { -readonly [K in keyof TidbType]: TidbType[K] } = { base };
  const ints = (): number[] => {
    if (argText === undefined) return [];
    const parts = argText.split(',').map((s) => s.trim());
    if (parts.some((p) => !/^\d+$/.test(p))) throw new Error(`"${text}": type parameters must be non-negative integers`);
    return parts.map(Number);
  };
  const range = (what: string, n: number, lo: number, hi: number) => {
    if (n < lo || n > hi) throw new Error(`"${text}": ${what} must be from ${lo} to ${hi}, not ${n}`);
  };
  const maxArgs = (n: number, args: number[]) => {
    if (args.length > n) throw new Error(`"${text}": ${base} takes ${n === 0 ? 'no parameters' : `at most ${n} parameter${n > 1 ? 's' : ''}`}`);
  };
  if (base === 'ENUM') {
    if (argText === undefined) throw new Error(`"${text}": ENUM needs its members, e.g. ENUM('a','b')`);
    const values: string[] = [];
    const re = /\s*'((?:[^']|'')*)'\s*(,|$)/gy;
    let pos = 0;
    while (pos < argText.length) {
      re.lastIndex = pos;
      const v = re.exec(argText);
      if (!v) throw new Error(`"${text}": ENUM members must be quoted strings`);
      values.push(v[1]!.replace(/''/g, "'"));
      pos = re.lastIndex;
    }
    type.values = values;
  } else {
    const args = ints();
    switch (base) {
      case 'DECIMAL': {
        maxArgs(2, args);
        const [p = 10, s = 0] = args;
        range('DECIMAL precision', p, 1, 65);
        range('DECIMAL scale', s, 0, Math.min(30, p));
        type.precision = p;
        type.scale = s;
        break;
      }
      case 'CHAR':
      case 'BINARY':
        maxArgs(1, args);
        type.length = args[0] ?? 1;
        range(`${base} length`, type.length, 0, 255);
        break;
      case 'VARCHAR':
      case 'VARBINARY':
        maxArgs(1, args);
        if (args[0] === undefined) throw new Error(`"${text}": ${base} needs a length, e.g. ${base}(255)`);
        type.length = args[0];
        range(`${base} length`, type.length, 0, base === 'VARCHAR' ? TIDB_LIMITS.varcharChars : 65535);
        break;
      case 'BIT':
        maxArgs(1, args);
        type.length = args[0] ?? 1;
        range('BIT length', type.length, 1, TIDB_LIMITS.bitLength);
        break;
      case 'TIME':
      case 'DATETIME':
      case 'TIMESTAMP':
        maxArgs(1, args);
        if (args[0] !== undefined) {
          range('fractional seconds precision', args[0], 0, 6);
          type.fsp = args[0];
        }
        break;
      case 'VECTOR':
        maxArgs(1, args);
        if (args[0] !== undefined) {
          range('VECTOR dimensions', args[0], 1, TIDB_LIMITS.vectorDimensions);
          type.length = args[0];
        }
        break;
      default:
        if (args.length > 0 && INTEGER_BASES.has(base)) throw new Error(`"${text}": integer display widths are not supported (use BOOLEAN for TINYINT(1))`);
        maxArgs(0, args);
    }
  }
  while (rest) {
    let mm: RegExpExecArray | null;
    if ((mm = /^UNSIGNED\b\s*/i.exec(rest))) {
      if (!NUMERIC_BASES.has(base)) throw new Error(`"${text}": UNSIGNED applies to numeric types only`);
      type.unsigned = true;
    } else if ((mm = /^(?:CHARACTER\s+SET|CHARSET)\s+([A-Za-z0-9_]+)\s*/i.exec(rest))) {
      if (!TEXT_BASES.has(base)) throw new Error(`"${text}": CHARACTER SET applies to text types only`);
      type.charset = mm[1]!.toLowerCase();
    } else if ((mm = /^COLLATE\s+([A-Za-z0-9_]+)\s*/i.exec(rest))) {
      if (!TEXT_BASES.has(base)) throw new Error(`"${text}": COLLATE applies to text types only`);
      type.collation = mm[1]!.toLowerCase();
    } else {
      throw new Error(`"${text}": unexpected "${rest}" after the type; allowed: UNSIGNED, CHARACTER SET <cs>, COLLATE <collation>`);
    }
    rest = rest.slice(mm[0].length);
  }
  return type;
}

/** Parses a default rewrite: CURRENT_TIMESTAMP[(n)], NOW([n]), NULL, numbers, TRUE/FALSE, 'strings', or an expression. */
export function parseDefault(text: string): TidbDefault {
  const s = text.trim();
  if (s === '') throw new Error('a default must not be empty (use null to drop the default)');
  const ts = /^(?:CURRENT_TIMESTAMP|NOW|LOCALTIMESTAMP)\s*(?:\(\s*(\d)?\s*\))?$/i.exec(s);
  if (ts) {
    const fsp = ts[1] === undefined ? 0 : Number(ts[1]);
    if (fsp > 6) throw new Error(`"${text}": fractional seconds precision must be from 0 to 6`);
    return { kind: 'current-timestamp', fsp };
  }
  if (/^(NULL|TRUE|FALSE)$/i.test(s)) return { kind: 'literal', sql: s.toUpperCase() };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { kind: 'literal', sql: s };
  if (/^'(?:[^'\\]|''|\\.)*'$/s.test(s)) return { kind: 'literal', sql: s };
  if (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) return { kind: 'expression', sql: s.slice(1, -1).trim() };
  if (!balanced(s)) throw new Error(`"${text}": unbalanced parentheses or quotes`);
  return { kind: 'expression', sql: s };
}

function balanced(s: string): boolean {
  let depth = 0;
  let quote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === "'") quote = false;
    } else if (c === "'") quote = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quote;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL type patterns

/** Beyond the shared alias table (src/ir/pg-type-aliases.ts), an override may name a serial, or write `double`. */
const OVERRIDE_ALIASES: Readonly<Record<string, ScalarTypeName>> = { ...PG_SERIAL_TYPES, double: 'double precision' };

export interface PgTypePattern {
  /** Canonical scalar name, or a user type name (lower case, optionally schema-qualified). */
  readonly name: string;
  readonly scalar: boolean;
  /** Undefined: any modifiers. */
  readonly params?: readonly number[];
  readonly array: boolean;
  readonly text: string;
}

export function parsePgTypePattern(text: string): PgTypePattern {
  const m = /^\s*([A-Za-z_"][A-Za-z0-9_ ."]*?)\s*(?:\(\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\))?\s*((?:\[\s*\])*)\s*$/.exec(text);
  if (!m) throw new Error(`expected a PostgreSQL type such as "text", "varchar(255)", "numeric(12,2)" or "text[]", got "${text}"`);
  const raw = m[1]!.toLowerCase().replace(/\s+/g, ' ');
  const canonical = canonicalPgType(raw) ?? (Object.hasOwn(OVERRIDE_ALIASES, raw) ? OVERRIDE_ALIASES[raw] : undefined);
  return {
    name: canonical ?? raw.replace(/"/g, ''),
    scalar: canonical !== undefined,
    ...(m[2] !== undefined ? { params: m[2].split(',').map((p) => Number(p.trim())) } : {}),
    array: m[3] !== '',
    text,
  };
}

export function matchesPgType(p: PgTypePattern, type: ColumnType): boolean {
  if (p.array) {
    if (type.kind !== 'array') return false;
    return matchesPgType({ ...p, array: false }, type.element);
  }
  switch (type.kind) {
    case 'array':
      return false;
    case 'scalar':
      return p.scalar && p.name === type.name && (p.params === undefined || (p.params.length === type.params.length && p.params.every((v, i) => v === type.params[i])));
    case 'user': {
      if (p.scalar || p.params !== undefined) return false;
      const n = type.name.name.toLowerCase();
      return p.name === n || p.name === `${(type.name.schema ?? 'public').toLowerCase()}.${n}`;
    }
    case 'unsupported':
      return p.name === type.raw.toLowerCase().replace(/\(.*$/, '').trim();
  }
}

// ---------------------------------------------------------------------------------------------
// Column globs

export interface ColumnGlob {
  readonly schema?: RegExp;
  readonly table?: RegExp;
  readonly column: RegExp;
  readonly text: string;
}

function globRegex(part: string): RegExp {
  const body = part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function parseColumnGlob(text: string): ColumnGlob {
  const parts = text.split('.');
  if (parts.length > 3 || parts.some((p) => p.trim() === '')) {
    throw new Error(`expected "column", "table.column" or "schema.table.column" (with * and ? wildcards), got "${text}"`);
  }
  const [a, b, c] = parts.map((p) => globRegex(p.trim()));
  if (parts.length === 1) return { column: a!, text };
  if (parts.length === 2) return { table: a!, column: b!, text };
  return { schema: a!, table: b!, column: c!, text };
}

// ---------------------------------------------------------------------------------------------
// Rules

/** What a rule can see about a column. */
export interface ColumnFacts {
  /** PostgreSQL schema (`public` when the input named none). */
  readonly schema: string;
  /** The TiDB database it lands in. */
  readonly database: string;
  readonly table: string;
  readonly column: string;
  readonly type: ColumnType;
  readonly primaryKey: boolean;
  readonly indexed: boolean;
  readonly hasDefault: boolean;
}

export interface CompiledOverride {
  readonly index: number;
  /** The rule's name, or `overrides[<index>]`. */
  readonly label: string;
  readonly rule: TypeOverride;
  readonly types?: readonly PgTypePattern[];
  readonly columns?: readonly ColumnGlob[];
  readonly type?: TidbType;
  /** undefined: keep the default; null: drop it. */
  readonly default?: TidbDefault | null;
  readonly diagnostics?: Readonly<Record<string, DiagnosticLevel>>;
}

export const DIAGNOSTIC_LEVELS: readonly DiagnosticLevel[] = ['off', 'info', 'warning', 'error'];

/** Accepts a diagnostic id (`lossy-type`) or code (`PGT2001`); returns the id. */
export function diagnosticIdOf(key: string): DiagnosticId | undefined {
  if (key in CATALOGUE) return key as DiagnosticId;
  const byCode = Object.entries(CATALOGUE).find(([, e]) => e.code === key.toUpperCase());
  return byCode?.[0] as DiagnosticId | undefined;
}

/** Validates diagnostic levels; `at` names the key for errors. */
export function checkDiagnosticLevels(levels: unknown, at: string): Record<string, DiagnosticLevel> {
  if (typeof levels !== 'object' || levels === null || Array.isArray(levels)) throw new OverrideError(at, `expected an object of diagnostic id -> ${DIAGNOSTIC_LEVELS.join('|')}, e.g. {"lossy-type": "error"}`);
  const out: Record<string, DiagnosticLevel> = {};
  for (const [k, v] of Object.entries(levels)) {
    const id = diagnosticIdOf(k);
    if (!id) throw new OverrideError(`${at}.${k}`, `unknown diagnostic id; expected one of the ids in src/diagnostics/catalogue.ts (e.g. lossy-type, timestamptz) or a code like PGT2001`);
    if (id === 'input-error') throw new OverrideError(`${at}.${k}`, 'input-error cannot be changed: unreadable input always fails the run');
    if (!(DIAGNOSTIC_LEVELS as readonly unknown[]).includes(v)) throw new OverrideError(`${at}.${k}`, `expected one of ${DIAGNOSTIC_LEVELS.map((l) => `"${l}"`).join(', ')}, got ${JSON.stringify(v)}`);
    // An error means an object was not created or is wrong: lowering it would hide that (issue 13).
    if (CATALOGUE[id].severity === 'error' && v !== 'error') throw new OverrideError(`${at}.${k}`, `${id} is an error (something is not created or is wrong), which cannot be switched off or lowered; only warnings and infos can be re-levelled`);
    out[id] = v as DiagnosticLevel;
  }
  return out;
}

const MATCH_KEYS = ['type', 'column', 'primaryKey', 'indexed', 'hasDefault'];
const RULE_KEYS = ['name', 'match', 'type', 'default', 'diagnostics'];

/** Checks and compiles rules; throws OverrideError naming the key (`overrides[2].match.column`). */
export function compileOverrides(rules: readonly TypeOverride[] | undefined, at = 'overrides'): CompiledOverride[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) throw new OverrideError(at, 'expected an array of rules like {"match": {"column": "users.email"}, "type": "VARCHAR(320)"}');
  return rules.map((rule: unknown, index) => {
    const key = `${at}[${index}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) throw new OverrideError(key, 'expected an object {"match": {...}, "type"?: "...", "default"?: ..., "diagnostics"?: {...}}');
    const r = rule as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) throw new OverrideError(`${key}.${k}`, `unknown key; a rule has ${RULE_KEYS.join(', ')}`);
    if (r.name !== undefined && (typeof r.name !== 'string' || r.name === '')) throw new OverrideError(`${key}.name`, 'expected a non-empty string');
    const match = r.match;
    if (typeof match !== 'object' || match === null || Array.isArray(match)) throw new OverrideError(`${key}.match`, 'expected an object with type, column, primaryKey, indexed and/or hasDefault');
    const m = match as Record<string, unknown>;
    for (const k of Object.keys(m)) if (!MATCH_KEYS.includes(k)) throw new OverrideError(`${key}.match.${k}`, `unknown key; match has ${MATCH_KEYS.join(', ')}`);
    if (Object.keys(m).length === 0) throw new OverrideError(`${key}.match`, 'must have at least one condition (type, column, primaryKey, indexed, hasDefault)');
    const strings = (v: unknown, k: string, shape: string): string[] | undefined => {
      if (v === undefined) return undefined;
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || list.some((s) => typeof s !== 'string')) throw new OverrideError(`${key}.match.${k}`, `expected ${shape} or an array of them, got ${JSON.stringify(v)}`);
      return list as string[];
    };
    const wrap = <T>(k: string, f: () => T): T => {
      try {
        return f();
      } catch (e) {
        if (e instanceof OverrideError) throw e;
        throw new OverrideError(k, (e as Error).message);
      }
    };
    const types = strings(m.type, 'type', 'a PostgreSQL type string such as "text" or "varchar(255)"')?.map((t) => wrap(`${key}.match.type`, () => parsePgTypePattern(t)));
    const columns = strings(m.column, 'column', 'a glob string such as "users.email", "*.created_at" or "billing.*.*"')?.map((c) => wrap(`${key}.match.column`, () => parseColumnGlob(c)));
    for (const k of ['primaryKey', 'indexed', 'hasDefault']) {
      if (m[k] !== undefined && typeof m[k] !== 'boolean') throw new OverrideError(`${key}.match.${k}`, `expected true or false, got ${JSON.stringify(m[k])}`);
    }
    if (r.type !== undefined && typeof r.type !== 'string') throw new OverrideError(`${key}.type`, `expected ${TYPE_SHAPE}`);
    const type = r.type === undefined ? undefined : wrap(`${key}.type`, () => parseTidbType(r.type as string));
    if (r.default !== undefined && r.default !== null && typeof r.default !== 'string') throw new OverrideError(`${key}.default`, 'expected a string such as "CURRENT_TIMESTAMP(3)", "0", "\'x\'", or null to drop the default');
    const dflt = r.default === undefined ? undefined : r.default === null ? null : wrap(`${key}.default`, () => parseDefault(r.default as string));
    const diagnostics = r.diagnostics === undefined ? undefined : checkDiagnosticLevels(r.diagnostics, `${key}.diagnostics`);
    if (type === undefined && dflt === undefined && diagnostics === undefined) throw new OverrideError(key, 'a rule must set at least one of type, default, diagnostics');
    return {
      index,
      label: typeof r.name === 'string' ? r.name : `overrides[${index}]`,
      rule: rule as TypeOverride,
      ...(types ? { types } : {}),
      ...(columns ? { columns } : {}),
      ...(type ? { type } : {}),
      ...(dflt !== undefined ? { default: dflt } : {}),
      ...(diagnostics ? { diagnostics } : {}),
    };
  });
}

/** Why a rule does or does not match a column (for `explain`). */
export interface RuleVerdict {
  readonly rule: CompiledOverride;
  readonly matched: boolean;
  /** The first condition that failed, when not matched. */
  readonly reason?: string;
}

export function judgeRule(rule: CompiledOverride, facts: ColumnFacts): RuleVerdict {
  const m = rule.rule.match;
  if (rule.types && !rule.types.some((p) => matchesPgType(p, facts.type))) {
    return { rule, matched: false, reason: `type ${facts.type.raw} is not ${rule.types.map((p) => p.text).join(' / ')}` };
  }
  if (rule.columns) {
    const hit = rule.columns.some(
      (g) =>
        g.column.test(facts.column) &&
        (!g.table || g.table.test(facts.table)) &&
        (!g.schema || g.schema.test(facts.schema) || g.schema.test(facts.database)),
    );
    if (!hit) return { rule, matched: false, reason: `${facts.schema}.${facts.table}.${facts.column} does not match ${rule.columns.map((g) => g.text).join(' / ')}` };
  }
  for (const [k, what] of [['primaryKey', 'in the primary key'], ['indexed', 'indexed'], ['hasDefault', 'has a default']] as const) {
    const want = m[k];
    if (want !== undefined && want !== facts[k]) return { rule, matched: false, reason: `column is ${want ? 'not ' : ''}${what}` };
  }
  return { rule, matched: true };
}

/** Every rule's verdict in order, and the first that matched (the one that applies). */
export function judgeColumn(rules: readonly CompiledOverride[], facts: ColumnFacts): { verdicts: RuleVerdict[]; fired?: CompiledOverride } {
  const verdicts: RuleVerdict[] = [];
  let fired: CompiledOverride | undefined;
  for (const r of rules) {
    if (fired) {
      verdicts.push({ rule: r, matched: false, reason: `not consulted: ${fired.label} applied first` });
      continue;
    }
    const v = judgeRule(r, facts);
    verdicts.push(v);
    if (v.matched) fired = r;
  }
  return fired ? { verdicts, fired } : { verdicts };
}
