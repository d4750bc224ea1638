/** `pg2tidb verify`: the live TiDB schema and rows against what translate and data make of the source. */
import { basename, join, relative, resolve } from 'node:path';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { notCarriedCount } from '../verify/not-carried.js';
import { UrlError } from '../connection/url.js';
import type { DataInputFile, UnrepresentablePolicy } from '../data/index.js';
import { inputFilesUnder } from '../inputs.js';
import { OptionError } from '../transform/options.js';
import type { VerifyResult } from '../verify/index.js';
import { maskUrl, targetOptions, tlsFailure } from '../verify/target-url.js';
import { isPostgresUrl, maskSource, sourceOptions } from '../data/pg-url.js';
import type { RowSource } from '../data/row-source.js';
import type { CliIo } from './io.js';
import { configPlan, SCHEMA_OPTIONS, schemaOptionsFrom } from './options.js';

const HELP = `pg2tidb verify: compare a migrated TiDB database with its PostgreSQL source

Usage:
  pg2tidb verify --source <dump.sql|dir> [--source ...] --target <mysql-url> [options]
  pg2tidb verify --source <schema.sql|dir> --source postgres://user@host/db --target <mysql-url> [options]
  pg2tidb verify --source postgres://user@host/db --target <mysql-url> [options]

The source is read as pg2tidb data reads it (schema and rows, by the same decisions, options and
config); a postgres:// source gives the rows from the live database, as pg2tidb data --from reads
them (the files then give only the schema; given none, the schema is read from the database's
catalog too, as pg2tidb data --from reads it). The target is only read. Compared:
  schema  information_schema against the DDL translate emits: tables, column types, nullability,
          comments, defaults, generated columns, primary keys, indexes (expressions too), foreign
          keys, CHECKs, partitions; each difference named by object
  data    per table the row count and an order-independent checksum of canonical values
          (CRC32 per row, BIT_XOR and SUM), computed here for the source and in SQL on TiDB; where
          they differ and the primary key is one integer column, the key range is split until the
          differing rows are named as small key ranges; any other key is split by its hash until
          each differing row is named by its key
  not carried  what the source holds that the conversion could not carry (values TiDB cannot hold,
          rows that do not parse, INSERT ... SELECT, large objects): each is a difference

The target URL: mysql://user:password@host:4000/ or the mysql+pymysql:// URL pg2tidb url prints
(ssl_ca, ssl_verify_cert, ssl_verify_identity); TLS unless the host is loopback or ssl_mode=disabled.
The password is never printed.

Options:
      --source <path|url>         the dump (file or folder; repeatable), or a postgres:// URL for live rows
      --target <url>              the TiDB database server
      --only <schema|data>        compare only one half
      --on-unrepresentable <p>    the policy the rows were loaded with (as for pg2tidb data)
      --uuid, --timestamptz, --collation, --auto-random, --text-key-length, --database, --config, --strict:
                                  as for translate and data
      --format <f>                text (default) or json
  -h, --help                      this help

Exit codes: 0 equal, 1 a difference (or the target could not be read), 2 usage error.
`;

const OPTIONS = {
  ...SCHEMA_OPTIONS,
  source: { type: 'string', multiple: true },
  target: { type: 'string' },
  only: { type: 'string' },
  'on-unrepresentable': { type: 'string' },
} as const;

export async function runVerify(argv: readonly string[], io: CliIo): Promise<number> {
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  const out = (s: string) => io.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: false, strict: true, options: OPTIONS });
  } catch (e) {
    // parseArgs quotes the argument it refused: a URL's password must not reach the terminal.
    err(`pg2tidb verify: ${maskSource((e as Error).message)}\nRun pg2tidb verify --help for usage.`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const plan = await configPlan(values.config, io.cwd);
  if (typeof plan === 'string') {
    err(plan);
    return 2;
  }
  const urls = (values.source ?? []).filter(isPostgresUrl);
  const files = (values.source ?? []).filter((s) => !isPostgresUrl(s));
  const paths = files.length > 0 ? files.map((p) => resolve(io.cwd, p)) : (plan?.inputs ?? []);
  if (urls.length > 1) {
    err('pg2tidb verify: give one postgres:// source (the database the rows come from)');
    return 2;
  }
  if (paths.length === 0 && urls.length === 0) {
    err('pg2tidb verify: give the source with --source <dump.sql|dir> or --source postgres://user@host/db');
    return 2;
  }
  if (urls[0] !== undefined) {
    try {
      sourceOptions(urls[0]);
    } catch (e) {
      if (!(e instanceof UrlError)) throw e;
      err(`pg2tidb verify: --source: ${e.message}`);
      return 2;
    }
  }
  if (values.target === undefined) {
    err('pg2tidb verify: give the TiDB target with --target mysql://user@host:4000/');
    return 2;
  }
  let target;
  try {
    target = targetOptions(values.target);
  } catch (e) {
    if (e instanceof UrlError) {
      err(`pg2tidb verify: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const only = values.only;
  if (only !== undefined && only !== 'schema' && only !== 'data') {
    err(`pg2tidb verify: --only must be schema or data, not "${only}"`);
    return 2;
  }
  const policy = values['on-unrepresentable'] ?? 'fail';
  if (!['fail', 'null', 'skip-row'].includes(policy)) {
    err(`pg2tidb verify: --on-unrepresentable must be fail, null or skip-row, not "${policy}"`);
    return 2;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    err(`pg2tidb verify: --format must be text or json, not "${format}"`);
    return 2;
  }
  const options = schemaOptionsFrom(values, plan?.options);
  if (typeof options === 'string') {
    err(`pg2tidb verify: ${options}`);
    return 2;
  }
  const inputs: DataInputFile[] = [];
  const shown = (f: string) => {
    const r = relative(io.cwd, f);
    return r && !r.startsWith('..') ? r : f;
  };
  for (const p of paths) {
    let info;
    try {
      info = await stat(p);
    } catch {
      err(`pg2tidb verify: cannot read ${shown(p)}: no such file or directory`);
      return 2;
    }
    if (info.isDirectory()) for (const f of await inputFilesUnder(p, [])) inputs.push({ path: shown(f), file: f });
    else inputs.push({ path: shown(p) || basename(p), file: p });
  }

  const { connectTarget, verify } = await import('../verify/index.js');
  const where = maskUrl(values.target);
  let conn;
  try {
    conn = await connectTarget(target);
  } catch (e) {
    const tls = tlsFailure(e);
    err(`pg2tidb verify: cannot connect to ${where}: ${maskUrl((e as Error).message)}${tls ? ` (TLS: ${tls})` : ''}`);
    return 1;
  }
  let result: VerifyResult;
  let rows: RowSource | undefined;
  let catalogDir: string | undefined;
  try {
    // Rows are read only when the data half is compared; the database is read for its schema too when no file gives it.
    if (urls[0] !== undefined && (only !== 'schema' || inputs.length === 0)) rows = await (await import('../data/pg-source.js')).connectPostgres(urls[0]);
    if (rows && only === 'schema' && inputs.length === 0) {
      // The schema half alone: the catalog's DDL is the source, and no row is read.
      const catalog = await rows.schema!();
      catalogDir = await mkdtemp(join(tmpdir(), 'pg2tidb-verify-catalog-'));
      const file = join(catalogDir, 'catalog.sql');
      await writeFile(file, catalog.text);
      inputs.push({ path: catalog.path, file });
      await rows.close();
      rows = undefined;
    }
    result = await verify(inputs, options, conn, { schema: only !== 'data', data: only !== 'schema', onUnrepresentable: policy as UnrepresentablePolicy, ...(rows ? { rows } : {}) });
  } catch (e) {
    if (e instanceof OptionError) {
      err(`pg2tidb: ${e.message}`);
      return 2;
    }
    err(`pg2tidb verify: ${maskSource((e as Error).message)}`);
    return 1;
  } finally {
    await rows?.close();
    await conn.end();
    if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
  }
  if (format === 'json') {
    out(JSON.stringify({ target: where, equal: result.equal, drift: result.drift, tables: result.tables, notCarried: result.notCarried.map((d) => ({ id: d.id, code: d.code, message: d.message, ...(d.span ? { span: d.span } : {}) })) }, null, 2));
  } else {
    for (const d of result.drift) out(`schema drift: ${d.object}: expected ${d.expected || "''"}, found ${d.actual || "''"}`);
    for (const t of result.tables) {
      if (t.error) out(`data: ${t.table}: cannot be read on the target: ${t.error}`);
      else if (!t.equal) {
        out(`data differs: ${t.table}: ${t.sourceRows} rows in the source, ${t.targetRows} on the target`);
        for (const r of t.ranges) out(`  key ${r.from === r.to ? r.from : `${r.from}..${r.to}`}: ${r.sourceRows} source rows, ${r.targetRows} target rows differ`);
      }
    }
    for (const d of result.notCarried) out(`not carried: ${d.span ? `${d.span.file}:${d.span.line}: ` : ''}${d.code} ${d.message}`);
    const differing = result.tables.filter((t) => !t.equal).length;
    const lostCount = notCarriedCount(result.notCarried);
    const lost = lostCount > 0 ? `, ${lostCount} source item${lostCount === 1 ? '' : 's'} not carried` : '';
    out(`verify ${where}: ${result.equal ? 'equal' : 'different'}: ${result.drift.length} schema differences, ${differing} of ${result.tables.length} tables with different rows${lost}${only ? ` (${only} only)` : ''}`);
  }
  return result.equal ? 0 : 1;
}
