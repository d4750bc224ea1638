// Applying compiled overrides (./overrides.ts) to a translation: per column type, and diagnostic
// levels on the report. Separate from ./overrides.ts, which ./options.ts needs to validate rules,
// so that the override rules import nothing from the rest of the transform.
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { subjectText } from '../diagnostics/subject.js';
import type { TidbSchema } from '../ir/tidb.js';
import { printType } from '../sql/tidb-type.js';
import type { ResolvedType } from './column-types.js';
import type { TranslateOptions } from './options.js';
import { compileOverrides, judgeColumn, type ColumnFacts, type CompiledOverride, type DiagnosticLevel, type TypeOverride } from './overrides.js';

const cache = new WeakMap<readonly TypeOverride[], CompiledOverride[]>();

/** The compiled overrides of resolved options (compiled once per rule array). */
export function overridesOf(options: TranslateOptions): readonly CompiledOverride[] {
  const rules = options.typeOverrides;
  if (!rules || rules.length === 0) return [];
  let compiled = cache.get(rules);
  if (!compiled) {
    compiled = compileOverrides(rules, 'typeOverrides');
    cache.set(rules, compiled);
  }
  return compiled;
}

/** The first override that applies to a column, if any. */
export function overrideFor(options: TranslateOptions, facts: ColumnFacts): CompiledOverride | undefined {
  const rules = overridesOf(options);
  if (rules.length === 0) return undefined;
  return judgeColumn(rules, facts).fired;
}

/**
 * The column type after an override: the override's TiDB type replaces the built-in decision, and
 * the built-in rule's losses (which describe its own choice) give way to one note naming both.
 */
export function applyOverride(builtin: ResolvedType, override: CompiledOverride | undefined): ResolvedType {
  if (!override?.type) return builtin;
  const data = { reason: 'override', tidbType: printType(override.type), override: override.label, rule: builtin.rule, builtinType: printType(builtin.type) } as const;
  return { ...builtin, type: override.type, rule: override.label, losses: [{ id: 'type-choice', data }] };
}

/**
 * Applies diagnostic levels: a matched override's `diagnostics` for its columns' diagnostics
 * (by subject `table.column`), then the global levels. `off` removes the diagnostic.
 */
export function applyDiagnosticLevels(diagnostics: readonly Diagnostic[], tidb: TidbSchema, options: TranslateOptions): Diagnostic[] {
  const global = options.diagnosticLevels ?? {};
  const rules = overridesOf(options);
  const bySubject = new Map<string, Readonly<Record<string, DiagnosticLevel>>>();
  if (rules.some((r) => r.diagnostics)) {
    for (const t of tidb.tables) {
      for (const c of t.columns) {
        const levels = c.origin.override !== undefined ? rules[c.origin.override]?.diagnostics : undefined;
        if (levels) bySubject.set(`${t.source}.${c.name}`, levels);
      }
    }
  }
  if (Object.keys(global).length === 0 && bySubject.size === 0) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const local = d.subject.kind === 'column' ? bySubject.get(subjectText(d.subject)) : undefined;
    const level = local?.[d.id] ?? levelFor(global, d);
    // Errors stay errors whatever a level says (checkDiagnosticLevels refuses such levels too).
    if (d.severity === 'error') {
      out.push(d);
      continue;
    }
    if (level === 'off') continue;
    out.push(level === undefined || level === d.severity ? d : { ...d, severity: level });
  }
  return out;
}

function levelFor(levels: Readonly<Record<string, DiagnosticLevel>>, d: Diagnostic): DiagnosticLevel | undefined {
  return levels[d.id] ?? levels[d.code];
}
