// Oracles tier: the assessment page (--emit report) opened in headless Chromium, Debian's `chromium`
// package (.ci/run installs it). Under CI=true a missing browser fails the run; locally the test is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOutputs, translate } from '../src/index.js';
import { readCorpus } from './helpers/fixtures.js';

const ROOT = join(import.meta.dirname, '..');
const INPUT = join(ROOT, '..', 'shared', 'corpus', 'pg', 'pagila-schema.sql');

function findChromium(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (path) return path;
  if (process.env['CI'] === 'true') throw new Error('chromium is not installed (apt-get install -y chromium; .ci/run does it)');
  return undefined;
}

const chromium = findChromium();

function browse(dir: string, args: string[], url: string): string {
  return execFileSync(
    chromium!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${join(dir, 'profile')}`, ...args, url],
    { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

const count = (dom: string, re: RegExp) => (dom.match(re) ?? []).length;
const text = (dom: string, testid: string) => new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`).exec(dom)?.[1];

describe.skipIf(!chromium)('assessment page in headless Chromium', () => {
  it('renders with its counts matching report.json, filters work, and it makes no requests', async () => {
    const result = await translate(readCorpus(INPUT));
    const files = await renderOutputs(result, ['tidb', 'report']);
    const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-report-'));
    for (const f of files) writeFileSync(join(dir, f.path), f.content);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('# pg2tidb migration assessment');

    // Self-contained: nothing the page could fetch.
    expect(html).not.toMatch(/\b(src|href)\s*=|@import|url\(|<link\b|https?:\/\//i);

    const page = `file://${join(dir, 'report.html')}`;
    const dom = browse(dir, ['--dump-dom'], page);
    expect(count(dom, /data-testid="diagnostic"/g)).toBe(report.diagnostics.length);
    expect(Number(text(dom, 'diagnostics'))).toBe(report.diagnostics.length);
    expect(Number(text(dom, 'groups'))).toBe(report.groups.length);
    for (const s of ['error', 'warning', 'info'] as const) expect(Number(text(dom, `count-${s}`)), s).toBe(report.summary.diagnostics[s]);
    const needsAction = report.diagnostics.filter((d: { severity: string; id: string }) => ['view-construct-unsupported', 'view-dependency-left-out', 'object-not-supported'].includes(d.id)).length;
    expect(count(dom, /data-testid="action"/g)).toBeGreaterThanOrEqual(needsAction);
    // The tables row counts the source's tables; every one is in some bucket.
    const tables = /<tr data-kind="tables"><td>tables<\/td><td class="num" data-total="(\d+)">/.exec(dom);
    expect(Number(tables?.[1])).toBe(result.schema.tables.length);
    // The script ran: it wrote how many rows the (empty) filters show.
    expect(/id="f-shown">(\d+)</.exec(dom)?.[1]).toBe(String(report.diagnostics.length));

    // Filters from the address: only the warnings stay visible.
    const filtered = browse(dir, ['--dump-dom'], `${page}#severity=warning`);
    expect(/id="f-shown">(\d+)</.exec(filtered)?.[1]).toBe(String(report.summary.diagnostics.warning));
    const code = report.diagnostics[0].code as string;
    const byCode = browse(dir, ['--dump-dom'], `${page}#code=${code}`);
    expect(/id="f-shown">(\d+)</.exec(byCode)?.[1]).toBe(String(report.diagnostics.filter((d: { code: string }) => d.code === code).length));

    const shot = join(dir, 'report.png');
    browse(dir, [`--screenshot=${shot}`, '--window-size=1280,2000', '--hide-scrollbars'], page);
    expect(readFileSync(shot).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    console.log(`report screenshot: ${shot}`);
  }, 300_000);
});
