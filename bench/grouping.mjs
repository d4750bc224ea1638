// Cost of grouping diagnostics (src/diagnostics/group.ts) as a ratio against floors measured in the same run:
// serialising the same diagnostics (JSON.stringify, which report.json does anyway) and one pass over them
// reading each subject's text. Inputs: the corpus files with the most diagnostics.
//   npm run build && node bench/grouping.mjs [--runs N]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupDiagnostics, subjectText, translate } from '../dist/index.js';

const CORPUS = join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'pg');
const FILES = ['postgrest_big_schema.sql', 'danbooru_structure.sql', 'chado.sql'];
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 30;

/** Median milliseconds of `fn` over RUNS runs, after a warm-up. */
function median(fn) {
  for (let i = 0; i < 3; i++) fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const rows = [];
for (const name of FILES) {
  let text;
  try {
    text = readFileSync(join(CORPUS, name), 'utf8');
  } catch {
    continue; // chado is not in every corpus checkout
  }
  const { diagnostics } = await translate({ path: name, text });
  let sink = 0;
  const group = median(() => (sink += groupDiagnostics(diagnostics).length));
  const serialise = median(() => (sink += JSON.stringify(diagnostics).length));
  const iterate = median(() => {
    for (const d of diagnostics) sink += subjectText(d.subject).length;
  });
  rows.push({ name, diagnostics: diagnostics.length, groups: groupDiagnostics(diagnostics).length, group, serialise, iterate, sink });
}

console.log('| input | diagnostics | groups | group ms | serialise ms | iterate ms | group / serialise | group / iterate |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.diagnostics} | ${r.groups} | ${r.group.toFixed(2)} | ${r.serialise.toFixed(2)} | ${r.iterate.toFixed(3)} | ${(r.group / r.serialise).toFixed(2)} | ${(r.group / r.iterate).toFixed(1)} |`);
}
