import { tableSubject } from '../diagnostics/subject.js';
import type { PartitionBound, Table } from '../ir/schema.js';
import type { TidbColumn, TidbPartitioning } from '../ir/tidb.js';
import type { Expr } from '../ir/types.js';
import { quoteIdent } from '../sql/quote.js';
import { display, key, type TransformContext } from './context.js';
import { translateExpr } from './expressions.js';
import { targetHas, targetLacks } from './features.js';

export interface PartitionPlan {
  /** Parent key -> the partitioning to emit inline. */
  readonly inline: Map<string, TidbPartitioning>;
  /** Partition children folded into a parent: not emitted as tables. */
  readonly folded: Set<string>;
}

const INTEGER = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);
const RANGE_COLUMNS_TYPES = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'CHAR', 'VARCHAR', 'DATE', 'DATETIME']);

function boundValue(e: Expr): string | undefined {
  if (e.k === 'column' && (e.name === 'maxvalue' || e.name === 'minvalue')) return e.name.toUpperCase();
  const t = translateExpr(e);
  return t.ok ? t.sql : undefined;
}

/**
 * Plans PARTITION BY ... PARTITION OF as TiDB inline partitions (tidb.md §5.4): RANGE over
 * integers or RANGE COLUMNS over dates and strings, LIST COLUMNS, HASH/KEY with all remainders.
 */
export function planPartitions(ctx: TransformContext, columnTypes: (table: Table, column: string) => TidbColumn | undefined): PartitionPlan {
  const d = ctx.diagnostics;
  const inline = new Map<string, TidbPartitioning>();
  const folded = new Set<string>();
  const children = new Map<string, Table[]>();
  for (const t of ctx.schema.tables) {
    if (t.partitionOf) {
      const k = key(t.partitionOf.parent);
      children.set(k, [...(children.get(k) ?? []), t]);
    }
  }
  for (const parent of ctx.schema.tables) {
    const spec = parent.partitionBy;
    if (!spec) continue;
    const pk = key(parent.name);
    const subject = display(parent.name);
    const about = tableSubject(parent.name);
    const kids = children.get(pk) ?? [];
    const reject = (why: string, id: 'partition-not-supported' | 'target-feature' = 'partition-not-supported') => {
      d.add(id, { detail: `${subject}: partitioning cannot be kept (${why}); created as one table${kids.length > 0 ? `, and the rows of its partitions ${kids.map((k) => display(k.name)).join(', ')} belong in it` : ''}` }, { span: spec.span ?? parent.span, subject: about });
      for (const kid of kids) folded.add(key(kid.name));
    };
    if (kids.some((k) => k.partitionBy)) {
      reject('sub-partitions are not supported');
      continue;
    }
    if (spec.keys.length === 0 || spec.keys.some((k) => !k.column)) {
      reject('expression partition keys are not supported');
      continue;
    }
    const cols = spec.keys.map((k) => k.column!);
    const types = cols.map((c) => columnTypes(parent, c)?.type.base);
    if (types.some((t) => t === undefined)) {
      reject('a partition column does not exist');
      continue;
    }
    const colList = cols.map(quoteIdent).join(', ');
    const partitions: { name: string; bound: string }[] = [];
    let method: TidbPartitioning['method'];
    let expr = colList;
    let ok = true;
    if (spec.strategy === 'range') {
      if (cols.length === 1 && INTEGER.has(types[0]!)) method = 'RANGE';
      else if (types.every((t) => RANGE_COLUMNS_TYPES.has(t!))) method = 'RANGE COLUMNS';
      else {
        reject(`RANGE over ${types.join(', ')} columns`);
        continue;
      }
      const ranges = kids.flatMap((k) => (k.partitionOf!.bound.kind === 'range' ? [{ kid: k, bound: k.partitionOf!.bound as Extract<PartitionBound, { kind: 'range' }> }] : []));
      const defaultKid = kids.find((k) => k.partitionOf!.bound.kind === 'default');
      if (defaultKid) {
        d.add('partition-default-range', { detail: `${subject}: the DEFAULT partition ${display(defaultKid.name)} becomes a MAXVALUE partition, which only takes values above the last range` }, { span: spec.span, subject: about });
      }
      const upper = (b: Extract<PartitionBound, { kind: 'range' }>) => b.to.map(boundValue);
      const sorted = [...ranges].sort((a, b) => compareBounds(upper(a.bound), upper(b.bound)));
      for (const r of sorted) {
        const to = upper(r.bound);
        if (to.some((v) => v === undefined)) ok = false;
        const bound = method === 'RANGE' ? `VALUES LESS THAN (${to[0]})` : `VALUES LESS THAN (${to.join(', ')})`;
        partitions.push({ name: r.kid.name.name, bound });
      }
      const def = kids.find((k) => k.partitionOf!.bound.kind === 'default');
      if (def) partitions.push({ name: def.name.name, bound: method === 'RANGE' ? 'VALUES LESS THAN (MAXVALUE)' : `VALUES LESS THAN (${cols.map(() => 'MAXVALUE').join(', ')})` });
      if (ranges.length > 0) {
        d.add('partition-converted', { detail: `${subject}: range partitions ${ranges.map((r) => display(r.kid.name)).join(', ')} are declared inline as VALUES LESS THAN; values below the first FROM bound are no longer rejected` }, { span: spec.span, subject: about });
      }
    } else if (spec.strategy === 'list') {
      method = 'LIST COLUMNS';
      if (kids.some((k) => k.partitionOf!.bound.kind === 'default') && !targetHas(ctx.options, 'listDefaultPartition')) {
        reject(targetLacks(ctx.options, 'listDefaultPartition'), 'target-feature');
        continue;
      }
      for (const kid of kids) {
        const b = kid.partitionOf!.bound;
        if (b.kind === 'default') partitions.push({ name: kid.name.name, bound: 'DEFAULT' });
        else if (b.kind === 'list') {
          const values = b.values.map(boundValue);
          if (values.some((v) => v === undefined)) ok = false;
          partitions.push({ name: kid.name.name, bound: `VALUES IN (${values.join(', ')})` });
        }
      }
      d.add('partition-converted', { detail: `${subject}: list partitions ${kids.map((k) => display(k.name)).join(', ')} are declared inline` }, { span: spec.span, subject: about });
    } else {
      method = cols.length === 1 && INTEGER.has(types[0]!) ? 'HASH' : 'KEY';
      if (method === 'KEY' && !targetHas(ctx.options, 'keyPartitioning')) {
        reject(`HASH needs one integer column; ${targetLacks(ctx.options, 'keyPartitioning')}`, 'target-feature');
        continue;
      }
      const moduli = new Set(kids.map((k) => (k.partitionOf!.bound.kind === 'hash' ? (k.partitionOf!.bound as { modulus: number }).modulus : -1)));
      const modulus = [...moduli][0] ?? 0;
      if (moduli.size !== 1 || modulus !== kids.length || modulus <= 0) {
        reject('hash partitions with mixed moduli or missing remainders');
        continue;
      }
      expr = colList;
      d.add('partition-converted', { detail: `${subject}: HASH partitioning by ${cols.join(', ')} (${kids.map((k) => display(k.name)).join(', ')}) becomes ${method} with ${modulus} partitions; rows land in different partitions than in PostgreSQL` }, { span: spec.span, subject: about });
      inline.set(pk, { method, expr, partitions: [], count: modulus });
      for (const kid of kids) folded.add(key(kid.name));
      continue;
    }
    if (!ok || partitions.length === 0) {
      reject(partitions.length === 0 ? 'no partitions are defined in the input' : 'a partition bound cannot be translated');
      continue;
    }
    inline.set(pk, { method, expr, partitions });
    for (const kid of kids) folded.add(key(kid.name));
  }
  for (const t of ctx.schema.tables) {
    if (t.partitionOf && !folded.has(key(t.name))) {
      d.add('partition-not-supported', { detail: `${display(t.name)} is a partition of ${display(t.partitionOf.parent)}, which is not a partitioned table in the input; created as an ordinary table` }, { span: t.partitionOf.span ?? t.span, subject: tableSubject(t.name) });
    }
  }
  return { inline, folded };
}

function compareBounds(a: (string | undefined)[], b: (string | undefined)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x === y) continue;
    if (x === 'MAXVALUE') return 1;
    if (y === 'MAXVALUE') return -1;
    const nx = Number(x);
    const ny = Number(y);
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}
