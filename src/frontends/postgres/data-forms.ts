/**
 * Forms in which an input carries data outside COPY blocks and INSERTs, read by both the schema
 * frontend (which reports them) and pg2tidb data (which says their rows are not loaded): the
 * functions pg_dump's BLOBS entry calls to write a large object, psql's `\copy ... FROM`, and
 * the psql meta-commands that read another file or switch database.
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

/** psql meta-commands that do more than set up the session (psql's own names and abbreviations). */
const META_EFFECTS: Readonly<Record<string, 'include' | 'connect' | 'copy'>> = {
  '\\i': 'include',
  '\\ir': 'include',
  '\\include': 'include',
  '\\include_relative': 'include',
  '\\c': 'connect',
  '\\connect': 'connect',
  '\\copy': 'copy',
};

/** A meta-command line's command, what it does beyond the session, and its first argument (unquoted). */
export function metaEffect(metaLine: string): { readonly command: string; readonly effect?: 'include' | 'connect' | 'copy'; readonly argument: string } {
  // pg2tidb data hands meta lines on ending in ';' (its schema text is statements).
  const [command = '\\', ...rest] = metaLine.trim().replace(/;\s*$/, '').split(/\s+/);
  const quoted = /^(?:"((?:[^"]|"")*)"|'((?:[^']|'')*)'|(\S+))/.exec(rest.join(' '));
  const argument = quoted ? (quoted[1]?.replace(/""/g, '"') ?? quoted[2]?.replace(/''/g, "'") ?? quoted[3] ?? '') : '';
  const effect = Object.hasOwn(META_EFFECTS, command) ? META_EFFECTS[command] : undefined;
  return effect ? { command, effect, argument } : { command, argument };
}
