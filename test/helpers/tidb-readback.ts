// Reads a schema back from a real TiDB and compares it with what pg2tidb meant (TidbSchema).
//
// Used by test/tidb-execute.test.ts. Every table of `result.tidb` is read back through
// SHOW CREATE TABLE and information_schema (COLUMNS, STATISTICS, KEY_COLUMN_USAGE,
// REFERENTIAL_CONSTRAINTS, TIDB_CHECK_CONSTRAINTS, TABLES.TIDB_PK_TYPE, PARTITIONS), both
// sides are put into the same normal form, and every difference is reported. The only
// differences tolerated are the documented normalisations in NORMALISATIONS: each one is
// a way TiDB *displays* a definition, never a change of meaning.
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { TidbIndex, TidbSchema, TidbTable, TidbType } from '../../src/ir/tidb.js';
import { actualDefault, expectedCollation, expectedDefault, normExpr, readLiteral } from '../../src/verify/normalise.js';

/** How TiDB's display forms are reconciled with the IR; anything else that differs is a failure. */
export const NORMALISATIONS: readonly string[] = [
  'types: compared as information_schema.COLUMNS.COLUMN_TYPE; BOOLEAN displays as tinyint(1), TIME/DATETIME/TIMESTAMP with fsp 0 drop the "(0)"',
  'collation: a text column without an explicit collation takes its database default; CHARACTER SET ascii alone means ascii_bin; a COLLATE alone implies its character set',
  'literal defaults: TiDB stores them as text: quotes and escapes are removed, numbers compare numerically (0 = 0.00), TRUE/FALSE = 1/0, date-times are padded to the column fsp',
  'ENUM members are compared in COLUMN_TYPE display form: control characters shown as \\n \\r \\t \\0 \\Z \\b, a backslash shown raw (so the display is ambiguous; stored members were checked correct by hand)',
  'expression defaults, generated columns, expression key parts, CHECK clauses: compared case-insensitively (identifiers exactly) without whitespace, backquotes, parentheses and _utf8mb4 introducers, string literals decoded; a->\'p\' = json_extract(a,\'p\'), a->>\'p\' = json_unquote(json_extract(a,\'p\')), <> = !=',
  'nextval defaults display as nextval(`db`.`seq`); DEFAULT (CURRENT_DATE) and similar display bare (no DEFAULT_GENERATED)',
  'binary defaults are compared as hex bytes (BINARY(n) right-padded with 0x00)',
  'a primary-key column is NOT NULL even if the IR column says nullable (PRIMARY KEY implies NOT NULL in both databases)',
  'foreign keys: an omitted ON DELETE/ON UPDATE displays as NO ACTION; TiDB adds an index named after a foreign key whose columns no index starts with (allowed only then)',
  'primary key: its index is named PRIMARY whatever the constraint name; unnamed CHECKs are named <lower-cased table>_chk_<n>',
  'with tidb_enable_check_constraint OFF every CHECK is accepted and dropped: expected checks become none',
];

export interface ReadbackOptions {
  /** tidb_enable_check_constraint was ON when the tables were created. */
  readonly checksEnabled: boolean;
}

interface NormColumn {
  type: string;
  collation: string | null;
  nullable: boolean;
  default: string | null;
  autoIncrement: boolean;
  autoRandom: string | null;
  onUpdate: string | null;
  generated: string | null;
  comment: string;
}

interface NormTable {
  columns: Record<string, NormColumn>;
  columnOrder: string[];
  primaryKey: { columns: string[]; clustered: boolean } | null;
  indexes: Record<string, { unique: boolean; parts: string[]; comment: string }>;
  foreignKeys: Record<string, { columns: string[]; ref: string; refColumns: string[]; onDelete: string; onUpdate: string }>;
  checks: Record<string, string>;
  comment: string;
  partitioning: string | null;
}

// ---------------------------------------------------------------------------------------
// Normalisers shared by both sides: the definitions' normal form is pg2tidb verify's own
// (src/verify/normalise.ts), so the tests and the command accept the same display forms.

/** An ENUM member as COLUMN_TYPE displays it: control characters escaped, backslash raw. */
function enumDisplay(v: string): string {
  const back: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '\x1a': '\\Z', '\b': '\\b' };
  return v.replace(/[\n\r\t\0\x1a\b]/g, (c) => back[c]!);
}

/** `enum('a','b')` as a canonical string of its displayed members (only '' undone). */
function canonEnum(type: string): string {
  if (!/^enum\(/i.test(type)) return type;
  const values: string[] = [];
  for (let i = 5; i < type.length; ) {
    if (type[i] === "'") {
      const { value, end } = readLiteral(type, i, true);
      values.push(value);
      i = end;
    } else i++;
  }
  return `enum${JSON.stringify(values)}`;
}

function typeString(t: TidbType): string {
  let s: string;
  switch (t.base) {
    case 'BOOLEAN':
      s = 'tinyint(1)';
      break;
    case 'DECIMAL':
      s = `decimal(${t.precision ?? 10},${t.scale ?? 0})`;
      break;
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
    case 'BIT':
      s = `${t.base.toLowerCase()}(${t.length ?? 1})`;
      break;
    case 'VECTOR':
      s = t.length !== undefined ? `vector(${t.length})` : 'vector';
      break;
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      s = t.fsp ? `${t.base.toLowerCase()}(${t.fsp})` : t.base.toLowerCase();
      break;
    case 'ENUM':
      s = `enum${JSON.stringify((t.values ?? []).map(enumDisplay))}`;
      break;
    default:
      s = t.base.toLowerCase();
  }
  return t.unsigned ? `${s} unsigned` : s;
}

function indexParts(i: TidbIndex): string[] {
  return i.parts.map((p) => ('expr' in p ? `expr:${normExpr(p.expr)}` : p.length !== undefined ? `${p.column}(${p.length})` : p.column));
}

/** What `t` should look like once TiDB holds it. */
export function expectedTable(t: TidbTable, schema: TidbSchema, opts: ReadbackOptions): NormTable {
  const db = schema.databases.find((d) => d.name === t.name.database);
  const dbCollation = db?.collation ?? 'utf8mb4_bin';
  const columns: Record<string, NormColumn> = {};
  for (const c of t.columns) {
    columns[c.name] = {
      type: typeString(c.type),
      collation: expectedCollation(c.type, dbCollation),
      nullable: c.nullable && !(t.primaryKey?.columns.includes(c.name) ?? false),
      default: c.generated ? null : expectedDefault(c.default, c),
      autoIncrement: c.autoIncrement === true,
      autoRandom: c.autoRandom ? `${c.autoRandom.shardBits}${c.autoRandom.rangeBits !== undefined ? `,${c.autoRandom.rangeBits}` : ''}` : null,
      onUpdate: c.onUpdateCurrentTimestamp ? (c.onUpdateCurrentTimestamp.fsp ? `current_timestamp(${c.onUpdateCurrentTimestamp.fsp})` : 'current_timestamp') : null,
      generated: c.generated ? `${c.generated.stored ? 'stored' : 'virtual'}:${normExpr(c.generated.sql)}` : null,
      comment: c.comment ?? '',
    };
  }
  const indexes: NormTable['indexes'] = {};
  for (const i of t.indexes) indexes[i.name] = { unique: i.unique, parts: indexParts(i), comment: i.comment ?? '' };
  const fks = [
    ...t.foreignKeys,
    ...schema.deferredForeignKeys.filter((d) => d.table.database === t.name.database && d.table.name === t.name.name).map((d) => d.foreignKey),
  ];
  const foreignKeys: NormTable['foreignKeys'] = {};
  for (const f of fks) {
    foreignKeys[f.name] = {
      columns: [...f.columns],
      ref: `${f.refTable.database}.${f.refTable.name}`,
      refColumns: [...f.refColumns],
      onDelete: f.onDelete ?? 'NO ACTION',
      onUpdate: f.onUpdate ?? 'NO ACTION',
    };
    // TiDB's implicit index for a foreign key no index (or primary key) starts with.
    const covered =
      startsWith(t.primaryKey?.columns ?? [], f.columns) ||
      Object.values(indexes).some((i) => startsWith(i.parts, f.columns));
    if (!covered && !(f.name in indexes)) indexes[f.name] = { unique: false, parts: [...f.columns], comment: '' };
  }
  const checks: Record<string, string> = {};
  if (opts.checksEnabled) {
    let n = 0;
    for (const c of t.checks) {
      const name = c.name ?? `${t.name.name.toLowerCase()}_chk_${++n}`;
      checks[name] = normExpr(c.sql);
    }
  }
  return {
    columns,
    columnOrder: t.columns.map((c) => c.name),
    primaryKey: t.primaryKey ? { columns: [...t.primaryKey.columns], clustered: t.primaryKey.clustered } : null,
    indexes,
    foreignKeys,
    checks,
    comment: t.comment ?? '',
    partitioning: t.partitioning
      ? `${t.partitioning.method.replace(' COLUMNS', '')}:${t.partitioning.partitions.length > 0 ? t.partitioning.partitions.map((p) => p.name).join(',') : `#${t.partitioning.count ?? 1}`}`
      : null,
  };
}

function startsWith(list: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= list.length && prefix.every((c, n) => list[n] === c);
}

// ---------------------------------------------------------------------------------------
// The server side

async function q(conn: Connection, sql: string, params: unknown[] = []): Promise<RowDataPacket[]> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, params);
  return rows;
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** What TiDB holds for `db`.`table`. Also returns SHOW CREATE TABLE's text. */
export async function readTable(conn: Connection, db: string, table: string): Promise<{ table: NormTable; showCreate: string }> {
  const [sc] = await q(conn, `SHOW CREATE TABLE \`${db.replace(/`/g, '``')}\`.\`${table.replace(/`/g, '``')}\``);
  const showCreate = s(sc?.['Create Table']);
  const cols = await q(
    conn,
    `SELECT COLUMN_NAME n, COLUMN_TYPE t, DATA_TYPE b, IS_NULLABLE nl, COLUMN_DEFAULT d, HEX(COLUMN_DEFAULT) dh, EXTRA e, COLLATION_NAME co,
            COLUMN_COMMENT cm, GENERATION_EXPRESSION g
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [db, table],
  );
  const columns: Record<string, NormColumn> = {};
  for (const r of cols) {
    const name = s(r['n']);
    const extra = s(r['e']);
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/`/g, '``');
    const ar = new RegExp('^\\s*`' + esc + '`.*/\\*T!\\[auto_rand\\] AUTO_RANDOM\\((\\d+)(?:, ?(\\d+))?\\) \\*/', 'm').exec(showCreate);
    const onUpd = /on update (current_timestamp(?:\(\d\))?)/i.exec(extra);
    const gen = /(VIRTUAL|STORED) GENERATED/i.exec(extra);
    columns[name] = {
      type: canonEnum(s(r['t']).replace(/^[^']*/, (head) => head.toLowerCase())),
      collation: r['co'] === null ? null : s(r['co']),
      nullable: s(r['nl']) === 'YES',
      default: gen ? null : actualDefault(r['d'] === null ? null : s(r['d']), extra, { type: s(r['t']), base: s(r['b']).toLowerCase(), hex: s(r['dh']) }),
      autoIncrement: /auto_increment/i.test(extra),
      autoRandom: ar ? `${ar[1]}${ar[2] !== undefined && ar[2] !== '64' ? `,${ar[2]}` : ''}` : null,
      onUpdate: onUpd ? onUpd[1]!.toLowerCase() : null,
      generated: gen ? `${gen[1]!.toLowerCase()}:${normExpr(s(r['g']))}` : null,
      comment: s(r['cm']),
    };
  }
  const [tb] = await q(conn, `SELECT TIDB_PK_TYPE pk, TABLE_COMMENT c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, [db, table]);
  const stats = await q(
    conn,
    `SELECT INDEX_NAME i, NON_UNIQUE nu, SEQ_IN_INDEX sq, COLUMN_NAME c, SUB_PART sp, INDEX_COMMENT ic, EXPRESSION x
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [db, table],
  );
  const indexes: NormTable['indexes'] = {};
  let primaryKey: NormTable['primaryKey'] = null;
  for (const r of stats) {
    const name = s(r['i']);
    const part = r['x'] !== null && r['x'] !== undefined ? `expr:${normExpr(s(r['x']))}` : r['sp'] !== null ? `${s(r['c'])}(${s(r['sp'])})` : s(r['c']);
    if (name === 'PRIMARY') {
      primaryKey ??= { columns: [], clustered: s(tb?.['pk']) === 'CLUSTERED' };
      primaryKey.columns.push(part);
      continue;
    }
    const idx = (indexes[name] ??= { unique: s(r['nu']) === '0', parts: [], comment: s(r['ic']) });
    idx.parts.push(part);
  }
  const fkRows = await q(
    conn,
    `SELECT k.CONSTRAINT_NAME n, k.COLUMN_NAME c, k.REFERENCED_TABLE_SCHEMA rs, k.REFERENCED_TABLE_NAME rt, k.REFERENCED_COLUMN_NAME rc,
            r.DELETE_RULE del, r.UPDATE_RULE upd
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [db, table],
  );
  const foreignKeys: NormTable['foreignKeys'] = {};
  for (const r of fkRows) {
    const f = (foreignKeys[s(r['n'])] ??= { columns: [], ref: `${s(r['rs'])}.${s(r['rt'])}`, refColumns: [], onDelete: s(r['del']), onUpdate: s(r['upd']) });
    f.columns.push(s(r['c']));
    f.refColumns.push(s(r['rc']));
  }
  const chk = await q(
    conn,
    `SELECT CONSTRAINT_NAME n, CHECK_CLAUSE c FROM information_schema.TIDB_CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`,
    [db, table],
  );
  const checks: Record<string, string> = {};
  for (const r of chk) checks[s(r['n'])] = normExpr(s(r['c']));
  const parts = await q(
    conn,
    `SELECT PARTITION_NAME n, PARTITION_METHOD m FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION`,
    [db, table],
  );
  let partitioning: string | null = null;
  if (parts.length > 0) {
    const method = s(parts[0]!['m']).replace(' COLUMNS', '');
    const names = parts.map((p) => s(p['n']));
    const generated = names.every((n, i) => n === `p${i}`);
    partitioning = `${method}:${generated && (method === 'HASH' || method === 'KEY') ? `#${names.length}` : names.join(',')}`;
  }
  return {
    showCreate,
    table: {
      columns,
      columnOrder: cols.map((r) => s(r['n'])),
      primaryKey,
      indexes,
      foreignKeys,
      checks,
      comment: s(tb?.['c']),
      partitioning,
    },
  };
}

/** Differences between two normal forms, one line each, under `path`. */
function diff(expected: unknown, actual: unknown, path: string, out: string[]): void {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const k of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (!(k in a)) out.push(`${path}.${k}: missing on the server (expected ${JSON.stringify(e[k])})`);
      else if (!(k in e)) out.push(`${path}.${k}: unexpected on the server (${JSON.stringify(a[k])})`);
      else diff(e[k], a[k], `${path}.${k}`, out);
    }
    return;
  }
  out.push(`${path}: expected ${JSON.stringify(expected)}, server has ${JSON.stringify(actual)}`);
}

export interface ReadbackReport {
  readonly differences: string[];
  readonly tables: number;
  readonly showCreate: Record<string, string>;
}

/** Reads every table of `schema` back and lists every difference from what it should be. */
export async function compareWithServer(conn: Connection, schema: TidbSchema, opts: ReadbackOptions): Promise<ReadbackReport> {
  const differences: string[] = [];
  const showCreate: Record<string, string> = {};
  for (const t of schema.tables) {
    const label = `${t.name.database}.${t.name.name}`;
    const exists = await q(conn, `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`, [t.name.database, t.name.name]);
    if (exists.length === 0) {
      differences.push(`${label}: table missing on the server`);
      continue;
    }
    const actual = await readTable(conn, t.name.database, t.name.name);
    showCreate[label] = actual.showCreate;
    diff(expectedTable(t, schema, opts), actual.table, label, differences);
  }
  for (const sq of schema.sequences) {
    const rows = await q(conn, `SELECT 1 FROM information_schema.SEQUENCES WHERE SEQUENCE_SCHEMA = ? AND SEQUENCE_NAME = ?`, [sq.name.database, sq.name.name]);
    if (rows.length === 0) differences.push(`${sq.name.database}.${sq.name.name}: sequence missing on the server`);
  }
  for (const d of schema.databases) {
    const [row] = await q(conn, `SELECT DEFAULT_CHARACTER_SET_NAME cs, DEFAULT_COLLATION_NAME co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`, [d.name]);
    if (!row) differences.push(`${d.name}: database missing on the server`);
    else if (`${s(row['cs'])}/${s(row['co'])}` !== `${d.charset}/${d.collation}`) {
      differences.push(`${d.name}: expected ${d.charset}/${d.collation}, server has ${s(row['cs'])}/${s(row['co'])}`);
    }
  }
  return { differences, tables: schema.tables.length, showCreate };
}

// ---------------------------------------------------------------------------------------
// Execution

export interface Rejection {
  readonly subject: string;
  readonly kind: string;
  readonly sql: string;
  readonly errno: number;
  readonly message: string;
}

/** Executes statements one by one; returns the rejected ones (and keeps going). */
export async function executeStatements(
  conn: Connection,
  statements: readonly { sql: string; kind: string; subject: string }[],
): Promise<{ executed: number; rejections: Rejection[] }> {
  const rejections: Rejection[] = [];
  let executed = 0;
  for (const st of statements) {
    executed++;
    try {
      await conn.query(st.sql);
    } catch (err) {
      const e = err as { errno?: number; message?: string };
      rejections.push({ subject: st.subject, kind: st.kind, sql: st.sql, errno: e.errno ?? -1, message: e.message ?? String(err) });
    }
  }
  return { executed, rejections };
}

export function formatRejection(r: Rejection): string {
  return `${r.kind} ${r.subject}: TiDB error ${r.errno}: ${r.message}\n${r.sql}`;
}

/** Drops the databases a translation created. */
export async function dropDatabases(conn: Connection, schema: TidbSchema): Promise<void> {
  // Foreign keys may cross databases: drop without checking them.
  await conn.query('SET SESSION foreign_key_checks = 0');
  try {
    for (const d of schema.databases) await conn.query(`DROP DATABASE IF EXISTS \`${d.name.replace(/`/g, '``')}\``);
  } finally {
    await conn.query('SET SESSION foreign_key_checks = 1');
  }
}
