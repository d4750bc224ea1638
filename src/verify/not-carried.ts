/**
 * Which of pg2tidb data's diagnostics are rows or values the target cannot have (verify counts each as
 * a difference, since its checksums compare only what was converted), and how many each stands for.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Data diagnostics that change nothing the target holds: an INSERT ... ON CONFLICT whose rows loaded as plain rows (a conflict would have failed the load). */
const CARRIED_AS_IS: ReadonlySet<string> = new Set(['data-statement-skipped:on-conflict']);

export function notCarried(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity !== 'info' && !CARRIED_AS_IS.has(`${d.id}:${(d.data as { reason?: string }).reason ?? ''}`));
}

/** How many source items the diagnostics stand for: a "more like this" one counts those it hides. */
export function notCarriedCount(items: readonly Diagnostic[]): number {
  return items.reduce((n, d) => n + ((d.data as { hidden?: number }).hidden ?? 1), 0);
}
