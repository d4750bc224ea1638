/**
 * The dumper's JSON (what SQLAlchemy itself holds in MetaData) → the schema IR, the same shape
 * the static reader gives. Types go through the static reader's table (../sqlalchemy/type-rules.ts)
 * by class name; a type it does not know falls back to the PostgreSQL spelling SQLAlchemy compiled.
 */
import type { SourceFile, SourceSpan } from '../../diagnostics/span.js';
import { LineIndex } from '../../diagnostics/span.js';
import { columnSubject, subjectText, tableObjectSubject, tableSubject, type Subject } from '../../diagnostics/subject.js';
import type { CheckConstraint, Column, EnumType, ExcludeConstraint, FkAction, ForeignKey, FrontendNote, Identity, Index, KeyConstraint, NoteArgs, OtherObject, Sequence, Table } from '../../ir/schema.js';
import type { ColumnType, QualifiedName } from '../../ir/types.js';
import { parsePgTypeName, TYPE_RULES, typeRuleName, type Lowered, type TypeArgs } from '../sqlalchemy/type-rules.js';
import type { DumpedColumn, DumpedDefault, DumpedSequence, DumpedSql, DumpedTable, DumpedType, DumpResult } from './dump.js';

/** Where the dumped objects' source lines are: absolute path → the input file. */
export interface SourceLookup {
  file(absPath: string): SourceFile | undefined;
}

export interface Lowering {
  readonly tables: Table[];
  readonly enums: EnumType[];
  readonly sequences: Sequence[];
  readonly others: OtherObject[];
  readonly notes: FrontendNote[];
}

const ACTIONS: Readonly<Record<string, FkAction>> = { 'NO ACTION': 'no action', RESTRICT: 'restrict', CASCADE: 'cascade', 'SET NULL': 'set null', 'SET DEFAULT': 'set default' };
const NOW_FUNCTIONS = new Set(['now', 'current_timestamp', 'localtimestamp']);
const SERIAL_TYPES = { SERIAL: 'integer', BIGSERIAL: 'bigint', SMALLSERIAL: 'smallint' } as const;

const qname = (schema: string | null | undefined, name: string): QualifiedName => (schema ? { schema, name } : { name });
const str = (n: number | undefined): string | undefined => (n === undefined || n === null ? undefined : String(n));

class Spans {
  private readonly indexes = new Map<string, LineIndex>();
  constructor(private readonly sources: SourceLookup) {}

  private index(abs: string): LineIndex | undefined {
    if (!this.indexes.has(abs)) {
      const f = this.sources.file(abs);
      if (f) this.indexes.set(abs, new LineIndex(f));
    }
    return this.indexes.get(abs);
  }

  /** The whole of line `line` (1-based) in `abs`. */
  line(abs: string | undefined, line: number | undefined): SourceSpan | undefined {
    const ix = abs ? this.index(abs) : undefined;
    if (!ix) return undefined;
    const text = ix.file.text;
    let offset = 0;
    for (let n = 1; n < (line ?? 1) && offset !== -1; n++) offset = text.indexOf('\n', offset) + 1 || -1;
    if (offset === -1) offset = 0;
    const end = text.indexOf('\n', offset);
    const indent = /^[ \t]*/.exec(text.slice(offset))![0].length;
    return ix.span(offset + indent, (end === -1 ? text.length : end) - offset - indent);
  }

  /** The line of attribute `key` in a class body that starts at `line`, else the class line. */
  attribute(abs: string | undefined, line: number | undefined, key: string): SourceSpan | undefined {
    const ix = abs ? this.index(abs) : undefined;
    if (!ix || line === undefined) return this.line(abs, line);
    const lines = ix.file.text.split('\n');
    const re = new RegExp(`^\\s+${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[:=]`);
    for (let i = line; i < Math.min(lines.length, line + 400); i++) {
      if (i > line && /^\S/.test(lines[i]!)) break;
      if (re.test(lines[i]!)) return this.line(abs, i + 1);
    }
    return this.line(abs, line);
  }
}

function typeArgs(t: DumpedType, nested: (t: DumpedType) => Lowered | undefined): TypeArgs {
  const a = t.args ?? {};
  return {
    num: (n) => (typeof a[n] === 'number' ? (a[n] as number) : undefined),
    bool: (n) => (typeof a[n] === 'boolean' ? (a[n] as boolean) : undefined),
    str: (n) => (typeof a[n] === 'string' ? (a[n] as string) : undefined),
    nested: (n) => (n === 'item_type' && t.item ? nested(t.item) : undefined),
  };
}

export class RuntimeLowerer {
  readonly out: Lowering = { tables: [], enums: [], sequences: [], others: [], notes: [] };
  private readonly spans: Spans;
  private readonly enumKeys = new Set<string>();

  constructor(sources: SourceLookup) {
    this.spans = new Spans(sources);
  }

  /** `tables` of `dump` (all of them unless given), with `rename(table)` giving the PostgreSQL schema. */
  lower(dump: DumpResult, schemaOf: (t: DumpedTable) => string | undefined = (t) => t.schema ?? undefined): Lowering {
    for (const t of dump.tables) this.out.tables.push(this.table(t, schemaOf(t)));
    const seen = new Set<string>();
    for (const s of dump.sequences) {
      if (s.optional) continue;
      const owner = dump.tables.find((t) => t.metadata === s.metadata);
      const name = qname(owner ? (schemaOf(owner) ?? s.schema) : s.schema, s.name);
      const key = `${name.schema ?? ''}.${name.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.out.sequences.push(this.sequence(s, name));
    }
    return this.out;
  }

  private sequence(s: DumpedSequence, name: QualifiedName): Sequence {
    return {
      name,
      ...(str(s.start) ? { start: str(s.start) } : {}),
      ...(str(s.increment) ? { increment: str(s.increment) } : {}),
      ...(str(s.minvalue) ? { minValue: str(s.minvalue) } : {}),
      ...(str(s.maxvalue) ? { maxValue: str(s.maxvalue) } : {}),
      ...(str(s.cache) ? { cache: str(s.cache) } : {}),
      ...(s.cycle ? { cycle: true } : {}),
    };
  }

  private note(...[id, data, span, subject]: [...NoteArgs, span: SourceSpan | undefined, subject?: Subject]): void {
    this.out.notes.push({ id, data, ...(subject ? { subject } : {}), ...(span ? { span } : {}) } as FrontendNote);
  }

  /** `what`: which part of the model SQLAlchemy compiles (its name, for an index's WHERE). */
  private sql(text: DumpedSql | undefined, what: { reason: 'compile-computed' | 'compile-check' | 'compile-index-expression' | 'compile-where'; name?: string }, span: SourceSpan | undefined, subject: Subject): string | undefined {
    if (typeof text === 'string') return text;
    if (text && typeof text === 'object') this.note('model-invalid', { ...what, error: text.error }, span, subject);
    return undefined;
  }

  /** A dumped type → IR type, through the static reader's rules where the class is known. */
  type(t: DumpedType, schema: string | undefined, span: SourceSpan | undefined, subject: Subject): Lowered {
    if (t.impl) return this.type(t.impl, schema, span, subject);
    const rule = typeRuleName(`${t.module}.${t.class}`);
    if (rule) {
      const r = TYPE_RULES[rule]!;
      if (r.special === 'enum') return { type: this.enumType(t, schema, span, subject) };
      const nested = (x: DumpedType): Lowered => this.type(x, schema, span, subject);
      return { type: r.build(typeArgs(t, nested)), ...(r.affinity ? { affinity: r.affinity } : {}) };
    }
    if (t.class === 'NullType') return { type: { kind: 'unsupported', raw: 'NullType' } };
    if (t.compiled) return { type: parsePgTypeName(t.compiled) };
    this.note('model-invalid', { reason: 'compile-type', class: t.class, module: t.module, error: t.compileError ?? t.implError ?? 'unknown' }, span, subject);
    return { type: { kind: 'unsupported', raw: t.class } };
  }

  private enumType(t: DumpedType, schema: string | undefined, span: SourceSpan | undefined, subject: Subject): ColumnType {
    const a = t.args ?? {};
    const values = Array.isArray(a.enums) ? (a.enums as string[]).map(String) : [];
    if (a.native_enum === false) {
      const length = typeof a.length === 'number' ? a.length : Math.max(0, ...values.map((v) => v.length));
      return { kind: 'scalar', name: 'character varying', params: [length], raw: `VARCHAR(${length})` };
    }
    if (typeof a.name !== 'string') {
      this.note('model-invalid', { reason: 'enum-no-name' }, span, subject);
      return { kind: 'unsupported', raw: 'ENUM' };
    }
    const enumSchema = typeof a.schema === 'string' ? a.schema : schema;
    const name = qname(enumSchema, a.name);
    const key = `${name.schema ?? ''}.${name.name}`;
    if (!this.enumKeys.has(key)) {
      this.enumKeys.add(key);
      this.out.enums.push({ name, values, ...(span ? { span } : {}) });
    }
    return { kind: 'user', name, raw: name.schema ? `${name.schema}.${name.name}` : name.name };
  }

  private column(t: DumpedTable, schema: string | undefined, c: DumpedColumn): Column {
    const span = this.spans.attribute(t.file, t.line, c.key);
    const subject = columnSubject(qname(schema, t.name), c.name);
    const lowered = this.type(c.type, schema, span, subject);
    let col: Column = { name: c.name, type: lowered.type, notNull: !c.nullable || !!c.identity, ...(span ? { span } : {}) };
    if (c.serial) {
      const name = SERIAL_TYPES[c.serial];
      col = { ...col, type: { kind: 'scalar', name, params: [], raw: c.serial }, identity: { kind: 'serial' }, notNull: true };
    } else if (c.identity) {
      const i = c.identity;
      const identity: Identity = {
        kind: i.always ? 'always' : 'by-default',
        ...(str(i.start) ? { start: str(i.start) } : {}),
        ...(str(i.increment) ? { increment: str(i.increment) } : {}),
        ...(str(i.minvalue) ? { minValue: str(i.minvalue) } : {}),
        ...(str(i.maxvalue) ? { maxValue: str(i.maxvalue) } : {}),
        ...(str(i.cache) ? { cache: str(i.cache) } : {}),
        ...(i.cycle !== undefined && i.cycle !== null ? { cycle: i.cycle } : {}),
      };
      col = { ...col, identity };
    }
    if (typeof c.serverDefault === 'string' && !c.serial) col = { ...col, default: { k: 'raw', text: c.serverDefault } };
    if (c.serverDefaultError) this.note('model-invalid', { reason: 'compile-server-default', error: c.serverDefaultError }, span, subject);
    if (c.computed) {
      const sql = this.sql(c.computed.sql, { reason: 'compile-computed' }, span, subject);
      if (sql !== undefined) col = { ...col, generated: { expr: { k: 'raw', text: sql }, stored: true } };
    }
    if (c.comment !== undefined) col = { ...col, comment: c.comment };
    if (c.onupdate && isNow(c.onupdate)) col = { ...col, onUpdate: { k: 'keyword', name: 'CURRENT_TIMESTAMP' } };
    const other = (statement: string, value: string, serverDefault: boolean): void => {
      this.out.others.push({ kind: 'python-side', statement, name: subjectText(subject), python: { value, serverDefault }, ...(span ? { span } : {}) });
    };
    if (c.default) other('default=', describe(c.default), typeof c.serverDefault === 'string');
    if (c.onupdate && !isNow(c.onupdate)) other('onupdate=', describe(c.onupdate), false);
    // As the static reader does: the column has no DDL default, so on TiDB nothing draws from the sequence.
    if (c.sequence && !c.sequence.optional) this.out.others.push({ kind: 'python-sequence', statement: 'Sequence', name: subjectText(subject), sequence: c.sequence.name, ...(span ? { span } : {}) });
    return col;
  }

  private table(t: DumpedTable, schema: string | undefined): Table {
    const span = this.spans.line(t.file, t.line);
    const name = qname(schema, t.name);
    const subject = tableSubject(qname(schema, t.name));
    const columns = t.columns.map((c) => this.column(t, schema, c));
    // a key or index on one column points at that column's line
    const at = (cols: readonly (string | undefined)[]): SourceSpan | undefined => (cols.length === 1 ? (columns.find((c) => c.name === cols[0])?.span ?? span) : span);
    const opt = <K extends string, V>(k: K, v: V | null | undefined): { [P in K]?: V } => (v === null || v === undefined ? {} : ({ [k]: v } as { [P in K]?: V }));
    const primaryKey: KeyConstraint | undefined = t.primaryKey ? { ...opt('name', t.primaryKey.name), columns: t.primaryKey.columns } : undefined;
    const uniques: KeyConstraint[] = t.uniques.map((u) => ({ ...opt('name', u.name), columns: u.columns, ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}), ...(u.deferrable ? { deferrable: true } : {}), ...spanOf(at(u.columns)) }));
    const foreignKeys: ForeignKey[] = t.foreignKeys.map((f) => ({
      ...opt('name', f.name),
      columns: f.columns,
      // a foreign key to a table of the same MetaData follows the table into its database
      refTable: qname(f.refSchema ?? (schema !== (t.schema ?? undefined) ? schema : undefined), f.refTable ?? ''),
      refColumns: f.refColumns,
      onDelete: this.action(f.ondelete, span, subject),
      onUpdate: this.action(f.onupdate, span, subject),
      ...(f.deferrable ? { deferrable: true } : {}),
      ...(f.initially && f.initially.toUpperCase() === 'DEFERRED' ? { initiallyDeferred: true } : {}),
      ...(f.match ? { match: f.match.toLowerCase() as ForeignKey['match'] } : {}),
      ...spanOf(at(f.columns)),
    }));
    const checks: CheckConstraint[] = [];
    for (const c of t.checks) {
      const sql = this.sql(c.sql, { reason: 'compile-check' }, span, subject);
      if (sql !== undefined) checks.push({ ...opt('name', c.name), expr: { k: 'raw', text: sql }, ...(span ? { span } : {}) });
    }
    const indexes: Index[] = [];
    for (const ix of t.indexes) {
      if (ix.keys.length === 0) {
        // SQLAlchemy holds it, but CREATE INDEX with no column is invalid on PostgreSQL as on TiDB
        this.note('model-invalid', { reason: 'index-no-columns', name: ix.name ?? '', table: subjectText(subject) }, span, tableObjectSubject('index', qname(schema, t.name), ix.name ?? undefined));
        continue;
      }
      if (!ix.name) this.note('model-invalid', { reason: 'index-no-name' }, span, subject);
      const keys = ix.keys.map((k) => {
        let sql = k.column === undefined ? this.sql(k.sql, { reason: 'compile-index-expression' }, span, subject) : undefined;
        // text("published_at DESC"): the direction belongs to the key, not to the expression
        const dir = sql !== undefined ? /^([\s\S]*?)\s+(ASC|DESC)$/i.exec(sql.trim()) : null;
        if (dir) sql = dir[1]!;
        const desc = k.desc || dir?.[2]!.toUpperCase() === 'DESC';
        return {
          ...(k.column !== undefined ? { column: k.column } : { expr: { k: 'raw' as const, text: sql ?? '' } }),
          ...(desc ? { desc: true } : {}),
          ...(k.opclass ? { opclass: k.opclass } : {}),
        };
      });
      const where = this.sql(ix.where, { reason: 'compile-where', name: ix.name ?? '' }, span, subject);
      indexes.push({
        ...opt('name', ix.name),
        unique: ix.unique,
        method: ix.using ?? 'btree',
        keys,
        include: [...(ix.include ?? [])],
        ...(where !== undefined ? { where: { k: 'raw', text: where } } : {}),
        ...(ix.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
        ...spanOf(at(ix.keys.map((k) => k.column))),
      });
    }
    const excludes: ExcludeConstraint[] = [];
    for (const c of t.otherConstraints ?? []) {
      if (c.class === 'ExcludeConstraint' && c.sql) excludes.push({ ...opt('name', c.name), text: c.sql, method: '', elements: [], include: [], ...(span ? { span } : {}) }); // DDL text only: reported, not lowered
      else this.note('unsupported-syntax', { reason: 'runtime-constraint', class: c.class, name: c.name ?? '' }, span, subject);
    }
    for (const e of t.constraintErrors ?? []) this.note('model-invalid', { reason: 'compile-constraint', error: e }, span, subject);
    for (const [k, v] of Object.entries(t.pgOptions ?? {})) {
      this.note('unsupported-syntax', { reason: 'runtime-table-option', option: k === 'prefixes' ? 'Table prefixes' : `postgresql_${k}`, value: String(v) }, span, subject);
    }
    return {
      name,
      columns,
      ...(primaryKey ? { primaryKey } : {}),
      uniques,
      foreignKeys,
      checks,
      excludes,
      indexes,
      ...(t.comment !== undefined ? { comment: t.comment } : {}),
      inherits: [],
      persistence: 'permanent',
      ...(span ? { span } : {}),
    };
  }

  private action(a: string | null, span: SourceSpan | undefined, subject: Subject): FkAction {
    if (!a) return 'no action';
    const v = ACTIONS[a.toUpperCase().replace(/\s+/g, ' ').trim()];
    if (!v) this.note('model-invalid', { reason: 'fk-action', action: a }, span, subject);
    return v ?? 'no action';
  }
}

const spanOf = (span: SourceSpan | undefined): { span?: SourceSpan } => (span ? { span } : {});

function isNow(d: DumpedDefault): boolean {
  return d.kind === 'clause' && !!d.function && NOW_FUNCTIONS.has(d.function.toLowerCase());
}

function describe(d: DumpedDefault): string {
  return d.kind === 'callable' ? `${d.text ?? 'callable'}()` : (d.text ?? d.kind);
}
