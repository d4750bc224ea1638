import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { resolve } from 'node:path';
import { renderJson, renderText } from '../diagnostics/render.js';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { OptionError, type TranslateOptions } from '../transform/options.js';
import { exitCodeFor, translate } from '../translate.js';
import { VERSION } from '../version.js';
import { readInputs, InputError } from './inputs.js';
import { writeOutputs, EMITTERS, type EmitterName } from './outputs.js';
import type { EmitOptions } from '../outputs.js';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
}

const HELP = `pg2tidb ${VERSION}: translate PostgreSQL schemas to TiDB, reporting every loss

Usage:
  pg2tidb translate <file|dir|-> [...] [options]
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
      --strict               warnings fail the run (exit 1)
      --format <f>           diagnostics as text (default) or json
  -q, --quiet                hide info diagnostics
  -h, --help                 this help

Without -o the TiDB DDL goes to standard output and diagnostics to standard error.
Exit codes: 0 ok, 1 errors (or warnings with --strict), 2 usage error or unreadable input.
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        emit: { type: 'string' },
        uuid: { type: 'string' },
        timestamptz: { type: 'string' },
        collation: { type: 'string' },
        'auto-random': { type: 'boolean' },
        'text-key-length': { type: 'string' },
        database: { type: 'string', multiple: true },
        strict: { type: 'boolean' },
        format: { type: 'string' },
        'migrations-format': { type: 'string' },
        revision: { type: 'string' },
        'down-revision': { type: 'string' },
        'ts-driver': { type: 'string' },
        'ts-style': { type: 'string' },
        'date-strings': { type: 'boolean' },
        'number-bigints': { type: 'boolean' },
        'tinyint1-boolean': { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
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
  const [command, ...paths] = positionals;
  if (command !== 'translate') {
    err(command ? `pg2tidb: unknown command "${command}"\nRun pg2tidb --help for usage.` : HELP);
    return 2;
  }
  if (paths.length === 0) {
    err('pg2tidb translate: give at least one input file, folder, or - for standard input');
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    err(`pg2tidb: --format must be text or json, not "${format}"`);
    return 2;
  }
  const emit = (values.emit ?? 'tidb').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = emit.filter((e) => !(EMITTERS as readonly string[]).includes(e));
  if (unknown.length > 0) {
    err(`pg2tidb: unknown --emit output ${unknown.join(', ')}; choose from ${EMITTERS.join(', ')}`);
    return 2;
  }
  if (emit.some((e) => e !== 'tidb') && !values.out) {
    err('pg2tidb: --emit with outputs other than tidb needs -o <dir>');
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
  const emitOptions: Partial<{ -readonly [K in keyof EmitOptions]: EmitOptions[K] }> = {};
  if (migrationsFormat && !(migrationsFormat instanceof Error)) emitOptions.migrationsFormat = migrationsFormat;
  if (tsDriver && !(tsDriver instanceof Error)) emitOptions.tsDriver = tsDriver;
  if (tsStyle && !(tsStyle instanceof Error)) emitOptions.tsStyle = tsStyle;
  if (values.revision !== undefined) emitOptions.revision = values.revision;
  if (values['down-revision'] !== undefined) emitOptions.downRevision = values['down-revision'];
  if (values['date-strings']) emitOptions.dateStrings = true;
  if (values['number-bigints']) emitOptions.bigNumberStrings = false;
  if (values['tinyint1-boolean']) emitOptions.tinyint1AsBoolean = true;

  const databaseMap: Record<string, string> = {};
  for (const entry of values.database ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) {
      err(`pg2tidb: --database takes <schema-or-folder>=<database>, not "${entry}"`);
      return 2;
    }
    databaseMap[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const options: Partial<{ -readonly [K in keyof TranslateOptions]: TranslateOptions[K] }> = { databaseMap };
  if (values.uuid !== undefined) options.uuid = values.uuid as TranslateOptions['uuid'];
  if (values.timestamptz !== undefined) options.timestamptz = values.timestamptz as TranslateOptions['timestamptz'];
  if (values.collation !== undefined) options.collation = values.collation;
  if (values['auto-random']) options.autoRandom = true;
  if (values.strict) options.strict = true;
  if (values['text-key-length'] !== undefined) options.textKeyLength = Number(values['text-key-length']);

  let files;
  try {
    files = await readInputs(paths, io, databaseMap);
  } catch (e) {
    if (e instanceof InputError) {
      err(`pg2tidb: ${e.message}`);
      return 2;
    }
    throw e;
  }

  let result;
  try {
    result = await translate(files.files, { ...options, databaseMap: { ...databaseMap, ...files.databaseMap } });
  } catch (e) {
    if (e instanceof OptionError) {
      err(`pg2tidb: ${e.message}`);
      return 2;
    }
    err(`pg2tidb: internal error while translating: ${(e as Error).message}\nPlease report this with the input that caused it.`);
    return 70;
  }

  const diagnosticsText =
    format === 'json'
      ? renderJson(result.diagnostics)
      : renderText(result.diagnostics, { files: result.files, quiet: values.quiet ?? false, color: (io.stderr as { isTTY?: boolean }).isTTY === true });
  if (values.out) {
    const written = await writeOutputs(resolve(io.cwd, values.out), result, emit as EmitterName[], emitOptions);
    if (format === 'json') err(diagnosticsText);
    else {
      if (diagnosticsText.trim()) err(diagnosticsText);
      const c = countBySeverity(result.diagnostics);
      err(`wrote ${written.join(', ')}: ${result.report.summary.tables} tables; ${c.error} errors, ${c.warning} warnings, ${c.info} notes`);
    }
  } else {
    if (exitCodeFor(result, false) !== 2) io.stdout.write(result.sql);
    if (diagnosticsText.trim()) err(diagnosticsText);
  }
  return exitCodeFor(result, values.strict ?? false);
}
