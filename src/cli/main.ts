import { parseArgs } from 'node:util';
import type { CliIo } from './io.js';
import { relative, resolve } from 'node:path';
import { explainColumn, renderExplanation } from '../config/explain.js';
import { checkOutputs, planOf, watchFile, watchInputs, type WatchHandle } from '../config/generate.js';
import { findConfig, loadConfig, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../config/validate.js';
import { renderOutputs } from '../outputs.js';
import { renderJson, renderText } from '../diagnostics/render.js';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { OptionError, type TranslateOptions } from '../transform/options.js';
import { exitCodeFor, translate } from '../translate.js';
import { VERSION } from '../version.js';
import { readInputs, InputError } from '../inputs.js';
import { DumperError } from '../frontends/sqlalchemy-runtime/dump.js';
import { SCHEMA_OPTIONS } from './options.js';
import { writeOutputs, EMITTERS, type EmitterName } from './outputs.js';
import type { EmitOptions } from '../outputs.js';
import { LARGE_INPUT_BYTES, progressLine } from './progress.js';
import { tuneWasmTiering } from './wasm-tiering.js';
import { writeFile } from 'node:fs/promises';
import { UrlError } from '../connection/url.js';
import type { SourceFile } from '../diagnostics/span.js';

const HELP = `pg2tidb ${VERSION}: translate PostgreSQL schemas to TiDB, reporting every loss

Usage:
  pg2tidb translate <file|dir|-> [...] [options]
  pg2tidb translate --from <postgres-url> [options]  the schema read from a live database's catalog
  pg2tidb url <postgres-url> [options]   (pg2tidb url --help)
  pg2tidb data <dump.sql|dir|-> -o <dir>  the dump's rows as CSV for TiDB (pg2tidb data --help)
  pg2tidb data <schema.sql> --from <postgres-url> -o <dir>  the same, the rows read from a live database
  pg2tidb verify --source <dump|postgres-url> --target <mysql-url>  a migrated TiDB against its source (pg2tidb verify --help)
  pg2tidb translate [options]              inputs, outputs and options from pg2tidb.config.json/.ts
  pg2tidb explain <table.column> [inputs]  how one column's type was decided (rules, overrides, diagnostics)
  pg2tidb --help | --version

Inputs: PostgreSQL DDL (.sql, pg_dump --schema-only output), SQLAlchemy model files (.py),
folders of them (read recursively), or - for standard input.

Options:
  -o, --out <dir>            write tidb.sql and report.json (and --emit outputs) into <dir>
      --emit <list>          outputs, comma-separated: ${EMITTERS.join(', ')} (default: tidb)
      --uuid <kind>          char36 (default) or binary16
      --timestamptz <kind>   datetime (default, UTC convention) or timestamp (1970..2038)
      --collation <name>     database collation (default utf8mb4_unicode_ci)
      --auto-random          AUTO_RANDOM for BIGINT primary keys instead of AUTO_INCREMENT
      --text-key-length <n>  VARCHAR length for unbounded text used as a key (default 255)
      --database <pg=tidb>   map a PostgreSQL schema or input folder to a database name (repeatable)
      --migrations-format <f> golang-migrate, flyway, dbmate or plain (default) for --emit sql-migrations
      --revision <id>        Alembic revision id (default: derived from the content)
      --down-revision <id>   Alembic down_revision (default: None)
      --ts-driver <d>        mysql2 (default) or tidb-serverless: types match what the driver returns
      --ts-style <s>         plain (default) or kysely (a Kysely DB interface)
      --date-strings         mysql2 dateStrings: dates typed as string, not Date
      --number-bigints       BIGINT typed as number (mysql2 without bigNumberStrings)
      --tinyint1-boolean     BOOLEAN typed as boolean (a typeCast maps TINYINT(1))
      --keep-postgres-variant  --emit sqlalchemy: types as mysql.X().with_variant(<original>, "postgresql")
      --python <interpreter> runtime mode for .py inputs: that Python (with the project's packages)
                             imports the models and SQLAlchemy itself describes their MetaData;
                             this runs the project's code, so it is never on by default
      --strict               warnings fail the run (exit 1)
      --format <f>           diagnostics as text (default) or json
  -q, --quiet                hide info diagnostics
      --verbose              print every diagnostic in full (default: errors, then each group once with a count and an example)
      --max-diagnostics <n>  with -o, print at most n diagnostics in full, then counts by code (default 200; 0: all); report.json has every one
      --from <postgres-url>  read the schema from this database's catalog (one REPEATABLE READ snapshot) instead of
                             files, as the DDL pg_dump --schema-only would write; needs the pg package
      --keep-catalog-sql <f> with --from: write that DDL to <f> (the text diagnostics' lines point into)
      --config <file>        config file (default: nearest pg2tidb.config.json or .ts at or above the working directory)
      --check                compare the outputs in -o <dir> with what would be generated; exit 1 with a diff if they differ
      --watch                translate again whenever an input or the config file changes
  -h, --help                 this help

Without -o the TiDB DDL goes to standard output and diagnostics to standard error.
Exit codes: 0 ok, 1 errors (or warnings with --strict), 2 usage error or unreadable input.
`;

const CLI_OPTIONS = {
  ...SCHEMA_OPTIONS,
  emit: { type: 'string' },
  python: { type: 'string' },
  'migrations-format': { type: 'string' },
  revision: { type: 'string' },
  'down-revision': { type: 'string' },
  'ts-driver': { type: 'string' },
  'ts-style': { type: 'string' },
  'date-strings': { type: 'boolean' },
  'number-bigints': { type: 'boolean' },
  'tinyint1-boolean': { type: 'boolean' },
  'keep-postgres-variant': { type: 'boolean' },
  verbose: { type: 'boolean' },
  from: { type: 'string' },
  'keep-catalog-sql': { type: 'string' },
  check: { type: 'boolean' },
  watch: { type: 'boolean' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parseCliArgs(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: CLI_OPTIONS });
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'url') return (await import('./url.js')).runUrl(argv.slice(1), io);
  if (argv[0] === 'data') return (await import('./data.js')).runData(argv.slice(1), io);
  if (argv[0] === 'verify') return (await import('./verify.js')).runVerify(argv.slice(1), io);
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    err(`pg2tidb: ${(e as Error).message}\nRun pg2tidb --help for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command !== 'translate' && command !== 'explain') {
    err(command ? `pg2tidb: unknown command "${command}"\nRun pg2tidb --help for usage.` : HELP);
    return 2;
  }
  const explainSpec = command === 'explain' ? rest[0] : undefined;
  if (command === 'explain' && !explainSpec) {
    err('pg2tidb explain: give a column as table.column or schema.table.column, then the inputs');
    return 2;
  }
  const paths = command === 'explain' ? rest.slice(1) : rest;
  // pg2tidb.config.{json,ts}: named with --config, or the nearest one at or above the working directory.
  let configPath: string | undefined;
  let loaded: LoadedConfig | undefined;
  try {
    configPath = values.config !== undefined ? resolve(io.cwd, values.config) : findConfig(io.cwd);
    if (configPath) loaded = await loadConfig(configPath);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`pg2tidb: invalid config: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const first = prepareRun(values, paths, command, explainSpec, loaded, io, err);
  if (typeof first === 'number') return first;
  let setup: RunSetup = first;

  const once = async (s: RunSetup): Promise<number> => {
    const started = Date.now();
    let files;
    try {
      files = s.from !== undefined ? await catalogInputs(s.from, s.keepCatalogSql) : await readInputs(s.inputPaths, { ...io, cwd: s.inputDir }, s.outDir ? [s.outDir] : []);
    } catch (e) {
      if (e instanceof InputError) {
        err(`pg2tidb: ${e.message}`);
        return 2;
      }
      if (e instanceof UrlError) {
        err(`pg2tidb: --from: ${e.message}`);
        return 2;
      }
      if (e instanceof Error && e.name === 'PgSourceError') {
        err(`pg2tidb: ${e.message}`);
        return 1;
      }
      throw e;
    }

    // an output folder inside an input folder is not input on the next run
    if (!s.quiet && s.format === 'text') for (const d of files.skipped) err(`pg2tidb: note: ${d}/ is pg2tidb output (-o), not read as input`);

    // On a terminal, multi-file or large runs show a live progress line, then a summary; never when piped, quiet or JSON.
    const bytes = files.files.reduce((n, f) => n + f.text.length, 0);
    tuneWasmTiering(bytes);
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    const chatty = tty && !s.quiet && s.format === 'text';
    const progress = chatty && (files.files.length > 1 || bytes > LARGE_INPUT_BYTES) ? progressLine(io.stderr) : undefined;
    let result;
    try {
      const preRead = s.python ? await (await import('../frontends/sqlalchemy-runtime/index.js')).readPythonAtRuntime(files.files, s.python, s.inputDir, s.inputPaths) : {};
      result = await translate(files.files, s.options, progress ? { onProgress: (p) => progress.update(p) } : {}, preRead);
    } catch (e) {
      progress?.clear();
      if (e instanceof OptionError || e instanceof DumperError) {
        err(`pg2tidb: ${e.message}`);
        return 2;
      }
      err(`pg2tidb: internal error while translating: ${(e as Error).message}\nPlease report this with the input that caused it.`);
      return 70;
    }
    progress?.clear();

    const statementCount = result.report.inputs.reduce((n, f) => n + f.statements, 0);
    if (chatty && (files.files.length > 1 || statementCount > 1000 || bytes > LARGE_INPUT_BYTES)) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      err(`translated ${files.files.length} files, ${statementCount} statements in ${seconds.toFixed(2)}s (${Math.round(statementCount / seconds)} statements/s)`);
    }

    if (s.explainSpec !== undefined) {
      const found = explainColumn(result, s.explainSpec);
      if (found.length === 0) {
        err(`pg2tidb explain: no column ${s.explainSpec} in the inputs (give table.column or schema.table.column)`);
        return 2;
      }
      io.stdout.write(found.map(renderExplanation).join('\n'));
      return 0;
    }
    if (s.check) {
      const checks = await checkOutputs(s.outDir!, await renderOutputs(result, s.emit, s.emitOptions));
      const stale = checks.filter((c) => c.status !== 'same');
      for (const c of stale) io.stdout.write(c.diff);
      if (stale.length > 0) {
        err(`pg2tidb --check: ${stale.map((c) => `${c.path} (${c.status})`).join(', ')} differ from what would be generated; run pg2tidb translate to update`);
        return 1;
      }
      err(`pg2tidb --check: ${checks.length} files up to date`);
      return 0;
    }

    const diagnosticsText =
      s.format === 'json'
        ? renderJson(result.diagnostics)
        : renderText(result.diagnostics, { files: result.files, quiet: s.quiet, verbose: s.verbose, color: tty, ...(s.maxDiagnostics ? { limit: s.maxDiagnostics } : {}) });
    if (s.outDir) {
      const written = await writeOutputs(s.outDir, result, s.emit, s.emitOptions);
      if (s.format === 'json') err(diagnosticsText);
      else {
        if (diagnosticsText.trim()) err(diagnosticsText);
        const c = countBySeverity(result.diagnostics);
        err(`wrote ${written.join(', ')}: ${result.report.summary.tables} tables; ${c.error} errors, ${c.warning} warnings, ${c.info} notes`);
      }
    } else {
      if (exitCodeFor(result, false) !== 2) io.stdout.write(result.sql);
      if (diagnosticsText.trim()) err(diagnosticsText);
    }
    return exitCodeFor(result, s.strict);
  };

  if (!values.watch) return once(setup);
  if (setup.from !== undefined) {
    err('pg2tidb: --watch reads files; it cannot watch a database (--from)');
    return 2;
  }
  if (setup.inputPaths.includes('-')) {
    err('pg2tidb: --watch cannot read standard input');
    return 2;
  }
  let code = await once(setup);
  // One run at a time: changes that arrive during a run queue behind it; a failure is reported and watching goes on.
  let running = Promise.resolve();
  const queue = (job: () => Promise<void>) => {
    running = running.then(async () => {
      try {
        await job();
      } catch (e) {
        err(`pg2tidb: ${(e as Error).message}`);
        code = 70;
      }
    });
  };
  let inputs: WatchHandle | undefined;
  const watchSetupInputs = async (): Promise<boolean> => {
    inputs?.close();
    inputs = undefined;
    try {
      inputs = await watchInputs(
        setup.inputPaths.map((p) => resolve(setup.inputDir, p)),
        (changed) =>
          queue(async () => {
            err(`changed: ${changed.map((c) => relative(io.cwd, c) || c).join(', ')}`);
            code = await once(setup);
          }),
      );
      return true;
    } catch (e) {
      err(`pg2tidb: cannot watch the inputs: ${(e as Error).message}`);
      return false;
    }
  };
  await watchSetupInputs();
  // The config file that was used: reloaded and validated on change; inputs, outputs and options are planned again.
  const config = configPath && loaded
    ? watchFile(configPath, () =>
        queue(async () => {
          err(`changed: ${relative(io.cwd, configPath!) || configPath}`);
          let reloaded: LoadedConfig;
          try {
            reloaded = await loadConfig(configPath!);
          } catch (e) {
            if (!(e instanceof ConfigError)) throw e;
            err(`pg2tidb: invalid config: ${e.message}\nstill watching with the previous config; fix the file to continue`);
            return;
          }
          const next = prepareRun(values, paths, command, explainSpec, reloaded, io, err);
          if (typeof next === 'number') {
            err('still watching with the previous config; fix the file to continue');
            return;
          }
          setup = next;
          if (setup.inputPaths.includes('-')) err('pg2tidb: --watch cannot read standard input; the inputs are not watched');
          else if (await watchSetupInputs()) code = await once(setup);
        }),
      )
    : undefined;
  err(`watching for changes${config ? ' to the inputs and the config' : ''} (Ctrl-C to stop)`);
  await stopped(io.signal);
  inputs?.close();
  config?.close();
  await running;
  return code;
}

/** Resolves on Ctrl-C, or when `signal` (tests, embedding programs) aborts. */
function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      signal?.removeEventListener('abort', finish);
      done();
    };
    if (signal?.aborted) return finish();
    process.once('SIGINT', finish);
    signal?.addEventListener('abort', finish);
  });
}

type ParsedValues = ReturnType<typeof parseCliArgs>['values'];

/** Everything a run needs, from the flags and the config (the flags win). */
interface RunSetup {
  readonly explainSpec?: string;
  readonly check: boolean;
  readonly inputDir: string;
  readonly inputPaths: readonly string[];
  readonly outDir?: string;
  readonly format: 'text' | 'json';
  readonly emit: EmitterName[];
  readonly emitOptions: Partial<EmitOptions>;
  readonly databaseMap: Record<string, string>;
  readonly options: Partial<TranslateOptions>;
  readonly strict: boolean;
  readonly quiet: boolean;
  /** Runtime mode: the interpreter that imports the SQLAlchemy models. */
  readonly python?: string;
  readonly verbose: boolean;
  /** A live database whose catalog gives the schema instead of input files. */
  readonly from?: string;
  /** Where the DDL read from the catalog is saved. */
  readonly keepCatalogSql?: string;
  /** Text diagnostics printed in full (undefined or 0: all). */
  readonly maxDiagnostics?: number;
}

/**
 * Plans a run from the flags and a config (loaded at start, or again when --watch sees it change):
 * a RunSetup, or the exit code of a usage error already reported.
 */
function prepareRun(values: ParsedValues, paths: readonly string[], command: string, explainSpec: string | undefined, loaded: LoadedConfig | undefined, io: CliIo, err: (s: string) => void): RunSetup | number {
  const cfg = loaded?.config ?? {};
  const plan = loaded ? planOf(loaded.config, loaded.dir) : undefined;
  if (values.from !== undefined && paths.length > 0) {
    err(`pg2tidb ${command}: --from reads the schema from the database: give no input files with it`);
    return 2;
  }
  if (values['keep-catalog-sql'] !== undefined && values.from === undefined) {
    err(`pg2tidb ${command}: --keep-catalog-sql saves the schema read with --from; give --from too`);
    return 2;
  }
  if (paths.length === 0 && values.from === undefined && (plan?.inputs.length ?? 0) === 0) {
    err(`pg2tidb ${command}: give at least one input file, folder, or - for standard input (or "inputs" in pg2tidb.config.json)`);
    return 2;
  }
  const outDir = values.out !== undefined ? resolve(io.cwd, values.out) : plan?.out;
  const format = values.format ?? cfg.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    err(`pg2tidb: --format must be text or json, not "${format}"`);
    return 2;
  }
  const emit = (values.emit ?? (typeof cfg.emit === 'string' ? cfg.emit : cfg.emit?.join(',')) ?? 'tidb').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = emit.filter((e) => !(EMITTERS as readonly string[]).includes(e));
  if (unknown.length > 0) {
    err(`pg2tidb: unknown --emit output ${unknown.join(', ')}; choose from ${EMITTERS.join(', ')}`);
    return 2;
  }
  if ((emit.some((e) => e !== 'tidb') || values.check) && !outDir) {
    err(`pg2tidb: ${values.check ? '--check' : '--emit with outputs other than tidb'} needs -o <dir> (or "out" in the config)`);
    return 2;
  }

  const choice = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined | Error => {
    if (value === undefined) return undefined;
    return (allowed as readonly string[]).includes(value) ? (value as T) : new Error(`--${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
  };
  const migrationsFormat = choice('migrations-format', values['migrations-format'], ['golang-migrate', 'flyway', 'dbmate', 'plain'] as const);
  const tsDriver = choice('ts-driver', values['ts-driver'], ['mysql2', 'tidb-serverless'] as const);
  const tsStyle = choice('ts-style', values['ts-style'], ['plain', 'kysely'] as const);
  for (const c of [migrationsFormat, tsDriver, tsStyle]) {
    if (c instanceof Error) {
      err(`pg2tidb: ${c.message}`);
      return 2;
    }
  }
  const emitOptions: Partial<{ -readonly [K in keyof EmitOptions]: EmitOptions[K] }> = { ...plan?.emitOptions };
  if (migrationsFormat && !(migrationsFormat instanceof Error)) emitOptions.migrationsFormat = migrationsFormat;
  if (tsDriver && !(tsDriver instanceof Error)) emitOptions.tsDriver = tsDriver;
  if (tsStyle && !(tsStyle instanceof Error)) emitOptions.tsStyle = tsStyle;
  if (values.revision !== undefined) emitOptions.revision = values.revision;
  if (values['down-revision'] !== undefined) emitOptions.downRevision = values['down-revision'];
  if (values['date-strings']) emitOptions.dateStrings = true;
  if (values['number-bigints']) emitOptions.bigNumberStrings = false;
  if (values['tinyint1-boolean']) emitOptions.tinyint1AsBoolean = true;
  if (values['keep-postgres-variant']) emitOptions.keepPostgresVariant = true;

  const databaseMap: Record<string, string> = { ...cfg.databaseMap };
  for (const entry of values.database ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      err(`pg2tidb: --database takes <schema-or-folder>=<database>, not "${entry}"`);
      return 2;
    }
    databaseMap[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const options: Partial<{ -readonly [K in keyof TranslateOptions]: TranslateOptions[K] }> = { ...plan?.options, databaseMap };
  if (values.uuid !== undefined) options.uuid = values.uuid as TranslateOptions['uuid'];
  if (values.timestamptz !== undefined) options.timestamptz = values.timestamptz as TranslateOptions['timestamptz'];
  if (values.collation !== undefined) options.collation = values.collation;
  if (values['auto-random']) options.autoRandom = true;
  if (values.strict) options.strict = true;
  if (values['text-key-length'] !== undefined) options.textKeyLength = Number(values['text-key-length']);
  if (values['max-diagnostics'] !== undefined && !/^\d+$/.test(values['max-diagnostics'])) {
    err(`pg2tidb: --max-diagnostics takes a whole number (0 for all), not "${values['max-diagnostics']}"`);
    return 2;
  }

  // Inputs named in the config are read relative to the config's folder, so outputs do not depend on where pg2tidb runs.
  const inputDir = paths.length > 0 || values.from !== undefined ? io.cwd : plan!.baseDir;
  const inputPaths = paths.length > 0 || values.from !== undefined ? paths : plan!.inputs.map((p) => (p === '-' ? p : relative(inputDir, p) || '.'));
  return {
    ...(explainSpec !== undefined ? { explainSpec } : {}),
    check: values.check ?? false,
    inputDir,
    inputPaths,
    ...(outDir !== undefined ? { outDir } : {}),
    format,
    emit: emit as EmitterName[],
    emitOptions,
    databaseMap,
    options,
    strict: values.strict ?? cfg.strict ?? false,
    ...(values.python !== undefined ? { python: values.python } : plan?.python !== undefined ? { python: plan.python } : {}),
    quiet: values.quiet ?? cfg.quiet ?? false,
    verbose: values.verbose ?? false,
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values['keep-catalog-sql'] !== undefined ? { keepCatalogSql: resolve(io.cwd, values['keep-catalog-sql']) } : {}),
    // Only with -o: without it stderr is the one place the diagnostics go.
    ...(outDir !== undefined ? { maxDiagnostics: values['max-diagnostics'] !== undefined ? Number(values['max-diagnostics']) : DEFAULT_MAX_DIAGNOSTICS } : {}),
  };
}

/** The schema of a live database (`--from`), read from its catalog in one snapshot, as the one input file. */
async function catalogInputs(url: string, keep: string | undefined): Promise<{ files: SourceFile[]; skipped: string[] }> {
  const source = await (await import('../data/pg-source.js')).connectPostgres(url);
  let file: SourceFile;
  try {
    file = await source.schema();
  } finally {
    await source.close();
  }
  if (keep !== undefined) await writeFile(keep, file.text);
  return { files: [file], skipped: [] };
}

/** Enough to read on a terminal; a large schema's thousands of notes are in report.json. */
const DEFAULT_MAX_DIAGNOSTICS = 200;
