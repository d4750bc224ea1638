// Generated schemas tidb-server refused: when a refusal is excused (an error-severity diagnostic names
// the table by its structured subject, or the table references one that was refused so), and the
// saved counterexamples under test/property-cases/ that test/property-cases.test.ts replays.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranslateResult } from '../../src/index.js';
import type { Rejection } from './tidb-readback.js';

const PROPERTY_CASES = resolve(dirname(fileURLToPath(import.meta.url)), '../property-cases');

interface ServerCase {
  readonly seed: number;
  readonly index: number;
  readonly sql: string;
  readonly rejections: readonly { errno: number; message: string; sql: string }[];
}

/**
 * KNOWN-REJECTION classes of generated schemas: TiDB error and message, each a compiler bug (issue-ready).
 * A saved case refused only by these must stay refused by them (test/property-cases.test.ts), so a fix
 * forces the entry and the case files out.
 */
export const KNOWN_SERVER_REJECTIONS: readonly { readonly errno: number; readonly message: RegExp; readonly why: string }[] = [
];

/** A DROP of a database name, whatever it holds. */
export const dropDatabaseSql = (name: string): string => `DROP DATABASE IF EXISTS \`${name.replace(/`/g, '``')}\``;

export const knownRejection = (r: Rejection): string | undefined => KNOWN_SERVER_REJECTIONS.find((k) => k.errno === r.errno && k.message.test(r.message))?.why;

/** Source name (`schema.table` or `table`) of the TiDB table a statement creates or alters. */
function sourceOf(subject: string, result: TranslateResult): { schema: string; table: string } | undefined {
  const t = result.tidb.tables.find((x) => `${x.name.database}.${x.name.name}` === subject);
  if (!t) return undefined;
  const dot = t.source.indexOf('.');
  return dot > 0 ? { schema: t.source.slice(0, dot), table: t.source.slice(dot + 1) } : { schema: 'public', table: t.source };
}

/** Why a refusal is expected: an error diagnostic on the table, or a refused table it references. */
export function refusalExcuse(r: Rejection, result: TranslateResult, refused: ReadonlySet<string> = new Set()): string | undefined {
  const src = sourceOf(r.subject, result);
  if (src) {
    const d = result.diagnostics.find((x) => x.severity === 'error' && x.subject?.table === src.table && (x.subject.database ?? 'public') === src.schema);
    if (d) return `${d.id}: ${d.message}`;
  }
  const t = result.tidb.tables.find((x) => `${x.name.database}.${x.name.name}` === r.subject);
  // Deferred foreign keys (ALTER TABLE ... ADD FOREIGN KEY after every table) count as the table's.
  const deferred = result.tidb.deferredForeignKeys.filter((d) => `${d.table.database}.${d.table.name}` === r.subject).map((d) => d.foreignKey);
  const parent = [...(t?.foreignKeys ?? []), ...deferred].map((f) => `${f.refTable.database}.${f.refTable.name}`).find((p) => refused.has(p));
  return parent !== undefined ? `references ${parent}, refused` : undefined;
}

/** Saves a counterexample as test/property-cases/<hash>.json; returns its path. */
export function saveServerCase(sql: string, c: Omit<ServerCase, 'sql'>): string {
  mkdirSync(PROPERTY_CASES, { recursive: true });
  const file = join(PROPERTY_CASES, `server-${createHash('sha256').update(sql).digest('hex').slice(0, 12)}.json`);
  writeFileSync(file, `${JSON.stringify({ ...c, sql }, null, 2)}\n`);
  return file;
}

export function savedServerCases(): { file: string; case: ServerCase }[] {
  let names: string[] = [];
  try {
    names = readdirSync(PROPERTY_CASES).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((f) => ({ file: f, case: JSON.parse(readFileSync(join(PROPERTY_CASES, f), 'utf8')) as ServerCase }));
}
