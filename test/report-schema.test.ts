import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/diagnostics/catalogue.js';
import { reportSchema } from '../src/diagnostics/report-schema.js';
import { translate } from '../src/index.js';
import { corpusFiles, readCorpus } from './helpers/fixtures.js';
import { validate } from './helpers/json-schema.js';

const ROOT = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'pg2tidb.report.schema.json'), 'utf8')) as Record<string, unknown>;
const defs = schema.$defs as Record<string, { enum: string[] }>;

describe('report.json schema', () => {
  it('is the committed output of `npm run schema:report` (generated from the catalogue)', () => {
    expect(schema).toEqual(reportSchema());
  });

  it('every catalogue id declares its payload fields', () => {
    for (const [id, e] of Object.entries(CATALOGUE)) expect(Object.keys((e as { fields?: object }).fields ?? {}).length, id).toBeGreaterThan(0);
  });

  it('names every catalogue id and code, and nothing else', () => {
    expect([...defs.id!.enum].sort()).toEqual(Object.keys(CATALOGUE).sort());
    expect([...defs.code!.enum].sort()).toEqual(Object.values(CATALOGUE).map((e) => e.code).sort());
  });

  it('rejects a report with a string subject, a missing payload or a wrong payload', async () => {
    const r = JSON.parse(JSON.stringify((await translate('CREATE TABLE t (a timestamptz, b serial PRIMARY KEY); CREATE VIEW v AS SELECT 1;')).report));
    expect(validate(schema, r)).toEqual([]);
    const d = r.diagnostics.find((x: { id: string }) => x.id === 'view-translated');
    expect(d?.data).toEqual({ materialized: false, notes: [] });
    expect(validate(schema, { ...r, diagnostics: [{ ...d, subject: 'public.v' }] })).not.toEqual([]);
    const { data: _data, ...noData } = d;
    expect(validate(schema, { ...r, diagnostics: [noData] })).not.toEqual([]);
    expect(validate(schema, { ...r, diagnostics: [{ ...d, data: { detail: 'x' } }] })).not.toEqual([]);
    expect(validate(schema, { ...r, diagnostics: [{ ...d, code: 'PGT2005' }] })).not.toEqual([]);
  });

  const goldens = readdirSync(join(ROOT, 'golden')).filter((g) => existsSync(join(ROOT, 'golden', g, 'report.json'))).sort();
  it(`every golden report.json validates (${goldens.length})`, () => {
    expect(goldens.length).toBeGreaterThan(50);
    for (const g of goldens) {
      const report = JSON.parse(readFileSync(join(ROOT, 'golden', g, 'report.json'), 'utf8'));
      expect(validate(schema, report), g).toEqual([]);
    }
  });

  // The SQLAlchemy packages go through the CLI, which reads a folder as the models it holds.
  const SQLALCHEMY = ['airflow/airflow-core/src/airflow', 'ctfd/CTFd/models', 'keystone/keystone', 'mlflow/mlflow'];
  for (const dir of SQLALCHEMY) {
    it(`the report of corpus sqlalchemy/${dir} validates`, () => {
      const out = mkdtempSync(join(tmpdir(), 'pg2tidb-schema-'));
      try {
        execFileSync(process.execPath, [join(ROOT, 'bin', 'pg2tidb.js'), 'translate', join(ROOT, '..', 'shared', 'corpus', 'sqlalchemy', dir), '-o', out, '-q'], { stdio: 'pipe', maxBuffer: 64 << 20 });
      } catch (e) {
        // Exit 1 (errors in the input) still writes report.json; anything else is a failure below.
        if ((e as { status?: number }).status !== 1) throw e;
      }
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(validate(schema, report)).toEqual([]);
    }, 120_000);
  }

  for (const path of corpusFiles()) {
    it(`the report of corpus ${readCorpus(path).path} validates`, async () => {
      const r = await translate(readCorpus(path));
      const report = JSON.parse(JSON.stringify(r.report));
      expect(validate(schema, report)).toEqual([]);
      expect(report.diagnostics.every((d: { subject: { kind?: string } }) => typeof d.subject.kind === 'string')).toBe(true);
      expect(report.groups.reduce((n: number, g: { count: number }) => n + g.count, 0)).toBe(report.diagnostics.length);
    });
  }
});
