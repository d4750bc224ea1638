import { columnSubject, tableSubject } from '../../diagnostics/subject.js';
import type { ColumnDef, Constraint, Node } from '@pgsql/types';
import type { CheckConstraint, Column, ExcludeConstraint, FkAction, ForeignKey, Identity, IndexKey, KeyConstraint } from '../../ir/schema.js';
import type { Locator } from './parse.js';
import { deparseNode, lowerExpr } from './expressions.js';
import type { Mutable, MTable, SchemaState } from './state.js';
import { lowerTypeName, stringOf } from './types.js';
import { chooseName, columnRefs, figureIndexColname, indexColumnNames, nameAddition } from './pg-names.js';

/**
 * Names an unnamed constraint as PostgreSQL would. Inside CREATE TABLE, PostgreSQL names the CHECKs
 * first, then the indexes behind PRIMARY KEY / UNIQUE / EXCLUDE, then the foreign keys, so the
 * naming waits for `state.nameDeferred()` at the end of the statement; elsewhere it happens now.
 */
function nameLater(state: SchemaState, target: { name?: string }, phase: 'check' | 'index' | 'fkey', choose: () => string): void {
  state.defer(phase, () => {
    target.name ??= choose();
  });
}

/** The name PostgreSQL gives an unnamed constraint of `table` (see pg-names.ts). */
function implicitName(state: SchemaState, table: MTable, kind: 'pkey' | 'key' | 'fkey' | 'check', columns: readonly string[]): string {
  const schema = table.name.schema ?? 'public';
  if (kind === 'pkey') return chooseName(state, schema, table.name.name, undefined, 'pkey', 'both');
  if (kind === 'key') return chooseName(state, schema, table.name.name, nameAddition(indexColumnNames(columns)), 'key', 'both');
  const name2 = kind === 'fkey' ? nameAddition(columns) : columns.length === 1 ? columns[0] : undefined;
  return chooseName(state, schema, table.name.name, name2, kind, 'constraint');
}

/** A CHECK is named after the column it reads when it reads exactly one. */
function checkColumns(c: Constraint): string[] {
  const refs = [...columnRefs(c.raw_expr)];
  return refs.length === 1 ? refs : [];
}

const FK_ACTIONS: Record<string, FkAction> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};

export function names(list: readonly Node[] | undefined): string[] {
  return (list ?? []).map((n) => stringOf(n));
}

export function defElemValue(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if ('Integer' in node) return String(node.Integer.ival ?? 0);
  if ('Float' in node) return node.Float.fval;
  if ('String' in node) return node.String.sval;
  if ('Boolean' in node) return String(node.Boolean.boolval ?? false);
  if ('TypeName' in node) return names(node.TypeName.names).filter((n) => n !== 'pg_catalog').join('.');
  if ('List' in node) return names(node.List.items).join('.');
  return undefined;
}

/** Sequence options (CREATE SEQUENCE and identity columns share them). */
export function sequenceOptions(options: readonly Node[] | undefined): {
  start?: string; increment?: string; minValue?: string; maxValue?: string; cache?: string; cycle?: boolean; dataType?: string; sequenceName?: string[]; ownedBy?: string[];
} {
  const out: ReturnType<typeof sequenceOptions> = {};
  for (const opt of options ?? []) {
    if (!('DefElem' in opt)) continue;
    const d = opt.DefElem;
    const value = defElemValue(d.arg);
    switch (d.defname) {
      case 'start': if (value !== undefined) out.start = value; break;
      case 'increment': if (value !== undefined) out.increment = value; break;
      case 'minvalue': if (value !== undefined) out.minValue = value; break;
      case 'maxvalue': if (value !== undefined) out.maxValue = value; break;
      case 'cache': if (value !== undefined) out.cache = value; break;
      case 'cycle': out.cycle = value !== 'false'; break;
      case 'as': if (value !== undefined) out.dataType = value; break;
      case 'sequence_name': if (d.arg && 'List' in d.arg) out.sequenceName = names(d.arg.List.items); break;
      case 'owned_by': if (d.arg && 'List' in d.arg) out.ownedBy = names(d.arg.List.items); break;
      default: break;
    }
  }
  return out;
}

export function identityFrom(c: Constraint, state: SchemaState): Identity {
  const opts = sequenceOptions(c.options);
  const seqName = opts.sequenceName;
  const identity: Mutable<Identity> = { kind: c.generated_when === 'a' ? 'always' : 'by-default' };
  if (seqName && seqName.length > 0) {
    const name = seqName[seqName.length - 1]!;
    identity.sequence = state.qualify(seqName.length > 1 ? seqName[seqName.length - 2] : undefined, name);
  }
  if (opts.start !== undefined) identity.start = opts.start;
  if (opts.increment !== undefined) identity.increment = opts.increment;
  if (opts.minValue !== undefined) identity.minValue = opts.minValue;
  if (opts.maxValue !== undefined) identity.maxValue = opts.maxValue;
  if (opts.cache !== undefined) identity.cache = opts.cache;
  if (opts.cycle !== undefined) identity.cycle = opts.cycle;
  return identity;
}

/** The constraint keyword that follows a constraint (DEFERRABLE ...) modifies the one before it. */
function applyAttribute(target: { deferrable?: boolean; initiallyDeferred?: boolean } | undefined, contype: string): void {
  if (!target) return;
  if (contype === 'CONSTR_ATTR_DEFERRABLE') target.deferrable = true;
  if (contype === 'CONSTR_ATTR_NOT_DEFERRABLE') target.deferrable = false;
  if (contype === 'CONSTR_ATTR_DEFERRED') target.initiallyDeferred = true;
}

export function foreignKeyFrom(c: Constraint, columns: string[], state: SchemaState, locator: Locator): Mutable<ForeignKey> {
  const pk = c.pktable;
  const fk: Mutable<ForeignKey> = {
    columns,
    refTable: state.qualify(pk?.schemaname, pk?.relname ?? ''),
    refColumns: names(c.pk_attrs),
    onDelete: FK_ACTIONS[c.fk_del_action ?? 'a'] ?? 'no action',
    onUpdate: FK_ACTIONS[c.fk_upd_action ?? 'a'] ?? 'no action',
    span: locator.at(c.location),
  };
  // A reference to an existing table resolves through the search path, not the creation schema.
  if (pk && pk.schemaname === undefined) {
    const found = state.lookup(state.tables, undefined, pk.relname ?? '');
    if (found) fk.refTable = found.value.name;
  }
  if (c.conname) fk.name = c.conname;
  if (c.fk_matchtype === 'f') fk.match = 'full';
  if (c.fk_matchtype === 'p') fk.match = 'partial';
  if (c.deferrable) fk.deferrable = true;
  if (c.initdeferred) fk.initiallyDeferred = true;
  if (c.skip_validation) fk.notValid = true;
  if (c.fk_with_period || c.pk_with_period) fk.period = true;
  return fk;
}

export function checkFrom(c: Constraint, locator: Locator): Mutable<CheckConstraint> {
  const check: Mutable<CheckConstraint> = { expr: lowerExpr(c.raw_expr), span: locator.at(c.location) };
  if (c.conname) check.name = c.conname;
  if (c.is_no_inherit) check.noInherit = true;
  if (c.skip_validation) check.notValid = true;
  return check;
}

export function keyFrom(c: Constraint, columns: string[], locator: Locator): Mutable<KeyConstraint> {
  const key: Mutable<KeyConstraint> = { columns, span: locator.at(c.location) };
  if (c.conname) key.name = c.conname;
  const include = names(c.including);
  if (include.length > 0) key.include = include;
  if (c.nulls_not_distinct) key.nullsNotDistinct = true;
  if (c.deferrable) key.deferrable = true;
  if (c.without_overlaps) key.withoutOverlaps = true;
  return key;
}

/** Lowers a column definition, adding its inline constraints to the table. */
export function lowerColumn(def: ColumnDef, table: MTable, state: SchemaState, locator: Locator): Mutable<Column> {
  const name = def.colname ?? '';
  const lowered = def.typeName ? lowerTypeName(def.typeName) : { type: { kind: 'unsupported' as const, raw: '' } };
  const column: Mutable<Column> = { name, type: lowered.type, notNull: false, span: locator.at(def.location) };
  if (lowered.serial) {
    column.identity = { kind: 'serial' };
    column.notNull = true;
  }
  const collation = def.collClause ? names(def.collClause.collname).join('.') : undefined;
  if (collation) column.collation = collation;
  let last: { deferrable?: boolean; initiallyDeferred?: boolean } | undefined;
  for (const node of def.constraints ?? []) {
    if (!('Constraint' in node)) continue;
    const c = node.Constraint;
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        column.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
        column.default = lowerExpr(c.raw_expr);
        column.defaultSpan = locator.at(c.location);
        break;
      case 'CONSTR_IDENTITY':
        column.identity = identityFrom(c, state);
        column.notNull = true;
        break;
      case 'CONSTR_GENERATED':
        column.generated = { expr: lowerExpr(c.raw_expr), stored: c.generated_kind !== 'v' };
        break;
      case 'CONSTR_PRIMARY': {
        const key = keyFrom(c, [name], locator);
        if (key.name === undefined) nameLater(state, key, 'index', () => implicitName(state, table, 'pkey', []));
        table.primaryKey = key;
        column.notNull = true;
        last = key;
        break;
      }
      case 'CONSTR_UNIQUE': {
        const key = keyFrom(c, [name], locator);
        if (key.name === undefined) nameLater(state, key, 'index', () => implicitName(state, table, 'key', [name, ...(key.include ?? [])]));
        table.uniques.push(key);
        last = key;
        break;
      }
      case 'CONSTR_FOREIGN': {
        const fk = foreignKeyFrom(c, [name], state, locator);
        if (fk.name === undefined) nameLater(state, fk, 'fkey', () => implicitName(state, table, 'fkey', [name]));
        table.foreignKeys.push(fk);
        last = fk;
        break;
      }
      case 'CONSTR_CHECK': {
        const check = checkFrom(c, locator);
        if (check.name === undefined) nameLater(state, check, 'check', () => implicitName(state, table, 'check', checkColumns(c)));
        table.checks.push(check);
        break;
      }
      case 'CONSTR_ATTR_DEFERRABLE':
      case 'CONSTR_ATTR_NOT_DEFERRABLE':
      case 'CONSTR_ATTR_DEFERRED':
      case 'CONSTR_ATTR_IMMEDIATE':
        applyAttribute(last, c.contype);
        break;
      default:
        state.note('unsupported-syntax', { reason: 'column-constraint', ...(c.contype ? { constraint: c.contype } : {}), column: name }, locator.at(c.location), columnSubject(table.name, name));
    }
  }
  return column;
}

/** Adds a table-level constraint (CREATE TABLE element or ALTER TABLE ADD CONSTRAINT). */
export function addTableConstraint(c: Constraint, table: MTable, state: SchemaState, locator: Locator): void {
  const subject = `${table.name.schema}.${table.name.name}`;
  switch (c.contype) {
    case 'CONSTR_PRIMARY': {
      const columns = names(c.keys);
      if (c.indexname) {
        const idx = table.indexes.findIndex((i) => i.name === c.indexname);
        if (idx >= 0) {
          columns.push(...table.indexes[idx]!.keys.map((k) => k.column ?? ''));
          table.indexes.splice(idx, 1);
        }
      }
      const pk = keyFrom(c, columns, locator);
      table.primaryKey = pk;
      // USING INDEX without a constraint name: the constraint takes the index's name.
      pk.name ??= c.indexname;
      if (pk.name === undefined) nameLater(state, pk, 'index', () => implicitName(state, table, 'pkey', []));
      for (const col of table.columns) if (columns.includes(col.name)) col.notNull = true;
      return;
    }
    case 'CONSTR_UNIQUE': {
      const columns = names(c.keys);
      if (c.indexname) {
        const idx = table.indexes.findIndex((i) => i.name === c.indexname);
        if (idx >= 0) {
          columns.push(...table.indexes[idx]!.keys.map((k) => k.column ?? ''));
          table.indexes.splice(idx, 1);
        }
      }
      const key = keyFrom(c, columns, locator);
      key.name ??= c.indexname;
      if (key.name === undefined) nameLater(state, key, 'index', () => implicitName(state, table, 'key', [...columns, ...(key.include ?? [])]));
      table.uniques.push(key);
      return;
    }
    case 'CONSTR_FOREIGN': {
      const fk = foreignKeyFrom(c, names(c.fk_attrs), state, locator);
      if (fk.name === undefined) nameLater(state, fk, 'fkey', () => implicitName(state, table, 'fkey', fk.columns));
      table.foreignKeys.push(fk);
      return;
    }
    case 'CONSTR_CHECK': {
      const check = checkFrom(c, locator);
      if (check.name === undefined) nameLater(state, check, 'check', () => implicitName(state, table, 'check', checkColumns(c)));
      table.checks.push(check);
      return;
    }
    case 'CONSTR_EXCLUSION': {
      const text = deparseNode({ Constraint: c } as Node);
      const elems = (c.exclusions ?? []).flatMap((e) => ('List' in e && e.List.items?.[0] && 'IndexElem' in e.List.items[0] ? [e.List.items[0].IndexElem] : []));
      const columns = [...elems.map((e) => e.indexcolname ?? e.name ?? figureIndexColname(e.expr)), ...names(c.including)];
      const exclude: Mutable<ExcludeConstraint> = {
        ...(c.conname ? { name: c.conname } : {}),
        text,
        method: c.access_method ?? 'btree',
        elements: exclusionElements(c),
        include: names(c.including),
        span: locator.at(c.location),
      };
      if (c.where_clause) exclude.where = lowerExpr(c.where_clause);
      if (exclude.name === undefined) nameLater(state, exclude, 'index', () => chooseName(state, table.name.schema ?? 'public', table.name.name, nameAddition(indexColumnNames(columns)), 'excl', 'both'));
      table.excludes.push(exclude);
      return;
    }
    case 'CONSTR_NOTNULL': {
      // PG 18 table-level NOT NULL constraints name one column.
      for (const colName of names(c.keys)) {
        const col = table.columns.find((x) => x.name === colName);
        if (col) col.notNull = true;
      }
      return;
    }
    default:
      state.note('unsupported-syntax', { reason: 'table-constraint', ...(c.contype ? { constraint: c.contype } : {}) }, locator.at(c.location), tableSubject(subject));
  }
}

/** EXCLUDE's elements: `(a WITH =)` is a List of the IndexElem and the operator's name. */
function exclusionElements(c: Constraint): Mutable<ExcludeConstraint['elements'][number]>[] {
  return (c.exclusions ?? []).flatMap((e) => {
    const [elemNode, opNode] = 'List' in e ? e.List.items ?? [] : [];
    if (!elemNode || !('IndexElem' in elemNode)) return [];
    const elem = elemNode.IndexElem;
    const operator = opNode && 'List' in opNode ? names(opNode.List.items).pop() ?? '' : '';
    const key: Mutable<IndexKey> = elem.name ? { column: elem.name } : { expr: lowerExpr(elem.expr) };
    if (elem.ordering === 'SORTBY_DESC') key.desc = true;
    const opclass = names(elem.opclass).join('.');
    if (opclass) key.opclass = opclass;
    const collation = names(elem.collation).join('.');
    if (collation) key.collation = collation;
    return [{ ...key, operator }];
  });
}
