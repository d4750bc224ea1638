// The seed of the property runs (issue 13 item 14): PG2TIDB_PROPERTY_SEED when set (to replay a
// failure), else one derived from the commit (git rev-parse HEAD, FNV-1a), so each commit explores
// new cases while a CI failure replays exactly; the fixed fallback only when git is unavailable.
import { execFileSync } from 'node:child_process';

const FALLBACK = 20240531;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x7fffffff;
}

export function propertySeed(): { seed: number; from: string } {
  const env = process.env['PG2TIDB_PROPERTY_SEED'];
  if (env !== undefined && env !== '') return { seed: Number(env), from: 'PG2TIDB_PROPERTY_SEED' };
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { seed: fnv1a(head), from: `commit ${head.slice(0, 12)}` };
  } catch {
    return { seed: FALLBACK, from: 'fixed fallback (no git)' };
  }
}

/** The line every property run prints, so a failure can be replayed. */
export function seedLine(name: string, s: { seed: number; from: string }): string {
  return `[${name}] property seed ${s.seed} (${s.from}); replay with PG2TIDB_PROPERTY_SEED=${s.seed}`;
}
