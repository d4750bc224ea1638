import type { Diagnostic } from './diagnostic.js';
import { CATALOGUE } from './catalogue.js';
import { extentOf, groupDiagnostics, type DiagnosticGroup } from './group.js';
import { LineIndex, type SourceFile } from './span.js';
import { subjectText } from './subject.js';

export interface RenderOptions {
  readonly color?: boolean;
  /** Files by path, for code frames. */
  readonly files?: readonly SourceFile[];
  /** Hide info-level diagnostics. */
  readonly quiet?: boolean;
  /** Show at most this many entries in full, then one line counting the rest by code (they stay in report.json). */
  readonly limit?: number;
  /** Every occurrence in full instead of errors, then one entry per group. */
  readonly verbose?: boolean;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };
type Paint = (c: keyof typeof COLORS, s: string) => string;

/**
 * Renders diagnostics like tsc: `file:line:col - severity CODE [id]: message`, a code frame and the fix.
 * By default errors come in full, then each group of diagnostics that say the same once, with its count
 * and one example, then a table of counts by code; `verbose` prints every occurrence instead.
 */
export function renderText(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  const indexes = new Map<string, LineIndex>();
  for (const f of options.files ?? []) indexes.set(f.path, new LineIndex(f));
  const paint: Paint = (c, s) => (options.color ? `${COLORS[c]}${s}${COLORS.reset}` : s);
  const shownList = options.quiet ? diagnostics.filter((d) => d.severity !== 'info') : diagnostics;
  const out: string[] = [];
  const hidden = new Map<string, number>();
  let shown = 0;
  const room = () => options.limit === undefined || shown < options.limit;
  const hide = (d: { code: string; id: string }, n: number) => hidden.set(`${d.code} [${d.id}]`, (hidden.get(`${d.code} [${d.id}]`) ?? 0) + n);

  if (options.verbose) {
    for (const d of shownList) {
      if (!room()) hide(d, 1);
      else {
        shown++;
        full(out, d, indexes, paint);
      }
    }
  } else {
    const errors = shownList.filter((d) => d.severity === 'error');
    for (const d of errors) {
      // Errors are never hidden behind the limit: each one needs someone's attention.
      shown++;
      full(out, d, indexes, paint);
    }
    const rest = shownList.filter((d) => d.severity !== 'error');
    const groups = byId(rest, groupDiagnostics(rest)).sort(byWeight);
    for (const g of groups) {
      const first = rest[g.occurrences[0]!]!;
      if (!room()) hide(g, g.count);
      else if (g.count === 1) {
        shown++;
        // Notes need no code frame in the summary; --verbose shows them all in full.
        full(out, first, indexes, paint, first.severity !== 'info');
      } else {
        shown++;
        grouped(out, g, first, indexes, paint);
      }
    }
    if (shownList.length > 0 && groups.some((g) => g.count > 1)) countsTable(out, shownList);
  }
  if (hidden.size > 0) {
    const total = [...hidden.values()].reduce((a, b) => a + b, 0);
    const byCount = [...hidden].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(`... and ${total} more not shown here (${byCount.map(([k, n]) => `${k} x${n}`).join(', ')})`, '');
  }
  return out.join('\n');
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * The terminal shows one entry per id and severity: groups whose wording differs only in details
 * (`sequence a_seq becomes AUTO_INCREMENT on a.id`) merge under the catalogue title, with the
 * number of distinct messages; report.json and --verbose keep each group and occurrence.
 */
function byId(diagnostics: readonly Diagnostic[], groups: readonly DiagnosticGroup[]): DiagnosticGroup[] {
  const merged = new Map<string, DiagnosticGroup[]>();
  for (const g of groups) {
    const k = `${g.id}\u0000${g.severity}`;
    merged.set(k, [...(merged.get(k) ?? []), g]);
  }
  return [...merged.values()].map((list) => {
    if (list.length === 1) return list[0]!;
    const occurrences = list.flatMap((g) => g.occurrences).sort((a, b) => a - b);
    const subjects = occurrences.map((i) => diagnostics[i]!.subject);
    return {
      ...list[0]!,
      headline: `${CATALOGUE[list[0]!.id].title} (${list.length} different messages; --verbose shows each)`,
      extent: extentOf(subjects),
      count: occurrences.length,
      subjects,
      occurrences,
    };
  });
}

/** Warnings before notes; larger groups first; then by code, keeping the order stable. */
function byWeight(a: DiagnosticGroup, b: DiagnosticGroup): number {
  return RANK[a.severity] - RANK[b.severity] || b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function full(out: string[], d: Diagnostic, indexes: Map<string, LineIndex>, paint: Paint, withFrame = true): void {
  const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column} - ` : '';
  out.push(`${where}${paint(d.severity, d.severity)} ${d.code} [${d.id}]: ${d.message}`);
  if (withFrame) frame(out, d, indexes, paint);
  if (d.fix) out.push(`  fix: ${d.fix}`);
  out.push('');
}

function grouped(out: string[], g: DiagnosticGroup, example: Diagnostic, indexes: Map<string, LineIndex>, paint: Paint): void {
  out.push(`${paint(g.severity, g.severity)} ${g.code} [${g.id}] x${g.count}: ${g.headline}: ${paint('bold', g.extent)}`);
  const where = example.span ? `${example.span.file}:${example.span.line}:${example.span.column} ` : '';
  out.push(`  for example ${where}(${subjectText(example.subject)})`);
  if (g.severity !== 'info') frame(out, example, indexes, paint);
  if (example.fix) out.push(`  fix: ${example.fix}`);
  out.push('');
}

function frame(out: string[], d: Diagnostic, indexes: Map<string, LineIndex>, paint: Paint): void {
  const index = d.span ? indexes.get(d.span.file) : undefined;
  if (!d.span || !index || d.id === 'input-error') return;
  const text = index.lineText(d.span.line);
  if (text.length > 300) return;
  const gutter = String(d.span.line);
  const width = d.span.endLine === d.span.line ? Math.max(1, d.span.endColumn - d.span.column) : Math.max(1, text.length - d.span.column + 1);
  out.push(paint('dim', `  ${gutter} | `) + text);
  out.push(paint('dim', `  ${' '.repeat(gutter.length)} | `) + ' '.repeat(Math.max(0, d.span.column - 1)) + paint(d.severity, '~'.repeat(Math.min(width, Math.max(1, text.length - d.span.column + 1)))));
}

/** How many of each code, most first, in as many columns as fit in 120 characters. */
function countsTable(out: string[], diagnostics: readonly Diagnostic[]): void {
  const counts = new Map<string, { d: Diagnostic; n: number }>();
  for (const d of diagnostics) {
    const c = counts.get(d.code);
    if (c) c.n++;
    else counts.set(d.code, { d, n: 1 });
  }
  const rows = [...counts.values()].sort((a, b) => RANK[a.d.severity] - RANK[b.d.severity] || b.n - a.n || (a.d.code < b.d.code ? -1 : 1));
  const width = Math.max(...rows.map((r) => String(r.n).length));
  const cells = rows.map((r) => `${String(r.n).padStart(width)} ${r.d.code} ${r.d.id} (${r.d.severity})`);
  const cell = Math.max(...cells.map((c) => c.length)) + 2;
  const perRow = Math.max(1, Math.floor(118 / cell));
  const height = Math.ceil(cells.length / perRow);
  out.push(`count by code (${diagnostics.length} diagnostics, ${rows.length} codes):`);
  for (let r = 0; r < height; r++) {
    const line: string[] = [];
    for (let c = 0; c < perRow; c++) {
      const cellText = cells[c * height + r];
      if (cellText !== undefined) line.push(cellText.padEnd(cell));
    }
    out.push(`  ${line.join('').trimEnd()}`);
  }
  out.push('');
}

export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics, null, 2);
}
