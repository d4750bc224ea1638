/**
 * Forms in which an input carries data outside COPY blocks and INSERTs, read by both the schema
 * frontend (which reports them) and pg2tidb data (which says their rows are not loaded): the
 * functions pg_dump's BLOBS entry calls to write a large object, and psql's `\copy ... FROM`.
 */

/** Functions that write a large object's bytes (lo_open names the object; the rest use its descriptor). */
export const LARGE_OBJECT_WRITES: readonly string[] = ['lo_open', 'lowrite', 'lo_close', 'lo_put', 'lo_from_bytea', 'lo_import'];

const LARGE_OBJECT_CALL = new RegExp(`^\\s*select\\s+(?:pg_catalog\\.)?(${LARGE_OBJECT_WRITES.join('|')})\\s*\\(\\s*(?:'?(\\d+))?`, 'i');

/** A `SELECT lo_...(...)` that writes a large object, with the object's oid where the call names it (lo_open). */
export function largeObjectWrite(statement: string): { readonly oid?: string } | undefined {
  const m = LARGE_OBJECT_CALL.exec(statement);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === 'lo_open' && m[2] !== undefined ? { oid: m[2] } : {};
}

/** The table of psql's `\copy table [(columns)] FROM ...` (a client file's rows), or undefined (`\copy ... TO`, any other line). */
export function copyFromTable(metaLine: string): string | undefined {
  return /^\\copy\s+(\S+?)(?:\s*\([^)]*\))?\s+from\b/i.exec(metaLine.trim())?.[1];
}
