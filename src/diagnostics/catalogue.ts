import { subjectTable, subjectText, type Subject } from './subject.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Where a diagnostic puts its object in the assessment report: converted automatically (nothing to do),
 * converted with a reported loss (read and accept), needs action (someone decides or rewrites), or not
 * supported by TiDB at all (the logic moves to the application).
 */
export type Bucket = 'automatic' | 'loss' | 'action' | 'unsupported';

/**
 * Effort classes in the spirit of ora2pg's migration levels: minutes of a person's work per
 * occurrence, with the assumption the report states next to the estimate.
 */
export type EffortClass = 'none' | 'review' | 'decide' | 'rewrite' | 'redesign';

export const EFFORT: Record<EffortClass, { readonly minutes: number; readonly assumption: string }> = {
  none: { minutes: 0, assumption: 'nothing to do: the translation is exact or purely mechanical' },
  review: { minutes: 5, assumption: 'read the note and confirm the application does not depend on the difference (5 min each)' },
  decide: { minutes: 15, assumption: 'choose between the documented options and apply the fix (15 min each)' },
  rewrite: { minutes: 60, assumption: 'rewrite one object (a view query, a key, a default) in MySQL syntax and test it (1 h each)' },
  redesign: { minutes: 240, assumption: 'move logic TiDB cannot hold (functions, triggers, policies) into the application and test it (4 h each)' },
};

/**
 * A payload field, declared once at run time: the TypeScript type (`Payload`) and the JSON Schema of
 * report.json (src/diagnostics/report-schema.ts) both derive from it. A `?` suffix makes it optional;
 * `{ enum: [...] }` is one of a few words.
 */
export type FieldSpec =
  | 'string' | 'string?' | 'integer' | 'integer?' | 'boolean' | 'boolean?' | 'string[]' | 'string[]?'
  | { readonly enum: readonly string[]; readonly optional?: boolean }
  | { readonly list: Fields; readonly optional?: boolean };
export type Fields = Readonly<Record<string, FieldSpec>>;
type FieldType<F> = F extends 'string' | 'string?' ? string
  : F extends 'integer' | 'integer?' ? number
  : F extends 'boolean' | 'boolean?' ? boolean
  : F extends 'string[]' | 'string[]?' ? readonly string[]
  : F extends { readonly enum: readonly (infer E)[] } ? E
  : F extends { readonly list: infer L extends Fields } ? readonly Payload<L>[]
  : never;
type IsOptional<F> = F extends `${string}?` ? true : F extends { readonly optional: true } ? true : false;
/** The payload type a field list declares. */
export type Payload<F extends Fields> = {
  readonly [K in keyof F as IsOptional<F[K]> extends true ? never : K]: FieldType<F[K]>;
} & { readonly [K in keyof F as IsOptional<F[K]> extends true ? K : never]?: FieldType<F[K]> };

/** The payload of diagnostics whose wording varies by call site: the sentence after the subject. */
export interface Detail {
  readonly detail: string;
}

export interface CatalogueEntry<D> {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  readonly bucket: Bucket;
  readonly effort: EffortClass;
  /** Default advice; a diagnostic may carry a more specific one. */
  readonly fix?: string;
  /** The message, from the payload and the subject. */
  readonly message: (data: D, subject: Subject) => string;
  /** The payload's fields, from which its type and its JSON Schema derive. */
  readonly fields: Fields;
}

export const RENAME_KINDS = ['database', 'table', 'column', 'index', 'constraint', 'foreign-key', 'check', 'sequence'] as const;
export type RenameKind = (typeof RENAME_KINDS)[number];
export const RENAME_REASON_IDS = ['too-long', 'collision', 'invalid', 'hidden-column-too-long', 'reserved'] as const;
export type RenameReason = (typeof RENAME_REASON_IDS)[number];
const RENAME_REASONS: Record<RenameReason, string> = {
  'too-long': 'TiDB names are at most 64 characters (error 1059)',
  collision: 'the name is taken in its TiDB scope (names compare case-insensitively; index names are per table, constraint and foreign-key names per database)',
  invalid: 'TiDB rejects a name ending in a space (error 1166)',
  'hidden-column-too-long': 'TiDB names the hidden column of an expression index after the index, and that name must fit in 64 characters (error 1059)',
  reserved: 'TiDB reserves the index name PRIMARY for the primary key, in any case (error 1280)',
};

const SEQUENCE_CACHE_FIX = 'TiDB caches 1000 values per node by default, so values are not monotonic across nodes; add NOCACHE if order matters.';

const INDEX_DROP_REASONS = ['method', 'missing-column', 'unindexable-type', 'expression-untranslatable', 'expression-not-allowed', 'too-many-columns', 'gin-array-element', 'gin-json', 'no-equivalent', 'primary-key-missing-column'] as const;
/** Why index-dropped fired, after the index's label (`index x` or `primary key of t`). */
const INDEX_DROPPED: Record<(typeof INDEX_DROP_REASONS)[number], (d: { readonly method?: string; readonly column?: string; readonly type?: string; readonly expression?: string; readonly why?: string; readonly columns?: number; readonly max?: number; readonly keys?: string }) => string> = {
  method: (d) => ` uses the ${d.method ?? ''} method, which TiDB does not have`,
  'missing-column': (d) => `: column ${d.column ?? ''} does not exist`,
  'unindexable-type': (d) => `: column ${d.column ?? ''} is ${d.type ?? ''}, which TiDB cannot index directly`,
  'expression-untranslatable': (d) => `: expression cannot be translated (${d.why ?? ''})`,
  'expression-not-allowed': (d) => `: expression ${d.expression ?? ''} uses functions outside TiDB's expression-index allow-list and its type cannot be inferred for a generated column`,
  'too-many-columns': (d) => ` has ${d.columns ?? 0} columns; TiDB allows at most ${d.max ?? 0}`,
  'gin-array-element': (d) => `: GIN index on array ${d.column ?? ''}, whose element type TiDB cannot put in a multi-valued index`,
  'gin-json': (d) => `: GIN index on JSON document ${d.column ?? ''} has no TiDB equivalent`,
  'no-equivalent': (d) => `: ${(d.method ?? '').toUpperCase()} index (${d.keys ?? ''}) has no TiDB equivalent`,
  'primary-key-missing-column': () => ' names a column that does not exist',
};

const MINOR_TYPE_LOSSES = ['non-finite', 'json-text', 'jsonb-values', 'mac-format', 'half-vector', 'date-range', 'timestamp-range'] as const;
/** What lossy-type-minor loses, after `<pgType> becomes <tidbType>`. */
const MINOR_TYPE_LOSS: Record<(typeof MINOR_TYPE_LOSSES)[number], string> = {
  'non-finite': ': NaN and ±Infinity cannot be stored and -0 becomes 0',
  'json-text': ': whitespace, key order and duplicate keys of the original text are not kept',
  'jsonb-values': ': numbers become int64/uint64/double (no exact decimals), keys are ordered differently; @> ? ?| ?& become JSON_CONTAINS / JSON_CONTAINS_PATH',
  'mac-format': ': input formats are no longer normalised',
  'half-vector': ' (float32): storage doubles',
  'date-range': ': BC dates, years after 9999 and ±infinity cannot be stored',
  'timestamp-range': ': years after 9999 and ±infinity cannot be stored, and BC values are silently stored as AD',
};

/** What lossy-type loses: the sentence after the subject, from the PostgreSQL and TiDB types. */
const TYPE_LOSS = {
  'numeric-scale': (d) => `${d.pgType} has a scale TiDB cannot express; rounding differs`,
  'numeric-limits': (d) => `${d.pgType} exceeds TiDB's DECIMAL(65,30) limits`,
  'money-format': (d) => `${d.pgType} becomes ${d.tidbType}: currency symbol and locale formatting are lost`,
  'object-id': (d) => `${d.pgType} becomes ${d.tidbType}: it no longer identifies a PostgreSQL object`,
  'transaction-id': (d) => `${d.pgType} becomes ${d.tidbType}`,
  'lsn-text': (d) => `${d.pgType} becomes ${d.tidbType}: store the 64-bit position, not the X/Y text`,
  'varchar-capped': (d) => `${d.pgType} is longer than TiDB's ${d.tidbType} limit and is a key or has a default; values are capped at ${d.limit ?? 0} characters`,
  'varchar-unenforced': (d) => `${d.pgType} exceeds VARCHAR(${d.limit ?? 0}); ${d.tidbType} does not enforce the ${d.length ?? 0}-character limit`,
  'char-padding': (d) => `${d.pgType} exceeds CHAR(255); ${d.tidbType} does not blank-pad`,
  'citext-accents': (d) => `${d.pgType} becomes a ${d.tidbType} column: comparisons are case-insensitive but also accent-insensitive (citext is not)`,
  'xml-functions': (d) => `${d.pgType} becomes ${d.tidbType}: no validation and no XML functions in TiDB`,
  'hstore-operators': (d) => `${d.pgType} becomes ${d.tidbType}: hstore operators are lost`,
  'ltree-operators': (d) => `${d.pgType} becomes ${d.tidbType}: label-path operators and GiST indexes are lost`,
  'bit-too-long': (d) => `${d.pgType} exceeds BIT(64) and becomes ${d.tidbType}: bit-string operators are lost`,
  'bit-varying-unbounded': (d) => `${d.pgType} becomes ${d.tidbType}: the bit length and bit-string operators are lost`,
  'bit-varying-length': (d) => `${d.pgType} becomes ${d.tidbType}: the exact bit length is lost`,
  'inet-operators': (d) => `${d.pgType} becomes ${d.tidbType}: containment operators (<<, >>=), netmask functions and address ordering are lost`,
  'cidr-operators': (d) => `${d.pgType} becomes ${d.tidbType}: network validation and operators are lost`,
  'vector-operators': (d) => `${d.pgType} becomes ${d.tidbType}: vector operators and indexes are lost`,
  'utc-offset': (d) => `${d.pgType} becomes ${d.tidbType}: the UTC offset is lost`,
  'interval-text': (d) => `${d.pgType} has no TiDB type; stored as ${d.tidbType} text (ISO 8601 such as P1Y2M3DT4H)`,
  'range-text': (d) => `${d.pgType} has no TiDB type; stored as its text form (e.g. [1,10)): range operators and exclusion constraints are lost`,
  'object-name': (d) => `${d.pgType} becomes ${d.tidbType}: it holds a name, no longer an object reference`,
  'enum-member-too-long': (d) => `enum ${d.pgType} has members longer than 255 characters, which TiDB rejects`,
  'enum-empty': (d) => `enum ${d.pgType} has no members; stored as ${d.tidbType}`,
  'enum-trailing-spaces': (d) => `enum ${d.pgType} has members with trailing spaces, which TiDB's ENUM strips; stored as ${d.tidbType} with a CHECK on the members`,
  'composite-json': (d) => `composite type ${d.pgType} becomes a JSON object: attribute types are no longer enforced`,
} as const satisfies Record<string, (d: { readonly pgType: string; readonly tidbType: string; readonly length?: number; readonly limit?: number }) => string>;
const TYPE_LOSSES = Object.keys(TYPE_LOSS) as (keyof typeof TYPE_LOSS)[];

const TYPE_CHOICE_REASONS = ['keyed', 'literal-default', 'keyed-or-default', 'override'] as const;
/** Why a bounded type was chosen for an unbounded PostgreSQL one. */
const TYPE_CHOICE_WHY: Record<Exclude<(typeof TYPE_CHOICE_REASONS)[number], 'override'>, string> = {
  keyed: 'it is part of a key or index',
  'literal-default': 'it has a literal default (TiDB allows none on TEXT)',
  'keyed-or-default': 'it is a key or has a default',
};

/** Declares an id's payload fields; the payload type derives from them, code and severity stay literal. */
const entry =
  <const F extends Fields>(fields: F) =>
  <const E extends Omit<CatalogueEntry<Payload<F>>, 'fields'>>(e: E): E & CatalogueEntry<Payload<F>> => ({ ...e, fields });
const detail = entry({ detail: 'string' });
const text = (d: Detail) => d.detail;

/**
 * Every diagnostic the compiler can produce, by stable id. Codes never change meaning:
 * PGT0xxx input, PGT1xxx statements and objects, PGT2xxx types, PGT3xxx defaults,
 * PGT4xxx keys and indexes, PGT5xxx constraints, PGT6xxx names, PGT7xxx tables and partitions,
 * PGT8xxx data (`pg2tidb data`).
 * Each id has one severity; `diagnostics` levels in the config may still change it per run.
 */
export const CATALOGUE = {
  'input-error': detail({ code: 'PGT0001', severity: 'error', bucket: 'action', effort: 'decide', title: 'input cannot be read', message: text }),
  'syntax-error': detail({ code: 'PGT0002', severity: 'error', bucket: 'action', effort: 'decide', title: 'syntax error', fix: 'Fix the statement; the rest of the file was still translated.', message: text }),
  'unresolved-reference': detail({ code: 'PGT0003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'reference cannot be resolved', message: text }),
  'unsupported-syntax': detail({ code: 'PGT0004', severity: 'warning', bucket: 'action', effort: 'decide', title: 'construct not understood', message: text }),
  'duplicate-object': detail({ code: 'PGT0005', severity: 'warning', bucket: 'action', effort: 'review', title: 'object defined twice', message: text }),

  'psql-meta-command': detail({ code: 'PGT1001', severity: 'info', bucket: 'automatic', effort: 'none', title: 'psql meta-command removed', fix: 'psql commands have no meaning to TiDB; use `USE db` or the connection settings instead.', message: text }),
  'session-setting': detail({ code: 'PGT1002', severity: 'info', bucket: 'automatic', effort: 'none', title: 'session setting not translated', message: text }),
  'data-not-translated': detail({ code: 'PGT1003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'data statements are not translated by this command', fix: 'Load data separately (e.g. TiDB Lightning, or a dump converted to MySQL syntax) after the schema exists.', message: text }),
  'ownership-not-translated': detail({ code: 'PGT1004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'ownership not translated', fix: 'TiDB has no object owners; grant privileges to users instead.', message: text }),
  'privilege-not-translated': detail({ code: 'PGT1005', severity: 'warning', bucket: 'action', effort: 'decide', title: 'privileges not translated', fix: 'Recreate users and GRANTs for TiDB by hand (MySQL privilege model).', message: text }),
  'object-not-supported': entry({ statement: 'string', what: 'string', detail: 'string?', touches: { list: { table: 'string', columns: 'string[]' }, optional: true } })({
    code: 'PGT1006', severity: 'warning', bucket: 'unsupported', effort: 'redesign', title: 'TiDB cannot hold this object', fix: 'Move this logic into the application.',
    message: (d, s) => `${d.statement}${s.name === undefined && s.table === undefined ? '' : ` ${subjectText(s)}`}: ${d.what}${d.detail ? ` (${d.detail})` : ''}${d.touches ? `; it touches ${d.touches.map((t) => (t.columns.length > 0 ? `${t.table}(${t.columns.join(', ')})` : t.table)).join(', ')}` : ''}`,
  }),
  'trigger-converted': entry({ function: 'string', columns: 'string[]', triggers: 'integer?' })({
    code: 'PGT1017', severity: 'info', bucket: 'automatic', effort: 'review', title: 'trigger becomes ON UPDATE CURRENT_TIMESTAMP',
    fix: "TiDB sets the column only when the UPDATE changes some value of the row (PostgreSQL's trigger fires on every UPDATE), and to the statement's time (now() is the transaction's start).",
    message: (d, s) => d.triggers !== undefined
      ? `function ${subjectText(s)}: used only by ${d.triggers === 1 ? '1 trigger' : `${d.triggers} triggers`} that became ON UPDATE CURRENT_TIMESTAMP on ${d.columns.join(', ')}; not needed in TiDB`
      : `trigger ${subjectText(s)}: becomes ON UPDATE CURRENT_TIMESTAMP on ${d.columns.join(', ')} (function ${d.function})`,
  }),
  'view-not-translated': entry({ materialized: 'boolean' })({
    code: 'PGT1007', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'view body not translated', fix: 'Rewrite the query in MySQL syntax and create the view after the tables.',
    message: (d, s) => `${d.materialized ? 'materialized view' : 'view'} ${subjectText(s)}: the query is PostgreSQL SQL and is not translated${d.materialized ? '; TiDB has no materialized views (use a table and a refresh job)' : ''}`,
  }),
  'extension-implies': entry({ implies: 'string' })({
    code: 'PGT1008', severity: 'info', bucket: 'loss', effort: 'review', title: 'extension',
    message: (d, s) => `extension ${subjectText(s)}: ${d.implies}`,
  }),
  'statement-ignored': detail({ code: 'PGT1009', severity: 'info', bucket: 'automatic', effort: 'none', title: 'statement has no schema effect', message: text }),
  'sequence-folded': detail({ code: 'PGT1010', severity: 'info', bucket: 'automatic', effort: 'none', title: 'sequence folded into AUTO_INCREMENT', message: text }),
  'sequence-translated': entry({ sequence: 'string', usedBy: 'string[]' })({
    code: 'PGT1011', severity: 'info', bucket: 'loss', effort: 'review', title: 'sequence kept as a TiDB SEQUENCE', fix: SEQUENCE_CACHE_FIX,
    message: (d) => `sequence ${d.sequence} ${d.usedBy.length > 0 ? `is used by ${d.usedBy.join(', ')}; kept as a TiDB SEQUENCE with DEFAULT NEXTVAL` : 'is not used by any column default; kept as a TiDB SEQUENCE'}`,
  }),
  'sequence-demoted': entry({ column: 'string', autoIncrement: 'string', sequence: 'string', generatedAlwaysLost: 'boolean', created: 'boolean' })({
    code: 'PGT1018', severity: 'info', bucket: 'loss', effort: 'review', title: 'second generator kept as a TiDB SEQUENCE', fix: SEQUENCE_CACHE_FIX,
    message: (d, s) => `${subjectText(s)}: ${d.autoIncrement} has the table's one AUTO_INCREMENT, so this column draws from TiDB SEQUENCE ${d.sequence} with DEFAULT NEXTVAL${d.generatedAlwaysLost ? ' (GENERATED ALWAYS is lost: explicit values are accepted)' : ''}${d.created ? ' (the input does not define the sequence: created with default options)' : ''}`,
  }),
  'schema-to-database': entry({ database: 'string' })({
    code: 'PGT1012', severity: 'info', bucket: 'automatic', effort: 'none', title: 'PostgreSQL schema becomes a TiDB database',
    message: (d, s) => `schema ${subjectText(s)} becomes database ${d.database}`,
  }),
  'type-object-inlined': entry({ type: { enum: ['enum', 'domain', 'composite'] } })({
    code: 'PGT1013', severity: 'info', bucket: 'automatic', effort: 'none', title: 'type object inlined into columns',
    message: (d, s) => INLINED[d.type](subjectText(s)),
  }),
  'drop-applied': detail({ code: 'PGT1014', severity: 'info', bucket: 'automatic', effort: 'none', title: 'DROP statement', message: text }),
  'target-feature': detail({ code: 'PGT1015', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'the target TiDB lacks a feature', fix: 'Target a newer TiDB (tidbVersion), or accept the fallback described.', message: text }),
  'target-ignored': detail({ code: 'PGT1016', severity: 'info', bucket: 'automatic', effort: 'none', title: 'a target option is ignored', message: text }),

  'lossy-type': entry({ pgType: 'string', tidbType: 'string', reason: { enum: TYPE_LOSSES }, length: 'integer?', limit: 'integer?' })({
    code: 'PGT2001', severity: 'warning', bucket: 'loss', effort: 'review', title: 'type mapping loses information',
    message: (d, s) => `${subjectText(s)}: ${TYPE_LOSS[d.reason](d)}`,
  }),
  'lossy-type-minor': entry({ pgType: 'string', tidbType: 'string', reason: { enum: MINOR_TYPE_LOSSES } })({
    code: 'PGT2011', severity: 'info', bucket: 'loss', effort: 'none', title: 'type mapping loses edge-case values',
    message: (d, s) => `${subjectText(s)}: ${d.pgType} becomes ${d.tidbType}${MINOR_TYPE_LOSS[d.reason]}`,
  }),
  'unsupported-type': detail({ code: 'PGT2002', severity: 'warning', bucket: 'action', effort: 'decide', title: 'type has no TiDB equivalent', message: text }),
  'type-choice': entry({ reason: { enum: TYPE_CHOICE_REASONS }, tidbType: 'string', pgType: 'string?', override: 'string?', rule: 'string?', builtinType: 'string?' })({
    code: 'PGT2003', severity: 'info', bucket: 'loss', effort: 'review', title: 'type chosen by usage',
    message: (d, s) => `${subjectText(s)}: ${d.reason === 'override'
      ? `type ${d.tidbType} set by override ${d.override ?? ''} (built-in rule ${d.rule ?? ''} gives ${d.builtinType ?? ''})`
      : `${d.pgType ?? ''} becomes ${d.tidbType} because ${TYPE_CHOICE_WHY[d.reason]}; longer values will be rejected`}`,
  }),
  'unbounded-numeric': detail({ code: 'PGT2004', severity: 'warning', bucket: 'loss', effort: 'review', title: 'numeric without precision', fix: 'Declare numeric(p,s) in PostgreSQL, or override the mapping; DECIMAL(65,30) holds at most 35 integer digits.', message: text }),
  'timestamptz': entry({ to: { enum: ['DATETIME', 'TIMESTAMP'] } })({
    code: 'PGT2005', severity: 'warning', bucket: 'loss', effort: 'review', title: 'timestamp with time zone',
    message: (d, s) => `${subjectText(s)}: timestamptz becomes ${d.to === 'TIMESTAMP' ? 'TIMESTAMP: values outside 1970-01-01..2038-01-19 UTC cannot be stored' : 'DATETIME holding UTC: the zone conversion is now an application convention'}`,
  }),
  'identity-lossy': detail({ code: 'PGT2006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'identity options lost', message: text }),
  'array-to-json': entry({ pgType: 'string', dimensions: 'integer' })({
    code: 'PGT2007', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'array stored as JSON', fix: 'Rewrite queries: = ANY(col) -> MEMBER OF(col), @> -> JSON_CONTAINS, && -> JSON_OVERLAPS.',
    message: (d, s) => `${subjectText(s)}: ${d.pgType} becomes a JSON array: element type${d.dimensions > 1 ? ', dimensions' : ''} and NULL-element semantics are no longer enforced`,
  }),
  'collation-unmapped': detail({ code: 'PGT2008', severity: 'info', bucket: 'loss', effort: 'review', title: 'column collation has no TiDB equivalent', message: text }),
  'enum-binary': detail({ code: 'PGT2009', severity: 'info', bucket: 'automatic', effort: 'none', title: 'enum kept apart with a binary collation', message: text }),
  'auto-increment-explicit': entry({ from: { enum: ['serial', 'identity'] } })({
    code: 'PGT2012', severity: 'info', bucket: 'loss', effort: 'none', title: 'AUTO_INCREMENT treats explicit values differently',
    fix: "Nothing to do for loads (pg2tidb data's scripts set NO_AUTO_VALUE_ON_ZERO); applications that insert explicit ids should not rely on PostgreSQL's refusals.",
    message: (d, s) => `${subjectText(s)}: ${d.from === 'serial' ? 'serial' : 'the identity'} becomes AUTO_INCREMENT: an explicit NULL draws a new value (PostgreSQL refuses it), an explicit value moves the counter past it (PostgreSQL's sequence stays, so its later defaults can collide with the value), and an explicit 0 draws a new value unless sql_mode has NO_AUTO_VALUE_ON_ZERO`,
  }),
  'identity-auto-random': detail({ code: 'PGT2010', severity: 'info', bucket: 'loss', effort: 'review', title: 'identity becomes AUTO_RANDOM', message: text }),

  'default-dropped': detail({ code: 'PGT3001', severity: 'warning', bucket: 'action', effort: 'decide', title: 'default cannot be kept', fix: 'Set the value in the application, or use a default TiDB allows.', message: text }),
  'default-semantics': detail({ code: 'PGT3002', severity: 'info', bucket: 'loss', effort: 'review', title: 'default behaves differently', message: text }),
  'python-side-default': detail({ code: 'PGT3004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'default applied by SQLAlchemy in Python', fix: 'Nothing to do: SQLAlchemy applies it on TiDB as on PostgreSQL; neither database has it in its DDL.', message: text }),

  'index-method': detail({ code: 'PGT4001', severity: 'warning', bucket: 'loss', effort: 'review', title: 'index method not available', message: text }),
  'index-dropped': entry({ index: 'string', reason: { enum: INDEX_DROP_REASONS }, method: 'string?', column: 'string?', type: 'string?', expression: 'string?', why: 'string?', columns: 'integer?', max: 'integer?', keys: 'string?' })({
    code: 'PGT4002', severity: 'warning', bucket: 'action', effort: 'decide', title: 'index cannot be kept',
    message: (d) => `${d.index}${INDEX_DROPPED[d.reason](d)}; ${d.reason === 'primary-key-missing-column' ? 'primary key' : 'index'} dropped`,
  }),
  'partial-index': detail({ code: 'PGT4003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'partial index', message: text }),
  'partial-index-kept': detail({ code: 'PGT4012', severity: 'info', bucket: 'automatic', effort: 'none', title: 'partial index kept exactly', message: text }),
  'expression-index': detail({ code: 'PGT4004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'expression index rewritten', message: text }),
  'index-key-too-long': detail({ code: 'PGT4005', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'index key longer than 3072 bytes', message: text }),
  'primary-key-too-long': detail({ code: 'PGT4013', severity: 'error', bucket: 'action', effort: 'rewrite', title: 'primary key longer than 3072 bytes', message: text }),
  'index-order-ignored': detail({ code: 'PGT4006', severity: 'info', bucket: 'loss', effort: 'review', title: 'index order and NULLS placement ignored', message: text }),
  'index-include': detail({ code: 'PGT4007', severity: 'info', bucket: 'loss', effort: 'review', title: 'INCLUDE columns', message: text }),
  'index-opclass': detail({ code: 'PGT4008', severity: 'info', bucket: 'loss', effort: 'review', title: 'operator class ignored', message: text }),
  'multi-valued-index': detail({ code: 'PGT4009', severity: 'info', bucket: 'loss', effort: 'review', title: 'GIN index on an array kept as a multi-valued index', fix: 'Queries must use MEMBER OF / JSON_CONTAINS / JSON_OVERLAPS to use it.', message: text }),
  'too-many-indexes': detail({ code: 'PGT4011', severity: 'error', bucket: 'action', effort: 'rewrite', title: 'more than 64 indexes on a table', message: text }),

  'fk-action-changed': detail({ code: 'PGT5001', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'foreign-key action changed', message: text }),
  'fk-deferrable': entry({ constraint: 'string' })({
    code: 'PGT5002', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'deferrable constraint', fix: 'TiDB checks constraints immediately: insert parents first, or disable foreign_key_checks during bulk loads.',
    message: (d) => `${d.constraint} is DEFERRABLE; TiDB checks it immediately`,
  }),
  'check-constraint-off': entry({ count: 'integer' })({
    code: 'PGT5003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'CHECK constraints are not enforced by default',
    fix: 'Run SET GLOBAL tidb_enable_check_constraint = ON before applying the schema, or TiDB drops every CHECK with only a warning.',
    message: (d) => `${d.count} CHECK constraints are emitted; TiDB ignores them unless tidb_enable_check_constraint is ON (it is OFF by default)`,
  }),
  'check-dropped': detail({ code: 'PGT5004', severity: 'warning', bucket: 'action', effort: 'decide', title: 'CHECK constraint cannot be kept', message: text }),
  'exclude-constraint': detail({ code: 'PGT5005', severity: 'warning', bucket: 'unsupported', effort: 'rewrite', title: 'exclusion constraint not supported', fix: 'Enforce the rule in the application, or with a slot table and a UNIQUE key.', message: text }),
  'fk-type-aligned': entry({ column: 'string', from: 'string', parent: 'string', parentColumn: 'string', to: 'string' })({
    code: 'PGT5006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'foreign-key column type changed to match the parent',
    message: (d, s) => `${subjectTable(s) ?? ''}.${d.column} is ${d.from} but references ${d.parent}.${d.parentColumn} ${d.to}; TiDB requires identical types, so the child column becomes ${d.to}`,
  }),
  'fk-dropped': detail({ code: 'PGT5007', severity: 'warning', bucket: 'action', effort: 'decide', title: 'foreign key cannot be kept', message: text }),
  'constraint-not-valid': detail({ code: 'PGT5008', severity: 'info', bucket: 'loss', effort: 'review', title: 'NOT VALID constraint', message: text }),
  'nulls-not-distinct': detail({ code: 'PGT5009', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'NULLS NOT DISTINCT', message: text }),
  'fk-parent-index': detail({ code: 'PGT5010', severity: 'info', bucket: 'automatic', effort: 'none', title: 'index added for a foreign key', message: text }),
  'temporal-key': detail({ code: 'PGT5011', severity: 'warning', bucket: 'loss', effort: 'rewrite', title: 'temporal key (WITHOUT OVERLAPS / PERIOD)', fix: 'Check that periods do not overlap (or are covered by the parent) in the application, or with a trigger-free slot table.', message: text }),

  'name-collision': detail({ code: 'PGT6002', severity: 'error', bucket: 'action', effort: 'decide', title: 'names collide in TiDB', message: text }),
  'collation-equality': entry({ key: 'string', columns: 'string[]', effects: 'string[]' })({
    code: 'PGT6003', severity: 'warning', bucket: 'loss', effort: 'review', title: 'collation changes which keys are equal',
    fix: 'Use --collation utf8mb4_0900_bin for PostgreSQL-like equality, or clean duplicates before loading.',
    message: (d, s) => `${d.key} of ${subjectText({ kind: 'table', ...(s.database !== undefined ? { database: s.database } : {}), ...(s.table !== undefined ? { table: s.table } : {}) })} on ${d.columns.join(', ')}: ${d.effects.join('; ')}, so values distinct in PostgreSQL can collide`,
  }),
  'comment-too-long': detail({ code: 'PGT6004', severity: 'warning', bucket: 'loss', effort: 'review', title: 'comment truncated', message: text }),
  'identifier-invalid': detail({ code: 'PGT6005', severity: 'error', bucket: 'action', effort: 'decide', title: 'identifier TiDB rejects', message: text }),
  'identifier-renamed': entry({ kind: { enum: RENAME_KINDS }, database: 'string', table: 'string?', from: 'string', to: 'string', reason: { enum: RENAME_REASON_IDS } })({
    code: 'PGT6006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'object renamed for TiDB',
    fix: 'Use the new name in queries and migrations (report.json `renames` lists every rename), or rename the object in the source.',
    message: (d) => `${d.kind} "${d.from}"${d.table !== undefined ? ` of ${d.database}.${d.table}` : ` in ${d.database}`} becomes "${d.to}": ${RENAME_REASONS[d.reason]}`,
  }),

  'partition-not-supported': detail({ code: 'PGT7001', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'partitioning cannot be kept', message: text }),
  'partition-converted': detail({ code: 'PGT7002', severity: 'info', bucket: 'automatic', effort: 'none', title: 'partitions declared inline', message: text }),
  'partition-default-range': detail({ code: 'PGT7007', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'DEFAULT partition becomes MAXVALUE', message: text }),
  'inheritance': detail({ code: 'PGT7003', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'table inheritance flattened', message: text }),
  'table-persistence': detail({ code: 'PGT7004', severity: 'info', bucket: 'loss', effort: 'review', title: 'UNLOGGED/TEMPORARY ignored', message: text }),
  'generated-column': detail({ code: 'PGT7005', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'generated column cannot be kept', message: text }),
  'empty-table': detail({ code: 'PGT7006', severity: 'warning', bucket: 'action', effort: 'decide', title: 'table without columns', message: text }),

  'data-unrepresentable': detail({ code: 'PGT8001', severity: 'error', bucket: 'action', effort: 'decide', title: 'value TiDB cannot hold', fix: 'Fix the value in PostgreSQL, override the column type, or choose --on-unrepresentable null|skip-row.', message: text }),
  'data-row-malformed': detail({ code: 'PGT8002', severity: 'error', bucket: 'action', effort: 'decide', title: 'data row cannot be read', message: text }),
  'data-table-mismatch': detail({ code: 'PGT8003', severity: 'error', bucket: 'action', effort: 'decide', title: 'data for a table or column the schema does not have', fix: 'Give the schema (pg_dump --schema-only output or the DDL) together with the data.', message: text }),
  'data-statement-skipped': detail({ code: 'PGT8004', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'data statement not replayed', message: text }),
} as const;

const INLINED: Record<'enum' | 'domain' | 'composite', (name: string) => string> = {
  enum: (n) => `enum type ${n} is written inline as ENUM(...) in each column that uses it; ALTER TYPE ... ADD VALUE becomes MODIFY COLUMN on each`,
  domain: (n) => `domain ${n} is written inline: its base type, NOT NULL and CHECKs on each column that uses it`,
  composite: (n) => `composite type ${n}: columns of this type become JSON`,
};

export type DiagnosticId = keyof typeof CATALOGUE;
export type DiagnosticCode = (typeof CATALOGUE)[DiagnosticId]['code'];
/** The payload a diagnostic of this id carries. */
export type PayloadOf<K extends DiagnosticId> = Parameters<(typeof CATALOGUE)[K]['message']>[0];
/** Ids whose payload is a free sentence (the wording varies by call site). */
export type DetailId = { [K in DiagnosticId]: PayloadOf<K> extends Detail ? (Detail extends PayloadOf<K> ? K : never) : never }[DiagnosticId];

/** Ids a frontend may report while reading its input. */
export const FRONTEND_IDS = ['syntax-error', 'unresolved-reference', 'unsupported-syntax', 'input-error', 'duplicate-object'] as const satisfies readonly DetailId[];
export type FrontendId = (typeof FRONTEND_IDS)[number];

export function catalogueEntry<K extends DiagnosticId>(id: K): CatalogueEntry<PayloadOf<K>> {
  return CATALOGUE[id] as unknown as CatalogueEntry<PayloadOf<K>>;
}
