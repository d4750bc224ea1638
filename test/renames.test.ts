// Issue 13 items 12 and 13: no name changes without a diagnostic and an entry of the rename map,
// and errors cannot be switched off or lowered by diagnostic levels.
import { describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';

describe('renames', () => {
  it('reports each rename and lists it in report.json renames', async () => {
    const r = await translate(`
      CREATE TABLE t (a integer, b integer);
      CREATE INDEX "Ix" ON t (b);
      CREATE INDEX ix ON t (a);
      CREATE TABLE p (id integer PRIMARY KEY);
      CREATE TABLE c1 (id integer PRIMARY KEY, p_id integer CONSTRAINT ref_p REFERENCES p);
      CREATE TABLE c2 (id integer PRIMARY KEY, p_id integer CONSTRAINT ref_p REFERENCES p);`);
    expect(r.sql).toContain('KEY `ix_2` (`a`)');
    expect(r.sql).toContain('CONSTRAINT `ref_p_2` FOREIGN KEY');
    expect(r.report.renames).toEqual([
      { kind: 'index', database: 'public', table: 't', from: 'ix', to: 'ix_2', reason: 'collision' },
      { kind: 'foreign-key', database: 'public', table: 'c2', from: 'ref_p', to: 'ref_p_2', reason: 'collision' },
    ]);
    const renamed = r.diagnostics.filter((d) => d.id === 'identifier-renamed');
    expect(renamed.map((d) => [d.subject.kind, d.subject.table, d.subject.name])).toEqual([
      ['index', 't', 'ix'],
      ['foreign-key', 'c2', 'ref_p'],
    ]);
    expect(renamed.every((d) => d.span !== undefined)).toBe(true);
  });

  it('gives an unnamed key PostgreSQL\'s own 63-byte name, which needs no rename', async () => {
    // PostgreSQL 15 names it t_x{27}_c_y{27}_key (measured): 63 bytes, within TiDB's 64 characters.
    const table = `t_${'x'.repeat(60)}`;
    const column = `c_${'y'.repeat(60)}`;
    const r = await translate(`CREATE TABLE ${table} (${column} integer UNIQUE);`);
    expect(r.report.renames).toEqual([]);
    expect(r.sql).toContain(`UNIQUE KEY \`t_${'x'.repeat(27)}_c_${'y'.repeat(27)}_key\``);
  });

  it('every name in tidb.sql that differs from the source is in the rename map', async () => {
    const r = await translate(`CREATE TABLE "Order" ("col " integer PRIMARY KEY, b integer CONSTRAINT chk CHECK (b > 0));
      CREATE TABLE other (a integer CONSTRAINT chk CHECK (a > 0));`);
    expect(r.report.renames.map((x) => [x.kind, x.from, x.to, x.reason])).toEqual([
      ['column', 'col ', 'col', 'invalid'],
      ['check', 'chk', 'chk_2', 'collision'],
    ]);
  });
});

describe('diagnostic levels', () => {
  const collision = 'CREATE TABLE users (id integer PRIMARY KEY); CREATE TABLE "Users" (id integer PRIMARY KEY);';

  it('refuses to switch off or lower an error', async () => {
    await expect(translate(collision, { diagnosticLevels: { 'name-collision': 'off' } })).rejects.toThrow(/diagnosticLevels\.name-collision.*cannot be switched off or lowered/);
    await expect(translate(collision, { diagnosticLevels: { PGT6002: 'warning' } })).rejects.toThrow(/cannot be switched off or lowered/);
  });

  it('still re-levels warnings and infos', async () => {
    const r = await translate(collision, { diagnosticLevels: { 'name-collision': 'error', 'check-constraint-off': 'off' } });
    expect(r.diagnostics.filter((d) => d.id === 'name-collision').map((d) => d.severity)).toEqual(['error']);
  });
});
