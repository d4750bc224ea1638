// What verify counts as not carried, from pg2tidb data's own diagnostics of a dump.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { notCarried, notCarriedCount } from '../src/verify/not-carried.js';

const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-not-carried-'));

async function diagnose(text: string, maxRowDiagnostics?: number) {
  const file = join(dir, 'in.sql');
  writeFileSync(file, text);
  return (await convertData([{ path: 'in.sql', file }], {}, { onUnrepresentable: 'null', ...(maxRowDiagnostics ? { maxRowDiagnostics } : {}) }, join(dir, 'out'))).diagnostics;
}

describe('verify: not carried', () => {
  it('an INSERT ... ON CONFLICT loaded as plain rows is carried; a value loaded as NULL and an INSERT ... SELECT are not', async () => {
    const d = await diagnose("CREATE TABLE t (id int PRIMARY KEY, day date);\nINSERT INTO t VALUES (1, '2024-01-01') ON CONFLICT DO NOTHING;\nINSERT INTO t VALUES (2, 'infinity');\nINSERT INTO t SELECT 3, NULL;\n");
    expect(d.map((x) => `${x.id}:${(x.data as { reason?: string }).reason ?? ''}`).sort()).toEqual(['data-statement-skipped:not-replayed', 'data-statement-skipped:on-conflict', 'data-unrepresentable:']);
    expect(notCarried(d).map((x) => x.id).sort()).toEqual(['data-statement-skipped', 'data-unrepresentable']);
  });

  it('counts the values a "more like this" diagnostic hides', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `${i + 1}\tinfinity`).join('\n');
    const d = notCarried(await diagnose(`CREATE TABLE t (id int PRIMARY KEY, day date);\nCOPY t (id, day) FROM stdin;\n${rows}\n\\.\n`, 2));
    expect(d.length).toBe(3);
    expect(notCarriedCount(d)).toBe(5);
  });
});
