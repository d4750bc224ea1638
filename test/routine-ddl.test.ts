// Issue 13: DDL inside DO blocks and PL/pgSQL functions is read from PL/pgSQL's own parse tree and
// reported per object it names (dynamic-ddl); a DO block of static SQL only is read as top-level SQL.
import { describe, expect, it } from 'vitest';
import type { PayloadOf } from '../src/diagnostics/catalogue.js';
import { subjectText } from '../src/diagnostics/subject.js';
import { translate, type TranslateResult } from '../src/index.js';

const run = (text: string): Promise<TranslateResult> => translate({ path: 'in.sql', text });
const dynamic = (r: TranslateResult) =>
  r.diagnostics.filter((d) => d.id === 'dynamic-ddl').map((d) => ({ subject: subjectText(d.subject), kind: d.subject.kind, line: d.span?.line, ...(d.data as PayloadOf<'dynamic-ddl'>) }));

describe('DDL inside PL/pgSQL', () => {
  it('names the tables a loop EXECUTEs from a format() template, as a pattern with its literal range', async () => {
    const r = await run(`CREATE SCHEMA f;\nDO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT format('CREATE TABLE f.t_%s ()', n) AS ct FROM generate_series(1, 499) n\n  LOOP EXECUTE r.ct; END LOOP;\nEND $$;\n`);
    expect(dynamic(r)).toEqual([{ subject: 'f.t_%s', kind: 'table', line: 5, statement: 'CREATE TABLE', routine: 'do', dynamic: true, pattern: true, from: 1, to: 499 }]);
    expect(r.diagnostics.find((d) => d.id === 'dynamic-ddl')!.message).toContain('in a loop from 1 to 499');
    // the DO itself is still reported as a statement TiDB cannot hold
    expect(r.diagnostics.some((d) => d.id === 'object-not-supported' && (d.data as PayloadOf<'object-not-supported'>).statement === 'DO')).toBe(true);
  });

  it('reads || chains (other parts as %s), %I specifiers, static DDL and FOR i IN a..b in a function', async () => {
    const r = await run(
      `CREATE TABLE a (id int);\nCREATE FUNCTION mk(n int) RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n  FOR i IN 1..n LOOP EXECUTE 'CREATE TABLE p_' || i || ' (x int)'; END LOOP;\n  FOR i IN 2..4 LOOP EXECUTE format('CREATE INDEX %I ON a (id)', 'ix' || i); END LOOP;\n  ALTER TABLE a ADD COLUMN b int;\n  CREATE TEMP TABLE tmp (x int);\n  DROP TABLE tmp;\nEND $f$;\n`,
    );
    expect(dynamic(r).map(({ subject, kind, statement, dynamic, pattern, from, to, routine, routineName }) => ({ subject, kind, statement, dynamic, pattern, from, to, routine, routineName }))).toEqual([
      { subject: 'public.p_%s', kind: 'table', statement: 'CREATE TABLE', dynamic: true, pattern: true, from: undefined, to: undefined, routine: 'function', routineName: 'public.mk' },
      { subject: '%s on public.a', kind: 'index', statement: 'CREATE INDEX', dynamic: true, pattern: true, from: 2, to: 4, routine: 'function', routineName: 'public.mk' },
      { subject: 'public.a', kind: 'table', statement: 'ALTER TABLE', dynamic: false, pattern: false, from: undefined, to: undefined, routine: 'function', routineName: 'public.mk' },
    ]);
  });

  it('reads a DO block of static SQL only as top-level statements, at their own places in the file', async () => {
    const text = `DO $$\nBEGIN\n  CREATE TABLE t (id int PRIMARY KEY);\n  CREATE INDEX t_id ON t (id);\nEND $$;\n`;
    const r = await run(text);
    expect(r.tidb.tables.map((t) => t.name.name)).toEqual(['t']);
    expect(r.tidb.tables[0]!.indexes.map((i) => i.name)).toEqual(['t_id']);
    expect(r.schema.tables[0]!.span?.line).toBe(3);
    expect(r.diagnostics.map((d) => d.id)).toEqual(['do-block-translated']);
    expect(r.schema.others).toEqual([]);
  });

  it("reads a create-if-absent guard as its statements: drizzle-kit's enums and foreign keys", async () => {
    // drizzle-kit's migration form (0000_*.sql): each enum and foreign key in a DO block that ignores duplicate_object.
    const text = [
      'DO $$ BEGIN',
      ` CREATE TYPE "public"."status" AS ENUM('active', 'inactive');`,
      'EXCEPTION',
      ' WHEN duplicate_object THEN null;',
      'END $$;',
      '--> statement-breakpoint',
      `CREATE TABLE IF NOT EXISTS "users" ("id" serial PRIMARY KEY NOT NULL, "status" "status" DEFAULT 'active', "org" integer);`,
      'CREATE TABLE IF NOT EXISTS "orgs" ("id" serial PRIMARY KEY NOT NULL);',
      'DO $$ BEGIN',
      ' ALTER TABLE "users" ADD CONSTRAINT "users_org_orgs_id_fk" FOREIGN KEY ("org") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;',
      'EXCEPTION',
      " WHEN duplicate_object THEN RAISE NOTICE 'exists'; WHEN SQLSTATE '42P07' THEN null;",
      'END $$;',
    ].join('\n');
    const r = await run(text);
    const users = r.tidb.tables.find((t) => t.name.name === 'users')!;
    expect(users.columns.find((c) => c.name === 'status')?.type).toMatchObject({ base: 'ENUM', values: ['active', 'inactive'] });
    expect(users.foreignKeys.map((f) => [f.name, f.refTable.name, f.onDelete])).toEqual([['users_org_orgs_id_fk', 'orgs', 'CASCADE']]);
    expect(r.diagnostics.filter((d) => d.id === 'do-block-translated').map((d) => d.message)).toEqual([
      'DO block: its statement is static SQL guarded only against what exists already (its handler ignores duplicate_object), so it is translated as if written at top level',
      'DO block: its statement is static SQL guarded only against what exists already (its handler ignores duplicate_object, 42P07), so it is translated as if written at top level',
    ]);
    expect(r.diagnostics.filter((d) => ['dynamic-ddl', 'object-not-supported', 'unsupported-type'].includes(d.id))).toEqual([]);
  });

  it('does not inline a DO block with a variable, a condition or an exception handler', async () => {
    for (const body of [
      'DECLARE x int; BEGIN CREATE TABLE t (id int); END',
      'BEGIN IF true THEN CREATE TABLE t (id int); END IF; END',
      // A handler for any error, or one that does more than skip what exists, is logic of its own.
      'BEGIN CREATE TABLE t (id int); EXCEPTION WHEN others THEN NULL; END',
      "BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN RAISE EXCEPTION 'exists'; END",
      'BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table OR division_by_zero THEN NULL; END',
      "BEGIN EXECUTE 'CREATE TABLE t (id int)'; END",
    ]) {
      const r = await run(`DO $$ ${body} $$;\n`);
      expect(r.tidb.tables, body).toEqual([]);
      expect(dynamic(r).map((d) => [d.subject, d.statement]), body).toEqual([['public.t', 'CREATE TABLE']]);
    }
    // A handler that creates something else: both reported, neither inlined.
    const r = await run(`DO $$ BEGIN CREATE TABLE t (id int); EXCEPTION WHEN duplicate_table THEN CREATE TABLE t_again (id int); END $$;\n`);
    expect([r.tidb.tables, dynamic(r).map((d) => d.subject)]).toEqual([[], ['public.t', 'public.t_again']]);
  });

  it('leaves other languages and bodies without DDL alone', async () => {
    const r = await run(`CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nDO $$ BEGIN RAISE NOTICE 'hello'; END $$;\nDO LANGUAGE plperl $$ 1; $$;\n`);
    expect(dynamic(r)).toEqual([]);
  });

  it('names the DDL a LANGUAGE sql body runs when called, at its line', async () => {
    const r = await run(`CREATE FUNCTION setup() RETURNS void LANGUAGE sql AS $$\n  CREATE TABLE audit (id int);\n  CREATE INDEX audit_id ON audit (id);\n  SELECT 1;\n$$;\n`);
    expect(dynamic(r).map(({ subject, statement, routine, routineName, language, line }) => ({ subject, statement, routine, routineName, language, line }))).toEqual([
      { subject: 'public.audit', statement: 'CREATE TABLE', routine: 'function', routineName: 'public.setup', language: 'sql', line: 2 },
      { subject: 'audit_id on public.audit', statement: 'CREATE INDEX', routine: 'function', routineName: 'public.setup', language: 'sql', line: 3 },
    ]);
    expect(r.diagnostics.find((d) => d.id === 'dynamic-ddl')!.message).toBe('CREATE TABLE public.audit: run by function public.setup, when it is called; pg2tidb does not run SQL functions, so what it creates or changes is not translated from the dump');
  });
});
