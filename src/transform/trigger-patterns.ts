import type { Column, OtherObject, RoutineInfo, Schema, Table, TriggerInfo } from '../ir/schema.js';
import type { QualifiedName } from '../ir/types.js';
import type { DiagnosticBag } from '../diagnostics/diagnostic.js';
import { objectSubject, otherSubject } from '../diagnostics/subject.js';

/** A BEFORE UPDATE trigger that TiDB has natively: `ON UPDATE CURRENT_TIMESTAMP` on these columns. */
export interface ConvertedTrigger {
  readonly trigger: OtherObject & { readonly trigger: TriggerInfo };
  readonly routine: OtherObject & { readonly routine: RoutineInfo };
  readonly table: Table;
  readonly columns: readonly string[];
}

export interface TriggerPatterns {
  /** The schema with those columns marked `onUpdate CURRENT_TIMESTAMP` (tables.ts lowers them). */
  readonly schema: Schema;
  readonly converted: readonly ConvertedTrigger[];
  /** Trigger functions whose every trigger was converted: nothing of them is lost. */
  readonly convertedRoutines: ReadonlySet<OtherObject>;
}

// Functions whose value TiDB's ON UPDATE CURRENT_TIMESTAMP stands for (statement time; now() is the
// transaction's start in PostgreSQL, reported in the diagnostic).
const NOW = String.raw`(?:now\s*\(\s*\)|current_timestamp(?:\s*\(\s*\d\s*\))?|clock_timestamp\s*\(\s*\)|statement_timestamp\s*\(\s*\)|transaction_timestamp\s*\(\s*\)|localtimestamp(?:\s*\(\s*\d\s*\))?)`;
const IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")`;
const ASSIGN = new RegExp(String.raw`NEW\s*\.\s*(${IDENT})\s*:?=\s*${NOW}\s*;`, 'gi');
/** The whole body: only such assignments, then RETURN NEW. */
const BODY = new RegExp(String.raw`^\s*(?:DECLARE\s+)?BEGIN\s+((?:NEW\s*\.\s*${IDENT}\s*:?=\s*${NOW}\s*;\s*)+)RETURN\s+NEW\s*;\s*END\s*;?\s*$`, 'i');
const TIMESTAMP_TYPES: ReadonlySet<string> = new Set(['timestamp', 'timestamp with time zone']);

function stripComments(body: string): string {
  return body.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

function unquote(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}

/** The columns a plpgsql trigger body only stamps with the current time, or undefined for any other body. */
export function stampedColumns(routine: RoutineInfo): string[] | undefined {
  if (!routine.returnsTrigger || routine.language?.toLowerCase() !== 'plpgsql' || routine.body === undefined) return undefined;
  const m = BODY.exec(stripComments(routine.body));
  if (!m) return undefined;
  return [...m[1]!.matchAll(ASSIGN)].map((a) => unquote(a[1]!));
}

const same = (a: QualifiedName, b: QualifiedName) => a.name === b.name && (a.schema ?? 'public') === (b.schema ?? 'public');

function isTimestamp(c: Column): boolean {
  return c.type.kind === 'scalar' && TIMESTAMP_TYPES.has(c.type.name);
}

/** Finds `BEFORE UPDATE ... FOR EACH ROW` triggers whose function only sets timestamp columns to now. */
export function applyTriggerPatterns(schema: Schema): TriggerPatterns {
  const routines = schema.others.filter((o): o is OtherObject & { routine: RoutineInfo } => o.routine !== undefined);
  const triggers = schema.others.filter((o): o is OtherObject & { trigger: TriggerInfo } => o.trigger !== undefined);
  const converted: ConvertedTrigger[] = [];
  const stamp = new Map<Table, Set<string>>();
  for (const trigger of triggers) {
    const t = trigger.trigger;
    if (t.timing !== 'before' || !t.forEachRow || t.hasWhen || t.columns.length > 0 || t.events.length !== 1 || t.events[0] !== 'update') continue;
    const routine = routines.find((r) => same(r.routine.name, t.function));
    const table = schema.tables.find((tb) => same(tb.name, t.table));
    const columns = routine && stampedColumns(routine.routine);
    if (!routine || !table || !columns) continue;
    if (!columns.every((name) => table.columns.some((c) => c.name === name && isTimestamp(c)))) continue;
    converted.push({ trigger, routine, table, columns });
    const set = stamp.get(table) ?? new Set<string>();
    for (const c of columns) set.add(c);
    stamp.set(table, set);
  }
  const convertedRoutines = new Set<OtherObject>();
  for (const r of routines) {
    const uses = triggers.filter((t) => same(t.trigger.function, r.routine.name));
    if (uses.length > 0 && uses.every((u) => converted.some((c) => c.trigger === u))) convertedRoutines.add(r);
  }
  if (converted.length === 0) return { schema, converted, convertedRoutines };
  const tables = schema.tables.map((table) => {
    const cols = stamp.get(table);
    if (!cols) return table;
    return { ...table, columns: table.columns.map((c) => (cols.has(c.name) && !c.onUpdate ? { ...c, onUpdate: { k: 'keyword' as const, name: 'CURRENT_TIMESTAMP' as const } } : c)) };
  });
  return { schema: { ...schema, tables }, converted, convertedRoutines };
}

const display = (n: QualifiedName) => (n.schema && n.schema !== 'public' ? `${n.schema}.${n.name}` : n.name);

/** One info per converted trigger, and one per trigger function nothing else uses. */
export function reportTriggerPatterns(patterns: TriggerPatterns, bag: DiagnosticBag): void {
  for (const c of patterns.converted) {
    bag.add('trigger-converted', { function: display(c.trigger.trigger.function), columns: c.columns }, { span: c.trigger.span, subject: otherSubject(c.trigger) });
  }
  for (const r of patterns.convertedRoutines) {
    const uses = patterns.converted.filter((c) => c.routine === r);
    const columns = [...new Set(uses.flatMap((u) => u.columns))].sort();
    bag.add('trigger-converted', { function: display(r.routine!.name), columns, triggers: uses.length }, { span: r.span, subject: objectSubject('function', r.routine!.name) });
  }
}
