/**
 * Identity and sequence values after a load: the loaded rows keep their ids, so AUTO_INCREMENT
 * (or the TiDB SEQUENCE a default draws from) must continue past both the largest loaded value
 * and what the dump's setval() says the PostgreSQL sequence had reached.
 */
import type { TidbColumn, TidbName, TidbTable } from '../ir/tidb.js';
import { qualifiedName } from '../sql/quote.js';
import { key } from '../transform/context.js';
import { nextvalSequence } from '../transform/sequences.js';
import { columnRenames } from '../transform/rename.js';
import type { TranslateResult } from '../translate.js';
import type { Cell } from './values.js';

/** `schema.name` of a sequence as setval('...') or nextval('...') names it, quotes removed. */
function sequenceKey(name: string, defaultSchema: string): string {
  const parts = name.match(/"(?:[^"]|"")*"|[^.]+/g)?.map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase())) ?? [name];
  const seq = parts[parts.length - 1]!;
  return `${parts.length > 1 ? parts[parts.length - 2] : defaultSchema}.${seq}`;
}

export class SequenceTracker {
  /** Largest value loaded per `db.table.column`. */
  private readonly max = new Map<string, bigint>();
  /** The next value per PostgreSQL sequence, from setval(). */
  private readonly next = new Map<string, bigint>();
  /** The PostgreSQL sequence behind each TiDB `db.table.column`. */
  private readonly columnSequence = new Map<string, string>();

  constructor(private readonly translation: TranslateResult) {
    const pgTables = new Map(translation.schema.tables.flatMap((t) => [[key(t.name), t] as const, [t.name.name, t] as const]));
    const owned = new Map<string, string>();
    for (const s of translation.schema.sequences) if (s.ownedBy) owned.set(`${key(s.ownedBy.table)}.${s.ownedBy.column}`, key(s.name));
    for (const t of translation.tidb.tables) {
      const pg = pgTables.get(t.source) ?? pgTables.get(`public.${t.source}`);
      if (!pg) continue;
      const renames = columnRenames(pg);
      for (const c of t.columns) {
        const source = pg.columns.find((x) => (renames.get(x.name) ?? x.name) === c.origin.column);
        if (!source) continue;
        const schema = pg.name.schema ?? 'public';
        const fromDefault = nextvalSequence(source.default);
        const seq = fromDefault
          ? sequenceKey(fromDefault.schema ? `${fromDefault.schema}.${fromDefault.name}` : fromDefault.name, schema)
          : source.identity?.sequence
            ? key({ schema, ...source.identity.sequence })
            : (owned.get(`${key(pg.name)}.${source.name}`) ?? (source.identity ? `${schema}.${pg.name.name}_${source.name}_seq` : undefined));
        if (seq) this.columnSequence.set(colKey(t.name, c.name), seq);
      }
    }
  }

  observe(table: TidbTable, column: TidbColumn, value: Cell): void {
    if (typeof value !== 'string' || !(column.autoIncrement || column.default?.kind === 'nextval')) return;
    if (!/^-?\d+$/.test(value)) return;
    const k = colKey(table.name, column.name);
    const v = BigInt(value);
    const prev = this.max.get(k);
    if (prev === undefined || v > prev) this.max.set(k, v);
  }

  setval(name: string, value: bigint, isCalled: boolean, defaultSchema: string): void {
    this.next.set(sequenceKey(name, defaultSchema), isCalled ? value + 1n : value);
  }

  /** Statements to run after the rows are in: AUTO_INCREMENT and SETVAL past every loaded and dumped value. */
  statements(tables: readonly TidbTable[]): string[] {
    const out: string[] = [];
    const seqNext = new Map<string, bigint>();
    for (const t of tables) {
      for (const c of t.columns) {
        const k = colKey(t.name, c.name);
        const loaded = this.max.get(k);
        const pgSeq = this.columnSequence.get(k);
        const dumped = pgSeq ? this.next.get(pgSeq) : undefined;
        let next = loaded !== undefined ? loaded + 1n : undefined;
        if (dumped !== undefined && (next === undefined || dumped > next)) next = dumped;
        if (next === undefined) continue;
        if (c.autoIncrement && next > 1n) out.push(`ALTER TABLE ${qualifiedName(t.name.database, t.name.name)} AUTO_INCREMENT = ${next};`);
        else if (c.default?.kind === 'nextval') {
          // One SETVAL per TiDB sequence, past the largest value of every column drawing from it.
          const sk = qualifiedName(c.default.sequence.database, c.default.sequence.name);
          const prev = seqNext.get(sk);
          if (prev === undefined || next > prev) seqNext.set(sk, next);
        }
      }
    }
    for (const [sk, next] of seqNext) out.push(`SELECT SETVAL(${sk}, ${next - 1n});`);
    // Sequences no column uses (kept as TiDB SEQUENCEs): the dumped position.
    for (const s of this.translation.tidb.sequences) {
      if (seqNext.has(qualifiedName(s.name.database, s.name.name))) continue;
      const dumped = [...this.next].find(([k]) => k.endsWith(`.${s.name.name}`))?.[1];
      if (dumped !== undefined) out.push(`SELECT SETVAL(${qualifiedName(s.name.database, s.name.name)}, ${dumped - 1n});`);
    }
    return out;
  }
}

function colKey(t: TidbName, column: string): string {
  return `${t.database}.${t.name}.${column}`;
}
