import type { Diagnostic } from './diagnostic.js';
import { LineIndex, type SourceFile } from './span.js';

export interface RenderOptions {
  readonly color?: boolean;
  /** Files by path, for code frames. */
  readonly files?: readonly SourceFile[];
  /** Hide info-level diagnostics. */
  readonly quiet?: boolean;
  /** Show at most this many in full, then one line counting the rest by code (they stay in report.json). */
  readonly limit?: number;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** Renders diagnostics like tsc: `file:line:col - severity CODE [id]: message`, a code frame and the fix. */
export function renderText(diagnostics: readonly Diagnostic[], options: RenderOptions = {}): string {
  const indexes = new Map<string, LineIndex>();
  for (const f of options.files ?? []) indexes.set(f.path, new LineIndex(f));
  const paint = (c: keyof typeof COLORS, s: string) => (options.color ? `${COLORS[c]}${s}${COLORS.reset}` : s);
  const out: string[] = [];
  const hidden = new Map<string, number>();
  let shown = 0;
  for (const d of diagnostics) {
    if (options.quiet && d.severity === 'info') continue;
    if (options.limit !== undefined && shown >= options.limit) {
      const key = `${d.code} [${d.id}]`;
      hidden.set(key, (hidden.get(key) ?? 0) + 1);
      continue;
    }
    shown++;
    const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.column} - ` : '';
    out.push(`${where}${paint(d.severity, d.severity)} ${d.code} [${d.id}]: ${d.message}`);
    const index = d.span ? indexes.get(d.span.file) : undefined;
    if (d.span && index && d.id !== 'input-error') {
      const text = index.lineText(d.span.line);
      if (text.length <= 300) {
        const gutter = String(d.span.line);
        const width = d.span.endLine === d.span.line ? Math.max(1, d.span.endColumn - d.span.column) : Math.max(1, text.length - d.span.column + 1);
        out.push(paint('dim', `  ${gutter} | `) + text);
        out.push(paint('dim', `  ${' '.repeat(gutter.length)} | `) + ' '.repeat(Math.max(0, d.span.column - 1)) + paint(d.severity, '~'.repeat(Math.min(width, Math.max(1, text.length - d.span.column + 1)))));
      }
    }
    if (d.fix) out.push(`  fix: ${d.fix}`);
    out.push('');
  }
  if (hidden.size > 0) {
    const total = [...hidden.values()].reduce((a, b) => a + b, 0);
    const byCount = [...hidden].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(`... and ${total} more not shown here (${byCount.map(([k, n]) => `${k} x${n}`).join(', ')})`, '');
  }
  return out.join('\n');
}

export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics, null, 2);
}
