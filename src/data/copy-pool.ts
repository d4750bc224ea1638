/**
 * COPY batches converted on worker threads, applied in the order they were read: a bounded
 * number in flight (the reader waits when it is reached, so memory does not grow with the input),
 * results handed to their `apply` strictly in submission order, so the files, checksums and
 * diagnostics are those of a single-threaded run whatever the scheduling.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchJob, BatchResult } from './copy-batch.js';
import type { CopyWorkerData } from './copy-worker.js';

/** Threads for `workers` (undefined: one per available core; 1: none). */
export function copyWorkerCount(requested: number | undefined): number {
  return Math.max(1, requested ?? availableParallelism());
}

export class CopyPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; job: BatchJob }[] = [];
  /**
   * Buffers back from the threads, for the next batches: inputs (a batch's bytes are copied into
   * one) and outputs (a worker writes a batch's CSV into one). Memory is recycled instead of
   * allocated per batch, in one thread and freed in another.
   */
  private readonly freeInputs: ArrayBuffer[] = [];
  private readonly freeOutputs: ArrayBuffer[] = [];
  private readonly waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  /** Results not yet applied, in submission order. */
  private readonly ordered: { result: Promise<BatchResult>; apply: (r: BatchResult) => void }[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private readonly limit: number;

  constructor(size: number, data: CopyWorkerData) {
    const script = workerScript();
    this.limit = 2 * size;
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script, { workerData: data });
      worker.on('message', (message: { id: number; result?: BatchResult; error?: string; input?: ArrayBuffer }) => {
        if (message.input !== undefined) this.recycle(this.freeInputs, message.input);
        const w = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.error !== undefined) w?.reject(new Error(`a COPY worker failed: ${message.error}`));
        else w?.resolve(message.result!);
        this.idle.push(worker);
        this.pump();
      });
      worker.on('error', (e) => this.fail(e));
      this.idle.push(worker);
      return worker;
    });
  }

  /** Queues a batch (its bytes are copied, the caller's may be reused at once); waits while too many are in flight. */
  async submit(job: BatchJob, apply: (r: BatchResult) => void): Promise<void> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    job = { ...job, bytes: this.copyIn(job.bytes) };
    const result = new Promise<BatchResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    result.catch(() => undefined);
    this.queue.push({ id, job });
    this.ordered.push({ result, apply });
    this.pump();
    while (this.ordered.length >= this.limit) await this.applyOne();
  }

  /** Applies every result still in flight. */
  async drain(): Promise<void> {
    while (this.ordered.length > 0) await this.applyOne();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async applyOne(): Promise<void> {
    const next = this.ordered.shift()!;
    const result = await next.result;
    next.apply(result);
    this.recycle(this.freeOutputs, result.csv.buffer as ArrayBuffer);
  }

  /** The bytes in a recycled buffer (or a new one with room to spare, so that it serves again). */
  private copyIn(bytes: Uint8Array): Uint8Array {
    const i = this.freeInputs.findIndex((b) => b.byteLength >= bytes.length);
    const buffer = i === -1 ? new ArrayBuffer(2 ** Math.ceil(Math.log2(Math.max(1 << 16, bytes.length)))) : this.freeInputs.splice(i, 1)[0]!;
    const copy = new Uint8Array(buffer, 0, bytes.length);
    copy.set(bytes);
    return copy;
  }

  private recycle(list: ArrayBuffer[], buffer: ArrayBuffer): void {
    if (buffer.byteLength > 0 && list.length < this.limit) list.push(buffer);
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const { id, job } = this.queue.shift()!;
      const spare = this.freeOutputs.pop();
      const transfer = [job.bytes.buffer as ArrayBuffer, ...(spare ? [spare] : [])];
      this.idle.pop()!.postMessage({ id, job, spare }, transfer);
    }
  }

  private fail(e: Error): void {
    this.failure = new Error(`a COPY worker failed: ${e.message}`);
    for (const w of this.waiting.values()) w.reject(this.failure);
    this.waiting.clear();
  }
}

/** The compiled worker next to this module; from the sources (vitest), the built copy in dist/. */
function workerScript(): URL {
  const here = new URL('./copy-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = fileURLToPath(here).replace(/([\\/])src([\\/]data[\\/])/, '$1dist$2');
  if (existsSync(built)) return pathToFileURL(built);
  throw new Error(`COPY worker script not found (${fileURLToPath(here)}); run \`npm run build\``);
}
