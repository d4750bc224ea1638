/**
 * One database per service. Inputs laid out as several top-level folders, each holding its own
 * schema (its own declarative base or MetaData, or SQL that creates tables), are separate services:
 * each folder's objects go into a database named after the folder. `databaseMap` entries naming a
 * folder (`--database user_service=users_db`) take that folder over, for SQL inputs as for Python.
 */
import { tableSubject } from '../diagnostics/subject.js';
import type { SourceFile } from '../diagnostics/span.js';
import type { Schema, Table } from '../ir/schema.js';
import type { ColumnType, QualifiedName } from '../ir/types.js';

/** What makes a folder a service of its own: the place its schema starts. */
const OWNS_SCHEMA: readonly { readonly file: RegExp; readonly text: RegExp }[] = [
  // a declarative base, registry, MetaData, Flask-SQLAlchemy or SQLModel of its own
  { file: /\.py$/i, text: /\b(DeclarativeBase|DeclarativeBaseNoMeta|declarative_base|as_declarative|MetaData|registry|SQLAlchemy|SQLModel)\s*[(:)]/ },
  // Alembic revisions create the service's tables
  { file: /\.py$/i, text: /\bop\.create_table\s*\(/ },
  { file: /\.sql$/i, text: /\bcreate\s+(unlogged\s+|temp(orary)?\s+)?table\b/i },
];

const slash = (p: string): string => p.replace(/\\/g, '/').replace(/^\.\//, '');
const segments = (p: string): string[] => slash(p).split('/').filter((s) => s !== '' && s !== '.');

/** `/a/b/` form, for matching a folder as whole path segments. */
const wrap = (p: string): string => `/${segments(p).join('/')}/`;

/** True when `folder` (a databaseMap key) names a folder of `path`. */
export function inFolder(path: string, folder: string): boolean {
  return segments(folder).length > 0 && `/${segments(path).join('/')}`.includes(wrap(folder));
}

/** Dotted module names a Python file imports (`from a.b import c`, `import a.b`, `from ..a import b`). */
function importedModules(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import|import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*))/gm)) {
    if (m[1] !== undefined) out.push(m[1].replace(/^\.+/, ''));
    else out.push(...m[2]!.split(',').map((s) => s.trim()));
  }
  return out;
}

/**
 * The default folder → database map: below the folders all inputs share, each top-level folder
 * that owns a schema, when there are at least two. Folders whose code imports one another (models
 * in one, their base in the other) are one service, named after the folder that owns the schema.
 * Folders the user mapped are left to the user.
 */
export function serviceDatabases(files: readonly SourceFile[], userMap: Readonly<Record<string, string>>): Record<string, string> {
  const paths = files.filter((f) => f.path !== '<stdin>' && f.path !== '<input>').map((f) => ({ f, parts: segments(f.path) }));
  if (paths.length < 2) return {};
  let common = 0;
  const first = paths[0]!.parts;
  while (common < first.length - 1 && paths.every((p) => p.parts.length - 1 > common && p.parts[common] === first[common])) common++;
  const owners = new Map<string, string>();
  const tops = new Map<string, string>();
  for (const { f, parts } of paths) {
    if (parts.length - 1 <= common) continue;
    const folder = parts.slice(0, common + 1).join('/');
    tops.set(parts[common]!, folder);
    if (owners.has(folder)) continue;
    if (OWNS_SCHEMA.some((r) => r.file.test(f.path) && r.text.test(f.text))) owners.set(folder, parts[common]!);
  }
  // folders that import each other are one service (union-find over the top-level folders)
  const parent = new Map<string, string>([...tops.values()].map((f) => [f, f]));
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const { f, parts } of paths) {
    if (parts.length - 1 <= common || !/\.py$/i.test(f.path)) continue;
    const folder = parts.slice(0, common + 1).join('/');
    for (const mod of importedModules(f.text)) {
      for (const part of mod.split('.')) {
        const other = tops.get(part);
        if (other && other !== folder) parent.set(find(folder), find(other));
      }
    }
  }
  const services = new Map<string, string[]>();
  for (const folder of tops.values()) services.set(find(folder), [...(services.get(find(folder)) ?? []), folder]);
  const owning = [...services.values()].filter((group) => group.some((f) => owners.has(f)));
  if (owning.length < 2) return {};
  // every folder of a service goes to the database named after its (first) schema-owning folder
  for (const group of owning) {
    const name = owners.get(group.sort().find((f) => owners.has(f))!)!;
    for (const f of group) owners.set(f, name);
  }
  const userFolders = Object.keys(userMap).filter((k) => files.some((f) => inFolder(f.path, k)));
  const out: Record<string, string> = {};
  for (const [folder, name] of owners) {
    if (userFolders.some((k) => inFolder(`${folder}/x`, k) || inFolder(`${k}/x`, folder))) continue;
    out[folder] = name;
  }
  return out;
}

/** The database for a file: the longest folder key of `map` it is in. */
export function folderDatabase(path: string, map: Readonly<Record<string, string>>): string | undefined {
  let best: { db: string; len: number } | undefined;
  for (const [folder, db] of Object.entries(map)) {
    const len = wrap(folder).length;
    if (inFolder(path, folder) && (!best || len > best.len)) best = { db, len };
  }
  return best?.db;
}

/** Files split by the database their folder maps to, in input order (one group when nothing is mapped). */
export function groupByFolder<F extends { readonly path: string }>(files: readonly F[], map: Readonly<Record<string, string>>): F[][] {
  const groups = new Map<string | undefined, F[]>();
  for (const f of files) {
    const db = folderDatabase(f.path, map);
    groups.set(db, [...(groups.get(db) ?? []), f]);
  }
  return [...groups.values()];
}

/** Only the keys of `map` that name a folder of some input (the rest name PostgreSQL schemas). */
export function folderKeys(files: readonly SourceFile[], map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([k]) => files.some((f) => inFolder(f.path, k))));
}

/**
 * Moves objects read from a mapped folder out of the default schema into the folder's database,
 * with the references between them (foreign keys, enum-typed columns). Objects in a named schema
 * other than public keep it: the SQL chose it.
 */
export function assignFolderDatabases(schema: Schema, map: Readonly<Record<string, string>>): Schema {
  if (Object.keys(map).length === 0) return schema;
  const dbOf = (file: string | undefined): string | undefined => (file ? folderDatabase(file, map) : undefined);
  const isDefault = (n: QualifiedName): boolean => n.schema === undefined || n.schema === 'public';
  const move = <T extends { readonly name: QualifiedName; readonly span?: { readonly file: string } }>(x: T): T => {
    const db = dbOf(x.span?.file);
    return db && isDefault(x.name) ? { ...x, name: { ...x.name, schema: db } } : x;
  };
  const enums = schema.enums.map(move);
  const domains = schema.domains.map(move);
  const movedTypes = new Map<string, QualifiedName>();
  for (const e of [...enums, ...domains]) movedTypes.set(`${e.span?.file ? dbOf(e.span.file) : ''}|${e.name.name}`, e.name);
  const retype = (t: ColumnType, db: string): ColumnType => {
    if (t.kind === 'user' && isDefault(t.name)) {
      const to = movedTypes.get(`${db}|${t.name.name}`);
      return to ? { ...t, name: to } : t;
    }
    if (t.kind === 'array') return { ...t, element: retype(t.element, db) };
    return t;
  };
  const tables = schema.tables.map((t): Table => {
    const db = dbOf(t.span?.file);
    if (!db) return t;
    const moved = move(t);
    return {
      ...moved,
      columns: t.columns.map((c) => ({ ...c, type: retype(c.type, db) })),
      foreignKeys: t.foreignKeys.map((f) => (isDefault(f.refTable) ? { ...f, refTable: { ...f.refTable, schema: db } } : f)),
      ...(t.partitionOf && isDefault(t.partitionOf.parent) ? { partitionOf: { ...t.partitionOf, parent: { ...t.partitionOf.parent, schema: db } } } : {}),
      inherits: t.inherits.map((p) => (isDefault(p) ? { ...p, schema: db } : p)),
    };
  });
  const namespaces = [...schema.namespaces];
  for (const db of new Set(Object.values(map))) {
    if (!namespaces.some((n) => n.name === db) && tables.some((t) => t.name.schema === db)) namespaces.push({ name: db, origin: 'database' });
  }
  return {
    ...schema,
    namespaces,
    tables,
    enums,
    domains,
    composites: schema.composites.map(move),
    sequences: schema.sequences.map((s) => {
      const m = move(s);
      const db = dbOf(s.span?.file);
      return db && m.ownedBy && isDefault(m.ownedBy.table) ? { ...m, ownedBy: { ...m.ownedBy, table: { ...m.ownedBy.table, schema: db } } } : m;
    }),
    views: schema.views.map(move),
  };
}

/**
 * Two MetaData of one database defining the same table (an old base beside the current one):
 * the first definition is kept, as the static reader does, and the later one is named by a
 * duplicate-object note instead of vanishing.
 */
export function keepFirstTables(schema: Schema): Schema {
  const seen = new Set<string>();
  const tables: Table[] = [];
  const notes = [...schema.notes];
  for (const t of schema.tables) {
    const key = `${t.name.schema ?? 'public'}.${t.name.name}`;
    if (!seen.has(key)) {
      seen.add(key);
      tables.push(t);
      continue;
    }
    const name = t.name.schema ? `${t.name.schema}.${t.name.name}` : t.name.name;
    notes.push({ id: 'duplicate-object', data: { reason: 'table-two-metadata', object: name }, subject: tableSubject(t.name), ...(t.span ? { span: t.span } : {}) });
  }
  return tables.length === schema.tables.length ? schema : { ...schema, tables, notes };
}
