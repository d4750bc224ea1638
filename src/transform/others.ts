import type { PayloadOf } from '../diagnostics/catalogue.js';
import type { OtherKind, OtherObject } from '../ir/schema.js';
import type { TransformContext } from './context.js';
import { own } from '../util/own.js';
import { fileSubject, objectSubject, otherSubject, tableSubject } from '../diagnostics/subject.js';
import { targetHas, type TidbFeatureName } from './features.js';
import { touchedBy } from './routine-touches.js';

type StatementId = 'session-setting' | 'psql-meta-command' | 'data-not-translated' | 'statement-ignored' | 'ownership-not-translated' | 'privilege-not-translated' | 'drop-applied';
type StatementKind = PayloadOf<StatementId>['kind'] & OtherKind;
type StatementRule = Extract<OtherRule, { readonly kind: StatementKind }>;

/**
 * How each kind of non-schema input is reported (nothing is dropped silently). Statements with no
 * schema effect are worded by the catalogue from their kind; `aggregate` ones are reported once per
 * file and statement kind (per table for data), with a count.
 */
type OtherRule =
  | { readonly id: StatementId; readonly kind: StatementKind; readonly aggregate?: boolean }
  | { readonly id: 'object-not-supported'; readonly what: string }
  | { readonly id: 'unsupported-syntax'; readonly reason: 'alter-form' }
  | { readonly id: 'python-side-default' | 'default-dropped' };

const OTHER_RULES: Record<OtherKind, OtherRule> = {
  'session-setting': { id: 'session-setting', kind: 'session-setting', aggregate: true },
  'psql-meta-command': { id: 'psql-meta-command', kind: 'psql-meta-command' },
  data: { id: 'data-not-translated', kind: 'data', aggregate: true },
  select: { id: 'statement-ignored', kind: 'select', aggregate: true },
  ownership: { id: 'ownership-not-translated', kind: 'ownership', aggregate: true },
  privilege: { id: 'privilege-not-translated', kind: 'privilege', aggregate: true },
  function: { id: 'object-not-supported', what: 'TiDB has no stored functions or procedures' },
  procedure: { id: 'object-not-supported', what: 'TiDB has no stored procedures' },
  trigger: { id: 'object-not-supported', what: 'TiDB has no triggers' },
  aggregate: { id: 'object-not-supported', what: 'TiDB has no user-defined aggregates' },
  operator: { id: 'object-not-supported', what: 'TiDB has no user-defined operators' },
  policy: { id: 'object-not-supported', what: 'TiDB has no row-level security policies' },
  'row-level-security': { id: 'object-not-supported', what: 'TiDB has no row-level security' },
  rule: { id: 'object-not-supported', what: 'TiDB has no rewrite rules' },
  'event-trigger': { id: 'object-not-supported', what: 'TiDB has no event triggers' },
  cast: { id: 'object-not-supported', what: 'TiDB has no user-defined casts' },
  collation: { id: 'object-not-supported', what: 'TiDB has no user-defined collations' },
  'text-search': { id: 'object-not-supported', what: 'TiDB has no text-search configuration objects' },
  'foreign-data': { id: 'object-not-supported', what: 'TiDB has no foreign data wrappers' },
  publication: { id: 'object-not-supported', what: 'logical replication objects have no TiDB equivalent (use TiCDC)' },
  'large-object': { id: 'object-not-supported', what: 'TiDB has no large objects: its bytes are not carried (keep them in a BLOB column of a table)' },
  statistics: { id: 'statement-ignored', kind: 'statistics' },
  role: { id: 'privilege-not-translated', kind: 'role', aggregate: true },
  database: { id: 'statement-ignored', kind: 'database', aggregate: true },
  transaction: { id: 'statement-ignored', kind: 'transaction', aggregate: true },
  drop: { id: 'drop-applied', kind: 'drop', aggregate: true },
  'table-as': { id: 'object-not-supported', what: 'CREATE TABLE AS has no TiDB equivalent: create the table, then INSERT ... SELECT' },
  'alter-other': { id: 'unsupported-syntax', reason: 'alter-form' },
  'comment-other': { id: 'statement-ignored', kind: 'comment-other' },
  'python-side': { id: 'python-side-default' },
  'python-sequence': { id: 'default-dropped' },
  other: { id: 'statement-ignored', kind: 'other' },
};

/** Extensions whose mapping depends on the target (features.ts), and what they become where it lacks the feature. */
const EXTENSION_FEATURE: Record<string, TidbFeatureName> = { citext: 'collation0900', vector: 'vectorType' };
const TARGET_EXTENSIONS: Record<string, string> = {
  citext: 'citext columns become case-insensitive (utf8mb4_general_ci) columns',
  vector: 'vector columns become JSON arrays; the target has no VECTOR type',
};

const EXTENSIONS: Record<string, string> = {
  citext: 'citext columns become case-insensitive (utf8mb4_0900_ai_ci) columns',
  pgcrypto: 'gen_random_uuid() defaults become UUID() (version 1); digest/crypt functions must move to the application',
  'uuid-ossp': 'uuid_generate_v4() defaults become UUID() (version 1)',
  pg_trgm: 'trigram (gin_trgm_ops) indexes have no TiDB equivalent and are dropped',
  postgis: 'geometry/geography columns are stored as WKB bytes; spatial functions and indexes are not available',
  vector: 'vector columns become TiDB VECTOR; HNSW indexes only for cosine and L2 distance, and only with a TiFlash replica',
  hstore: 'hstore columns become JSON objects',
  btree_gin: 'GIN indexes on scalar columns are dropped (TiDB has only B-tree indexes)',
  btree_gist: 'GiST indexes and exclusion constraints are dropped',
  plpgsql: 'PL/pgSQL functions and triggers cannot be translated',
  fuzzystrmatch: 'levenshtein/soundex functions are not available in TiDB',
  ltree: 'ltree columns become text without path operators',
  unaccent: 'unaccent() is not available; accent-insensitive collations (_ai_ci) cover some uses',
};

/** `converted`: triggers and functions a trigger pattern replaced (reported by trigger-patterns.ts instead). */
export function reportOthers(ctx: TransformContext, converted: ReadonlySet<OtherObject> = new Set()): void {
  const d = ctx.diagnostics;
  const groups = new Map<string, { rule: StatementRule; items: OtherObject[] }>();
  for (const o of ctx.schema.others) {
    if (converted.has(o)) continue;
    const rule = OTHER_RULES[o.kind];
    if (!('kind' in rule && rule.aggregate)) {
      const fixOverride = o.kind === 'psql-meta-command' && /^\\(restrict|unrestrict)/.test(o.name ?? '') ? 'pg_dump >= 17.6 writes \\restrict lines to guard psql; they are not SQL.' : undefined;
      const at = { span: o.span, subject: otherSubject(o), fix: fixOverride };
      const touches = o.routine || o.trigger ? touchedBy(o, ctx.schema.tables, ctx.schema.others) : [];
      const detail = o.detail ? { detail: o.detail } : {};
      if (rule.id === 'object-not-supported') d.add(rule.id, { statement: o.statement, what: rule.what, ...detail, ...(touches.length > 0 ? { touches } : {}) }, at);
      else if (rule.id === 'unsupported-syntax') d.add(rule.id, { reason: rule.reason, statement: o.statement, ...(o.name ? { name: o.name } : {}), ...detail }, at);
      else if (rule.id === 'default-dropped') d.add(rule.id, { reason: 'python-sequence', sequence: o.sequence ?? '' }, at);
      else if (rule.id === 'python-side-default') d.add(rule.id, { option: o.statement, value: o.python?.value ?? '', ...(o.python?.serverDefault ? { serverDefault: true } : {}) }, at);
      else if ('kind' in rule) d.add(rule.id, { kind: rule.kind, statement: o.statement, ...(o.name ? { name: o.name } : {}), ...detail }, at);
      continue;
    }
    const groupKey = `${o.span?.file ?? ''}\u0000${o.kind}\u0000${o.statement}\u0000${o.kind === 'data' ? o.name ?? '' : ''}`;
    const g = groups.get(groupKey) ?? { rule, items: [] };
    g.items.push(o);
    groups.set(groupKey, g);
  }
  for (const { rule, items } of groups.values()) {
    const first = items[0]!;
    const names = [...new Set(items.flatMap((i) => (i.name ? [i.name] : [])))];
    const into = first.kind === 'data' && first.name ? { table: first.name } : names.length > 0 ? { names } : {};
    d.add(rule.id, { kind: rule.kind, statement: first.statement, count: items.length, ...into }, { span: first.span, subject: first.kind === 'data' && first.name ? tableSubject(first.name) : { kind: 'statement', name: first.statement } });
  }
  for (const ext of ctx.schema.extensions) {
    const feature = own(EXTENSION_FEATURE, ext.name);
    const implied = feature !== undefined && !targetHas(ctx.options, feature) ? own(TARGET_EXTENSIONS, ext.name) : own(EXTENSIONS, ext.name);
    d.add('extension-implies', { implies: implied ?? 'has no TiDB equivalent; objects that use it are reported where they appear' }, { span: ext.span, subject: objectSubject('extension', ext.name) });
  }
  for (const note of ctx.schema.notes) {
    const at = { span: note.span, subject: note.subject ?? (note.span ? fileSubject(note.span.file) : { kind: 'statement' as const }) };
    d.addNote(note, at);
  }
  for (const e of ctx.schema.enums) d.add('type-object-inlined', { type: 'enum' }, { span: e.span, subject: objectSubject('type', e.name) });
  for (const dm of ctx.schema.domains) d.add('type-object-inlined', { type: 'domain' }, { span: dm.span, subject: objectSubject('domain', dm.name) });
  for (const c of ctx.schema.composites) d.add('type-object-inlined', { type: 'composite' }, { span: c.span, subject: objectSubject('type', c.name) });
}

