/** What a diagnostic is about, as a kind from a closed list. */
export type SubjectKind =
  | 'database'
  | 'schema'
  | 'table'
  | 'column'
  | 'index'
  | 'constraint'
  | 'foreign-key'
  | 'sequence'
  | 'view'
  | 'materialized-view'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'policy'
  | 'type'
  | 'domain'
  | 'extension'
  | 'role'
  | 'revision'
  | 'model'
  | 'statement'
  | 'file'
  | 'option';

/**
 * `database` is the PostgreSQL schema the object is in (it becomes the TiDB database); `table` and
 * `column` locate table-level objects; `name` is the object's own name for everything else.
 */
export interface Subject {
  readonly kind: SubjectKind;
  readonly database?: string;
  readonly table?: string;
  readonly column?: string;
  readonly name?: string;
}

interface NameLike {
  readonly schema?: string | undefined;
  readonly name: string;
}

type Named = NameLike | string;

/** `schema.name` display strings split at the first dot (PostgreSQL schema names rarely hold one). */
function split(n: Named): { database?: string; name: string } {
  if (typeof n !== 'string') return n.schema !== undefined ? { database: n.schema, name: n.name } : { name: n.name };
  const dot = n.indexOf('.');
  return dot > 0 ? { database: n.slice(0, dot), name: n.slice(dot + 1) } : { name: n };
}

export function tableSubject(table: Named): Subject {
  const t = split(table);
  return { kind: 'table', ...(t.database !== undefined ? { database: t.database } : {}), table: t.name };
}

export function columnSubject(table: Named, column: string): Subject {
  return { ...tableSubject(table), kind: 'column', column };
}

/** An object that belongs to a table: an index, a constraint, a foreign key, a trigger or a policy. */
export function tableObjectSubject(kind: SubjectKind, table: Named, name: string | undefined, column?: string): Subject {
  return { ...tableSubject(table), kind, ...(column !== undefined ? { column } : {}), ...(name ? { name } : {}) };
}

/** A schema-level object: a sequence, view, function, type, domain, or a schema or extension itself. */
export function objectSubject(kind: SubjectKind, name: Named): Subject {
  const n = split(name);
  if (kind === 'schema' || kind === 'extension' || kind === 'role' || kind === 'revision' || kind === 'model' || kind === 'file' || kind === 'statement' || kind === 'option') {
    return { kind, name: typeof name === 'string' ? name : n.database !== undefined ? `${n.database}.${n.name}` : n.name };
  }
  return { kind, ...(n.database !== undefined ? { database: n.database } : {}), name: n.name };
}

export function fileSubject(path: string): Subject {
  return { kind: 'file', name: path };
}

/** How messages and the terminal name a subject: `public.film.title`, `film_idx on public.film`. */
export function subjectText(s: Subject): string {
  const table = s.table !== undefined ? (s.database !== undefined ? `${s.database}.${s.table}` : s.table) : undefined;
  if (s.kind === 'table') return table ?? s.name ?? '';
  if (s.kind === 'column') return table !== undefined ? `${table}.${s.column ?? ''}` : (s.column ?? s.name ?? '');
  if (table !== undefined) return s.name ? `${s.name} on ${table}` : table;
  if (s.name === undefined) return s.database ?? '';
  return s.database !== undefined ? `${s.database}.${s.name}` : s.name;
}

/** The table a subject belongs to, `schema.table`, if any. */
export function subjectTable(s: Subject): string | undefined {
  if (s.table === undefined) return s.kind === 'table' ? s.name : undefined;
  return s.database !== undefined ? `${s.database}.${s.table}` : s.table;
}

/** What each kind of non-schema statement (the IR's OtherKind) is about, when it names an object. */
const OTHER_SUBJECT: Readonly<Record<string, SubjectKind>> = {
  function: 'function', aggregate: 'function', operator: 'function', cast: 'function',
  procedure: 'procedure',
  trigger: 'trigger', 'event-trigger': 'trigger', rule: 'trigger',
  policy: 'policy', 'row-level-security': 'policy',
  data: 'table', 'table-as': 'table', role: 'role',
  // a Python-side default belongs to its column: `[schema.]table.column`
  'python-side': 'column', 'python-sequence': 'column',
};

/** The subject of a statement TiDB cannot hold: its object when it names one (`trg on public.t`), else the statement. */
export function otherSubject(o: {
  readonly kind: string;
  readonly name?: string | undefined;
  /** A routine's or trigger's resolved names: the subject carries the schema the input may leave implicit. */
  readonly routine?: { readonly name: NameLike } | undefined;
  readonly trigger?: { readonly table: NameLike } | undefined;
}): Subject {
  const kind = Object.hasOwn(OTHER_SUBJECT, o.kind) ? OTHER_SUBJECT[o.kind] : undefined;
  if (o.routine && (kind === 'function' || kind === 'procedure')) return objectSubject(kind, o.routine.name);
  if (o.trigger && kind === 'trigger' && o.name) return tableObjectSubject('trigger', o.trigger.table, o.name.split(' on ')[0]);
  if (!o.name) return { kind: 'statement' };
  if (kind === undefined) return { kind: 'statement', name: o.name };
  if (kind === 'table') return tableSubject(o.name);
  if (kind === 'column') {
    const dot = o.name.lastIndexOf('.');
    return dot > 0 ? columnSubject(o.name.slice(0, dot), o.name.slice(dot + 1)) : { kind: 'column', column: o.name };
  }
  const on = o.name.indexOf(' on ');
  if (on > 0) return tableObjectSubject(kind, o.name.slice(on + 4), o.name.slice(0, on));
  return objectSubject(kind, o.name);
}

/** A stable key for matching a diagnostic's subject to a source object. */
export function subjectKey(s: Subject): string {
  return `${s.kind}\u0000${subjectText(s)}`;
}
