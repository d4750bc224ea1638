import { setFlagsFromString } from 'node:v8';

/**
 * Below this much input, the parsers' WebAssembly (libpg-query, tree-sitter) stays on V8's baseline
 * compiler. Optimising the hot parser functions takes longer than the parse itself until some tens of
 * megabytes, and a process cannot exit before that background compilation ends: on a small schema it
 * was most of the CLI's wall time (bench/cold-start.mjs). Measured: libpg-query parsing alone is
 * faster baseline-only at 10 MB of SQL and slower at 50 MB; whole CLI runs are even at 10 and 30 MB.
 * V8 prints an error for a flag it does not know: check these when moving to a new Node major.
 */
export const WASM_TIER_UP_MIN_BYTES = 20 * 1024 * 1024;

let decided = false;

/**
 * Chooses the WebAssembly tiering for this process from the size of its first run, before any
 * parser is compiled. The CLI only: V8 flags are process-wide, so the library leaves them alone.
 * Output does not depend on it, only speed.
 */
export function tuneWasmTiering(inputBytes: number): void {
  if (decided) return;
  decided = true;
  if (inputBytes < WASM_TIER_UP_MIN_BYTES) setFlagsFromString('--no-wasm-tier-up --no-wasm-dynamic-tiering');
}
