// A TiDB column type as SQL text. Shared by the transform (override messages) and the
// backends (DDL), so it lives below both.
import type { TidbType } from '../ir/tidb.js';
import { quoteString } from './quote.js';

export function printType(t: TidbType): string {
  let s: string;
  switch (t.base) {
    case 'DECIMAL':
      s = `DECIMAL(${t.precision ?? 10},${t.scale ?? 0})`;
      break;
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
    case 'BIT':
      s = `${t.base}(${t.length ?? 1})`;
      break;
    case 'VECTOR':
      s = t.length !== undefined ? `VECTOR(${t.length})` : 'VECTOR';
      break;
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      s = t.fsp ? `${t.base}(${t.fsp})` : t.base;
      break;
    case 'ENUM':
      s = `ENUM(${(t.values ?? []).map(quoteString).join(',')})`;
      break;
    default:
      s = t.base;
  }
  if (t.unsigned) s += ' UNSIGNED';
  if (t.charset) s += ` CHARACTER SET ${t.charset}`;
  if (t.collation) s += ` COLLATE ${t.collation}`;
  return s;
}
