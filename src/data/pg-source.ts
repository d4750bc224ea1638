/**
 * A live PostgreSQL database as the row source of `pg2tidb data --from` (and `verify --source`):
 * every table of the translated schema read with `COPY (SELECT cols FROM table) TO STDOUT`
 * through the wire protocol, streamed, in one REPEATABLE READ READ ONLY transaction (one snapshot
 * for all tables; the sequences read in it too, as pg_dump reads them), and handed on as the lines
 * of a plain dump (row-source.ts). The session is set up as pg_dump sets up its own (DateStyle,
 * IntervalStyle, extra_float_digits, synchronize_seqscans off: rows in the heap order pg_dump
 * gives), so the rows are the text a pg_dump of the same database holds.
 *
 * `pg` and `pg-copy-streams` are optional peer dependencies, loaded only here.
 */
import type { Readable } from 'node:stream';
import type { SourceFile, SourceSpan } from '../diagnostics/span.js';
import { catalogDdl } from '../frontends/postgres-catalog/index.js';
import { key } from '../transform/context.js';
import { StringDecoder } from 'node:string_decoder';
import type { TablePlan } from './columns.js';
import { maskSource, sourceOptions, type SourceTls } from './pg-url.js';
import type { RowSource, RowSourceContext, RowStream } from './row-source.js';

/** The source cannot be read (connection, authentication, a query that failed): the message names it, password masked. */
export class PgSourceError extends Error {
  override readonly name = 'PgSourceError';
}

/** The part of a `pg` client this module uses. */
interface PgClient {
  connect(): Promise<unknown>;
  query(sql: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  query<T>(submittable: T): T;
  on(event: 'error', f: (e: Error) => void): unknown;
  end(): Promise<void>;
}

type CopyTo = (sql: string) => Readable;

/** pg_dump's session (pg_dump.c setup_connection), plus UTC and hex bytea so the text does not depend on server defaults. */
const SESSION = [
  `SET client_encoding = 'UTF8'`,
  `SET DateStyle = ISO`,
  `SET IntervalStyle = postgres`,
  `SET extra_float_digits = 3`,
  `SET TimeZone = 'UTC'`,
  `SET bytea_output = hex`,
  `SET synchronize_seqscans = off`,
  `SET statement_timeout = 0`,
  `SET lock_timeout = 0`,
  `SET idle_in_transaction_session_timeout = 0`,
  // Rows a policy would hide are an error, never silently missing.
  `SET row_security = off`,
];

/** Rows per batch handed on (COPY data arrives in socket-sized chunks of a few rows). */
const BATCH_LINES = 2048;

const pgIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const pgString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function describe(e: unknown): string {
  const err = e as { message?: string; code?: string; errors?: { message?: string }[] };
  const text = err.message || err.errors?.map((x) => x.message).filter(Boolean).join('; ') || err.code || String(e);
  return maskSource(text);
}

/** Connects (before the schema is translated, so a bad URL or password fails at once) and sets the session up. */
export async function connectPostgres(url: string): Promise<RowSource & Required<Pick<RowSource, 'schema'>>> {
  const o = sourceOptions(url);
  let Client: new (config: object) => PgClient;
  let copyTo: CopyTo;
  try {
    Client = (await import('pg')).default.Client as unknown as typeof Client;
    copyTo = (await import('pg-copy-streams')).to as unknown as CopyTo;
  } catch {
    throw new PgSourceError('reading a live PostgreSQL database needs the pg and pg-copy-streams packages: npm install pg pg-copy-streams');
  }
  const attempt = async (ssl: SourceTls | undefined): Promise<PgClient> => {
    const client = new Client({
      host: o.host,
      port: o.port,
      ...(o.user !== undefined ? { user: o.user } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(o.database !== undefined ? { database: o.database } : {}),
      ssl: ssl ? { rejectUnauthorized: ssl.rejectUnauthorized, ...(ssl.ca ? { ca: ssl.ca } : {}), ...(ssl.cert ? { cert: ssl.cert } : {}), ...(ssl.key ? { key: ssl.key } : {}), ...(ssl.verifyIdentity ? {} : { checkServerIdentity: () => undefined }) } : false,
      application_name: 'pg2tidb',
      connectionTimeoutMillis: 30_000,
    });
    // A connection lost while idle is reported by the next query; without a listener it would end the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      for (const sql of SESSION) await client.query(sql);
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  };
  let client: PgClient;
  try {
    client = await attempt(o.ssl);
  } catch (e) {
    // pg_hba.conf admits this host only over TLS (its reason ends "no encryption"): encrypted, as libpq's prefer would connect.
    if (!o.upgrade || !/no encryption/.test(describe(e))) throw new PgSourceError(`cannot connect to ${o.shown}: ${describe(e)}`);
    try {
      client = await attempt({ rejectUnauthorized: false, verifyIdentity: false });
    } catch (again) {
      throw new PgSourceError(`cannot connect to ${o.shown}: ${describe(again)}`);
    }
  }
  return new PgRowSource(client, copyTo, o.shown);
}

/** A relation of the database, as the catalog query reads it. */
interface Relation {
  readonly relkind: string;
  readonly partition: boolean;
  readonly bytes: number;
  readonly columns: string[];
  /** Every column readable by this user. */
  readable: boolean;
}

interface TableRead {
  readonly plan: TablePlan;
  readonly copy: string;
  /** One COPY per relation read: the table, or each leaf partition of a partitioned one. */
  readonly selects: readonly string[];
}

/** pg_dump's order of table data: by schema, then name, compared as bytes (strcmp). */
const byName = (a: { ns: string; rel: string }, b: { ns: string; rel: string }): number => Buffer.compare(Buffer.from(a.ns), Buffer.from(b.ns)) || Buffer.compare(Buffer.from(a.rel), Buffer.from(b.rel));

class PgRowSource implements RowSource {
  private inTransaction = false;
  /** Each COPY header's line in the lines handed on, its table, and the table's rows before it (a partitioned table has one per leaf). */
  private readonly headers: { line: number; table: string; before: number }[] = [];

  constructor(
    private readonly client: PgClient,
    private readonly copyTo: CopyTo,
    private readonly shown: string,
  ) {}

  private async query(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return (await this.client.query(sql, values)).rows;
    } catch (e) {
      throw new PgSourceError(`${this.shown}: ${describe(e)} (in: ${sql.slice(0, 120)})`);
    }
  }

  private async begin(): Promise<void> {
    if (this.inTransaction) return;
    await this.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    this.inTransaction = true;
  }

  /**
   * The database's schema from its catalog, as the DDL pg_dump writes (frontends/postgres-catalog),
   * read first in the snapshot the rows are then read in. Names come schema-qualified, as with
   * pg_dump's empty search_path; the session's search_path is put back for the rows.
   */
  async schema(): Promise<SourceFile> {
    await this.begin();
    const [path] = await this.query(`SELECT pg_catalog.current_setting('search_path') AS p`);
    await this.query(`SELECT pg_catalog.set_config('search_path', '', true)`);
    const text = await catalogDdl((sql, values) => this.query(sql, values));
    await this.query(`SELECT pg_catalog.set_config('search_path', $1, true)`, [String(path!['p'])]);
    return { path: `${this.shown} (catalog)`, text };
  }

  async open(context: RowSourceContext): Promise<RowStream> {
    await this.begin();
    // The tables: each PostgreSQL table TiDB holds, once (the plans of partitions are their parent's).
    const tables = [...context.plans].filter(([k, p]) => k === p.subject).map(([, p]) => p);
    const schemaOf = (name: { schema?: string }) => name.schema ?? 'public';
    const namespaces = [...new Set([...tables.map((p) => schemaOf(p.pg.name)), ...context.translation.schema.sequences.map((s) => schemaOf(s.name))])].sort();
    // The catalog in the transaction's snapshot; privileges checked first, because a failed query would end the transaction.
    const rows = await this.query(
      `SELECT n.nspname AS ns, c.relname AS rel, c.relkind::text AS kind, c.relispartition AS part, pg_catalog.pg_table_size(c.oid) AS bytes,
              a.attname AS col, pg_catalog.has_column_privilege(c.oid, a.attnum, 'SELECT') AS ok
         FROM pg_catalog.pg_class c
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = ANY($1)
        ORDER BY n.nspname, c.relname, a.attnum`,
      [namespaces],
    );
    const catalog = new Map<string, Relation>();
    for (const r of rows) {
      const k = `${String(r['ns'])}.${String(r['rel'])}`;
      let t = catalog.get(k);
      if (!t) catalog.set(k, (t = { relkind: String(r['kind']), columns: [], readable: true, bytes: Number(r['bytes']), partition: r['part'] === true }));
      if (r['col'] == null) continue;
      t.columns.push(String(r['col']));
      if (r['ok'] !== true) t.readable = false;
    }
    const reads: TableRead[] = [];
    let totalBytes = 0;
    for (const plan of tables) {
      const ns = schemaOf(plan.pg.name);
      const shown = `${ns}.${plan.pg.name.name}`;
      const found = catalog.get(`${ns}.${plan.pg.name.name}`);
      if (!found) {
        context.mismatch({ reason: 'source-no-table', table: shown, source: this.shown }, plan.subject);
        continue;
      }
      const lacking = plan.pgOrder.filter((c) => !found.columns.includes(c));
      if (lacking.length > 0) {
        context.mismatch({ reason: 'source-no-columns', table: shown, columns: lacking }, plan.subject);
        continue;
      }
      if (!found.readable) {
        context.mismatch({ reason: 'source-unreadable', table: shown }, plan.subject);
        continue;
      }
      const pgColumns = new Set(plan.pg.columns.map((c) => c.name));
      const extra = found.columns.filter((c) => !pgColumns.has(c));
      if (extra.length > 0) context.mismatch({ reason: 'source-extra-columns', table: shown, columns: extra }, plan.subject);
      const cols = plan.pgOrder.map(pgIdent).join(', ');
      const table = `${pgIdent(ns)}.${pgIdent(plan.pg.name.name)}`;
      const from = found.relkind === 'p' ? await this.leaves(table) : [`${found.relkind === 'r' ? 'ONLY ' : ''}${table}`];
      reads.push({ plan, copy: `COPY ${table} (${cols}) FROM stdin;`, selects: from.map((f) => `COPY (SELECT ${cols} FROM ${f}) TO STDOUT`) });
      totalBytes += found.bytes;
    }
    const known = new Set(tables.map((p) => `${schemaOf(p.pg.name)}.${p.pg.name.name}`));
    for (const [k, t] of catalog) {
      // Tables the database has in the schema's namespaces and the schema does not: a dump of the database would carry their rows.
      if ((t.relkind === 'r' || t.relkind === 'p') && !t.partition && !known.has(k) && !context.plans.has(k)) context.mismatch({ reason: 'source-extra-table', table: k, source: this.shown });
    }
    const setvals = await this.sequences(namespaces, context);
    return { path: this.shown, totalBytes, lines: (onBytes) => this.lines(reads, setvals, onBytes), relocate: (span) => this.relocate(span) };
  }

  /**
   * A partitioned table's leaf partitions, each read on its own in pg_dump's order, so the rows come
   * in the order a dump of the database has them; through the parent if one may not be read directly.
   */
  private async leaves(table: string): Promise<string[]> {
    const rows = await this.query(
      `SELECT n.nspname AS ns, c.relname AS rel, pg_catalog.has_table_privilege(c.oid, 'SELECT') AS ok
         FROM pg_catalog.pg_partition_tree($1::regclass) t
         JOIN pg_catalog.pg_class c ON c.oid = t.relid
         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE t.isleaf`,
      [table],
    );
    const leaves = rows.map((r) => ({ ns: String(r['ns']), rel: String(r['rel']), ok: r['ok'] === true }));
    if (leaves.some((l) => !l.ok)) return [table];
    return leaves.sort(byName).map((l) => `ONLY ${pgIdent(l.ns)}.${pgIdent(l.rel)}`);
  }

  /** setval() lines for the sequences of the schema's namespaces, read in the snapshot as pg_dump reads them. */
  private async sequences(namespaces: readonly string[], context: RowSourceContext): Promise<string[]> {
    const seqs = await this.query(
      `SELECT n.nspname AS ns, c.relname AS rel, pg_catalog.has_sequence_privilege(c.oid, 'SELECT') AS ok
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'S' AND n.nspname = ANY($1) ORDER BY 1, 2`,
      [namespaces],
    );
    const out: string[] = [];
    const found = new Set<string>();
    for (const s of seqs) {
      const ns = String(s['ns']);
      const rel = String(s['rel']);
      found.add(`${ns}.${rel}`);
      if (s['ok'] !== true) {
        context.mismatch({ reason: 'source-sequence-unreadable', sequence: `${ns}.${rel}` });
        continue;
      }
      const [v] = await this.query(`SELECT last_value::text AS v, is_called AS c FROM ${pgIdent(ns)}.${pgIdent(rel)}`);
      out.push(`SELECT pg_catalog.setval(${pgString(`${pgIdent(ns)}.${pgIdent(rel)}`)}, ${String(v!['v'])}, ${v!['c'] === true});`);
    }
    for (const s of context.translation.schema.sequences) {
      const k = key({ schema: s.name.schema ?? 'public', name: s.name.name });
      if (!found.has(k)) context.mismatch({ reason: 'source-no-sequence', sequence: k, source: this.shown });
    }
    return out;
  }

  private async *lines(reads: readonly TableRead[], setvals: readonly string[], onBytes: (n: number) => void): AsyncGenerator<string[]> {
    let line = 0;
    for (const r of reads) {
      let rows = 0;
      for (const select of r.selects) {
        this.headers.push({ line: ++line, table: r.plan.subject, before: rows });
        yield [r.copy];
        const stream = this.client.query(this.copyTo(select));
        let batch: string[] = [];
        try {
          for await (const lines of readLineBatches(stream, onBytes)) {
            line += lines.length;
            rows += lines.length;
            if (batch.length === 0 && lines.length >= BATCH_LINES) {
              yield lines;
              continue;
            }
            for (const l of lines) batch.push(l);
            if (batch.length >= BATCH_LINES) {
              yield batch;
              batch = [];
            }
          }
        } catch (e) {
          throw new PgSourceError(`${this.shown}: reading ${r.plan.subject} failed: ${describe(e)}`);
        }
        if (batch.length > 0) yield batch;
        line++;
        yield ['\\.'];
      }
    }
    if (setvals.length > 0) yield [...setvals];
  }

  /** `<url>#schema.table`, line = the row's number in the table (1-based, in the order it was read). */
  private relocate(span: SourceSpan): SourceSpan | undefined {
    let h: (typeof this.headers)[number] | undefined;
    for (const x of this.headers) if (x.line <= span.line) h = x;
    // A COPY header's own line is no row.
    if (!h || h.line === span.line) return undefined;
    const row = span.line - h.line + h.before;
    return { ...span, file: `${this.shown}#${h.table}`, line: row, endLine: row, offset: 0 };
  }

  async close(): Promise<void> {
    if (this.inTransaction) await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

/** The lines of a stream (without their newlines, a final unterminated line included), a chunk's worth at a time. */
async function* readLineBatches(stream: Readable, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    onBytes?.(buf.length);
    let text = rest + decoder.write(buf);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const lines: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}
