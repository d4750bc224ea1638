/** Python text for types: what SQLAlchemy's MySQL dialect prints for a model type, `mysql.X(...)` for a TiDB type, and generic types for PostgreSQL ones. */
import type { TidbType } from '../../ir/tidb.js';
import { printType } from '../tidb/print.js';
import { py } from './python.js';

/** The MySQL type SQLAlchemy would print for a column whose PostgreSQL rendering is `pgType`, or undefined when it cannot or differs in kind. */
function predictMysql(pgType: string, rule: string): string | undefined {
  const t = pgType.trim().toUpperCase().replace(/\s+/g, ' ');
  if (/^(INTEGER|INT|SERIAL)$/.test(t)) return 'INT';
  if (/^(BIGINT|BIGSERIAL)$/.test(t)) return 'BIGINT';
  if (/^(SMALLINT|SMALLSERIAL)$/.test(t)) return 'SMALLINT';
  let m;
  if ((m = /^VARCHAR\((\d+)\)$/.exec(t))) return `VARCHAR(${m[1]})`;
  if ((m = /^CHAR\((\d+)\)$/.exec(t))) return `CHAR(${m[1]})`;
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if ((m = /^NUMERIC\((\d+), ?(\d+)\)$/.exec(t))) return `DECIMAL(${m[1]},${m[2]})`;
  if ((m = /^NUMERIC\((\d+)\)$/.exec(t))) return `DECIMAL(${m[1]},0)`;
  if (t === 'DATE') return 'DATE';
  if (t === 'JSON') return 'JSON';
  if ((m = /^VECTOR\((\d+)\)$/.exec(t))) return `VECTOR(${m[1]})`;
  if (rule === 'enum') return 'ENUM';
  return undefined;
}

/** True when SQLAlchemy's MySQL dialect already prints the TiDB type for the model's type. */
export function mysqlKeepsType(pgType: string, rule: string, t: TidbType): boolean {
  const predicted = predictMysql(pgType, rule);
  if (predicted === undefined) return false;
  if (predicted === 'ENUM') return t.base === 'ENUM';
  return predicted === printType(t);
}

function strOpts(t: TidbType): string[] {
  return [...(t.charset ? [`charset=${py(t.charset)}`] : []), ...(t.collation ? [`collation=${py(t.collation)}`] : [])];
}

function call(ns: string, name: string, args: readonly string[]): string {
  return args.length ? `${ns}.${name}(${args.join(', ')})` : `${ns}.${name}`;
}

/** `mysql.X(...)` for a TiDB type, or undefined when the MySQL dialect has no such type (VECTOR). */
export function mysqlTypeExpr(t: TidbType, ns = 'mysql'): string | undefined {
  const unsigned = t.unsigned ? ['unsigned=True'] : [];
  switch (t.base) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'BIGINT':
      return call(ns, t.base, unsigned);
    case 'INT':
      return call(ns, 'INTEGER', unsigned);
    case 'DECIMAL':
      return call(ns, 'DECIMAL', [String(t.precision ?? 10), String(t.scale ?? 0), ...unsigned]);
    case 'FLOAT':
    case 'DOUBLE':
      return call(ns, t.base, unsigned);
    case 'BOOLEAN':
      return call(ns, 'BOOLEAN', []);
    case 'CHAR':
    case 'VARCHAR':
      return `${ns}.${t.base}(${[String(t.length ?? 1), ...strOpts(t)].join(', ')})`;
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      return call(ns, t.base, strOpts(t));
    case 'BINARY':
    case 'VARBINARY':
      return `${ns}.${t.base}(${t.length ?? 1})`;
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
    case 'JSON':
    case 'DATE':
    case 'YEAR':
      return call(ns, t.base, []);
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      return call(ns, t.base, t.fsp ? [`fsp=${t.fsp}`] : []);
    case 'BIT':
      return `${ns}.BIT(${t.length ?? 1})`;
    case 'ENUM':
      return `${ns}.ENUM(${[...(t.values ?? []).map(py), ...strOpts(t)].join(', ')})`;
    case 'VECTOR':
      return undefined;
  }
}

/** `X()` for a type expression that may be a class (`JSONB`) or already an instance. */
export function instance(typeExpr: string): string {
  return /\)$/.test(typeExpr) ? typeExpr : `${typeExpr}()`;
}

/** Generic SQLAlchemy types for the array element types a model can name without a length. */
const ELEMENT_GENERICS: Record<string, string> = {
  VARCHAR: 'String()',
  TEXT: 'Text()',
  INTEGER: 'Integer()',
  BIGINT: 'BigInteger()',
  SMALLINT: 'SmallInteger()',
  BOOLEAN: 'Boolean()',
  UUID: 'Uuid()',
  DATE: 'Date()',
  FLOAT: 'Float()',
};

/**
 * A SQLAlchemy type that PostgreSQL renders as `pgType`, for the PostgreSQL variant of a column
 * whose type came from an annotation (`Mapped[dict]` through `type_annotation_map`). `pg` is the
 * `sqlalchemy.dialects.postgresql` expression; it is used only when the result says so.
 */
export function genericForPg(pgType: string, sa: string, pg: string): { expr: string; usesPg: boolean } | undefined {
  const t = pgType.trim().toUpperCase();
  let m;
  if ((m = /^(.*?)((?:\[\])+)$/.exec(t))) {
    const element = genericForPg(m[1]!, sa, pg) ?? (ELEMENT_GENERICS[m[1]!] ? { expr: `${sa}.${ELEMENT_GENERICS[m[1]!]}`, usesPg: false } : undefined);
    if (!element) return undefined;
    const dims = m[2]!.length / 2;
    return { expr: `${pg}.ARRAY(${element.expr}${dims > 1 ? `, dimensions=${dims}` : ''})`, usesPg: true };
  }
  if (t === 'JSONB') return { expr: `${pg}.JSONB()`, usesPg: true };
  const generic = genericScalar(t, sa);
  return generic ? { expr: generic, usesPg: false } : undefined;
}

function genericScalar(t: string, sa: string): string | undefined {
  let m;
  if (t === 'VARCHAR') return `${sa}.String()`;
  if ((m = /^VARCHAR\((\d+)\)$/.exec(t))) return `${sa}.String(${m[1]})`;
  if (t === 'UUID') return `${sa}.Uuid()`;
  if (t === 'TIMESTAMP WITHOUT TIME ZONE') return `${sa}.DateTime()`;
  if (t === 'TIMESTAMP WITH TIME ZONE') return `${sa}.DateTime(timezone=True)`;
  if (t === 'TIME WITHOUT TIME ZONE') return `${sa}.Time()`;
  if (t === 'TEXT') return `${sa}.Text()`;
  if (t === 'BYTEA') return `${sa}.LargeBinary()`;
  if (t === 'FLOAT') return `${sa}.Float()`;
  if (t === 'INTERVAL') return `${sa}.Interval()`;
  if (t === 'JSON') return `${sa}.JSON()`;
  if ((m = /^NUMERIC(\(.*\))?$/.exec(t))) return `${sa}.Numeric${m[1] ?? '()'}`;
  return undefined;
}
