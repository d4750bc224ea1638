/**
 * A live database's schema as the DDL text `pg_dump --schema-only` writes, built from its
 * catalog: the object definitions come from PostgreSQL's own deparsers (format_type,
 * pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_partkeydef,
 * pg_get_functiondef, pg_get_triggerdef, pg_get_ruledef), laid out and ordered as pg_dump does
 * (order.ts), so the postgres frontend reads it as it reads a dump and diagnostics point into it.
 * System schemas and the members of extensions are left out, as pg_dump leaves them out. The other
 * kinds pg_dump writes (privileges, policies, publications, casts, ...) come from objects.ts and
 * privileges.ts, so that none is lost without a word when the schema is read from a live database.
 *
 * It runs queries only through `query`: the caller owns the connection and the snapshot (the
 * REPEATABLE READ transaction the rows are read in, for `pg2tidb data --from`).
 */
import { dumpOrder, PRIORITY, type DumpObject } from './order.js';
import { otherObjects } from './objects.js';
import { privileges } from './privileges.js';
import { CLASS, FIRST_NORMAL_OID, keyOf, literal, NOT_EXTENSION_MEMBER, str, USER_SCHEMA, type Add, type CatalogQuery } from './common.js';

export type { CatalogQuery } from './common.js';

interface Dep {
  readonly cls: string;
  readonly oid: string;
  readonly refCls: string;
  readonly refOid: string;
  readonly type: string;
}

/** The DDL text of the database's schema, in pg_dump's order. */
export async function catalogDdl(query: CatalogQuery): Promise<string> {
  const objects: DumpObject[] = [];
  const add = (o: Omit<DumpObject, 'deps'> & { deps?: Iterable<string> }) => {
    const obj: DumpObject = { ...o, deps: new Set(o.deps ?? []) };
    objects.push(obj);
    return obj;
  };
  // Keys that stand for another object's key (a table's row type, a view's rule, an inline default): pg_dump's merged objects.
  const alias = new Map<string, string>();

  const depRows = await query(
    `SELECT classid::pg_catalog.regclass::text AS cls, objid::text AS oid, refclassid::pg_catalog.regclass::text AS refcls, refobjid::text AS refoid, refobjsubid AS refsub, objsubid AS sub, deptype::text AS type
       FROM pg_catalog.pg_depend WHERE deptype <> 'p' AND refobjid >= ${FIRST_NORMAL_OID}`,
  );
  const deps: Dep[] = depRows.map((r) => ({ cls: str(r['cls']), oid: str(r['oid']), refCls: str(r['refcls']), refOid: str(r['refoid']), type: str(r['type']) }));

  // --- schemas
  for (const r of await query(
    `SELECT n.oid, pg_catalog.quote_ident(n.nspname) AS q, n.nspname AS name, pg_catalog.obj_description(n.oid, 'pg_namespace') AS comment, pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(n.nspowner)) AS owner
       FROM pg_catalog.pg_namespace n WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.namespace, 'n.oid')}`,
  )) {
    const name = str(r['name']);
    const parts: string[] = [];
    const comment = r['comment'] == null ? undefined : str(r['comment']);
    if (name !== 'public') parts.push(`CREATE SCHEMA ${str(r['q'])};`, `ALTER SCHEMA ${str(r['q'])} OWNER TO ${str(r['owner'])};`);
    // pg_dump leaves public's default comment out (PostgreSQL 15 creates it with this one).
    if (comment !== undefined && !(name === 'public' && comment === 'standard public schema')) parts.push(`COMMENT ON SCHEMA ${str(r['q'])} IS ${literal(comment)};`);
    if (parts.length > 0) add({ key: keyOf(CLASS.namespace, r['oid']), priority: PRIORITY.namespace, schema: '', name, sql: parts.join('\n\n') });
  }

  // --- extensions (not the built-in ones, plpgsql)
  for (const r of await query(
    `SELECT x.oid, pg_catalog.quote_ident(x.extname) AS q, x.extname AS name, pg_catalog.quote_ident(n.nspname) AS ns, pg_catalog.obj_description(x.oid, 'pg_extension') AS comment
       FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace WHERE x.oid >= ${FIRST_NORMAL_OID}`,
  )) {
    const parts = [`CREATE EXTENSION IF NOT EXISTS ${str(r['q'])} WITH SCHEMA ${str(r['ns'])};`];
    if (r['comment'] != null) parts.push(`COMMENT ON EXTENSION ${str(r['q'])} IS ${literal(str(r['comment']))};`);
    add({ key: keyOf(CLASS.extension, r['oid']), priority: PRIORITY.extension, schema: '', name: str(r['name']), sql: parts.join('\n\n') });
  }

  // --- types: enums, composites, domains, ranges
  const enumLabels = new Map<string, string[]>();
  for (const r of await query(`SELECT enumtypid::text AS t, enumlabel AS l FROM pg_catalog.pg_enum ORDER BY enumtypid, enumsortorder`)) {
    const t = str(r['t']);
    if (!enumLabels.has(t)) enumLabels.set(t, []);
    enumLabels.get(t)!.push(str(r['l']));
  }
  const domainChecks = new Map<string, string[]>();
  for (const r of await query(`SELECT contypid::text AS t, pg_catalog.quote_ident(conname) AS q, pg_catalog.pg_get_constraintdef(oid) AS def FROM pg_catalog.pg_constraint WHERE contypid <> 0 AND contype = 'c' ORDER BY contypid, conname`)) {
    const t = str(r['t']);
    if (!domainChecks.has(t)) domainChecks.set(t, []);
    domainChecks.get(t)!.push(`\n\tCONSTRAINT ${str(r['q'])} ${str(r['def'])}`);
  }
  const typeColumns = await attributes(query, `c.relkind = 'c'`);
  for (const r of await query(
    `SELECT t.oid, t.typtype::text AS kind, t.typrelid::text AS rel, n.nspname AS ns, t.typname AS name, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(t.typname) AS q,
            pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS notnull, pg_catalog.pg_get_expr(t.typdefaultbin, 'pg_catalog.pg_type'::pg_catalog.regclass) AS def,
            CASE WHEN t.typcollation <> 0 AND t.typcollation <> bt.typcollation THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS coll,
            pg_catalog.format_type(r.rngsubtype, NULL) AS subtype, r.rngsubdiff::pg_catalog.regproc::text AS diff,
            pg_catalog.obj_description(t.oid, 'pg_type') AS comment, pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(t.typowner)) AS owner
       FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
       LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
      WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.type, 't.oid')}
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))`,
  )) {
    const oid = str(r['oid']);
    const q = str(r['q']);
    const kind = str(r['kind']);
    let sql: string;
    let what = 'TYPE';
    if (kind === 'e') sql = `CREATE TYPE ${q} AS ENUM (\n${(enumLabels.get(oid) ?? []).map((l) => `    ${literal(l)}`).join(',\n')}\n);`;
    else if (kind === 'c') {
      const cols = typeColumns.get(str(r['rel'])) ?? [];
      sql = `CREATE TYPE ${q} AS (\n${cols.map((c) => `\t${c.q} ${c.type}${c.collation ? ` COLLATE ${c.collation}` : ''}`).join(',\n')}\n);`;
      alias.set(keyOf(CLASS.class, r['rel']), keyOf(CLASS.type, oid));
    } else if (kind === 'd') {
      what = 'DOMAIN';
      sql = `CREATE DOMAIN ${q} AS ${str(r['base'])}${r['coll'] ? ` COLLATE ${str(r['coll'])}` : ''}${r['notnull'] === true ? ' NOT NULL' : ''}${r['def'] != null ? ` DEFAULT ${str(r['def'])}` : ''}${(domainChecks.get(oid) ?? []).join('')};`;
    } else sql = `CREATE TYPE ${q} AS RANGE (\n    subtype = ${str(r['subtype'])}${r['diff'] && r['diff'] !== '-' ? `,\n    subtype_diff = ${str(r['diff'])}` : ''}\n);`;
    const parts = [sql, `ALTER ${what} ${q} OWNER TO ${str(r['owner'])};`];
    if (r['comment'] != null) parts.push(`COMMENT ON ${what} ${q} IS ${literal(str(r['comment']))};`);
    add({ key: keyOf(CLASS.type, oid), priority: PRIORITY.type, schema: str(r['ns']), name: str(r['name']), sql: parts.join('\n\n') });
  }
  // An array type stands for its element type (pg_dump never dumps array types on their own).
  for (const r of await query(`SELECT oid::text AS a, typelem::text AS e FROM pg_catalog.pg_type WHERE typcategory = 'A' AND typelem <> 0 AND oid >= ${FIRST_NORMAL_OID}`)) alias.set(keyOf(CLASS.type, r['a']), keyOf(CLASS.type, r['e']));

  // --- functions, procedures and aggregates
  for (const r of await query(
    `SELECT p.oid, p.prokind::text AS kind, n.nspname AS ns, p.proname AS name, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) AS q,
            pg_catalog.pg_get_function_identity_arguments(p.oid) AS args,
            CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END AS def,
            a.aggtransfn::pg_catalog.regproc::text AS sfunc, pg_catalog.format_type(a.aggtranstype, NULL) AS stype, a.aggfinalfn::pg_catalog.regproc::text AS ffunc, a.agginitval AS init,
            pg_catalog.obj_description(p.oid, 'pg_proc') AS comment, pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.proowner)) AS owner
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace LEFT JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid
      WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.proc, 'p.oid')}`,
  )) {
    const kind = str(r['kind']);
    const signature = `${str(r['q'])}(${str(r['args'])})`;
    const what = kind === 'a' ? 'AGGREGATE' : kind === 'p' ? 'PROCEDURE' : 'FUNCTION';
    const sql =
      kind === 'a'
        ? `CREATE AGGREGATE ${signature} (\n    SFUNC = ${str(r['sfunc'])},\n    STYPE = ${str(r['stype'])}${r['init'] != null ? `,\n    INITCOND = ${literal(str(r['init']))}` : ''}${r['ffunc'] && r['ffunc'] !== '-' ? `,\n    FINALFUNC = ${str(r['ffunc'])}` : ''}\n);`
        : `${str(r['def']).replace(/^CREATE OR REPLACE /, 'CREATE ').trimEnd()};`;
    const parts = [sql, `ALTER ${what} ${signature} OWNER TO ${str(r['owner'])};`];
    if (r['comment'] != null) parts.push(`COMMENT ON ${what} ${signature} IS ${literal(str(r['comment']))};`);
    add({ key: keyOf(CLASS.proc, r['oid']), priority: kind === 'a' ? PRIORITY.aggregate : PRIORITY.function, schema: str(r['ns']), name: str(r['name']), detail: str(r['args']), sql: parts.join('\n\n') });
  }

  // --- operators (pg_dump's form; the translation reports them)
  for (const r of await query(
    `SELECT o.oid, n.nspname AS ns, o.oprname AS name, pg_catalog.quote_ident(n.nspname) || '.' || o.oprname AS q, o.oprcode::pg_catalog.regproc::text AS fn,
            CASE WHEN o.oprleft <> 0 THEN pg_catalog.format_type(o.oprleft, NULL) END AS l, CASE WHEN o.oprright <> 0 THEN pg_catalog.format_type(o.oprright, NULL) END AS r,
            pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(o.oprowner)) AS owner
       FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER('pg_operator', 'o.oid')}`,
  )) {
    const args = [`FUNCTION = ${str(r['fn'])}`, ...(r['l'] != null ? [`LEFTARG = ${str(r['l'])}`] : []), ...(r['r'] != null ? [`RIGHTARG = ${str(r['r'])}`] : [])];
    add({ key: keyOf('pg_operator', r['oid']), priority: PRIORITY.operator, schema: str(r['ns']), name: str(r['name']), sql: `CREATE OPERATOR ${str(r['q'])} (\n${args.map((a) => `    ${a}`).join(',\n')}\n);\n\nALTER OPERATOR ${str(r['q'])} (${str(r['l'] ?? 'NONE')}, ${str(r['r'] ?? 'NONE')}) OWNER TO ${str(r['owner'])};` });
  }

  await relations(query, add, alias, deps);
  await otherObjects(query, add);
  const acls = await privileges(query);

  // pg_depend's edges between the objects emitted (through the keys that stand for others).
  const resolve = (k: string): string => alias.get(k) ?? k;
  const byKey = new Map(objects.map((o) => [o.key, o]));
  for (const d of deps) {
    if (d.type === 'e') continue;
    const from = byKey.get(resolve(keyOf(d.cls, d.oid)));
    const to = resolve(keyOf(d.refCls, d.refOid));
    if (from && to !== from.key && byKey.has(to)) from.deps.add(to);
  }
  // pg_dump's ACL pass: after the objects, each one's privileges in the objects' order, then default privileges and what follows them.
  const ordered = dumpOrder(objects);
  const position = new Map(ordered.map((o, i) => [o.key, i]));
  const grants = acls.map((a, i) => ({ a, at: position.get(resolve(a.owner)) ?? -1, i })).sort((x, y) => x.at - y.at || x.i - y.i).map((x) => x.a.sql);
  const texts = [...ordered.filter((o) => o.priority < PRIORITY.defaultAcl).map((o) => o.sql), ...grants, ...ordered.filter((o) => o.priority >= PRIORITY.defaultAcl).map((o) => o.sql)];
  return `${HEADER}\n${texts.map((t) => `${t}\n`).join('\n')}`;
}

/** pg_dump's search_path line: every name in the text is schema-qualified (the catalog is read with an empty search_path). */
const HEADER = `SELECT pg_catalog.set_config('search_path', '', false);
`;

interface Attribute {
  readonly num: number;
  readonly name: string;
  readonly q: string;
  readonly type: string;
  readonly collation?: string;
  readonly notNull: boolean;
  readonly def?: string;
  readonly defOid?: string;
  readonly generated: string;
  readonly identity: string;
  readonly local: boolean;
  readonly comment?: string;
  /** attstattarget: -1 is the default. */
  readonly stats: number;
}

/** Each relation's columns (by pg_class oid), in column order. */
async function attributes(query: CatalogQuery, where: string): Promise<Map<string, Attribute[]>> {
  const out = new Map<string, Attribute[]>();
  for (const r of await query(
    `SELECT a.attrelid::text AS rel, a.attnum AS num, a.attname AS name, pg_catalog.quote_ident(a.attname) AS q, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS def, d.oid::text AS defoid, a.attgenerated::text AS gen, a.attidentity::text AS ident, a.attislocal AS local,
            CASE WHEN a.attcollation <> t.typcollation THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END AS coll,
            pg_catalog.col_description(a.attrelid, a.attnum) AS comment, a.attstattarget AS stats
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMA} AND ${where}
      ORDER BY a.attrelid, a.attnum`,
  )) {
    const rel = str(r['rel']);
    if (!out.has(rel)) out.set(rel, []);
    out.get(rel)!.push({
      num: Number(r['num']),
      name: str(r['name']),
      q: str(r['q']),
      type: str(r['type']),
      ...(r['coll'] != null ? { collation: str(r['coll']) } : {}),
      notNull: r['notnull'] === true,
      ...(r['def'] != null ? { def: str(r['def']), defOid: str(r['defoid']) } : {}),
      generated: str(r['gen']),
      identity: str(r['ident']),
      local: r['local'] === true,
      ...(r['comment'] != null ? { comment: str(r['comment']) } : {}),
      stats: Number(r['stats']),
    });
  }
  return out;
}

const TYPE_RANGE: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/** A sequence's options as pg_dump writes them (defaults as NO MINVALUE / NO MAXVALUE). */
function sequenceOptions(s: Record<string, unknown>, withType: boolean): string[] {
  const type = str(s['type']);
  const [lo, hi] = TYPE_RANGE[type] ?? TYPE_RANGE['bigint']!;
  const up = !str(s['inc']).startsWith('-');
  const min = str(s['min']);
  const max = str(s['max']);
  return [
    ...(withType && type !== 'bigint' ? [`AS ${type}`] : []),
    `START WITH ${str(s['start'])}`,
    `INCREMENT BY ${str(s['inc'])}`,
    (up ? min === '1' : min === lo) ? 'NO MINVALUE' : `MINVALUE ${min}`,
    (up ? max === hi : max === '-1') ? 'NO MAXVALUE' : `MAXVALUE ${max}`,
    `CACHE ${str(s['cache'])}`,
    ...(s['cycle'] === true ? ['CYCLE'] : []),
  ];
}

/** Tables, sequences, views and what hangs off them: defaults, constraints, indexes, rules, triggers, comments. */
async function relations(query: CatalogQuery, add: Add, alias: Map<string, string>, deps: readonly Dep[]): Promise<void> {
  const rels = await query(
    `SELECT c.oid::text AS oid, c.relkind::text AS kind, n.nspname AS ns, c.relname AS name, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS q,
            c.relpersistence::text AS persistence, c.relispartition AS ispart, c.reltype::text AS rowtype,
            CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
            CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef,
            pg_catalog.array_to_string(c.reloptions, ', ') AS options,
            (SELECT fs.srvname FROM pg_catalog.pg_foreign_table ft JOIN pg_catalog.pg_foreign_server fs ON fs.oid = ft.ftserver WHERE ft.ftrelid = c.oid) AS server,
            pg_catalog.obj_description(c.oid, 'pg_class') AS comment, pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(c.relowner)) AS owner
       FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.class, 'c.oid')}`,
  );
  const byOid = new Map(rels.map((r) => [str(r['oid']), r]));
  const columns = await attributes(query, `c.relkind IN ('r', 'p', 'v', 'm', 'f')`);
  const parents = new Map<string, string[]>();
  for (const r of await query(`SELECT i.inhrelid::text AS child, i.inhparent::text AS parent FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid WHERE c.relkind IN ('r', 'p', 'f') ORDER BY i.inhrelid, i.inhseqno`)) {
    const child = str(r['child']);
    if (!parents.has(child)) parents.set(child, []);
    parents.get(child)!.push(str(r['parent']));
  }
  const sequences = new Map((await query(`SELECT seqrelid::text AS oid, pg_catalog.format_type(seqtypid, NULL) AS type, seqstart::text AS start, seqincrement::text AS inc, seqmin::text AS min, seqmax::text AS max, seqcache::text AS cache, seqcycle AS cycle FROM pg_catalog.pg_sequence`)).map((s) => [str(s['oid']), s]));
  // A sequence's owning column (OWNED BY: 'a'; identity: 'i'), from pg_depend.
  const owners = new Map<string, { table: string; column: number; identity: boolean }>();
  for (const r of await query(`SELECT objid::text AS seq, refobjid::text AS tab, refobjsubid AS col, deptype::text AS t FROM pg_catalog.pg_depend WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND deptype IN ('a', 'i') AND refobjsubid > 0`)) {
    if (byOid.get(str(r['seq']))?.['kind'] === 'S') owners.set(str(r['seq']), { table: str(r['tab']), column: Number(r['col']), identity: str(r['t']) === 'i' });
  }
  const checks = new Map<string, Record<string, unknown>[]>();
  const constraints: Record<string, unknown>[] = [];
  for (const r of await query(
    `SELECT co.oid::text AS oid, co.conrelid::text AS rel, co.contype::text AS type, co.conname AS name, pg_catalog.quote_ident(co.conname) AS q, pg_catalog.pg_get_constraintdef(co.oid) AS def,
            co.convalidated AS valid, co.conislocal AS local, co.conparentid::text AS parent, co.conindid::text AS ind, pg_catalog.obj_description(co.oid, 'pg_constraint') AS comment
       FROM pg_catalog.pg_constraint co WHERE co.conrelid <> 0 ORDER BY co.conrelid, co.conname`,
  )) {
    if (!byOid.has(str(r['rel']))) continue;
    if (str(r['type']) === 'c' && r['valid'] === true) {
      if (r['local'] !== true) continue;
      const rel = str(r['rel']);
      if (!checks.has(rel)) checks.set(rel, []);
      checks.get(rel)!.push(r);
      alias.set(keyOf(CLASS.constraint, r['oid']), keyOf(CLASS.class, rel));
    } else constraints.push(r);
  }

  // Defaults that would close a loop (a serial column: the table's default uses the sequence, the sequence is owned by the table) are separate objects, as pg_dump splits them.
  const split = new Set<string>();
  const splitDefault = (rel: string, a: Attribute): boolean => {
    if (!a.defOid) return false;
    for (const d of deps) {
      if (d.cls !== CLASS.attrdef || d.oid !== a.defOid || d.refCls !== CLASS.class) continue;
      if (owners.get(d.refOid)?.table === rel) return split.add(a.defOid), true;
    }
    return false;
  };

  for (const r of rels) {
    const oid = str(r['oid']);
    const kind = str(r['kind']);
    const q = str(r['q']);
    const key = keyOf(CLASS.class, oid);
    alias.set(keyOf(CLASS.type, r['rowtype']), key);
    const ns = str(r['ns']);
    const name = str(r['name']);
    // pg_dump writes ALTER TABLE for every kind of relation's owner.
    const owner = `ALTER TABLE ${q} OWNER TO ${str(r['owner'])};`;
    const comments: string[] = [];
    const what = kind === 'v' ? 'VIEW' : kind === 'm' ? 'MATERIALIZED VIEW' : kind === 'S' ? 'SEQUENCE' : kind === 'f' ? 'FOREIGN TABLE' : 'TABLE';
    if (r['comment'] != null) comments.push(`COMMENT ON ${what} ${q} IS ${literal(str(r['comment']))};`);
    for (const a of columns.get(oid) ?? []) if (a.comment !== undefined) comments.push(`COMMENT ON COLUMN ${q}.${a.q} IS ${literal(a.comment)};`);

    if (kind === 'S') {
      const own = owners.get(oid);
      if (own?.identity) continue; // written with its table
      const s = sequences.get(oid);
      if (!s) continue;
      const parts = [`CREATE SEQUENCE ${q}\n${sequenceOptions(s, true).map((o) => `    ${o}`).join('\n')};`, owner];
      const table = own ? byOid.get(own.table) : undefined;
      const column = own ? columns.get(own.table)?.find((a) => a.num === own.column) : undefined;
      if (table && column) parts.push(`ALTER SEQUENCE ${q} OWNED BY ${str(table['q'])}.${column.q};`);
      add({ key, priority: PRIORITY.table, schema: ns, name, sql: [...parts, ...comments].join('\n\n'), deps: own ? [keyOf(CLASS.class, own.table)] : [] });
      continue;
    }
    if (kind === 'v' || kind === 'm') {
      const body = str(r['viewdef']).replace(/;\s*$/, '');
      const options = r['options'] ? ` WITH (${str(r['options'])})` : '';
      const sql = kind === 'v' ? `CREATE VIEW ${q}${options} AS\n${body};` : `CREATE MATERIALIZED VIEW ${q}${options} AS\n${body}\n  WITH NO DATA;`;
      add({ key, priority: PRIORITY.table, schema: ns, name, sql: [sql, owner, ...comments].join('\n\n') });
      continue;
    }
    // Tables (ordinary, partitioned, foreign).
    const isPartition = r['ispart'] === true;
    const inherits = isPartition ? [] : (parents.get(oid) ?? []);
    const lines: string[] = [];
    const later: string[] = [];
    for (const a of columns.get(oid) ?? []) {
      // An inherited column is the parent's (a partition's are its own: it is created alone, then attached).
      if (!a.local && !isPartition && inherits.length > 0) {
        if (a.def !== undefined && a.generated === '') {
          later.push(`ALTER TABLE ONLY ${q} ALTER COLUMN ${a.q} SET DEFAULT ${a.def};`);
          split.add(a.defOid!);
        }
        continue;
      }
      let line = `    ${a.q} ${a.type}`;
      if (a.collation) line += ` COLLATE ${a.collation}`;
      if (a.generated === 's') line += ` GENERATED ALWAYS AS (${a.def ?? ''}) STORED`;
      else if (a.def !== undefined) {
        if (splitDefault(oid, a)) later.push(`ALTER TABLE ONLY ${q} ALTER COLUMN ${a.q} SET DEFAULT ${a.def};`);
        else line += ` DEFAULT ${a.def}`;
      }
      if (a.notNull) line += ' NOT NULL';
      lines.push(line);
    }
    for (const c of checks.get(oid) ?? []) lines.push(`    CONSTRAINT ${str(c['q'])} ${str(c['def'])}`);
    const persistence = str(r['persistence']) === 'u' ? 'UNLOGGED ' : '';
    let sql = `CREATE ${kind === 'f' ? 'FOREIGN ' : persistence}TABLE ${q} (\n${lines.join(',\n')}\n)`;
    if (inherits.length > 0) sql += `\nINHERITS (${inherits.map((p) => str(byOid.get(p)?.['q'] ?? p)).join(', ')})`;
    if (r['partkey']) sql += `\nPARTITION BY ${str(r['partkey'])}`;
    if (kind === 'f' && r['server']) sql += `\nSERVER ${str(r['server'])}`;
    if (r['options']) sql += `\nWITH (${str(r['options'])})`;
    const parts = [`${sql};`, owner, ...comments];
    for (const a of columns.get(oid) ?? []) if (a.stats >= 0 && (a.local || isPartition || inherits.length === 0)) parts.push(`ALTER TABLE ONLY ${q} ALTER COLUMN ${a.q} SET STATISTICS ${a.stats};`);
    // Identity columns: their sequence, as pg_dump writes it after the table.
    for (const [seq, own] of owners) {
      if (own.table !== oid || !own.identity) continue;
      const a = columns.get(oid)?.find((x) => x.num === own.column);
      const s = sequences.get(seq);
      if (!a || !s) continue;
      parts.push(`ALTER TABLE ${q} ALTER COLUMN ${a.q} ADD GENERATED ${a.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (\n    SEQUENCE NAME ${str(byOid.get(seq)?.['q'])}\n${sequenceOptions(s, false).map((o) => `    ${o}`).join('\n')}\n);`);
      alias.set(keyOf(CLASS.class, seq), key);
    }
    add({ key, priority: PRIORITY.table, schema: ns, name, sql: parts.join('\n\n'), deps: inherits.map((p) => keyOf(CLASS.class, p)) });
    if (later.length > 0) add({ key: `default:${oid}`, priority: PRIORITY.attrdef, schema: ns, name, sql: later.join('\n\n'), deps: [key] });
    if (isPartition) {
      const parent = parents.get(oid)?.[0];
      const p = parent ? byOid.get(parent) : undefined;
      if (p) add({ key: `attach:${oid}`, priority: PRIORITY.tableAttach, schema: ns, name, sql: `ALTER TABLE ONLY ${str(p['q'])} ATTACH PARTITION ${q} ${str(r['bound'])};`, deps: [key, keyOf(CLASS.class, parent!)] });
    }
  }
  for (const r of rels) {
    const oid = str(r['oid']);
    const kind = str(r['kind']);
    if (kind === 'v' || kind === 'm') {
      // The view's _RETURN rule stands for the view.
      for (const d of deps) if (d.cls === CLASS.rewrite && d.refCls === CLASS.class && d.refOid === oid && d.type === 'i') alias.set(keyOf(CLASS.rewrite, d.oid), keyOf(CLASS.class, oid));
    }
  }
  // Defaults written inside their table stand for it.
  for (const [rel, cols] of columns) for (const a of cols) if (a.defOid && byOid.has(rel)) alias.set(keyOf(CLASS.attrdef, a.defOid), split.has(a.defOid) ? `default:${rel}` : keyOf(CLASS.class, rel));

  // --- constraints written on their own: keys, EXCLUDE, foreign keys, CHECKs not yet validated
  const constraintIndexes = new Set<string>();
  for (const c of constraints) {
    const rel = byOid.get(str(c['rel']))!;
    const type = str(c['type']);
    if (type === 'p' || type === 'u' || type === 'x') constraintIndexes.add(str(c['ind']));
    // A foreign key a partition has from its parent is the parent's.
    if (type === 'f' && str(c['parent']) !== '0') continue;
    if (type === 'c' && c['local'] !== true) continue;
    const only = type === 'c' || (type === 'f' && str(rel['kind']) === 'p') ? '' : 'ONLY ';
    const parts = [`ALTER TABLE ${only}${str(rel['q'])}\n    ADD CONSTRAINT ${str(c['q'])} ${str(c['def'])};`];
    if (c['comment'] != null) parts.push(`COMMENT ON CONSTRAINT ${str(c['q'])} ON ${str(rel['q'])} IS ${literal(str(c['comment']))};`);
    add({ key: keyOf(CLASS.constraint, c['oid']), priority: type === 'f' ? PRIORITY.fkConstraint : PRIORITY.constraint, schema: str(rel['ns']), name: str(c['name']), detail: str(rel['name']), sql: parts.join('\n\n'), deps: [keyOf(CLASS.class, c['rel'])] });
    if (type === 'p' || type === 'u' || type === 'x') alias.set(keyOf(CLASS.class, c['ind']), keyOf(CLASS.constraint, c['oid']));
  }

  // --- indexes not behind a constraint, and partitions' indexes attached to their parent's
  const indexRows = await query(
    `SELECT i.indexrelid::text AS oid, i.indrelid::text AS rel, ic.relname AS name, pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname) AS q, pg_catalog.pg_get_indexdef(i.indexrelid) AS def,
            pg_catalog.obj_description(i.indexrelid, 'pg_class') AS comment,
            (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pc.relname) FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE h.inhrelid = i.indexrelid) AS parent
       FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace`,
  );
  for (const r of indexRows) {
    const rel = byOid.get(str(r['rel']));
    if (!rel) continue;
    const oid = str(r['oid']);
    const ns = str(rel['ns']);
    if (!constraintIndexes.has(oid)) {
      const parts = [`${str(r['def'])};`];
      if (r['comment'] != null) parts.push(`COMMENT ON INDEX ${str(r['q'])} IS ${literal(str(r['comment']))};`);
      add({ key: keyOf(CLASS.class, oid), priority: PRIORITY.index, schema: ns, name: str(r['name']), sql: parts.join('\n\n'), deps: [keyOf(CLASS.class, r['rel'])] });
    }
    if (r['parent'] != null) add({ key: `index-attach:${oid}`, priority: PRIORITY.indexAttach, schema: ns, name: str(r['name']), sql: `ALTER INDEX ${str(r['parent'])} ATTACH PARTITION ${str(r['q'])};`, deps: [keyOf(CLASS.class, oid)] });
  }

  // --- rules (not a view's own) and triggers (not internal, not a partition's copy of its parent's)
  for (const r of await query(`SELECT r.oid::text AS oid, r.ev_class::text AS rel, r.rulename AS name, pg_catalog.pg_get_ruledef(r.oid) AS def FROM pg_catalog.pg_rewrite r WHERE r.rulename <> '_RETURN'`)) {
    const rel = byOid.get(str(r['rel']));
    if (rel) add({ key: keyOf(CLASS.rewrite, r['oid']), priority: PRIORITY.rule, schema: str(rel['ns']), name: str(r['name']), detail: str(rel['name']), sql: str(r['def']), deps: [keyOf(CLASS.class, r['rel'])] });
  }
  for (const r of await query(
    `SELECT t.oid::text AS oid, t.tgrelid::text AS rel, t.tgname AS name, pg_catalog.pg_get_triggerdef(t.oid, false) AS def, pg_catalog.obj_description(t.oid, 'pg_trigger') AS comment
       FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal AND t.tgparentid = 0`,
  )) {
    const rel = byOid.get(str(r['rel']));
    if (!rel) continue;
    const parts = [`${str(r['def'])};`];
    if (r['comment'] != null) parts.push(`COMMENT ON TRIGGER ${pgQuote(str(r['name']))} ON ${str(rel['q'])} IS ${literal(str(r['comment']))};`);
    add({ key: keyOf(CLASS.trigger, r['oid']), priority: PRIORITY.trigger, schema: str(rel['ns']), name: str(r['name']), detail: str(rel['name']), sql: parts.join('\n\n'), deps: [keyOf(CLASS.class, r['rel'])] });
  }
}

/** An identifier quoted as quote_ident would (always quoted here: a comment's target only). */
const pgQuote = (s: string): string => (/^[a-z_][a-z0-9_$]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
