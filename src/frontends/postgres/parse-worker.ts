/** Worker-thread entry of ParsePool: parses statement chunks with its own copy of the WASM parser. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRawParser } from './raw-parser.js';

export interface ParseRequest {
  readonly id: number;
  readonly sql: string;
}

const port = parentPort;
if (port) {
  const parse = await loadRawParser((workerData as { module: WebAssembly.Module }).module);
  port.on('message', (request: ParseRequest) => {
    port.postMessage({ id: request.id, result: parse(request.sql) });
  });
  port.postMessage({ ready: true });
}
