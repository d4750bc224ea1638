/**
 * Prints a schema model (./arbitraries.ts) as PostgreSQL DDL text, exactly: PostgreSQL
 * accepts every script it prints and reads back the model's objects.
 *
 * Styles: `pg_dump` (schema-qualified names, canonical type spellings, constraints and
 * indexes added by ALTER TABLE ONLY / CREATE INDEX after all tables, COMMENT ON at the end)
 * and `hand` (search-path names where possible, type aliases, inline constraints).
 */
import type { ScalarTypeName } from '../ir/types.js';
import { RESERVED_WORDS, type ModelColumn, type ModelDefault, type ModelIndex, type ModelName, type ModelScalar, type ModelTable, type ModelType, type PgModel } from './arbitraries.js';

export type PrintStyle = 'pg_dump' | 'hand';

export interface PrintOptions {
  readonly style: PrintStyle;
  /** Hand style: use aliases (int4, varchar, timestamptz, ...) chosen by this number. */
  readonly variant?: number;
}

export interface PrintedStatement {
  readonly sql: string;
  /** Statements of one kind may be reordered among themselves without changing the schema. */
  readonly kind: 'header' | 'schema' | 'type' | 'table' | 'constraint' | 'index' | 'comment';
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !(RESERVED_WORDS as readonly string[]).includes(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A standard string literal (standard_conforming_strings = on): only quotes are doubled. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An escape string E'...': backslashes and quotes escaped, control characters as \n, \r, \t. */
export function quoteEscapeLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

function qualified(n: ModelName, style: PrintStyle): string {
  if (style === 'hand' && n.schema === 'public') return quoteIdent(n.name);
  return `${quoteIdent(n.schema)}.${quoteIdent(n.name)}`;
}

const HAND_ALIASES: Partial<Record<ScalarTypeName, readonly string[]>> = {
  smallint: ['int2'],
  integer: ['int', 'int4'],
  bigint: ['int8'],
  numeric: ['decimal'],
  real: ['float4'],
  'double precision': ['float8'],
  'character varying': ['varchar'],
  character: ['char'],
  boolean: ['bool'],
  'bit varying': ['varbit'],
  'time with time zone': ['timetz'],
  'timestamp with time zone': ['timestamptz'],
};

function typmod(params: readonly number[]): string {
  return params.length > 0 ? `(${params.join(',')})` : '';
}

export function printScalar(t: ModelScalar, style: PrintStyle, variant = 0): string {
  const mods = typmod(t.params);
  const aliases = HAND_ALIASES[t.name];
  const name = style === 'hand' && aliases && variant % (aliases.length + 1) !== 0 ? aliases[(variant % (aliases.length + 1)) - 1]! : t.name;
  switch (name) {
    case 'time with time zone':
      return `time${mods} with time zone`;
    case 'timestamp with time zone':
      return `timestamp${mods} with time zone`;
    case 'interval':
      return `interval${mods}`;
    default:
      return `${name}${mods}`;
  }
}

export function printType(t: ModelType, style: PrintStyle, variant = 0): string {
  switch (t.kind) {
    case 'scalar':
      return printScalar(t, style, variant);
    case 'enum':
    case 'domain':
      return qualified(t.ref, style);
    case 'array': {
      const el = t.element.kind === 'scalar' ? printScalar(t.element, style, variant) : qualified(t.element.ref, style);
      if (style === 'hand' && t.dims === 1 && variant % 5 === 4) return `${el} ARRAY`;
      return el + '[]'.repeat(t.dims);
    }
  }
}

export function printDefault(d: ModelDefault, style: PrintStyle, variant = 0): string {
  if (d.kind === 'sql') return d.sql;
  const lit = style === 'hand' && variant % 3 === 1 ? quoteEscapeLiteral(d.value) : quoteLiteral(d.value);
  return d.cast ? `${lit}::${d.cast}` : lit;
}

function serialName(c: ModelColumn): string {
  const t = c.type.kind === 'scalar' ? c.type.name : 'integer';
  return t === 'bigint' ? 'bigserial' : t === 'smallint' ? 'smallserial' : 'serial';
}

function columnSql(c: ModelColumn, style: PrintStyle, variant: number): string {
  const parts = [quoteIdent(c.name)];
  if (c.identity?.kind === 'serial') parts.push(serialName(c));
  else parts.push(printType(c.type, style, variant));
  if (c.identity && c.identity.kind !== 'serial') {
    const opts = c.identity.start !== undefined ? ` (START WITH ${c.identity.start} INCREMENT BY ${c.identity.increment ?? 1})` : '';
    parts.push(`GENERATED ${c.identity.kind === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${opts}`);
  }
  if (c.default) parts.push(`DEFAULT ${printDefault(c.default, style, variant)}`);
  if (c.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}

const cols = (names: readonly string[]) => names.map(quoteIdent).join(', ');

function fkClause(t: ModelTable, i: number, style: PrintStyle): string {
  const fk = t.foreignKeys[i]!;
  let s = `${fk.name !== undefined ? `CONSTRAINT ${quoteIdent(fk.name)} ` : ''}FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${qualified(fk.refTable, style)}`;
  if (!fk.omitRefColumns) s += `(${cols(fk.refColumns)})`;
  if (fk.onUpdate !== 'no action') s += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  if (fk.onDelete !== 'no action') s += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.deferrable) s += ' DEFERRABLE INITIALLY DEFERRED';
  return s;
}

function indexSql(ix: ModelIndex, style: PrintStyle): string {
  const keys = ix.keys
    .map((k) => ('lower' in k ? `lower(${quoteIdent(k.lower)})` : `${quoteIdent(k.column)}${k.desc ? ' DESC' : ''}${k.nullsFirst ? ' NULLS FIRST' : ''}`))
    .join(', ');
  const using = style === 'pg_dump' || ix.method !== 'btree' ? ` USING ${ix.method}` : '';
  const name = ix.name !== undefined ? `${quoteIdent(ix.name)} ` : '';
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${name}ON ${style === 'pg_dump' ? 'ONLY ' : ''}${qualified(ix.table, style)}${using} (${keys})${ix.where ? ` WHERE (${ix.where.sql})` : ''}`;
}

function commentLiteral(text: string, style: PrintStyle, variant: number): string {
  return style === 'hand' && variant % 2 === 1 ? quoteEscapeLiteral(text) : quoteLiteral(text);
}

/** The statements of the script, each without its terminating semicolon. */
export function printStatements(model: PgModel, options: PrintOptions): PrintedStatement[] {
  const style = options.style;
  const v = options.variant ?? 0;
  const out: PrintedStatement[] = [];
  const add = (kind: PrintedStatement['kind'], sql: string) => out.push({ kind, sql });
  if (style === 'pg_dump') {
    add('header', "SET statement_timeout = 0");
    add('header', "SET client_encoding = 'UTF8'");
    add('header', 'SET standard_conforming_strings = on');
    add('header', "SELECT pg_catalog.set_config('search_path', '', false)");
  }
  for (const s of model.schemas) add('schema', `CREATE SCHEMA ${quoteIdent(s)}`);
  for (const ext of extensionsUsed(model)) add('schema', `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(ext)}${style === 'pg_dump' ? ' WITH SCHEMA public' : ''}`);
  for (const e of model.enums) add('type', `CREATE TYPE ${qualified(e.name, style)} AS ENUM (${e.values.map(quoteLiteral).join(', ')})`);
  for (const d of model.domains) {
    add('type', `CREATE DOMAIN ${qualified(d.name, style)} AS ${printScalar(d.base, style, v)}${d.notNull ? ' NOT NULL' : ''}${d.check ? ` CHECK (${d.check})` : ''}`);
  }
  for (const q of model.sequences) add('type', `CREATE SEQUENCE ${qualified(q.name, style)}`);
  const later: PrintedStatement[] = [];
  const position = new Map(model.tables.map((t, i) => [`${t.name.schema}.${t.name.name}`, i]));
  // Hand-written DDL declares a foreign key inline when its parent exists already, else adds it after all tables.
  const inline = (t: ModelTable, i: number) => (position.get(`${t.foreignKeys[i]!.refTable.schema}.${t.foreignKeys[i]!.refTable.name}`) ?? 0) <= position.get(`${t.name.schema}.${t.name.name}`)!;
  const forward: PrintedStatement[] = [];
  for (const t of model.tables) {
    const lines = t.columns.map((c, i) => columnSql(c, style, v + i));
    if (style === 'hand') {
      if (t.primaryKey) lines.push(`${t.primaryKey.name !== undefined ? `CONSTRAINT ${quoteIdent(t.primaryKey.name)} ` : ''}PRIMARY KEY (${cols(t.primaryKey.columns)})`);
      for (const u of t.uniques) lines.push(`${u.name !== undefined ? `CONSTRAINT ${quoteIdent(u.name)} ` : ''}UNIQUE (${cols(u.columns)})`);
      t.foreignKeys.forEach((_, i) => (inline(t, i) ? lines.push(fkClause(t, i, style)) : forward.push({ kind: 'constraint', sql: `ALTER TABLE ${qualified(t.name, style)} ADD ${fkClause(t, i, style)}` })));
    }
    for (const c of t.checks) lines.push(`${c.name !== undefined ? `CONSTRAINT ${quoteIdent(c.name)} ` : ''}CHECK (${c.sql})`);
    add('table', `CREATE TABLE ${qualified(t.name, style)} (\n    ${lines.join(',\n    ')}\n)`);
    if (style === 'pg_dump') {
      const only = `ALTER TABLE ONLY ${qualified(t.name, style)}`;
      if (t.primaryKey) later.push({ kind: 'constraint', sql: `${only}\n    ADD ${t.primaryKey.name !== undefined ? `CONSTRAINT ${quoteIdent(t.primaryKey.name)} ` : ''}PRIMARY KEY (${cols(t.primaryKey.columns)})` });
      for (const u of t.uniques) later.push({ kind: 'constraint', sql: `${only}\n    ADD ${u.name !== undefined ? `CONSTRAINT ${quoteIdent(u.name)} ` : ''}UNIQUE (${cols(u.columns)})` });
    }
  }
  for (const q of model.sequences) {
    if (q.ownedBy) later.push({ kind: 'constraint', sql: `ALTER SEQUENCE ${qualified(q.name, style)} OWNED BY ${qualified(q.ownedBy.table, style)}.${quoteIdent(q.ownedBy.column)}` });
  }
  out.push(...later, ...forward);
  for (const ix of model.indexes) add('index', indexSql(ix, style));
  if (style === 'pg_dump') {
    // Foreign keys last, as pg_dump does: every referenced key exists by then.
    for (const t of model.tables) t.foreignKeys.forEach((_, i) => add('constraint', `ALTER TABLE ONLY ${qualified(t.name, style)}\n    ADD ${fkClause(t, i, style)}`));
  }
  for (const e of model.enums) if (e.comment !== undefined) add('comment', `COMMENT ON TYPE ${qualified(e.name, style)} IS ${commentLiteral(e.comment, style, v)}`);
  for (const t of model.tables) {
    if (t.comment !== undefined) add('comment', `COMMENT ON TABLE ${qualified(t.name, style)} IS ${commentLiteral(t.comment, style, v)}`);
    for (const c of t.columns) {
      if (c.comment !== undefined) add('comment', `COMMENT ON COLUMN ${qualified(t.name, style)}.${quoteIdent(c.name)} IS ${commentLiteral(c.comment, style, v + 1)}`);
    }
  }
  for (const ix of model.indexes) {
    if (ix.comment !== undefined && ix.name !== undefined) add('comment', `COMMENT ON INDEX ${qualified({ schema: ix.table.schema, name: ix.name }, style)} IS ${commentLiteral(ix.comment, style, v)}`);
  }
  return out;
}

const EXTENSION_OF: Partial<Record<ScalarTypeName, string>> = {
  citext: 'citext', hstore: 'hstore', ltree: 'ltree', vector: 'vector', halfvec: 'vector', sparsevec: 'vector', geometry: 'postgis', geography: 'postgis',
};

function extensionsUsed(model: PgModel): string[] {
  const used = new Set<string>();
  const visit = (t: ModelType) => {
    if (t.kind === 'scalar' && EXTENSION_OF[t.name]) used.add(EXTENSION_OF[t.name]!);
    if (t.kind === 'array' && t.element.kind === 'scalar') visit(t.element);
  };
  for (const d of model.domains) visit(d.base);
  for (const t of model.tables) for (const c of t.columns) visit(c.type);
  return [...used].sort();
}

/** Joins statements into a script. */
export function joinStatements(statements: readonly PrintedStatement[], style: PrintStyle = 'pg_dump'): string {
  const sep = style === 'pg_dump' ? ';\n\n' : ';\n';
  const head = style === 'pg_dump' ? '--\n-- PostgreSQL database dump\n--\n\n' : '-- schema\n';
  return head + statements.map((s) => s.sql).join(sep) + ';\n';
}

/** The whole script for a model. */
export function printModel(model: PgModel, options: PrintOptions = { style: 'pg_dump' }): string {
  return joinStatements(printStatements(model, options), options.style);
}
