import type {
  TidbColumn,
  TidbDatabase,
  TidbDefault,
  TidbForeignKey,
  TidbIndex,
  TidbKeyPart,
  TidbMaterializedView,
  TidbView,
  TidbName,
  TidbSequence,
  TidbTable,
} from '../../ir/tidb.js';
import { qualifiedName, quoteIdent, quoteString } from '../../sql/quote.js';
import { printType } from '../../sql/tidb-type.js';

export { quoteIdent, quoteString } from '../../sql/quote.js';
export { printType } from '../../sql/tidb-type.js';

/** Prints TidbSchema pieces as TiDB DDL. Decides nothing: every choice is in the IR. */

export function printDefault(d: TidbDefault, name?: (n: TidbName) => string): string {
  switch (d.kind) {
    case 'literal':
      return d.sql;
    case 'expression':
      return `(${d.sql})`;
    case 'current-timestamp':
      return d.fsp ? `CURRENT_TIMESTAMP(${d.fsp})` : 'CURRENT_TIMESTAMP';
    case 'nextval':
      return `NEXT VALUE FOR ${(name ?? sequenceName)(d.sequence)}`;
  }
}

function sequenceName(n: TidbName): string {
  return qualifiedName(n.database, n.name);
}

export function printColumn(c: TidbColumn): string {
  const parts = [quoteIdent(c.name), printType(c.type)];
  if (c.generated) parts.push(`AS (${c.generated.sql}) ${c.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  parts.push(c.nullable ? 'NULL' : 'NOT NULL');
  if (c.autoRandom) parts.push(`/*T![auto_rand] AUTO_RANDOM(${c.autoRandom.shardBits}${c.autoRandom.rangeBits !== undefined ? `, ${c.autoRandom.rangeBits}` : ''}) */`);
  if (c.autoIncrement) parts.push('AUTO_INCREMENT');
  if (c.default && !c.generated) parts.push(`DEFAULT ${printDefault(c.default)}`);
  if (c.onUpdateCurrentTimestamp) parts.push(`ON UPDATE ${c.onUpdateCurrentTimestamp.fsp ? `CURRENT_TIMESTAMP(${c.onUpdateCurrentTimestamp.fsp})` : 'CURRENT_TIMESTAMP'}`);
  if (c.comment !== undefined) parts.push(`COMMENT ${quoteString(c.comment)}`);
  return parts.join(' ');
}

export function printKeyPart(p: TidbKeyPart): string {
  if ('expr' in p) return `(${p.expr})`;
  return p.length !== undefined ? `${quoteIdent(p.column)}(${p.length})` : quoteIdent(p.column);
}

export function printIndex(i: TidbIndex): string {
  const kind = i.unique ? 'UNIQUE KEY' : 'KEY';
  const comment = i.comment !== undefined ? ` COMMENT ${quoteString(i.comment)}` : '';
  return `${kind} ${quoteIdent(i.name)} (${i.parts.map(printKeyPart).join(', ')})${comment}`;
}

/** `CREATE INDEX ... WHERE pred`: how a partial index (TiDB v8.5.7+) is created. */
export function printCreateIndex(table: TidbName, i: TidbIndex): string {
  const comment = i.comment !== undefined ? ` COMMENT ${quoteString(i.comment)}` : '';
  const where = i.where !== undefined ? ` WHERE ${i.where}` : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${qualifiedName(table.database, table.name)} (${i.parts.map(printKeyPart).join(', ')})${comment}${where}`;
}

export function printForeignKeyClause(fk: TidbForeignKey): string {
  let s = `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${fk.columns.map(quoteIdent).join(', ')}) REFERENCES ${qualifiedName(fk.refTable.database, fk.refTable.name)} (${fk.refColumns.map(quoteIdent).join(', ')})`;
  if (fk.onDelete) s += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) s += ` ON UPDATE ${fk.onUpdate}`;
  return s;
}

export function printCreateTable(t: TidbTable, opts: { ifNotExists?: boolean } = {}): string {
  const lines: string[] = t.columns.map(printColumn);
  if (t.primaryKey) {
    const cols = t.primaryKey.columns.map(quoteIdent).join(', ');
    lines.push(`PRIMARY KEY (${cols}) ${t.primaryKey.clustered ? '/*T![clustered_index] CLUSTERED */' : '/*T![clustered_index] NONCLUSTERED */'}`);
  }
  // Partial indexes cannot be declared inline (TiDB's grammar takes WHERE only in CREATE INDEX).
  for (const i of t.indexes) if (i.where === undefined) lines.push(printIndex(i));
  for (const fk of t.foreignKeys) lines.push(printForeignKeyClause(fk));
  for (const c of t.checks) lines.push(`${c.name ? `CONSTRAINT ${quoteIdent(c.name)} ` : ''}CHECK (${c.sql})`);
  let sql = `CREATE TABLE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(t.name.database, t.name.name)} (\n  ${lines.join(',\n  ')}\n)`;
  const options: string[] = [];
  if (t.autoIncrementStart !== undefined) options.push(`AUTO_INCREMENT = ${t.autoIncrementStart}`);
  if (t.comment !== undefined) options.push(`COMMENT = ${quoteString(t.comment)}`);
  if (options.length > 0) sql += ` ${options.join(' ')}`;
  if (t.partitioning) {
    const p = t.partitioning;
    sql += `\nPARTITION BY ${p.method} (${p.expr})`;
    if (p.count !== undefined && p.partitions.length === 0) sql += ` PARTITIONS ${p.count}`;
    else sql += ` (\n  ${p.partitions.map((x) => `PARTITION ${quoteIdent(x.name)} ${x.bound}`).join(',\n  ')}\n)`;
  }
  return sql;
}

export function printCreateDatabase(db: TidbDatabase, opts: { ifNotExists?: boolean } = {}): string {
  return `CREATE DATABASE ${opts.ifNotExists === false ? '' : 'IF NOT EXISTS '}${quoteIdent(db.name)} CHARACTER SET ${db.charset} COLLATE ${db.collation}`;
}

export function printCreateSequence(s: TidbSequence, opts: { ifNotExists?: boolean } = {}): string {
  const parts = [`CREATE SEQUENCE ${opts.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(s.name.database, s.name.name)}`];
  if (s.start !== undefined) parts.push(`START WITH ${s.start}`);
  if (s.increment !== undefined) parts.push(`INCREMENT BY ${s.increment}`);
  if (s.minValue !== undefined) parts.push(`MINVALUE ${s.minValue}`);
  if (s.maxValue !== undefined) parts.push(`MAXVALUE ${s.maxValue}`);
  if (s.cache !== undefined) parts.push(s.cache === '1' ? 'NOCACHE' : `CACHE ${s.cache}`);
  if (s.cycle) parts.push('CYCLE');
  return parts.join(' ');
}

export function printAddForeignKey(table: TidbName, fk: TidbForeignKey): string {
  return `ALTER TABLE ${qualifiedName(table.database, table.name)} ADD ${printForeignKeyClause(fk)}`;
}

export function printCreateView(v: TidbView): string {
  return `CREATE VIEW ${qualifiedName(v.name.database, v.name.name)} (${v.columns.map(quoteIdent).join(', ')}) AS ${v.sql}`;
}

/** The statements that refill a materialized view's table. */
export function printRefresh(m: TidbMaterializedView): string[] {
  const table = qualifiedName(m.table.database, m.table.name);
  return ['START TRANSACTION', `DELETE FROM ${table}`, `INSERT INTO ${table} (${m.columns.map(quoteIdent).join(', ')}) ${m.sql}`, 'COMMIT'];
}
