#!/usr/bin/env node
// Bundles the CLI (dist/cli/main.js, from tsc) into dist/cli-bundle/ for bin/pg2tidb.js: one module
// to load instead of some sixty halves the CLI's module-loading time (bench/cold-start.mjs).
// The library (dist/ from tsc) is what `import 'pg2tidb'` gets; this copy is only the CLI's.
// Dependencies stay external, so their WASM files are found where npm installed them. Lazily
// loaded emitters and frontends stay separate chunks, loaded only when asked for. The parse
// worker is its own entry, next to the chunks, where parse-pool.ts looks for it.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'cli-bundle');
// Chunk names carry content hashes: clear old ones so a stale chunk never ships.
rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: [join(ROOT, 'dist', 'cli', 'main.js'), join(ROOT, 'dist', 'frontends', 'postgres', 'parse-worker.js'), join(ROOT, 'dist', 'data', 'copy-worker.js')],
  outdir: OUT,
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Function and class names as in the sources, in case any message or check reads them.
  keepNames: true,
  logLevel: 'warning',
});
