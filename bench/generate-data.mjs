#!/usr/bin/env node
// Deterministic synthetic pg_dump with COPY data over mixed types, for `npm run bench:data`.
//
//   node bench/generate-data.mjs [--mb 20] [--seed 42] [--out bench/results/inputs]
//
// Writes <out>/data-<mb>MB.sql (about <mb> MB, never less) and a sidecar .json; a file whose
// sidecar matches seed, size and DATA_GENERATOR_VERSION is kept. Same seed + size => same bytes.
// Two tables: `events` (int, bigint, numeric, text with COPY escapes, varchar, bool, uuid,
// timestamptz, date, bytea hex, jsonb, text[]; NULLs in every nullable column) takes ~90% of the
// bytes, `tags` (small rows) the rest, interleaved in blocks so both COPY paths are exercised.

import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_GENERATOR_VERSION = 1;
const HERE = dirname(fileURLToPath(import.meta.url));

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'ünïcödé', 'naïve', 'café', '東京', 'über', 'quote"d', "it's", 'comma,', 'back\\\\slash', 'tab\\there', 'new\\nline', 'cr\\rhere'];

const SCHEMA = `--
-- PostgreSQL database dump (synthetic, bench/generate-data.mjs)
--
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

CREATE TABLE public.events (
    id integer NOT NULL,
    big bigint,
    amount numeric(14,4),
    note text,
    title character varying(200),
    flag boolean,
    ref uuid,
    at timestamp with time zone,
    day date,
    payload bytea,
    doc jsonb,
    labels text[]
);

CREATE TABLE public.tags (
    id integer NOT NULL,
    name character varying(40) NOT NULL,
    weight double precision
);

ALTER TABLE ONLY public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id);

`;

function pad(n, w) {
  return String(n).padStart(w, '0');
}

export function generateData({ mb = 20, seed = 42, out = join(HERE, 'results', 'inputs') } = {}) {
  mkdirSync(out, { recursive: true });
  const file = resolve(out, `data-${mb}MB.sql`);
  const sidecar = `${file}.json`;
  if (existsSync(file) && existsSync(sidecar)) {
    try {
      const meta = JSON.parse(readFileSync(sidecar, 'utf8'));
      if (meta.seed === seed && meta.mb === mb && meta.version === DATA_GENERATOR_VERSION) return Promise.resolve({ file, ...meta });
    } catch {
      /* regenerate */
    }
  }
  const rand = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const nul = (p, f) => (rand() < p ? '\\N' : f());
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += pad(Math.floor(rand() * 256).toString(16), 2);
    return s;
  };
  const uuid = () => {
    const h = hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const target = mb * 1024 * 1024;
  const ws = createWriteStream(file);
  let bytes = 0;
  let events = 0;
  let tags = 0;
  const put = (s) => {
    bytes += Buffer.byteLength(s);
    return ws.write(s);
  };
  const eventRow = (id) => {
    const y = 1990 + Math.floor(rand() * 40);
    const m = pad(1 + Math.floor(rand() * 12), 2);
    const d = pad(1 + Math.floor(rand() * 28), 2);
    const fields = [
      String(id),
      nul(0.1, () => String(Math.floor((rand() - 0.5) * 2 ** 52))),
      nul(0.1, () => `${Math.floor(rand() * 1e9)}.${pad(Math.floor(rand() * 1e4), 4)}`),
      nul(0.1, () => words(4 + Math.floor(rand() * 20))),
      nul(0.05, () => words(1 + Math.floor(rand() * 5))),
      nul(0.1, () => (rand() < 0.5 ? 't' : 'f')),
      nul(0.1, uuid),
      nul(0.1, () => `${y}-${m}-${d} ${pad(Math.floor(rand() * 24), 2)}:${pad(Math.floor(rand() * 60), 2)}:${pad(Math.floor(rand() * 60), 2)}.${pad(Math.floor(rand() * 1e6), 6)}+0${Math.floor(rand() * 10)}`),
      nul(0.1, () => `${y}-${m}-${d}`),
      nul(0.2, () => `\\\\x${hex(4 + Math.floor(rand() * 28))}`),
      nul(0.2, () => `{"k": ${Math.floor(rand() * 1000)}, "name": "${pick(['a', 'b\\\\"q', 'ü'])}", "list": [1, 2, ${rand() < 0.5 ? 'true' : 'null'}]}`),
      nul(0.2, () => `{${Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(['red', 'green', '"with space"', 'NULL', '"q\\\\\\\\"'])).join(',')}}`),
    ];
    return `${fields.join('\t')}\n`;
  };
  const tagRow = (id) => `${id}\t${pick(['red', 'green', 'blue', 'Grün'])}-${id}\t${nul(0.2, () => (rand() * 100).toFixed(3))}\n`;
  return new Promise((done, fail) => {
    ws.on('error', fail);
    put(SCHEMA);
    const step = () => {
      while (bytes < target) {
        let ok = put('COPY public.events (id, big, amount, note, title, flag, ref, at, day, payload, doc, labels) FROM stdin;\n');
        for (let i = 0; i < 20000 && bytes < target; i++) ok = put(eventRow(++events));
        put('\\.\n\nCOPY public.tags (id, name, weight) FROM stdin;\n');
        for (let i = 0; i < 5000; i++) ok = put(tagRow(++tags));
        ok = put('\\.\n\n');
        if (!ok) return void ws.once('drain', step);
      }
      put('--\n-- PostgreSQL database dump complete\n--\n');
      ws.end(() => {
        const meta = { version: DATA_GENERATOR_VERSION, seed, mb, bytes: statSync(file).size, rows: { events, tags } };
        writeFileSync(sidecar, `${JSON.stringify(meta, null, 2)}\n`);
        done({ file, ...meta });
      });
    };
    step();
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? dflt : process.argv[i + 1];
  };
  const meta = await generateData({ mb: Number(arg('mb', 20)), seed: Number(arg('seed', 42)), out: arg('out', join(HERE, 'results', 'inputs')) });
  console.log(JSON.stringify(meta));
}
