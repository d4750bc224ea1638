import { jsonText } from '../expressions.js';
import { asUtf8, sql, type Sql } from './sql.js';
import { kindOf, T } from './types.js';

/**
 * Arrays are JSON in TiDB. TiDB's JSON_ARRAYAGG takes no ORDER BY, and an ordered derived table does
 * not order it (measured on tidb-server v8.5: JSON_ARRAYAGG(x) FROM (SELECT ... ORDER BY y DESC)
 * kept the insertion order); GROUP_CONCAT keeps its ORDER BY, so an ordered array is the JSON text
 * of its elements joined by GROUP_CONCAT and cast back to JSON.
 */

/** An element's JSON text: a SQL NULL is JSON null (kept, as array_agg keeps NULLs); booleans true/false. */
export function jsonElementText(x: Sql): string {
  if (kindOf(x.type) === 'bool') return `(CASE WHEN ${x.sql} THEN 'true' WHEN NOT ${x.sql} THEN 'false' ELSE 'null' END)`;
  // Not CAST(json AS CHAR): TiDB v8.5 stores it in the view as `CAST(... AS )`, and the view cannot be read (measured).
  return `CONVERT(JSON_EXTRACT(JSON_ARRAY(${asUtf8(x)}), '$[0]') USING utf8mb4)`;
}

/** The aggregate JSON array of `elements` (already element texts, NULL for a filtered-out row) in `order`; NULL for no rows, as array_agg. */
export function orderedArrayAgg(elements: string, order: string, distinct: boolean): Sql {
  return sql(`CAST(CONCAT('[', GROUP_CONCAT(${distinct ? 'DISTINCT ' : ''}${elements}${order} SEPARATOR ','), ']') AS JSON)`, T.json);
}

/** ARRAY(subquery): the same, over the subquery's rows, and an empty array (not NULL) when there are none. */
export function subqueryArray(element: string, order: string, from: string): Sql {
  return sql(`(SELECT CAST(CONCAT('[', COALESCE(GROUP_CONCAT(${element}${order} SEPARATOR ','), ''), ']') AS JSON) FROM ${from})`, T.json, true);
}

/** Element kinds whose text is the same in both engines (array_to_string over array_agg). */
const SAME_TEXT = new Set(['int', 'text', 'decimal', 'date']);

/**
 * array_to_string(array_agg(x [ORDER BY ...]), sep [, null_text]): GROUP_CONCAT, NULL elements skipped
 * (or spelled null_text) as PostgreSQL does; a group of only NULL elements is '' in PostgreSQL and
 * NULL from GROUP_CONCAT, while no rows at all (no GROUP BY, empty input) stays NULL.
 */
export function aggToString(x: Sql, order: string, distinct: boolean, separator: string, nullText: string | undefined): Sql | undefined {
  const kind = kindOf(x.type);
  const text = kind === 'bool' ? `(CASE WHEN ${x.sql} THEN 't' WHEN NOT ${x.sql} THEN 'f' END)` : SAME_TEXT.has(kind) ? asUtf8(x) : undefined;
  if (text === undefined) return undefined;
  const item = nullText !== undefined ? `COALESCE(${text}, ${nullText})` : text;
  return sql(`(CASE WHEN COUNT(*) = 0 THEN NULL ELSE COALESCE(GROUP_CONCAT(${distinct ? 'DISTINCT ' : ''}${item}${order} SEPARATOR ${separator}), '') END)`, T.longtext);
}

/**
 * array_to_string(json_array, sep [, null_text]) over a JSON array value: its elements by index, from
 * a recursive CTE bounded by JSON_LENGTH (correlated: measured on tidb-server v8.5). JSON null
 * elements are skipped (or null_text); an empty array is '', NULL stays NULL.
 */
export function jsonArrayToString(arr: Sql, separator: string, nullText: string | undefined): Sql {
  const el = `JSON_EXTRACT(${arr.sql}, CONCAT('$[', \`__pg2tidb_i\`.\`n\`, ']'))`;
  const item = nullText !== undefined ? `COALESCE(${jsonText(el)}, ${nullText})` : jsonText(el);
  const index = `WITH RECURSIVE \`__pg2tidb_i\` (\`n\`) AS (SELECT 0 UNION ALL SELECT \`n\` + 1 FROM \`__pg2tidb_i\` WHERE \`n\` + 1 < JSON_LENGTH(${arr.sql}))`;
  return sql(`(CASE WHEN ${arr.sql} IS NULL THEN NULL ELSE COALESCE((${index} SELECT GROUP_CONCAT(${item} ORDER BY \`__pg2tidb_i\`.\`n\` SEPARATOR ${separator}) FROM \`__pg2tidb_i\` WHERE \`__pg2tidb_i\`.\`n\` < JSON_LENGTH(${arr.sql})), '') END)`, T.longtext, arr.notNull);
}
