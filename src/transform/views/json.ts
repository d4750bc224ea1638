import { quoteString } from '../../sql/quote.js';
import { jsonText, parsePgArrayLiteral } from '../expressions.js';
import { sql, type RuleCall, type Sql } from './sql.js';
import { kindOf, T } from './types.js';

/** A jsonb key or index operand, before translation: a constant's text, or a translated expression. */
export type JsonKey = { readonly constant: string | number } | { readonly expr: Sql };

/**
 * `->` / `->>` key or index → a TiDB JSON path. A negative index counts from the end in PostgreSQL:
 * `$[last]` is -1 in TiDB (measured on tidb-server v8.5: JSON_EXTRACT('[1,2,3]', '$[last-1]') = 2).
 * A computed key is quoted by JSON_QUOTE, so any text is one member name.
 */
function keyPath(key: JsonKey, call: RuleCall): string {
  if ('constant' in key) {
    const k = key.constant;
    if (typeof k === 'string') return quoteString(`$.${JSON.stringify(k)}`);
    return quoteString(k >= 0 ? `$[${k}]` : k === -1 ? '$[last]' : `$[last-${-k - 1}]`);
  }
  const x = key.expr;
  if (kindOf(x.type) === 'text') return `CONCAT('$.', JSON_QUOTE(${x.sql}))`;
  return call.fail('computed JSON array index', 'a computed index can be negative (from the end in PostgreSQL), which a TiDB path cannot take');
}

/** `#>` / `#>>` path '{a,0,b}' → $."a"[0]."b" (a number is an array index, as PostgreSQL reads it on an array). */
function pathArray(text: string, call: RuleCall): string {
  const items = parsePgArrayLiteral(text);
  if (!items || items.some((i) => typeof i !== 'string')) return call.fail('JSON path operand', 'not a one-dimensional text array without NULLs');
  const parts = (items as string[]).map((i) => {
    if (/^-?\d+$/.test(i)) return call.fail(`JSON path element ${i}`, 'PostgreSQL reads it as an object key or an array index depending on the value; a TiDB path is one or the other');
    return `.${JSON.stringify(i)}`;
  });
  return quoteString('$' + parts.join(''));
}

/**
 * jsonb `->`, `->>`, `#>`, `#>>` as the expression translator writes them (src/transform/expressions.ts):
 * `->>` of a JSON null is SQL NULL, as in PostgreSQL.
 */
export function jsonOperator(op: '->' | '->>' | '#>' | '#>>', doc: Sql, key: JsonKey, call: RuleCall): Sql {
  if (kindOf(doc.type) !== 'json') return call.fail(`operator ${op}`, 'its left operand is not a json/jsonb value known to the translator');
  let path: string;
  if (op === '#>' || op === '#>>') {
    if (!('constant' in key) || typeof key.constant !== 'string') return call.fail(`operator ${op} with a computed path`, 'only a constant path array is translated');
    path = pathArray(key.constant, call);
  } else path = keyPath(key, call);
  const extracted = `JSON_EXTRACT(${doc.sql}, ${path})`;
  if (op === '->' || op === '#>') return sql(extracted, T.json);
  call.note('->> / #>> give a JSON number as TiDB spells it (a double: 1.50 reads 1.5) and an object or array as TiDB prints it');
  return sql(jsonText(extracted), T.longtext);
}
