#!/usr/bin/env node
// One measurement in a fresh process. Invoked by bench/run.mjs:
//   node bench/lib/worker.mjs <tool> <file>
// tools:
//   floor-whole   libpg-query parseSync on the whole (psql-stripped) file
//   floor-stmt    split into statements, then parseSync each one
//   polyglot      @polyglot-sql/sdk transpile PostgreSQL -> TiDB, whole file;
//                 if that fails, statement by statement (mode "per-stmt")
//   pg2tidb-lib   import { translate } from '../../dist/index.js'; await translate({path, text})
//                 (parse workers chosen by input size, as users get them)
//   pg2tidb-lib-1t  the same with { parseWorkers: 0 }: everything on one thread
// Prints one JSON line on stdout: {ok, ms, loadMs, prepMs, maxRSSKB, ...}.
// The timed region (ms) covers only the tool's work on text already in memory.
import { readFileSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stripPsql, splitStatements } from './prep.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const [tool, file] = process.argv.slice(2);
const now = () => performance.now();
const out = { tool, file, ok: true };

function finish() {
  out.maxRSSKB = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

try {
  const raw = readFileSync(file, 'utf8');
  out.bytes = Buffer.byteLength(raw);
  if (tool === 'floor-whole' || tool === 'floor-stmt') {
    let t = now();
    const lib = await import('libpg-query');
    await lib.loadModule();
    out.loadMs = now() - t;
    t = now();
    const text = stripPsql(raw);
    out.prepMs = now() - t;
    if (tool === 'floor-whole') {
      t = now();
      const r = lib.parseSync(text);
      out.ms = now() - t;
      out.stmts = r.stmts.length;
    } else {
      t = now();
      const stmts = splitStatements(text);
      out.splitMs = now() - t;
      let failed = 0;
      let firstError;
      let count = 0;
      for (const s of stmts) {
        try { count += lib.parseSync(s).stmts.length; } catch (e) { failed++; firstError ??= String(e.message ?? e).slice(0, 200); }
      }
      out.ms = now() - t; // split + parse
      out.stmts = stmts.length;
      out.parsedStmts = count;
      out.failed = failed;
      if (failed) out.firstError = firstError;
    }
  } else if (tool === 'polyglot') {
    let t = now();
    const pg = await import('@polyglot-sql/sdk');
    await pg.init();
    out.loadMs = now() - t;
    t = now();
    const text = stripPsql(raw); // same input the parse floor sees (polyglot rejects psql lines)
    out.prepMs = now() - t;
    t = now();
    const r = pg.transpile(text, pg.Dialect.PostgreSQL, pg.Dialect.TiDB);
    if (r.success) {
      out.ms = now() - t;
      out.mode = 'whole';
      out.outStmts = r.sql.length;
      out.outBytes = r.sql.reduce((a, s) => a + s.length, 0);
    } else {
      out.wholeError = String(r.error).slice(0, 200);
      out.wholeFailMs = now() - t;
      t = now();
      const stmts = splitStatements(text);
      let failed = 0;
      let outBytes = 0;
      let firstError;
      for (const s of stmts) {
        const x = pg.transpile(s, pg.Dialect.PostgreSQL, pg.Dialect.TiDB);
        if (x.success) outBytes += x.sql.reduce((a, q) => a + q.length, 0);
        else { failed++; firstError ??= String(x.error).slice(0, 200); }
      }
      out.ms = now() - t; // split + per-statement transpile
      out.mode = 'per-stmt';
      out.stmts = stmts.length;
      out.failed = failed;
      out.outBytes = outBytes;
      if (failed) out.firstError = firstError;
    }
  } else if (tool === 'pg2tidb-lib' || tool === 'pg2tidb-lib-1t') {
    let t = now();
    const lib = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
    out.loadMs = now() - t;
    t = now();
    const r = await lib.translate({ path: file, text: raw }, {}, tool === 'pg2tidb-lib-1t' ? { parseWorkers: 0 } : {});
    out.ms = now() - t;
    out.outBytes = r.sql?.length;
    out.outStmts = r.statements?.length;
    out.diagnostics = r.diagnostics?.length;
  } else {
    throw new Error(`unknown tool ${tool}`);
  }
} catch (e) {
  out.ok = false;
  let msg = e?.stack ?? e?.message;
  if (!msg) { try { msg = JSON.stringify(e); } catch { msg = String(e); } }
  out.error = String(msg).slice(0, 500);
}
finish();
