#!/usr/bin/env node
// Summarise a V8 .cpuprofile (from `node --cpu-prof`): top functions by self
// time and by inclusive (total) time.
//   node bench/profile-summary.mjs <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) { console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N]'); process.exit(2); }
const ti = args.indexOf('--top');
const top = ti >= 0 ? Number(args[ti + 1]) : 25;
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
const totalUs = dt.reduce((a, b) => a + b, 0);
const label = (n) => {
  const cf = n.callFrame;
  const url = cf.url ? cf.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '') : '';
  return `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim();
};
const selfBy = new Map();
const inclBy = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const k = label(n);
  selfBy.set(k, (selfBy.get(k) ?? 0) + us);
  // inclusive: walk up, counting each label once per sample stack
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    inclBy.set(l, (inclBy.get(l) ?? 0) + us);
  }
}
const fmt = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
  .map(([k, us]) => `${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total sampled: ${(totalUs / 1000).toFixed(1)} ms\n\n== self time ==\n${fmt(selfBy)}\n\n== inclusive time ==\n${fmt(inclBy)}`);
