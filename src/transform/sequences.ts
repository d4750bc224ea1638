import { shortenIdentifier } from './names.js';
import { columnSubject, objectSubject } from '../diagnostics/subject.js';
import type { PayloadOf } from '../diagnostics/catalogue.js';
import type { Column, Identity, Sequence, Table } from '../ir/schema.js';
import type { TidbName, TidbSequence } from '../ir/tidb.js';
import type { Expr, QualifiedName } from '../ir/types.js';
import { display, key, type TransformContext } from './context.js';
import { own } from '../util/own.js';

export type SequenceDecision =
  | { readonly kind: 'auto-increment'; readonly start?: string; readonly losses: readonly PayloadOf<'identity-lossy'>[] }
  | { readonly kind: 'sequence'; readonly sequence: TidbName };

/** The sequence a `nextval('name'::regclass)` default draws from. */
export function nextvalSequence(expr: Expr | undefined): QualifiedName | undefined {
  if (!expr || expr.k !== 'func' || expr.name.toLowerCase() !== 'nextval' || expr.args.length !== 1) return undefined;
  let arg = expr.args[0]!;
  while (arg.k === 'cast') arg = arg.expr;
  if (arg.k !== 'string') return undefined;
  const parts = splitQualified(arg.value);
  const name = parts[parts.length - 1] ?? '';
  return parts.length > 1 ? { schema: parts[parts.length - 2]!, name } : { name };
}

/** Splits 'schema."Name"' the way regclass input does: unquoted parts fold to lower case. */
function splitQualified(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else part += text[j++];
      }
      parts.push(part);
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.') j++;
      parts.push(text.slice(i, j).toLowerCase());
      i = j;
    }
    if (text[i] === '.') i++;
  }
  return parts;
}

interface Use {
  readonly table: Table;
  readonly column: Column;
}

/**
 * Decides, for the whole schema, what becomes of each sequence and identity: pg_dump's
 * serial pattern (owned sequence + nextval default) folds into AUTO_INCREMENT; a sequence
 * shared by several columns becomes a TiDB SEQUENCE with DEFAULT NEXTVAL (tidb.md §8).
 */
export class SequencePlan {
  private readonly decisions = new Map<string, SequenceDecision>();
  /** Per-column lookups are hot on large schemas: memoise by object identity. */
  private readonly byColumn = new WeakMap<Column, SequenceDecision | null>();
  readonly sequences: TidbSequence[] = [];

  constructor(ctx: TransformContext, excludedTables: ReadonlySet<string>) {
    const d = ctx.diagnostics;
    const seqByKey = new Map<string, Sequence>();
    for (const s of ctx.schema.sequences) seqByKey.set(key(s.name), s);
    const uses = new Map<string, Use[]>();
    const resolve = (name: QualifiedName, table: Table): string => {
      if (name.schema) return key(name);
      const sameSchema = key({ schema: table.name.schema ?? 'public', name: name.name });
      return seqByKey.has(sameSchema) ? sameSchema : key({ schema: 'public', name: name.name });
    };
    for (const table of ctx.schema.tables) {
      if (excludedTables.has(key(table.name))) continue;
      for (const column of table.columns) {
        const seq = nextvalSequence(column.default);
        if (seq) {
          const k = resolve(seq, table);
          uses.set(k, [...(uses.get(k) ?? []), { table, column }]);
        }
      }
    }
    const folds = (seqKey: string, list: readonly Use[]): boolean => {
      const owner = seqByKey.get(seqKey)?.ownedBy;
      const use = list[0];
      return list.length === 1 && !!use && !(owner && !(key(owner.table) === key(use.table.name) && owner.column === use.column.name));
    };
    /** Identity sequences kept as TiDB SEQUENCEs rather than folded. */
    const kept = new Set<string>();
    const demoted = demotedGenerators(ctx.schema.tables.filter((t) => !excludedTables.has(key(t.name))), (table, column) => {
      if (column.identity && !nextvalSequence(column.default)) return true;
      const seq = nextvalSequence(column.default);
      if (!seq) return false;
      const k = resolve(seq, table);
      return folds(k, uses.get(k) ?? []);
    });
    for (const table of ctx.schema.tables) {
      if (excludedTables.has(key(table.name))) continue;
      for (const column of table.columns) {
        const id = column.identity;
        if (!id || nextvalSequence(column.default)) continue;
        const winner = demoted.get(columnKey(table, column));
        if (winner !== undefined) {
          // TiDB has one AUTO_INCREMENT per table: this identity keeps its own generator as a SEQUENCE.
          // PostgreSQL's implicit name, kept within TiDB's 64 characters.
          const implicit = shortenIdentifier(`${table.name.name}_${column.name}_seq`);
          const seqKey = id.sequence ? key(id.sequence) : key({ schema: table.name.schema ?? 'public', name: implicit });
          const seq: Sequence = seqByKey.get(seqKey) ?? { name: id.sequence ?? { ...(table.name.schema ? { schema: table.name.schema } : {}), name: implicit }, ...identityOptions(id) };
          const name = this.addSequence(ctx, seqKey, seq, table);
          this.decisions.set(columnKey(table, column), { kind: 'sequence', sequence: name });
          uses.set(seqKey, []);
          kept.add(seqKey);
          d.add('sequence-demoted', { column: column.name, autoIncrement: winner, sequence: name.name, generatedAlwaysLost: id.kind === 'always', created: false }, { span: column.span, subject: columnSubject(table.name, column.name) });
          continue;
        }
        const losses: PayloadOf<'identity-lossy'>[] = [];
        if (id.kind === 'always') losses.push({ reason: 'generated-always' });
        if (id.increment && id.increment !== '1') losses.push({ reason: 'identity-increment', increment: id.increment });
        if (id.minValue || id.maxValue || id.cycle) losses.push({ reason: 'identity-bounds' });
        this.decisions.set(columnKey(table, column), { kind: 'auto-increment', ...(id.start ? { start: id.start } : {}), losses });
        if (id.sequence) {
          const owned = seqByKey.get(key(id.sequence));
          if (owned) uses.set(key(id.sequence), uses.get(key(id.sequence)) ?? []);
        }
      }
    }
    const identityNamed = new Set(
      ctx.schema.tables.flatMap((t) => t.columns.flatMap((c) => (c.identity?.sequence ? [key(c.identity.sequence)] : []))),
    );

    for (const [seqKey, list] of uses) {
      const seq = seqByKey.get(seqKey);
      const single = list.length === 1 ? demoted.get(columnKey(list[0]!.table, list[0]!.column)) : undefined;
      if (single !== undefined) {
        const use = list[0]!;
        const name = this.addSequence(ctx, seqKey, seq, use.table);
        this.decisions.set(columnKey(use.table, use.column), { kind: 'sequence', sequence: name });
        d.add('sequence-demoted', { column: use.column.name, autoIncrement: single, sequence: name.name, generatedAlwaysLost: false, created: seq === undefined }, { span: seq?.span ?? use.column.span, subject: columnSubject(use.table.name, use.column.name) });
        continue;
      }
      if (list.length === 1) {
        const use = list[0]!;
        if (folds(seqKey, list)) {
          const losses: PayloadOf<'identity-lossy'>[] = [];
          if (seq?.increment && seq.increment !== '1') losses.push({ reason: 'sequence-increment', sequence: seqKey, increment: seq.increment });
          if (seq?.cycle) losses.push({ reason: 'sequence-cycle', sequence: seqKey });
          this.decisions.set(columnKey(use.table, use.column), { kind: 'auto-increment', ...(seq?.start ? { start: seq.start } : {}), losses });
          const subject = `${display(use.table.name)}.${use.column.name}`;
          if (seq) {
            d.add('sequence-folded', { sequence: seqKey, reason: 'auto-increment', column: subject, ...(seq.start ? { start: seq.start } : {}) }, { span: seq.span, subject: objectSubject('sequence', seqKey), fix: 'Use AUTO_ID_CACHE 1 on the table if strict ordering matters.' });
          } else {
            d.add('unresolved-reference', { place: 'nextval', kind: 'sequence', name: seqKey }, { span: use.column.defaultSpan ?? use.column.span, subject: columnSubject(use.table.name, use.column.name) });
          }
          continue;
        }
      }
      if (list.length === 0) continue;
      const name = this.addSequence(ctx, seqKey, seq, list[0]!.table);
      for (const use of list) this.decisions.set(columnKey(use.table, use.column), { kind: 'sequence', sequence: name });
      d.add('sequence-translated', { sequence: seqKey, usedBy: list.map((u) => `${display(u.table.name)}.${u.column.name}`) }, { span: seq?.span, subject: objectSubject('sequence', seqKey) });
    }
    for (const seq of ctx.schema.sequences) {
      const k = key(seq.name);
      if (uses.has(k) || identityNamed.has(k)) {
        if (identityNamed.has(k) && !uses.get(k)?.length && !kept.has(k)) d.add('sequence-folded', { sequence: k, reason: 'identity' }, { span: seq.span, subject: objectSubject('sequence', k) });
        continue;
      }
      if (seq.ownedBy && excludedTables.has(key(seq.ownedBy.table))) {
        d.add('sequence-folded', { sequence: k, reason: 'partition', table: display(seq.ownedBy.table) }, { span: seq.span, subject: objectSubject('sequence', k) });
        continue;
      }
      this.addSequence(ctx, k, seq, undefined);
      d.add('sequence-translated', { sequence: k, usedBy: [] }, { span: seq.span, subject: objectSubject('sequence', k) });
    }
  }

  private addSequence(ctx: TransformContext, seqKey: string, seq: Sequence | undefined, fallbackTable: Table | undefined): TidbName {
    const dot = seqKey.indexOf('.');
    const schema = seq?.name.schema ?? seqKey.slice(0, dot);
    const name: TidbName = { database: ctx.database(schema ?? fallbackTable?.name.schema), name: seq?.name.name ?? seqKey.slice(dot + 1) };
    if (!this.sequences.some((s) => s.name.database === name.database && s.name.name === name.name)) {
      const maxValue = seq?.maxValue ?? (seq?.dataType ? own(DATA_TYPE_MAX, seq.dataType) : undefined);
      this.sequences.push({
        name,
        ...(seq?.start !== undefined ? { start: seq.start } : {}),
        ...(seq?.increment !== undefined ? { increment: seq.increment } : {}),
        ...(seq?.minValue !== undefined ? { minValue: seq.minValue } : {}),
        ...(maxValue !== undefined ? { maxValue: clampMax(maxValue) } : {}),
        ...(seq?.cache !== undefined ? { cache: seq.cache } : {}),
        ...(seq?.cycle ? { cycle: true } : {}),
        ...(seq?.span ? { span: seq.span } : {}),
      });
    }
    return name;
  }

  forColumn(table: Table, column: Column): SequenceDecision | undefined {
    let d = this.byColumn.get(column);
    if (d === undefined) {
      d = this.decisions.get(columnKey(table, column)) ?? null;
      this.byColumn.set(column, d);
    }
    return d ?? undefined;
  }
}

/** `AS integer` etc. bound the sequence (tidb.md §5.1: TiDB has no AS clause). */
const DATA_TYPE_MAX: Record<string, string> = {
  smallint: '32767',
  int2: '32767',
  integer: '2147483647',
  int4: '2147483647',
  bigint: '9223372036854775806',
  int8: '9223372036854775806',
};

/** TiDB's MAXVALUE is at most 9223372036854775806 (one less than PostgreSQL's). */
function clampMax(value: string): string {
  try {
    return BigInt(value) > 9223372036854775806n ? '9223372036854775806' : value;
  } catch {
    return value;
  }
}

/**
 * TiDB allows one AUTO_INCREMENT column per table, and it must be a key (tidb.md §8): of the columns
 * that would fold into one, the first primary-key column keeps it (else any key column, else the first);
 * the others map (column key -> the winner's name) to a SEQUENCE with DEFAULT NEXTVAL.
 */
function demotedGenerators(tables: readonly Table[], folds: (table: Table, column: Column) => boolean): Map<string, string> {
  const demoted = new Map<string, string>();
  for (const table of tables) {
    const candidates = table.columns.filter((c) => folds(table, c));
    if (candidates.length < 2) continue;
    const pk = table.primaryKey?.columns ?? [];
    const winner = candidates.find((c) => c.name === pk[0]) ?? candidates.find((c) => pk.includes(c.name)) ?? candidates[0]!;
    for (const c of candidates) if (c !== winner) demoted.set(columnKey(table, c), winner.name);
  }
  return demoted;
}

function identityOptions(id: Identity): Omit<Sequence, 'name'> {
  return {
    ...(id.start !== undefined ? { start: id.start } : {}),
    ...(id.increment !== undefined ? { increment: id.increment } : {}),
    ...(id.minValue !== undefined ? { minValue: id.minValue } : {}),
    ...(id.maxValue !== undefined ? { maxValue: id.maxValue } : {}),
    ...(id.cache !== undefined ? { cache: id.cache } : {}),
    ...(id.cycle ? { cycle: true } : {}),
  };
}

function columnKey(table: Table, column: Column): string {
  return `${key(table.name)}\u0000${column.name}`;
}
