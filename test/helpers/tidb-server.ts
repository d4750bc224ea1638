// A real tidb-server (TiDB v8.5, unistore storage) as a test oracle.
//
// The binary is built from the Go module proxy by test/oracles/tidb-server/build.sh
// (once; cached under ${PG2TIDB_CACHE:-.cache}/oracles/). startTidbServer() runs it
// on loopback ports in a throwaway data directory; test/setup/tidb-server.global.ts
// starts ONE per vitest run and hands host/ports to tests via provide/inject;
// freshDatabase() gives a test file a mysql2 connection to a database of its own.
//
// Environment:
//   PG2TIDB_TIDB_SERVER_BIN   use this tidb-server binary instead of running build.sh
//   PG2TIDB_TIDB_PORT         (global setup only) use the already running server on this
//   PG2TIDB_TIDB_HOST          port and host (default 127.0.0.1) instead of starting one
//   PG2TIDB_TIDB_LOG_LEVEL    server log level (default "warn")
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, ConnectionOptions } from 'mysql2/promise';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Host of the tidb-server started by test/setup/tidb-server.global.ts. */
    tidbHost: string;
    /** Its MySQL-protocol port. */
    tidbPort: number;
    /** Its HTTP status port (0 when unknown, i.e. an external server). */
    tidbStatusPort: number;
  }
}

/** Where a tidb-server listens. */
export interface TidbEndpoint {
  host: string;
  port: number;
}

export interface TidbServer extends TidbEndpoint {
  statusPort: number;
  /** Binary that was started. */
  binary: string;
  /** Throwaway directory: unistore data, config, logs. Removed by stop() unless keepDir. */
  dir: string;
  /** Server log (TiDB's own log file). */
  logFile: string;
  /** The process's stdout+stderr (panics land here). */
  outputFile: string;
  pid: number;
  /** Milliseconds from spawn to "answers on both ports". */
  startMs: number;
  /** Stops the server (SIGTERM, SIGKILL after 10 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartTidbServerOptions {
  /** tidb-server binary; default $PG2TIDB_TIDB_SERVER_BIN or the one build.sh builds. */
  binary?: string;
  /** Give up (and throw with the log tail) after this long. Default 120 s. */
  startTimeoutMs?: number;
  /** Server log level. Default $PG2TIDB_TIDB_LOG_LEVEL or "warn". */
  logLevel?: string;
  /** Keep the data/log directory after stop() (for debugging). Default false. */
  keepDir?: boolean;
  /**
   * Extra TOML inserted after the generated top-level keys and before its `[log]`
   * table (so it may set top-level keys and other tables, but not `[log]`).
   */
  extraConfig?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
// Compiled for `npm run fuzz` (.cache/fuzz/test/helpers), the script is still the repository's (run from its root).
const buildScript = existsSync(resolve(here, '../oracles/tidb-server/build.sh')) ? resolve(here, '../oracles/tidb-server/build.sh') : resolve(process.cwd(), 'test/oracles/tidb-server/build.sh');

/**
 * Path of the tidb-server binary: $PG2TIDB_TIDB_SERVER_BIN, else build.sh's output
 * (building first if needed: tens of minutes cold, progress on stderr).
 * Throws with the build output on failure.
 */
export async function tidbServerBinary(): Promise<string> {
  const fromEnv = process.env['PG2TIDB_TIDB_SERVER_BIN'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PG2TIDB_TIDB_SERVER_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolvePromise, reject) => {
      const child = spawn('bash', [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        err += d;
        process.stderr.write(d); // build progress is worth seeing on a cold cache
      });
      child.on('error', reject);
      child.on('close', (c) => resolvePromise({ code: c, stdout: out, stderr: err }));
    },
  );
  const bin = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !bin || !existsSync(bin)) {
    throw new Error(`tidb-server could not be built (${buildScript}, exit ${code}):\n${tail(stderr + stdout, 80)}`);
  }
  return bin;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolvePromise(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Starts a tidb-server on 127.0.0.1 (unistore storage in a fresh temp directory, free
 * ports) and resolves once it answers on its status port (HTTP /status) and its SQL
 * port. Throws, with the tail of the server's log, if it exits or does not answer
 * in time. Retries on a port clash (up to 3 attempts).
 */
export async function startTidbServer(opts: StartTidbServerOptions = {}): Promise<TidbServer> {
  const binary = opts.binary ?? (await tidbServerBinary());
  if (!existsSync(binary)) throw new Error(`tidb-server binary ${binary} does not exist`);
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binary, opts);
    } catch (err) {
      lastError = err;
      if (!(err instanceof PortClashError)) throw err;
    }
  }
  throw lastError;
}

class PortClashError extends Error {}

async function startOnce(binary: string, opts: StartTidbServerOptions): Promise<TidbServer> {
  const host = '127.0.0.1';
  const port = await freePort();
  let statusPort = await freePort();
  while (statusPort === port) statusPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-tidb-'));
  const logFile = join(dir, 'tidb.log');
  const outputFile = join(dir, 'tidb.out');
  const configFile = join(dir, 'tidb.toml');
  const logLevel = opts.logLevel ?? process.env['PG2TIDB_TIDB_LOG_LEVEL'] ?? 'warn';
  writeFileSync(
    configFile,
    [
      `temp-dir = ${JSON.stringify(join(dir, 'tmp'))}`,
      `tmp-storage-path = ${JSON.stringify(join(dir, 'tmp-storage'))}`,
      // Bootstrap-time only; TiDB's default, spelled out: utf8mb4_0900_ai_ci & co. are real collations.
      `new_collations_enabled_on_first_bootstrap = true`,
      opts.extraConfig ?? '',
      `[log]`,
      `level = ${JSON.stringify(logLevel)}`,
      `[log.file]`,
      `filename = ${JSON.stringify(logFile)}`,
      '',
    ].join('\n'),
  );
  const args = [
    '-store', 'unistore',
    '-path', join(dir, 'data'),
    '-host', host,
    '-P', String(port),
    '-status', String(statusPort),
    '-config', configFile,
    '-socket', '',
  ];
  const outFd = openSync(outputFile, 'a');
  const started = Date.now();
  let child: ChildProcess;
  try {
    child = spawn(binary, args, { stdio: ['ignore', outFd, outFd], cwd: dir });
  } finally {
    closeSync(outFd);
  }
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      r();
    }),
  );
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  // Never leave an orphan behind if the runner exits without calling stop().
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (!exited && !spawnError && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };

  const describeFailure = (why: string): string =>
    `tidb-server failed to start: ${why}\n` +
    `  ${binary} ${args.join(' ')}\n` +
    `--- tail of ${logFile} ---\n${tail(readIfExists(logFile), 40)}\n` +
    `--- tail of ${outputFile} ---\n${tail(readIfExists(outputFile), 40)}`;

  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  for (;;) {
    if (spawnError) {
      const msg = describeFailure(`spawn error: ${spawnError.message}`);
      await stop();
      throw new Error(msg);
    }
    if (exited) {
      const msg = describeFailure(`exited early (code ${exited.code}, signal ${exited.signal})`);
      const clash = /address already in use/i.test(msg);
      await stop();
      throw clash ? new PortClashError(msg) : new Error(msg);
    }
    if ((await statusOk(host, statusPort)) && (await tcpOpen(host, port))) break;
    if (Date.now() - started > timeoutMs) {
      const msg = describeFailure(`no answer within ${timeoutMs} ms`);
      await stop();
      throw new Error(msg);
    }
    await sleep(200);
  }
  return {
    host,
    port,
    statusPort,
    binary,
    dir,
    logFile,
    outputFile,
    pid: child.pid ?? -1,
    startMs: Date.now() - started,
    stop,
  };
}

/**
 * The tidb-server of this vitest run (from the global setup), via inject().
 * Only callable inside a vitest test file.
 */
export async function injectedTidb(): Promise<TidbEndpoint> {
  const { inject } = await import('vitest');
  const host = inject('tidbHost');
  const port = inject('tidbPort');
  if (!host || !port) {
    throw new Error(
      'no tidb-server was provided: add "./test/setup/tidb-server.global.ts" to globalSetup in vitest.config.ts',
    );
  }
  return { host, port };
}

/** Connection options for `database` on `server` (root, no password). */
export function connectionOptions(server: TidbEndpoint, database?: string): ConnectionOptions {
  return {
    host: server.host,
    port: server.port,
    user: 'root',
    password: '',
    ...(database === undefined ? {} : { database }),
    // Keep DATETIME/DECIMAL/BIGINT values exact (strings) for round-trip comparisons.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    connectTimeout: 20_000,
  };
}

export interface FreshDatabaseOptions {
  /** Server to use; default: the one the global setup provided (inject). */
  server?: TidbEndpoint;
  /** Allow several `;`-separated statements per query() call. Default false. */
  multipleStatements?: boolean;
}

/**
 * Drops and re-creates database `name` (characters outside [A-Za-z0-9_] become `_`),
 * and returns a mysql2/promise connection whose default database it is. One per test
 * file; the caller closes it (`await conn.end()` in afterAll).
 */
export async function freshDatabase(name: string, opts: FreshDatabaseOptions = {}): Promise<Connection> {
  const server = opts.server ?? (await injectedTidb());
  const db = sanitizeName(name);
  const mysql = await import('mysql2/promise');
  const admin = await mysql.createConnection(connectionOptions(server));
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.query(`CREATE DATABASE \`${db}\``);
  } finally {
    await admin.end();
  }
  return mysql.createConnection({
    ...connectionOptions(server, db),
    multipleStatements: opts.multipleStatements ?? false,
  });
}

function sanitizeName(name: string): string {
  const db = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
  if (!db) throw new Error(`freshDatabase: unusable database name ${JSON.stringify(name)}`);
  return db;
}

async function statusOk(host: string, port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}:${port}/status`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const sock = new Socket();
    const done = (ok: boolean): void => {
      sock.destroy();
      resolvePromise(ok);
    };
    sock.setTimeout(2_000, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(port, host, () => done(true));
  });
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '(missing)';
  }
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
