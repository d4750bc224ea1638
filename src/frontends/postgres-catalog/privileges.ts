/**
 * Privileges as pg_dump writes them: for each object with an ACL, REVOKE for every item of its
 * baseline (pg_init_privs, else acldefault) it no longer has, GRANT for every item it has beyond it,
 * items compared whole (dumputils.c buildACLCommands). A grant made by another role than the owner is
 * written under SET SESSION AUTHORIZATION, as pg_dump does.
 */
import { CLASS, keyOf, NOT_EXTENSION_MEMBER, str, USER_SCHEMA, type CatalogQuery } from './common.js';

/** One object's GRANT/REVOKE text, and the key of the object it follows. */
export interface AclEntry {
  readonly owner: string;
  readonly sql: string;
}

/** Privileges that GRANT ALL stands for, by what the statement names. */
const ALL: Readonly<Record<string, readonly string[]>> = {
  TABLE: ['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  SEQUENCE: ['USAGE', 'SELECT', 'UPDATE'],
  FUNCTION: ['EXECUTE'],
  PROCEDURE: ['EXECUTE'],
  SCHEMA: ['USAGE', 'CREATE'],
  TYPE: ['USAGE'],
  LANGUAGE: ['USAGE'],
  'FOREIGN DATA WRAPPER': ['USAGE'],
  'FOREIGN SERVER': ['USAGE'],
  column: ['INSERT', 'SELECT', 'UPDATE', 'REFERENCES'],
};

/** The order pg_dump lists privileges in. */
const PRIVILEGE_ORDER = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE', 'EXECUTE', 'CREATE', 'CONNECT', 'TEMPORARY'];

/** Per object class: its rows as (cls, oid, sub, label, name, column, acl, base, owner). */
const SOURCES: readonly string[] = [
  `SELECT 'pg_namespace' AS cls, n.oid, 0 AS sub, 'SCHEMA' AS label, pg_catalog.quote_ident(n.nspname) AS name, NULL::text AS col, n.nspacl AS acl,
          COALESCE((SELECT p.initprivs FROM pg_catalog.pg_init_privs p WHERE p.objoid = n.oid AND p.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND p.objsubid = 0), pg_catalog.acldefault('n', n.nspowner)) AS base, n.nspowner AS own
     FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.namespace, 'n.oid')}`,
  `SELECT 'pg_class', c.oid, 0, CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), NULL, c.relacl,
          COALESCE((SELECT p.initprivs FROM pg_catalog.pg_init_privs p WHERE p.objoid = c.oid AND p.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND p.objsubid = 0), pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner)), c.relowner
     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.class, 'c.oid')}`,
  `SELECT 'pg_class', c.oid, a.attnum, 'TABLE', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), pg_catalog.quote_ident(a.attname), a.attacl,
          COALESCE((SELECT p.initprivs FROM pg_catalog.pg_init_privs p WHERE p.objoid = c.oid AND p.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND p.objsubid = a.attnum), pg_catalog.acldefault('c', c.relowner)), c.relowner
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.class, 'c.oid')}`,
  `SELECT 'pg_proc', p.oid, 0, CASE WHEN p.prokind = 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', NULL, p.proacl,
          COALESCE((SELECT i.initprivs FROM pg_catalog.pg_init_privs i WHERE i.objoid = p.oid AND i.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND i.objsubid = 0), pg_catalog.acldefault('f', p.proowner)), p.proowner
     FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.proc, 'p.oid')}`,
  // pg_dump names a domain's privileges ON TYPE too.
  `SELECT 'pg_type', t.oid, 0, 'TYPE', pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname), NULL, t.typacl,
          COALESCE((SELECT i.initprivs FROM pg_catalog.pg_init_privs i WHERE i.objoid = t.oid AND i.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND i.objsubid = 0), pg_catalog.acldefault('T', t.typowner)), t.typowner
     FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'c', 'b') AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c') AND t.typelem = 0 AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.type, 't.oid')}`,
  `SELECT 'pg_language', l.oid, 0, 'LANGUAGE', pg_catalog.quote_ident(l.lanname), NULL, l.lanacl, pg_catalog.acldefault('l', l.lanowner), l.lanowner
     FROM pg_catalog.pg_language l WHERE l.lanispl AND l.oid >= 16384 AND ${NOT_EXTENSION_MEMBER('pg_language', 'l.oid')}`,
  `SELECT 'pg_foreign_data_wrapper', w.oid, 0, 'FOREIGN DATA WRAPPER', pg_catalog.quote_ident(w.fdwname), NULL, w.fdwacl, pg_catalog.acldefault('F', w.fdwowner), w.fdwowner
     FROM pg_catalog.pg_foreign_data_wrapper w WHERE ${NOT_EXTENSION_MEMBER('pg_foreign_data_wrapper', 'w.oid')}`,
  `SELECT 'pg_foreign_server', s.oid, 0, 'FOREIGN SERVER', pg_catalog.quote_ident(s.srvname), NULL, s.srvacl, pg_catalog.acldefault('S', s.srvowner), s.srvowner
     FROM pg_catalog.pg_foreign_server s WHERE ${NOT_EXTENSION_MEMBER('pg_foreign_server', 's.oid')}`,
];

/** Every object's GRANT/REVOKE statements, each list in pg_dump's order within the object. */
export async function privileges(query: CatalogQuery): Promise<AclEntry[]> {
  const rows = await query(
    `SELECT o.cls, o.oid::text AS oid, o.sub, o.label, o.name, o.col, x.side, x.ord, e.privilege_type AS priv, e.is_grantable AS grantable,
            CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(e.grantee)) END AS grantee,
            CASE WHEN e.grantor <> o.own THEN pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(e.grantor)) END AS grantor
       FROM (${SOURCES.join('\n UNION ALL\n')}) o,
            LATERAL (SELECT 0 AS phase, 'revoke' AS side, u.i, u.ord FROM pg_catalog.unnest(o.base) WITH ORDINALITY u(i, ord) WHERE NOT (u.i = ANY (o.acl))
                     UNION ALL SELECT 1, 'grant', u.i, u.ord FROM pg_catalog.unnest(o.acl) WITH ORDINALITY u(i, ord) WHERE NOT (u.i = ANY (o.base))) x,
            LATERAL pg_catalog.aclexplode(ARRAY[x.i]) e
      WHERE o.acl IS NOT NULL
      ORDER BY o.cls, o.oid, o.sub, x.phase, x.ord, e.is_grantable`,
  );
  const byObject = new Map<string, { owner: string; statements: string[] }>();
  for (const { row: r, privs } of groupItems(rows)) {
    const object = `${str(r['cls'])}:${str(r['oid'])}`;
    if (!byObject.has(object)) byObject.set(object, { owner: keyOf(str(r['cls']), r['oid']), statements: [] });
    const label = str(r['label']);
    const what = privilegeList(r['col'] != null ? 'column' : label, privs);
    const list = r['col'] != null ? `${what}(${str(r['col'])})` : what;
    const on = `${label} ${str(r['name'])}`;
    const sql = str(r['side']) === 'revoke' ? `REVOKE ${list} ON ${on} FROM ${str(r['grantee'])};` : `GRANT ${list} ON ${on} TO ${str(r['grantee'])}${r['grantable'] === true ? ' WITH GRANT OPTION' : ''};`;
    byObject.get(object)!.statements.push(r['grantor'] != null ? `SET SESSION AUTHORIZATION ${str(r['grantor'])};\n${sql}\nRESET SESSION AUTHORIZATION;` : sql);
  }
  return [...byObject.values()].map((o) => ({ owner: o.owner, sql: o.statements.join('\n') }));
}

/** ALTER DEFAULT PRIVILEGES objects by what they apply to, and the ALL of each. */
const DEFAULT_OBJECTS: Readonly<Record<string, readonly [string, string]>> = { r: ['TABLES', 'TABLE'], S: ['SEQUENCES', 'SEQUENCE'], f: ['FUNCTIONS', 'FUNCTION'], T: ['TYPES', 'TYPE'], n: ['SCHEMAS', 'SCHEMA'] };

/** ALTER DEFAULT PRIVILEGES, per pg_default_acl row: against acldefault for a role-wide entry, against nothing in a schema. */
export async function defaultPrivileges(query: CatalogQuery): Promise<{ oid: string; schema?: string; objects: string; sql: string }[]> {
  const rows = await query(
    `SELECT d.oid::text AS oid, d.defaclobjtype::text AS type, pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)) AS role, n.nspname AS ns, pg_catalog.quote_ident(n.nspname) AS nsq,
            x.side, x.ord, e.privilege_type AS priv, e.is_grantable AS grantable, CASE WHEN e.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(e.grantee)) END AS grantee
       FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
            LATERAL (SELECT CASE WHEN d.defaclnamespace = 0 THEN pg_catalog.acldefault(d.defaclobjtype, d.defaclrole) ELSE '{}'::pg_catalog.aclitem[] END AS base) b,
            LATERAL (SELECT 0 AS phase, 'revoke' AS side, u.i, u.ord FROM pg_catalog.unnest(b.base) WITH ORDINALITY u(i, ord) WHERE NOT (u.i = ANY (d.defaclacl))
                     UNION ALL SELECT 1, 'grant', u.i, u.ord FROM pg_catalog.unnest(d.defaclacl) WITH ORDINALITY u(i, ord) WHERE NOT (u.i = ANY (b.base))) x,
            LATERAL pg_catalog.aclexplode(ARRAY[x.i]) e
      ORDER BY d.oid, x.phase, x.ord, e.is_grantable`,
  );
  const out = new Map<string, { oid: string; schema?: string; objects: string; sql: string[] }>();
  for (const { row: r, privs } of groupItems(rows)) {
    const [objects, kind] = DEFAULT_OBJECTS[str(r['type'])] ?? ['TABLES', 'TABLE'];
    const oid = str(r['oid']);
    if (!out.has(oid)) out.set(oid, { oid, ...(r['ns'] != null ? { schema: str(r['ns']) } : {}), objects, sql: [] });
    const scope = `ALTER DEFAULT PRIVILEGES FOR ROLE ${str(r['role'])}${r['nsq'] != null ? ` IN SCHEMA ${str(r['nsq'])}` : ''}`;
    const list = privilegeList(kind, privs);
    out.get(oid)!.sql.push(str(r['side']) === 'revoke' ? `${scope} REVOKE ${list} ON ${objects} FROM ${str(r['grantee'])};` : `${scope} GRANT ${list} ON ${objects} TO ${str(r['grantee'])}${r['grantable'] === true ? ' WITH GRANT OPTION' : ''};`);
  }
  return [...out.values()].map((o) => ({ ...o, sql: o.sql.join('\n') }));
}

/** Rows of exploded ACL items, grouped back into items (one side, one item, with or without grant option). */
function groupItems(rows: readonly Record<string, unknown>[]): { row: Record<string, unknown>; privs: string[] }[] {
  const items = new Map<string, { row: Record<string, unknown>; privs: string[] }>();
  for (const r of rows) {
    const item = `${str(r['cls'])}:${str(r['oid'])}:${str(r['sub'])}:${str(r['side'])}:${str(r['ord'])}:${str(r['grantable'])}`;
    if (!items.has(item)) items.set(item, { row: r, privs: [] });
    items.get(item)!.privs.push(str(r['priv']));
  }
  return [...items.values()];
}

/** ALL when the item has every privilege of its kind, else the privileges in pg_dump's order. */
function privilegeList(kind: string, privs: readonly string[]): string {
  const all = ALL[kind] ?? [];
  return all.length > 0 && all.every((p) => privs.includes(p)) ? 'ALL' : [...privs].sort((a, b) => PRIVILEGE_ORDER.indexOf(a) - PRIVILEGE_ORDER.indexOf(b)).join(',');
}
