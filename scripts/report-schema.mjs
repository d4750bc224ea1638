// Writes schema/pg2tidb.report.schema.json from the catalogue (src/diagnostics/report-schema.ts, built into dist).
// Run by `npm run schema:report`; test/report-schema.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportSchema } from '../dist/diagnostics/report-schema.js';

const path = join(import.meta.dirname, '..', 'schema', 'pg2tidb.report.schema.json');
writeFileSync(path, `${JSON.stringify(reportSchema(), null, 2)}\n`);
console.log(`wrote ${path}`);
