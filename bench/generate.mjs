#!/usr/bin/env node
// Deterministic generator of synthetic pg_dump-style PostgreSQL schemas.
//
//   node bench/generate.mjs [--sizes 0.1,1,10,100] [--seed 42] [--out bench/results/inputs]
//
// Writes <out>/synth-<size>MB.sql (about <size> MB each, never less) and a
// sidecar <file>.json recording seed, generator version and statement counts.
// A file whose sidecar matches the seed, size and GENERATOR_VERSION is kept
// as is, so re-running is cheap. Same seed + size => byte-identical output.
//
// The mix imitates what `pg_dump --schema-only` prints, in its order:
// SET lines and set_config, schemas, extensions, enum types, a plpgsql
// trigger function per schema, tables (serial and identity keys, jsonb,
// arrays, uuid, enums, numeric, timestamptz, inline CHECKs, defaults),
// OWNER TO lines, COMMENT ON TABLE/COLUMN, sequences with OWNED BY,
// identity columns added with ALTER TABLE ... ADD GENERATED, views,
// ALTER TABLE ONLY ... SET DEFAULT nextval(...), split
// ALTER TABLE ONLY ... ADD CONSTRAINT ... PRIMARY KEY / UNIQUE, btree, GIN,
// partial and expression indexes, triggers, and foreign keys last.

import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 1;
const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, 'results', 'inputs');

function mulberry32(seed) {
  let a = seed >>> 0;
  return function rand() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = [
  'account', 'address', 'invoice', 'payment', 'order', 'order_item', 'product', 'category', 'customer',
  'supplier', 'shipment', 'warehouse', 'stock_level', 'price_list', 'discount', 'coupon', 'review',
  'session', 'audit_event', 'api_key', 'webhook', 'subscription', 'plan', 'feature_flag', 'tenant',
  'membership', 'role', 'permission', 'team', 'project', 'task', 'comment', 'attachment', 'tag',
  'notification', 'message', 'thread', 'device', 'location', 'report', 'dashboard', 'metric',
];
const ATTRS = [
  'name', 'title', 'description', 'status_note', 'code', 'reference', 'email', 'phone', 'url', 'slug',
  'amount', 'quantity', 'price', 'total', 'balance', 'weight', 'score', 'rank', 'priority', 'version',
  'started_at', 'finished_at', 'expires_at', 'published_at', 'birth_date', 'due_date', 'payload',
  'settings', 'metadata', 'labels', 'scopes', 'external_id', 'checksum', 'ip_address', 'duration',
  'is_active', 'is_archived', 'ratio', 'latitude', 'longitude', 'notes', 'locale', 'currency',
];
const WORDS = ['pending', 'active', 'suspended', 'closed', 'draft', 'review', 'approved', 'rejected',
  'low', 'medium', 'high', 'urgent', 'red', 'green', 'blue', 'north', 'south', 'east', 'west'];
const COMMENT_WORDS = ['stores', 'the', 'current', 'state', 'of', 'each', 'row', 'used', 'by', 'billing',
  'reports', 'and', 'the', 'nightly', 'export', 'see', 'ticket', 'for', 'details', 'naïve', 'café', 'données'];

// type generators: [weight, fn(rng, ctx) => {type, def?, check?, gin?, isJsonb?}]
function pick(rng, arr) { return arr[Math.floor(rng() * arr.length)]; }
function int(rng, lo, hi) { return lo + Math.floor(rng() * (hi - lo + 1)); }

function columnType(rng, ctx) {
  const r = rng();
  if (r < 0.14) return { type: 'text', def: rng() < 0.1 ? "''::text" : null };
  if (r < 0.26) { const n = pick(rng, [32, 64, 100, 255, 320]); return { type: `character varying(${n})` }; }
  if (r < 0.33) return { type: 'integer', def: rng() < 0.3 ? '0' : null, check: rng() < 0.2 ? '>= 0' : null };
  if (r < 0.38) return { type: 'bigint' };
  if (r < 0.41) return { type: 'smallint', def: rng() < 0.5 ? '1' : null };
  if (r < 0.47) { const p = pick(rng, [10, 12, 14, 19]); return { type: `numeric(${p},${pick(rng, [2, 4])})`, def: rng() < 0.3 ? '0' : null, check: rng() < 0.2 ? '>= (0)::numeric' : null }; }
  if (r < 0.55) return { type: 'timestamp with time zone', def: rng() < 0.3 ? 'now()' : null };
  if (r < 0.58) return { type: 'timestamp without time zone' };
  if (r < 0.62) return { type: 'date' };
  if (r < 0.68) return { type: 'boolean', def: rng() < 0.7 ? (rng() < 0.5 ? 'false' : 'true') : null, notNull: true };
  if (r < 0.75) return { type: 'jsonb', def: rng() < 0.5 ? "'{}'::jsonb" : null, gin: rng() < 0.35 };
  if (r < 0.77) return { type: 'json' };
  if (r < 0.81) return { type: 'uuid', def: rng() < 0.3 ? 'gen_random_uuid()' : null };
  if (r < 0.85) return { type: 'text[]', def: rng() < 0.4 ? "'{}'::text[]" : null, gin: rng() < 0.3 };
  if (r < 0.87) return { type: 'integer[]' };
  if (r < 0.91 && ctx.enums.length) { const e = pick(rng, ctx.enums); return { type: e.qname, def: rng() < 0.6 ? `'${e.values[0]}'::${e.qname}` : null }; }
  if (r < 0.93) return { type: 'inet' };
  if (r < 0.95) return { type: 'bytea' };
  if (r < 0.97) return { type: 'double precision' };
  if (r < 0.985) return { type: 'interval' };
  return { type: 'time without time zone' };
}

function header() {
  return `--
-- PostgreSQL database dump
--

-- Dumped from database version 16.4
-- Dumped by pg_dump version 16.4

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


`;
}

const nameHdr = (name, type, schema, owner = 'app_owner') =>
  `--\n-- Name: ${name}; Type: ${type}; Schema: ${schema}; Owner: ${owner}\n--\n\n`;

/**
 * Generate one schema of about targetBytes bytes. Returns {text, stats}.
 * The dump is built section by section (pg_dump order) and joined at the end.
 */
export function generateSchema(targetBytes, seed) {
  const rng = mulberry32(seed ^ Math.round(targetBytes));
  const S = {
    schemas: [], types: [], functions: [], tables: [], defaults: [],
    constraints: [], indexes: [], triggers: [], fks: [],
  };
  const sizes = Object.fromEntries(Object.keys(S).map((k) => [k, 0]));
  const push = (sec, s) => { S[sec].push(s); sizes[sec] += Buffer.byteLength(s); };
  const total = () => Object.values(sizes).reduce((a, b) => a + b, 0);
  const stats = { schemas: 0, tables: 0, columns: 0, enums: 0, sequences: 0, identities: 0, indexes: 0, ginIndexes: 0, partialIndexes: 0, fks: 0, views: 0, comments: 0 };
  const fixed = Buffer.byteLength(header()) + 200;

  let schemaNo = 0;
  while (total() + fixed < targetBytes) {
    schemaNo++;
    const sch = schemaNo === 1 ? 'public' : `app_${String(schemaNo).padStart(4, '0')}`;
    stats.schemas++;
    if (sch !== 'public') {
      push('schemas', `${nameHdr(sch, 'SCHEMA', '-')}CREATE SCHEMA ${sch};\n\n\nALTER SCHEMA ${sch} OWNER TO app_owner;\n\n`);
    }
    // enums
    const enums = [];
    const nEnums = int(rng, 1, 3);
    for (let e = 0; e < nEnums; e++) {
      const name = `${pick(rng, NOUNS)}_${pick(rng, ['status', 'kind', 'level', 'state'])}${e}`;
      const values = [];
      const nv = int(rng, 2, 6);
      for (let v = 0; v < nv; v++) values.push(`${pick(rng, WORDS)}${v}`);
      const qname = `${sch}.${name}`;
      enums.push({ qname, values });
      stats.enums++;
      push('types', `${nameHdr(name, 'TYPE', sch)}CREATE TYPE ${qname} AS ENUM (\n${values.map((v) => `    '${v}'`).join(',\n')}\n);\n\n\nALTER TYPE ${qname} OWNER TO app_owner;\n\n`);
    }
    // trigger function
    push('functions', `${nameHdr('set_updated_at()', 'FUNCTION', sch)}CREATE FUNCTION ${sch}.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;


ALTER FUNCTION ${sch}.set_updated_at() OWNER TO app_owner;

`);
    const ctx = { enums };
    const tablesHere = [];
    const nTables = int(rng, 15, 40);
    for (let t = 0; t < nTables && total() + fixed < targetBytes; t++) {
      const tname = `${pick(rng, NOUNS)}_${t}`;
      const q = `${sch}.${tname}`;
      stats.tables++;
      const keyKind = rng() < 0.5 ? 'serial' : rng() < 0.6 ? 'identity' : 'uuid';
      const cols = [];
      if (keyKind === 'uuid') cols.push({ name: 'id', type: 'uuid', notNull: true, def: 'gen_random_uuid()' });
      else cols.push({ name: 'id', type: rng() < 0.6 ? 'bigint' : 'integer', notNull: true });
      // foreign key columns to earlier tables in this schema
      const fks = [];
      const nFk = tablesHere.length ? int(rng, 0, Math.min(3, tablesHere.length)) : 0;
      for (let f = 0; f < nFk; f++) {
        const target = tablesHere[Math.floor(rng() * tablesHere.length)];
        const cname = `${target.name}_id${f}`;
        cols.push({ name: cname, type: target.keyType, notNull: rng() < 0.6 });
        fks.push({ col: cname, target, onDelete: pick(rng, ['', ' ON DELETE CASCADE', ' ON DELETE SET NULL', '']) });
      }
      const nCols = int(rng, 4, 18);
      const used = new Set(cols.map((c) => c.name));
      for (let c = 0; c < nCols; c++) {
        let cname = pick(rng, ATTRS);
        if (used.has(cname)) cname = `${cname}_${c}`;
        used.add(cname);
        const ct = columnType(rng, ctx);
        cols.push({ name: cname, ...ct, notNull: ct.notNull || rng() < 0.3 });
      }
      cols.push({ name: 'created_at', type: 'timestamp with time zone', notNull: true, def: 'now()' });
      cols.push({ name: 'updated_at', type: 'timestamp with time zone', notNull: true, def: 'now()' });
      const softDelete = rng() < 0.3;
      if (softDelete) cols.push({ name: 'deleted_at', type: 'timestamp with time zone' });
      stats.columns += cols.length;

      const lines = cols.map((c) => `    ${c.name} ${c.type}${c.def ? ` DEFAULT ${c.def}` : ''}${c.notNull ? ' NOT NULL' : ''}`);
      for (const c of cols) {
        if (c.check) lines.push(`    CONSTRAINT ${tname}_${c.name}_check CHECK ((${c.name} ${c.check}))`);
      }
      let tbl = `${nameHdr(tname, 'TABLE', sch)}CREATE TABLE ${q} (\n${lines.join(',\n')}\n);\n\n\nALTER TABLE ${q} OWNER TO app_owner;\n\n`;
      if (rng() < 0.6) {
        stats.comments++;
        const words = Array.from({ length: int(rng, 4, 14) }, () => pick(rng, COMMENT_WORDS)).join(' ');
        tbl += `${nameHdr(`TABLE ${tname}`, 'COMMENT', sch)}COMMENT ON TABLE ${q} IS '${words}; it''s generated';\n\n\n`;
      }
      for (const c of cols) {
        if (rng() < 0.12) {
          stats.comments++;
          const words = Array.from({ length: int(rng, 3, 10) }, () => pick(rng, COMMENT_WORDS)).join(' ');
          tbl += `${nameHdr(`COLUMN ${tname}.${c.name}`, 'COMMENT', sch)}COMMENT ON COLUMN ${q}.${c.name} IS '${words}';\n\n\n`;
        }
      }
      const seq = `${tname}_id_seq`;
      if (keyKind === 'serial') {
        stats.sequences++;
        tbl += `${nameHdr(seq, 'SEQUENCE', sch)}CREATE SEQUENCE ${sch}.${seq}\n${cols[0].type === 'integer' ? '    AS integer\n' : ''}    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;\n\n\nALTER SEQUENCE ${sch}.${seq} OWNER TO app_owner;\n\n`;
        tbl += `${nameHdr(seq, 'SEQUENCE OWNED BY', sch)}ALTER SEQUENCE ${sch}.${seq} OWNED BY ${q}.id;\n\n\n`;
        push('defaults', `${nameHdr(`${tname} id`, 'DEFAULT', sch)}ALTER TABLE ONLY ${q} ALTER COLUMN id SET DEFAULT nextval('${sch}.${seq}'::regclass);\n\n\n`);
      } else if (keyKind === 'identity') {
        stats.identities++;
        tbl += `${nameHdr(seq, 'SEQUENCE', sch)}ALTER TABLE ${q} ALTER COLUMN id ADD GENERATED ${rng() < 0.5 ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (\n    SEQUENCE NAME ${sch}.${seq}\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);\n\n\n`;
      }
      if (rng() < 0.05 && tablesHere.length) {
        stats.views++;
        const showCols = cols.slice(0, Math.min(5, cols.length)).map((c) => `    ${tname}.${c.name}`).join(',\n');
        tbl += `${nameHdr(`${tname}_live`, 'VIEW', sch)}CREATE VIEW ${sch}.${tname}_live AS\n SELECT ${showCols.trimStart()}\n   FROM ${q}\n  WHERE (${tname}.created_at IS NOT NULL);\n\n\nALTER VIEW ${sch}.${tname}_live OWNER TO app_owner;\n\n`;
      }
      push('tables', tbl);

      push('constraints', `${nameHdr(`${tname} ${tname}_pkey`, 'CONSTRAINT', sch)}ALTER TABLE ONLY ${q}\n    ADD CONSTRAINT ${tname}_pkey PRIMARY KEY (id);\n\n\n`);
      const textish = cols.filter((c) => /^(text|character varying)/.test(c.type));
      if (textish.length && rng() < 0.35) {
        const u = pick(rng, textish);
        push('constraints', `${nameHdr(`${tname} ${tname}_${u.name}_key`, 'CONSTRAINT', sch)}ALTER TABLE ONLY ${q}\n    ADD CONSTRAINT ${tname}_${u.name}_key UNIQUE (${u.name});\n\n\n`);
      }
      // indexes
      const idx = (name, body) => { stats.indexes++; push('indexes', `${nameHdr(name, 'INDEX', sch)}CREATE ${body};\n\n\n`); };
      for (const f of fks) if (rng() < 0.7) idx(`${tname}_${f.col}_idx`, `INDEX ${tname}_${f.col}_idx ON ${q} USING btree (${f.col})`);
      for (const c of cols) {
        if (c.gin) { stats.ginIndexes++; idx(`${tname}_${c.name}_gin`, `INDEX ${tname}_${c.name}_gin ON ${q} USING gin (${c.name}${c.type === 'jsonb' && rng() < 0.4 ? ' jsonb_path_ops' : ''})`); }
      }
      if (rng() < 0.4) idx(`${tname}_created_at_idx`, `INDEX ${tname}_created_at_idx ON ${q} USING btree (created_at DESC)`);
      if (softDelete && rng() < 0.7) {
        stats.partialIndexes++;
        const c = textish.length ? pick(rng, textish).name : 'created_at';
        idx(`${tname}_${c}_live_idx`, `UNIQUE INDEX ${tname}_${c}_live_idx ON ${q} USING btree (${c}) WHERE (deleted_at IS NULL)`);
      }
      const email = cols.find((c) => c.name === 'email' && /^(text|character varying)/.test(c.type));
      if (email && rng() < 0.6) idx(`${tname}_lower_email_idx`, `UNIQUE INDEX ${tname}_lower_email_idx ON ${q} USING btree (lower((email)::text))`);
      if (rng() < 0.5) {
        push('triggers', `${nameHdr(`${tname} ${tname}_set_updated_at`, 'TRIGGER', sch)}CREATE TRIGGER ${tname}_set_updated_at BEFORE UPDATE ON ${q} FOR EACH ROW EXECUTE FUNCTION ${sch}.set_updated_at();\n\n\n`);
      }
      for (const f of fks) {
        stats.fks++;
        push('fks', `${nameHdr(`${tname} ${tname}_${f.col}_fkey`, 'FK CONSTRAINT', sch)}ALTER TABLE ONLY ${q}\n    ADD CONSTRAINT ${tname}_${f.col}_fkey FOREIGN KEY (${f.col}) REFERENCES ${f.target.q}(id)${f.onDelete};\n\n\n`);
      }
      tablesHere.push({ name: tname, q, keyType: cols[0].type });
    }
  }
  const text = [
    header(),
    ...S.schemas, ...S.types, ...S.functions,
    "SET default_tablespace = '';\n\nSET default_table_access_method = heap;\n\n",
    ...S.tables, ...S.defaults, ...S.constraints, ...S.indexes, ...S.triggers, ...S.fks,
    '--\n-- PostgreSQL database dump complete\n--\n\n',
  ];
  return { parts: text, stats };
}

export function synthPath(out, sizeMB) { return join(out, `synth-${sizeMB}MB.sql`); }

/** Ensure the synthetic input for sizeMB exists (regenerates if the sidecar differs). */
export async function ensureInput(sizeMB, { seed = 42, out = DEFAULT_OUT, log = console.error } = {}) {
  mkdirSync(out, { recursive: true });
  const file = synthPath(out, sizeMB);
  const meta = `${file}.json`;
  if (existsSync(file) && existsSync(meta)) {
    try {
      const m = JSON.parse(readFileSync(meta, 'utf8'));
      if (m.seed === seed && m.sizeMB === sizeMB && m.version === GENERATOR_VERSION) return { file, ...m };
    } catch { /* regenerate */ }
  }
  const t0 = performance.now();
  const { parts, stats } = generateSchema(sizeMB * 1024 * 1024, seed);
  await new Promise((res, rej) => {
    const ws = createWriteStream(file);
    ws.on('error', rej);
    let i = 0;
    const write = () => {
      while (i < parts.length) { if (!ws.write(parts[i++])) { ws.once('drain', write); return; } }
      ws.end(res);
    };
    write();
  });
  const bytes = parts.reduce((a, p) => a + Buffer.byteLength(p), 0);
  const m = { seed, sizeMB, version: GENERATOR_VERSION, bytes, stats };
  writeFileSync(meta, JSON.stringify(m, null, 2));
  log(`[generate] ${file}: ${(bytes / 1048576).toFixed(2)} MB, ${stats.tables} tables in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, ...m };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const get = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
  const sizes = get('--sizes', '0.1,1,10,100').split(',').map(Number);
  const seed = Number(get('--seed', '42'));
  const out = resolve(get('--out', DEFAULT_OUT));
  for (const s of sizes) {
    const r = await ensureInput(s, { seed, out });
    console.log(`${r.file}\t${r.bytes}\t${JSON.stringify(r.stats)}`);
  }
}
