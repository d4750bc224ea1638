/**
 * COPY rows converted on several threads, applied in the order they were read. Two kinds of work:
 * a dump file's segments (segments.ts), which a worker reads and writes itself, and a stream's
 * batches (a live source), whose bytes are posted. The main thread is one of the converting
 * threads: a segment or a batch goes to a worker while the workers have room, else the main thread
 * converts it itself (on two cores, two workers and a reading main thread would share two cores
 * three ways). A bounded number of results wait to be applied (the reader waits when it is
 * reached, so memory does not grow with the input), and results are handed to their `apply`
 * strictly in submission order, so the files, checksums and diagnostics are those of a
 * single-threaded run whatever the scheduling.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchJob, BatchResult } from './copy-batch.js';
import type { CopyWorkerData } from './copy-worker.js';
import type { SegmentJob, SegmentResult } from './segments.js';

/** Threads converting for `workers` (undefined: one per available core; 1: the main thread alone). */
export function copyWorkerCount(requested: number | undefined): number {
  return Math.max(1, requested ?? availableParallelism());
}

/** Batches posted to one worker before it is counted full: the next ones wait in its port when one ends (measured: 2 left it idle, 4 and 6 no better). */
const PER_WORKER = 3;
/** Segments given to one worker before the main thread converts the next itself: one converting, one queued so it never waits for the main thread's. */
const SEGMENTS_PER_WORKER = 2;

interface Pending {
  /** Applies the result, once it is there. */
  run?: () => void;
  error?: Error;
  /** Resolves once run or error is set. */
  readonly done: Promise<void>;
  readonly settle: () => void;
}

function pending(): Pending {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { done, settle };
}

type WorkerMessage = { id: number; result?: BatchResult; segment?: SegmentResult; error?: string; input?: ArrayBuffer };

export class CopyPool {
  private readonly workers: Worker[];
  private readonly posted = new Map<Worker, number>();
  /** Buffers back from the threads, for the next batches: inputs (a batch's bytes are copied into one) and outputs (a CSV is written into one). */
  private readonly freeInputs: ArrayBuffer[] = [];
  private readonly freeOutputs: ArrayBuffer[] = [];
  /** Per job in a worker: what to do with its result. */
  private readonly inFlight = new Map<number, { readonly p: Pending; readonly take: (m: WorkerMessage) => () => void }>();
  /** Results not yet applied, in submission order. */
  private readonly ordered: Pending[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private readonly limit: number;

  /**
   * `workers`: worker threads; `convertHere` converts a batch in the main thread, into `reuse`
   * when given. The workers start loading at once (a worker takes ~0.2 s to be ready, the schema
   * pass that long at 1 GB) and get their tables from start(); until then they do not keep the
   * process alive.
   */
  constructor(
    workers: number,
    private readonly convertHere: (job: BatchJob, reuse?: ArrayBuffer) => BatchResult,
  ) {
    const script = workerScript();
    const size = Math.max(1, workers);
    // Results waiting for an earlier one: room for the main thread to go on converting while a worker's batch is out (5 left it idle 17 % of a run).
    this.limit = (PER_WORKER + 3) * size + 6;
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script);
      worker.unref();
      this.posted.set(worker, 0);
      worker.on('message', (message: WorkerMessage) => {
        if (message.input !== undefined) this.recycle(this.freeInputs, message.input);
        this.posted.set(worker, this.posted.get(worker)! - 1);
        const job = this.inFlight.get(message.id);
        this.inFlight.delete(message.id);
        if (!job) return;
        const { p } = job;
        if (message.error !== undefined) p.error = new Error(`a COPY worker failed: ${message.error}`);
        else p.run = job.take(message);
        p.settle();
        // Results are applied as they arrive (in order), also while the main thread waits for input.
        if (this.failure) return;
        try {
          this.applyReady();
        } catch (e) {
          this.failure = e instanceof Error ? e : new Error(String(e));
        }
      });
      worker.on('error', (e) => this.fail(e));
      return worker;
    });
  }

  /** The tables the batches are converted for: every worker plans them, before its first batch (messages keep their order). */
  start(data: CopyWorkerData): void {
    for (const worker of this.workers) {
      worker.ref();
      worker.postMessage({ start: data });
    }
  }

  /** A batch to convert (its bytes may be reused by the caller at once); waits while too many results are unapplied. */
  async submit(job: BatchJob, apply: (r: BatchResult) => void): Promise<void> {
    if (this.failure) throw this.failure;
    const p = pending();
    this.ordered.push(p);
    const worker = this.roomiest();
    if (worker) {
      const id = this.nextId++;
      this.inFlight.set(id, { p, take: (m) => this.applying(apply, m.result!) });
      const bytes = this.copyIn(job.bytes);
      const spare = this.freeOutputs.pop();
      this.posted.set(worker, this.posted.get(worker)! + 1);
      // lineEnds is the reader's, reused after this call: a copy of just its rows goes.
      worker.postMessage({ id, job: { ...job, bytes, ...(job.lineEnds ? { lineEnds: job.lineEnds.slice() } : {}) }, spare }, [bytes.buffer as ArrayBuffer, ...(spare ? [spare] : [])]);
    } else {
      // Every worker has its fill: the main thread converts this one (from the caller's bytes, before they are reused).
      p.run = this.applying(apply, this.convertHere(job, this.freeOutputs.pop()));
      p.settle();
    }
    this.applyReady();
    // A turn of the event loop: the workers' messages (results, room for more) are read before the next batch is placed.
    await new Promise<void>((r) => setImmediate(r));
    while (this.ordered.length >= this.limit) await this.applyOne();
  }

  /** Whether a worker can take a segment now (else the main thread converts it). */
  hasRoom(): boolean {
    return [...this.posted.values()].some((n) => n < SEGMENTS_PER_WORKER);
  }

  /** A segment for the worker with the fewest jobs (it reads and writes the files itself); waits while too many results are unapplied. */
  async submitSegment(job: SegmentJob, apply: (r: SegmentResult) => void): Promise<void> {
    if (this.failure) throw this.failure;
    const p = pending();
    this.ordered.push(p);
    const worker = this.leastBusy();
    const id = this.nextId++;
    this.inFlight.set(id, { p, take: (m) => () => apply(m.segment!) });
    this.posted.set(worker, this.posted.get(worker)! + 1);
    worker.postMessage({ id, segment: job });
    this.applyReady();
    while (this.ordered.length >= this.segmentLimit) await this.applyOne();
  }

  /** Work the main thread did whose effects (its rows' diagnostics) wait for the results submitted before it. */
  later(run: () => void): void {
    const p = pending();
    p.run = run;
    p.settle();
    this.ordered.push(p);
    this.applyReady();
  }

  /** Results waiting for an earlier one: each worker's segments, and the main thread's behind them. */
  private get segmentLimit(): number {
    return (SEGMENTS_PER_WORKER + 2) * this.workers.length + 2;
  }

  private applying(apply: (r: BatchResult) => void, result: BatchResult): () => void {
    return () => {
      apply(result);
      this.recycle(this.freeOutputs, result.csv.buffer as ArrayBuffer);
    };
  }

  /** Applies every result still in flight. */
  async drain(): Promise<void> {
    while (this.ordered.length > 0) await this.applyOne();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private leastBusy(): Worker {
    let best = this.workers[0]!;
    for (const [w, n] of this.posted) if (n < this.posted.get(best)!) best = w;
    return best;
  }

  /** The worker with the fewest batches posted, if it has room for another. */
  private roomiest(): Worker | undefined {
    let best: Worker | undefined;
    let least = PER_WORKER;
    for (const [w, n] of this.posted) {
      if (n < least) {
        best = w;
        least = n;
      }
    }
    return best;
  }

  /** Applies results from the head of the order while they are there. */
  private applyReady(): void {
    while (this.ordered.length > 0 && this.ordered[0]!.run !== undefined) this.applyHead();
  }

  private async applyOne(): Promise<void> {
    const head = this.ordered[0]!;
    await head.done;
    if (head.error) throw head.error;
    if (this.failure) throw this.failure;
    // A worker's message may have applied it meanwhile.
    if (this.ordered[0] === head) this.applyHead();
  }

  private applyHead(): void {
    this.ordered.shift()!.run!();
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

  private fail(e: Error): void {
    this.failure = new Error(`a COPY worker failed: ${e.message}`);
    for (const { p } of this.inFlight.values()) {
      p.error = this.failure;
      p.settle();
    }
    this.inFlight.clear();
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
