/**
 * The objects pg_dump --schema-only writes besides types, routines and relations: collations, casts,
 * text search, foreign data, extended statistics, row-level security and policies, publications and
 * subscriptions, event triggers, large objects, conversions, access methods, languages, operator families and
 * classes, and privileges (GRANT/REVOKE against each object's initial or default ACL, and ALTER
 * DEFAULT PRIVILEGES). TiDB holds none of them; they are written in pg_dump's forms so that the
 * translation reports each as it reports it in a dump (a catalog read without them lost them
 * silently). Forms measured against pg_dump 15 of the same objects (test/catalog-live.test.ts).
 */
import { CLASS, FIRST_NORMAL_OID, keyOf, literal, NOT_EXTENSION_MEMBER, str, USER_SCHEMA, type Add, type CatalogQuery } from './common.js';
import { PRIORITY } from './order.js';
import { defaultPrivileges } from './privileges.js';

const owner = (col: string) => `pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(${col})) AS owner`;
/** A schema-qualified, quoted name as a select-list item (`q` unless another alias is asked for). */
const qualified = (ns: string, name: string, alias = 'q') => `pg_catalog.quote_ident(${ns}) || '.' || pg_catalog.quote_ident(${name}) AS ${alias}`;
/** `OPTIONS (k 'v', ...)` from an options array, as pg_dump writes them; empty without options. */
const OPTIONS = (col: string) => `(SELECT ' OPTIONS (' || pg_catalog.string_agg(pg_catalog.quote_ident(option_name) || ' ' || pg_catalog.quote_literal(option_value), ', ') || ')' FROM pg_catalog.pg_options_to_table(${col})) AS options`;

/** Objects of the catalog's other kinds, added in pg_dump's forms. */
export async function otherObjects(query: CatalogQuery, add: Add): Promise<void> {
  const user = (classid: string, oid: string) => `${oid} >= ${FIRST_NORMAL_OID} AND ${NOT_EXTENSION_MEMBER(classid, oid)}`;
  // Catalog columns differ by release (colliculocale is PostgreSQL 15-16's, colllocale 17's; publications' column lists,
  // row filters and schemas are 15's): version-specific ones are read through to_jsonb or after this check.
  const version = Number((await query(`SELECT pg_catalog.current_setting('server_version_num') AS v`))[0]?.['v'] ?? 0);

  // --- procedural languages (not plpgsql's built-in one; extensions' are members)
  for (const r of await query(`SELECT l.oid::text AS oid, pg_catalog.quote_ident(l.lanname) AS q, l.lanname AS name, l.lanpltrusted AS trusted, ${owner('l.lanowner')} FROM pg_catalog.pg_language l WHERE l.lanispl AND ${user('pg_language', 'l.oid')}`)) {
    add({ key: keyOf('pg_language', r['oid']), priority: PRIORITY.procLang, schema: '', name: str(r['name']), sql: `CREATE ${r['trusted'] === true ? 'TRUSTED ' : ''}PROCEDURAL LANGUAGE ${str(r['q'])};\n\nALTER PROCEDURAL LANGUAGE ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }

  // --- collations
  for (const r of await query(
    `SELECT c.oid::text AS oid, n.nspname AS ns, c.collname AS name, ${qualified('n.nspname', 'c.collname')}, c.collprovider::text AS provider, c.collisdeterministic AS det,
            c.collcollate AS lc_collate, c.collctype AS lc_ctype, COALESCE(pg_catalog.to_jsonb(c) ->> 'colllocale', pg_catalog.to_jsonb(c) ->> 'colliculocale', c.collcollate) AS icu, ${owner('c.collowner')}
       FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace WHERE ${USER_SCHEMA} AND ${user('pg_collation', 'c.oid')}`,
  )) {
    const provider = { i: 'icu', c: 'libc', d: 'default' }[str(r['provider'])] ?? str(r['provider']);
    const opts = [`provider = ${provider}`, ...(r['det'] === false ? ['deterministic = false'] : [])];
    if (provider === 'icu') opts.push(`locale = ${literal(str(r['icu']))}`);
    else if (str(r['lc_collate']) === str(r['lc_ctype'])) opts.push(`locale = ${literal(str(r['lc_collate']))}`);
    else opts.push(`lc_collate = ${literal(str(r['lc_collate']))}`, `lc_ctype = ${literal(str(r['lc_ctype']))}`);
    add({ key: keyOf('pg_collation', r['oid']), priority: PRIORITY.collation, schema: str(r['ns']), name: str(r['name']), sql: `CREATE COLLATION ${str(r['q'])} (${opts.join(', ')});\n\nALTER COLLATION ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }

  // --- casts
  for (const r of await query(
    `SELECT c.oid::text AS oid, pg_catalog.format_type(c.castsource, NULL) AS src, pg_catalog.format_type(c.casttarget, NULL) AS tgt, c.castmethod::text AS method, c.castcontext::text AS context,
            CASE WHEN c.castfunc <> 0 THEN c.castfunc::pg_catalog.regprocedure::text END AS fn
       FROM pg_catalog.pg_cast c WHERE ${user('pg_cast', 'c.oid')}`,
  )) {
    const how = { i: 'WITH INOUT', b: 'WITHOUT FUNCTION', f: `WITH FUNCTION ${str(r['fn'])}` }[str(r['method'])] ?? 'WITH INOUT';
    const context = { a: ' AS ASSIGNMENT', i: ' AS IMPLICIT' }[str(r['context'])] ?? '';
    add({ key: keyOf('pg_cast', r['oid']), priority: PRIORITY.cast, schema: '', name: `${str(r['src'])} ${str(r['tgt'])}`, sql: `CREATE CAST (${str(r['src'])} AS ${str(r['tgt'])}) ${how}${context};` });
  }

  // --- access methods, operator families and classes, conversions
  for (const r of await query(`SELECT a.oid::text AS oid, pg_catalog.quote_ident(a.amname) AS q, a.amname AS name, a.amtype::text AS type, a.amhandler::pg_catalog.regproc::text AS handler FROM pg_catalog.pg_am a WHERE ${user('pg_am', 'a.oid')}`)) {
    add({ key: keyOf('pg_am', r['oid']), priority: PRIORITY.accessMethod, schema: '', name: str(r['name']), sql: `CREATE ACCESS METHOD ${str(r['q'])} TYPE ${str(r['type']) === 't' ? 'TABLE' : 'INDEX'} HANDLER ${str(r['handler'])};` });
  }
  for (const r of await query(
    `SELECT f.oid::text AS oid, n.nspname AS ns, f.opfname AS name, ${qualified('n.nspname', 'f.opfname')}, pg_catalog.quote_ident(a.amname) AS am, ${owner('f.opfowner')}
       FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod WHERE ${USER_SCHEMA} AND ${user('pg_opfamily', 'f.oid')}`,
  )) {
    add({ key: keyOf('pg_opfamily', r['oid']), priority: PRIORITY.opFamily, schema: str(r['ns']), name: str(r['name']), sql: `CREATE OPERATOR FAMILY ${str(r['q'])} USING ${str(r['am'])};\n\nALTER OPERATOR FAMILY ${str(r['q'])} USING ${str(r['am'])} OWNER TO ${str(r['owner'])};` });
  }
  for (const r of await query(
    `SELECT c.oid::text AS oid, n.nspname AS ns, c.opcname AS name, ${qualified('n.nspname', 'c.opcname')}, pg_catalog.quote_ident(a.amname) AS am, pg_catalog.format_type(c.opcintype, NULL) AS type, c.opcdefault AS dflt,
            ${owner('c.opcowner')}, (SELECT pg_catalog.quote_ident(fn.nspname) || '.' || pg_catalog.quote_ident(f.opfname) FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace WHERE f.oid = c.opcfamily) AS family
       FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod WHERE ${USER_SCHEMA} AND ${user('pg_opclass', 'c.oid')}`,
  )) {
    // Members are left out: the class is reported by name, and TiDB has no operator classes to build from them.
    add({ key: keyOf('pg_opclass', r['oid']), priority: PRIORITY.opFamily, schema: str(r['ns']), name: str(r['name']), sql: `CREATE OPERATOR CLASS ${str(r['q'])}${r['dflt'] === true ? ' DEFAULT' : ''} FOR TYPE ${str(r['type'])} USING ${str(r['am'])} FAMILY ${str(r['family'])} AS\n    STORAGE ${str(r['type'])};\n\nALTER OPERATOR CLASS ${str(r['q'])} USING ${str(r['am'])} OWNER TO ${str(r['owner'])};` });
  }
  for (const r of await query(
    `SELECT c.oid::text AS oid, n.nspname AS ns, c.conname AS name, ${qualified('n.nspname', 'c.conname')}, c.condefault AS dflt, pg_catalog.pg_encoding_to_char(c.conforencoding) AS src, pg_catalog.pg_encoding_to_char(c.contoencoding) AS tgt,
            c.conproc::pg_catalog.regproc::text AS fn, ${owner('c.conowner')}
       FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = c.connamespace WHERE ${USER_SCHEMA} AND ${user('pg_conversion', 'c.oid')}`,
  )) {
    add({ key: keyOf('pg_conversion', r['oid']), priority: PRIORITY.conversion, schema: str(r['ns']), name: str(r['name']), sql: `CREATE ${r['dflt'] === true ? 'DEFAULT ' : ''}CONVERSION ${str(r['q'])} FOR ${literal(str(r['src']))} TO ${literal(str(r['tgt']))} FROM ${str(r['fn'])};\n\nALTER CONVERSION ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }

  await textSearch(query, add, user);
  await foreignData(query, add, user);
  await relationObjects(query, add);
  await replication(query, add, version);

  // --- large objects (pg_dump --schema-only writes each one's creation; their bytes are data)
  for (const r of await query(`SELECT l.oid::text AS oid, ${owner('l.lomowner')} FROM pg_catalog.pg_largeobject_metadata l ORDER BY l.oid`)) {
    add({ key: keyOf('pg_largeobject', r['oid']), priority: PRIORITY.largeObject, schema: '', name: str(r['oid']), sql: `SELECT pg_catalog.lo_create('${str(r['oid'])}');\n\nALTER LARGE OBJECT ${str(r['oid'])} OWNER TO ${str(r['owner'])};` });
  }

  // --- event triggers
  for (const r of await query(
    `SELECT et.oid::text AS oid, pg_catalog.quote_ident(et.evtname) AS q, et.evtname AS name, et.evtevent AS event, et.evtenabled::text AS enabled, et.evtfoid::pg_catalog.regproc::text AS fn,
            pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_literal(x) FROM pg_catalog.unnest(et.evttags) x), ', ') AS tags, ${owner('et.evtowner')}
       FROM pg_catalog.pg_event_trigger et WHERE ${user('pg_event_trigger', 'et.oid')}`,
  )) {
    const parts = [`CREATE EVENT TRIGGER ${str(r['q'])} ON ${str(r['event'])}\n${str(r['tags']) !== '' ? ` WHEN TAG IN (${str(r['tags'])})\n` : ''}   EXECUTE FUNCTION ${str(r['fn'])}();`];
    const enabled = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[str(r['enabled'])];
    if (enabled) parts.push(`ALTER EVENT TRIGGER ${str(r['q'])} ${enabled};`);
    parts.push(`ALTER EVENT TRIGGER ${str(r['q'])} OWNER TO ${str(r['owner'])};`);
    add({ key: keyOf('pg_event_trigger', r['oid']), priority: PRIORITY.eventTrigger, schema: '', name: str(r['name']), sql: parts.join('\n\n') });
  }

  // --- default privileges: pg_dump sorts a schema's before the role-wide ones, then by the objects they apply to.
  for (const d of await defaultPrivileges(query)) {
    add({ key: `pg_default_acl:${d.oid}`, priority: PRIORITY.defaultAcl, schema: d.schema ?? '\u{10ffff}', name: d.objects, sql: d.sql });
  }
}

async function textSearch(query: CatalogQuery, add: Add, user: (classid: string, oid: string) => string): Promise<void> {
  const rows = (sql: string) => query(sql);
  for (const r of await rows(
    `SELECT p.oid::text AS oid, n.nspname AS ns, p.prsname AS name, ${qualified('n.nspname', 'p.prsname')}, p.prsstart::pg_catalog.regproc::text AS start, p.prstoken::pg_catalog.regproc::text AS gettoken,
            p.prsend::pg_catalog.regproc::text AS "end", p.prslextype::pg_catalog.regproc::text AS lextypes, CASE WHEN p.prsheadline <> 0 THEN p.prsheadline::pg_catalog.regproc::text END AS headline
       FROM pg_catalog.pg_ts_parser p JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace WHERE ${USER_SCHEMA} AND ${user('pg_ts_parser', 'p.oid')}`,
  )) {
    const opts = [`START = ${str(r['start'])}`, `GETTOKEN = ${str(r['gettoken'])}`, `END = ${str(r['end'])}`, `LEXTYPES = ${str(r['lextypes'])}`, ...(r['headline'] != null ? [`HEADLINE = ${str(r['headline'])}`] : [])];
    add({ key: keyOf('pg_ts_parser', r['oid']), priority: PRIORITY.tsParser, schema: str(r['ns']), name: str(r['name']), sql: `CREATE TEXT SEARCH PARSER ${str(r['q'])} (\n    ${opts.join(',\n    ')} );` });
  }
  for (const r of await rows(
    `SELECT t.oid::text AS oid, n.nspname AS ns, t.tmplname AS name, ${qualified('n.nspname', 't.tmplname')}, CASE WHEN t.tmplinit <> 0 THEN t.tmplinit::pg_catalog.regproc::text END AS init, t.tmpllexize::pg_catalog.regproc::text AS lexize
       FROM pg_catalog.pg_ts_template t JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace WHERE ${USER_SCHEMA} AND ${user('pg_ts_template', 't.oid')}`,
  )) {
    add({ key: keyOf('pg_ts_template', r['oid']), priority: PRIORITY.tsTemplate, schema: str(r['ns']), name: str(r['name']), sql: `CREATE TEXT SEARCH TEMPLATE ${str(r['q'])} (\n    ${r['init'] != null ? `INIT = ${str(r['init'])},\n    ` : ''}LEXIZE = ${str(r['lexize'])} );` });
  }
  for (const r of await rows(
    `SELECT d.oid::text AS oid, n.nspname AS ns, d.dictname AS name, ${qualified('n.nspname', 'd.dictname')}, pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.tmplname) AS template, d.dictinitoption AS init, ${owner('d.dictowner')}
       FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_namespace n ON n.oid = d.dictnamespace JOIN pg_catalog.pg_ts_template t ON t.oid = d.dicttemplate JOIN pg_catalog.pg_namespace tn ON tn.oid = t.tmplnamespace
      WHERE ${USER_SCHEMA} AND ${user('pg_ts_dict', 'd.oid')}`,
  )) {
    add({ key: keyOf('pg_ts_dict', r['oid']), priority: PRIORITY.tsDict, schema: str(r['ns']), name: str(r['name']), sql: `CREATE TEXT SEARCH DICTIONARY ${str(r['q'])} (\n    TEMPLATE = ${str(r['template'])}${r['init'] != null ? `, ${str(r['init'])}` : ''} );\n\nALTER TEXT SEARCH DICTIONARY ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }
  const configs = await rows(
    `SELECT c.oid::text AS oid, n.nspname AS ns, c.cfgname AS name, ${qualified('n.nspname', 'c.cfgname')}, pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.prsname) AS parser, c.cfgparser::text AS parser_oid, ${owner('c.cfgowner')}
       FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace
      WHERE ${USER_SCHEMA} AND ${user('pg_ts_config', 'c.oid')}`,
  );
  for (const r of configs) {
    const parts = [`CREATE TEXT SEARCH CONFIGURATION ${str(r['q'])} (\n    PARSER = ${str(r['parser'])} );`];
    // One ALTER per token type mapped, in token order, as pg_dump writes them (dictionaries of pg_catalog unqualified).
    for (const m of await query(
      `SELECT pg_catalog.quote_ident(t.alias) AS token,
              pg_catalog.string_agg(CASE WHEN dn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(d.dictname) ELSE pg_catalog.quote_ident(dn.nspname) || '.' || pg_catalog.quote_ident(d.dictname) END, ', ' ORDER BY m.mapseqno) AS dicts
         FROM pg_catalog.pg_ts_config_map m JOIN pg_catalog.ts_token_type($2::pg_catalog.oid) t ON t.tokid = m.maptokentype JOIN pg_catalog.pg_ts_dict d ON d.oid = m.mapdict JOIN pg_catalog.pg_namespace dn ON dn.oid = d.dictnamespace
        WHERE m.mapcfg = $1::pg_catalog.oid GROUP BY m.maptokentype, t.alias ORDER BY m.maptokentype`,
      [str(r['oid']), str(r['parser_oid'])],
    )) {
      parts.push(`ALTER TEXT SEARCH CONFIGURATION ${str(r['q'])}\n    ADD MAPPING FOR ${str(m['token'])} WITH ${str(m['dicts'])};`);
    }
    parts.push(`ALTER TEXT SEARCH CONFIGURATION ${str(r['q'])} OWNER TO ${str(r['owner'])};`);
    add({ key: keyOf('pg_ts_config', r['oid']), priority: PRIORITY.tsConfig, schema: str(r['ns']), name: str(r['name']), sql: parts.join('\n\n') });
  }
}

async function foreignData(query: CatalogQuery, add: Add, user: (classid: string, oid: string) => string): Promise<void> {
  for (const r of await query(
    `SELECT w.oid::text AS oid, pg_catalog.quote_ident(w.fdwname) AS q, w.fdwname AS name, CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::pg_catalog.regproc::text END AS handler,
            CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::pg_catalog.regproc::text END AS validator, ${OPTIONS('w.fdwoptions')}, ${owner('w.fdwowner')}
       FROM pg_catalog.pg_foreign_data_wrapper w WHERE ${user('pg_foreign_data_wrapper', 'w.oid')}`,
  )) {
    const sql = `CREATE FOREIGN DATA WRAPPER ${str(r['q'])}${r['handler'] != null ? ` HANDLER ${str(r['handler'])}` : ''}${r['validator'] != null ? ` VALIDATOR ${str(r['validator'])}` : ''}${str(r['options'])};`;
    add({ key: keyOf('pg_foreign_data_wrapper', r['oid']), priority: PRIORITY.fdw, schema: '', name: str(r['name']), sql: `${sql}\n\nALTER FOREIGN DATA WRAPPER ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }
  for (const r of await query(
    `SELECT s.oid::text AS oid, pg_catalog.quote_ident(s.srvname) AS q, s.srvname AS name, s.srvtype AS type, s.srvversion AS version, pg_catalog.quote_ident(w.fdwname) AS fdw, w.oid::text AS fdw_oid, ${OPTIONS('s.srvoptions')}, ${owner('s.srvowner')},
            (SELECT pg_catalog.string_agg('CREATE USER MAPPING FOR ' || CASE WHEN um.umuser = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(um.umuser)) END || ' SERVER ' || pg_catalog.quote_ident(s.srvname)
                    || COALESCE((SELECT ' OPTIONS (' || pg_catalog.string_agg(pg_catalog.quote_ident(o.option_name) || ' ' || pg_catalog.quote_literal(o.option_value), ', ') || ')' FROM pg_catalog.pg_options_to_table(um.umoptions) o), '') || ';', E'\\n\\n' ORDER BY um.umuser)
               FROM pg_catalog.pg_user_mapping um WHERE um.umserver = s.oid) AS mappings
       FROM pg_catalog.pg_foreign_server s JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE ${user('pg_foreign_server', 's.oid')}`,
  )) {
    const parts = [`CREATE SERVER ${str(r['q'])}${r['type'] != null ? ` TYPE ${literal(str(r['type']))}` : ''}${r['version'] != null ? ` VERSION ${literal(str(r['version']))}` : ''} FOREIGN DATA WRAPPER ${str(r['fdw'])}${str(r['options'])};`, `ALTER SERVER ${str(r['q'])} OWNER TO ${str(r['owner'])};`];
    if (r['mappings'] != null) parts.push(str(r['mappings']));
    add({ key: keyOf('pg_foreign_server', r['oid']), priority: PRIORITY.foreignServer, schema: '', name: str(r['name']), sql: parts.join('\n\n'), deps: [keyOf('pg_foreign_data_wrapper', r['fdw_oid'])] });
  }
}

/** Extended statistics, row-level security and policies of the relations the reader emits. */
async function relationObjects(query: CatalogQuery, add: Add): Promise<void> {
  const rel = `c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA} AND ${NOT_EXTENSION_MEMBER(CLASS.class, 'c.oid')}`;
  for (const r of await query(
    `SELECT s.oid::text AS oid, s.stxrelid::text AS rel, n.nspname AS ns, s.stxname AS name, ${qualified('n.nspname', 's.stxname')}, pg_catalog.pg_get_statisticsobjdef(s.oid) AS def, s.stxstattarget AS target, ${owner('s.stxowner')}
       FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid WHERE ${rel}`,
  )) {
    const parts = [`${str(r['def'])};`, `ALTER STATISTICS ${str(r['q'])} OWNER TO ${str(r['owner'])};`];
    // -1 (NULL from PostgreSQL 17) is the default target.
    if (r['target'] != null && Number(r['target']) >= 0) parts.push(`ALTER STATISTICS ${str(r['q'])} SET STATISTICS ${str(r['target'])};`);
    add({ key: keyOf('pg_statistic_ext', r['oid']), priority: PRIORITY.statsExt, schema: str(r['ns']), name: str(r['name']), sql: parts.join('\n\n'), deps: [keyOf(CLASS.class, r['rel'])] });
  }
  for (const r of await query(`SELECT c.oid::text AS oid, n.nspname AS ns, c.relname AS name, ${qualified('n.nspname', 'c.relname')}, c.relrowsecurity AS rls, c.relforcerowsecurity AS force FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE (c.relrowsecurity OR c.relforcerowsecurity) AND ${rel}`)) {
    // FORCE is part of the table's definition in pg_dump; ENABLE is a policy-pass entry named by the table.
    if (r['force'] === true) add({ key: `rls-force:${str(r['oid'])}`, priority: PRIORITY.table, schema: str(r['ns']), name: str(r['name']), detail: '\u{10ffff}', sql: `ALTER TABLE ONLY ${str(r['q'])} FORCE ROW LEVEL SECURITY;`, deps: [keyOf(CLASS.class, r['oid'])] });
    if (r['rls'] === true) add({ key: `rls:${str(r['oid'])}`, priority: PRIORITY.policy, schema: str(r['ns']), name: str(r['name']), sql: `ALTER TABLE ${str(r['q'])} ENABLE ROW LEVEL SECURITY;`, deps: [keyOf(CLASS.class, r['oid'])] });
  }
  for (const r of await query(
    `SELECT p.oid::text AS oid, p.polrelid::text AS rel, n.nspname AS ns, c.relname AS tab, pg_catalog.quote_ident(p.polname) AS q, p.polname AS name, ${qualified('n.nspname', 'c.relname', 'tq')},
            p.polpermissive AS permissive, p.polcmd::text AS cmd, pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS qual, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS checks,
            CASE WHEN p.polroles = '{0}' THEN NULL ELSE pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x)) FROM pg_catalog.unnest(p.polroles) x), ', ') END AS roles
       FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE ${rel}`,
  )) {
    const cmd = { r: ' FOR SELECT', a: ' FOR INSERT', w: ' FOR UPDATE', d: ' FOR DELETE' }[str(r['cmd'])] ?? '';
    const sql = `CREATE POLICY ${str(r['q'])} ON ${str(r['tq'])}${r['permissive'] === false ? ' AS RESTRICTIVE' : ''}${cmd}${r['roles'] != null ? ` TO ${str(r['roles'])}` : ''}${r['qual'] != null ? ` USING (${str(r['qual'])})` : ''}${r['checks'] != null ? ` WITH CHECK (${str(r['checks'])})` : ''};`;
    add({ key: keyOf('pg_policy', r['oid']), priority: PRIORITY.policy, schema: str(r['ns']), name: `${str(r['tab'])} ${str(r['name'])}`, sql, deps: [keyOf(CLASS.class, r['rel'])] });
  }
}

/** Publications, what they publish, and subscriptions. */
async function replication(query: CatalogQuery, add: Add, version: number): Promise<void> {
  for (const r of await query(
    `SELECT p.oid::text AS oid, pg_catalog.quote_ident(p.pubname) AS q, p.pubname AS name, p.puballtables AS alltables, p.pubinsert AS ins, p.pubupdate AS upd, p.pubdelete AS del, p.pubtruncate AS trunc, p.pubviaroot AS viaroot, ${owner('p.pubowner')}
       FROM pg_catalog.pg_publication p`,
  )) {
    const publish = [r['ins'] && 'insert', r['upd'] && 'update', r['del'] && 'delete', r['trunc'] && 'truncate'].filter((x): x is string => typeof x === 'string').join(', ');
    const sql = `CREATE PUBLICATION ${str(r['q'])}${r['alltables'] === true ? ' FOR ALL TABLES' : ''} WITH (publish = ${literal(publish)}${r['viaroot'] === true ? ', publish_via_partition_root = true' : ''});`;
    add({ key: keyOf('pg_publication', r['oid']), priority: PRIORITY.publication, schema: '', name: str(r['name']), sql: `${sql}\n\nALTER PUBLICATION ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }
  for (const r of await query(
    `SELECT pr.oid::text AS oid, pr.prrelid::text AS rel, pg_catalog.quote_ident(p.pubname) AS pub, p.oid::text AS pub_oid, n.nspname AS ns, c.relname AS name, ${qualified('n.nspname', 'c.relname')},
            ${version >= 150000 ? `CASE WHEN pr.prattrs IS NOT NULL THEN pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(a.attname) FROM pg_catalog.unnest(pr.prattrs) k JOIN pg_catalog.pg_attribute a ON a.attrelid = pr.prrelid AND a.attnum = k), ', ') END AS cols,
            pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) AS qual` : 'NULL AS cols, NULL AS qual'}
       FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`,
  )) {
    add({ key: keyOf('pg_publication_rel', r['oid']), priority: PRIORITY.publicationRel, schema: str(r['ns']), name: str(r['name']), detail: str(r['pub']), sql: `ALTER PUBLICATION ${str(r['pub'])} ADD TABLE ONLY ${str(r['q'])}${r['cols'] != null ? ` (${str(r['cols'])})` : ''}${r['qual'] != null ? ` WHERE (${str(r['qual'])})` : ''};`, deps: [keyOf('pg_publication', r['pub_oid']), keyOf(CLASS.class, r['rel'])] });
  }
  for (const r of version < 150000 ? [] : await query(
    `SELECT pn.oid::text AS oid, pg_catalog.quote_ident(p.pubname) AS pub, p.oid::text AS pub_oid, n.nspname AS ns, pg_catalog.quote_ident(n.nspname) AS q
       FROM pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_publication p ON p.oid = pn.pnpubid JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid`,
  )) {
    add({ key: keyOf('pg_publication_namespace', r['oid']), priority: PRIORITY.publicationSchema, schema: str(r['ns']), name: str(r['pub']), sql: `ALTER PUBLICATION ${str(r['pub'])} ADD TABLES IN SCHEMA ${str(r['q'])};`, deps: [keyOf('pg_publication', r['pub_oid'])] });
  }
  // Subscriptions of this database (pg_subscription is shared; only subconninfo is kept from other users, and it is not read).
  const subs = await query(
    `SELECT s.oid::text AS oid, pg_catalog.quote_ident(s.subname) AS q, s.subname AS name, pg_catalog.array_to_string(ARRAY(SELECT pg_catalog.quote_ident(x) FROM pg_catalog.unnest(s.subpublications) x), ', ') AS pubs, s.subslotname AS slot, ${owner('s.subowner')}
       FROM pg_catalog.pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())`,
  );
  for (const r of subs) {
    const slot = r['slot'] == null ? 'NONE' : literal(str(r['slot']));
    add({ key: keyOf('pg_subscription', r['oid']), priority: PRIORITY.subscription, schema: '', name: str(r['name']), sql: `CREATE SUBSCRIPTION ${str(r['q'])} CONNECTION '' PUBLICATION ${str(r['pubs'])} WITH (connect = false, slot_name = ${slot});\n\nALTER SUBSCRIPTION ${str(r['q'])} OWNER TO ${str(r['owner'])};` });
  }
}
