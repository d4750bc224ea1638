import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Pg2tidbConfig } from './types.js';
import { ConfigError, validateConfig } from './validate.js';

/** Config file names, in the order they are looked for in each folder. */
export const CONFIG_NAMES = ['pg2tidb.config.json', 'pg2tidb.config.ts', 'pg2tidb.config.mts', 'pg2tidb.config.mjs', 'pg2tidb.config.js'] as const;

export interface LoadedConfig {
  readonly config: Pg2tidbConfig;
  /** Absolute path of the file. */
  readonly path: string;
  /** Its folder: relative paths in the config are relative to it. */
  readonly dir: string;
}

/** The nearest config file at or above `start`, if any. */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Reads, parses and validates a config file (JSON, or a module whose default export is the config). */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const full = resolve(path);
  const name = basename(full);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new ConfigError('', `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
  let raw: unknown;
  if (/\.json$/i.test(name)) {
    try {
      raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      throw new ConfigError('', `invalid JSON (${(e as Error).message})`, path);
    }
  } else {
    const mod = (await importConfigModule(full, text)) as { default?: unknown; config?: unknown };
    raw = await (mod.default ?? mod.config);
    if (raw === undefined) throw new ConfigError('', 'expected a default export: export default defineConfig({ ... })', path);
  }
  return { config: validateConfig(raw, path), path: full, dir: dirname(full) };
}

/**
 * Imports a .ts/.js config. Node 20 cannot import TypeScript, so a .ts file that fails to import is
 * compiled with the TypeScript compiler API (transpileModule) into a temporary .mjs next to it (so
 * its relative imports still resolve) and that is imported; `pg2tidb` imports point at this package.
 */
async function importConfigModule(full: string, text: string): Promise<unknown> {
  const isTs = /\.m?ts$/i.test(full);
  try {
    return await import(`${pathToFileURL(full).href}?t=${Date.now()}`);
  } catch (e) {
    if (!isTs) throw new ConfigError('', `cannot load config module: ${(e as Error).message}`, full);
  }
  const ts = await loadTypeScript(full);
  const out = ts.transpileModule(text, {
    fileName: full,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  const syntax = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax) throw new ConfigError('', `TypeScript error: ${ts.flattenDiagnosticMessageText(syntax.messageText, '\n')}`, full);
  const self = new URL('../index.js', import.meta.url).href;
  const js = out.outputText.replace(/(\bfrom\s*|\bimport\s*\(\s*)(['"])pg2tidb\2/g, (_m, pre: string, q: string) => `${pre}${q}${self}${q}`);
  const tmp = join(dirname(full), `.${basename(full)}.${process.pid}.${Date.now()}.mjs`);
  await writeFile(tmp, js);
  try {
    return await import(pathToFileURL(tmp).href);
  } catch (e) {
    throw new ConfigError('', `cannot load config module: ${(e as Error).message}`, full);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

type TsApi = typeof import('typescript');

async function loadTypeScript(full: string): Promise<TsApi> {
  try {
    const m = (await import('typescript')) as TsApi & { default?: TsApi };
    return m.default ?? m;
  } catch {
    // The project's own compiler (pg2tidb does not ship one: ts-morph is a dev dependency).
    throw new ConfigError('', 'loading a .ts config needs the "typescript" package (npm install -D typescript), or use pg2tidb.config.json', full);
  }
}
