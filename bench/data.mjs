#!/usr/bin/env node
// `npm run bench:data`: speed and memory of `pg2tidb data` on a synthetic dump with COPY data
// (bench/generate-data.mjs), against floors measured on the same file in the same run.
//
//   node bench/data.mjs                 # 1024 MB (RSS also at 100 MB); the long run
//   node bench/data.mjs --quick         # 20 MB (RSS also at 5 MB)
//   node bench/data.mjs --mb 200 --small-mb 20 --runs 3 --sample-mb 2 --workers 1,2
//
// Every measurement is a fresh process under /usr/bin/time: wall seconds, CPU seconds (user + sys,
// every thread; it holds on a shared machine where wall time does not) and peak RSS.
// Tools: `cat file > /dev/null`; Node reading the file with a stream and doing nothing; the CLI
// `pg2tidb data <file> -o <tmp> -q` (per --workers value, if the CLI has --workers); two
// single-thread runs at once as separate processes (nothing shared but the machine: what two
// cores give this work here and now, the ceiling of any worker speedup); sqlglot
// transpiling the first rows (--sample-mb) as INSERT statements, postgres -> mysql.
// Writes bench/results/data.md (committed) and data.json.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateData } from './generate-data.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const quick = args.includes('--quick');
const mb = Number(opt('mb', quick ? 20 : 1024));
const smallMb = Number(opt('small-mb', quick ? 5 : 100));
const runs = Number(opt('runs', quick ? 3 : 1));
const sampleMb = Number(opt('sample-mb', quick ? 1 : 4));
const seed = Number(opt('seed', 42));
const workerCounts = String(opt('workers', '1,2')).split(',').map(Number);

const help = execFileSync(process.execPath, [join(ROOT, 'bin/pg2tidb.js'), 'data', '--help'], { encoding: 'utf8' });
const hasWorkers = help.includes('--workers');

/** One process under /usr/bin/time -f: wall s, user s, sys s, max RSS KB. */
function timed(cmd, argv) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  if (!m) throw new Error(`${cmd} ${argv.join(' ')}: no timing (exit ${r.status}): ${r.stderr.slice(-500)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, status: r.status, stdout: r.stdout };
}

/** timed(), asynchronously: for processes that run at the same time. */
function timedAsync(cmd, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', cmd, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (!m || status !== 0) reject(new Error(`${cmd} ${argv.join(' ')}: exit ${status}: ${stderr.slice(-500)}`));
      else resolve({ wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, status });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const NODE_FLOOR = `const s=require('fs').createReadStream(process.argv[1],{highWaterMark:1<<20});let n=0;s.on('data',c=>{n+=c.length});s.on('end',()=>{})`;

async function measure(file) {
  const bytes = statSync(file).size;
  const tools = {
    cat: () => timed('sh', ['-c', 'cat "$0" > /dev/null', file]),
    'node-stream': () => timed(process.execPath, ['-e', NODE_FLOOR, file]),
  };
  const cli = (out, w) => [join(ROOT, 'bin/pg2tidb.js'), 'data', file, '-o', out, '-q', ...(hasWorkers ? ['--workers', String(w)] : [])];
  for (const w of hasWorkers ? workerCounts : [1]) {
    tools[`pg2tidb-w${w}`] = () => {
      const out = mkdtempSync(join(tmpdir(), 'pg2tidb-bench-data-'));
      try {
        const r = timed(process.execPath, cli(out, w));
        if (r.status !== 0) throw new Error(`pg2tidb data exited ${r.status}`);
        return r;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    };
  }
  if (workerCounts.includes(2)) {
    // Two single-thread runs at once, each its own process: wall is the later one's, CPU the pair's.
    tools['pg2tidb-w1-pair'] = async () => {
      const outs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'pg2tidb-bench-data-')));
      try {
        const [a, b] = await Promise.all(outs.map((out) => timedAsync(process.execPath, cli(out, 1))));
        return { wall: Math.max(a.wall, b.wall), cpu: a.cpu + b.cpu, rssMb: Math.max(a.rssMb, b.rssMb), status: 0 };
      } finally {
        for (const out of outs) rmSync(out, { recursive: true, force: true });
      }
    };
  }
  const results = {};
  for (let i = 0; i < runs; i++) {
    // Interleaved, so a change of load hits every tool alike; the load average is read before each.
    for (const [name, fn] of Object.entries(tools)) {
      loads.push(loadavg()[0]);
      (results[name] ??= []).push(await fn());
    }
  }
  const summary = {};
  for (const [name, rs] of Object.entries(results)) {
    const wall = median(rs.map((r) => r.wall));
    const cpu = median(rs.map((r) => r.cpu));
    summary[name] = { wall, cpu, rssMb: Math.max(...rs.map((r) => r.rssMb)), mbPerSWall: bytes / 2 ** 20 / wall, mbPerSCpu: bytes / 2 ** 20 / Math.max(cpu, 0.01) };
  }
  return { file, bytes, summary };
}

function sqlglot(file) {
  const py = join(HERE, '.venv/bin/python');
  if (!existsSync(py)) return { skipped: 'bench/.venv missing: run bash bench/setup-peers.sh' };
  const r = spawnSync(py, [join(HERE, 'peers/sqlglot_data.py'), file, String(Math.round(sampleMb * 2 ** 20))], { encoding: 'utf8' });
  if (r.status !== 0) return { skipped: `sqlglot failed: ${r.stderr.slice(-300)}` };
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...j, mbPerS: j.copyBytes / 2 ** 20 / (j.cpuMs / 1000) };
}

/** The 1-minute load average before each measurement. */
const loads = [];
const load0 = loadavg()[0];
const big = await generateData({ mb, seed });
const small = await generateData({ mb: smallMb, seed });
const large = await measure(big.file);
const lesser = await measure(small.file);
const peer = sqlglot(big.file);
const load1 = loadavg()[0];

const f = (x, d = 1) => x.toFixed(d);
const lines = [];
lines.push(`# pg2tidb data benchmark`, '');
const loadRange = `${f(Math.min(load0, load1, ...loads))}-${f(Math.max(load0, load1, ...loads))}`;
lines.push(`${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ${cpus().length} cores; load average ${f(load0)} at start, ${f(load1)} at end, ${loadRange} before the measurements; ${runs} run(s) per tool, interleaved, medians; seed ${seed}.`);
lines.push(`CPU s is user + system time of every thread (it holds on a shared machine; wall time does not).`, '');
for (const m of [large, lesser]) {
  lines.push(`## ${m.file.split('/').pop()} (${f(m.bytes / 2 ** 20)} MB)`, '');
  lines.push('| tool | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB | pg2tidb-w1 CPU × tool CPU |', '|---|---:|---:|---:|---:|---:|---:|');
  const ours = m.summary['pg2tidb-w1'];
  for (const [name, s] of Object.entries(m.summary)) if (name !== 'pg2tidb-w1-pair') lines.push(`| ${name} | ${f(s.wall, 2)} | ${f(s.cpu, 2)} | ${f(s.mbPerSWall)} | ${f(s.mbPerSCpu)} | ${f(s.rssMb, 0)} | ${f(ours.cpu / Math.max(s.cpu, 0.01), 1)} |`);
  lines.push('');
  const pair = m.summary['pg2tidb-w1-pair'];
  if (pair) {
    lines.push(`Two single-thread runs at once, as separate processes: ${f(pair.wall, 2)} s wall for both (${f(pair.cpu / 2, 2)} CPU s each, ${f(pair.cpu / 2 / ours.cpu, 2)}× one run's alone), so two cores give this work ${f((2 * ours.wall) / pair.wall, 2)}× one core's throughput on this machine in this run: the ceiling of a two-thread speedup.`, '');
  }
}
lines.push('## Peer', '');
if (peer.skipped) lines.push(`sqlglot skipped: ${peer.skipped}`);
else {
  const ours = large.summary['pg2tidb-w1'];
  lines.push(`sqlglot ${peer.version}: ${peer.rows} rows (${f(peer.copyBytes / 2 ** 20, 2)} MB of COPY text, ${f(peer.insertBytes / 2 ** 20, 2)} MB as INSERTs) transpiled in ${f(peer.cpuMs / 1000, 2)} CPU s (${f(peer.ms / 1000, 2)} wall): ${f(peer.mbPerS, 2)} MB/s of COPY text (CPU, in-process, import excluded); pg2tidb data (CPU, whole file) is ${f(ours.mbPerSCpu / peer.mbPerS, 1)}× that.`);
}
const ourTools = Object.keys(large.summary).filter((k) => k.startsWith('pg2tidb-') && k !== 'pg2tidb-w1-pair');
lines.push('', `Peak RSS: ${ourTools.map((k) => `${k} ${f(lesser.summary[k].rssMb, 0)} MB at ${f(lesser.bytes / 2 ** 20, 0)} MB of input, ${f(large.summary[k].rssMb, 0)} MB at ${f(large.bytes / 2 ** 20, 0)} MB`).join('; ')}.`);
// Ratios against the targets of issue 15 (>= 100 MB/s per core, >= 1.7x with two workers, RSS flat and under 300 MB).
lines.push('', '## Ratios', '');
for (const m of [large, lesser]) {
  const w1 = m.summary['pg2tidb-w1'];
  const floor = m.summary['node-stream'];
  const parts = [`single thread ${f(w1.mbPerSCpu)} MB/s of CPU (target ≥ 100; ${f(w1.mbPerSWall)} wall), ${f(w1.cpu / Math.max(floor.cpu, 0.01), 1)}× the Node stream floor's CPU`];
  for (const w of workerCounts.filter((n) => n > 1 && m.summary[`pg2tidb-w${n}`])) {
    const s = m.summary[`pg2tidb-w${w}`];
    const pair = m.summary['pg2tidb-w1-pair'];
    const ceiling = w === 2 && pair ? `, ${f((100 * (w1.wall / s.wall)) / ((2 * w1.wall) / pair.wall), 0)} % of the ${f((2 * w1.wall) / pair.wall, 2)}× two separate processes reach` : '';
    parts.push(`${w} workers ${f(s.mbPerSWall)} MB/s wall = ${f(w1.wall / s.wall, 2)}× single-thread wall (target ≥ 1.7×${ceiling}), ${f(s.mbPerSCpu)} MB/s of CPU (CPU ${f(s.cpu / w1.cpu, 2)}× single-thread CPU, RSS ${f(s.rssMb, 0)} MB)`);
  }
  lines.push(`- ${m.file.split('/').pop()}: ${parts.join('; ')}.`);
}
for (const k of ourTools) lines.push(`- RSS growth (${k}): ${f(large.summary[k].rssMb / lesser.summary[k].rssMb, 2)}× for ${f(large.bytes / lesser.bytes, 1)}× the input (target: flat, under 300 MB).`);
if (Math.max(load0, load1, ...loads) > cpus().length) lines.push(`- The machine was loaded (load average ${loadRange} on ${cpus().length} cores): wall times and the worker speedup are not reliable; CPU seconds are the measure.`);
if (!hasWorkers) lines.push('', 'The CLI has no --workers option: only the single-thread path is measured.');
const report = `${lines.join('\n')}\n`;
writeFileSync(join(HERE, 'results', 'data.md'), report);
writeFileSync(join(HERE, 'results', 'data.json'), `${JSON.stringify({ load0, load1, loads, runs, large, small: lesser, peer }, null, 2)}\n`);
process.stdout.write(report);
