import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RawParse } from './raw-parser.js';

/** Below this many bytes of SQL, starting workers costs more than they save (bench/results/latest.md). */
export const PARALLEL_PARSE_MIN_BYTES = 2 * 1024 * 1024;

/**
 * How many parse workers to use for `bytes` of SQL: `requested` when given, else one per core but
 * the main thread's (it lowers as fast as they parse; more workers only take its core), at most 4.
 */
export function parseWorkerCount(bytes: number, requested?: number): number {
  if (requested !== undefined) return Math.max(0, Math.floor(requested));
  if (bytes < PARALLEL_PARSE_MIN_BYTES) return 0;
  return Math.max(0, Math.min(availableParallelism() - 1, 4));
}

/**
 * Parses statement chunks on worker threads. Results come back as JSON text in request order,
 * so the caller builds exactly the trees a single-threaded parse would.
 */
export class ParsePool {
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; sql: string }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: RawParse) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | undefined;

  /** `module`: the parser's compiled WASM (raw-parser.ts parserModule), shared with the workers. */
  constructor(size: number, module: WebAssembly.Module) {
    const script = workerScript();
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script, { workerData: { module } });
      worker.on('message', (message: { ready: true } | { id: number; result: RawParse }) => {
        if ('id' in message) {
          this.waiting.get(message.id)?.resolve(message.result);
          this.waiting.delete(message.id);
        }
        this.idle.push(worker);
        this.pump();
      });
      worker.on('error', (e) => this.fail(e));
      return worker;
    });
  }

  parse(sql: string): Promise<RawParse> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const result = new Promise<RawParse>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.queue.push({ id, sql });
    this.pump();
    return result;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) this.idle.pop()!.postMessage(this.queue.shift()!);
  }

  private fail(e: Error): void {
    this.failure = new Error(`a parse worker failed: ${e.message}`);
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
}

/** The compiled worker next to this module; from the sources (vitest), the built copy in dist/. */
function workerScript(): URL {
  const here = new URL('./parse-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/]frontends[\\/]postgres[\\/])/, '$1dist$2');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`parse worker script not found (${fileURLToPath(here)}); run \`npm run build\``);
}
