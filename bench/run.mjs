#!/usr/bin/env node
// pg2tidb benchmark: pg2tidb (CLI and library) against the libpg-query parse
// floor, polyglot-sql and sqlglot, on the shared corpus and on synthetic
// pg_dump-style schemas of about 0.1, 1, 10 and 100 MB.
//
//   node bench/run.mjs [--quick] [--sizes 0.1,1,10,100] [--runs N] [--seed 42]
//                      [--tools floor-whole,floor-stmt,pg2tidb-lib,pg2tidb-lib-1t,pg2tidb-cli,polyglot,sqlglot]
//                      [--no-corpus] [--no-setup] [--sqlglot-timeout 120] [--out bench/results]
//
// Every measurement runs in a fresh child process (bench/lib/worker.mjs,
// bench/peers/sqlglot_run.py, or the CLI under /usr/bin/time -v). Writes
// bench/results/latest.md (committed), latest.json, run-<stamp>.json and
// time-vs-size.png (git-ignored). See bench/README.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInput } from './generate.mjs';
import { splitStatements, stripPsql } from './lib/prep.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SHARED = resolve(ROOT, '..', 'shared', 'corpus');
const VENV_PY = join(HERE, '.venv', 'bin', 'python');
const MB = 1024 * 1024;

// ---------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (k) => argv.includes(k);
const opt = (k, d) => { const i = argv.indexOf(k); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : d; };
if (flag('--help') || flag('-h')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const QUICK = flag('--quick');
const SIZES = opt('--sizes', QUICK ? '0.1,1,10' : '0.1,1,10,100').split(',').map(Number).filter((x) => x > 0);
const RUNS_OVERRIDE = opt('--runs') ? Number(opt('--runs')) : null;
const SEED = Number(opt('--seed', '42'));
const ALL_TOOLS = ['floor-whole', 'floor-stmt', 'pg2tidb-lib', 'pg2tidb-lib-1t', 'pg2tidb-cli', 'polyglot', 'sqlglot'];
const TOOLS = opt('--tools') ? opt('--tools').split(',') : ALL_TOOLS;
const OUT = resolve(opt('--out', join(HERE, 'results')));
const INPUTS_DIR = join(OUT, 'inputs');
const PREPPED_DIR = join(INPUTS_DIR, 'prepped');
// Per-run time limits (s). A tool whose predicted time (its median ms/MB on
// the largest input done so far x this input's size) is over its limit is
// skipped for that input, loudly; a run that goes over is killed and recorded
// as a timeout, and larger inputs are then skipped for that tool.
const LIMIT_S = {
  sqlglot: Number(opt('--sqlglot-timeout', '120')),
  polyglot: Number(opt('--polyglot-timeout', '300')),
  'floor-whole': 600, 'floor-stmt': 600, 'pg2tidb-lib': 600, 'pg2tidb-lib-1t': 600, 'pg2tidb-cli': 600,
};
// Corpus files get fewer runs than the synthetic series to keep a full run well under 60 min.
const runsFor = (bytes, kind) => RUNS_OVERRIDE ?? (kind === 'corpus' ? (QUICK ? 2 : 3)
  : bytes <= 2 * MB ? (QUICK ? 3 : 5) : bytes <= 20 * MB ? (QUICK ? 2 : 3) : 2);

const LABEL = {
  'floor-whole': 'libpg-query parse (whole file)',
  'floor-stmt': 'libpg-query parse (per statement)',
  'pg2tidb-lib': 'pg2tidb translate() (library)',
  'pg2tidb-lib-1t': 'pg2tidb translate(), one thread',
  'pg2tidb-cli': 'pg2tidb CLI (end to end)',
  polyglot: 'polyglot-sql transpile',
  sqlglot: 'sqlglot transpile',
};

const skips = []; // {tool, input, reason}
function loud(tool, input, reason) {
  skips.push({ tool, input, reason });
  console.error(`\n!!! SKIPPED ${tool} on ${input}: ${reason}\n`);
}
const log = (...a) => console.error(...a);

// ---------------------------------------------------------------- helpers
// Children run in their own process group (so a timeout can kill the whole
// /usr/bin/time -> node tree); on Ctrl-C / SIGTERM we end those groups too.
const activeChildren = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const pid of activeChildren) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
    process.exit(130);
  });
}
function runChild(cmd, args, { timeoutS, cwd = ROOT } = {}) {
  return new Promise((res) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    activeChildren.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; if (stderr.length > 1e6) stderr = stderr.slice(-5e5); });
    let timedOut = false;
    const timer = timeoutS ? setTimeout(() => { timedOut = true; try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutS * 1000) : null;
    child.on('close', (code, signal) => {
      activeChildren.delete(child.pid);
      if (timer) clearTimeout(timer);
      res({ code, signal, stdout, stderr, timedOut, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
  });
}
function lastJson(s) {
  const lines = s.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) { try { return JSON.parse(lines[i]); } catch { /* keep looking */ } }
  return null;
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const safe = (name) => name.replace(/[^A-Za-z0-9._-]+/g, '_');
const haveTime = existsSync('/usr/bin/time');

function prepped(input) {
  mkdirSync(PREPPED_DIR, { recursive: true });
  const f = join(PREPPED_DIR, `${safe(input.name)}.sql`);
  const j = `${f}.stmts.json`;
  const st = statSync(input.path);
  const stamp = `${f}.src`;
  const key = `${input.path}|${st.size}|${st.mtimeMs}`;
  if (!(existsSync(f) && existsSync(j) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key)) {
    const text = stripPsql(readFileSync(input.path, 'utf8'));
    writeFileSync(f, text);
    writeFileSync(j, JSON.stringify(splitStatements(text)));
    writeFileSync(stamp, key);
  }
  return { file: f, stmts: j };
}

async function measure(tool, input) {
  const limit = LIMIT_S[tool];
  if (tool === 'sqlglot') {
    const p = prepped(input);
    const r = await runChild(VENV_PY, [join(HERE, 'peers', 'sqlglot_run.py'), p.file, p.stmts], { timeoutS: limit });
    return finishChild(r, tool, limit);
  }
  if (tool === 'pg2tidb-cli') {
    const outDir = mkdtempSync(join(tmpdir(), 'pg2tidb-bench-'));
    const cmdArgs = [join(ROOT, 'bin', 'pg2tidb.js'), 'translate', input.path, '-o', outDir];
    const r = haveTime
      ? await runChild('/usr/bin/time', ['-v', process.execPath, ...cmdArgs], { timeoutS: limit })
      : await runChild(process.execPath, cmdArgs, { timeoutS: limit });
    let produced = [];
    try { produced = readdirSync(outDir); } catch { /* none */ }
    rmSync(outDir, { recursive: true, force: true });
    if (r.timedOut) return { ok: false, timeout: true, error: `timeout after ${limit} s` };
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    const res = { ok: true, ms: r.wallMs, maxRSSKB: m ? Number(m[1]) : undefined, exitCode: r.code, produced };
    if (r.code !== 0 && produced.length === 0) {
      res.ok = false;
      res.error = `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.replace(/\tCommand being timed[\s\S]*/, '').trim().slice(-400)}`;
    }
    return res;
  }
  const r = await runChild(process.execPath, [join(HERE, 'lib', 'worker.mjs'), tool, input.path], { timeoutS: limit });
  return finishChild(r, tool, limit);
}
function finishChild(r, tool, limit) {
  if (r.timedOut) return { ok: false, timeout: true, error: `timeout after ${limit} s` };
  const j = lastJson(r.stdout);
  if (!j) return { ok: false, error: `no result (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}): ${r.stderr.trim().slice(-400)}` };
  j.childWallMs = r.wallMs;
  return j;
}

// ---------------------------------------------------------------- setup
const started = new Date();
const loadStart = loadavg();
log(`[bench] ${QUICK ? 'quick' : 'full'} run; sizes ${SIZES.join(', ')} MB; tools ${TOOLS.join(', ')}`);
let sqlglotOk = false;
let pythonForPlot = null;
if (!flag('--no-setup')) {
  const s = spawnSync('bash', [join(HERE, 'setup-peers.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (s.status !== 0) log('\n!!! bench/setup-peers.sh FAILED: sqlglot and the PNG chart will be skipped\n');
}
if (existsSync(VENV_PY)) {
  const s = spawnSync(VENV_PY, ['-c', 'import sqlglot; print(sqlglot.__version__)'], { encoding: 'utf8' });
  sqlglotOk = s.status === 0;
  const m = spawnSync(VENV_PY, ['-c', 'import matplotlib'], { encoding: 'utf8' });
  if (m.status === 0) pythonForPlot = VENV_PY;
}
const versions = {
  node: process.version,
  libpgQuery: JSON.parse(readFileSync(join(ROOT, 'node_modules', 'libpg-query', 'package.json'), 'utf8')).version,
  polyglot: (() => { try { return JSON.parse(readFileSync(join(ROOT, 'node_modules', '@polyglot-sql', 'sdk', 'package.json'), 'utf8')).version; } catch { return null; } })(),
  sqlglot: sqlglotOk ? spawnSync(VENV_PY, ['-c', 'import sqlglot; print(sqlglot.__version__)'], { encoding: 'utf8' }).stdout.trim() : null,
  pg2tidb: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
};
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || 'none';
const distOk = existsSync(join(ROOT, 'dist', 'index.js'));
const cliOk = existsSync(join(ROOT, 'dist', 'cli-bundle', 'main.js'));
const unavailable = {};
if (!distOk) unavailable['pg2tidb-lib'] = 'dist/index.js not found (run `npm run build`)';
if (!distOk) unavailable['pg2tidb-lib-1t'] = unavailable['pg2tidb-lib'];
if (!cliOk) unavailable['pg2tidb-cli'] = 'dist/cli-bundle/main.js not found (run `npm run build`)';
if (!sqlglotOk) unavailable.sqlglot = 'sqlglot not importable from bench/.venv (bench/setup-peers.sh failed?)';
if (!versions.polyglot) unavailable.polyglot = '@polyglot-sql/sdk not installed';
for (const [t, why] of Object.entries(unavailable)) if (TOOLS.includes(t)) loud(t, 'ALL INPUTS', why);

// ---------------------------------------------------------------- inputs
const inputs = [];
if (!flag('--no-corpus')) {
  const pgDir = join(SHARED, 'pg');
  if (existsSync(pgDir)) for (const f of readdirSync(pgDir).filter((x) => x.endsWith('.sql')).sort()) inputs.push({ name: `pg/${f}`, path: join(pgDir, f), kind: 'corpus' });
  const pairsDir = join(SHARED, 'pairs');
  if (existsSync(pairsDir)) {
    for (const d of readdirSync(pairsDir).sort()) {
      const f = join(pairsDir, d, 'pg.sql');
      if (existsSync(f)) inputs.push({ name: `pairs/${d}/pg.sql`, path: f, kind: 'corpus' });
    }
  }
  if (!inputs.length) log(`!!! no corpus files found under ${SHARED}`);
}
for (const s of SIZES) {
  const g = await ensureInput(s, { seed: SEED, out: INPUTS_DIR, log });
  inputs.push({ name: `synth-${s}MB`, path: g.file, kind: 'synthetic', sizeMB: s, stats: g.stats });
}
for (const i of inputs) i.bytes = statSync(i.path).size;
inputs.sort((a, b) => a.bytes - b.bytes);

// ---------------------------------------------------------------- measure
const results = {}; // name -> tool -> [runs]
const perMB = {}; // tool -> {bytes, msPerMB} from the largest completed input
const deadTools = {}; // tool -> reason (timed out: skip larger inputs)
const tStart = performance.now();
for (const input of inputs) {
  const runs = runsFor(input.bytes, input.kind);
  results[input.name] = {};
  const active = [];
  for (const tool of TOOLS) {
    if (unavailable[tool]) continue;
    if (deadTools[tool]) { loud(tool, input.name, deadTools[tool]); continue; }
    const p = perMB[tool];
    if (p && p.bytes < input.bytes) {
      const predS = (p.msPerMB * input.bytes) / MB / 1000;
      if (predS > LIMIT_S[tool]) {
        loud(tool, input.name, `predicted ${predS.toFixed(0)} s per run (from ${(p.msPerMB / 1000).toFixed(2)} s/MB on ${p.name}) exceeds the ${LIMIT_S[tool]} s limit`);
        continue;
      }
    }
    active.push(tool);
    results[input.name][tool] = [];
  }
  log(`[bench] ${input.name} (${(input.bytes / MB).toFixed(3)} MB) x${runs}: ${active.join(', ')}  [${((performance.now() - tStart) / 1000).toFixed(0)} s elapsed]`);
  for (let r = 0; r < runs; r++) {
    for (const tool of active) {
      if (deadTools[tool]) continue;
      const res = await measure(tool, input);
      res.run = r;
      results[input.name][tool].push(res);
      if (!res.ok) {
        console.error(`\n!!! ${tool} FAILED on ${input.name} (run ${r + 1}): ${res.error}\n`);
        if (res.timeout) deadTools[tool] = `timed out on ${input.name} (${LIMIT_S[tool]} s limit); larger inputs skipped`;
      } else if (res.failed) {
        log(`  ! ${tool} on ${input.name}: ${res.wholeError ? `whole-file failed (${res.wholeError.split('\n')[0]}); ` : ''}per-statement: ${res.failed}/${res.stmts} statements failed`);
      }
    }
  }
  for (const tool of active) {
    const ok = results[input.name][tool].filter((x) => x.ok);
    if (ok.length === 0) {
      const err = results[input.name][tool][0]?.error ?? 'no run';
      skips.push({ tool, input: input.name, reason: `crashed/failed on every run: ${String(err).split('\n')[0].slice(0, 200)}` });
      continue;
    }
    const m = median(ok.map((x) => x.ms));
    if (!perMB[tool] || input.bytes >= perMB[tool].bytes) perMB[tool] = { bytes: input.bytes, msPerMB: (m * MB) / input.bytes, name: input.name };
    log(`  ${tool.padEnd(12)} median ${m.toFixed(1)} ms  (${((input.bytes / MB) / (m / 1000)).toFixed(2)} MB/s)${ok[0].mode ? ` mode=${ok[0].mode}` : ''}`);
  }
}

// CLI cold start on the small example
let coldStart = null;
if (TOOLS.includes('pg2tidb-cli') && !unavailable['pg2tidb-cli']) {
  let ex = join(ROOT, 'fixtures', 'example', 'input.sql');
  if (!existsSync(ex)) ex = inputs.filter((i) => i.kind === 'corpus')[0]?.path ?? inputs[0].path;
  const n = QUICK ? 5 : 10;
  const runs = [];
  const base = [];
  for (let k = 0; k < n; k++) {
    runs.push(await measure('pg2tidb-cli', { path: ex, name: 'cold-start' }));
    base.push((await runChild(process.execPath, ['-e', '0'])).wallMs);
  }
  const ok = runs.filter((x) => x.ok);
  coldStart = {
    file: relative(ROOT, ex), bytes: statSync(ex).size, runs: n,
    ms: ok.length ? { median: median(ok.map((x) => x.ms)), min: Math.min(...ok.map((x) => x.ms)), max: Math.max(...ok.map((x) => x.ms)) } : null,
    maxRSSKB: ok.length ? median(ok.filter((x) => x.maxRSSKB).map((x) => x.maxRSSKB)) : null,
    nodeBaselineMs: median(base),
    failures: runs.filter((x) => !x.ok).map((x) => x.error),
  };
  if (!ok.length) loud('pg2tidb-cli', `cold start (${coldStart.file})`, runs[0].error);
  log(`[bench] CLI cold start on ${coldStart.file}: ${coldStart.ms ? coldStart.ms.median.toFixed(0) : 'n/a'} ms (node -e 0: ${coldStart.nodeBaselineMs.toFixed(0)} ms)`);
}

// ---------------------------------------------------------------- aggregate
function agg(runs) {
  const ok = (runs ?? []).filter((x) => x.ok && Number.isFinite(x.ms));
  if (!ok.length) return null;
  const ms = ok.map((x) => x.ms);
  const rss = ok.map((x) => x.maxRSSKB).filter(Number.isFinite);
  const first = ok[0];
  return {
    n: ok.length, median: median(ms), min: Math.min(...ms), max: Math.max(...ms),
    maxRSSKB: rss.length ? Math.max(...rss) : null,
    loadMs: median(ok.map((x) => x.loadMs).filter(Number.isFinite)),
    mode: first.mode, failed: first.failed, stmts: first.stmts, wholeError: first.wholeError,
  };
}
function pairedRatio(a, b) {
  const ra = (a ?? []).filter((x) => x.ok);
  const rb = (b ?? []).filter((x) => x.ok);
  const byRun = new Map(rb.map((x) => [x.run, x.ms]));
  const rs = ra.filter((x) => byRun.has(x.run)).map((x) => x.ms / byRun.get(x.run));
  if (!rs.length) return null;
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs), n: rs.length };
}
const summary = inputs.map((input) => {
  const rr = results[input.name] ?? {};
  const tools = Object.fromEntries(Object.keys(rr).map((t) => [t, agg(rr[t])]));
  const ratios = {};
  for (const peer of ['floor-whole', 'floor-stmt', 'polyglot', 'sqlglot', 'pg2tidb-lib-1t']) ratios[peer] = pairedRatio(rr['pg2tidb-lib'], rr[peer]);
  return { name: input.name, kind: input.kind, bytes: input.bytes, path: relative(ROOT, input.path), tools, ratios };
});

// ---------------------------------------------------------------- targets
const big = (s) => s.bytes >= 1 * MB;
function evalTargets() {
  const T = [];
  const lib = (s) => s.tools['pg2tidb-lib'];
  const speedups = (peer) => summary.filter((s) => big(s) && s.ratios[peer]).map((s) => ({ name: s.name, x: 1 / s.ratios[peer].median }));
  for (const [peer, want] of [['sqlglot', 20], ['polyglot', 3]]) {
    const sp = speedups(peer);
    T.push({
      target: `>= ${want}x faster than ${peer} on inputs >= 1 MB`,
      measured: sp.length ? sp.map((x) => `${x.name}: ${x.x.toFixed(1)}x`).join('; ') : 'n/a (no paired runs)',
      met: sp.length ? sp.every((x) => x.x >= want) : null,
    });
  }
  const large = summary.filter((s) => s.kind === 'synthetic' && s.bytes >= 10 * MB && lib(s));
  const fl = large.map((s) => {
    const w = s.ratios['floor-whole']?.median;
    const st = s.ratios['floor-stmt']?.median;
    return { name: s.name, w, st };
  });
  T.push({
    target: 'within 1.5x of the parse floor on large inputs (synthetic >= 10 MB; pg2tidb / faster floor)',
    measured: fl.length ? fl.map((x) => `${x.name}: ${x.w?.toFixed(2) ?? 'n/a'} (whole), ${x.st?.toFixed(2) ?? 'n/a'} (per-stmt)`).join('; ') : 'n/a',
    met: fl.some((x) => Number.isFinite(x.w) || Number.isFinite(x.st))
      ? fl.every((x) => Math.min(...[x.w, x.st].filter(Number.isFinite)) <= 1.5) : null,
  });
  const flat = summary.filter((s) => s.kind === 'synthetic' && s.bytes >= 0.99 * MB && lib(s)).map((s) => ({ name: s.name, c: lib(s).median / (s.bytes / MB) }));
  const steps = flat.slice(1).map((x, i) => ({ from: flat[i].name, to: x.name, step: x.c / flat[i].c }));
  T.push({
    target: 'cost per MB flat from 1 to 100 MB (no step over 1.3x)',
    measured: flat.length ? `${flat.map((x) => `${x.name}: ${x.c.toFixed(0)} ms/MB`).join('; ')}${steps.length ? `; steps ${steps.map((s) => `${s.step.toFixed(2)}x`).join(', ')}` : ''}` : 'n/a',
    met: steps.length ? steps.every((s) => s.step <= 1.3) : null,
  });
  const rssRows = [];
  for (const s of summary.filter((x) => x.kind === 'synthetic' && x.bytes >= 10 * MB)) {
    for (const t of ['pg2tidb-lib', 'pg2tidb-cli']) {
      const a = s.tools[t];
      if (a?.maxRSSKB) rssRows.push({ name: `${s.name} ${t === 'pg2tidb-lib' ? 'lib' : 'cli'}`, x: (a.maxRSSKB * 1024) / s.bytes });
    }
  }
  T.push({
    target: 'peak RSS < 20x input size (synthetic >= 10 MB)',
    measured: rssRows.length ? rssRows.map((r) => `${r.name}: ${r.x.toFixed(1)}x`).join('; ') : 'n/a',
    met: rssRows.length ? rssRows.every((r) => r.x < 20) : null,
  });
  T.push({
    target: 'CLI cold start < 300 ms',
    measured: coldStart?.ms ? `${coldStart.ms.median.toFixed(0)} ms median (${coldStart.file}; bare \`node -e 0\`: ${coldStart.nodeBaselineMs.toFixed(0)} ms)` : 'n/a',
    met: coldStart?.ms ? coldStart.ms.median < 300 : null,
  });
  return T;
}
const targets = evalTargets();

// ---------------------------------------------------------------- report
const stamp = started.toISOString().replace(/[:.]/g, '-');
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const runInfo = {
  date: started.toISOString(), durationS: (performance.now() - tStart) / 1000, quick: QUICK, sizes: SIZES, seed: SEED,
  commit, versions, cpu, cores: cpus().length, tools: TOOLS, limits: LIMIT_S, loadavgStart: loadStart, loadavgEnd: loadavg(),
};
mkdirSync(OUT, { recursive: true });
const payload = { runInfo, summary, targets, coldStart, skips, raw: results };
writeFileSync(join(OUT, `run-${stamp}.json`), JSON.stringify(payload, null, 1));
writeFileSync(join(OUT, 'latest.json'), JSON.stringify(payload, null, 1));

const f1 = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cellT = (a) => (a ? `${f1(a.median)} (${f1(a.min)}–${f1(a.max)})${a.mode === 'per-stmt' ? ` ‡${a.failed ? ` ${a.failed}/${a.stmts} failed` : ''}` : ''}${a.n && a.failed && a.mode !== 'per-stmt' ? ` ${a.failed} failed` : ''}` : '—');
const cellR = (r) => (r ? `${r.median.toFixed(3)} (${r.min.toFixed(3)}–${r.max.toFixed(3)})` : '—');
const sizeStr = (b) => (b >= MB ? `${(b / MB).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} KB`);
function tables(kind) {
  const rows = summary.filter((s) => s.kind === kind);
  if (!rows.length) return '';
  const tt = TOOLS.filter((t) => !unavailable[t]);
  let md = `| input | size | ${tt.map((t) => LABEL[t]).join(' | ')} |\n|---|---:|${tt.map(() => '---:').join('|')}|\n`;
  for (const s of rows) md += `| ${s.name} | ${sizeStr(s.bytes)} | ${tt.map((t) => cellT(s.tools[t])).join(' | ')} |\n`;
  md += `\nRatios pg2tidb translate() / other, paired by run: median (min–max). Below 1 means pg2tidb is faster (0.05 = 20x faster).\n\n`;
  md += '| input | size | / parse floor (whole) | / parse floor (per stmt) | / polyglot-sql | / sqlglot | / pg2tidb one thread | pg2tidb MB/s | pg2tidb lib peak RSS | RSS / input |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n';
  for (const s of rows) {
    const l = s.tools['pg2tidb-lib'];
    md += `| ${s.name} | ${sizeStr(s.bytes)} | ${cellR(s.ratios['floor-whole'])} | ${cellR(s.ratios['floor-stmt'])} | ${cellR(s.ratios.polyglot)} | ${cellR(s.ratios.sqlglot)} | ${cellR(s.ratios['pg2tidb-lib-1t'])} | ${l ? ((s.bytes / MB) / (l.median / 1000)).toFixed(2) : '—'} | ${l?.maxRSSKB ? `${(l.maxRSSKB / 1024).toFixed(0)} MB` : '—'} | ${l?.maxRSSKB ? `${((l.maxRSSKB * 1024) / s.bytes).toFixed(1)}x` : '—'} |\n`;
  }
  return md;
}
function rssTable() {
  const tt = TOOLS.filter((t) => !unavailable[t]);
  let md = `| input | size | ${tt.map((t) => t).join(' | ')} |\n|---|---:|${tt.map(() => '---:').join('|')}|\n`;
  for (const s of summary.filter((x) => x.kind === 'synthetic')) md += `| ${s.name} | ${sizeStr(s.bytes)} | ${tt.map((t) => (s.tools[t]?.maxRSSKB ? `${(s.tools[t].maxRSSKB / 1024).toFixed(0)} MB` : '—')).join(' | ')} |\n`;
  return md;
}
const metStr = (m) => (m === true ? '**met**' : m === false ? '**MISSED**' : 'not measured');
let md = `# pg2tidb benchmark — latest run

Generated by \`node bench/run.mjs${argv.length ? ` ${argv.join(' ')}` : ''}\` on ${runInfo.date} (${(runInfo.durationS / 60).toFixed(1)} min).
Commit ${commit}; ${cpu}, ${runInfo.cores} cores (1-min load average ${runInfo.loadavgStart[0].toFixed(1)} at start, ${runInfo.loadavgEnd[0].toFixed(1)} at end — other work on the machine inflates and scatters times); Node ${versions.node}; pg2tidb ${versions.pg2tidb}; libpg-query ${versions.libpgQuery}; @polyglot-sql/sdk ${versions.polyglot ?? 'n/a'}; sqlglot ${versions.sqlglot ?? 'n/a'}. Synthetic inputs from \`bench/generate.mjs\` with seed ${SEED}.

**Speed only.** sqlglot (postgres → mysql) and polyglot-sql (PostgreSQL → TiDB) produce wrong output for many PostgreSQL types and statements; this compares how fast each tool gets through the same input, not whether the result is right.

How it is measured: every run is a fresh child process; times are milliseconds, median (min–max) over the runs (synthetic: ${QUICK ? '3' : '5'} for ≤ 2 MB, ${QUICK ? '2' : '3'} for ≤ 20 MB, 2 above; corpus files: ${QUICK ? '2' : '3'}${RUNS_OVERRIDE ? `; overridden: ${RUNS_OVERRIDE}` : ''}). Each timed call is the first in its process, so small inputs mostly measure one-shot warm-up (WASM tier-up, first allocations), as a one-shot CLI would pay. In-process tools time only the work on text already in memory (module load excluded, reported in latest.json as loadMs): pg2tidb \`translate({path, text})\` on the raw file; the parse floor \`parseSync\` on the file after removing psql backslash lines and COPY data blocks (whole file in one call, or split lexically into statements then one call each, split included); the peers get that same stripped text. A peer whose whole-file call fails is re-timed statement by statement (‡, with the count of statements it rejected). The CLI column is the wall time of \`node bin/pg2tidb.js translate <file> -o <tmpdir>\` including Node start-up; its peak RSS comes from \`/usr/bin/time -v\`, the others' from \`process.resourceUsage().maxRSS\` / \`getrusage\`.

## Targets (evaluated, not asserted)

| target | measured | status |
|---|---|---|
${targets.map((t) => `| ${t.target} | ${t.measured} | ${metStr(t.met)} |`).join('\n')}

## Synthetic pg_dump-style schemas

${tables('synthetic')}
Peak RSS per tool (max over runs):

${rssTable()}
## Corpus (\`shared/corpus/pg/*.sql\`, \`shared/corpus/pairs/*/pg.sql\`)

${tables('corpus')}
## CLI cold start

${coldStart ? `\`node bin/pg2tidb.js translate ${coldStart.file} -o <tmpdir>\` (${coldStart.bytes} bytes), ${coldStart.runs} runs: ${coldStart.ms ? `median ${coldStart.ms.median.toFixed(0)} ms (${coldStart.ms.min.toFixed(0)}–${coldStart.ms.max.toFixed(0)}), peak RSS ${coldStart.maxRSSKB ? `${(coldStart.maxRSSKB / 1024).toFixed(0)} MB` : 'n/a'}` : 'FAILED'}; bare \`node -e 0\` on this machine: ${coldStart.nodeBaselineMs.toFixed(0)} ms.` : 'Not measured (pg2tidb CLI unavailable or not selected).'}

## Skipped, failed or timed out

${skips.length ? skips.map((s) => `- **${s.tool}** on ${s.input}: ${s.reason}`).join('\n') : 'Nothing.'}

Chart (not committed): \`bench/results/time-vs-size.png\`; raw numbers: \`bench/results/latest.json\`.
`;
const peerFails = [];
for (const s of summary) for (const t of ['polyglot', 'sqlglot']) if (s.tools[t]?.mode === 'per-stmt') peerFails.push(`${t} on ${s.name}: ${String(s.tools[t].wholeError).split('\n')[0]}`);
if (peerFails.length) md += `\nWhole-file failures that forced per-statement timing (first error each):\n\n${peerFails.map((x) => `- ${x}`).join('\n')}\n`;
writeFileSync(join(OUT, 'latest.md'), md);
log(`[bench] wrote ${relative(ROOT, join(OUT, 'latest.md'))}, latest.json, run-${stamp}.json`);

if (pythonForPlot) {
  const p = spawnSync(pythonForPlot, [join(HERE, 'plot.py'), join(OUT, 'latest.json'), join(OUT, 'time-vs-size.png')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (p.status !== 0) log('!!! chart generation failed');
} else log('!!! matplotlib not available in bench/.venv: PNG chart skipped');
log(`[bench] done in ${((performance.now() - tStart) / 60000).toFixed(1)} min; ${skips.length} skip(s)`);
