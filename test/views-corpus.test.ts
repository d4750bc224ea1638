// Issue 14, views: every corpus file with views (pagila is a PostgreSQL 18 dump that PostgreSQL 15
// cannot load, so here it is execution only; sakila's rows are compared in views-sakila.test.ts)
// is translated and its whole output run on tidb-server; every emitted view must be created and
// answer `SELECT * FROM v LIMIT 1`, and every view not emitted must carry a diagnostic naming it.
// Per file it prints views in / translated (emitted) / reported (with a warning or error diagnostic:
// left out, or emitted with a difference named).
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectText } from '../src/diagnostics/subject.js';
import { translate, type TranslateResult } from '../src/index.js';
import { corpusFiles, readCorpus } from './helpers/fixtures.js';
import { freshDatabase } from './helpers/tidb-server.js';
import { dropDatabases, executeStatements, formatRejection } from './helpers/tidb-readback.js';

const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-3)}`;

/** A view statement of tidb.sql: CREATE [OR REPLACE] [ALGORITHM ...] [DEFINER ...] [SQL SECURITY ...] VIEW `db`.`name`. */
const VIEW_STATEMENT = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?VIEW\s+`((?:[^`]|``)+)`\.`((?:[^`]|``)+)`/i;

let conn: Connection;
const rows: string[] = [];

beforeAll(async () => {
  conn = await freshDatabase(`views_corpus_${runId}`);
  // The views' own checks; the tables' CHECKs are judged by tidb-execute.test.ts.
  await conn.query('SET SESSION group_concat_max_len = 1048576');
});

afterAll(async () => {
  console.log(`[views-corpus] file: views in / translated / reported\n${rows.join('\n')}`);
  await conn?.end();
});

/** Translated again with every database prefixed by the run's id, so parallel runs do not meet. */
async function isolated(path: string): Promise<TranslateResult> {
  const file = readCorpus(path);
  const plain = await translate(file, {});
  const databaseMap: Record<string, string> = {};
  for (const d of plain.tidb.databases) databaseMap[d.source] = `vc${runId}_${d.name}`.slice(0, 64);
  return translate(file, { databaseMap });
}

/** Files whose text creates a view (checked against the IR below), so the others get no empty test. */
const MAY_HAVE_VIEWS = /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:MATERIALIZED\s+)?VIEW\b/i;
/** Until the TiDB backend prints CREATE VIEW (h-views, in progress): the statements from the IR views. */
function interimViews(result: TranslateResult): { sql: string; kind: string; subject: string }[] {
  if (result.statements.some((s) => VIEW_STATEMENT.test(s.sql))) return [];
  const q = (n: string) => `\`${n.replace(/`/g, '``')}\``;
  return (result.tidb.views ?? []).map((v) => ({ kind: 'create-view', subject: `${v.name.database}.${v.name.name}`, sql: `CREATE VIEW ${q(v.name.database)}.${q(v.name.name)} (${v.columns.map(q).join(', ')}) AS ${v.sql}` }));
}

const files = corpusFiles().filter((f) => MAY_HAVE_VIEWS.test(readCorpus(f).text));

describe('every translated corpus view executes on tidb-server', () => {
  it('finds the corpus files with views', async () => {
    const withViews: string[] = [];
    for (const f of corpusFiles()) if ((await translate(readCorpus(f), {})).schema.views.length > 0) withViews.push(readCorpus(f).path);
    expect(withViews).toEqual(files.map((f) => readCorpus(f).path));
    // The files the issue names (pagila, postgrest_spec, postgrest_big, danbooru) and sakila at least.
    expect(withViews).toEqual(expect.arrayContaining(['pg/danbooru_structure.sql', 'pg/pagila-schema.sql', 'pg/postgrest_big_schema.sql', 'pg/postgrest_spec_schema.sql', 'pairs/sakila/pg.sql']));
  }, 300_000);

  for (const f of files) {
    const path = readCorpus(f).path;
    it(path, async () => {
      const result = await isolated(f);
      const views = result.schema.views;
      expect(views.length).toBeGreaterThan(0);
      try {
        const run = await executeStatements(conn, [...result.statements, ...interimViews(result)]);
        expect(run.rejections.map(formatRejection), `${path}: statements TiDB refused`).toEqual([]);
        const emitted = [...result.statements, ...interimViews(result)].flatMap((s) => {
          const m = VIEW_STATEMENT.exec(s.sql);
          return m ? [{ database: m[1]!.replace(/``/g, '`'), name: m[2]!.replace(/``/g, '`') }] : [];
        });
        const failed: string[] = [];
        for (const v of emitted) {
          try {
            await conn.query(`SELECT * FROM \`${v.database.replace(/`/g, '``')}\`.\`${v.name.replace(/`/g, '``')}\` LIMIT 1`);
          } catch (e) {
            failed.push(`${v.database}.${v.name}: ${(e as Error).message}`);
          }
        }
        expect(failed, `${path}: emitted views that do not answer SELECT * ... LIMIT 1`).toEqual([]);
        // Every view in is emitted (by its PostgreSQL name, possibly renamed: then a diagnostic says so) or reported.
        const reported = new Set(result.diagnostics.filter((d) => (d.subject.kind === 'view' || d.subject.kind === 'materialized-view') && d.severity !== 'info').map((d) => subjectText(d.subject)));
        const emittedNames = new Set(emitted.map((v) => v.name));
        const tableNames = new Set(result.tidb.tables.map((t) => t.name.name));
        const silent = views.filter((v) => {
          const name = subjectText({ kind: v.materialized ? 'materialized-view' : 'view', ...(v.name.schema !== undefined ? { database: v.name.schema } : {}), name: v.name.name });
          // A materialized view becomes a table (reported).
          const out = v.materialized ? tableNames.has(v.name.name) : emittedNames.has(v.name.name);
          return !out && !reported.has(name);
        });
        expect(silent.map((v) => `${v.name.schema}.${v.name.name}`), `${path}: views neither emitted nor reported`).toEqual([]);
        rows.push(`${path}: ${views.length} / ${emitted.length} / ${reported.size}`);
      } finally {
        await dropDatabases(conn, result.tidb);
      }
    }, 300_000);
  }
});
