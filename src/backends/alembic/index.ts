/**
 * One Alembic revision file that creates the TiDB schema. It prints the TiDB IR only: every
 * type, default, key and option below is decided by the transform.
 *
 * SQLAlchemy constructs are used where SQLAlchemy's MySQL dialect renders the exact TiDB DDL;
 * for TiDB-only syntax the file carries small helpers (rendered only when used):
 *  - `TiDBType(spec)`: a column type SQLAlchemy has no class for (VECTOR), printed verbatim;
 *  - `TiDBColumnType(inner, options)`: a type followed by column options SQLAlchemy cannot express
 *    (AUTO_RANDOM, ON UPDATE without a default, AUTO_INCREMENT on a non-primary-key column);
 *  - `TiDBPrimaryKey(..., clustered=...)`: PRIMARY KEY with /*T![clustered_index] (NON)CLUSTERED *\/.
 * Expression, multi-valued and commented indexes, sequences and databases go through
 * `op.execute` with the exact TiDB SQL.
 *
 * Strings that SQLAlchemy parses as `text()` (op.execute, server_default, Computed, CHECK) have
 * their `:name` bind-parameter look-alikes escaped as `\:name`. Offline (`--sql`) output must be
 * produced with `dialect_opts={"paramstyle": "named"}` (Alembic's default env.py does this),
 * otherwise SQLAlchemy doubles `%` signs.
 */
import { createHash } from 'node:crypto';
import type {
  TidbColumn,
  TidbForeignKey,
  TidbIndex,
  TidbName,
  TidbSchema,
  TidbTable,
  TidbType,
} from '../../ir/tidb.js';
import { printCreateDatabase, printCreateSequence, printCreateView, printDefault, printKeyPart, quoteIdent, quoteString } from '../tidb/print.js';
import { bool, call, dict, kw, list, num, pyStr, type PyExpr, statement, str } from './pyformat.js';

export interface AlembicOptions {
  /** Revision id; default: 12 hex digits of a SHA-256 of the file content. */
  revision?: string;
  downRevision?: string | null;
  message?: string;
  sourceName: string;
  /**
   * Named in the docstring when given. pg2tidb's own outputs leave it out: the default revision id
   * hashes the file, so a version in it would give an unchanged schema a new revision on every upgrade.
   */
  generatorVersion?: string;
}

const INTEGER_BASES = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);

/** Escapes what `sqlalchemy.text()` would take for a bind parameter (same regex as SQLAlchemy). */
export function escapeTextBinds(sql: string): string {
  return sql.replace(/(?<![:\p{L}\p{N}_\\]):([\p{L}\p{N}_]+)(?!:)/gu, '\\:$1');
}

const textStr = (sql: string): PyExpr => str(escapeTextBinds(sql));

function qname(n: TidbName): string {
  return `${quoteIdent(n.database)}.${quoteIdent(n.name)}`;
}

interface Helpers {
  tidbType: boolean;
  columnType: boolean;
  primaryKey: boolean;
}

function typeExpr(t: TidbType, h: Helpers): PyExpr {
  const strOpts = [kw('charset', t.charset ? str(t.charset) : undefined), kw('collation', t.collation ? str(t.collation) : undefined)];
  const unsigned = kw('unsigned', t.unsigned ? bool(true) : undefined);
  const fsp = kw('fsp', t.fsp !== undefined && t.fsp > 0 ? num(t.fsp) : undefined);
  switch (t.base) {
    case 'TINYINT':
      return call('mysql.TINYINT', unsigned);
    case 'SMALLINT':
      return call('mysql.SMALLINT', unsigned);
    case 'INT':
      return call('mysql.INTEGER', unsigned);
    case 'BIGINT':
      return call('mysql.BIGINT', unsigned);
    case 'DECIMAL':
      // The TiDB printer spells out MySQL's implicit DECIMAL(10,0); so does this file.
      return call('mysql.DECIMAL', num(t.precision ?? 10), num(t.scale ?? 0), unsigned);
    case 'FLOAT':
      return call('mysql.FLOAT', unsigned);
    case 'DOUBLE':
      return call('mysql.DOUBLE', unsigned);
    case 'BOOLEAN':
      return call('mysql.TINYINT', num(1));
    case 'CHAR':
      return call('mysql.CHAR', num(t.length ?? 1), ...strOpts);
    case 'VARCHAR':
      return call('mysql.VARCHAR', num(t.length ?? 1), ...strOpts);
    case 'TEXT':
      return call('mysql.TEXT', ...strOpts);
    case 'MEDIUMTEXT':
      return call('mysql.MEDIUMTEXT', ...strOpts);
    case 'LONGTEXT':
      return call('mysql.LONGTEXT', ...strOpts);
    case 'BINARY':
      return call('mysql.BINARY', num(t.length ?? 1));
    case 'VARBINARY':
      return call('mysql.VARBINARY', num(t.length ?? 1));
    case 'BLOB':
      return call('mysql.BLOB');
    case 'MEDIUMBLOB':
      return call('mysql.MEDIUMBLOB');
    case 'LONGBLOB':
      return call('mysql.LONGBLOB');
    case 'JSON':
      return call('mysql.JSON');
    case 'DATE':
      return call('mysql.DATE');
    case 'TIME':
      return call('mysql.TIME', fsp);
    case 'DATETIME':
      return call('mysql.DATETIME', fsp);
    case 'TIMESTAMP':
      return call('mysql.TIMESTAMP', fsp);
    case 'YEAR':
      return call('mysql.YEAR');
    case 'BIT':
      return call('mysql.BIT', num(t.length ?? 1));
    case 'ENUM':
      return call('mysql.ENUM', ...(t.values ?? []).map(str), ...strOpts);
    case 'VECTOR':
      h.tidbType = true;
      return call('TiDBType', str(t.length !== undefined ? `VECTOR(${t.length})` : 'VECTOR'));
  }
}


function onUpdateSql(fsp: number): string {
  return fsp > 0 ? `ON UPDATE CURRENT_TIMESTAMP(${fsp})` : 'ON UPDATE CURRENT_TIMESTAMP';
}

function columnExpr(table: TidbTable, c: TidbColumn, h: Helpers): PyExpr {
  const pkCols = table.primaryKey?.columns ?? [];
  const inPk = pkCols.includes(c.name);
  let type = typeExpr(c.type, h);
  const extraOptions: string[] = [];
  let serverDefault: string | undefined = c.default ? printDefault(c.default) : undefined;
  if (c.onUpdateCurrentTimestamp) {
    // `server_default=text("X ON UPDATE ...")` is SQLAlchemy's documented idiom; without a default
    // the clause rides on the type instead (SQLAlchemy would otherwise print no ON UPDATE at all).
    if (serverDefault !== undefined) serverDefault += ' ' + onUpdateSql(c.onUpdateCurrentTimestamp.fsp);
    else extraOptions.push(onUpdateSql(c.onUpdateCurrentTimestamp.fsp));
  }
  // SQLAlchemy prints AUTO_INCREMENT only for the table's autoincrement primary-key column.
  const aiViaSqlAlchemy = c.autoIncrement === true && inPk;
  if (c.autoIncrement && !inPk) extraOptions.push('AUTO_INCREMENT');
  if (c.autoRandom) {
    const r = c.autoRandom;
    extraOptions.push(`/*T![auto_rand] AUTO_RANDOM(${r.shardBits}${r.rangeBits !== undefined ? `, ${r.rangeBits}` : ''}) */`);
  }
  if (extraOptions.length) {
    h.columnType = true;
    type = call('TiDBColumnType', type, str(extraOptions.join(' ')));
  }
  let autoincrement: PyExpr | undefined;
  if (aiViaSqlAlchemy) autoincrement = bool(true);
  else if (inPk && INTEGER_BASES.has(c.type.base)) autoincrement = bool(false); // stop SQLAlchemy's "auto"
  return call(
    'sa.Column',
    str(c.name),
    type,
    c.generated ? call('sa.Computed', textStr(c.generated.sql), kw('persisted', bool(c.generated.stored))) : undefined,
    kw('nullable', bool(c.nullable)),
    kw('server_default', serverDefault !== undefined ? call('sa.text', textStr(serverDefault)) : undefined),
    // Tells SQLAlchemy the server sets the value on UPDATE (the DDL itself rides on server_default).
    kw('server_onupdate', c.onUpdateCurrentTimestamp ? call('sa.FetchedValue') : undefined),
    kw('autoincrement', autoincrement),
    kw('comment', c.comment !== undefined ? str(c.comment) : undefined),
  );
}

function hasDot(...names: string[]): boolean {
  return names.some((n) => n.includes('.'));
}

/** An inline ForeignKeyConstraint needs "db.table.column" strings, which dotted names would break. */
function fkInline(fk: TidbForeignKey): boolean {
  return !hasDot(fk.refTable.database, fk.refTable.name, ...fk.refColumns);
}

function fkOptions(fk: TidbForeignKey) {
  return [
    kw('ondelete', fk.onDelete ? str(fk.onDelete) : undefined),
    kw('onupdate', fk.onUpdate ? str(fk.onUpdate) : undefined),
  ];
}

function createForeignKey(table: TidbName, fk: TidbForeignKey): PyExpr {
  return call(
    'op.create_foreign_key',
    str(fk.name),
    str(table.name),
    str(fk.refTable.name),
    list(fk.columns.map(str)),
    list(fk.refColumns.map(str)),
    ...fkOptions(fk),
    kw('source_schema', str(table.database)),
    kw('referent_schema', str(fk.refTable.database)),
  );
}

type IndexRoute = 'unique-constraint' | 'create-index' | 'execute';

function indexRoute(ix: TidbIndex): IndexRoute {
  const plain = ix.parts.every((p) => 'column' in p) && !ix.multiValued && ix.comment === undefined;
  if (!plain) return 'execute';
  if (ix.unique && ix.parts.every((p) => 'column' in p && p.length === undefined)) return 'unique-constraint';
  return 'create-index';
}

function indexSql(table: TidbName, ix: TidbIndex): string {
  let s = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(ix.name)} ON ${qname(table)} (${ix.parts.map(printKeyPart).join(', ')})`;
  if (ix.comment !== undefined) s += ` COMMENT ${quoteString(ix.comment)}`;
  return s;
}

function createTable(t: TidbTable, h: Helpers): { stmts: PyExpr[]; comments: string[] } {
  const items: (PyExpr | ReturnType<typeof kw>)[] = [str(t.name.name)];
  for (const c of t.columns) items.push(columnExpr(t, c, h));
  if (t.primaryKey) {
    h.primaryKey = true;
    items.push(
      call(
        'TiDBPrimaryKey',
        ...t.primaryKey.columns.map(str),
        kw('name', t.primaryKey.name !== undefined ? str(t.primaryKey.name) : undefined),
        kw('clustered', bool(t.primaryKey.clustered)),
      ),
    );
  }
  for (const ix of t.indexes) {
    if (indexRoute(ix) === 'unique-constraint') {
      items.push(call('sa.UniqueConstraint', ...ix.parts.map((p) => str('column' in p ? p.column : '')), kw('name', str(ix.name))));
    }
  }
  const after: PyExpr[] = [];
  // TiDB adds an index for a foreign key when CREATE TABLE has none starting with its columns.
  // tidb.sql declares every index inline; here only the key and UNIQUE constraints are, so an FK
  // whose covering index comes from op.create_index is added after it, as tidb.sql would behave.
  const columnsOf = (ix: TidbIndex) => ix.parts.map((p) => ('column' in p && p.length === undefined ? p.column : '\u0000'));
  const leads = (fk: TidbForeignKey, cols: readonly string[]) => fk.columns.every((c, i) => cols[i] === c);
  for (const fk of t.foreignKeys) {
    const inlineCovered = (t.primaryKey && leads(fk, t.primaryKey.columns)) || t.indexes.some((ix) => indexRoute(ix) === 'unique-constraint' && leads(fk, columnsOf(ix)));
    const laterCovered = t.indexes.some((ix) => indexRoute(ix) !== 'unique-constraint' && leads(fk, columnsOf(ix)));
    if (fkInline(fk) && (inlineCovered || !laterCovered)) {
      items.push(
        call(
          'sa.ForeignKeyConstraint',
          list(fk.columns.map(str)),
          list(fk.refColumns.map((c) => str(`${fk.refTable.database}.${fk.refTable.name}.${c}`))),
          kw('name', str(fk.name)),
          ...fkOptions(fk),
        ),
      );
    } else {
      after.push(createForeignKey(t.name, fk));
    }
  }
  for (const ck of t.checks) {
    items.push(call('sa.CheckConstraint', textStr(ck.sql), kw('name', ck.name !== undefined ? str(ck.name) : undefined)));
  }
  items.push(kw('schema', str(t.name.database)));
  items.push(kw('comment', t.comment !== undefined ? str(t.comment) : undefined));
  items.push(kw('mysql_auto_increment', t.autoIncrementStart !== undefined ? str(t.autoIncrementStart) : undefined));
  const p = t.partitioning;
  if (p) {
    let by = `${p.method} (${p.expr})`;
    if (p.partitions.length) {
      by += ` (${p.partitions.map((x) => `PARTITION ${quoteIdent(x.name)}${x.bound ? ' ' + x.bound : ''}`).join(', ')})`;
    }
    items.push(kw('mysql_partition_by', str(by)));
    if (!p.partitions.length && p.count !== undefined) items.push(kw('mysql_partitions', str(String(p.count))));
  }
  const stmts: PyExpr[] = [call('op.create_table', ...items)];
  for (const ix of t.indexes) {
    const route = indexRoute(ix);
    if (route === 'create-index') {
      const lengths = ix.parts.filter((p): p is { column: string; length: number } => 'column' in p && p.length !== undefined);
      stmts.push(
        call(
          'op.create_index',
          str(ix.name),
          str(t.name.name),
          list(ix.parts.map((p) => str('column' in p ? p.column : ''))),
          kw('unique', bool(ix.unique)),
          kw('schema', str(t.name.database)),
          kw('mysql_length', lengths.length ? dict(lengths.map((p) => [str(p.column), num(p.length)] as const)) : undefined),
        ),
      );
    } else if (route === 'execute') {
      stmts.push(call('op.execute', textStr(indexSql(t.name, ix))));
    }
  }
  stmts.push(...after);
  const comments = [`Table ${qname(t.name)} (from ${t.source})`];
  return { stmts, comments };
}

const HELPER_TIDB_TYPE = `class TiDBType(sa.types.UserDefinedType):
    """A TiDB column type that SQLAlchemy has no class for, printed verbatim."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw: Any) -> str:
        return self.spec`;

const HELPER_COLUMN_TYPE = `class TiDBColumnType(sa.types.UserDefinedType):
    """A column type followed by TiDB column options that SQLAlchemy cannot express."""

    cache_ok = True

    def __init__(self, inner: Any, options: str) -> None:
        self.inner = inner
        self.options = options


@compiles(TiDBColumnType)
def _compile_tidb_column_type(type_: TiDBColumnType, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(type_.inner, **kw)} {type_.options}"`;

const HELPER_PRIMARY_KEY = `class TiDBPrimaryKey(sa.PrimaryKeyConstraint):
    """A PRIMARY KEY that states TiDB's CLUSTERED or NONCLUSTERED choice."""

    def __init__(self, *columns: str, clustered: bool, **kw: Any) -> None:
        super().__init__(*columns, **kw)
        self.clustered = clustered


@compiles(TiDBPrimaryKey)
def _compile_tidb_primary_key(element: TiDBPrimaryKey, compiler: Any, **kw: Any) -> str:
    kind = "CLUSTERED" if element.clustered else "NONCLUSTERED"
    text = compiler.visit_primary_key_constraint(element, **kw)
    return f"{text} /*T![clustered_index] {kind} */"`;

function comment(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => `${pad}# ${l.replace(/[\u2028\u2029\u0085\f\v]/g, ' ')}`.trimEnd())
    .join('\n');
}

function docLine(s: string): string {
  // Keeps the docstring a plain, ruff-stable string: no quotes run, no escapes, no blank tails.
  return s
    .replace(/\\/g, '/')
    .replace(/"/g, "'")
    .replace(/[\u0000-\u001f\u007f\u2028\u2029\u0085]/g, ' ')
    .trim();
}

export function emitAlembic(schema: TidbSchema, options: AlembicOptions): string {
  const h: Helpers = { tidbType: false, columnType: false, primaryKey: false };
  const up: string[] = [];
  const down: string[] = [];
  const I = 4;

  for (const db of schema.databases) {
    up.push(
      comment(`Database ${quoteIdent(db.name)} (from ${db.source})`, I) +
        '\n' +
        statement(call('op.execute', textStr(printCreateDatabase(db, { ifNotExists: true }))), I),
    );
  }
  if (schema.sequences.length) {
    up.push(
      comment('Sequences', I) +
        '\n' +
        schema.sequences
          .map((seq) => statement(call('op.execute', textStr(printCreateSequence(seq, { ifNotExists: true }))), I))
          .join('\n'),
    );
  }
  for (const t of schema.tables) {
    const { stmts, comments } = createTable(t, h);
    up.push(comments.map((c) => comment(c, I)).join('\n') + '\n' + stmts.map((s) => statement(s, I)).join('\n'));
  }
  if (schema.deferredForeignKeys.length) {
    up.push(
      comment('Foreign keys that close a reference cycle, added once all tables exist.', I) +
        '\n' +
        schema.deferredForeignKeys.map((d) => statement(createForeignKey(d.table, d.foreignKey), I)).join('\n'),
    );
  }
  const views = schema.views ?? [];
  if (views.length) {
    up.push(
      comment('Views, after the tables, each after the views it reads.', I) +
        '\n' +
        views.map((v) => statement(call('op.execute', textStr(printCreateView(v))), I)).join('\n'),
    );
    down.push(
      [...views]
        .reverse()
        .map((v) => statement(call('op.execute', textStr(`DROP VIEW IF EXISTS ${qname(v.name)}`)), I))
        .join('\n'),
    );
  }

  if (schema.deferredForeignKeys.length) {
    down.push(
      [...schema.deferredForeignKeys]
        .reverse()
        .map((d) =>
          statement(
            call(
              'op.drop_constraint',
              str(d.foreignKey.name),
              str(d.table.name),
              kw('schema', str(d.table.database)),
              kw('type_', str('foreignkey')),
            ),
            I,
          ),
        )
        .join('\n'),
    );
  }
  if (schema.tables.length) {
    down.push(
      [...schema.tables]
        .reverse()
        .map((t) => statement(call('op.drop_table', str(t.name.name), kw('schema', str(t.name.database))), I))
        .join('\n'),
    );
  }
  if (schema.sequences.length) {
    down.push(
      [...schema.sequences]
        .reverse()
        .map((s) => statement(call('op.execute', textStr(`DROP SEQUENCE IF EXISTS ${qname(s.name)}`)), I))
        .join('\n'),
    );
  }
  for (const db of [...schema.databases].reverse()) {
    down.push(
      comment('Drops the whole database, including objects this revision did not create.', I) +
        '\n' +
        statement(call('op.execute', textStr(`DROP DATABASE IF EXISTS ${quoteIdent(db.name)}`)), I),
    );
  }

  const message = docLine(options.message ?? `Create the schema translated from ${options.sourceName}`) || 'pg2tidb';
  const downRevision = options.downRevision ?? null;
  const needCompiles = h.columnType || h.primaryKey;
  const needAny = h.tidbType || h.columnType || h.primaryKey;

  const build = (revision: string): string => {
    const parts: string[] = [];
    parts.push(
      `"""${message}\n\n` +
        `Revision ID: ${docLine(revision)}\n` +
        `Revises:${downRevision !== null ? ' ' + docLine(downRevision) : ''}\n` +
        `Generated by pg2tidb${options.generatorVersion ? ` ${docLine(options.generatorVersion)}` : ''} from ${docLine(options.sourceName)}.\n` +
        `Create Date is omitted so that the file is reproducible.\n"""`,
    );
    const imports = [`from typing import ${needAny ? 'Any, ' : ''}Sequence, Union`, '', 'import sqlalchemy as sa', 'from alembic import op'];
    imports.push('from sqlalchemy.dialects import mysql');
    if (needCompiles) imports.push('from sqlalchemy.ext.compiler import compiles');
    parts.push(imports.join('\n'));
    parts.push(
      [
        '# revision identifiers, used by Alembic.',
        `revision: str = ${pyStr(revision)}`,
        `down_revision: Union[str, None] = ${downRevision === null ? 'None' : pyStr(downRevision)}`,
        'branch_labels: Union[str, Sequence[str], None] = None',
        'depends_on: Union[str, Sequence[str], None] = None',
      ].join('\n'),
    );
    const helpers: string[] = [];
    if (h.tidbType) helpers.push(HELPER_TIDB_TYPE);
    if (h.columnType) helpers.push(HELPER_COLUMN_TYPE);
    if (h.primaryKey) helpers.push(HELPER_PRIMARY_KEY);
    const defs = [
      ...helpers,
      `def upgrade() -> None:\n${up.length ? up.join('\n\n') : '    pass'}`,
      `def downgrade() -> None:\n${down.length ? down.join('\n\n') : '    pass'}`,
    ];
    return parts.join('\n\n') + '\n\n\n' + defs.join('\n\n\n') + '\n';
  };

  let revision = options.revision;
  if (revision === undefined) {
    const digest = createHash('sha256').update(build('0'.repeat(12)), 'utf8').digest('hex');
    revision = digest.slice(0, 12);
  }
  return build(revision);
}
