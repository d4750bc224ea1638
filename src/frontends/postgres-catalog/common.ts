/** What the catalog reader's parts share: the query they run through, the filters pg_dump applies, text helpers. */
import type { DumpObject } from './order.js';

/** Runs one catalog query (parameters as $1, ...). */
export type CatalogQuery = (sql: string, params?: unknown[]) => Promise<readonly Record<string, unknown>[]>;

export const USER_SCHEMA = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`;
export const NOT_EXTENSION_MEMBER = (classid: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = '${classid}'::pg_catalog.regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

export const str = (v: unknown): string => (v == null ? '' : String(v));
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** The first PostgreSQL object id that is not built in (FirstNormalObjectId). */
export const FIRST_NORMAL_OID = 16384;

export const CLASS = { namespace: 'pg_namespace', type: 'pg_type', proc: 'pg_proc', class: 'pg_class', constraint: 'pg_constraint', extension: 'pg_extension', rewrite: 'pg_rewrite', trigger: 'pg_trigger', attrdef: 'pg_attrdef' } as const;
export const keyOf = (cls: string, oid: unknown): string => `${cls}:${str(oid)}`;

/** Adds an object to the dump. */
export type Add = (o: Omit<DumpObject, 'deps'> & { deps?: Iterable<string> }) => DumpObject;
