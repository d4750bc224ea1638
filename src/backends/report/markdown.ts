import { CATALOGUE } from '../../diagnostics/catalogue.js';
import { subjectText } from '../../diagnostics/subject.js';
import { BUCKET_LABEL, BUCKETS, bucketOf, hours, type Assessment } from './assessment.js';

const LEVEL_TEXT = {
  A: 'A: the schema converts automatically; read the reported losses',
  B: 'B: some objects need a person, up to 5 person-days',
  C: 'C: some objects need a person, more than 5 person-days',
} as const;

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** report.md: the assessment as a document a migration lead can read or paste into a ticket. */
export function renderReportMarkdown(a: Assessment): string {
  const out: string[] = [];
  out.push('# pg2tidb migration assessment', '');
  out.push(`Inputs: ${a.inputs.map((i) => `\`${i}\``).join(', ')}`, '');
  out.push(`**Migration level ${LEVEL_TEXT[a.level]}.** Estimated effort: **${hours(a.totalMinutes)}** for ${a.actions.length} items that need action and the notes to review.`, '');
  out.push('## Objects', '');
  out.push(`| object | total | ${BUCKETS.map((b) => BUCKET_LABEL[b]).join(' | ')} |`);
  out.push(`|---|---:|${BUCKETS.map(() => '---:').join('|')}|`);
  for (const t of a.totals) out.push(`| ${t.kind} | ${t.total} | ${BUCKETS.map((b) => t.buckets[b]).join(' | ')} |`);
  out.push('');
  out.push('An object counts in the worst bucket of the diagnostics about it; objects no diagnostic names converted automatically.', '');

  out.push('## Effort', '');
  out.push('| class | items | estimate | assumption |', '|---|---:|---:|---|');
  for (const e of a.effort) if (e.items > 0) out.push(`| ${e.effort} | ${e.items} | ${hours(e.minutes)} | ${cell(e.assumption)} |`);
  out.push(`| **total** | ${a.diagnostics.length} | **${hours(a.totalMinutes)}** | |`, '');

  out.push('## Needs action', '');
  const actionGroups = a.groups.filter((g) => { const b = CATALOGUE[g.id].bucket; return b === 'action' || b === 'unsupported' || g.severity === 'error'; });
  if (actionGroups.length === 0) out.push('Nothing needs action.', '');
  for (const g of actionGroups) {
    const first = a.diagnostics[g.occurrences[0]!]!;
    const item = a.actions.find((x) => x.diagnostic === first);
    out.push(`### ${g.code} ${g.id}: ${g.headline}`, '');
    out.push(`${g.severity}, ${g.extent}.${first.fix ? ` **Fix:** ${first.fix}` : ''}`, '');
    if (item?.excerpt) {
      const where = first.span ? `${first.span.file}:${first.span.line}` : '';
      out.push(`For example \`${subjectText(first.subject)}\` (${where}):`, '', '```sql', item.excerpt, '```', '');
    }
    if (g.count > 1) {
      out.push(g.occurrences.map((i) => {
        const d = a.diagnostics[i]!;
        return `- \`${subjectText(d.subject) || d.code}\`${d.span ? ` (${d.span.file}:${d.span.line})` : ''}`;
      }).join('\n'), '');
    }
  }

  out.push('## Every diagnostic, grouped', '');
  out.push('| severity | code | id | what | objects | bucket |', '|---|---|---|---|---|---|');
  for (const g of a.groups) out.push(`| ${g.severity} | ${g.code} | ${g.id} | ${cell(g.headline)} | ${cell(g.extent)} | ${BUCKET_LABEL[bucketOf(a.diagnostics[g.occurrences[0]!]!)]} |`);
  out.push('', 'Every occurrence, with its location and subject, is in report.json and report.html.', '');
  return out.join('\n');
}
