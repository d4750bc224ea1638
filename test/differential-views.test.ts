// The differential harness's view comparison (viewDifferences, src/testing/views.ts): after the
// generated rows are in both engines, every translated view's rows must be PostgreSQL's, unless a
// diagnostic predicts the difference. Judged on a schema with views of the common kinds, and on a
// view made wrong on purpose in TiDB (which it must report, unpredicted).
import { execFileSync } from 'node:child_process';
import type { Connection } from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDifferential, viewDifferences, type DifferentialEngines } from '../src/testing/index.js';
import { databaseUrl, pgTextClient, PSQL, startPostgres } from './helpers/data-load.js';
import { connectionOptions, injectedTidb } from './helpers/tidb-server.js';

const SCHEMA = `
CREATE TABLE author (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true, born date, score numeric(6,2));
CREATE TABLE book (id integer PRIMARY KEY, author_id integer REFERENCES author (id), title varchar(80) NOT NULL, price numeric(8,2), published timestamp);
CREATE VIEW active_authors AS SELECT id, born, score FROM author WHERE active;
CREATE VIEW author_books AS SELECT a.id, count(b.id) AS books, sum(b.price) AS total, max(b.published) AS last_published FROM author a LEFT JOIN book b ON b.author_id = a.id GROUP BY a.id;
CREATE VIEW scored AS SELECT id, active, CASE WHEN score > 0 THEN 'pos' WHEN score < 0 THEN 'neg' END AS sign, COALESCE(score, 0) + 1 AS s, NULLIF(born, DATE '2000-01-01') AS born FROM author;
CREATE VIEW cheap_books AS SELECT b.id, b.price FROM book b WHERE b.price < 10 UNION ALL SELECT b.id, b.price FROM book b WHERE b.price IS NULL;
`;

/** Constructs the issue lists, over the same tables. */
const TRICKY = `
CREATE VIEW v_ilike AS SELECT id, name ILIKE 'a%' AS a_name, name ~ '^[A-Z]' AS capital, name || '!' AS shout, length(name) AS len, upper(name) AS up FROM author;
CREATE VIEW v_filter AS SELECT author_id, count(*) FILTER (WHERE price > 10) AS dear, count(*) AS n, string_agg(title, '; ' ORDER BY id) AS titles FROM book GROUP BY author_id;
CREATE VIEW v_distinct_on AS SELECT DISTINCT ON (author_id) author_id, id, title FROM book ORDER BY author_id, id DESC;
CREATE VIEW v_window AS SELECT id, author_id, row_number() OVER (PARTITION BY author_id ORDER BY id) AS rn, sum(price) OVER (PARTITION BY author_id) AS author_total FROM book;
CREATE VIEW v_dates AS SELECT id, date_trunc('month', published) AS month, extract(year FROM published) AS year, published + interval '1 day' AS next_day, published::date AS day FROM book;
CREATE VIEW v_math AS SELECT id, round(score, 1) AS r, greatest(score, 0) AS g, least(score, 0) AS l, abs(score) AS a, score::integer AS i, 7 / 2 AS int_div, mod(id, 3) AS m FROM author;
CREATE VIEW v_cte AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i, i * i AS sq FROM n;
CREATE VIEW v_limit AS SELECT id, title FROM book ORDER BY id LIMIT 2 OFFSET 1;
CREATE VIEW v_exists AS SELECT a.id FROM author a WHERE EXISTS (SELECT 1 FROM book b WHERE b.author_id = a.id) AND a.id IN (SELECT author_id FROM book WHERE price IS NOT NULL);
CREATE VIEW x_avg AS SELECT author_id, avg(id) AS a, avg(price) AS ap FROM book GROUP BY author_id;
CREATE VIEW x_str AS SELECT id, substring(name from 2 for 3) AS s, trim(name) AS t, replace(name, 'a', 'b') AS r, left(name, 2) AS l, lpad(name, 5, '*') AS lp FROM author;
CREATE VIEW x_cnt AS SELECT count(DISTINCT author_id) AS d, count(price) AS c, bool_and(price > 0) AS ba FROM book;
CREATE VIEW x_round AS SELECT id, round(price) AS r0, trunc(price, 1) AS t1, ceil(price) AS c, floor(price) AS f, sign(price) AS s FROM book;
CREATE VIEW x_dt AS SELECT id, date_trunc('day', published) AS w, date_part('dow', published) AS dow, published::time AS tm FROM book;
CREATE VIEW x_case AS SELECT id, CASE active WHEN true THEN 1 ELSE 0 END AS k, born IS DISTINCT FROM DATE '2000-01-01' AS dist FROM author;
CREATE VIEW v_bool AS SELECT id, active AND score > 0 AS both_true, NOT active AS inactive FROM author;
`;

/** Rows that meet in the joins (generated keys rarely do). */
const GIVEN = {
  'public.author': [
    ['1', 'Ann', 't', '1970-01-02', '12.50'],
    ['2', 'Bob', 'f', null, '-3'],
    ['3', 'Cy', 't', '2000-01-01', null],
  ],
  'public.book': [
    ['10', '1', 'One', '9.99', '2020-01-02 03:04:05'],
    ['11', '1', 'Two', null, null],
    ['12', '2', 'Three', '25', '2021-06-30 23:59:59.5'],
  ],
};

/** Views of the constructs whose translation answers differently (see the test that runs them). */
const BUGS = `
CREATE VIEW bug_numeric_div AS SELECT id, score / 3 AS third FROM author;
CREATE VIEW bug_bool_text AS SELECT id, active::text AS t, 'x' || active AS c FROM author;
CREATE VIEW bug_case_fold AS SELECT id, position('a' in name) AS p, strpos(name, 'a') AS sp, name LIKE 'a%' AS lk FROM author;
`;

/** Constructs translated since (issue 14, part 3: views2), over the same tables and one of json, arrays and uuids. */
const MORE = `
CREATE TABLE doc (id integer PRIMARY KEY, data jsonb, tags text[], ref uuid, book_id integer REFERENCES book (id));
CREATE VIEW m_to_char AS SELECT id, to_char(published, 'YYYY-MM-DD HH24:MI:SS') AS iso, to_char((published)::timestamp with time zone, 'DD.MM.YY'::text) AS de, to_char(published, 'FMDD. Month YYYY, Dy FMHH12:MI am') AS words, to_char(published, 'Mon/MON/mon DDD D Q US MS "q" \\"') AS misc, to_char(published::date, 'FMMM/FMDD/YYYY "at" HH24 Day|FMDay|DAY') AS d FROM book;
CREATE VIEW m_json AS SELECT id, data ->> 'name' AS name, data -> 'k' AS k, data #>> '{a,b}' AS ab, (data -> 'list') ->> 0 AS first, (data -> 'list') ->> -1 AS last, data ->> ('na' || 'me') AS dyn FROM doc;
CREATE VIEW m_arrays AS SELECT a.id, array_to_string(array_agg(b.id ORDER BY b.id DESC), ', '::text) AS ids, array_to_string(array_agg(b.title ORDER BY b.id), '|', '-') AS titles, array_agg(b.id ORDER BY b.id) AS ordered, array_agg(b.price ORDER BY b.id) FILTER (WHERE b.price > 5) AS dear FROM author a LEFT JOIN book b ON b.author_id = a.id GROUP BY a.id;
CREATE VIEW m_array_sub AS SELECT a.id, ARRAY(SELECT b.title FROM book b WHERE b.author_id = a.id ORDER BY b.id DESC) AS titles, ARRAY(SELECT b.id FROM book b WHERE b.author_id = a.id ORDER BY 1) AS ids FROM author a;
CREATE VIEW m_json_array AS SELECT id, array_to_string(tags, ',') AS tags FROM doc;
CREATE VIEW m_uuid AS SELECT id, ref = 'A1146AE4-4E03-4032-8AA8-BC46BA02F468'::uuid AS is_a, COALESCE(ref, '{a1146ae44e0340328aa8bc46ba02f468}'::uuid) AS r, NULL::uuid AS none FROM doc;
CREATE VIEW m_full AS SELECT a.id AS author, a.name, b.id AS book, b.title FROM author a FULL JOIN book b ON b.author_id = a.id AND b.price > 5;
CREATE VIEW m_bag AS SELECT author_id FROM book INTERSECT ALL SELECT id FROM author;
CREATE VIEW m_except AS SELECT author_id, 1 AS one FROM book EXCEPT ALL SELECT id, 1 FROM author WHERE id > 1;
CREATE VIEW m_rollup AS SELECT author_id, published::date AS day, count(*) AS n, sum(price) AS total, GROUPING(author_id) AS g, GROUPING(author_id, published::date) AS g2 FROM book GROUP BY ROLLUP (author_id, published::date);
CREATE VIEW m_now AS SELECT id FROM book WHERE published < ('now'::text)::date;
`;

const MORE_GIVEN = {
  ...GIVEN,
  // Duplicates for the bag operations, a book without an author for the FULL JOIN.
  'public.book': [...GIVEN['public.book'], ['13', null, 'Four', '7', null], ['14', '1', 'Five', '6', '2020-01-02 03:04:05']],
  'public.doc': [
    ['1', '{"name": "x", "k": {"b": [1, "two"]}, "a": {"b": "c"}, "list": [10, "y", null]}', '{a,b,NULL}', 'a1146ae4-4e03-4032-8aa8-bc46ba02f468', '10'],
    ['2', '{"name": null, "list": []}', '{}', null, '12'],
    ['3', null, null, 'b1146ae4-4e03-4032-8aa8-bc46ba02f468', null],
  ],
};

let pgUrl: string | undefined;
let unavailable: string | undefined;
let tidb: Connection;
let counter = 0;

beforeAll(async () => {
  const p = startPostgres();
  pgUrl = p.url;
  unavailable = p.unavailable;
  const mysql = await import('mysql2/promise');
  tidb = await mysql.createConnection({ ...connectionOptions(await injectedTidb()), multipleStatements: true, rowsAsArray: true });
}, 300_000);

afterAll(async () => {
  await tidb?.end();
});

/** A fresh PostgreSQL database and its engines; `done` drops both sides. */
async function engines(): Promise<{ engines: DifferentialEngines; db: string; done: (databases: readonly string[]) => Promise<void> }> {
  const db = `diffviews_${process.pid}_${counter++}`;
  execFileSync(PSQL, [pgUrl!, '-qc', `CREATE DATABASE ${db}`], { stdio: 'pipe' });
  const client: pg.Client = await pgTextClient(databaseUrl(pgUrl!, db));
  return {
    db,
    engines: {
      pg: async (q) => (await client.query({ text: q, rowMode: 'array' })).rows ?? [],
      tidb: async (q, params) => {
        const [rows] = await tidb.query(q, params as unknown[]);
        return Array.isArray(rows) && Array.isArray(rows[0]) ? (rows as unknown[][]) : [];
      },
    },
    done: async (databases) => {
      await client.end();
      execFileSync(PSQL, [pgUrl!, '-qc', `DROP DATABASE ${db}`], { stdio: 'pipe' });
      for (const d of databases) await tidb.query(`DROP DATABASE IF EXISTS \`${d}\``);
    },
  };
}

describe('the differential harness compares translated views', () => {
  it('finds no unexplained difference in the views over generated and given rows', async (ctx) => {
    if (unavailable) ctx.skip();
    const e = await engines();
    let databases: readonly string[] = [];
    try {
      const report = await runDifferential(SCHEMA, e.engines, { rows: 10, seed: 14, databasePrefix: e.db, givenRows: GIVEN });
      databases = report.databases;
      expect(report.result.tidb.views?.map((v) => v.name.name)).toEqual(['active_authors', 'author_books', 'scored', 'cheap_books']);
      const views = report.differences.filter((d) => ['public.active_authors', 'public.author_books', 'public.scored', 'public.cheap_books'].includes(d.table));
      console.log(`[differential-views] view differences: ${views.length === 0 ? 'none' : views.map((d) => `${d.table}: ${d.detail} (${d.predictedBy?.id ?? 'unexplained'})`).join('\n')}`);
      expect(report.unexplained.map((d) => `${d.table}${d.column ? `.${d.column}` : ''}: ${d.detail}`)).toEqual([]);
      // The joins met: the given rows are in both engines.
      expect(await e.engines.pg('SELECT count(*)::text FROM author_books WHERE books > 0')).toEqual([['2']]);
    } finally {
      await e.done(databases);
    }
  });

  it('finds no unexplained difference in views of the constructs the issue lists', async (ctx) => {
    if (unavailable) ctx.skip();
    const e = await engines();
    let databases: readonly string[] = [];
    try {
      const report = await runDifferential(SCHEMA + TRICKY, e.engines, { rows: 10, seed: 14, databasePrefix: e.db, givenRows: GIVEN });
      databases = report.databases;
      // Every view is translated (none left out), so every one is compared.
      expect(report.result.tidb.views?.length).toBe((SCHEMA + TRICKY).match(/CREATE VIEW/g)!.length);
      const left = report.result.diagnostics.filter((d) => d.subject.kind === 'view' && d.severity !== 'info').map((d) => `${d.subject.name}: ${d.message}`);
      const views = report.differences.filter((d) => d.table.startsWith('public.v_') || d.table.startsWith('public.x_'));
      console.log(`[differential-views] tricky: ${report.result.tidb.views?.length} translated; left out: ${left.join('; ') || 'none'}\n${views.map((d) => `${d.table}: ${d.detail} (${d.predictedBy?.id ?? 'unexplained'})`).join('\n')}`);
      expect(report.unexplained.map((d) => `${d.table}${d.column ? `.${d.column}` : ''}: ${d.detail}`)).toEqual([]);
    } finally {
      await e.done(databases);
    }
  });

  it('gives PostgreSQL\'s rows for to_char, jsonb operators, arrays and uuid casts', async (ctx) => {
    if (unavailable) ctx.skip();
    const e = await engines();
    let databases: readonly string[] = [];
    try {
      const report = await runDifferential(SCHEMA + MORE, e.engines, { rows: 10, seed: 14, databasePrefix: e.db, givenRows: MORE_GIVEN });
      databases = report.databases;
      const left = report.result.diagnostics.filter((d) => d.subject.kind === 'view' && d.severity !== 'info').map((d) => `${d.subject.name}: ${d.message}`);
      expect(left).toEqual([]);
      const views = report.differences.filter((d) => d.table.startsWith('public.m_'));
      // Not only explained: the same rows (the given rows meet in the joins; the generated ones are random).
      expect(views.map((d) => `${d.table}: ${d.detail} (${d.predictedBy?.id ?? 'unexplained'})`)).toEqual([]);
      expect(report.unexplained.map((d) => `${d.table}${d.column ? `.${d.column}` : ''}: ${d.detail}`)).toEqual([]);
      expect(report.result.tidb.views?.length).toBe((SCHEMA + MORE).match(/CREATE VIEW/g)!.length);
      expect(await e.engines.pg('SELECT ids FROM m_arrays WHERE id = 1')).toEqual([['14, 11, 10']]);
      // The rows compared are the interesting ones: both engines give these.
      expect(await e.engines.pg("SELECT count(*) FILTER (WHERE author IS NULL AND book = 13)::text, count(*) FILTER (WHERE book IS NULL AND author = 3)::text FROM m_full")).toEqual([['1', '1']]);
      expect(await e.engines.pg("SELECT count(*)::text FROM m_bag WHERE author_id = 1")).toEqual([['1']]);
      expect(await e.engines.pg("SELECT count(*)::text FROM m_except WHERE author_id = 1")).toEqual([['3']]);
      const words = "SELECT words, misc FROM m_to_char WHERE id = 12";
      expect(await e.engines.pg(words)).toEqual([['30. June      2021, Wed 11:59 pm', 'Jun/JUN/jun 181 4 2 500000 500 q "']]);
      expect(await e.engines.tidb(words.replace('m_to_char', `\`${report.result.tidb.views![0]!.name.database}\`.m_to_char`))).toEqual([['30. June      2021, Wed 11:59 pm', 'Jun/JUN/jun 181 4 2 500000 500 q "']]);
    } finally {
      await e.done(databases);
    }
  });

  // Translator bugs this harness found (view, construct, PostgreSQL vs TiDB over the given rows):
  // no diagnostic predicts them, so this stays red until the translator fixes or names them.
  //   bug_numeric_div: numeric / integer. author 1 (score 12.50): PostgreSQL 4.1666666666666667
  //     (at least 16 significant digits), TiDB 4.166667 (the dividend's scale + div_precision_increment 4).
  //   bug_bool_text: boolean::text and text || boolean. PostgreSQL 'true' / 'xtrue', TiDB '1' / 'x1'
  //     (CAST(b AS CHAR), CONCAT('x', b)).
  //   bug_case_fold: position('a' in name), strpos(name, 'a') and name LIKE 'a%' on 'Ann'. PostgreSQL
  //     0, 0, false; TiDB 1, 1, 1 (LOCATE and LIKE follow utf8mb4_unicode_ci, case-insensitive).
  it('finds no unexplained difference in the constructs it found translator bugs in', async (ctx) => {
    if (unavailable) ctx.skip();
    const e = await engines();
    let databases: readonly string[] = [];
    try {
      const report = await runDifferential(SCHEMA + BUGS, e.engines, { rows: 10, seed: 14, databasePrefix: e.db, givenRows: GIVEN });
      databases = report.databases;
      expect(report.unexplained.map((d) => `${d.table}${d.column ? `.${d.column}` : ''}: ${d.detail}`)).toEqual([]);
    } finally {
      await e.done(databases);
    }
  });

  it('reports a view that answers differently, unpredicted', async (ctx) => {
    if (unavailable) ctx.skip();
    const e = await engines();
    let databases: readonly string[] = [];
    try {
      const report = await runDifferential(SCHEMA, e.engines, { rows: 3, seed: 7, databasePrefix: e.db, givenRows: GIVEN });
      databases = report.databases;
      const view = report.result.tidb.views!.find((v) => v.name.name === 'active_authors')!;
      // TiDB's view now keeps the inactive authors too.
      await tidb.query(`CREATE OR REPLACE VIEW \`${view.name.database}\`.\`active_authors\` AS SELECT id, born, score FROM \`${view.name.database}\`.author`);
      const diffs = await viewDifferences(report.result, e.engines);
      expect(diffs.map((d) => ({ table: d.table, predicted: d.predictedBy !== undefined }))).toEqual([{ table: 'public.active_authors', predicted: false }]);
      expect(diffs[0]!.detail).toMatch(/TiDB only \["2",null,"-3"\]/);
    } finally {
      await e.done(databases);
    }
  });
});
