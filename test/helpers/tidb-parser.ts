// TiDB's own SQL parser (release-8.5) as a test oracle, plus AST-level
// semantic checks. The Go program lives in test/oracles/tidb-parser; this file
// builds it on demand (build.sh) and talks JSON to it, one process per call.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TidbBatch {
  id: string;
  sql: string;
}

/** One statement as TiDB's parser saw it. Positions are 1-based within the batch's SQL. */
export interface TidbStatementResult {
  index: number;
  ok: boolean;
  /** Statement text (without the trailing `;`). */
  text: string;
  /** Parser error, with `line L column C` rewritten to batch positions. */
  error?: string;
  /** Error position when !ok, statement start otherwise. */
  line: number;
  column: number;
  startLine: number;
  /** Canonical form (TiDB Restore: uppercase keywords, backquoted names, /*T![..] *\/ comments). */
  restored?: string;
  /** AST node type, e.g. "CreateTableStmt". */
  kind?: string;
}

/** A semantic rule (tidb.md §1-5) broken by a statement that parsed fine. */
export interface TidbViolation {
  rule: string;
  message: string;
  /** Index into the batch's statements. */
  statementIndex: number;
  table?: string;
  detail?: string;
}

export interface TidbBatchResult {
  id: string;
  /** True when ParseSQL accepted the whole file at once. */
  wholeFileOk: boolean;
  wholeFileError?: string;
  statements: TidbStatementResult[];
  violations: TidbViolation[];
  warnings: string[];
}

interface OracleOutput {
  parser: string;
  batches: TidbBatchResult[];
}

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = resolve(here, '../oracles/tidb-parser/build.sh');

let cachedBinary: string | undefined;

/** Path of the oracle binary, building it first if needed. Throws with the build output on failure. */
export function tidbParserBinary(): string {
  if (cachedBinary !== undefined && existsSync(cachedBinary)) return cachedBinary;
  let out: string;
  try {
    out = execFileSync('bash', [buildScript], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message?: string };
    throw new Error(
      `tidb-parser oracle could not be built (${buildScript}):\n${e.stderr ?? ''}${e.stdout ?? ''}\n${e.message ?? ''}`,
    );
  }
  const bin = out.trim().split('\n').pop() ?? '';
  if (!bin || !existsSync(bin)) {
    throw new Error(`tidb-parser oracle build did not produce a binary; build.sh printed:\n${out}`);
  }
  cachedBinary = bin;
  return bin;
}

/** Runs the oracle over all batches in one process and returns the full per-batch results. */
export async function tidbCheck(batches: TidbBatch[]): Promise<Map<string, TidbBatchResult>> {
  const bin = tidbParserBinary();
  const input = JSON.stringify({ batches });
  const stdout = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => errOut.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`tidb-parser exited with ${code}: ${Buffer.concat(errOut).toString('utf8')}`));
    });
    child.stdin.end(input);
  });
  const parsed = JSON.parse(stdout) as OracleOutput;
  const result = new Map<string, TidbBatchResult>();
  for (const b of parsed.batches) result.set(b.id, b);
  return result;
}

/** Statement-level parse results per batch id. */
export async function tidbParse(batches: TidbBatch[]): Promise<Map<string, TidbStatementResult[]>> {
  const full = await tidbCheck(batches);
  return new Map([...full].map(([id, b]) => [id, b.statements]));
}
