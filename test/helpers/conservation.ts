import { noteText } from '../../src/diagnostics/catalogue.js';
import { subjectText } from '../../src/diagnostics/subject.js';
import type { TranslateResult } from '../../src/index.js';

const name = (n: { schema?: string; name: string }) => (n.schema ? `${n.schema}.${n.name}` : n.name);

/**
 * Every input object must reach the output or be named by a diagnostic. Returns what is
 * neither, so a test can show exactly what was dropped silently.
 */
export function conservationGaps(result: TranslateResult): string[] {
  const gaps: string[] = [];
  const text = result.diagnostics.map((d) => `${subjectText(d.subject)}\u0000${d.message}`).join('\n');
  const mentioned = (s: string) => text.includes(s);
  const bySource = new Map(result.tidb.tables.map((t) => [t.source, t]));
  const deferred = result.tidb.deferredForeignKeys;

  for (const t of result.schema.tables) {
    const tn = name(t.name);
    const out = bySource.get(tn);
    if (!out) {
      if (!mentioned(tn)) gaps.push(`table ${tn}`);
      continue;
    }
    for (const c of t.columns) {
      if (!out.columns.some((x) => x.name === c.name) && !mentioned(`${tn}.${c.name}`)) gaps.push(`column ${tn}.${c.name}`);
    }
    if (t.primaryKey && !out.primaryKey && !mentioned(`primary key of ${tn}`)) gaps.push(`primary key of ${tn}`);
    const indexNames = out.indexes.map((i) => i.name);
    for (const i of [...t.indexes, ...t.uniques]) {
      if (i.name === undefined) continue;
      if (!indexNames.some((n) => n === i.name || n.startsWith(`${i.name}_`)) && !mentioned(i.name)) gaps.push(`index ${tn}.${i.name}`);
    }
    const unnamed = [...t.indexes, ...t.uniques].filter((i) => i.name === undefined).length;
    const named = [...t.indexes, ...t.uniques].length - unnamed;
    if (unnamed > 0 && out.indexes.length < named + unnamed && !mentioned(tn)) gaps.push(`${unnamed} unnamed indexes of ${tn}`);
    const fkNames = [...out.foreignKeys.map((f) => f.name), ...deferred.filter((d) => d.table.name === out.name.name).map((d) => d.foreignKey.name)];
    for (const fk of t.foreignKeys) {
      if (fk.name !== undefined) {
        if (!fkNames.some((n) => n === fk.name || n.startsWith(`${fk.name}_`)) && !mentioned(fk.name)) gaps.push(`foreign key ${tn}.${fk.name}`);
      } else if (!fkNames.some((n) => n.includes(fk.columns.join('_'))) && !mentioned(`(${fk.columns.join(', ')})`)) {
        gaps.push(`foreign key ${tn}(${fk.columns.join(', ')})`);
      }
    }
    const checkNames = out.checks.map((c) => c.name ?? '');
    for (const c of t.checks) {
      if (c.name !== undefined && !checkNames.some((n) => n === c.name || n.startsWith(`${c.name}_`)) && !mentioned(c.name)) gaps.push(`check ${tn}.${c.name}`);
    }
    if (t.checks.filter((c) => c.name === undefined).length > 0 && out.checks.length === 0 && !mentioned(`on ${tn}`)) gaps.push(`unnamed checks of ${tn}`);
    for (const x of t.excludes) if (!mentioned(`EXCLUDE constraint ${x.name ?? ''}`)) gaps.push(`exclude ${tn}.${x.name ?? ''}`);
  }
  const seqNames = result.tidb.sequences.map((s) => s.name.name);
  for (const s of result.schema.sequences) if (!seqNames.includes(s.name.name) && !mentioned(name(s.name))) gaps.push(`sequence ${name(s.name)}`);
  for (const v of result.schema.views) if (!mentioned(name(v.name))) gaps.push(`view ${name(v.name)}`);
  for (const e of result.schema.enums) if (!mentioned(name(e.name))) gaps.push(`enum ${name(e.name)}`);
  for (const d of result.schema.domains) if (!mentioned(name(d.name))) gaps.push(`domain ${name(d.name)}`);
  for (const o of result.schema.others) if (!mentioned(o.statement)) gaps.push(`statement ${o.statement} ${o.name ?? ''} at ${o.span?.file}:${o.span?.line}`);
  for (const n of result.schema.notes) if (!mentioned(noteText(n, n.subject))) gaps.push(`note ${noteText(n, n.subject)}`);
  for (const x of result.schema.extensions) if (!mentioned(`extension ${x.name}`)) gaps.push(`extension ${x.name}`);
  return gaps;
}
