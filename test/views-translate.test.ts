// Issue 14 part 3: the view translator's tables (operators, functions, aggregates, casts) and its
// rules (NULL ordering, DISTINCT ON, FILTER, GREATEST/LEAST, left-out views), through translate()
// and through translateView() directly with a hand-built environment.
import { describe, expect, it } from 'vitest';
import { translate, readPostgres } from '../src/index.js';
import { translateView, type ViewEnv } from '../src/transform/views/index.js';
import { orderViews } from '../src/transform/views/order.js';
import { groupConcatAggregates } from '../src/transform/views/aggregates.js';

const TABLES = `CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer NOT NULL, s text, n numeric(10,2), d date, ts timestamp, j jsonb, arr text[]);`;

async function body(select: string): Promise<string> {
  const r = await translate(`${TABLES}\nCREATE VIEW v AS ${select};`, {});
  const v = r.tidb.views?.[0];
  if (!v) throw new Error(r.diagnostics.filter((d) => d.id.startsWith('view')).map((d) => d.message).join('\n'));
  return v.sql;
}

async function leftOut(select: string): Promise<{ id: string; data: unknown; line?: number; column?: number }> {
  const r = await translate(`${TABLES}\nCREATE VIEW v AS ${select};`, {});
  expect(r.tidb.views ?? []).toEqual([]);
  const d = r.diagnostics.find((x) => x.id === 'view-construct-unsupported' || x.id === 'view-dependency-left-out')!;
  return { id: d.id, data: d.data, ...(d.span ? { line: d.span.line, column: d.span.column } : {}) };
}

describe('operators', () => {
  it.each([
    ['SELECT a / b FROM t', '(`t`.`a` DIV `t`.`b`)'],
    ['SELECT n / b FROM t', '(`t`.`n` / `t`.`b`)'],
    ['SELECT a % b FROM t', 'MOD(`t`.`a`, `t`.`b`)'],
    ["SELECT s || 'x' FROM t", "CONCAT(`t`.`s`, 'x')"],
    ["SELECT s ~ '^a' FROM t", "REGEXP_LIKE(`t`.`s`, '^a', 'c')"],
    ["SELECT s ~* '^a' FROM t", "REGEXP_LIKE(`t`.`s`, '^a', 'i')"],
    ["SELECT s !~ '^a' FROM t", "NOT REGEXP_LIKE(`t`.`s`, '^a', 'c')"],
    ["SELECT s ILIKE 'a%' FROM t", "(LOWER(`t`.`s`) COLLATE utf8mb4_bin LIKE LOWER('a%'))"],
    ['SELECT a IS DISTINCT FROM b FROM t', '(NOT (`t`.`a` <=> `t`.`b`))'],
    ['SELECT a IS NOT DISTINCT FROM b FROM t', '(`t`.`a` <=> `t`.`b`)'],
    ["SELECT 'x' = ANY (arr) FROM t", "('x' MEMBER OF (`t`.`arr`))"],
    ["SELECT a = ANY ('{1,2}'::int[]) FROM t", '(`t`.`a` IN (1, 2))'],
    ['SELECT a = ANY (ARRAY[1, b]) FROM t', '(`t`.`a` IN (1, `t`.`b`))'],
    ["SELECT d + 3 FROM t", 'DATE_ADD(`t`.`d`, INTERVAL 3 DAY)'],
    ["SELECT ts - interval '2 hours' FROM t", '(`t`.`ts` - INTERVAL 2 HOUR)'],
  ])('%s', async (select, expected) => {
    expect(await body(select)).toContain(expected);
  });
});

describe('functions and casts', () => {
  it.each([
    ["SELECT concat(s, 'x', a) FROM t", "CONCAT_WS('', `t`.`s`, 'x', `t`.`a`)"],
    ['SELECT length(s) FROM t', 'CHAR_LENGTH(`t`.`s`)'],
    ['SELECT log(n) FROM t', 'LOG10(`t`.`n`)'],
    ["SELECT date_trunc('month', ts) FROM t", "CAST(DATE_FORMAT(`t`.`ts`, '%Y-%m-01 00:00:00') AS DATETIME)"],
    ['SELECT extract(dow FROM ts) FROM t', '(DAYOFWEEK(`t`.`ts`) - 1)'],
    ["SELECT date_part('year'::text, ts) FROM t", 'EXTRACT(YEAR FROM `t`.`ts`)'],
    ['SELECT greatest(a, b) FROM t', 'GREATEST(COALESCE(`t`.`a`, `t`.`b`), COALESCE(`t`.`b`, `t`.`a`))'],
    ['SELECT greatest(b, 1) FROM t', 'GREATEST(`t`.`b`, 1)'],
    ['SELECT a::text FROM t', 'CAST(`t`.`a` AS CHAR)'],
    ['SELECT s::text FROM t', 'SELECT `t`.`s` AS `s`'],
    ['SELECT n::numeric(5,1) FROM t', 'CAST(`t`.`n` AS DECIMAL(5,1))'],
    ["SELECT 't'::boolean FROM t", 'TRUE'],
    ['SELECT CURRENT_DATE FROM t', 'CURRENT_DATE'],
  ])('%s', async (select, expected) => {
    expect(await body(select)).toContain(expected);
  });
});

describe('aggregates, windows, ordering', () => {
  it('FILTER becomes CASE; string_agg becomes GROUP_CONCAT with ORDER BY and SEPARATOR; array_agg JSON_ARRAYAGG', async () => {
    const sql = await body("SELECT count(*) FILTER (WHERE a > 1) c, sum(n) FILTER (WHERE b = 2) s2, string_agg(s, ', ' ORDER BY s DESC) sa, array_agg(a) aa FROM t");
    expect(sql).toContain('COUNT(CASE WHEN (`t`.`a` > 1) THEN 1 END)');
    expect(sql).toContain('SUM(CASE WHEN (`t`.`b` = 2) THEN `t`.`n` END)');
    expect(sql).toContain("GROUP_CONCAT(`t`.`s` ORDER BY `t`.`s` IS NULL DESC, `t`.`s` DESC SEPARATOR ', ')");
    expect(sql).toContain('JSON_ARRAYAGG(`t`.`a`)');
  });

  it('ORDER BY puts NULLs where PostgreSQL does, and leaves NOT NULL keys alone', async () => {
    const sql = await body('SELECT a, b FROM t ORDER BY a, b DESC, a DESC NULLS LAST');
    expect(sql).toContain('ORDER BY `t`.`a` IS NULL, `t`.`a`, `t`.`b` DESC, `t`.`a` DESC');
  });

  it('ORDER BY a name reads the output column first, GROUP BY the input column', async () => {
    expect(await body('SELECT b AS a, a AS b FROM t ORDER BY a')).toMatch(/ORDER BY `t`.`b`$/);
    expect(await body('SELECT b AS a, count(*) FROM t GROUP BY a')).toContain('GROUP BY `t`.`a`');
  });

  it('DISTINCT ON keeps the first row per key by ROW_NUMBER()', async () => {
    const sql = await body('SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC');
    expect(sql).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY `t`.`a` ORDER BY .*\) AS `__pg2tidb_rn`/);
    expect(sql).toContain('WHERE `__pg2tidb_rn` = 1');
  });

  it('window frames and named windows', async () => {
    const sql = await body('SELECT sum(a) OVER (ORDER BY b ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) s, rank() OVER w r FROM t WINDOW w AS (PARTITION BY a ORDER BY b)');
    expect(sql).toContain('SUM(`t`.`a`) OVER (ORDER BY `t`.`b` ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)');
    expect(sql).toContain('RANK() OVER `w`');
    expect(sql).toContain('WINDOW `w` AS (PARTITION BY `t`.`a` ORDER BY `t`.`b`)');
  });

  it('to_char templates, jsonb operators, arrays, uuid casts, FULL JOIN, bag operations and ROLLUP', async () => {
    expect(await body("SELECT to_char(ts, 'FMDD.MM.YYYY \"h\" HH24%') FROM t")).toContain("DATE_FORMAT(`t`.`ts`, '%e.%m.%Y h %H%%')");
    expect(await body("SELECT to_char(ts, 'Month') FROM t")).toContain("RPAD(DATE_FORMAT(`t`.`ts`, '%M'), 9, ' ')");
    expect(await body("SELECT j ->> 'k', j -> 0, j #>> '{a,b}', j ->> -2 FROM t")).toMatch(/JSON_EXTRACT\(`t`.`j`, '\$\."k"'\).*JSON_EXTRACT\(`t`.`j`, '\$\[0\]'\).*'\$\."a"\."b"'.*'\$\[last-1\]'/);
    expect(await body("SELECT j ->> s FROM t")).toContain("CONCAT('$.', JSON_QUOTE(`t`.`s`))");
    expect(await body("SELECT '{A1146AE44E034032-8AA8-BC46BA02F468}'::uuid AS u")).toContain("'a1146ae4-4e03-4032-8aa8-bc46ba02f468'");
    expect((await translate(`${TABLES}\nCREATE VIEW v AS SELECT 'a1146ae4-4e03-4032-8aa8-bc46ba02f468'::uuid AS u;`, { uuid: 'binary16' })).diagnostics.find((d) => d.id === 'view-construct-unsupported')?.data).toMatchObject({ construct: 'cast to uuid' });
    expect(await body('SELECT array_agg(a ORDER BY b DESC) FROM t')).toContain("GROUP_CONCAT(CONVERT(JSON_EXTRACT(JSON_ARRAY(`t`.`a`), '$[0]') USING utf8mb4) ORDER BY `t`.`b` DESC SEPARATOR ',')");
    expect(await body('SELECT t.id, u.id AS uid FROM t FULL JOIN t u ON u.a = t.id AND u.b > 0')).toMatch(/LEFT JOIN .* UNION ALL SELECT .* RIGHT JOIN .* WHERE `t`.`id` IS NULL\) AS `__pg2tidb_full1`/);
    expect(await body('SELECT a FROM t EXCEPT ALL SELECT b FROM t')).toMatch(/ROW_NUMBER\(\) OVER \(PARTITION BY .* LEFT JOIN .* WHERE `__pg2tidb_r`.`__pg2tidb_rn` IS NULL$/);
    expect(await body('SELECT a, count(*) FROM t GROUP BY ROLLUP (a, b)')).toContain('GROUP BY `t`.`a`, `t`.`b` WITH ROLLUP');
  });

  it('LIMIT/OFFSET, OFFSET alone, set operations', async () => {
    expect(await body('SELECT a FROM t LIMIT 5 OFFSET 2')).toContain('LIMIT 5 OFFSET 2');
    expect(await body('SELECT a FROM t OFFSET 2')).toContain('LIMIT 18446744073709551615 OFFSET 2');
    expect(await body('SELECT a FROM t UNION ALL SELECT b FROM t ORDER BY a')).toMatch(/UNION ALL SELECT .* ORDER BY `a` IS NULL, `a`$/);
  });
});

describe('view-translated notes name only differences the view can show', () => {
  const notes = async (select: string): Promise<string[]> => {
    const r = await translate(`CREATE TABLE w (id integer PRIMARY KEY, a integer, k smallint);\nCREATE VIEW v AS ${select};`, {});
    const d = r.diagnostics.find((x) => x.id === 'view-translated');
    if (!d) throw new Error(r.diagnostics.map((x) => x.message).join('\n'));
    return (d.data as { notes: string[] }).notes;
  };
  const peers = (n: string[]) => n.some((x) => x.includes('(peers)'));
  const overflow = (n: string[]) => n.some((x) => x.includes('overflow'));

  it('peers: only functions that pick a row by position, and ROWS frames narrower than the partition', async () => {
    expect(peers(await notes('SELECT rank() OVER (ORDER BY a), dense_rank() OVER (ORDER BY a), sum(a) OVER (ORDER BY a) FROM w'))).toBe(false);
    expect(peers(await notes('SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM w'))).toBe(false);
    expect(peers(await notes('SELECT row_number() OVER (ORDER BY a) FROM w'))).toBe(true);
    expect(peers(await notes('SELECT lag(a) OVER x FROM w WINDOW x AS (ORDER BY a)'))).toBe(true);
    expect(peers(await notes('SELECT sum(a) OVER (ORDER BY a ROWS 2 PRECEDING) FROM w'))).toBe(true);
    expect(peers(await notes('SELECT row_number() OVER (PARTITION BY a) FROM w'))).toBe(false);
  });

  it('integer overflow: only where the result can leave PostgreSQL\'s result type', async () => {
    expect(overflow(await notes('SELECT k + 1 AS x, k * 1000 AS y, 2 + 3 AS z FROM w'))).toBe(false);
    expect(overflow(await notes('SELECT a + 1 AS x FROM w'))).toBe(true);
    expect(overflow(await notes('SELECT k + k AS x FROM w'))).toBe(true);
  });
});

describe('left out, with the construct and its place', () => {
  it.each([
    ['SELECT t.id FROM t FULL JOIN t u USING (id)', 'FULL JOIN with USING or NATURAL'],
    ['SELECT t.id FROM t FULL JOIN t u ON u.a < t.b', 'FULL JOIN ... ON without a column equality'],
    ['SELECT g FROM generate_series(1, 2) g', 'function in FROM'],
    ['SELECT a, count(*) FROM t GROUP BY CUBE (a, b)', 'GROUPING SETS / ROLLUP / CUBE'],
    ['SELECT a, count(*) FROM t GROUP BY s, ROLLUP (a, b)', 'GROUPING SETS / ROLLUP / CUBE'],
    ["SELECT to_char(ts, 'IYYY-IW') FROM t", 'to_char template pattern IYYY'],
    ["SELECT to_char(n, 'FM999.00') FROM t", 'to_char(number, ...)'],
    ["SELECT to_char(ts, s) FROM t", 'to_char() with a computed template'],
    ["SELECT j #> ARRAY['a'] FROM t", 'operator #> with a computed path'],
    ['SELECT arr[1] FROM t', 'subscript or field selection'],
    ["SELECT ARRAY(SELECT a FROM t UNION SELECT b FROM t ORDER BY 1)", 'ARRAY(set operation ORDER BY ...)'],
    ["SELECT array_to_string(array_agg(ts), ',') FROM t", 'array_to_string(array_agg(...)) of this type'],
    ['SELECT j || j FROM t', '|| on arrays or jsonb'],
    ['SELECT nosuch(a) FROM t', 'function nosuch()'],
    ['SELECT group_concat(s) FROM t', 'function group_concat()'],
  ])('%s', async (select, construct) => {
    const d = await leftOut(select);
    expect(d.id).toBe('view-construct-unsupported');
    expect((d.data as { construct: string }).construct).toBe(construct);
    expect(d.line).toBe(2);
  });

  it('points at the construct inside the statement', async () => {
    const d = await leftOut('SELECT a,\n  nosuch(a) FROM t');
    expect([d.line, d.column]).toEqual([3, 3]);
  });

  it('a view reading a left-out view is left out naming it, in dependency order whatever the input order', async () => {
    const r = await translate(`${TABLES}\nCREATE VIEW w AS SELECT * FROM v;\nCREATE VIEW v AS SELECT arr[1] FROM t;\nCREATE VIEW ok AS SELECT a FROM t;`, {});
    expect(r.tidb.views?.map((v) => v.name.name)).toEqual(['ok']);
    const dep = r.diagnostics.find((d) => d.id === 'view-dependency-left-out');
    expect(dep?.data).toEqual({ materialized: false, dependency: 'v' });
  });
});

describe('group_concat recognised by its definition', () => {
  const agg = `CREATE FUNCTION _group_concat(text, text) RETURNS text AS $_$
SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ' | ' || $2 END
$_$ LANGUAGE sql IMMUTABLE;
CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);`;

  it('the exact state function: GROUP_CONCAT with its separator', async () => {
    const s = await readPostgres([{ path: 'a.sql', text: agg }]);
    expect(groupConcatAggregates(s.others)).toEqual([{ name: { schema: 'public', name: 'group_concat' }, separator: ' | ' }]);
    const r = await translate(`${TABLES}\n${agg}\nCREATE VIEW v AS SELECT group_concat(DISTINCT s) FROM t;`, {});
    expect(r.tidb.views?.[0]?.sql).toContain("GROUP_CONCAT(DISTINCT `t`.`s` SEPARATOR ' | ')");
  });

  it('another state function with the same names is not GROUP_CONCAT', async () => {
    const s = await readPostgres([{ path: 'a.sql', text: agg.replace("ELSE $1 || ' | ' || $2", 'ELSE $2 || $1') }]);
    expect(groupConcatAggregates(s.others)).toEqual([]);
  });
});

describe('translateView with a hand-built environment (the differential harness calls it so)', () => {
  const env: ViewEnv = {
    relations: [
      { source: { schema: 'app', name: 'users' }, database: 'appdb', name: 'users_t', kind: 'table', columns: [
        { source: 'id', name: 'id', type: { base: 'INT' }, nullable: false },
        { source: 'name ', name: 'name', type: { base: 'TEXT' }, nullable: true },
      ] },
    ],
  };

  it('uses the renamed table, database and column, and names unnamed columns', async () => {
    const s = await readPostgres([{ path: 'v.sql', text: 'SET search_path = app; CREATE VIEW app.v AS SELECT u."name ", u.id + 1 FROM users u;' }]);
    const t = translateView(s.views[0]!, env);
    expect(t).toMatchObject({ ok: true, columns: [{ name: 'name' }, { name: 'column2' }], dependencies: [{ database: 'appdb', name: 'users_t' }] });
    if (t.ok) expect(t.sql).toBe('SELECT `u`.`name` AS `name `, (`u`.`id` + 1) AS `?column?` FROM `appdb`.`users_t` AS `u`');
    if (t.ok) expect(t.renamed).toEqual([{ from: 'name ', to: 'name', reason: 'invalid' }, { from: '?column?', to: 'column2', reason: 'unnamed' }]);
  });

  it('orders views after the views they read', () => {
    expect(orderViews(['c', 'b', 'a'], (x) => x, (x) => (x === 'c' ? ['b'] : x === 'b' ? ['a'] : []))).toEqual(['a', 'b', 'c']);
  });
});
