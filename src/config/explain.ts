import { subjectText } from '../diagnostics/subject.js';
import { printType } from '../backends/tidb/print.js';
import type { Table } from '../ir/schema.js';
import type { TidbColumn, TidbTable } from '../ir/tidb.js';
import { key } from '../transform/context.js';
import { overridesOf } from '../transform/apply-overrides.js';
import { judgeColumn, type ColumnFacts, type RuleVerdict } from '../transform/overrides.js';
import { keyedColumns } from '../transform/tables.js';
import type { TranslateResult } from '../translate.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface ColumnExplanation {
  readonly subject: string;
  readonly facts: ColumnFacts;
  readonly builtin: { readonly rule: string; readonly type: string };
  readonly verdicts: readonly RuleVerdict[];
  readonly fired?: string;
  readonly column: TidbColumn;
  readonly diagnostics: readonly Diagnostic[];
}

/** Finds `column`, `table.column` or `schema.table.column` (PostgreSQL schema or TiDB database). */
function findColumns(result: TranslateResult, spec: string): { table: TidbTable; source: Table; column: TidbColumn }[] {
  const parts = spec.split('.');
  const [schema, table, column] = parts.length >= 3 ? [parts.slice(0, -2).join('.'), parts[parts.length - 2], parts[parts.length - 1]] : parts.length === 2 ? [undefined, parts[0], parts[1]] : [undefined, undefined, parts[0]];
  const eq = (a: string | undefined, b: string) => a === undefined || a.toLowerCase() === b.toLowerCase();
  const hits: { table: TidbTable; source: Table; column: TidbColumn }[] = [];
  for (const t of result.tidb.tables) {
    const source = result.schema.tables.find((s) => `${s.name.schema ? `${s.name.schema}.` : ''}${s.name.name}` === t.source);
    if (!source || !eq(table, t.name.name)) continue;
    if (schema !== undefined && !eq(schema, source.name.schema ?? 'public') && !eq(schema, t.name.database)) continue;
    for (const c of t.columns) if (eq(column, c.name) && c.origin.column === c.name && source.columns.some((s) => s.name === c.name)) hits.push({ table: t, source, column: c });
  }
  return hits;
}

/** The decision chain for one column: built-in rule, each override considered, the result and its diagnostics. */
export function explainColumn(result: TranslateResult, spec: string): ColumnExplanation[] {
  const referenced = new Set<string>();
  for (const t of result.schema.tables) {
    for (const fk of t.foreignKeys) {
      const parent = result.schema.tables.find((p) => key(p.name) === key(fk.refTable));
      for (const c of fk.refColumns.length > 0 ? fk.refColumns : parent?.primaryKey?.columns ?? []) referenced.add(`${key(fk.refTable)}.${c}`);
    }
  }
  return findColumns(result, spec).map(({ table, source, column }) => {
    const pg = source.columns.find((c) => c.name === column.name)!;
    const facts: ColumnFacts = {
      schema: source.name.schema ?? 'public',
      database: table.name.database,
      table: source.name.name,
      column: pg.name,
      type: pg.type,
      primaryKey: source.primaryKey?.columns.includes(pg.name) ?? false,
      indexed: keyedColumns(source, referenced).has(pg.name),
      hasDefault: pg.default !== undefined,
    };
    const { verdicts, fired } = judgeColumn(overridesOf(result.options), facts);
    const subject = `${table.source}.${column.name}`;
    const builtin = column.origin.builtin ? { rule: column.origin.builtin.rule, type: printType(column.origin.builtin.type) } : { rule: column.origin.rule, type: printType(column.type) };
    return {
      subject,
      facts,
      builtin,
      verdicts,
      ...(fired ? { fired: fired.label } : {}),
      column,
      diagnostics: result.diagnostics.filter((d) => d.subject.kind === 'column' && subjectText(d.subject) === subject),
    };
  });
}

export function renderExplanation(e: ColumnExplanation): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const lines = [
    `${e.subject} -> TiDB ${e.facts.database}.${e.facts.table}.${e.column.name}`,
    `  PostgreSQL type: ${e.facts.type.raw}   primary key: ${yes(e.facts.primaryKey)}   indexed: ${yes(e.facts.indexed)}   has default: ${yes(e.facts.hasDefault)}`,
    `  built-in rule:   ${e.builtin.rule} -> ${e.builtin.type}`,
  ];
  if (e.verdicts.length === 0) lines.push('  overrides:       none configured');
  else {
    lines.push('  overrides:');
    for (const v of e.verdicts) {
      const r = v.rule;
      const actions = [r.type ? `type ${printType(r.type)}` : '', r.default !== undefined ? `default ${r.default === null ? 'dropped' : JSON.stringify(r.rule.default)}` : '', r.diagnostics ? `diagnostics ${JSON.stringify(r.diagnostics)}` : ''].filter(Boolean).join(', ');
      lines.push(`    [${r.index}] ${r.label}: ${v.matched ? `FIRED (${actions})` : `skipped: ${v.reason}`}`);
    }
  }
  lines.push(`  result:          ${printType(e.column.type)}${e.column.nullable ? '' : ' NOT NULL'} (decided by ${e.fired && e.column.origin.builtin ? `override ${e.fired}` : `built-in rule ${e.column.origin.rule}`})`);
  if (e.diagnostics.length === 0) lines.push('  diagnostics:     none');
  else {
    lines.push('  diagnostics:');
    for (const d of e.diagnostics) lines.push(`    ${d.severity} ${d.code} [${d.id}]: ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}
