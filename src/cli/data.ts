/** `pg2tidb data`: the rows of a dump, converted by the schema's decisions, in TiDB Lightning's layout. */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { convertData, type DataInputFile, type DataResult, type UnrepresentablePolicy } from '../data/index.js';
import { countBySeverity } from '../diagnostics/diagnostic.js';
import { renderJson, renderText } from '../diagnostics/render.js';
import { OptionError } from '../transform/options.js';
import { exitCodeFor } from '../translate.js';
import { VERSION } from '../version.js';
import type { CliIo } from './io.js';
import { configPlan, SCHEMA_OPTIONS, schemaOptionsFrom } from './options.js';
import { inputFilesUnder } from '../inputs.js';
import { UrlError } from '../connection/url.js';
import { maskSource, sourceOptions } from '../data/pg-url.js';
import type { RowSource } from '../data/row-source.js';

const HELP = `pg2tidb data: convert the rows of a PostgreSQL dump for TiDB, by the same decisions as translate

Usage:
  pg2tidb data <dump.sql|dir|-> [...] -o <dir> [options]
  pg2tidb data <schema.sql|dir> [...] --from postgres://user@host:5432/db -o <dir> [options]
  pg2tidb data --from postgres://user@host:5432/db -o <dir> [options]

The inputs hold the schema and the data (a plain pg_dump, or schema and data files together);
COPY ... FROM stdin blocks and INSERT ... VALUES rows are converted. The folder gets TiDB
Lightning's layout: {db}-schema-create.sql, {db}.{table}-schema.sql, {db}.{table}.000001.csv ...,
tidb.sql, import.sql (IMPORT INTO), load.sql (LOAD DATA LOCAL INFILE), post-load.sql,
lightning-csv.toml, data-manifest.json (rows, bytes, checksum per table) and data-report.json.

With --from the inputs give only the schema (its decisions, as translate makes them) and the rows
come from the live database: each table by COPY (SELECT ...) TO STDOUT, all in one REPEATABLE READ
snapshot with the sequences' positions, converted exactly as a dump's rows are. Given no schema,
--from reads it from the database's catalog too, in the same snapshot, as the DDL pg_dump
--schema-only would write (diagnostics point into that text; --keep-catalog-sql saves it).
Needs the pg and pg-copy-streams packages (npm install pg pg-copy-streams).

Options:
  -o, --out <dir>                 output folder (required)
      --on-unrepresentable <p>    fail (default: the row is left out and the run fails), null (load NULL), skip-row
      --chunk-size <bytes>        the most a CSV chunk holds (default 256MiB; suffixes k, m, g); each 64MiB
                                  segment of a COPY block starts a chunk too
      --location <uri>            where import.sql reads the files from (default: the output folder); e.g. s3://bucket/dir
      --from <postgres-url>       read the rows from this database (libpq URL; sslmode, sslrootcert, sslcert, sslkey);
                                  without sslmode, TLS unless the host is loopback. The password is never printed
      --keep-catalog-sql <file>   with --from and no schema: write the DDL read from the catalog to <file>
      --workers <n>               threads converting COPY rows, the main thread one of them (default: one per core for
                                  inputs of 64 MiB or more; 1: no worker threads); the files are the same for any number
      --uuid, --timestamptz, --collation, --auto-random, --text-key-length, --database, --config, --strict:
                                  as for translate (the schema decisions the rows follow)
      --format <f>                diagnostics as text (default) or json
  -q, --quiet                     hide info diagnostics
      --max-diagnostics <n>       print at most n diagnostics in full (default 200); data-report.json has the totals
  -h, --help                      this help

Exit codes: 0 every row loaded as it was, 1 a value, row or statement was not (or errors), 2 usage error.
`;

const OPTIONS = {
  ...SCHEMA_OPTIONS,
  'on-unrepresentable': { type: 'string' },
  'chunk-size': { type: 'string' },
  location: { type: 'string' },
  from: { type: 'string' },
  'keep-catalog-sql': { type: 'string' },
  workers: { type: 'string' },
} as const;

function parseSize(text: string): number | undefined {
  const m = /^(\d+)\s*([kmg]i?b?)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? '').toLowerCase()[0];
  const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
  return n > 0 ? n : undefined;
}

export async function runData(argv: readonly string[], io: CliIo): Promise<number> {
  // The parser's WASM without its optimising tier: rows never reach the parser, and compiling its
  // hot functions again cost 0.2 s of CPU a run (measured: 0.37 s -> 0.17 s for a small dump), more
  // than a dump's DDL gains. Set before the module is first compiled (raw-parser.ts, lazily).
  setFlagsFromString('--liftoff-only');
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
  } catch (e) {
    // parseArgs quotes the argument it refused: a --from URL's password must not reach the terminal.
    err(`pg2tidb data: ${maskSource((e as Error).message)}\nRun pg2tidb data --help for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const plan = await configPlan(values.config, io.cwd);
  if (typeof plan === 'string') {
    err(plan);
    return 2;
  }
  const paths = positionals.length > 0 ? positionals.map((p) => (p === '-' ? p : resolve(io.cwd, p))) : (plan?.inputs ?? []);
  if (paths.length === 0 && values.from === undefined) {
    err('pg2tidb data: give the dump (a file, a folder, or - for standard input), or --from postgres://... for a live database');
    return 2;
  }
  if (values['keep-catalog-sql'] !== undefined && (values.from === undefined || paths.length > 0)) {
    err('pg2tidb data: --keep-catalog-sql saves the schema read from the catalog: it needs --from and no schema inputs');
    return 2;
  }
  let fromUrl: string | undefined;
  if (values.from !== undefined) {
    try {
      sourceOptions(values.from);
      fromUrl = values.from;
    } catch (e) {
      if (!(e instanceof UrlError)) throw e;
      err(`pg2tidb data: --from: ${e.message}`);
      return 2;
    }
  }
  if (values.out === undefined) {
    err('pg2tidb data: -o <dir> is required (the CSV chunks and load scripts are written there)');
    return 2;
  }
  const outDir = resolve(io.cwd, values.out);
  const policy = values['on-unrepresentable'] ?? 'fail';
  if (!['fail', 'null', 'skip-row'].includes(policy)) {
    err(`pg2tidb data: --on-unrepresentable must be fail, null or skip-row, not "${policy}"`);
    return 2;
  }
  const chunkBytes = values['chunk-size'] !== undefined ? parseSize(values['chunk-size']) : undefined;
  if (values['chunk-size'] !== undefined && chunkBytes === undefined) {
    err(`pg2tidb data: --chunk-size takes a size in bytes (e.g. 268435456, 64m, 1g), not "${values['chunk-size']}"`);
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    err(`pg2tidb data: --format must be text or json, not "${format}"`);
    return 2;
  }
  const maxDiagnostics = values['max-diagnostics'] !== undefined ? Number(values['max-diagnostics']) : 200;
  if (!Number.isInteger(maxDiagnostics) || maxDiagnostics < 0) {
    err(`pg2tidb data: --max-diagnostics takes a whole number, not "${values['max-diagnostics']}"`);
    return 2;
  }

  const workers = values.workers !== undefined ? Number(values.workers) : undefined;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) {
    err(`pg2tidb data: --workers takes a whole number of threads (1 or more), not "${values.workers}"`);
    return 2;
  }

  const options = schemaOptionsFrom(values, plan?.options);
  if (typeof options === 'string') {
    err(`pg2tidb data: ${options}`);
    return 2;
  }

  // Inputs: files and folders as they are; standard input is spooled to a temporary file, because the schema must be read before the rows.
  let spool: string | undefined;
  const inputs: DataInputFile[] = [];
  try {
    for (const p of paths) {
      if (p === '-') {
        spool ??= await mkdtemp(join(tmpdir(), 'pg2tidb-data-'));
        const file = join(spool, 'stdin.sql');
        await pipeline(io.stdin, createWriteStream(file));
        inputs.push({ path: '<stdin>', file });
        continue;
      }
      let info;
      try {
        info = await stat(p);
      } catch {
        err(`pg2tidb data: cannot read ${relative(io.cwd, p) || p}: no such file or directory`);
        return 2;
      }
      const shown = (f: string) => {
        const r = relative(io.cwd, f);
        return r && !r.startsWith('..') ? r : f;
      };
      if (info.isDirectory()) {
        const found = await inputFilesUnder(p, [outDir]);
        if (found.length === 0) {
          err(`pg2tidb data: ${shown(p)} contains no .sql or .py files`);
          return 2;
        }
        for (const f of found) inputs.push({ path: shown(f), file: f });
      } else inputs.push({ path: shown(p) || basename(p), file: p });
    }

    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    const chatty = tty && !values.quiet && format === 'text';
    const started = Date.now();
    let shownProgress = false;
    let result: DataResult;
    let rows: RowSource | undefined;
    try {
      if (fromUrl !== undefined) rows = await (await import('../data/pg-source.js')).connectPostgres(fromUrl);
      result = await convertData(
        inputs,
        options,
        { onUnrepresentable: policy as UnrepresentablePolicy, ...(chunkBytes ? { chunkBytes } : {}), ...(values.location ? { location: values.location } : {}), ...(rows ? { rows } : {}), ...(workers ? { workers } : {}) },
        outDir,
        chatty
          ? (p) => {
              const s = Math.max((Date.now() - started) / 1000, 0.001);
              // A live source's total is an estimate (the tables' size on disk): no percentage.
              const pct = rows ? `${(p.bytes / 1e6).toFixed(1)} MB read` : `${p.totalBytes ? Math.floor((100 * p.bytes) / p.totalBytes) : 100}% of ${(p.totalBytes / 1e6).toFixed(1)} MB`;
              io.stderr.write(`\r\x1b[2Kdata: ${pct}, ${p.rows} rows, ${(p.bytes / 1e6 / s).toFixed(1)} MB/s${p.table ? `  ${p.table}` : ''}`);
              shownProgress = true;
            }
          : undefined,
      );
    } catch (e) {
      if (shownProgress) io.stderr.write('\r\x1b[2K');
      if (e instanceof OptionError) {
        err(`pg2tidb: ${e.message}`);
        return 2;
      }
      if (e instanceof Error && e.name === 'PgSourceError') {
        err(`pg2tidb data: ${e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await rows?.close();
    }
    if (shownProgress) io.stderr.write('\r\x1b[2K');
    if (values['keep-catalog-sql'] !== undefined) await writeFile(resolve(io.cwd, values['keep-catalog-sql']), result.translation.files[0]?.text ?? '');

    const all = [...result.translation.diagnostics, ...result.diagnostics];
    const report = {
      tool: 'pg2tidb',
      version: VERSION,
      policy,
      exact: result.exact,
      totals: result.totals,
      tables: result.tables.map((t) => ({ database: t.database, table: t.table, source: t.source, rows: t.rows, bytes: t.bytes, checksum: t.checksum, problems: result.tableTotals.get(t.source) ?? result.tableTotals.get(`public.${t.source}`) ?? {} })),
      diagnostics: result.diagnostics,
    };
    await writeFile(join(outDir, 'data-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (format === 'json') err(renderJson(all));
    else {
      const text = renderText(all, { files: result.translation.files.filter((f) => f.text.length < 5_000_000), quiet: values.quiet ?? false, color: tty, ...(maxDiagnostics ? { limit: maxDiagnostics } : {}) });
      if (text.trim()) err(text);
      const rows = result.tables.reduce((n, t) => n + t.rows, 0);
      const bytes = result.tables.reduce((n, t) => n + t.bytes, 0);
      const c = countBySeverity(all);
      const totals = Object.entries(result.totals).map(([k, n]) => `${k} x${n}`).join(', ');
      err(`wrote ${relative(io.cwd, outDir) || '.'}: ${result.tables.filter((t) => t.rows > 0).length} tables, ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB of CSV; ${c.error} errors, ${c.warning} warnings, ${c.info} notes${totals ? ` (data: ${totals})` : ''}`);
    }
    const schemaCode = exitCodeFor({ diagnostics: all }, values.strict ?? false);
    return schemaCode !== 0 ? schemaCode : result.exact ? 0 : 1;
  } finally {
    if (spool) await rm(spool, { recursive: true, force: true });
  }
}
