import { tableSubject } from '../../diagnostics/subject.js';
import type {
  AlterTableCmd,
  AlterTableStmt,
  CommentStmt,
  CreateStmt,
  IndexElem,
  IndexStmt,
  Node,
  PartitionBoundSpec,
  RangeVar,
  RenameStmt,
  DropStmt,
  CreateTrigStmt,
  CreateFunctionStmt,
  DoStmt,
} from '@pgsql/types';
import type { AggregateInfo, Index, IndexKey, OtherKind, PartitionBound, PgAstNode, RoutineInfo, TriggerInfo } from '../../ir/schema.js';
import type { SourceSpan } from '../../diagnostics/span.js';
import type { QualifiedName } from '../../ir/types.js';
import { addTableConstraint, defElemValue, identityFrom, lowerColumn, names, sequenceOptions } from './columns.js';
import { deparseNode, lowerExpr } from './expressions.js';
import { Locator, type ParsedStatement } from './parse.js';
import { routineDdl, sqlBodyDdl } from './routine-ddl.js';
import { LARGE_OBJECT_WRITES } from './data-forms.js';
import type { Mutable, MTable, SchemaState } from './state.js';
import { lowerTypeName } from './types.js';
import { chooseName, figureIndexColname, indexColumnNames, nameAddition } from './pg-names.js';
import { own } from '../../util/own.js';

type Handler = (node: never, state: SchemaState, locator: Locator) => void;

/** Statements recognised as not schema: which kind of input they are, and how to name them. */
const OTHER_STATEMENTS: Record<string, { kind: OtherKind; label: string; procedureLabel?: string }> = {
  VariableSetStmt: { kind: 'session-setting', label: 'SET' },
  VariableShowStmt: { kind: 'session-setting', label: 'SHOW' },
  AlterSystemStmt: { kind: 'session-setting', label: 'ALTER SYSTEM' },
  InsertStmt: { kind: 'data', label: 'INSERT' },
  UpdateStmt: { kind: 'data', label: 'UPDATE' },
  DeleteStmt: { kind: 'data', label: 'DELETE' },
  MergeStmt: { kind: 'data', label: 'MERGE' },
  CopyStmt: { kind: 'data', label: 'COPY' },
  TruncateStmt: { kind: 'data', label: 'TRUNCATE' },
  CreateFunctionStmt: { kind: 'function', label: 'CREATE FUNCTION', procedureLabel: 'CREATE PROCEDURE' },
  AlterFunctionStmt: { kind: 'function', label: 'ALTER FUNCTION' },
  DoStmt: { kind: 'function', label: 'DO' },
  CreatePLangStmt: { kind: 'function', label: 'CREATE LANGUAGE' },
  CreateTrigStmt: { kind: 'trigger', label: 'CREATE TRIGGER' },
  CreateEventTrigStmt: { kind: 'event-trigger', label: 'CREATE EVENT TRIGGER' },
  AlterEventTrigStmt: { kind: 'event-trigger', label: 'ALTER EVENT TRIGGER' },
  CreatePolicyStmt: { kind: 'policy', label: 'CREATE POLICY' },
  AlterPolicyStmt: { kind: 'policy', label: 'ALTER POLICY' },
  RuleStmt: { kind: 'rule', label: 'CREATE RULE' },
  GrantStmt: { kind: 'privilege', label: 'GRANT' },
  GrantRoleStmt: { kind: 'privilege', label: 'GRANT ROLE' },
  AlterDefaultPrivilegesStmt: { kind: 'privilege', label: 'ALTER DEFAULT PRIVILEGES' },
  AlterOwnerStmt: { kind: 'ownership', label: 'OWNER TO' },
  ReassignOwnedStmt: { kind: 'ownership', label: 'REASSIGN OWNED' },
  CreateRoleStmt: { kind: 'role', label: 'CREATE ROLE' },
  AlterRoleStmt: { kind: 'role', label: 'ALTER ROLE' },
  AlterRoleSetStmt: { kind: 'role', label: 'ALTER ROLE SET' },
  DropRoleStmt: { kind: 'role', label: 'DROP ROLE' },
  CreatedbStmt: { kind: 'database', label: 'CREATE DATABASE' },
  AlterDatabaseStmt: { kind: 'database', label: 'ALTER DATABASE' },
  AlterDatabaseSetStmt: { kind: 'database', label: 'ALTER DATABASE SET' },
  DropdbStmt: { kind: 'database', label: 'DROP DATABASE' },
  TransactionStmt: { kind: 'transaction', label: 'transaction control' },
  CreateCastStmt: { kind: 'cast', label: 'CREATE CAST' },
  CreateOpClassStmt: { kind: 'operator', label: 'CREATE OPERATOR CLASS' },
  CreateOpFamilyStmt: { kind: 'operator', label: 'CREATE OPERATOR FAMILY' },
  AlterOpFamilyStmt: { kind: 'operator', label: 'ALTER OPERATOR FAMILY' },
  AlterOperatorStmt: { kind: 'operator', label: 'ALTER OPERATOR' },
  CreateConversionStmt: { kind: 'other', label: 'CREATE CONVERSION' },
  CreateFdwStmt: { kind: 'foreign-data', label: 'CREATE FOREIGN DATA WRAPPER' },
  CreateForeignServerStmt: { kind: 'foreign-data', label: 'CREATE SERVER' },
  CreateUserMappingStmt: { kind: 'foreign-data', label: 'CREATE USER MAPPING' },
  CreateForeignTableStmt: { kind: 'foreign-data', label: 'CREATE FOREIGN TABLE' },
  ImportForeignSchemaStmt: { kind: 'foreign-data', label: 'IMPORT FOREIGN SCHEMA' },
  CreatePublicationStmt: { kind: 'publication', label: 'CREATE PUBLICATION' },
  AlterPublicationStmt: { kind: 'publication', label: 'ALTER PUBLICATION' },
  CreateSubscriptionStmt: { kind: 'publication', label: 'CREATE SUBSCRIPTION' },
  CreateStatsStmt: { kind: 'statistics', label: 'CREATE STATISTICS' },
  CreateRangeStmt: { kind: 'other', label: 'CREATE TYPE AS RANGE' },
  CreateTableSpaceStmt: { kind: 'other', label: 'CREATE TABLESPACE' },
  CreateAmStmt: { kind: 'other', label: 'CREATE ACCESS METHOD' },
  AlterExtensionStmt: { kind: 'other', label: 'ALTER EXTENSION' },
  AlterExtensionContentsStmt: { kind: 'other', label: 'ALTER EXTENSION' },
  SecLabelStmt: { kind: 'other', label: 'SECURITY LABEL' },
  AlterTSConfigurationStmt: { kind: 'text-search', label: 'ALTER TEXT SEARCH CONFIGURATION' },
  AlterTSDictionaryStmt: { kind: 'text-search', label: 'ALTER TEXT SEARCH DICTIONARY' },
  AlterDomainStmt: { kind: 'alter-other', label: 'ALTER DOMAIN' },
  AlterTypeStmt: { kind: 'alter-other', label: 'ALTER TYPE' },
  AlterObjectSchemaStmt: { kind: 'alter-other', label: 'ALTER ... SET SCHEMA' },
  AlterCollationStmt: { kind: 'collation', label: 'ALTER COLLATION' },
  ClusterStmt: { kind: 'other', label: 'CLUSTER' },
  VacuumStmt: { kind: 'other', label: 'VACUUM/ANALYZE' },
  ReindexStmt: { kind: 'other', label: 'REINDEX' },
  CheckPointStmt: { kind: 'other', label: 'CHECKPOINT' },
  NotifyStmt: { kind: 'other', label: 'NOTIFY' },
  ListenStmt: { kind: 'other', label: 'LISTEN' },
  LockStmt: { kind: 'other', label: 'LOCK' },
  RefreshMatViewStmt: { kind: 'data', label: 'REFRESH MATERIALIZED VIEW' },
  ExplainStmt: { kind: 'select', label: 'EXPLAIN' },
  CallStmt: { kind: 'function', label: 'CALL' },
  DiscardStmt: { kind: 'session-setting', label: 'DISCARD' },
  DeallocateStmt: { kind: 'session-setting', label: 'DEALLOCATE' },
  PrepareStmt: { kind: 'session-setting', label: 'PREPARE' },
  ExecuteStmt: { kind: 'function', label: 'EXECUTE' },
};

const DEFINE_KINDS: Record<string, { kind: OtherKind; label: string }> = {
  OBJECT_AGGREGATE: { kind: 'aggregate', label: 'CREATE AGGREGATE' },
  OBJECT_OPERATOR: { kind: 'operator', label: 'CREATE OPERATOR' },
  OBJECT_TYPE: { kind: 'other', label: 'CREATE TYPE' },
  OBJECT_COLLATION: { kind: 'collation', label: 'CREATE COLLATION' },
  OBJECT_TSDICTIONARY: { kind: 'text-search', label: 'CREATE TEXT SEARCH DICTIONARY' },
  OBJECT_TSCONFIGURATION: { kind: 'text-search', label: 'CREATE TEXT SEARCH CONFIGURATION' },
  OBJECT_TSPARSER: { kind: 'text-search', label: 'CREATE TEXT SEARCH PARSER' },
  OBJECT_TSTEMPLATE: { kind: 'text-search', label: 'CREATE TEXT SEARCH TEMPLATE' },
};

export function lowerStatement(stmt: ParsedStatement, state: SchemaState): void {
  const node = stmt.node as Record<string, unknown>;
  const type = Object.keys(node)[0] ?? '';
  const body = node[type];
  const handler = own(HANDLERS, type);
  if (handler) {
    handler(body as never, state, stmt.locator);
    return;
  }
  const other = own(OTHER_STATEMENTS, type);
  if (other) {
    if (type === 'DoStmt' && lowerStraightDo(body as DoStmt, state, stmt.locator)) return;
    const label = other.procedureLabel !== undefined && (body as { is_procedure?: boolean }).is_procedure ? other.procedureLabel : other.label;
    state.other({ kind: other.kind, statement: label, span: stmt.locator.statement(), ...objectName(type, body), ...routineParts(type, body, state) });
    if (type === 'DoStmt' || type === 'CreateFunctionStmt') noteRoutineDdl(type, body as DoStmt & CreateFunctionStmt, state, stmt.locator);
    return;
  }
  state.other({ kind: 'other', statement: type.replace(/Stmt$/, ''), span: stmt.locator.statement() });
}

/** A PL/pgSQL body's text and language (`DO` defaults to plpgsql), from the statement's options. */
function routineBody(type: string, body: DoStmt & CreateFunctionStmt): { src?: string; language: string } {
  const opts = (type === 'DoStmt' ? body.args : body.options) ?? [];
  const opt = (n: string) => opts.map((o) => ('DefElem' in o ? o.DefElem : undefined)).find((o) => o?.defname === n);
  const as = opt('as')?.arg;
  const src = as && 'List' in as ? defElemValue(as.List.items?.[0]) : defElemValue(as);
  return { ...(src !== undefined ? { src } : {}), language: (defElemValue(opt('language')?.arg) ?? (type === 'DoStmt' ? 'plpgsql' : 'sql')).toLowerCase() };
}

/** The 1-based line of the statement's text a character offset is on. */
const lineOf = (text: string, at: number): number => text.slice(0, at).split('\n').length;
function lineStart(text: string, line: number): number {
  let at = 0;
  for (let l = 1; l < line && at >= 0; l++) at = text.indexOf('\n', at) + 1 || -1;
  return Math.max(0, at);
}

/** The DDL a DO block or PL/pgSQL function runs, one dynamic-ddl note per object it names. */
function noteRoutineDdl(type: string, body: DoStmt & CreateFunctionStmt, state: SchemaState, locator: Locator): void {
  const { src, language } = routineBody(type, body);
  if (src === undefined || (language !== 'plpgsql' && language !== 'sql')) return;
  const at = locator.text.indexOf(src);
  const qualify = (schema: string | undefined, name: string) => state.qualify(schema, name);
  const ddl = language === 'sql' ? sqlBodyDdl(src, qualify, at >= 0 ? lineOf(locator.text, at) : 1) : routineDdl(locator.text, qualify, at >= 0 ? lineOf(locator.text, at) : 1)?.ddl;
  if (!ddl) return;
  const fn = type === 'CreateFunctionStmt' ? qualifiedParts(names(body.funcname), state) : undefined;
  for (const d of ddl) {
    state.note(
      'dynamic-ddl',
      {
        statement: d.statement,
        routine: fn === undefined ? 'do' : body.is_procedure ? 'procedure' : 'function',
        ...(fn ? { routineName: `${fn.schema}.${fn.name}` } : {}),
        ...(language === 'sql' ? { language } : {}),
        dynamic: d.dynamic,
        pattern: d.pattern,
        ...(d.range ? { from: d.range.from, to: d.range.to } : {}),
      },
      at >= 0 ? locator.atChar(lineStart(locator.text, d.line)) : locator.statement(),
      d.subject,
    );
  }
}

/**
 * A DO block of static SQL only (routine-ddl.ts `straight`) runs exactly its statements: they are
 * read as top-level statements, each with its own place in the file. False when it is anything else.
 */
function lowerStraightDo(body: DoStmt, state: SchemaState, locator: Locator): boolean {
  const { src, language } = routineBody('DoStmt', body as DoStmt & CreateFunctionStmt);
  if (src === undefined || language !== 'plpgsql') return false;
  const bodyAt = locator.text.indexOf(src);
  if (bodyAt < 0) return false;
  const read = routineDdl(locator.text, (schema, name) => state.qualify(schema, name), lineOf(locator.text, bodyAt));
  const straight = read?.straight;
  if (!straight) return false;
  let from = bodyAt;
  const placed: ParsedStatement[] = [];
  for (const s of straight) {
    const at = locator.text.indexOf(s.text, from);
    if (at < 0) return false;
    placed.push({ node: s.node, locator: new Locator(locator.lines, locator.base + at, s.text) });
    from = at + s.text.length;
  }
  state.note('do-block-translated', { statements: placed.length, ...(read.ignored?.length ? { ignored: read.ignored } : {}) }, locator.statement(), { kind: 'statement', name: 'DO' });
  for (const p of placed) {
    applySessionSetting(p, state);
    lowerStatement(p, state);
  }
  return true;
}

function rangeVarName(rv: RangeVar | undefined): string | undefined {
  if (!rv) return undefined;
  return rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
}

function qualifiedParts(parts: readonly string[], state: SchemaState): QualifiedName {
  return state.qualify(parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? '');
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h): TRIGGER_TYPE_BEFORE 2, INSTEAD 64; events INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
const TRIGGER_EVENTS = [[4, 'insert'], [8, 'delete'], [16, 'update'], [32, 'truncate']] as const;

/** The trigger's shape or the routine's body, for transform's trigger patterns. */
function routineParts(type: string, body: unknown, state: SchemaState): { trigger?: TriggerInfo; routine?: RoutineInfo } {
  if (type === 'CreateTrigStmt') {
    const t = body as CreateTrigStmt;
    if (!t.relation) return {};
    const bits = t.events ?? 0;
    return {
      trigger: {
        table: qualified(t.relation, state),
        timing: (t.timing ?? 0) & 2 ? 'before' : (t.timing ?? 0) & 64 ? 'instead-of' : 'after',
        events: TRIGGER_EVENTS.filter(([bit]) => bits & bit).map(([, e]) => e),
        forEachRow: t.row === true,
        function: qualifiedParts(names(t.funcname), state),
        columns: names(t.columns),
        hasWhen: t.whenClause !== undefined,
      },
    };
  }
  if (type === 'CreateFunctionStmt') {
    const f = body as CreateFunctionStmt;
    const opt = (n: string) => (f.options ?? []).map((o) => ('DefElem' in o ? o.DefElem : undefined)).find((o) => o?.defname === n);
    const as = opt('as')?.arg;
    const src = as && 'List' in as ? defElemValue(as.List.items?.[0]) : defElemValue(as);
    const language = defElemValue(opt('language')?.arg);
    const returns = names(f.returnType?.names).filter((n) => n !== 'pg_catalog').join('.');
    return { routine: { name: qualifiedParts(names(f.funcname), state), ...(language ? { language } : {}), ...(src !== undefined ? { body: src } : {}), returnsTrigger: returns === 'trigger' } };
  }
  return {};
}

/** A display name for a statement that is only reported. */
function objectName(type: string, body: unknown): { name?: string } {
  const b = body as Record<string, unknown>;
  let name: string | undefined;
  if (type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'CopyStmt' || type === 'MergeStmt') {
    name = rangeVarName(b.relation as RangeVar | undefined);
  } else if (type === 'CreateFunctionStmt') {
    name = names(b.funcname as Node[]).join('.');
  } else if (type === 'CreateTrigStmt' || type === 'CreatePolicyStmt' || type === 'RuleStmt') {
    const own = (b.trigname ?? b.policy_name ?? b.rulename) as string | undefined;
    const rel = rangeVarName(b.relation as RangeVar | undefined) ?? rangeVarName(b.table as RangeVar | undefined);
    name = own && rel ? `${own} on ${rel}` : own ?? rel;
  } else if (type === 'VariableSetStmt') {
    name = b.name as string | undefined;
  } else if (type === 'AlterOwnerStmt') {
    const obj = b.object as Node | undefined;
    name = obj ? nameFromObject(obj) : undefined;
  }
  return name ? { name } : {};
}

function nameFromObject(obj: Node): string | undefined {
  if ('List' in obj) return names(obj.List.items).join('.');
  if ('String' in obj) return obj.String.sval;
  if ('ObjectWithArgs' in obj) return names(obj.ObjectWithArgs.objname).join('.');
  if ('TypeName' in obj) return names(obj.TypeName.names).join('.');
  return undefined;
}

function qualified(rv: RangeVar | undefined, state: SchemaState): QualifiedName {
  return state.qualify(rv?.schemaname, rv?.relname ?? '');
}

function findTable(rv: RangeVar | undefined, state: SchemaState): MTable | undefined {
  return state.lookup(state.tables, rv?.schemaname, rv?.relname ?? '')?.value;
}

function newTable(name: QualifiedName, locator: Locator, at?: number): MTable {
  return {
    name,
    columns: [],
    uniques: [],
    foreignKeys: [],
    checks: [],
    excludes: [],
    indexes: [],
    inherits: [],
    persistence: 'permanent',
    span: locator.at(at),
  };
}

const PARTITION_STRATEGY: Record<string, 'range' | 'list' | 'hash'> = {
  PARTITION_STRATEGY_RANGE: 'range',
  PARTITION_STRATEGY_LIST: 'list',
  PARTITION_STRATEGY_HASH: 'hash',
};

function lowerBound(spec: PartitionBoundSpec): PartitionBound {
  if (spec.is_default) return { kind: 'default' };
  if (spec.strategy === 'h') return { kind: 'hash', modulus: spec.modulus ?? 1, remainder: spec.remainder ?? 0 };
  if (spec.strategy === 'l') return { kind: 'list', values: (spec.listdatums ?? []).map((d) => lowerExpr(d)) };
  return { kind: 'range', from: (spec.lowerdatums ?? []).map((d) => lowerExpr(d)), to: (spec.upperdatums ?? []).map((d) => lowerExpr(d)) };
}

function lowerIndexKey(elem: IndexElem): IndexKey {
  const key: Mutable<IndexKey> = {};
  if (elem.name) key.column = elem.name;
  else key.expr = lowerExpr(elem.expr);
  if (elem.ordering === 'SORTBY_DESC') key.desc = true;
  if (elem.nulls_ordering === 'SORTBY_NULLS_FIRST') key.nullsFirst = true;
  const opclass = names(elem.opclass).join('.');
  if (opclass) key.opclass = opclass;
  const collation = names(elem.collation).join('.');
  if (collation) key.collation = collation;
  return key;
}

function createTable(stmt: CreateStmt, state: SchemaState, locator: Locator): void {
  state.withDeferredNames(() => createTableNow(stmt, state, locator));
}

function createTableNow(stmt: CreateStmt, state: SchemaState, locator: Locator): void {
  const rv = stmt.relation;
  const name = qualified(rv, state);
  const key = state.key(name);
  if (state.tables.has(key)) {
    if (!stmt.if_not_exists) state.note('duplicate-object', { reason: 'table-created-twice', object: key }, locator.at(rv?.location), tableSubject(key));
    else return;
  }
  if (name.schema) state.ensureNamespace(name.schema);
  const table = newTable(name, locator, rv?.location);
  if (rv?.relpersistence === 'u') table.persistence = 'unlogged';
  if (rv?.relpersistence === 't') table.persistence = 'temporary';
  state.tables.set(key, table);

  if (stmt.ofTypename) {
    const typeName = names(stmt.ofTypename.names);
    const composite = state.lookup(state.composites, typeName.length > 1 ? typeName[0] : undefined, typeName[typeName.length - 1] ?? '');
    if (composite) for (const attr of composite.value.attributes) table.columns.push({ name: attr.name, type: attr.type, notNull: false, span: locator.at(rv?.location) });
    else state.note('unresolved-reference', { place: 'typed-table', kind: 'type', name: typeName.join('.') }, locator.at(rv?.location), tableSubject(key));
  }

  const parents = (stmt.inhRelations ?? []).flatMap((n) => ('RangeVar' in n ? [n.RangeVar] : []));
  if (stmt.partbound) {
    const parent = parents[0];
    const parentTable = findTable(parent, state);
    table.partitionOf = { parent: parentTable?.name ?? qualified(parent, state), bound: lowerBound(stmt.partbound), span: locator.at(stmt.partbound.location) };
    if (parentTable) for (const col of parentTable.columns) table.columns.push({ ...col });
  } else {
    for (const parent of parents) {
      const parentTable = findTable(parent, state);
      table.inherits.push(parentTable?.name ?? qualified(parent, state));
      if (parentTable) for (const col of parentTable.columns) table.columns.push({ ...col });
      else state.note('unresolved-reference', { place: 'inherits', kind: 'table', name: rangeVarName(parent) ?? '' }, locator.at(parent.location), tableSubject(key));
    }
  }

  for (const elt of stmt.tableElts ?? []) {
    if ('ColumnDef' in elt) {
      const column = lowerColumn(elt.ColumnDef, table, state, locator);
      const existing = table.columns.findIndex((c) => c.name === column.name);
      if (existing >= 0) {
        // A partition or child may restate an inherited column to add constraints or a default.
        const merged = { ...table.columns[existing]!, ...column };
        if (elt.ColumnDef.typeName === undefined || stmt.partbound) merged.type = table.columns[existing]!.type;
        table.columns[existing] = merged;
      } else table.columns.push(column);
    } else if ('Constraint' in elt) {
      addTableConstraint(elt.Constraint, table, state, locator);
    } else if ('TableLikeClause' in elt) {
      const source = findTable(elt.TableLikeClause.relation, state);
      if (source) for (const col of source.columns) table.columns.push({ ...col });
      else state.note('unresolved-reference', { place: 'like', kind: 'table', name: rangeVarName(elt.TableLikeClause.relation) ?? '' }, locator.at(elt.TableLikeClause.relation?.location), tableSubject(key));
    }
  }
  if (stmt.partspec) {
    const strategy = PARTITION_STRATEGY[stmt.partspec.strategy ?? ''] ?? 'range';
    const keys = (stmt.partspec.partParams ?? []).flatMap((p) => {
      if (!('PartitionElem' in p)) return [];
      const e = p.PartitionElem;
      return [e.name ? { column: e.name } : { expr: lowerExpr(e.expr) }];
    });
    table.partitionBy = { strategy, keys, span: locator.at(stmt.partspec.location) };
  }
  const options = (stmt.options ?? []).flatMap((o) => ('DefElem' in o ? [`${o.DefElem.defname}=${defElemValue(o.DefElem.arg) ?? ''}`] : []));
  if (stmt.tablespacename) options.push(`TABLESPACE ${stmt.tablespacename}`);
  if (options.length > 0) table.options = options;
}

function alterTable(stmt: AlterTableStmt, state: SchemaState, locator: Locator): void {
  const objtype = stmt.objtype ?? 'OBJECT_TABLE';
  const rv = stmt.relation;
  if (objtype === 'OBJECT_SEQUENCE' || objtype === 'OBJECT_VIEW' || objtype === 'OBJECT_MATVIEW' || objtype === 'OBJECT_INDEX' || objtype === 'OBJECT_FOREIGN_TABLE') {
    for (const cmdNode of stmt.cmds ?? []) {
      const cmd = 'AlterTableCmd' in cmdNode ? cmdNode.AlterTableCmd : undefined;
      const isOwner = cmd?.subtype === 'AT_ChangeOwner';
      state.other({
        kind: isOwner ? 'ownership' : 'alter-other',
        statement: isOwner ? 'OWNER TO' : `ALTER ${objtype.replace('OBJECT_', '').replace('_', ' ')}`,
        name: rangeVarName(rv) ?? '',
        span: locator.statement(),
      });
    }
    return;
  }
  const table = findTable(rv, state);
  if (!table) {
    // pg_dump writes ALTER TABLE for sequences and views too (OWNER TO).
    const seq = state.lookup(state.sequences, rv?.schemaname, rv?.relname ?? '') ?? state.lookup(state.views, rv?.schemaname, rv?.relname ?? '');
    const onlyNoise = (stmt.cmds ?? []).every((c) => 'AlterTableCmd' in c && /^AT_(ChangeOwner|EnableTrig|DisableTrig|EnableAlwaysTrig|EnableReplicaTrig)/.test(c.AlterTableCmd.subtype ?? ''));
    if (seq || onlyNoise) {
      for (const c of stmt.cmds ?? []) {
        const sub = 'AlterTableCmd' in c ? c.AlterTableCmd.subtype ?? '' : '';
        const owner = sub === 'AT_ChangeOwner';
        state.other({ kind: owner ? 'ownership' : seq ? 'alter-other' : 'trigger', statement: owner ? 'OWNER TO' : `ALTER TABLE ... ${sub.replace(/^AT_/, '')}`, name: rangeVarName(rv) ?? '', span: locator.statement() });
      }
      return;
    }
    if (!stmt.missing_ok) state.note('unresolved-reference', { place: 'alter-table', kind: 'table', name: rangeVarName(rv) ?? '' }, locator.at(rv?.location), tableSubject(rangeVarName(rv) ?? '?'));
    return;
  }
  for (const cmdNode of stmt.cmds ?? []) {
    if ('AlterTableCmd' in cmdNode) alterTableCmd(cmdNode.AlterTableCmd, table, state, locator);
  }
}

function alterTableCmd(cmd: AlterTableCmd, table: MTable, state: SchemaState, locator: Locator): void {
  const tableName = `${table.name.schema}.${table.name.name}`;
  const column = cmd.name ? table.columns.find((c) => c.name === cmd.name) : undefined;
  const needColumn = (): boolean => {
    if (column) return true;
    if (!cmd.missing_ok) state.note('unresolved-reference', { place: 'alter-column', kind: 'column', name: cmd.name ?? '', table: tableName }, locator.statement(), tableSubject(tableName));
    return false;
  };
  const def = cmd.def;
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      if (def && 'ColumnDef' in def) {
        const col = lowerColumn(def.ColumnDef, table, state, locator);
        if (!table.columns.some((c) => c.name === col.name)) table.columns.push(col);
        else if (!cmd.missing_ok) state.note('duplicate-object', { reason: 'column-added-twice', object: `${tableName}.${col.name}` }, locator.statement(), tableSubject(tableName));
      }
      return;
    case 'AT_DropColumn': {
      const idx = table.columns.findIndex((c) => c.name === cmd.name);
      if (idx >= 0) {
        table.columns.splice(idx, 1);
        dropColumnReferences(table, cmd.name ?? '');
      } else if (!cmd.missing_ok) needColumn();
      return;
    }
    case 'AT_ColumnDefault':
      if (!needColumn()) return;
      if (def) {
        column!.default = lowerExpr(def);
        column!.defaultSpan = locator.statement();
      } else delete column!.default;
      return;
    case 'AT_SetNotNull':
      if (needColumn()) column!.notNull = true;
      return;
    case 'AT_DropNotNull':
      if (needColumn()) column!.notNull = false;
      return;
    case 'AT_AlterColumnType':
      if (needColumn() && def && 'ColumnDef' in def && def.ColumnDef.typeName) {
        const lowered = lowerTypeName(def.ColumnDef.typeName);
        column!.type = lowered.type;
        if (lowered.serial) column!.identity = { kind: 'serial' };
      }
      return;
    case 'AT_AddIdentity':
      if (needColumn() && def && 'Constraint' in def) {
        column!.identity = identityFrom(def.Constraint, state);
        column!.notNull = true;
      }
      return;
    case 'AT_DropIdentity':
      if (needColumn()) delete column!.identity;
      return;
    case 'AT_SetIdentity':
      if (needColumn() && column!.identity) {
        const opts = sequenceOptions((cmd.def && 'List' in cmd.def ? cmd.def.List.items : undefined) ?? []);
        column!.identity = { ...column!.identity, ...(opts.start ? { start: opts.start } : {}), ...(opts.increment ? { increment: opts.increment } : {}) };
      }
      return;
    case 'AT_DropExpression':
      if (needColumn()) delete column!.generated;
      return;
    case 'AT_AddConstraint':
      if (def && 'Constraint' in def) addTableConstraint(def.Constraint, table, state, locator);
      return;
    case 'AT_DropConstraint':
      dropConstraint(table, cmd.name ?? '', cmd.missing_ok ?? false, state, locator);
      return;
    case 'AT_ValidateConstraint':
      for (const list of [table.foreignKeys, table.checks] as { name?: string; notValid?: boolean }[][]) {
        for (const c of list) if (c.name === cmd.name) delete c.notValid;
      }
      return;
    case 'AT_AttachPartition':
      if (def && 'PartitionCmd' in def) {
        const child = findTable(def.PartitionCmd.name, state);
        if (child && def.PartitionCmd.bound) {
          child.partitionOf = { parent: table.name, bound: lowerBound(def.PartitionCmd.bound), span: locator.statement() };
        } else state.note('unresolved-reference', { place: 'attach-partition', kind: 'table', name: rangeVarName(def.PartitionCmd.name) ?? '' }, locator.statement(), tableSubject(tableName));
      }
      return;
    case 'AT_DetachPartition':
      if (def && 'PartitionCmd' in def) {
        const child = findTable(def.PartitionCmd.name, state);
        if (child) delete child.partitionOf;
      }
      return;
    case 'AT_ChangeOwner':
      state.other({ kind: 'ownership', statement: 'OWNER TO', name: tableName, span: locator.statement() });
      return;
    case 'AT_EnableRowSecurity':
    case 'AT_ForceRowSecurity':
    case 'AT_DisableRowSecurity':
    case 'AT_NoForceRowSecurity':
      state.other({ kind: 'row-level-security', statement: 'ALTER TABLE ... ROW LEVEL SECURITY', name: tableName, span: locator.statement() });
      return;
    case 'AT_SetLogged':
      table.persistence = 'permanent';
      return;
    case 'AT_SetUnLogged':
      table.persistence = 'unlogged';
      return;
    case 'AT_AddInherit':
      if (def && 'RangeVar' in def) table.inherits.push(qualified(def.RangeVar, state));
      return;
    case 'AT_DropInherit':
      if (def && 'RangeVar' in def) {
        const parent = qualified(def.RangeVar, state);
        table.inherits = table.inherits.filter((p) => !(p.schema === parent.schema && p.name === parent.name));
      }
      return;
    default: {
      const label = (cmd.subtype ?? 'AT_?').replace(/^AT_/, '');
      const isTrigger = /Trig/.test(label);
      state.other({
        kind: isTrigger ? 'trigger' : 'alter-other',
        statement: `ALTER TABLE ... ${label}`,
        name: cmd.name ? `${tableName}.${cmd.name}` : tableName,
        span: locator.statement(),
      });
    }
  }
}

function dropColumnReferences(table: MTable, column: string): void {
  if (table.primaryKey?.columns.includes(column)) delete table.primaryKey;
  table.uniques = table.uniques.filter((u) => !u.columns.includes(column));
  table.foreignKeys = table.foreignKeys.filter((f) => !f.columns.includes(column));
  table.indexes = table.indexes.filter((i) => !i.keys.some((k) => k.column === column));
}

function dropConstraint(table: MTable, name: string, missingOk: boolean, state: SchemaState, locator: Locator): void {
  if (table.primaryKey?.name === name) {
    delete table.primaryKey;
    return;
  }
  const before = table.uniques.length + table.foreignKeys.length + table.checks.length + table.excludes.length;
  table.uniques = table.uniques.filter((c) => c.name !== name);
  table.foreignKeys = table.foreignKeys.filter((c) => c.name !== name);
  table.checks = table.checks.filter((c) => c.name !== name);
  table.excludes = table.excludes.filter((c) => c.name !== name);
  const after = table.uniques.length + table.foreignKeys.length + table.checks.length + table.excludes.length;
  if (before === after && !missingOk) {
    state.note('unresolved-reference', { place: 'drop-constraint', kind: 'constraint', name, table: `${table.name.schema}.${table.name.name}` }, locator.statement());
  }
}

function createIndex(stmt: IndexStmt, state: SchemaState, locator: Locator): void {
  const table = findTable(stmt.relation, state);
  if (!table) {
    state.note('unresolved-reference', { place: 'create-index', kind: 'table', name: rangeVarName(stmt.relation) ?? '', index: stmt.idxname ?? '' }, locator.at(stmt.relation?.location), tableSubject(rangeVarName(stmt.relation) ?? '?'));
    return;
  }
  if (stmt.idxname && stmt.if_not_exists && table.indexes.some((i) => i.name === stmt.idxname)) return;
  const index: Mutable<Index> = {
    unique: stmt.unique ?? false,
    method: stmt.accessMethod ?? 'btree',
    keys: (stmt.indexParams ?? []).flatMap((p) => ('IndexElem' in p ? [lowerIndexKey(p.IndexElem)] : [])),
    include: (stmt.indexIncludingParams ?? []).flatMap((p) => ('IndexElem' in p && p.IndexElem.name ? [p.IndexElem.name] : [])),
    span: locator.statement(),
  };
  // An unnamed index gets the name PostgreSQL would choose, so DROP INDEX and COMMENT ON INDEX find it.
  const indexName = stmt.idxname ?? chooseName(state, table.name.schema ?? 'public', table.name.name, nameAddition(indexColumnNames(indexColumns(stmt))), 'idx', 'relation');
  index.name = indexName;
  state.indexOwners.set(`${table.name.schema}.${indexName}`, state.key(table.name));
  if (stmt.whereClause) index.where = lowerExpr(stmt.whereClause);
  if (stmt.nulls_not_distinct) index.nullsNotDistinct = true;
  table.indexes.push(index);
}

/** The column names PostgreSQL derives for an index's keys and INCLUDE columns (ChooseIndexColumnNames). */
function indexColumns(stmt: IndexStmt): string[] {
  return [...(stmt.indexParams ?? []), ...(stmt.indexIncludingParams ?? [])].flatMap((p) =>
    'IndexElem' in p ? [p.IndexElem.indexcolname ?? p.IndexElem.name ?? figureIndexColname(p.IndexElem.expr)] : [],
  );
}

function findIndex(parts: string[], state: SchemaState): { table: MTable; index: Mutable<Index> } | undefined {
  const name = parts[parts.length - 1] ?? '';
  const schemas = parts.length > 1 ? [parts[parts.length - 2]!] : [...state.searchPath, 'public'];
  for (const schema of schemas) {
    const owner = state.indexOwners.get(`${schema}.${name}`);
    const table = owner ? state.tables.get(owner) : undefined;
    const index = table?.indexes.find((i) => i.name === name);
    if (table && index) return { table, index };
  }
  return undefined;
}

function comment(stmt: CommentStmt, state: SchemaState, locator: Locator): void {
  const text = stmt.comment ?? undefined;
  const obj = stmt.object;
  const parts = obj && 'List' in obj ? names(obj.List.items) : obj && 'String' in obj ? [obj.String.sval ?? ''] : obj && 'TypeName' in obj ? names(obj.TypeName.names) : [];
  const set = <T extends { comment?: string }>(target: T | undefined, what: string): void => {
    if (!target) {
      state.note('unresolved-reference', { place: 'comment-on', kind: 'object', name: parts.join('.'), keyword: what }, locator.statement(), { kind: 'statement', name: `COMMENT ON ${what} ${parts.join('.')}` });
      return;
    }
    if (text === undefined || text === null) delete target.comment;
    else target.comment = text;
  };
  const split = (p: string[]) => ({ schema: p.length > 1 ? p[p.length - 2] : undefined, name: p[p.length - 1] ?? '' });
  switch (stmt.objtype) {
    case 'OBJECT_TABLE':
    case 'OBJECT_FOREIGN_TABLE': {
      const n = split(parts);
      set(state.lookup(state.tables, n.schema, n.name)?.value, 'TABLE');
      return;
    }
    case 'OBJECT_COLUMN': {
      const col = parts[parts.length - 1];
      const n = split(parts.slice(0, -1));
      const table = state.lookup(state.tables, n.schema, n.name)?.value;
      const view = table ? undefined : state.lookup(state.views, n.schema, n.name)?.value;
      if (view) {
        state.other({ kind: 'comment-other', statement: 'COMMENT ON COLUMN', name: parts.join('.'), span: locator.statement(), detail: 'column of a view' });
        return;
      }
      set(table?.columns.find((c) => c.name === col), 'COLUMN');
      return;
    }
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW': {
      const n = split(parts);
      set(state.lookup(state.views, n.schema, n.name)?.value, 'VIEW');
      return;
    }
    case 'OBJECT_INDEX':
      set(findIndex(parts, state)?.index, 'INDEX');
      return;
    case 'OBJECT_SCHEMA': {
      const ns = state.namespaces.get(parts[0] ?? '');
      set(ns, 'SCHEMA');
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const n = split(parts);
      set(state.lookup(state.enums, n.schema, n.name)?.value ?? state.lookup(state.domains, n.schema, n.name)?.value, stmt.objtype === 'OBJECT_DOMAIN' ? 'DOMAIN' : 'TYPE');
      return;
    }
    case 'OBJECT_TABCONSTRAINT':
    default:
      state.other({
        kind: 'comment-other',
        statement: `COMMENT ON ${(stmt.objtype ?? '').replace('OBJECT_', '')}`,
        name: parts.join('.') || (obj && 'ObjectWithArgs' in obj ? names(obj.ObjectWithArgs.objname).join('.') : ''),
        span: locator.statement(),
      });
  }
}

function rename(stmt: RenameStmt, state: SchemaState, locator: Locator): void {
  const newName = stmt.newname ?? '';
  const table = stmt.relation ? findTable(stmt.relation, state) : undefined;
  const missing = (what: string) => {
    if (!stmt.missing_ok) state.note('unresolved-reference', { place: 'rename', kind: 'object', name: what }, locator.statement());
  };
  switch (stmt.renameType) {
    case 'OBJECT_TABLE': {
      if (!table) return missing(rangeVarName(stmt.relation) ?? '');
      const oldKey = state.key(table.name);
      state.tables.delete(oldKey);
      table.name = { schema: table.name.schema ?? 'public', name: newName };
      state.tables.set(state.key(table.name), table);
      for (const t of state.tables.values()) {
        for (const fk of t.foreignKeys) if (state.key(fk.refTable) === oldKey) fk.refTable = table.name;
      }
      return;
    }
    case 'OBJECT_COLUMN': {
      if (!table) return missing(rangeVarName(stmt.relation) ?? '');
      const old = stmt.subname ?? '';
      const col = table.columns.find((c) => c.name === old);
      if (!col) return missing(`${rangeVarName(stmt.relation)}.${old}`);
      col.name = newName;
      const swap = (list: string[]) => list.map((c) => (c === old ? newName : c));
      if (table.primaryKey) table.primaryKey.columns = swap(table.primaryKey.columns);
      for (const u of table.uniques) u.columns = swap(u.columns);
      for (const f of table.foreignKeys) f.columns = swap(f.columns);
      for (const i of table.indexes) for (const k of i.keys) if (k.column === old) k.column = newName;
      for (const t of state.tables.values()) {
        for (const fk of t.foreignKeys) if (state.key(fk.refTable) === state.key(table.name)) fk.refColumns = swap(fk.refColumns);
      }
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      if (!table) return missing(rangeVarName(stmt.relation) ?? '');
      const old = stmt.subname ?? '';
      for (const c of [table.primaryKey, ...table.uniques, ...table.foreignKeys, ...table.checks, ...table.excludes]) {
        if (c && c.name === old) c.name = newName;
      }
      return;
    }
    case 'OBJECT_INDEX': {
      const parts = stmt.relation ? [stmt.relation.schemaname, stmt.relation.relname].filter((x): x is string => !!x) : [];
      const found = findIndex(parts, state);
      if (!found) {
        // An index that backs a constraint is renamed with the constraint.
        for (const t of state.tables.values()) {
          for (const c of [t.primaryKey, ...t.uniques]) if (c && c.name === parts[parts.length - 1]) c.name = newName;
        }
        return;
      }
      found.index.name = newName;
      state.indexOwners.set(`${found.table.name.schema}.${newName}`, state.key(found.table.name));
      return;
    }
    case 'OBJECT_SEQUENCE': {
      const seq = state.lookup(state.sequences, stmt.relation?.schemaname, stmt.relation?.relname ?? '');
      if (!seq) return missing(rangeVarName(stmt.relation) ?? '');
      state.sequences.delete(seq.key);
      seq.value.name = { ...seq.value.name, name: newName };
      state.sequences.set(state.key(seq.value.name), seq.value);
      return;
    }
    default:
      state.other({ kind: 'alter-other', statement: `ALTER ${(stmt.renameType ?? '').replace('OBJECT_', '')} RENAME`, name: newName, span: locator.statement() });
  }
}

function drop(stmt: DropStmt, state: SchemaState, locator: Locator): void {
  const removeType = stmt.removeType ?? '';
  for (const obj of stmt.objects ?? []) {
    const parts = 'List' in obj ? names(obj.List.items) : 'String' in obj ? [obj.String.sval ?? ''] : 'TypeName' in obj ? names(obj.TypeName.names) : [];
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const name = parts[parts.length - 1] ?? '';
    let dropped = false;
    if (removeType === 'OBJECT_TABLE') {
      const found = state.lookup(state.tables, schema, name);
      if (found) dropped = state.tables.delete(found.key);
    } else if (removeType === 'OBJECT_INDEX') {
      const found = findIndex(parts, state);
      if (found) {
        found.table.indexes = found.table.indexes.filter((i) => i !== found.index);
        dropped = true;
      }
    } else if (removeType === 'OBJECT_SEQUENCE') {
      const found = state.lookup(state.sequences, schema, name);
      if (found) dropped = state.sequences.delete(found.key);
    } else if (removeType === 'OBJECT_TYPE' || removeType === 'OBJECT_DOMAIN') {
      const found = state.lookup(state.enums, schema, name) ?? state.lookup(state.domains, schema, name) ?? state.lookup(state.composites, schema, name);
      if (found) dropped = state.enums.delete(found.key) || state.domains.delete(found.key) || state.composites.delete(found.key);
    } else if (removeType === 'OBJECT_VIEW' || removeType === 'OBJECT_MATVIEW') {
      const found = state.lookup(state.views, schema, name);
      if (found) dropped = state.views.delete(found.key);
    }
    state.other({
      kind: 'drop',
      statement: `DROP ${removeType.replace('OBJECT_', '').replace('_', ' ')}`,
      name: parts.join('.'),
      span: locator.statement(),
      detail: dropped ? 'applied' : 'nothing to drop',
    });
  }
}

const HANDLERS: Record<string, Handler> = {
  CreateStmt: createTable as Handler,
  AlterTableStmt: alterTable as Handler,
  IndexStmt: createIndex as Handler,
  CommentStmt: comment as Handler,
  RenameStmt: rename as Handler,
  DropStmt: drop as Handler,
  CreateSchemaStmt: ((stmt: import('@pgsql/types').CreateSchemaStmt, state, locator) => {
    const name = stmt.schemaname ?? '';
    state.ensureNamespace(name, locator.statement());
    for (const elt of stmt.schemaElts ?? []) {
      const saved = state.searchPath;
      state.searchPath = [name];
      lowerStatement({ node: elt, locator }, state);
      state.searchPath = saved;
    }
  }) as Handler,
  CreateExtensionStmt: ((stmt: import('@pgsql/types').CreateExtensionStmt, state, locator) => {
    const schemaOpt = (stmt.options ?? []).find((o) => 'DefElem' in o && o.DefElem.defname === 'schema');
    const schema = schemaOpt && 'DefElem' in schemaOpt ? defElemValue(schemaOpt.DefElem.arg) : undefined;
    state.extensions.push({ name: stmt.extname ?? '', ...(schema ? { schema } : {}), span: locator.statement() });
  }) as Handler,
  CreateEnumStmt: ((stmt: import('@pgsql/types').CreateEnumStmt, state, locator) => {
    const parts = names(stmt.typeName);
    const name = state.qualify(parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1] ?? '');
    state.enums.set(state.key(name), { name, values: names(stmt.vals), span: locator.statement() });
  }) as Handler,
  AlterEnumStmt: ((stmt: import('@pgsql/types').AlterEnumStmt, state, locator) => {
    const parts = names(stmt.typeName);
    const found = state.lookup(state.enums, parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1] ?? '');
    if (!found) {
      state.note('unresolved-reference', { place: 'alter-type', kind: 'type', name: parts.join('.') }, locator.statement());
      return;
    }
    const values = found.value.values;
    if (stmt.oldVal) {
      const i = values.indexOf(stmt.oldVal);
      if (i >= 0) values[i] = stmt.newVal ?? '';
      return;
    }
    const value = stmt.newVal ?? '';
    if (values.includes(value)) return;
    const neighbour = stmt.newValNeighbor ? values.indexOf(stmt.newValNeighbor) : -1;
    if (neighbour < 0) values.push(value);
    else values.splice(stmt.newValIsAfter === false ? neighbour : neighbour + 1, 0, value);
  }) as Handler,
  CreateDomainStmt: ((stmt: import('@pgsql/types').CreateDomainStmt, state, locator) => {
    const parts = names(stmt.domainname);
    const name = state.qualify(parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1] ?? '');
    const type = stmt.typeName ? lowerTypeName(stmt.typeName).type : ({ kind: 'unsupported', raw: '' } as const);
    const domain: Mutable<import('../../ir/schema.js').Domain> = { name, type, notNull: false, checks: [], span: locator.statement() };
    if (stmt.collClause) domain.collation = names(stmt.collClause.collname).join('.');
    for (const c of stmt.constraints ?? []) {
      if (!('Constraint' in c)) continue;
      const con = c.Constraint;
      if (con.contype === 'CONSTR_NOTNULL') domain.notNull = true;
      else if (con.contype === 'CONSTR_DEFAULT') domain.default = lowerExpr(con.raw_expr);
      else if (con.contype === 'CONSTR_CHECK') domain.checks.push({ ...(con.conname ? { name: con.conname } : {}), expr: lowerExpr(con.raw_expr), span: locator.at(con.location) });
    }
    state.domains.set(state.key(name), domain);
  }) as Handler,
  CompositeTypeStmt: ((stmt: import('@pgsql/types').CompositeTypeStmt, state, locator) => {
    const name = qualified(stmt.typevar, state);
    const attributes = (stmt.coldeflist ?? []).flatMap((c) =>
      'ColumnDef' in c ? [{ name: c.ColumnDef.colname ?? '', type: c.ColumnDef.typeName ? lowerTypeName(c.ColumnDef.typeName).type : ({ kind: 'unsupported', raw: '' } as const) }] : [],
    );
    state.composites.set(state.key(name), { name, attributes, span: locator.statement() });
  }) as Handler,
  CreateSeqStmt: ((stmt: import('@pgsql/types').CreateSeqStmt, state, locator) => {
    const name = qualified(stmt.sequence, state);
    const key = state.key(name);
    if (stmt.if_not_exists && state.sequences.has(key)) return;
    const opts = sequenceOptions(stmt.options);
    const seq: Mutable<import('../../ir/schema.js').Sequence> = { name, span: locator.statement() };
    if (opts.dataType) seq.dataType = opts.dataType;
    if (opts.start !== undefined) seq.start = opts.start;
    if (opts.increment !== undefined) seq.increment = opts.increment;
    if (opts.minValue !== undefined) seq.minValue = opts.minValue;
    if (opts.maxValue !== undefined) seq.maxValue = opts.maxValue;
    if (opts.cache !== undefined) seq.cache = opts.cache;
    if (opts.cycle !== undefined) seq.cycle = opts.cycle;
    if (opts.ownedBy) applyOwnedBy(seq, opts.ownedBy, state);
    state.sequences.set(key, seq);
  }) as Handler,
  AlterSeqStmt: ((stmt: import('@pgsql/types').AlterSeqStmt, state, locator) => {
    const found = state.lookup(state.sequences, stmt.sequence?.schemaname, stmt.sequence?.relname ?? '');
    if (!found) {
      if (!stmt.missing_ok) state.note('unresolved-reference', { place: 'alter-sequence', kind: 'sequence', name: rangeVarName(stmt.sequence) ?? '' }, locator.statement());
      return;
    }
    const opts = sequenceOptions(stmt.options);
    const seq = found.value;
    if (opts.start !== undefined) seq.start = opts.start;
    if (opts.increment !== undefined) seq.increment = opts.increment;
    if (opts.minValue !== undefined) seq.minValue = opts.minValue;
    if (opts.maxValue !== undefined) seq.maxValue = opts.maxValue;
    if (opts.cache !== undefined) seq.cache = opts.cache;
    if (opts.cycle !== undefined) seq.cycle = opts.cycle;
    if (opts.ownedBy) applyOwnedBy(seq, opts.ownedBy, state);
  }) as Handler,
  ViewStmt: ((stmt: import('@pgsql/types').ViewStmt, state, locator) => {
    const name = qualified(stmt.view, state);
    const checkOption = stmt.withCheckOption === 'LOCAL_CHECK_OPTION' ? 'local' : stmt.withCheckOption === 'CASCADED_CHECK_OPTION' ? 'cascaded' : undefined;
    state.views.set(state.key(name), { name, materialized: false, ...viewParts(stmt.query, stmt.aliases, locator, state), ...(checkOption ? { checkOption } : {}) });
  }) as Handler,
  CreateTableAsStmt: ((stmt: import('@pgsql/types').CreateTableAsStmt, state, locator) => {
    const rv = stmt.into?.rel;
    const name = qualified(rv, state);
    if (stmt.objtype === 'OBJECT_MATVIEW') {
      state.views.set(state.key(name), { name, materialized: true, ...viewParts(stmt.query, stmt.into?.colNames, locator, state) });
    } else {
      state.other({ kind: 'table-as', statement: 'CREATE TABLE AS', name: `${name.schema}.${name.name}`, span: locator.statement() });
    }
  }) as Handler,
  DefineStmt: ((stmt: import('@pgsql/types').DefineStmt, state, locator) => {
    const k = DEFINE_KINDS[stmt.kind ?? ''] ?? { kind: 'other' as const, label: `CREATE ${(stmt.kind ?? '').replace('OBJECT_', '')}` };
    const aggregate = stmt.kind === 'OBJECT_AGGREGATE' ? aggregateInfo(stmt, state) : undefined;
    state.other({ kind: k.kind, statement: k.label, name: names(stmt.defnames).join('.'), span: locator.statement(), ...(aggregate ? { aggregate } : {}) });
  }) as Handler,
  SelectStmt: ((stmt: import('@pgsql/types').SelectStmt, state, locator) => {
    const target = stmt.targetList?.[0];
    const val = target && 'ResTarget' in target ? target.ResTarget.val : undefined;
    const fn = val && 'FuncCall' in val ? val.FuncCall : undefined;
    const fname = fn ? names(fn.funcname).pop() : undefined;
    if (fname === 'set_config' && !stmt.fromClause) {
      const args = (fn!.args ?? []).map((a) => lowerExpr(a));
      const setting = args[0]?.k === 'string' ? args[0].value : '';
      const value = args[1]?.k === 'string' ? args[1].value : '';
      if (setting === 'search_path') state.searchPath = parseSearchPath(value);
      state.other({ kind: 'session-setting', statement: 'SELECT set_config', name: setting, span: locator.statement() });
      return;
    }
    // pg_dump's large objects: lo_create names one (its schema entry), the others write its bytes.
    if (fname === 'lo_create' && !stmt.fromClause) {
      const arg = lowerExpr((fn!.args ?? [])[0]!);
      state.other({ kind: 'large-object', statement: 'SELECT lo_create', name: arg?.k === 'string' || arg?.k === 'number' ? String(arg.value) : undefined, span: locator.statement() });
      return;
    }
    if (fname !== undefined && LARGE_OBJECT_WRITES.includes(fname) && !stmt.fromClause) {
      state.other({ kind: 'data', statement: `SELECT ${fname}`, name: 'large objects', span: locator.statement() });
      return;
    }
    if (fname === 'setval') {
      state.other({ kind: 'data', statement: 'SELECT setval', name: 'sequence values', span: locator.statement() });
      return;
    }
    state.other({ kind: 'select', statement: 'SELECT', span: locator.statement() });
  }) as Handler,
};

/** A view's query: its text, its parse tree with locations moved to file offsets, and its column list. */
function viewParts(query: Node | undefined, aliases: Node[] | undefined, locator: Locator, state: SchemaState): { query: string; select?: PgAstNode; columns?: string[]; text: string; span: SourceSpan; searchPath: string[] } {
  const columns = (aliases ?? []).flatMap((a) => ('String' in a && a.String.sval !== undefined ? [a.String.sval] : []));
  return {
    query: query ? deparseNode(query) : '',
    ...(query ? { select: relocate(query, locator) as PgAstNode } : {}),
    ...(columns.length > 0 ? { columns } : {}),
    text: locator.text,
    span: locator.statement(),
    searchPath: [...new Set([...state.searchPath.filter((s) => s !== '' && !s.includes('$user') && s !== 'pg_catalog'), 'public'])],
  };
}

/** A deep copy of a parse tree whose `location` fields are offsets in the file (the parser counts bytes of its chunk). */
function relocate(node: unknown, locator: Locator): unknown {
  if (Array.isArray(node)) return node.map((n) => relocate(n, locator));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'location' && typeof v === 'number' ? (v < 0 ? -1 : locator.base + locator.charOffset(v)) : relocate(v, locator);
  }
  return out;
}

/** CREATE AGGREGATE's argument types and options, as written. */
function aggregateInfo(stmt: import('@pgsql/types').DefineStmt, state: SchemaState): AggregateInfo {
  const list = stmt.args?.[0];
  const params = list && 'List' in list ? (list.List.items ?? []) : [];
  const args = params.flatMap((p) => ('FunctionParameter' in p && p.FunctionParameter.argType ? [names(p.FunctionParameter.argType.names).join('.')] : []));
  const options: Record<string, string> = {};
  for (const d of stmt.definition ?? []) {
    if (!('DefElem' in d) || !d.DefElem.defname) continue;
    const arg = d.DefElem.arg;
    const value = !arg ? '' : 'TypeName' in arg ? names(arg.TypeName.names).join('.') : 'String' in arg ? (arg.String.sval ?? '') : (defElemValue(arg) ?? '');
    options[d.DefElem.defname.toLowerCase()] = value;
  }
  return { name: qualifiedParts(names(stmt.defnames), state), args, options };
}

function parseSearchPath(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter((s) => s !== '');
}

/** `SET search_path` changes how later unqualified names resolve. */
export function applySessionSetting(stmt: ParsedStatement, state: SchemaState): void {
  const node = stmt.node;
  if (!('VariableSetStmt' in node)) return;
  const v = node.VariableSetStmt;
  if (v.name !== 'search_path') return;
  if (v.kind === 'VAR_RESET' || v.kind === 'VAR_SET_DEFAULT') {
    state.searchPath = ['public'];
    return;
  }
  state.searchPath = (v.args ?? []).flatMap((a) => {
    const e = lowerExpr(a);
    return e.k === 'string' ? parseSearchPath(e.value) : [];
  });
  if (state.searchPath.length === 0) state.searchPath = [''];
}

function applyOwnedBy(seq: Mutable<import('../../ir/schema.js').Sequence>, ownedBy: string[], state: SchemaState): void {
  if (ownedBy.length === 1 && ownedBy[0] === 'none') {
    delete seq.ownedBy;
    return;
  }
  const column = ownedBy[ownedBy.length - 1] ?? '';
  const tableParts = ownedBy.slice(0, -1);
  const tableName = tableParts[tableParts.length - 1] ?? '';
  const schema = tableParts.length > 1 ? tableParts[tableParts.length - 2] : undefined;
  const table = state.lookup(state.tables, schema, tableName);
  seq.ownedBy = { table: table?.value.name ?? state.qualify(schema, tableName), column };
}

