import { describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';
import { variantFreePattern } from '../src/transform/collation-equality.js';

/** Whether translating `sql` warns that the collation makes distinct keys equal. */
async function warns(sql: string): Promise<boolean> {
  const r = await translate(sql);
  return r.diagnostics.some((d) => d.id === 'collation-equality');
}

describe('collation-equality only where a difference can arise', () => {
  it('warns for free text keys', async () => {
    expect(await warns('CREATE TABLE u (email text PRIMARY KEY);')).toBe(true);
    expect(await warns('CREATE TABLE u (id int PRIMARY KEY, email varchar(200) UNIQUE);')).toBe(true);
    expect(await warns("CREATE TABLE u (k varchar(10) PRIMARY KEY CHECK (k ~ '^[a-zA-Z]+$'));")).toBe(true);
    expect(await warns("CREATE TABLE u (k varchar(10) PRIMARY KEY CHECK (k ~* '^[a-f]+$'));")).toBe(true);
    expect(await warns("CREATE TABLE u (k varchar(10) PRIMARY KEY CHECK (k ~ '^[0-9a-f]+'));")).toBe(true);
    expect(await warns("CREATE TABLE u (k varchar(10) PRIMARY KEY CHECK (k IN ('new', 'NEW')));")).toBe(true);
    expect(await warns("CREATE TABLE u (k varchar(10) PRIMARY KEY CHECK (k IN ('a', 'a ')));")).toBe(true);
  });

  it('is silent for uuid, numeric-looking and hex-constrained keys, by type, domain and CHECK', async () => {
    expect(await warns('CREATE TABLE t (id uuid PRIMARY KEY);')).toBe(false);
    expect(await warns('CREATE TABLE t (ip inet PRIMARY KEY);')).toBe(false);
    expect(await warns("CREATE TABLE h (digest text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'));")).toBe(false);
    expect(await warns("CREATE TABLE n (code varchar(10) PRIMARY KEY CHECK (code ~ '^[0-9]+$'));")).toBe(false);
    expect(await warns("CREATE TABLE n (code varchar(10) PRIMARY KEY, CONSTRAINT digits CHECK (code ~ '^\\d{4,10}$'));")).toBe(false);
    expect(await warns("CREATE DOMAIN sha1 AS text CHECK (VALUE ~ '^[0-9a-f]{40}$'); CREATE TABLE d (k sha1 PRIMARY KEY);")).toBe(false);
    expect(await warns("CREATE TABLE s (k varchar(10) PRIMARY KEY CHECK (k IN ('new', 'old', 'done')));")).toBe(false);
    expect(await warns("CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE m (k mood PRIMARY KEY);")).toBe(false);
  });

  it('judges regular expressions by the alphabet they admit', () => {
    expect(variantFreePattern('^[0-9a-f]{64}$', false)).toBe(true);
    expect(variantFreePattern('^[A-Z]{2}-[0-9]+$', false)).toBe(true);
    expect(variantFreePattern('^[0-9]+$', true)).toBe(true);
    expect(variantFreePattern('^[a-fA-F0-9]+$', false)).toBe(false);
    expect(variantFreePattern('^[a-f ]+$', false)).toBe(false);
    expect(variantFreePattern('^.+$', false)).toBe(false);
    expect(variantFreePattern('^\\w+$', false)).toBe(false);
    expect(variantFreePattern('^[^x]+$', false)).toBe(false);
    expect(variantFreePattern('[0-9]+', false)).toBe(false);
  });
});
