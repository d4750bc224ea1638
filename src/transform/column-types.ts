import type { Domain } from '../ir/schema.js';
import type { TidbType } from '../ir/tidb.js';
import type { ColumnType, Expr } from '../ir/types.js';
import { key, type TransformContext } from './context.js';
import { TYPE_RULES, type ColumnUsage, type TypeLoss } from './type-rules.js';
import { labelsCollide } from './collation-fold.js';

export interface ResolvedType {
  readonly type: TidbType;
  /** The rule that decided it, for the report (`explain`). */
  readonly rule: string;
  readonly losses: readonly TypeLoss[];
  /** Domain constraints the column inherits. */
  readonly domain?: Domain;
  readonly isArray: boolean;
  /** Array element type, for multi-valued indexes. */
  readonly element?: ColumnType;
  /** Members an enum stored as text must be one of. */
  readonly enumCheck?: readonly string[];
}

/** ENUM members are limited to 255 characters (tidb.md §1.3). */
const MAX_ENUM_MEMBER = 255;

export function resolveColumnType(ctx: TransformContext, type: ColumnType, usage: ColumnUsage, depth = 0): ResolvedType {
  switch (type.kind) {
    case 'scalar': {
      const rule = TYPE_RULES[type.name];
      const decision = rule.decide(type.params, usage, ctx.options);
      return { type: decision.type, rule: rule.id, losses: decision.loss ? [decision.loss] : [], isArray: false };
    }
    case 'array':
      return {
        type: { base: 'JSON' },
        rule: 'array',
        losses: [{ id: 'array-to-json', data: { pgType: type.raw, dimensions: type.dims } }],
        isArray: true,
        element: type.element,
      };
    case 'user': {
      const k = key(type.name);
      const en = ctx.enums.get(k);
      if (en) {
        const long = en.values.filter((v) => [...v].length > MAX_ENUM_MEMBER);
        const losses: TypeLoss[] = long.length > 0 ? [{ id: 'lossy-type', data: { pgType: k, tidbType: 'ENUM', reason: 'enum-member-too-long' } }] : [];
        if (en.values.length === 0) {
          return { type: { base: 'VARCHAR', length: 255 }, rule: 'enum', losses: [{ id: 'lossy-type', data: { pgType: k, tidbType: 'VARCHAR(255)', reason: 'enum-empty' } }], isArray: false };
        }
        if (en.values.some((v) => /\s$/.test(v))) {
          // TiDB strips trailing spaces from ENUM members ('a ' becomes 'a'): keep the exact values as text.
          const length = Math.max(1, ...en.values.map((v) => [...v].length));
          return {
            type: { base: 'VARCHAR', length },
            rule: 'enum-as-varchar',
            losses: [...losses, { id: 'lossy-type', data: { pgType: k, tidbType: `VARCHAR(${length})`, reason: 'enum-trailing-spaces' } }],
            isArray: false,
            enumCheck: en.values,
          };
        }
        // Members equal under the target collation make TiDB refuse the ENUM (1291): compare them in binary.
        if (labelsCollide(en.values, ctx.options.collation)) {
          return { type: { base: 'ENUM', values: en.values, collation: 'utf8mb4_bin' }, rule: 'enum-binary', losses: [...losses, { id: 'enum-binary', data: { enum: k, collation: 'utf8mb4_bin' } }], isArray: false };
        }
        return { type: { base: 'ENUM', values: en.values }, rule: 'enum', losses, isArray: false };
      }
      const domain = ctx.domains.get(k);
      if (domain && depth < 10) {
        const base = resolveColumnType(ctx, domain.type, { ...usage, literalDefault: usage.literalDefault || isLiteral(domain.default) }, depth + 1);
        return { ...base, rule: `domain(${k})->${base.rule}`, domain };
      }
      const composite = ctx.composites.get(k);
      if (composite) {
        return { type: { base: 'JSON' }, rule: 'composite', losses: [{ id: 'lossy-type', data: { pgType: k, tidbType: 'JSON', reason: 'composite-json' } }], isArray: false };
      }
      return unsupported(type.raw, usage, 'undefined');
    }
    case 'unsupported':
      return unsupported(type.raw, usage, 'not-understood');
  }
}

function unsupported(raw: string, usage: ColumnUsage, reason: 'undefined' | 'not-understood'): ResolvedType {
  const type: TidbType = usage.keyed || usage.literalDefault ? { base: 'VARCHAR', length: 255 } : { base: 'LONGTEXT' };
  return { type, rule: 'unsupported', losses: [{ id: 'unsupported-type', data: { reason, pgType: raw, tidbType: `${type.base}${type.length ? `(${type.length})` : ''}` } }], isArray: false, ...{ raw } };
}

export function isLiteral(e: Expr | undefined): boolean {
  if (!e) return false;
  if (e.k === 'cast') return isLiteral(e.expr);
  return e.k === 'string' || e.k === 'number' || e.k === 'bool';
}
