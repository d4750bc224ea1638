/** Worker-thread entry of CopyPool: converts COPY batches and segments with its own table plans (the same planTables over the same translation, sent first). */
import { parentPort } from 'node:worker_threads';
import type { Schema } from '../ir/schema.js';
import type { TidbTable } from '../ir/tidb.js';
import { planTables } from './columns.js';
import { convertBatch, type BatchContext, type BatchJob, type UnrepresentablePolicy } from './copy-batch.js';
import { convertSegment, type SegmentJob } from './segments.js';

export interface CopyWorkerData {
  readonly schema: Schema;
  readonly tables: readonly TidbTable[];
  readonly policy: UnrepresentablePolicy;
  readonly maxRowDiagnostics: number;
}

const port = parentPort;
if (port) {
  let ctx: BatchContext | undefined;
  port.on('message', (request: { start: CopyWorkerData } | { id: number; job: BatchJob; spare?: ArrayBuffer } | { id: number; segment: SegmentJob }) => {
    if ('start' in request) {
      const data = request.start;
      ctx = { plans: planTables(data.schema, data.tables), policy: data.policy, maxRowDiagnostics: data.maxRowDiagnostics };
      return;
    }
    try {
      if (!ctx) throw new Error('a batch before the tables');
      if ('segment' in request) {
        port.postMessage({ id: request.id, segment: convertSegment(ctx, request.segment) });
        return;
      }
      // A Buffer again (the message made it a plain Uint8Array, whose indexOf is not memchr).
      const { bytes } = request.job;
      const result = convertBatch(ctx, { ...request.job, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) }, request.spare);
      // The batch's bytes go back too, for the pool to copy the next batch into.
      const input = request.job.bytes.buffer as ArrayBuffer;
      port.postMessage({ id: request.id, result, input }, [result.csv.buffer as ArrayBuffer, result.ends.buffer as ArrayBuffer, input]);
    } catch (e) {
      port.postMessage({ id: request.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
