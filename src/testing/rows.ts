/**
 * Rows for the differential harness: fast-check arbitraries of PostgreSQL literal text per column
 * type, with the edge values that tell engines apart on purpose (empty arrays, NULL elements,
 * empty string vs NULL, case and trailing-space variants, unicode, type extremes, NaN/±infinity,
 * nested jsonb). Values come from small pools often, so unique keys collide.
 */
import fc from 'fast-check';
import type { ColumnType } from '../ir/types.js';

/** A column value: PostgreSQL literal text, NULL, or left out (the column's default applies). */
export type RowValue = string | null | { readonly omit: true };

const TEXT_POOL = ['', 'x', 'X', 'x ', ' x', 'a', 'A', 'é', 'É', 'e\u0301', '日本', '😀', "it's", 'back\\slash', 'ß', 'SS', 'kind'];
const INT_EDGES: Record<string, readonly string[]> = {
  smallint: ['-32768', '32767', '32768'],
  integer: ['-2147483648', '2147483647', '2147483648'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const JSON_POOL = ['{}', '[]', 'null', '0', '1.5', '"s"', 'true', 'false', '{"a": 1}', '{"A": 1}', '{"kind": "x"}', '{"published": true}', '{"published": "yes"}', '{"size": 3}', '{"a": {"b": [1, null, "x", {"c": []}]}}', '["kind", null]', '{"address": {"city": "Zürich"}}', '{"k": null}'];

function scalar(name: string, params: readonly number[]): fc.Arbitrary<string> | undefined {
  switch (name) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -3, max: 5 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom(...INT_EDGES[name]!) });
    case 'numeric': {
      const [p, s] = params;
      const scale = s ?? 0;
      const digits = p !== undefined ? Math.max(0, Math.min(p - scale, 12)) : 12;
      const special = p === undefined ? ['NaN', 'Infinity', '-Infinity', '0.000000000000000000000000000001'] : [];
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -99, max: 99 }).map((n) => (scale > 0 ? `${n}.${'5'.padEnd(Math.min(scale, 6), '0')}` : String(n))) },
        { weight: 1, arbitrary: fc.constantFrom(...(digits > 0 ? ['9'.repeat(digits), `-${'9'.repeat(digits)}`] : ['0']), '1' + '0'.repeat(digits), ...special) },
      );
    }
    case 'real':
    case 'double precision':
      return fc.oneof({ weight: 3, arbitrary: fc.constantFrom('0', '1.5', '-2.25', '3') }, { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', '1e38', '1e-38') });
    case 'text':
    case 'character varying':
    case 'character':
    case 'citext':
    case 'name': {
      const n = params[0] ?? (name === 'character' ? 1 : undefined);
      const long = n !== undefined ? ['y'.repeat(n), 'y'.repeat(n + 1), `${'y'.repeat(n)} `] : ['z'.repeat(300)];
      return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TEXT_POOL) }, { weight: 1, arbitrary: fc.constantFrom(...long) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => s.replace(/\0/g, '')) });
    }
    case 'boolean':
      return fc.constantFrom('t', 'f');
    case 'uuid':
      return fc.constantFrom('00000000-0000-0000-0000-000000000000', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'ffffffff-ffff-ffff-ffff-ffffffffffff');
    case 'json':
    case 'jsonb':
      return fc.constantFrom(...JSON_POOL);
    case 'date':
      return fc.constantFrom('2020-01-01', '2020-02-29', '1970-01-01', '0001-01-01', '9999-12-31', 'infinity', '-infinity');
    case 'timestamp':
    case 'timestamp with time zone':
      return fc.constantFrom('2020-01-01 12:34:56.123456', '1970-01-01 00:00:00', '2038-01-19 03:14:08', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999999', 'infinity');
    case 'time':
      return fc.constantFrom('00:00:00', '12:00:00.5', '23:59:59.999999', '24:00:00');
    case 'bytea':
      return fc.constantFrom('\\x', '\\x00', '\\x00ff', '\\x7878');
    default:
      return undefined;
  }
}

/** PostgreSQL array literal text of elements (NULL elements included). */
function arrayText(items: readonly (string | null)[]): string {
  return `{${items.map((i) => (i === null ? 'NULL' : `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

export interface RowTypeResolver {
  /** Enum labels, domain base, or undefined for a type the harness does not generate. */
  readonly enumValues: (t: ColumnType) => readonly string[] | undefined;
  readonly domainBase: (t: ColumnType) => ColumnType | undefined;
}

/** Values of a column type as PostgreSQL literal text; undefined when the harness cannot generate it. */
export function pgValue(type: ColumnType, resolve: RowTypeResolver, depth = 0): fc.Arbitrary<string> | undefined {
  switch (type.kind) {
    case 'scalar':
      return scalar(type.name, type.params);
    case 'array': {
      const element = pgValue(type.element, resolve, depth + 1);
      if (!element || type.dims > 1) return undefined;
      return fc.oneof({ weight: 2, arbitrary: fc.constant('{}') }, { weight: 1, arbitrary: fc.constant('{NULL}') }, { weight: 4, arbitrary: fc.array(fc.option(element, { freq: 6 }), { maxLength: 3 }).map(arrayText) });
    }
    case 'user': {
      const labels = resolve.enumValues(type);
      if (labels && labels.length > 0) return fc.constantFrom(...labels);
      const base = resolve.domainBase(type);
      return base && depth < 5 ? pgValue(base, resolve, depth + 1) : undefined;
    }
    case 'unsupported':
      return undefined;
  }
}

export interface RowColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
}

/** A row: per column a value, NULL (also for NOT NULL columns, now and then: both engines must refuse) or left out. */
export function pgRow(columns: readonly RowColumn[], resolve: RowTypeResolver): fc.Arbitrary<RowValue[]> | undefined {
  const arbs: fc.Arbitrary<RowValue>[] = [];
  for (const c of columns) {
    const v = pgValue(c.type, resolve);
    if (!v) {
      if (c.notNull && !c.hasDefault) return undefined;
      arbs.push(c.hasDefault ? fc.constant({ omit: true } as const) : fc.constant(null));
      continue;
    }
    arbs.push(
      fc.oneof(
        { weight: 12, arbitrary: v as fc.Arbitrary<RowValue> },
        { weight: c.notNull ? 1 : 3, arbitrary: fc.constant(null) },
        { weight: c.hasDefault ? 4 : 0, arbitrary: fc.constant({ omit: true } as const) },
      ),
    );
  }
  return fc.tuple(...arbs);
}
