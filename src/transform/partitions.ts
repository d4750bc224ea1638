import type { PayloadOf } from '../diagnostics/catalogue.js';
import { tableSubject } from '../diagnostics/subject.js';
import type { PartitionBound, Table } from '../ir/schema.js';
import type { TidbColumn, TidbPartitioning } from '../ir/tidb.js';
import type { Expr } from '../ir/types.js';
import { quoteIdent } from '../sql/quote.js';
import { display, key, type TransformContext } from './context.js';
import { translateExpr } from './expressions.js';
import { featureTarget, targetHas } from './features.js';

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
    const about = tableSubject(parent.name);
    const kids = children.get(pk) ?? [];
    const folding = kids.length > 0 ? { partitions: kids.map((k) => display(k.name)) } : {};
    const reject = (why: Exclude<PayloadOf<'partition-not-supported'>['reason'], 'parent-not-partitioned'>, types?: readonly string[]) => {
      d.add('partition-not-supported', { reason: why, ...(types ? { types } : {}), ...folding }, { span: spec.span ?? parent.span, subject: about });
      for (const kid of kids) folded.add(key(kid.name));
    };
    const rejectOnTarget = (reason: 'list-default-partition' | 'key-partitioning', feature: 'listDefaultPartition' | 'keyPartitioning') => {
      d.add('target-feature', { reason, feature, ...featureTarget(ctx.options), ...folding }, { span: spec.span ?? parent.span, subject: about });
      for (const kid of kids) folded.add(key(kid.name));
    };
    if (kids.some((k) => k.partitionBy)) {
      reject('sub-partitions');
      continue;
    }
    if (spec.keys.length === 0 || spec.keys.some((k) => !k.column)) {
      reject('expression-keys');
      continue;
    }
    const cols = spec.keys.map((k) => k.column!);
    const types = cols.map((c) => columnTypes(parent, c)?.type.base);
    if (types.some((t) => t === undefined)) {
      reject('missing-column');
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
        reject('range-types', types as string[]);
        continue;
      }
      const ranges = kids.flatMap((k) => (k.partitionOf!.bound.kind === 'range' ? [{ kid: k, bound: k.partitionOf!.bound as Extract<PartitionBound, { kind: 'range' }> }] : []));
      const defaultKid = kids.find((k) => k.partitionOf!.bound.kind === 'default');
      if (defaultKid) {
        d.add('partition-default-range', { partition: display(defaultKid.name) }, { span: spec.span, subject: about });
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
        d.add('partition-converted', { method: 'RANGE', partitions: ranges.map((r) => display(r.kid.name)) }, { span: spec.span, subject: about });
      }
    } else if (spec.strategy === 'list') {
      method = 'LIST COLUMNS';
      if (kids.some((k) => k.partitionOf!.bound.kind === 'default') && !targetHas(ctx.options, 'listDefaultPartition')) {
        rejectOnTarget('list-default-partition', 'listDefaultPartition');
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
      d.add('partition-converted', { method: 'LIST', partitions: kids.map((k) => display(k.name)) }, { span: spec.span, subject: about });
    } else {
      method = cols.length === 1 && INTEGER.has(types[0]!) ? 'HASH' : 'KEY';
      if (method === 'KEY' && !targetHas(ctx.options, 'keyPartitioning')) {
        rejectOnTarget('key-partitioning', 'keyPartitioning');
        continue;
      }
      const moduli = new Set(kids.map((k) => (k.partitionOf!.bound.kind === 'hash' ? (k.partitionOf!.bound as { modulus: number }).modulus : -1)));
      const modulus = [...moduli][0] ?? 0;
      if (moduli.size !== 1 || modulus !== kids.length || modulus <= 0) {
        reject('mixed-moduli');
        continue;
      }
      expr = colList;
      d.add('partition-converted', { method, partitions: kids.map((k) => display(k.name)), columns: cols, count: modulus }, { span: spec.span, subject: about });
      inline.set(pk, { method, expr, partitions: [], count: modulus });
      for (const kid of kids) folded.add(key(kid.name));
      continue;
    }
    if (!ok || partitions.length === 0) {
      reject(partitions.length === 0 ? 'no-partitions' : 'bound-untranslatable');
      continue;
    }
    inline.set(pk, { method, expr, partitions });
    for (const kid of kids) folded.add(key(kid.name));
  }
  for (const t of ctx.schema.tables) {
    if (t.partitionOf && !folded.has(key(t.name))) {
      d.add('partition-not-supported', { reason: 'parent-not-partitioned', parent: display(t.partitionOf.parent) }, { span: t.partitionOf.span ?? t.span, subject: tableSubject(t.name) });
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
