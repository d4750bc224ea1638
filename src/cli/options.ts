import { resolve } from 'node:path';
import { planOf } from '../config/generate.js';
import { findConfig, loadConfig } from '../config/load.js';
import { ConfigError } from '../config/validate.js';
import type { TranslateOptions } from '../transform/options.js';

// Options `translate` and `data` share: the schema decisions (the rows follow the same ones) and
// how diagnostics are shown. Each command adds its own to these.
export const SCHEMA_OPTIONS = {
  out: { type: 'string', short: 'o' },
  uuid: { type: 'string' },
  timestamptz: { type: 'string' },
  collation: { type: 'string' },
  'auto-random': { type: 'boolean' },
  'text-key-length': { type: 'string' },
  database: { type: 'string', multiple: true },
  config: { type: 'string' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'max-diagnostics': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The translate options the schema flags give, over the config's; a string when a flag is malformed (a usage error). */
export function schemaOptionsFrom(
  values: { uuid?: string; timestamptz?: string; collation?: string; 'auto-random'?: boolean; strict?: boolean; 'text-key-length'?: string; database?: string[] },
  base: Partial<TranslateOptions> | undefined,
): Partial<Mutable<TranslateOptions>> | string {
  const options: Partial<Mutable<TranslateOptions>> = { ...base };
  const databaseMap: Record<string, string> = { ...base?.databaseMap };
  for (const entry of values.database ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) return `--database takes <schema>=<database>, not "${entry}"`;
    databaseMap[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  options.databaseMap = databaseMap;
  if (values.uuid !== undefined) options.uuid = values.uuid as TranslateOptions['uuid'];
  if (values.timestamptz !== undefined) options.timestamptz = values.timestamptz as TranslateOptions['timestamptz'];
  if (values.collation !== undefined) options.collation = values.collation;
  if (values['auto-random']) options.autoRandom = true;
  if (values.strict) options.strict = true;
  if (values['text-key-length'] !== undefined) options.textKeyLength = Number(values['text-key-length']);
  return options;
}

/** The plan of the config `--config` names, or the one found from `cwd`; a string for an invalid config (a usage error). */
export async function configPlan(config: string | undefined, cwd: string): Promise<ReturnType<typeof planOf> | undefined | string> {
  const path = config !== undefined ? resolve(cwd, config) : findConfig(cwd);
  if (!path) return undefined;
  try {
    const loaded = await loadConfig(path);
    return planOf(loaded.config, loaded.dir);
  } catch (e) {
    if (e instanceof ConfigError) return `pg2tidb: invalid config: ${e.message}`;
    throw e;
  }
}
