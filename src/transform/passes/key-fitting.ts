import { columnSubject, tableObjectSubject } from '../../diagnostics/subject.js';
import type { TidbColumn, TidbIndex, TidbKeyPart, TidbTable } from '../../ir/tidb.js';
import { display, key, type TransformContext } from '../context.js';
import { defaultFits } from '../default-fits.js';
import { fitKey, type KeyPartInput, type KeyToFit } from '../indexes.js';
import { referencedKeyTooLong } from './foreign-keys.js';
import { mapTables, type Built, type ParentIndexNeed, type Stage } from './stage.js';

/**
 * Key fitting: every index lowering left is fitted under 3072 bytes here, once, after foreign-key
 * alignment has settled the column types, so a reported prefix is the prefix that is emitted (fitting
 * before alignment reported prefixes a narrowed column no longer needs, and left prefixes longer
 * than the column: error 1089). A primary key lowering fitted is fitted again where alignment widened
 * its table (a key over 3072 bytes is refused, error 1071).
 */
export function fitKeys(stage: Stage, ctx: TransformContext): Stage {
  const fitted = mapTables(stage, (b) => {
    const k = key(b.source.name);
    const table = stage.widened.has(k) ? fitPrimaryKey(ctx, b) : b.table;
    const keys = stage.keysToFit.get(k);
    return keys ? fitIndexes(ctx, table, keys) : table;
  });
  return dropUnfittableReferences(fitted, ctx);
}

/**
 * A foreign key to a primary key is kept by the foreign-key pass whatever the key's width: the key is
 * fitted here, after alignment, so a grandchild's key to a primary key this pass shortens stays. Only a key
 * still over 3072 bytes once fitted (its primary key dropped) is dropped: its parent index would be refused (1071).
 */
function dropUnfittableReferences(stage: Stage, ctx: TransformContext): Stage {
  const tables = new Map(stage.tables.map((b) => [key(b.source.name), b.table]));
  const dropped = new Set<ParentIndexNeed>();
  for (const need of stage.parentIndexes) {
    const parent = tables.get(need.parent);
    const child = need.child !== undefined ? tables.get(need.child) : undefined;
    if (!child || need.child === undefined) continue;
    // TiDB indexes the child's columns whole too, so a declared length kept under alignment can outgrow
    // the key its parent was fitted to (VARCHAR(767) + BIGINT under VARCHAR(766) + BIGINT: 1071, 3076 bytes).
    const fk = child.foreignKeys.find((f) => f.name === need.foreignKey);
    const bytes = (parent ? referencedKeyTooLong(parent, need.columns) : undefined) ?? (fk ? referencedKeyTooLong(child, fk.columns) : undefined);
    if (bytes === undefined) continue;
    dropped.add(need);
    tables.set(need.child, { ...child, foreignKeys: child.foreignKeys.filter((f) => f.name !== need.foreignKey) });
    ctx.diagnostics.add('fk-dropped', { constraint: need.label, reason: 'key-too-long', bytes }, { ...need.at, fix: 'Shorten the key columns (varchar(768) at most for one utf8mb4 column).' });
  }
  if (dropped.size === 0) return stage;
  return { ...mapTables(stage, (b) => tables.get(key(b.source.name))!), parentIndexes: stage.parentIndexes.filter((n) => !dropped.has(n)) };
}

const alignedRule = (c: TidbColumn) => c.origin.rule.endsWith('->fk-aligned');

/**
 * A clustered key takes no prefixes, so its string columns are shortened, as lowering does. Columns that
 * kept their own type give way first; an aligned one is shortened only when that is not enough: tidb-server
 * v8.5 accepts a foreign key between VARCHAR (or VARBINARY, CHAR) columns of different lengths (measured:
 * VARCHAR(10) and VARCHAR(700) referencing VARCHAR(600); CHAR(20) referencing CHAR(200)).
 */
function fitPrimaryKey(ctx: TransformContext, b: Built): TidbTable {
  const { table, source } = b;
  const pk = table.primaryKey;
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const cols = pk?.columns.map((c) => byName.get(c)) ?? [];
  if (!pk || cols.length === 0 || cols.some((c) => !c)) return table;
  const parts = (keepAligned: boolean): KeyPartInput[] => cols.map((c) => ({ column: c!.name, type: c!.type, ...(keepAligned && alignedRule(c!) ? { fixed: true } : {}), ...(c!.origin.lengthChosen ? { chosen: true } : {}) }));
  const fitted = fitKey(parts(true)) ?? fitKey(parts(false));
  const subject = display(source.name);
  const span = source.primaryKey?.span;
  if (!fitted) {
    ctx.diagnostics.add('primary-key-too-long', { fkAligned: true }, { span, subject: tableObjectSubject('constraint', source.name, source.primaryKey?.name ?? 'PRIMARY') });
    const { primaryKey: _dropped, ...rest } = table;
    return rest;
  }
  if (!fitted.prefixed) return table;
  const lengths = new Map(fitted.parts.flatMap((p) => ('column' in p && p.length !== undefined ? [[p.column, p.length] as const] : [])));
  const columns = table.columns.map((col) => {
    const length = lengths.get(col.name);
    if (length === undefined) return col;
    const base = col.type.base === 'BINARY' || col.type.base === 'VARBINARY' || col.type.base === 'CHAR' ? col.type.base : 'VARCHAR';
    ctx.diagnostics.add('index-key-too-long', { index: `primary key of ${subject}`, reason: 'primary-key-shortened', column: col.name, type: `${base}(${length})` }, { span, subject: columnSubject(source.name, col.name) });
    const shortened: TidbColumn = { ...col, type: { ...col.type, base, length } };
    if (col.default?.kind !== 'literal' || defaultFits(col.default.sql, shortened.type)) return shortened;
    ctx.diagnostics.add('default-dropped', { reason: 'key-shortened', type: `${base}(${length})` }, { span, subject: columnSubject(source.name, col.name) });
    const { default: _dropped, ...rest } = shortened;
    return rest;
  });
  return { ...table, columns };
}

function fitIndexes(ctx: TransformContext, table: TidbTable, keys: ReadonlyMap<string, KeyToFit>): TidbTable {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  let changed = false;
  const indexes = table.indexes.flatMap((index): TidbIndex[] => {
    const fit = keys.get(index.name);
    const input = fit && !index.multiValued ? keyInput(index.parts, fit, byName) : undefined;
    if (!fit || !input) return [index];
    const fitted = fitKey(input);
    if (!fitted) {
      ctx.diagnostics.add('index-key-too-long', { index: fit.label, reason: 'dropped' }, fit.at);
      changed = true;
      return [];
    }
    const parts = fitted.parts.map((f, i) => ('expr' in index.parts[i]! ? index.parts[i]! : f));
    if (fitted.prefixed) {
      // A prefix on a column aligned with its parent: the alignment made the key too long.
      const aligned = parts.some((p) => 'column' in p && p.length !== undefined && byName.get(p.column)!.origin.rule.endsWith('->fk-aligned'));
      const label = aligned ? `index ${index.name} of ${table.source}` : fit.label;
      ctx.diagnostics.add('index-key-too-long', { index: label, reason: aligned ? 'fk-widened' : 'prefixed', ...(fit.unique ? { unique: true } : {}) }, fit.at);
    }
    if (JSON.stringify(parts) === JSON.stringify(index.parts)) return [index];
    changed = true;
    return [{ ...index, parts }];
  });
  return changed ? { ...table, indexes } : table;
}

/** The index's parts as fitKey takes them; undefined when a part is neither a known column nor a typed expression. */
function keyInput(parts: readonly TidbKeyPart[], fit: KeyToFit, byName: ReadonlyMap<string, TidbTable['columns'][number]>): KeyPartInput[] | undefined {
  const input: KeyPartInput[] = [];
  for (const [i, p] of parts.entries()) {
    if ('expr' in p) {
      const type = fit.expressionTypes[i];
      if (!type) return undefined;
      input.push({ column: `\u0000expr${i}`, type, fixed: true });
      continue;
    }
    const col = byName.get(p.column);
    if (!col) return undefined;
    input.push({ column: p.column, type: col.type, ...(p.length !== undefined ? { prefix: p.length } : {}), ...(col.origin.lengthChosen ? { chosen: true } : {}) });
  }
  return input;
}
