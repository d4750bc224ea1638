// Writes schema/pg2tidb.report.schema.json from the catalogue (src/diagnostics/report-schema.ts, built into dist),
// and the diagnostic-id lists of schema/pg2tidb.config.schema.json, so neither is kept by hand.
// Run by `npm run schema:report`; test/report-schema.test.ts and test/config.test.ts fail when a committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '../dist/diagnostics/catalogue.js';
import { reportSchema } from '../dist/diagnostics/report-schema.js';

const dir = join(import.meta.dirname, '..', 'schema');
const reportPath = join(dir, 'pg2tidb.report.schema.json');
writeFileSync(reportPath, `${JSON.stringify(reportSchema(), null, 2)}\n`);
console.log(`wrote ${reportPath}`);

const configPath = join(dir, 'pg2tidb.config.schema.json');
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const ids = Object.keys(CATALOGUE);
config.properties.diagnostics.propertyNames.anyOf[0].enum = ids;
config.properties.overrides.items.properties.diagnostics.propertyNames.anyOf[0].enum = ids;
writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
console.log(`wrote ${configPath}`);
