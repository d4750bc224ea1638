#!/usr/bin/env node
// CLI cold start: wall time of one-shot `pg2tidb` processes against bare `node -e 0`, measured in
// the same run, interleaved round by round, so the ratio holds on a loaded machine too.
//
//   node bench/cold-start.mjs [--runs 20] [--bin bin/pg2tidb.js] [--label after] [--out bench/results]
//
// Cases: bare node; `--version` (the CLI's module graph, no parser); `translate` of the example
// schema (libpg-query) and of a small SQLAlchemy file (tree-sitter), stdout piped. `--bin` points at
// another build (e.g. an older checkout) for before/after figures. Writes cold-start.md (committed)
// and cold-start.json in --out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const argv = process.argv.slice(2);
const opt = (k, d) => { const i = argv.indexOf(k); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const RUNS = Number(opt('--runs', '20'));
const WARMUP = 2;
const BIN = resolve(opt('--bin', join(ROOT, 'bin', 'pg2tidb.js')));
const LABEL = opt('--label', '');
const OUT = resolve(opt('--out', join(HERE, 'results')));
/** The target from issue 17: 300 ms where bare node took about 110 ms. */
const TARGET_MS = 300;
const TARGET_NODE_MS = 110;

const SQL = join(ROOT, 'fixtures', 'example', 'input.sql');
const PY = join(ROOT, 'fixtures', 'sa-blog-declarative', 'models.py');
for (const f of [BIN, SQL, PY]) if (!existsSync(f)) throw new Error(`missing ${f}${f === BIN ? ' (npm run build first)' : ''}`);

const CASES = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'pg2tidb --version', args: [BIN, '--version'] },
  { name: 'pg2tidb translate example (SQL)', args: [BIN, 'translate', SQL] },
  { name: 'pg2tidb translate models.py (SQLAlchemy)', args: [BIN, 'translate', PY] },
];

// CPU time (user + system, every thread of the child) is steadier than wall time on a shared machine.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'pg2tidb-bench-cpu';

function once(c) {
  const [cmd, args] = TIME ? [TIME, ['-f', `${CPU_MARK} %U %S`, process.execPath, ...c.args]] : [process.execPath, c.args];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 && !(r.status === 1 && c.args.includes('translate'))) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  const m = r.stderr.match(new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`));
  return { ms, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const times = CASES.map(() => []);
const cpu = CASES.map(() => []);
const load0 = loadavg();
for (let round = 0; round < RUNS + WARMUP; round++) {
  // Rotate the order so no case always runs right after another.
  for (let k = 0; k < CASES.length; k++) {
    const i = (k + round) % CASES.length;
    const { ms, cpuMs } = once(CASES[i]);
    if (round >= WARMUP) {
      times[i].push(ms);
      cpu[i].push(cpuMs);
    }
  }
}
const node = times[0];
const rows = CASES.map((c, i) => ({
  name: c.name,
  medianMs: median(times[i]),
  minMs: Math.min(...times[i]),
  maxMs: Math.max(...times[i]),
  // Paired by round: this case over bare node in the same round.
  ratio: median(times[i].map((t, r) => t / node[r])),
  overNodeMs: median(times[i].map((t, r) => t - node[r])),
  cpuMs: TIME ? median(cpu[i]) : null,
  cpuRatio: TIME ? median(cpu[i].map((t, r) => t / cpu[0][r])) : null,
}));

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const result = { label: LABEL, bin: relative(ROOT, BIN) || BIN, commit, node: process.version, cpu: cpus()[0]?.model, cores: cpus().length, runs: RUNS, loadavgStart: load0, loadavgEnd: loadavg(), rows };
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'cold-start.json'), JSON.stringify(result, null, 2));

const f = (x) => x.toFixed(0);
let md = `# CLI cold start${LABEL ? `: ${LABEL}` : ''}\n\n`;
md += `\`node bench/cold-start.mjs\`, commit ${commit}, ${result.bin}, Node ${process.version}, ${result.cores} × ${result.cpu}, load average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${result.loadavgEnd.map((x) => x.toFixed(1)).join(' ')}.\n`;
md += `${RUNS} rounds (after ${WARMUP} warm-up rounds), each one fresh process per case in rotating order; wall time of the spawn, stdout piped.\n`;
md += `Ratios are paired with bare \`node -e 0\` in the same round. The target (${TARGET_MS} ms where bare node took ${TARGET_NODE_MS} ms) is about ${(TARGET_MS / TARGET_NODE_MS).toFixed(1)}× bare node.\n\n`;
md += `CPU is user + system time of the child (all threads, from /usr/bin/time; 10 ms resolution), steadier than wall time when the machine is shared.\n\n`;
md += '| case | wall ms, median | min–max | wall × node -e 0 | wall over node (ms) | CPU ms | CPU × node -e 0 |\n|---|---:|---:|---:|---:|---:|---:|\n';
for (const r of rows) md += `| ${r.name} | ${f(r.medianMs)} | ${f(r.minMs)}–${f(r.maxMs)} | ${r.ratio.toFixed(2)} | ${f(r.overNodeMs)} | ${r.cpuMs === null ? '—' : f(r.cpuMs)} | ${r.cpuRatio === null ? '—' : r.cpuRatio.toFixed(2)} |\n`;
writeFileSync(join(OUT, 'cold-start.md'), md);
process.stdout.write(md);
