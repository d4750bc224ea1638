import { copyFromTable, metaEffect } from './data-forms.js';
import type { SourceFile } from '../../diagnostics/span.js';
import type { Schema } from '../../ir/schema.js';
import { chunkSql, ensureParser, planFile, resolveStep, type FilePlan, type PlanStep } from './parse.js';
import { ParsePool, parseWorkerCount } from './parse-pool.js';
import { parserModule, type RawParse } from './raw-parser.js';
import { SchemaState } from './state.js';
import { applySessionSetting, lowerStatement } from './statements.js';

export { PARALLEL_PARSE_MIN_BYTES, parseWorkerCount } from './parse-pool.js';

export interface ReadOptions {
  /** Worker threads that parse while this thread lowers; default: by input size and cores. Output is the same either way. */
  readonly parseWorkers?: number;
  /** Progress: called after each chunk of statements (about 256 KB) is lowered, and when a file is done. */
  readonly onStatements?: (progress: { readonly file: SourceFile; readonly statements: number; readonly fileDone: boolean }) => void;
}

/** Reads PostgreSQL DDL files, in order, into one schema. */
export async function readPostgres(files: readonly SourceFile[], options: ReadOptions = {}): Promise<Schema> {
  return (await readPostgresWithStats(files, options)).schema;
}

export interface FileStats {
  readonly path: string;
  /** Statements recognised (parsed, or failed to parse), psql meta-commands and COPY data blocks. */
  readonly statements: number;
  readonly syntaxErrors: number;
}

/** Chunks handed to the workers ahead of the one being lowered: bounds memory on 100 MB inputs. */
const PARSE_AHEAD_PER_WORKER = 3;

export async function readPostgresWithStats(files: readonly SourceFile[], options: ReadOptions = {}): Promise<{ schema: Schema; stats: FileStats[] }> {
  await ensureParser();
  const plans = files.map(planFile);
  const workers = parseWorkerCount(parsedChars(plans), options.parseWorkers);
  const pool = workers > 0 ? new ParsePool(workers, await parserModule()) : undefined;
  try {
    const state = new SchemaState();
    const stats: FileStats[] = [];
    for (const plan of plans) {
      const { file } = plan;
      const parsed = pool ? parseAhead(plan.steps, pool, workers * PARSE_AHEAD_PER_WORKER) : undefined;
      const counts = beginFile(state, plan);
      for (let i = 0; i < plan.steps.length; i++) {
        const step = plan.steps[i]!;
        applyStep(state, counts, resolveStep(plan, step, parsed ? await parsed(i) : undefined));
        if (step.kind === 'chunk') options.onStatements?.({ file, statements: counts.statements, fileDone: false });
      }
      const statements = counts.statements + plan.data.length + counts.syntaxErrors + plan.metaLines.length;
      stats.push({ path: file.path, statements, syntaxErrors: counts.syntaxErrors });
      options.onStatements?.({ file, statements, fileDone: true });
    }
    return { schema: state.freeze(), stats };
  } finally {
    await pool?.close();
  }
}

/** What the parser will see: COPY data and INSERTs are skipped, so a data dump needs no workers. */
export function parsedChars(plans: readonly FilePlan[]): number {
  let n = 0;
  for (const plan of plans) for (const step of plan.steps) if (step.kind === 'chunk') for (const t of step.texts) n += t.length;
  return n;
}

/** Step i's parse, keeping `ahead` more chunks queued on the workers. */
function parseAhead(steps: readonly PlanStep[], pool: ParsePool, ahead: number): (i: number) => Promise<RawParse | undefined> {
  const pending = new Map<number, Promise<RawParse>>();
  let sent = 0;
  return (i) => {
    for (; sent < steps.length && sent <= i + ahead; sent++) {
      const step = steps[sent]!;
      if (step.kind === 'chunk') pending.set(sent, pool.parse(chunkSql(step)));
    }
    const result = pending.get(i);
    pending.delete(i);
    return result ?? Promise.resolve(undefined);
  };
}

interface FileCounts {
  statements: number;
  syntaxErrors: number;
}

function beginFile(state: SchemaState, plan: FilePlan): FileCounts {
  // Each file starts with PostgreSQL's default search path, as a new psql session would.
  state.searchPath = ['public'];
  let connects = 0;
  for (const meta of plan.metaLines) {
    const { command, effect, argument } = metaEffect(meta.text);
    const span = plan.lines.span(meta.start, meta.end - meta.start);
    // \copy ... FROM a client file: rows, which are data; \copy ... TO writes a file and changes nothing.
    const copyFrom = effect === 'copy' ? copyFromTable(meta.text) : undefined;
    if (copyFrom !== undefined) {
      state.other({ kind: 'data', statement: '\\copy', name: copyFrom, span });
      continue;
    }
    // The first \connect of a file (pg_dump --create's) only says which database it is for; a later one starts another.
    if (effect === 'include' || (effect === 'connect' && connects++ > 0)) {
      state.note('psql-meta-not-run', { command, effect, argument }, span, { kind: 'statement', name: command });
      continue;
    }
    state.other({
      kind: 'psql-meta-command',
      statement: meta.text.split(/\s+/)[0] ?? '\\',
      name: meta.text.length > 60 ? `${meta.text.slice(0, 57)}...` : meta.text,
      span: plan.lines.span(meta.start, meta.end - meta.start),
    });
  }
  for (const d of plan.data) state.other({ kind: 'data', statement: d.label, ...(d.target ? { name: d.target } : {}), span: d.span });
  return { statements: 0, syntaxErrors: 0 };
}

function applyStep(state: SchemaState, counts: FileCounts, step: ReturnType<typeof resolveStep>): void {
  for (const error of step.errors) {
    if (error.missingSemicolon) state.note('unsupported-syntax', { reason: 'missing-semicolon' }, error.span);
    else state.note('syntax-error', { error: error.message }, error.span);
    if (!error.missingSemicolon) counts.syntaxErrors++;
  }
  for (const stmt of step.statements) {
    applySessionSetting(stmt, state);
    lowerStatement(stmt, state);
  }
  counts.statements += step.statements.length;
}
