import { UTF8MB4_COLLATIONS } from '../transform/options.js';
import { checkDiagnosticLevels, compileOverrides, OverrideError } from '../transform/overrides.js';
import { EMITTER_NAMES, type Pg2tidbConfig } from './types.js';

/** An invalid config: names the key and the expected shape. The CLI exits 2. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly source?: string,
  ) {
    super(`${source ? `${source}: ` : ''}${key ? `${key}: ` : ''}${expected}`);
  }
}

type Check = (value: unknown, key: string) => void;

const fail = (key: string, expected: string, value: unknown): never => {
  throw new ConfigError(key, `expected ${expected}, got ${describe(value)}`);
};

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

const str: Check = (v, k) => void (typeof v === 'string' && v !== '' ? 0 : fail(k, 'a non-empty string', v));
const bool: Check = (v, k) => void (typeof v === 'boolean' ? 0 : fail(k, 'true or false', v));
const oneOf = (...allowed: string[]): Check => (v, k) => void ((allowed as unknown[]).includes(v) ? 0 : fail(k, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, v));
const int = (lo: number, hi: number): Check => (v, k) => void (typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? 0 : fail(k, `an integer from ${lo} to ${hi}`, v));
const strOrStrings: Check = (v, k) => {
  if (typeof v === 'string' && v !== '') return;
  if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '')) return;
  fail(k, 'a path or an array of paths', v);
};
const emitList: Check = (v, k) => {
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v;
  if (!Array.isArray(list) || list.length === 0) return fail(k, `an array of outputs (${EMITTER_NAMES.join(', ')})`, v);
  list.forEach((e, i) => void ((EMITTER_NAMES as readonly unknown[]).includes(e) ? 0 : fail(`${k}[${i}]`, `one of ${EMITTER_NAMES.map((a) => `"${a}"`).join(', ')}`, e)));
};
const stringMap: Check = (v, k) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(k, 'an object of "<schema-or-folder>": "<database>"', v);
  for (const [kk, vv] of Object.entries(v)) if (typeof vv !== 'string' || vv === '') fail(`${k}.${kk}`, 'a database name (non-empty string)', vv);
};

const KEYS: Record<keyof Pg2tidbConfig, Check> = {
  $schema: str,
  inputs: strOrStrings,
  out: str,
  emit: emitList,
  databaseMap: stringMap,
  uuid: oneOf('char36', 'binary16'),
  timestamptz: oneOf('datetime', 'timestamp'),
  collation: oneOf(...UTF8MB4_COLLATIONS),
  autoRandom: bool,
  textKeyLength: int(1, 768),
  arrayIndexCharLength: int(1, 768),
  strict: bool,
  format: oneOf('text', 'json'),
  quiet: bool,
  python: str,
  migrationsFormat: oneOf('golang-migrate', 'flyway', 'dbmate', 'plain'),
  revision: str,
  downRevision: (v, k) => void (v === null || (typeof v === 'string' && v !== '') ? 0 : fail(k, 'a revision id or null', v)),
  tsDriver: oneOf('mysql2', 'tidb-serverless'),
  tsStyle: oneOf('plain', 'kysely'),
  dateStrings: bool,
  numberBigints: bool,
  tinyint1Boolean: bool,
  tidbVersion: (v, k) => void (typeof v === 'string' && /^v?\d+\.\d+(\.\d+)?$/.test(v) ? 0 : fail(k, 'a TiDB version such as "8.5.3"', v)),
  cloudStarter: bool,
  diagnostics: (v, k) => void checkDiagnosticLevels(v, k),
  overrides: (v, k) => void compileOverrides(v as never, k),
};

/** The names of every key a config may have (the JSON Schema lists the same). */
export const CONFIG_KEYS = Object.keys(KEYS) as (keyof Pg2tidbConfig)[];

/** Checks a parsed config; throws ConfigError naming the key and the expected shape. */
export function validateConfig(raw: unknown, source?: string): Pg2tidbConfig {
  try {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('', 'a config object such as {"inputs": ["models/"], "out": "out"}', raw);
    for (const [k, v] of Object.entries(raw as object)) {
      const check = KEYS[k as keyof Pg2tidbConfig];
      if (!check) {
        const near = CONFIG_KEYS.find((c) => c.toLowerCase() === k.toLowerCase().replace(/[-_]/g, ''));
        throw new ConfigError(k, `unknown key${near ? ` (did you mean "${near}"?)` : ''}; allowed keys: ${CONFIG_KEYS.join(', ')}`);
      }
      if (v !== undefined) check(v, k);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.key, e.expected, source);
    if (e instanceof OverrideError) throw new ConfigError(e.key, e.message.slice(e.key.length + 2), source);
    throw e;
  }
  return raw as Pg2tidbConfig;
}
