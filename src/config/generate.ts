import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { readInputs } from '../inputs.js';
import type { SourceFile } from '../diagnostics/span.js';
import { renderOutputs, type EmitOptions, type OutputFile, type OutputKind } from '../outputs.js';
import type { TranslateOptions } from '../transform/options.js';
import { translate, type TranslateResult } from '../translate.js';
import { unifiedDiff } from './diff.js';
import type { Pg2tidbConfig } from './types.js';
import { validateConfig } from './validate.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A config turned into what a run needs; paths absolute. */
export interface RunPlan {
  readonly baseDir: string;
  readonly inputs: readonly string[];
  readonly out?: string;
  readonly emit: readonly OutputKind[];
  readonly options: Partial<TranslateOptions>;
  readonly emitOptions: Partial<EmitOptions>;
  /** Runtime mode: the interpreter that imports the SQLAlchemy models (absolute, or a command name). */
  readonly python?: string;
}

/** Translation and emitter options a config sets (undefined keys are left to the defaults). */
export function planOf(config: Pg2tidbConfig, baseDir: string): RunPlan {
  const o: Partial<Mutable<TranslateOptions>> = {};
  if (config.uuid !== undefined) o.uuid = config.uuid;
  if (config.timestamptz !== undefined) o.timestamptz = config.timestamptz;
  if (config.collation !== undefined) o.collation = config.collation;
  if (config.autoRandom !== undefined) o.autoRandom = config.autoRandom;
  if (config.strict !== undefined) o.strict = config.strict;
  if (config.textKeyLength !== undefined) o.textKeyLength = config.textKeyLength;
  if (config.arrayIndexCharLength !== undefined) o.arrayIndexCharLength = config.arrayIndexCharLength;
  if (config.databaseMap !== undefined) o.databaseMap = config.databaseMap;
  if (config.tidbVersion !== undefined) o.tidbVersion = config.tidbVersion;
  if (config.cloudStarter !== undefined) o.cloudStarter = config.cloudStarter;
  if (config.diagnostics !== undefined) o.diagnosticLevels = config.diagnostics;
  if (config.overrides !== undefined) o.typeOverrides = config.overrides;
  const e: Partial<Mutable<EmitOptions>> = {};
  if (config.migrationsFormat !== undefined) e.migrationsFormat = config.migrationsFormat;
  if (config.revision !== undefined) e.revision = config.revision;
  if (config.downRevision !== undefined) e.downRevision = config.downRevision;
  if (config.tsDriver !== undefined) e.tsDriver = config.tsDriver;
  if (config.tsStyle !== undefined) e.tsStyle = config.tsStyle;
  if (config.dateStrings !== undefined) e.dateStrings = config.dateStrings;
  if (config.numberBigints !== undefined) e.bigNumberStrings = !config.numberBigints;
  if (config.tinyint1Boolean !== undefined) e.tinyint1AsBoolean = config.tinyint1Boolean;
  const inputs = config.inputs === undefined ? [] : typeof config.inputs === 'string' ? [config.inputs] : [...config.inputs];
  const emit = (typeof config.emit === 'string' ? config.emit.split(',').map((s) => s.trim()) : config.emit ?? ['tidb']) as OutputKind[];
  return {
    baseDir,
    inputs: inputs.map((p) => (p === '-' ? p : resolve(baseDir, p))),
    ...(config.out !== undefined ? { out: resolve(baseDir, config.out) } : {}),
    emit,
    options: o,
    emitOptions: e,
    ...(config.python !== undefined ? { python: /[\\/]/.test(config.python) ? resolve(baseDir, config.python) : config.python } : {}),
  };
}

export interface GenerateOptions {
  /** Folder relative paths in the config are resolved against (default: process.cwd()). */
  readonly cwd?: string;
  /** Already-read sources; when given, `inputs` are not read. */
  readonly files?: readonly SourceFile[];
}

/** Reads the plan's inputs; source paths are relative to the plan's folder, so outputs do not depend on where the run started. */
export async function readPlanInputs(plan: RunPlan): Promise<{ files: SourceFile[] }> {
  const io = { cwd: plan.baseDir, stdin: process.stdin };
  return readInputs(
    plan.inputs.map((p) => (p === '-' ? p : relative(plan.baseDir, p) || '.')),
    io,
  );
}

/** Translates a plan: inputs read, translated, and every output rendered in memory. Writes nothing. */
export async function runPlan(plan: RunPlan, files?: readonly SourceFile[]): Promise<{ files: OutputFile[]; result: TranslateResult }> {
  let sources: readonly SourceFile[];
  if (files) sources = files;
  else {
    if (plan.inputs.length === 0) throw new Error('no inputs: set "inputs" in the config or name files on the command line');
    sources = (await readPlanInputs(plan)).files;
  }
  const preRead = plan.python ? await (await import('../frontends/sqlalchemy-runtime/index.js')).readPythonAtRuntime(sources, plan.python, plan.baseDir, plan.inputs) : {};
  const result = await translate([...sources], plan.options, {}, preRead);
  return { files: await renderOutputs(result, plan.emit, plan.emitOptions), result };
}

/**
 * The files a config would write (tidb.sql, report.json and the chosen emitters), relative to its
 * `out` folder. Built on `translate` + `renderOutputs`: reads the inputs, writes nothing.
 */
export async function generate(config: Pg2tidbConfig, options: GenerateOptions = {}): Promise<OutputFile[]> {
  const plan = planOf(validateConfig(config), resolve(options.cwd ?? process.cwd()));
  return (await runPlan(plan, options.files)).files;
}

/** Writes files (as returned by `generate`) under `dir`; returns their relative paths. */
export async function writeOutputs(dir: string, files: readonly OutputFile[]): Promise<string[]> {
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    if (f.chunks) await writeChunks(path, f.chunks());
    else await writeFile(path, f.content);
  }
  return files.map((f) => f.path);
}

/** Writes pieces in batches of about 1 MB, so a large report never exists as one string. */
async function writeChunks(path: string, chunks: Iterable<string>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    let batch: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      batch.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) {
        await handle.write(batch.join(''));
        batch = [];
        size = 0;
      }
    }
    if (batch.length > 0) await handle.write(batch.join(''));
  } finally {
    await handle.close();
  }
}

export interface FileCheck {
  readonly path: string;
  readonly status: 'same' | 'changed' | 'missing';
  /** Unified diff from the file on disk to what would be generated; empty when the same. */
  readonly diff: string;
}

/** Compares files with what is on disk under `dir` (for `translate --check`). */
export async function checkOutputs(dir: string, files: readonly OutputFile[]): Promise<FileCheck[]> {
  const out: FileCheck[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    let current: string | undefined;
    try {
      current = await readFile(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === f.content) out.push({ path: f.path, status: 'same', diff: '' });
    else out.push({ path: f.path, status: current === undefined ? 'missing' : 'changed', diff: unifiedDiff(current ?? '', f.content, current === undefined ? '/dev/null' : `a/${f.path}`, `b/${f.path}`) });
  }
  return out;
}

export interface WatchHandle {
  close(): void;
}

/**
 * Calls `onChange` (debounced) when a file under any of `paths` changes. Folders are watched
 * recursively; editors' temporary files and non-.sql/.py files (other than explicitly named ones) are ignored.
 */
export async function watchInputs(paths: readonly string[], onChange: (changed: string[]) => void, options: { debounceMs?: number; extraFiles?: readonly string[] } = {}): Promise<WatchHandle> {
  const debounceMs = options.debounceMs ?? 150;
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  const fire = (file: string) => {
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending].sort();
      pending = new Set();
      timer = undefined;
      onChange(changed);
    }, debounceMs);
  };
  for (const p of [...paths, ...(options.extraFiles ?? [])]) {
    if (p === '-') continue;
    const info = await stat(p);
    const w = info.isDirectory()
      ? fsWatch(p, { recursive: true }, (_e, name) => {
          const n = name ? String(name) : '';
          if (n === '' || /\.(sql|py)$/i.test(n)) fire(join(p, n));
        })
      : fsWatch(p, () => fire(p));
    watchers.push(w);
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}

/**
 * Calls `onChange` (debounced) when the file at `path` is written, replaced or created. Watches its
 * folder rather than the file, because editors save by writing a new file and renaming it over the old.
 */
export function watchFile(path: string, onChange: () => void, options: { debounceMs?: number } = {}): WatchHandle {
  const debounceMs = options.debounceMs ?? 150;
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const watcher = fsWatch(dirname(path), (_e, file) => {
    if (file !== null && String(file) !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  });
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
