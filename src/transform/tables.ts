
import type { PayloadOf } from '../diagnostics/catalogue.js';
import { columnSubject, tableObjectSubject, tableSubject } from '../diagnostics/subject.js';
import type { Column, ExcludeConstraint, Index, Table } from '../ir/schema.js';
import type { TidbCheck, TidbColumn, TidbIndex, TidbName, TidbPrimaryKey, TidbTable } from '../ir/tidb.js';
import type { ColumnType, Expr } from '../ir/types.js';
import { columnsOf } from '../ir/expr.js';
import { resolveColumnType, isLiteral } from './column-types.js';
import { display, key, type TransformContext } from './context.js';
import { translateDefault } from './defaults.js';
import { translateExpr } from './expressions.js';
import { fitKey, lowerIndex, MAX_INDEXES, type KeyToFit } from './indexes.js';
import { NameScope } from './names.js';
import { TIDB_LIMITS, TIDB_RESERVED_INDEX_NAMES } from './limits.js';
import { collationEffects } from './collation-equality.js';
import { applyOverride, overrideFor } from './apply-overrides.js';
import type { SequencePlan } from './sequences.js';
import { checkedComment } from './comments.js';
import { featureTarget, targetHas } from './features.js';
import { quoteIdent, quoteString } from '../sql/quote.js';

/** Column types whose defaults TiDB accepts only as expressions, and only from v8.0 (features.ts). */
const BLOB_JSON = new Set(['TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'TINYTEXT', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB', 'TINYBLOB', 'JSON']);

/** tidb.md §5.7: comment limits in bytes. */
const MAX_TABLE_COMMENT = 2048;
const MAX_COMMENT = 1024;

export interface TableBuild {
  readonly table: TidbTable;
  /** Keyed columns, for checks and FK alignment. */
  readonly pgTypes: Map<string, ColumnType>;
  /** The indexes lowered here, for the key-fitting pass. */
  readonly keys: ReadonlyMap<string, KeyToFit>;
}

/** Columns a table uses as keys: primary, unique, index, foreign-key and partition columns. */
export function keyedColumns(table: Table, referenced: ReadonlySet<string>): Set<string> {
  const keyed = new Set<string>();
  const tableKey = key(table.name);
  for (const c of table.primaryKey?.columns ?? []) keyed.add(c);
  for (const u of table.uniques) u.columns.forEach((c) => keyed.add(c));
  for (const f of table.foreignKeys) f.columns.forEach((c) => keyed.add(c));
  for (const i of table.indexes) {
    for (const k of i.keys) {
      if (k.column) keyed.add(k.column);
      if (k.expr) columnsOf(k.expr, keyed);
    }
    i.include.forEach((c) => keyed.add(c));
  }
  for (const k of table.partitionBy?.keys ?? []) if (k.column) keyed.add(k.column);
  for (const c of table.columns) if (referenced.has(`${tableKey}.${c.name}`)) keyed.add(c.name);
  return keyed;
}

export function buildTable(
  ctx: TransformContext,
  table: Table,
  referenced: ReadonlySet<string>,
  sequences: SequencePlan,
  checkNames: NameScope,
  fkNames: NameScope,
  name: TidbName,
): TableBuild {
  const d = ctx.diagnostics;
  const subject = display(table.name);
  const tableSubj = tableSubject(table.name);
  const keyed = keyedColumns(table, referenced);
  const pgTypes = new Map<string, ColumnType>();
  // Operand types for expressions (a generated column may name a later column).
  const exprCtx = { columnType: (n: string) => table.columns.find((c) => c.name === n)?.type };
  type Writable = { -readonly [K in keyof TidbColumn]: TidbColumn[K] };
  const columns: TidbColumn[] = [];
  const byName = new Map<string, Writable>();
  const columnNames = new NameScope();
  const checks: TidbCheck[] = [];
  let autoIncrementStart: string | undefined;
  let autoColumn: string | undefined;

  if (table.persistence !== 'permanent') d.add('table-persistence', { persistence: table.persistence }, { span: table.span, subject: tableSubj });
  if (table.options && table.options.length > 0) d.add('statement-ignored', { kind: 'storage-options', options: table.options }, { span: table.span, subject: tableSubj });
  if (table.inherits.length > 0) {
    d.add('inheritance', { parents: table.inherits.map(display) }, { span: table.span, subject: tableSubj });
  }

  // Column names ending in spaces were renamed already (rename.ts); what is left cannot be fixed here.
  for (const bad of [table.name.name, ...table.columns.map((c) => c.name)].filter((n) => /\s$/.test(n) || n === '' || [...n].length > TIDB_LIMITS.identifier)) {
    d.add('identifier-invalid', { identifier: bad, reason: bad === '' ? 'empty' : /\s$/.test(bad) ? 'trailing-space' : 'too-long' }, { span: table.span, subject: tableSubj, fix: 'Rename it in the source before translating.' });
  }
  const caseSeen = new Map<string, string>();
  for (const col of table.columns) {
    const colSubject = `${subject}.${col.name}`;
    const colSubj = columnSubject(table.name, col.name);
    const lower = col.name.toLowerCase();
    if (caseSeen.has(lower)) {
      d.add('name-collision', { kind: 'column', names: [caseSeen.get(lower)!, col.name] }, { span: col.span, subject: colSubj });
      continue;
    }
    caseSeen.set(lower, col.name);
    pgTypes.set(col.name, col.type);
    const usage = { keyed: keyed.has(col.name), literalDefault: isLiteral(col.default) };
    const builtin = resolveColumnType(ctx, col.type, usage);
    const override = overrideFor(ctx.options, { schema: table.name.schema ?? 'public', database: name.database, table: table.name.name, column: col.name, type: col.type, primaryKey: table.primaryKey?.columns.includes(col.name) ?? false, indexed: usage.keyed, hasDefault: col.default !== undefined });
    const resolved = applyOverride(builtin, override);
    for (const loss of resolved.losses) {
      const at = { span: col.span, subject: colSubj, fix: loss.fix };
      d.addNote(loss, at);
    }
    let type = resolved.type;
    if (col.collation) {
      const c = col.collation.replace(/^pg_catalog\./, '').replace(/"/g, '');
      if (c === 'C' || c === 'POSIX' || c === 'ucs_basic') {
        if (['CHAR', 'VARCHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM'].includes(type.base) && !type.collation) type = { ...type, collation: 'utf8mb4_bin' };
      } else if (c !== 'default') {
        d.add('collation-unmapped', { collation: col.collation }, { span: col.span, subject: colSubj });
      }
    }

    const domain = resolved.domain;
    // Our own length choice (a type-choice loss), unless an override set the type.
    const lengthChosen = !override?.type && resolved.losses.some((l) => l.id === 'type-choice');
    const notNull = col.notNull || (domain?.notNull ?? false);
    let column: Writable = {
      name: col.name,
      type,
      nullable: !notNull,
      origin: { column: col.name, pgType: col.type.raw, rule: resolved.rule, ...(override ? { override: override.index } : {}), ...(override?.type ? { builtin: { rule: builtin.rule, type: builtin.type } } : {}), ...(lengthChosen ? { lengthChosen: true as const } : {}), ...(col.span ? { span: col.span } : {}) },
    };
    const comment = checkedComment(ctx, col.comment, MAX_COMMENT, colSubject, col.span, colSubj);
    if (comment !== undefined) column.comment = comment;

    // Identity / serial / sequence defaults.
    const seqDecision = sequences.forColumn(table, col);
    if (seqDecision?.kind === 'auto-increment') {
      if (autoColumn !== undefined) {
        d.add('identity-lossy', { reason: 'second-auto-increment', autoIncrement: autoColumn }, { span: col.span, subject: colSubj });
      } else if (!['SMALLINT', 'INT', 'BIGINT', 'TINYINT'].includes(type.base)) {
        d.add('identity-lossy', { reason: 'not-integer', type: type.base }, { span: col.span, subject: colSubj });
      } else {
        autoColumn = col.name;
        column.nullable = false;
        const firstPk = table.primaryKey?.columns[0] === col.name;
        const autoRandom = ctx.options.autoRandom && type.base === 'BIGINT' && firstPk;
        if (autoRandom && !targetHas(ctx.options, 'autoRandom')) {
          d.add('target-feature', { reason: 'auto-random', feature: 'autoRandom', ...featureTarget(ctx.options) }, { span: col.span, subject: colSubj });
        }
        if (autoRandom && targetHas(ctx.options, 'autoRandom')) {
          column.autoRandom = { shardBits: 5 };
          d.add('identity-auto-random', { shardBits: column.autoRandom.shardBits }, { span: col.span, subject: colSubj });
        } else {
          column.autoIncrement = true;
          if (seqDecision.start !== undefined && seqDecision.start !== '1') autoIncrementStart = seqDecision.start;
        }
        for (const loss of seqDecision.losses) d.add('identity-lossy', loss, { span: col.span, subject: colSubj });
        if (column.autoIncrement) d.add('auto-increment-explicit', { from: col.identity?.kind === 'always' || col.identity?.kind === 'by-default' ? 'identity' : 'serial' }, { span: col.span, subject: colSubj });
      }
    } else if (seqDecision?.kind === 'sequence') {
      if (['SMALLINT', 'INT', 'BIGINT', 'TINYINT'].includes(type.base)) column.default = { kind: 'nextval', sequence: seqDecision.sequence };
      else d.add('default-dropped', { reason: 'sequence-non-integer', type: type.base }, { span: col.span, subject: colSubj });
    }

    if (col.generated) {
      const g = translateExpr(col.generated.expr, exprCtx);
      if (g.ok) column.generated = { sql: g.sql, stored: col.generated.stored };
      else d.add('generated-column', { why: g.reason }, { span: col.span, subject: colSubj, fix: 'Compute the value in the application.' });
    } else if (!seqDecision && !column.autoIncrement && !column.autoRandom) {
      const defaultExpr = col.default ?? domain?.default;
      if (override?.default !== undefined) {
        if (override.default) column.default = override.default;
      } else if (defaultExpr) {
        const decision = translateDefault(defaultExpr, type, resolved.isArray);
        if (decision.value) column.default = decision.value;
        // A VARCHAR chosen for unbounded text must hold its own default (TiDB error 1067).
        const literal = decision.value?.kind === 'literal' && /^'/.test(decision.value.sql) ? [...decision.value.sql.slice(1, -1).replace(/''/g, "'").replace(/\\(.)/g, '$1')].length : 0;
        if (column.type.base === 'VARCHAR' && column.type.length !== undefined && literal > column.type.length && !/^character varying\(|^character\(/.test(col.type.raw)) {
          column.type = { ...column.type, length: Math.min(literal, TIDB_LIMITS.varcharChars) };
        }
        if (decision.note) d.addNote(decision.note, { span: col.defaultSpan ?? col.span, subject: colSubj });
      }
    }
    // TEXT/BLOB/JSON defaults (always expressions) need a target that has them (features.ts).
    if (column.default?.kind === 'expression' && BLOB_JSON.has(column.type.base) && !targetHas(ctx.options, 'blobJsonDefault')) {
      d.add('target-feature', { reason: 'blob-json-default', feature: 'blobJsonDefault', ...featureTarget(ctx.options), expression: column.default.sql }, { span: col.defaultSpan ?? col.span, subject: colSubj, fix: 'Set the value in the application, or target a newer TiDB.' });
      delete column.default;
    }
    if (col.onUpdate) {
      const isNow = col.onUpdate.k === 'keyword' || (col.onUpdate.k === 'func' && col.onUpdate.name.toLowerCase() === 'now');
      if (isNow && (type.base === 'DATETIME' || type.base === 'TIMESTAMP')) column.onUpdateCurrentTimestamp = { fsp: type.fsp ?? 0 };
      else d.add('default-dropped', { reason: 'on-update' }, { span: col.span, subject: colSubj, fix: 'Set the value in the application.' });
    }
    if (resolved.enumCheck) {
      // Compared as bytes: the column's collation would let 'a  ' or 'A' pass for 'a ' (PAD SPACE, _ci).
      checks.push({ name: checkNames.claim(`${name.name}_${col.name}_enum`, { table: name.name, sourceTable: table.name, span: col.span }), sql: `CAST(${quoteIdent(col.name)} AS BINARY) IN (${resolved.enumCheck.map(quoteString).join(', ')})` });
    }
    for (const check of domain?.checks ?? []) {
      const t = translateExpr(check.expr, { valueColumn: col.name });
      if (t.ok) checks.push({ name: checkNames.claim(`${name.name}_${col.name}_${check.name ?? 'check'}`, { table: name.name, sourceTable: table.name, span: check.span }), sql: t.sql, ...(check.span ? { span: check.span } : {}) });
      else d.add('check-dropped', { reason: 'domain-untranslatable', domain: display(domain!.name), why: t.reason }, { span: check.span, subject: colSubj });
    }
    column = { ...column };
    columns.push(column);
    byName.set(column.name, column);
    columnNames.claim(column.name);
  }

  // Primary key.
  let primaryKey: TidbPrimaryKey | undefined;
  const indexNames = new NameScope({ log: ctx.renames, kind: 'index', database: name.database, table: name.name, sourceTable: table.name }, TIDB_RESERVED_INDEX_NAMES);
  if (table.primaryKey) {
    const pk = table.primaryKey;
    const parts = pk.columns.flatMap((c) => (byName.has(c) ? [{ column: c, type: byName.get(c)!.type, ...(byName.get(c)!.origin.lengthChosen ? { chosen: true } : {}) }] : []));
    const fitted = fitKey(parts);
    if (parts.length !== pk.columns.length) {
      d.add('index-dropped', { index: `primary key of ${subject}`, reason: 'primary-key-missing-column' }, { span: pk.span, subject: tableObjectSubject('constraint', table.name, pk.name ?? 'PRIMARY') });
    } else if (!fitted) {
      d.add('primary-key-too-long', {}, { span: pk.span, subject: tableObjectSubject('constraint', table.name, pk.name ?? 'PRIMARY') });
    } else if (fitted.prefixed) {
      // A clustered key cannot use prefixes: shorten the columns instead, so the key stays exact.
      for (const part of fitted.parts) {
        if (!('column' in part) || part.length === undefined) continue;
        const col = byName.get(part.column)!;
        const base = col.type.base === 'BINARY' || col.type.base === 'VARBINARY' ? col.type.base : col.type.base === 'CHAR' ? 'CHAR' : 'VARCHAR';
        d.add('index-key-too-long', { index: `primary key of ${subject}`, reason: 'primary-key-shortened', column: part.column, type: `${base}(${part.length})` }, { span: pk.span, subject: columnSubject(table.name, part.column) });
        col.type = { ...col.type, base, length: part.length };
        if (col.default?.kind === 'literal' && /^'/.test(col.default.sql) && [...col.default.sql.slice(1, -1).replace(/''/g, "'")].length > part.length) {
          d.add('default-dropped', { reason: 'key-shortened', type: `${base}(${part.length})` }, { span: pk.span, subject: columnSubject(table.name, part.column) });
          delete col.default;
        }
      }
      primaryKey = { columns: pk.columns, clustered: true, ...(pk.name ? { name: pk.name } : {}) };
    } else {
      primaryKey = { columns: pk.columns, clustered: true, ...(pk.name ? { name: pk.name } : {}) };
    }
    if (pk.withoutOverlaps) d.add('temporal-key', { constraint: `primary key ${pk.name ?? ''}`, kind: 'key', columns: pk.columns }, { span: pk.span, subject: tableObjectSubject('constraint', table.name, pk.name ?? 'PRIMARY') });
    if (pk.deferrable) d.add('fk-deferrable', { constraint: `primary key of ${subject}` }, { span: pk.span, subject: tableObjectSubject('constraint', table.name, pk.name ?? 'PRIMARY') });
    if (pk.include && pk.include.length > 0) d.add('index-include', { index: `primary key of ${subject}`, include: pk.include, reason: 'primary-key' }, { span: pk.span, subject: tableObjectSubject('constraint', table.name, pk.name ?? 'PRIMARY') });
    warnCollation(ctx, table, 'primary key', pk.columns, byName, pk.span);
    for (const c of pk.columns) {
      const col = byName.get(c);
      if (col) col.nullable = false;
    }
  }

  const indexes: TidbIndex[] = [];
  const input = {
    ctx,
    tableSubject: subject,
    columns: byName,
    pgTypes,
    names: indexNames,
    columnNames,
    addColumn: (c: TidbColumn) => columns.push(c),
    keys: new Map<string, KeyToFit>(),
  };
  for (const u of table.uniques) {
    const idx = lowerIndex({ unique: true, method: 'btree', keys: u.columns.map((c) => ({ column: c })), include: u.include ?? [], ...(u.name ? { name: u.name } : {}), ...(u.span ? { span: u.span } : {}), ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}) }, input, name.name);
    if (u.withoutOverlaps) d.add('temporal-key', { constraint: `unique constraint ${u.name ?? ''}`, kind: 'key', columns: u.columns }, { span: u.span, subject: tableObjectSubject('constraint', table.name, u.name) });
    if (u.deferrable) d.add('fk-deferrable', { constraint: `unique constraint ${u.name ?? ''} on ${subject}` }, { span: u.span, subject: tableObjectSubject('constraint', table.name, u.name) });
    if (idx) {
      indexes.push(idx);
      warnCollation(ctx, table, `unique key ${idx.name}`, u.columns, byName, u.span);
    }
  }
  // EXCLUDE with only `=` on a btree/hash index is exactly a (partial) UNIQUE index.
  for (const ex of table.excludes) {
    const unique = excludeAsUnique(ex);
    if (!unique) continue;
    const idx = lowerIndex(unique, input, name.name);
    if (idx) {
      indexes.push(idx);
      warnCollation(ctx, table, `unique key ${idx.name}`, unique.keys.flatMap((k) => (k.column ? [k.column] : [])), byName, ex.span);
    }
  }
  // Index order in CREATE TABLE has no meaning; sorting by name makes the output independent of statement order.
  const indexKey = (i: Table['indexes'][number]) => i.name ?? `\uffff${JSON.stringify({ ...i, span: undefined })}`;
  const sortedIndexes = [...table.indexes].sort((a, b) => (indexKey(a) < indexKey(b) ? -1 : indexKey(a) > indexKey(b) ? 1 : 0));
  for (const i of sortedIndexes) {
    const idx = lowerIndex(i, input, name.name);
    if (idx) {
      indexes.push(idx);
      if (i.unique) warnCollation(ctx, table, `unique index ${idx.name}`, i.keys.flatMap((k) => (k.column ? [k.column] : k.expr ? textKeyColumns(k.expr) : [])), byName, i.span);
    }
  }
  if (indexes.length > MAX_INDEXES) {
    d.add('too-many-indexes', { indexes: indexes.length, max: MAX_INDEXES, dropped: indexes.slice(MAX_INDEXES).map((i) => i.name) }, { span: table.span, subject: tableSubj });
    indexes.length = MAX_INDEXES;
  }

  for (const check of table.checks) {
    const t = translateExpr(check.expr, exprCtx);
    // Unnamed CHECKs are named here: TiDB's own `<table>_chk_<n>` can exceed 64 characters (error 1059).
    if (t.ok) checks.push({ name: checkNames.claim(check.name ?? `${name.name}_chk_${checks.length + 1}`, { table: name.name, sourceTable: table.name, span: check.span }), sql: t.sql, ...(check.span ? { span: check.span } : {}) });
    else d.add('check-dropped', { reason: 'untranslatable', constraint: `CHECK ${check.name ?? ''} on ${subject}`, why: t.reason }, { span: check.span, subject: tableObjectSubject('constraint', table.name, check.name), fix: 'Enforce the rule in the application or rewrite it with TiDB functions.' });
    if (check.notValid) d.add('constraint-not-valid', { constraint: `CHECK ${check.name ?? ''} on ${subject}`, kind: 'check' }, { span: check.span, subject: tableObjectSubject('constraint', table.name, check.name) });
  }
  for (const ex of table.excludes) {
    if (excludeAsUnique(ex)) continue;
    d.add('exclude-constraint', { constraint: `EXCLUDE constraint ${ex.name ?? ''} on ${subject}`, text: ex.text, ...excludeBlocker(ex) }, { span: ex.span, subject: tableObjectSubject('constraint', table.name, ex.name) });
  }

  // TiDB rejects a CHECK that reads an AUTO_INCREMENT column (error 3818).
  const autoColumns = columns.filter((c) => c.autoIncrement || c.autoRandom).map((c) => quoteIdent(c.name));
  for (let i = checks.length - 1; i >= 0; i--) {
    const hit = autoColumns.find((q) => checks[i]!.sql.includes(q));
    if (hit) {
      d.add('check-dropped', { reason: 'auto-increment', constraint: `CHECK ${checks[i]!.name ?? ''} on ${subject}`, column: hit }, { span: checks[i]!.span, subject: tableObjectSubject('constraint', table.name, checks[i]!.name) });
      checks.splice(i, 1);
    }
  }
  const tableComment = checkedComment(ctx, table.comment, MAX_TABLE_COMMENT, subject, table.span, tableSubj);
  const built: TidbTable = {
    name,
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    indexes,
    foreignKeys: [],
    checks,
    ...(tableComment !== undefined ? { comment: tableComment } : {}),
    ...(autoIncrementStart !== undefined ? { autoIncrementStart } : {}),
    source: display(table.name),
    ...(table.span ? { span: table.span } : {}),
  };
  void fkNames;
  return { table: built, pgTypes, keys: input.keys };
}

/**
 * Functions whose text result keeps its arguments' characters, so an expression key over them
 * compares under the columns' collation (found by the differential harness: `lower(c)` keeps 'é'
 * and 'e' apart in PostgreSQL, utf8mb4_unicode_ci makes them one key).
 */
const TEXT_KEEPING = new Set(['lower', 'upper', 'btrim', 'trim', 'ltrim', 'rtrim', 'substr', 'substring', 'left', 'right', 'concat', 'replace', 'coalesce']);

/** The columns whose characters an expression key holds (none for a number, length or hash of them). */
function textKeyColumns(e: Expr): string[] {
  if (e.k === 'column') return [e.name];
  if (e.k === 'func' && TEXT_KEEPING.has(e.name.toLowerCase())) return e.args.flatMap(textKeyColumns);
  if (e.k === 'coalesce') return e.args.flatMap(textKeyColumns);
  if (e.k === 'binary' && e.op === '||') return [...textKeyColumns(e.left), ...textKeyColumns(e.right)];
  if (e.k === 'cast' && e.type.kind === 'scalar' && ['text', 'character varying', 'character'].includes(e.type.name)) return textKeyColumns(e.expr);
  return [];
}

/** A text key under a case-insensitive or PAD SPACE collation treats more values as equal than PostgreSQL. */
function warnCollation(ctx: TransformContext, table: Table, what: string, cols: readonly string[], byName: Map<string, TidbColumn>, span: Column['span']): void {
  const effect = collationEffects(ctx, table, cols, byName);
  if (!effect) return;
  ctx.diagnostics.add('collation-equality', { key: what, columns: effect.columns, effects: effect.effects }, {
    span,
    subject: tableSubject(table.name),
  });
}


/**
 * A WITHOUT OVERLAPS key is kept as the equality key over the same columns: every set of rows
 * PostgreSQL accepts has no two equal periods for the same other columns, so TiDB accepts it too,
 * but TiDB no longer rejects overlapping periods.
 */
/** Index methods whose `=` exclusion is plain equality (PostgreSQL's btree and hash equality operators). */
const EQUALITY_EXCLUDE_METHODS = new Set(['btree', 'hash']);

/** An EXCLUDE constraint as the unique index it is equivalent to, when every operator is `=`. */
function excludeAsUnique(ex: ExcludeConstraint): Index | undefined {
  if (!EQUALITY_EXCLUDE_METHODS.has(ex.method.toLowerCase()) || ex.elements.length === 0 || ex.elements.some((e) => e.operator !== '=')) return undefined;
  const keys = ex.elements.map(({ operator: _operator, ...key }) => key);
  return { unique: true, method: 'btree', keys, include: ex.include, ...(ex.name ? { name: ex.name } : {}), ...(ex.where ? { where: ex.where } : {}), ...(ex.span ? { span: ex.span } : {}) };
}

/** What keeps an EXCLUDE constraint from being a unique index, for the report. */
/** Why an exclusion constraint is not plain equality, which a UNIQUE key could keep. */
function excludeBlocker(ex: ExcludeConstraint): Pick<PayloadOf<'exclude-constraint'>, 'blocker' | 'operator' | 'column' | 'method'> {
  if (ex.elements.length === 0) return { blocker: 'text-only' };
  const op = ex.elements.find((e) => e.operator !== '=');
  if (op) return { blocker: 'operator', operator: op.operator, ...(op.column !== undefined ? { column: op.column } : {}) };
  return { blocker: 'method', method: ex.method };
}
