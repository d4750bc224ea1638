// The statement splitter against psql's rules for where a `;` ends a statement (psqlscan.l):
// not inside parentheses, nor inside the BEGIN ... END of a CREATE FUNCTION|PROCEDURE body.
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../src/frontends/postgres/split.js';
import { translate } from '../src/translate.js';

const texts = (sql: string) => splitStatements(sql).statements.map((s) => sql.slice(s.start, s.end));

describe('splitStatements follows psql', () => {
  it('keeps a SQL-standard function body (BEGIN ATOMIC ... END) whole, CASE ... END inside it too', () => {
    const fn = `CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
  SELECT a + 1;
END`;
    const proc = 'CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); END';
    expect(texts(`CREATE TABLE t (id int);\n${fn};\n${proc};\nCREATE TABLE u (id int);`)).toEqual(['CREATE TABLE t (id int)', fn, proc, 'CREATE TABLE u (id int)']);
  });
  it('counts BEGIN and END only in a routine: a transaction block and an END in other statements still split', () => {
    expect(texts('BEGIN;\nCREATE TABLE t (id int);\nEND;\nCOMMIT;')).toEqual(['BEGIN', 'CREATE TABLE t (id int)', 'END', 'COMMIT']);
    expect(texts("SELECT CASE WHEN true THEN 'begin' END; SELECT 1;")).toEqual(["SELECT CASE WHEN true THEN 'begin' END", 'SELECT 1']);
    // A dollar-quoted body is one token whatever it holds.
    expect(texts('CREATE FUNCTION g() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql; SELECT 2;')).toEqual(['CREATE FUNCTION g() RETURNS void AS $$ BEGIN PERFORM 1; END $$ LANGUAGE plpgsql', 'SELECT 2']);
  });
  it('keeps a `;` inside parentheses (a rule with several actions) in its statement', () => {
    const rule = 'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))';
    expect(texts(`${rule};\nCREATE TABLE v (id int);`)).toEqual([rule, 'CREATE TABLE v (id int)']);
  });
  it('a parenthesis or BEGIN left open at the end costs its own statement, not the ones after it', () => {
    expect(texts('CREATE TABLE a (id int;\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);')).toEqual(['CREATE TABLE a (id int', 'CREATE TABLE b (id int)', 'CREATE TABLE c (id int)']);
    expect(texts('CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1;\nCREATE TABLE b (id int);')).toEqual(['CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1', 'CREATE TABLE b (id int)']);
  });
  it('reads words next to quotes as before (E, U& and B strings; identifiers with $)', () => {
    expect(texts("SELECT E'a;b', U&'c;d', B'1', a$b FROM t; SELECT 'x'")).toEqual(["SELECT E'a;b', U&'c;d', B'1', a$b FROM t", "SELECT 'x'"]);
  });
  it('a BEGIN ATOMIC function is reported, and the tables around it are translated', async () => {
    const r = await translate([{ path: 'f.sql', text: 'CREATE TABLE t (id int PRIMARY KEY);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nCREATE TABLE u (id int PRIMARY KEY);\n' }], {});
    expect(r.tidb.tables.map((t) => t.name.name)).toEqual(['t', 'u']);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.diagnostics.some((d) => d.span?.line === 2)).toBe(true);
  });
});
