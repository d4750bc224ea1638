import { subjectTable, subjectText, type Subject } from './subject.js';
import { lacksText, TIDB_FEATURE_NAMES } from './target-features.js';
import { ALEMBIC_HISTORY, MODEL_INVALID, NOT_STATIC, REFERENCE_KINDS, TYPE_ASSUMED, UNRESOLVED, UNRESOLVED_PLACES, UNSUPPORTED_SYNTAX, type ModelInvalidReason, type NotStaticReason, type UnsupportedSyntaxReason } from './reading.js';

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
export const RENAME_REASON_IDS = ['too-long', 'collision', 'invalid', 'hidden-column-too-long', 'reserved', 'unnamed'] as const;
export type RenameReason = (typeof RENAME_REASON_IDS)[number];
const RENAME_REASONS: Record<RenameReason, string> = {
  'too-long': 'TiDB names are at most 64 characters (error 1059)',
  collision: 'the name is taken in its TiDB scope (names compare case-insensitively; index names are per table, constraint and foreign-key names per database)',
  invalid: 'TiDB rejects a name ending in a space (error 1166)',
  'hidden-column-too-long': 'TiDB names the hidden column of an expression index after the index, and that name must fit in 64 characters (error 1059)',
  reserved: 'TiDB reserves the index name PRIMARY for the primary key, in any case (error 1280)',
  unnamed: 'PostgreSQL names an unnamed select-list item ?column?, which is no usable column name; the view column gets its position instead',
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

/** What happens to each kind of statement that has no TiDB schema effect (the IR's OtherKind), after its label. */
const STATEMENT_EFFECT = {
  'session-setting': 'session settings have no effect on the TiDB schema',
  'psql-meta-command': 'psql meta-command removed before parsing',
  data: 'data statements are not translated by this command',
  select: 'queries have no schema effect',
  ownership: 'ownership has no TiDB equivalent',
  privilege: 'privileges are not translated',
  role: 'roles are not translated',
  statistics: 'extended statistics have no TiDB DDL',
  database: 'database-level statements are replaced by the generated CREATE DATABASE',
  transaction: 'transaction control: TiDB DDL is not transactional, each statement commits',
  drop: 'DROP statements were applied to the schema being read',
  'comment-other': 'comments on objects TiDB cannot hold are dropped',
  other: 'statement has no TiDB schema effect',
} as const;
type StatementKind = keyof typeof STATEMENT_EFFECT;
const STATEMENT_KINDS = Object.keys(STATEMENT_EFFECT) as StatementKind[];
/**
 * A statement reported on its own (`name`, `detail`) or as one line per file and statement kind
 * (`count` statements naming `names`; data statements name their `table`).
 */
const statementFields = { kind: { enum: STATEMENT_KINDS }, statement: 'string', name: 'string?', detail: 'string?', count: 'integer?', names: 'string[]?', table: 'string?' } as const;
function statementMessage(d: { readonly kind: StatementKind; readonly statement: string; readonly name?: string; readonly detail?: string; readonly count?: number; readonly names?: readonly string[]; readonly table?: string }): string {
  const what = STATEMENT_EFFECT[d.kind];
  if (d.count === undefined) return `${d.name ? `${d.statement} ${d.name}` : d.statement}: ${what}${d.detail ? ` (${d.detail})` : ''}`;
  const names = d.names ?? [];
  const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
  const target = d.table !== undefined ? ` into ${d.table}` : names.length > 0 ? ` (${shown})` : '';
  return `${d.statement}${target}: ${d.count === 1 ? '1 statement' : `${d.count} statements`}; ${what}`;
}
/** Why default-dropped fired: the sentence after the column, from the default's value or expression and the column's type. */
const DEFAULT_DROP = {
  'json-invalid': (d) => `JSON default '${d.value ?? ''}' is not valid JSON`,
  'json-scalar': (d) => `JSON scalar default '${d.value ?? ''}' cannot be written as a TiDB expression default (only JSON_OBJECT, JSON_ARRAY and JSON_QUOTE are allowed)`,
  'json-expression': (d) => `default ${d.expression ?? ''} on a JSON column has no TiDB form`,
  'array-literal': (d) => `array default '${d.value ?? ''}' is not understood`,
  'array-untranslatable': (d) => d.why ?? '',
  'uuid-type': (d) => `${d.expression ?? ''} default on a ${d.type ?? ''} column has no TiDB form`,
  'literal-on-blob': (d) => `literal default ${d.expression ?? ''} is not allowed on ${d.type ?? ''} (TiDB error 1101)`,
  keyword: (d) => `${d.expression ?? ''} default has no TiDB equivalent`,
  'expression-not-allowed': (d) => `default ${d.expression ?? ''} is not in TiDB's list of allowed default expressions`,
  'not-boolean': (d) => `'${d.value ?? ''}' is not a boolean`,
  'special-value': (d) => `the special value '${d.value ?? ''}' has no TiDB equivalent`,
  'not-number': (d) => `'${d.value ?? ''}' is not a number TiDB can store`,
  'not-enum-member': (d) => `'${d.value ?? ''}' is not a member of the enum`,
  'binary-literal': (d) => `binary default ${d.expression ?? ''} is stored incorrectly by TiDB (hex literals become text)`,
  'not-bit-string': (d) => `'${d.value ?? ''}' is not a bit string`,
  'sequence-non-integer': (d) => `a sequence default needs an integer column, not ${d.type ?? ''}`,
  'on-update': () => 'the on-update value has no TiDB form (only ON UPDATE CURRENT_TIMESTAMP on DATETIME/TIMESTAMP columns)',
  'key-shortened': (d) => `the default is longer than the shortened ${d.type ?? ''}; default dropped`,
  'fk-aligned': (d) => `DEFAULT ${d.expression ?? ''} does not fit ${d.type ?? ''}, the type aligned with the referenced column; default dropped`,
  'python-sequence': (d) => `Python-side behaviour has no DDL (values come from sequence ${d.sequence ?? ''} via nextval() issued by SQLAlchemy; the column has no DDL default)`,
} as const satisfies Record<string, (d: { readonly value?: string; readonly expression?: string; readonly type?: string; readonly why?: string; readonly sequence?: string }) => string>;
const DEFAULT_DROP_REASONS = Object.keys(DEFAULT_DROP) as (keyof typeof DEFAULT_DROP)[];

/** How a kept default behaves differently: the sentence after the column. */
const DEFAULT_SEMANTICS = {
  'statement-time': () => 'now() becomes CURRENT_TIMESTAMP: TiDB uses the statement time, PostgreSQL the transaction start',
  'clock-time': () => 'clock_timestamp() becomes CURRENT_TIMESTAMP: the statement time, not the wall clock at each row',
  // TiDB refuses a default whose precision differs from the column's (Invalid default value).
  'precision-widened': (d) => `CURRENT_TIMESTAMP(${d.precision ?? 0}) becomes CURRENT_TIMESTAMP(${d.fsp ?? 0}): TiDB's default keeps the column's ${d.fsp ?? 0} fractional digits where PostgreSQL rounds it to ${d.precision ?? 0}, so rows inserted in the same ${d.precision === 0 ? 'second' : 'instant'} are equal in PostgreSQL (a unique key refuses them) and distinct in TiDB; TiDB also uses the statement time, PostgreSQL the transaction start`,
  'utc-session-zone': () => "timezone('utc', now()) becomes CURRENT_TIMESTAMP, which follows the session time zone",
  'uuid-v1': (d) => `${d.function ?? ''}() becomes ${d.expression ?? ''}: TiDB's UUID() generates version 1 UUIDs (time-based), not random version 4`,
} as const satisfies Record<string, (d: { readonly function?: string; readonly expression?: string; readonly precision?: number; readonly fsp?: number }) => string>;
const DEFAULT_SEMANTICS_REASONS = Object.keys(DEFAULT_SEMANTICS) as (keyof typeof DEFAULT_SEMANTICS)[];

const TYPE_CHOICE_REASONS = ['keyed', 'literal-default', 'keyed-or-default', 'override'] as const;
/** Why a bounded type was chosen for an unbounded PostgreSQL one. */
const TYPE_CHOICE_WHY: Record<Exclude<(typeof TYPE_CHOICE_REASONS)[number], 'override'>, string> = {
  keyed: 'it is part of a key or index',
  'literal-default': 'it has a literal default (TiDB allows none on TEXT)',
  'keyed-or-default': 'it is a key or has a default',
};

/** What target-feature keeps or drops on a target without a feature; `lacks` says what the target lacks (from the feature's key and the target, target-features.ts). */
const TARGET_FALLBACK = {
  'auto-random': (d, s) => `${s} keeps AUTO_INCREMENT: ${d.lacks}`,
  'blob-json-default': (d, s) => `${s}: default (${d.expression ?? ''}) dropped: ${d.lacks}`,
  'list-default-partition': (d, s) => `${s}: partitioning cannot be kept (${d.lacks}); created as one table${partitionRows(d.partitions)}`,
  'key-partitioning': (d, s) => `${s}: partitioning cannot be kept (HASH needs one integer column; ${d.lacks}); created as one table${partitionRows(d.partitions)}`,
  'vector-type': (d, s) => `${s}: ${d.pgType ?? ''} becomes a JSON array of numbers, without vector functions or indexes: ${d.lacks}`,
  citext: (d, s) => `${s}: citext becomes a utf8mb4_general_ci column (case- and accent-insensitive, trailing spaces ignored): ${d.lacks}`,
  collation: (d) => `collation ${d.collation ?? ''} becomes ${d.to ?? ''}, which also ignores trailing spaces ('a' = 'a '): ${d.lacks}`,
  'check-constraint': (d) => `${plural(d.count ?? 0, 'CHECK constraint')} emitted but not enforced (${d.lacks}): earlier versions parse CHECK and ignore it`,
  'foreign-key': (d) => `${plural(d.count ?? 0, 'foreign key')} emitted but not enforced (${d.lacks}): earlier versions parse FOREIGN KEY without enforcing it, and keys created there stay unenforced after an upgrade`,
  sequence: (d, s) => `sequence ${s} is not created, and columns lose their DEFAULT NEXTVAL: ${d.lacks}`,
  'expression-index-dropped': (d) => `${d.index ?? ''}: expression ${d.expression ?? ''} cannot be indexed directly (${d.lacks}) and its type cannot be inferred for a generated column; index dropped`,
  'expression-index-generated': (d) => `${d.index ?? ''}: expression ${d.expression ?? ''} is indexed through the generated column ${d.column ?? ''}: ${d.lacks}`,
  'multi-valued-index': (d) => `${d.index ?? ''}: GIN index on array ${d.column ?? ''} would become a multi-valued index over CAST(... AS ${d.to ?? ''} ARRAY), but ${d.lacks}; index dropped`,
} as const satisfies Record<string, (d: { readonly lacks: string; readonly expression?: string; readonly pgType?: string; readonly collation?: string; readonly to?: string; readonly count?: number; readonly index?: string; readonly column?: string; readonly partitions?: readonly string[] }, subject: string) => string>;
const TARGET_FALLBACKS = Object.keys(TARGET_FALLBACK) as (keyof typeof TARGET_FALLBACK)[];

/** `1 foreign key is`, `3 foreign keys are`. */
function plural(n: number, noun: string): string {
  return n === 1 ? `1 ${noun} is` : `${n} ${noun}s are`;
}

/** The rows of partitions folded into their parent table, when there are any. */
function partitionRows(partitions: readonly string[] | undefined): string {
  return partitions && partitions.length > 0 ? `, and the rows of its partitions ${partitions.join(', ')} belong in it` : '';
}

/** Why partitioning cannot be kept. */
const PARTITION_REJECT = {
  'sub-partitions': () => 'sub-partitions are not supported',
  'expression-keys': () => 'expression partition keys are not supported',
  'missing-column': () => 'a partition column does not exist',
  'range-types': (d) => `RANGE over ${(d.types ?? []).join(', ')} columns`,
  'mixed-moduli': () => 'hash partitions with mixed moduli or missing remainders',
  'no-partitions': () => 'no partitions are defined in the input',
  'bound-untranslatable': () => 'a partition bound cannot be translated',
} as const satisfies Record<string, (d: { readonly types?: readonly string[] }) => string>;

/** What an identity or a sequence folded into AUTO_INCREMENT loses. */
const IDENTITY_LOSS = {
  'generated-always': () => 'GENERATED ALWAYS becomes AUTO_INCREMENT, which accepts explicit values',
  'identity-increment': (d) => `INCREMENT BY ${d.increment ?? ''} is lost (TiDB steps by auto_increment_increment)`,
  'identity-bounds': () => 'MINVALUE/MAXVALUE/CYCLE are lost',
  'sequence-increment': (d) => `sequence ${d.sequence ?? ''} steps by ${d.increment ?? ''}; AUTO_INCREMENT steps by 1`,
  'sequence-cycle': (d) => `sequence ${d.sequence ?? ''} cycles; AUTO_INCREMENT does not`,
  'second-auto-increment': (d) => `TiDB allows one AUTO_INCREMENT column per table (${d.autoIncrement ?? ''} has it); this column gets no generated values`,
  'not-integer': (d) => `AUTO_INCREMENT needs an integer column, not ${d.type ?? ''}; values are no longer generated`,
} as const satisfies Record<string, (d: { readonly increment?: string; readonly sequence?: string; readonly autoIncrement?: string; readonly type?: string }) => string>;
const IDENTITY_LOSSES = Object.keys(IDENTITY_LOSS) as (keyof typeof IDENTITY_LOSS)[];

/** Why a type has no TiDB equivalent, and what it is stored as instead (`tidbType`). */
const UNSUPPORTED_TYPE = {
  undefined: (d) => `type ${d.pgType} is not defined in the input and has no TiDB equivalent; stored as ${d.tidbType}`,
  'not-understood': (d) => `type ${d.pgType} is not understood; stored as ${d.tidbType}`,
  tsvector: () => 'tsvector has no TiDB equivalent; kept as LONGTEXT without full-text search',
  tsquery: () => 'tsquery has no TiDB equivalent; kept as LONGTEXT',
  'vector-too-wide': (d) => `${d.pgType} exceeds TiDB's 16,383 VECTOR dimensions; kept as ${d.tidbType === 'JSON' ? 'a JSON array of numbers, without vector functions or indexes' : d.tidbType}`,
  'postgis-geometry': () => 'PostGIS geometry has no TiDB equivalent; store WKB in LONGBLOB (or GeoJSON in JSON)',
  'postgis-geography': () => 'PostGIS geography has no TiDB equivalent; store WKB in LONGBLOB (or GeoJSON in JSON)',
  geometric: (d) => `${d.pgType} has no TiDB type; stored as its PostgreSQL text form`,
} as const satisfies Record<string, (d: { readonly pgType: string; readonly tidbType: string }) => string>;

/** A live source (data --from postgres://) and the schema disagree. */
const LIVE_MISMATCH = {
  'source-no-table': (d) => `${d.table ?? ''}: the schema has this table, the database ${d.source ?? ''} does not; no rows are loaded`,
  'source-no-columns': (d) => `${d.table ?? ''}: the database has no column ${(d.columns ?? []).join(', ')}, which the schema has; the table's rows are not loaded`,
  'source-unreadable': (d) => `${d.table ?? ''}: the database user may not read every column of it (SELECT privilege); the table's rows are not loaded`,
  'source-extra-columns': (d) => `${d.table ?? ''}: the database's column ${(d.columns ?? []).join(', ')} is not in the schema, so its values are not loaded`,
  'source-extra-table': (d) => `${d.table ?? ''}: the database ${d.source ?? ''} has this table, the schema does not; its rows are not read`,
  'source-sequence-unreadable': (d) => `sequence ${d.sequence ?? ''}: the database user may not read it; AUTO_INCREMENT and SETVAL follow the loaded rows only`,
  'source-no-sequence': (d) => `sequence ${d.sequence ?? ''}: the schema has it, the database ${d.source ?? ''} does not; AUTO_INCREMENT and SETVAL follow the loaded rows only`,
} as const satisfies Record<string, (d: { readonly table?: string; readonly columns?: readonly string[]; readonly sequence?: string; readonly source?: string }) => string>;

/** Why a foreign key cannot be kept, after its label. */
const FK_DROP = {
  'parent-missing': (d) => ` references ${d.parent ?? ''}, which is not ${d.parentInInput ? 'created in TiDB' : 'in the input'}; dropped`,
  partitioned: () => ': TiDB does not support foreign keys on partitioned tables; dropped',
  'key-unknown': (d) => `: the referenced key of ${d.parent ?? ''} cannot be determined; dropped`,
  'missing-column': () => ' names a column that does not exist; dropped',
  'key-too-long': (d) => `: the referenced columns need a ${d.bytes ?? 0}-byte index, over TiDB's 3072-byte key limit; dropped`,
  'blob-column': () => ': TiDB cannot put a foreign key on TEXT, BLOB or JSON columns; dropped',
} as const satisfies Record<string, (d: { readonly parent?: string; readonly parentInInput?: boolean; readonly bytes?: number }) => string>;

/** Why a CHECK cannot be kept. */
const CHECK_DROP = {
  'domain-untranslatable': (d, s) => `${s}: CHECK of domain ${d.domain ?? ''} cannot be translated (${d.why ?? ''})`,
  untranslatable: (d) => `${d.constraint ?? ''} cannot be translated (${d.why ?? ''}); constraint dropped`,
  'auto-increment': (d) => `${d.constraint ?? ''} reads the AUTO_INCREMENT column ${d.column ?? ''}, which TiDB forbids (error 3818); constraint dropped`,
  'fk-action': (d) => `${d.constraint ?? ''} reads ${d.column ?? ''}, which a foreign key with ON DELETE/UPDATE CASCADE or SET NULL changes; TiDB forbids that combination (error 3823), so the CHECK is dropped`,
} as const satisfies Record<string, (d: { readonly constraint?: string; readonly domain?: string; readonly why?: string; readonly column?: string }, subject: string) => string>;

/** Why an exclusion constraint is not plain equality (which a UNIQUE key could keep). */
const EXCLUDE_BLOCKER = {
  'text-only': () => 'only its text is known',
  operator: (d) => `operator ${d.operator ?? ''} on ${d.column ?? 'an expression'} is not equality`,
  method: (d) => `index method ${d.method ?? ''} is not btree or hash`,
} as const satisfies Record<string, (d: { readonly operator?: string; readonly column?: string; readonly method?: string }) => string>;

/** Past the row-level limit, one diagnostic per table, column and id counts the rest (`pg2tidb data`). */
const moreFields = { hidden: 'integer?', total: 'integer?' } as const;
const moreText = (d: { readonly hidden?: number; readonly total?: number }) => `${d.hidden ?? 0} more like this not shown (${d.total ?? 0} in all)`;

/** Why a data row cannot be read (`pg2tidb data`). */
const ROW_MALFORMED = {
  'copy-field': (d, s) => `${s}: ${d.why ?? ''}; the row is not loaded`,
  'copy-field-count': (d, s) => `${s}: the row has ${d.values ?? 0} fields, the COPY names ${d.columns ?? 0} columns; the row is not loaded`,
  'copy-unterminated': () => 'the input ends inside a COPY block (no \\. line); the rows read were loaded',
  'backslash-strings': (d, s) => `INSERT into ${s} under standard_conforming_strings = off has backslashes in its strings, which pg2tidb does not read that way; its ${d.rows ?? 0} rows are not loaded`,
  'insert-value-count': (d, s) => `${s}: an INSERT row has ${d.values ?? 0} values for ${d.columns ?? 0} columns; the row is not loaded`,
  'insert-not-literal': (d, s) => `${s}: INSERT value ${d.value ?? ''} is not a literal, so pg2tidb cannot convert it; the row is not loaded`,
  more: moreText,
} as const satisfies Record<string, (d: { readonly why?: string; readonly values?: number; readonly columns?: number; readonly rows?: number; readonly value?: string; readonly hidden?: number; readonly total?: number }, subject: string) => string>;

/** Why a data statement is not replayed. */
const STATEMENT_SKIPPED = {
  unparsable: () => 'this statement does not parse, so its data is not loaded',
  'copy-format': (d, s) => `COPY ${s} in ${d.format ?? ''} format: only the text format is read; its rows are not loaded`,
  'on-conflict': (_d, s) => `INSERT ... ON CONFLICT into ${s}: rows are loaded as plain rows; a conflicting row makes the load fail`,
  'not-replayed': (d) => `${d.statement ?? ''} is not replayed: pg2tidb loads rows from COPY and INSERT ... VALUES only`,
  'copy-file': (d) => `${d.statement ?? ''} copies rows from outside the SQL pg2tidb reads (a file, a program or psql's own input): they are not loaded (give them as COPY data in a dump, or load them into PostgreSQL and use --from)`,
  include: (d) => `${d.statement ?? ''}: psql reads another file here and pg2tidb does not, so rows in that file are not loaded (give it as an input too)`,
  'large-objects': (d) => `${d.total ?? 0} large object${d.total === 1 ? ' is' : 's are'} not loaded: TiDB has no large objects (each is named in the schema's report); columns that hold their oids keep only the numbers`,
  more: moreText,
} as const satisfies Record<string, (d: { readonly format?: string; readonly statement?: string; readonly hidden?: number; readonly total?: number }, subject: string) => string>;

const UNREPRESENTABLE_OUTCOME = { null: 'loaded as NULL', 'not-null': 'the column is NOT NULL, so the row is not loaded', skipped: 'the row is not loaded' } as const;

/** Why an input cannot be read: the file, the Python that read it, the error and where it came from. */
const INPUT_ERROR = {
  binary: (d) => `${d.path ?? ''} is a binary file, not SQL or Python source`,
  empty: (d) => `${d.path ?? ''} is empty`,
  'not-sql': (d) => `${d.path ?? ''} does not look like SQL: none of its ${d.statements ?? 0} statement(s) parse`,
  'python-fatal': (d) => `the SQLAlchemy models could not be read with ${d.python ?? ''}: ${d.error ?? ''}`,
  'python-table': (d) => `SQLAlchemy could not describe table ${d.table ?? ''} (with ${d.python ?? ''}): ${d.error ?? ''}; it is not in the output${traceback(d.traceback)}`,
  'python-import': (d) => `cannot import ${d.path ?? ''} with ${d.python ?? ''}: ${d.error ?? ''}; its tables are not in the output${traceback(d.traceback)}`,
  'python-parse': (d) => `cannot parse ${d.path ?? ''}: ${d.error ?? ''}`,
  'alembic-missing-table': (d) => `table ${d.table ?? ''} is defined by the models but no Alembic revision creates it`,
  'alembic-execute': (d) => `op.execute SQL could not be read: ${d.error ?? ''}`,
} as const satisfies Record<string, (d: { readonly path?: string; readonly statements?: number; readonly python?: string; readonly error?: string; readonly table?: string; readonly traceback?: readonly string[] }) => string>;

function traceback(lines: readonly string[] | undefined): string {
  return lines && lines.length > 0 ? `\n${lines.join('\n')}` : '';
}

/** How an object is defined twice. */
const DUPLICATE = {
  'table-created-twice': (d) => `table ${d.object} is created twice; the later definition wins`,
  'column-added-twice': (d) => `column ${d.object} is added twice`,
  'table-mapped-twice': (d) => `table ${d.object} is mapped twice (class ${d.class ?? ''})`,
  'table-defined-twice': (d) => `table ${d.object} is defined twice`,
  'table-exists': (d) => `table ${d.object} already exists`,
  'table-two-metadata': (d) => `table ${d.object} is defined twice (by two MetaData); the first definition is kept`,
} as const satisfies Record<string, (d: { readonly object: string; readonly class?: string }) => string>;

/** Declares an id's payload fields; the payload type derives from them, code and severity stay literal. */
const entry =
  <const F extends Fields>(fields: F) =>
  <const E extends Omit<CatalogueEntry<Payload<F>>, 'fields'>>(e: E): E & CatalogueEntry<Payload<F>> => ({ ...e, fields });
const statement = entry(statementFields);

/**
 * Every diagnostic the compiler can produce, by stable id. Codes never change meaning:
 * PGT0xxx input, PGT1xxx statements and objects, PGT2xxx types, PGT3xxx defaults,
 * PGT4xxx keys and indexes, PGT5xxx constraints, PGT6xxx names, PGT7xxx tables and partitions,
 * PGT8xxx data (`pg2tidb data`).
 * Each id has one severity; `diagnostics` levels in the config may still change it per run.
 */
export const CATALOGUE = {
  'input-error': entry({ reason: { enum: Object.keys(INPUT_ERROR) as (keyof typeof INPUT_ERROR)[] }, path: 'string?', statements: 'integer?', python: 'string?', error: 'string?', table: 'string?', traceback: 'string[]?' })({ code: 'PGT0001', severity: 'error', bucket: 'action', effort: 'decide', title: 'input cannot be read',
    message: (d) => INPUT_ERROR[d.reason](d),
  }),
  'syntax-error': entry({ error: 'string' })({ code: 'PGT0002', severity: 'error', bucket: 'action', effort: 'decide', title: 'syntax error', fix: 'Fix the statement; the rest of the file was still translated.',
    message: (d) => d.error,
  }),
  'unresolved-reference': entry({ place: { enum: UNRESOLVED_PLACES }, kind: { enum: REFERENCE_KINDS }, name: 'string', table: 'string?', index: 'string?', keyword: 'string?', module: 'string?', classes: 'string[]?' })({ code: 'PGT0003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'reference cannot be resolved',
    message: (d, s) => UNRESOLVED[d.place].text(d, subjectText(s)),
  }),
  'unsupported-syntax': entry({ reason: { enum: Object.keys(UNSUPPORTED_SYNTAX) as UnsupportedSyntaxReason[] }, constraint: 'string?', column: 'string?', statement: 'string?', name: 'string?', detail: 'string?', class: 'string?', function: 'string?', text: 'string?', option: 'string?', value: 'string?', files: 'integer?' })({ code: 'PGT0004', severity: 'warning', bucket: 'action', effort: 'decide', title: 'construct not understood',
    message: (d, s) => UNSUPPORTED_SYNTAX[d.reason](d, subjectText(s)),
  }),
  'duplicate-object': entry({ reason: { enum: Object.keys(DUPLICATE) as (keyof typeof DUPLICATE)[] }, object: 'string', class: 'string?' })({ code: 'PGT0005', severity: 'warning', bucket: 'action', effort: 'review', title: 'object defined twice',
    message: (d) => DUPLICATE[d.reason](d),
  }),
  'not-static': entry({ reason: { enum: Object.keys(NOT_STATIC) as NotStaticReason[] }, text: 'string?', name: 'string?', class: 'string?', owner: 'string?', table: 'string?', constraint: 'string?', columns: 'string[]?', annotated: 'boolean?' })({ code: 'PGT0006', severity: 'warning', bucket: 'action', effort: 'decide', title: 'the static reader cannot evaluate this',
    message: (d) => NOT_STATIC[d.reason](d),
  }),
  'model-invalid': entry({ reason: { enum: Object.keys(MODEL_INVALID) as ModelInvalidReason[] }, error: 'string?', name: 'string?', class: 'string?', module: 'string?', action: 'string?', table: 'string?' })({ code: 'PGT0007', severity: 'warning', bucket: 'action', effort: 'decide', title: 'SQLAlchemy would refuse this model on PostgreSQL',
    message: (d, s) => MODEL_INVALID[d.reason](d, subjectText(s)),
  }),
  'alembic-history': entry({ reason: { enum: Object.keys(ALEMBIC_HISTORY) as (keyof typeof ALEMBIC_HISTORY)[] }, revisions: 'string[]' })({ code: 'PGT0008', severity: 'warning', bucket: 'action', effort: 'review', title: 'Alembic history is not one line',
    message: (d, s) => ALEMBIC_HISTORY[d.reason](d, subjectText(s)),
  }),
  'type-assumed': entry({ reason: { enum: Object.keys(TYPE_ASSUMED) as (keyof typeof TYPE_ASSUMED)[] }, class: 'string', type: 'string' })({ code: 'PGT0009', severity: 'warning', bucket: 'action', effort: 'review', title: 'custom SQLAlchemy type read from its declaration',
    message: (d) => TYPE_ASSUMED[d.reason](d),
  }),

  'psql-meta-command': statement({ code: 'PGT1001', severity: 'info', bucket: 'automatic', effort: 'none', title: 'psql meta-command removed', fix: 'psql commands have no meaning to TiDB; use `USE db` or the connection settings instead.', message: statementMessage }),
  'session-setting': statement({ code: 'PGT1002', severity: 'info', bucket: 'automatic', effort: 'none', title: 'session setting not translated', message: statementMessage }),
  'data-not-translated': statement({ code: 'PGT1003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'data statements are not translated by this command', fix: 'Load data separately (e.g. TiDB Lightning, or a dump converted to MySQL syntax) after the schema exists.', message: statementMessage }),
  'ownership-not-translated': statement({ code: 'PGT1004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'ownership not translated', fix: 'TiDB has no object owners; grant privileges to users instead.', message: statementMessage }),
  'privilege-not-translated': statement({ code: 'PGT1005', severity: 'warning', bucket: 'action', effort: 'decide', title: 'privileges not translated', fix: 'Recreate users and GRANTs for TiDB by hand (MySQL privilege model).', message: statementMessage }),
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
  'view-construct-unsupported': entry({ materialized: 'boolean', construct: 'string', reason: 'string' })({
    code: 'PGT1007', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'view body not translated', fix: 'Rewrite the query in MySQL syntax and create the view after the tables.',
    message: (d, s) => `${d.materialized ? 'materialized view' : 'view'} ${subjectText(s)}: left out; its query uses ${d.construct}, which is not translated: ${d.reason}`,
  }),
  'view-dependency-left-out': entry({ materialized: 'boolean', dependency: 'string' })({
    code: 'PGT1019', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'view reads a view that is left out', fix: 'Translate the view it reads first (its own diagnostic says why it is left out), then this one.',
    message: (d, s) => `${d.materialized ? 'materialized view' : 'view'} ${subjectText(s)}: left out because it reads ${d.dependency}, which is left out`,
  }),
  'view-translated': entry({ materialized: 'boolean', notes: 'string[]' })({
    code: 'PGT1020', severity: 'info', bucket: 'loss', effort: 'review', title: 'view translated',
    message: (d, s) => `${d.materialized ? 'materialized view' : 'view'} ${subjectText(s)}: translated to TiDB SQL${d.notes.length > 0 ? `; differences: ${d.notes.join('; ')}` : ''}`,
  }),
  'materialized-view-table': entry({ table: 'string', refreshScript: 'string', untyped: 'string[]' })({
    code: 'PGT1021', severity: 'warning', bucket: 'action', effort: 'decide', title: 'materialized view becomes a table', fix: 'Run the refresh script where PostgreSQL ran REFRESH MATERIALIZED VIEW (a scheduled job or the application).',
    message: (d, s) => `materialized view ${subjectText(s)}: TiDB has no materialized views; it becomes table ${d.table}, filled by ${d.refreshScript}${d.untyped.length > 0 ? `; the type of ${d.untyped.join(', ')} is not known from the query and is LONGTEXT` : ''}`,
  }),
  'dynamic-ddl': entry({ statement: 'string', routine: { enum: ['do', 'function', 'procedure'] }, routineName: 'string?', language: 'string?', dynamic: 'boolean', pattern: 'boolean', from: 'integer?', to: 'integer?' })({
    code: 'PGT1022', severity: 'warning', bucket: 'action', effort: 'decide', title: 'DDL inside a routine body is not translated',
    fix: 'Read the live catalog of a database where it ran (pg2tidb translate --from postgres://...), which holds what it created; or write its statements out at top level in the input.',
    message: (d, s) =>
      `${d.statement} ${subjectText(s)}${d.pattern ? ` (%s is text filled in at run time${d.from !== undefined ? `, in a loop from ${d.from} to ${d.to ?? ''}` : ''})` : ''}: ` +
      `run by ${d.routine === 'do' ? 'a DO block' : `${d.routine} ${d.routineName ?? ''}`}${d.dynamic ? ' as SQL text it EXECUTEs' : ''}${d.routine === 'do' ? '' : ', when it is called'}; ` +
      `pg2tidb does not run ${d.language === 'sql' ? 'SQL functions' : 'PL/pgSQL'}, so what it creates or changes is not translated from the dump`,
  }),
  'psql-meta-not-run': entry({ command: 'string', effect: { enum: ['include', 'connect'] }, argument: 'string' })({
    code: 'PGT1024', severity: 'warning', bucket: 'action', effort: 'decide', title: 'psql meta-command with an effect pg2tidb does not follow',
    fix: 'Give the included file as an input, in its place among the inputs; split a file with \\connect into one input per database (and map each with --database).',
    message: (d) => (d.effect === 'include'
      ? `${d.command} ${d.argument}: psql reads that file here; pg2tidb reads only the inputs it is given, so what the file holds is not translated`
      : `${d.command} ${d.argument}: the statements after it are for database ${d.argument}; pg2tidb reads them into the same schema as those before it`),
  }),
  'do-block-translated': entry({ statements: 'integer', ignored: 'string[]?' })({
    code: 'PGT1023', severity: 'info', bucket: 'automatic', effort: 'none', title: 'DO block read as top-level statements',
    message: (d) => `DO block: its ${d.statements === 1 ? 'statement is' : `${d.statements} statements are`} static SQL ${d.ignored ? `guarded only against what exists already (its handler ignores ${d.ignored.join(', ')})` : 'with no PL/pgSQL logic (no variables, conditions, loops or exception handlers)'}, so ${d.statements === 1 ? 'it is' : 'they are'} translated as if written at top level`,
  }),
  'extension-implies': entry({ implies: 'string' })({
    code: 'PGT1008', severity: 'info', bucket: 'loss', effort: 'review', title: 'extension',
    message: (d, s) => `extension ${subjectText(s)}: ${d.implies}`,
  }),
  'statement-ignored': entry({ ...statementFields, kind: { enum: [...STATEMENT_KINDS, 'storage-options', 'schema-comment'] }, statement: 'string?', options: 'string[]?' })({ code: 'PGT1009', severity: 'info', bucket: 'automatic', effort: 'none', title: 'statement has no schema effect',
    message: (d, s) => d.kind === 'storage-options' ? `${subjectText(s)}: storage options ${(d.options ?? []).join(', ')} have no TiDB meaning`
      : d.kind === 'schema-comment' ? `the comment on schema ${subjectText(s)} is dropped: TiDB databases have no comments`
      : statementMessage({ ...d, kind: d.kind, statement: d.statement ?? '' }),
  }),
  'sequence-folded': entry({ sequence: 'string', reason: { enum: ['auto-increment', 'identity', 'partition'] }, column: 'string?', table: 'string?', start: 'string?' })({
    code: 'PGT1010', severity: 'info', bucket: 'automatic', effort: 'none', title: 'sequence folded into AUTO_INCREMENT',
    message: (d) => `sequence ${d.sequence} ${
      d.reason === 'identity' ? 'backs an identity column and becomes its AUTO_INCREMENT'
      : d.reason === 'partition' ? `belongs to ${d.table ?? ''}, a partition folded into its parent table; it is not created`
      : `becomes AUTO_INCREMENT on ${d.column ?? ''}${d.start && d.start !== '1' ? ` starting at ${d.start}` : ''}; values are unique but not strictly increasing across TiDB nodes`}`,
  }),
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
  'drop-applied': statement({ code: 'PGT1014', severity: 'info', bucket: 'automatic', effort: 'none', title: 'DROP statement', message: statementMessage }),
  'target-feature': entry({ reason: { enum: TARGET_FALLBACKS }, feature: { enum: TIDB_FEATURE_NAMES }, version: 'string?', cloudStarter: 'boolean?', expression: 'string?', pgType: 'string?', collation: 'string?', to: 'string?', count: 'integer?', index: 'string?', column: 'string?', partitions: 'string[]?' })({ code: 'PGT1015', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'the target TiDB lacks a feature', fix: 'Target a newer TiDB (tidbVersion), or accept the fallback described.',
    message: (d, s) => TARGET_FALLBACK[d.reason]({ ...d, lacks: lacksText(d.feature, d) }, subjectText(s)),
  }),
  'target-ignored': entry({ option: { enum: ['tidbVersion'] }, value: 'string' })({ code: 'PGT1016', severity: 'info', bucket: 'automatic', effort: 'none', title: 'a target option is ignored',
    message: (d) => `${d.option} ${d.value} is ignored: the target is TiDB Cloud Starter, whose kernel (based on v8.5.3) and fixed configuration decide what it offers`,
  }),

  'lossy-type': entry({ pgType: 'string', tidbType: 'string', reason: { enum: TYPE_LOSSES }, length: 'integer?', limit: 'integer?' })({
    code: 'PGT2001', severity: 'warning', bucket: 'loss', effort: 'review', title: 'type mapping loses information',
    message: (d, s) => `${subjectText(s)}: ${TYPE_LOSS[d.reason](d)}`,
  }),
  'lossy-type-minor': entry({ pgType: 'string', tidbType: 'string', reason: { enum: MINOR_TYPE_LOSSES } })({
    code: 'PGT2011', severity: 'info', bucket: 'loss', effort: 'none', title: 'type mapping loses edge-case values',
    message: (d, s) => `${subjectText(s)}: ${d.pgType} becomes ${d.tidbType}${MINOR_TYPE_LOSS[d.reason]}`,
  }),
  'unsupported-type': entry({ reason: { enum: Object.keys(UNSUPPORTED_TYPE) as (keyof typeof UNSUPPORTED_TYPE)[] }, pgType: 'string', tidbType: 'string' })({ code: 'PGT2002', severity: 'warning', bucket: 'action', effort: 'decide', title: 'type has no TiDB equivalent',
    message: (d, s) => `${subjectText(s)}: ${UNSUPPORTED_TYPE[d.reason](d)}`,
  }),
  'type-choice': entry({ reason: { enum: TYPE_CHOICE_REASONS }, tidbType: 'string', pgType: 'string?', override: 'string?', rule: 'string?', builtinType: 'string?' })({
    code: 'PGT2003', severity: 'info', bucket: 'loss', effort: 'review', title: 'type chosen by usage',
    message: (d, s) => `${subjectText(s)}: ${d.reason === 'override'
      ? `type ${d.tidbType} set by override ${d.override ?? ''} (built-in rule ${d.rule ?? ''} gives ${d.builtinType ?? ''})`
      : `${d.pgType ?? ''} becomes ${d.tidbType} because ${TYPE_CHOICE_WHY[d.reason]}; longer values will be rejected`}`,
  }),
  'unbounded-numeric': entry({ tidbType: 'string' })({ code: 'PGT2004', severity: 'warning', bucket: 'loss', effort: 'review', title: 'numeric without precision', fix: 'Declare numeric(p,s) in PostgreSQL, or override the mapping; DECIMAL(65,30) holds at most 35 integer digits.',
    message: (d, s) => `${subjectText(s)}: numeric without precision becomes ${d.tidbType}: at most 35 integer and 30 fractional digits (bare DECIMAL would mean DECIMAL(10,0))`,
  }),
  'timestamptz': entry({ to: { enum: ['DATETIME', 'TIMESTAMP'] } })({
    code: 'PGT2005', severity: 'warning', bucket: 'loss', effort: 'review', title: 'timestamp with time zone',
    message: (d, s) => `${subjectText(s)}: timestamptz becomes ${d.to === 'TIMESTAMP' ? 'TIMESTAMP: values outside 1970-01-01..2038-01-19 UTC cannot be stored' : 'DATETIME holding UTC: the zone conversion is now an application convention'}`,
  }),
  'identity-lossy': entry({ reason: { enum: IDENTITY_LOSSES }, increment: 'string?', sequence: 'string?', autoIncrement: 'string?', type: 'string?' })({ code: 'PGT2006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'identity options lost',
    message: (d, s) => `${subjectText(s)}: ${IDENTITY_LOSS[d.reason](d)}`,
  }),
  'array-to-json': entry({ pgType: 'string', dimensions: 'integer' })({
    code: 'PGT2007', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'array stored as JSON', fix: 'Rewrite queries: = ANY(col) -> MEMBER OF(col), @> -> JSON_CONTAINS, && -> JSON_OVERLAPS.',
    message: (d, s) => `${subjectText(s)}: ${d.pgType} becomes a JSON array: element type${d.dimensions > 1 ? ', dimensions' : ''} and NULL-element semantics are no longer enforced`,
  }),
  'collation-unmapped': entry({ collation: 'string' })({ code: 'PGT2008', severity: 'info', bucket: 'loss', effort: 'review', title: 'column collation has no TiDB equivalent',
    message: (d, s) => `${subjectText(s)}: collation "${d.collation}" has no TiDB equivalent; the database collation applies`,
  }),
  'enum-binary': entry({ enum: 'string', collation: 'string' })({ code: 'PGT2009', severity: 'info', bucket: 'automatic', effort: 'none', title: 'enum kept apart with a binary collation',
    message: (d, s) => `${subjectText(s)}: enum ${d.enum} has members that the target collation treats as equal (case, accents, compatibility forms, ignorable or supplementary-plane characters); the column uses ${d.collation} so that TiDB keeps them apart`,
  }),
  'identity-auto-random': entry({ shardBits: 'integer' })({ code: 'PGT2010', severity: 'info', bucket: 'loss', effort: 'review', title: 'identity becomes AUTO_RANDOM',
    message: (d, s) => `${subjectText(s)} becomes AUTO_RANDOM(${d.shardBits}): values are unique but random, not increasing, and explicit inserts need @@allow_auto_random_explicit_insert`,
  }),
  'auto-increment-explicit': entry({ from: { enum: ['serial', 'identity'] } })({
    code: 'PGT2012', severity: 'info', bucket: 'loss', effort: 'none', title: 'AUTO_INCREMENT treats explicit values differently',
    fix: "Nothing to do for loads (pg2tidb data's scripts set NO_AUTO_VALUE_ON_ZERO); applications that insert explicit ids should not rely on PostgreSQL's refusals.",
    message: (d, s) => `${subjectText(s)}: ${d.from === 'serial' ? 'serial' : 'the identity'} becomes AUTO_INCREMENT: an explicit NULL draws a new value (PostgreSQL refuses it), an explicit value moves the counter past it (PostgreSQL's sequence stays, so its later defaults can collide with the value), and an explicit 0 draws a new value unless sql_mode has NO_AUTO_VALUE_ON_ZERO`,
  }),

  'default-dropped': entry({ reason: { enum: DEFAULT_DROP_REASONS }, value: 'string?', expression: 'string?', type: 'string?', why: 'string?', sequence: 'string?' })({
    code: 'PGT3001', severity: 'warning', bucket: 'action', effort: 'decide', title: 'default cannot be kept', fix: 'Set the value in the application, or use a default TiDB allows.',
    message: (d, s) => `${d.reason === 'python-sequence' ? 'Sequence ' : ''}${subjectText(s)}: ${DEFAULT_DROP[d.reason](d)}`,
  }),
  'default-semantics': entry({ reason: { enum: DEFAULT_SEMANTICS_REASONS }, function: 'string?', expression: 'string?', precision: 'integer?', fsp: 'integer?' })({
    code: 'PGT3002', severity: 'info', bucket: 'loss', effort: 'review', title: 'default behaves differently',
    message: (d, s) => `${subjectText(s)}: ${DEFAULT_SEMANTICS[d.reason](d)}`,
  }),
  'python-side-default': entry({ option: 'string', value: 'string', serverDefault: 'boolean?' })({ code: 'PGT3004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'default applied by SQLAlchemy in Python', fix: 'Nothing to do: SQLAlchemy applies it on TiDB as on PostgreSQL; neither database has it in its DDL.',
    message: (d, s) => `${d.option} ${subjectText(s)}: applied by SQLAlchemy in Python, with no DDL on PostgreSQL either (${d.option}${d.value}${d.option === 'onupdate=' ? ', on UPDATE' : ''}${d.serverDefault ? '; its server_default is the DDL default' : ''})`,
  }),

  'index-method': entry({ index: 'string', method: 'string' })({ code: 'PGT4001', severity: 'warning', bucket: 'loss', effort: 'review', title: 'index method not available',
    message: (d) => `${d.index}: ${d.method.toUpperCase()} index becomes a B-tree index`,
  }),
  'index-dropped': entry({ index: 'string', reason: { enum: INDEX_DROP_REASONS }, method: 'string?', column: 'string?', type: 'string?', expression: 'string?', why: 'string?', columns: 'integer?', max: 'integer?', keys: 'string?' })({
    code: 'PGT4002', severity: 'warning', bucket: 'action', effort: 'decide', title: 'index cannot be kept',
    message: (d) => `${d.index}${INDEX_DROPPED[d.reason](d)}; ${d.reason === 'primary-key-missing-column' ? 'primary key' : 'index'} dropped`,
  }),
  'partial-index': entry({ index: 'string', reason: { enum: ['unique-predicate-untranslatable', 'full-index', 'auto-increment-unique'] }, why: 'string?' })({
    code: 'PGT4003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'partial index',
    message: (d) => `${d.index}${
      d.reason === 'unique-predicate-untranslatable' ? ` is a partial UNIQUE index whose predicate cannot be translated (${d.why ?? ''}); index dropped, uniqueness is not enforced`
      : d.reason === 'full-index' ? ' is partial (WHERE ...); TiDB indexes every row instead'
      : ': a partial UNIQUE index over an AUTO_INCREMENT column cannot use a generated column in TiDB (error 3109); indexed without uniqueness'}`,
  }),
  'partial-index-kept': entry({ index: 'string', reason: { enum: ['native', 'generated-columns'] }, predicate: 'string?' })({ code: 'PGT4012', severity: 'info', bucket: 'automatic', effort: 'none', title: 'partial index kept exactly',
    message: (d) => d.reason === 'native' ? `${d.index} is kept as a native partial index (WHERE ${d.predicate ?? ''}; TiDB v8.5.7+), created by its own CREATE INDEX statement` : `${d.index} is a partial UNIQUE index; kept exactly through generated columns that are NULL where the predicate is false`,
  }),
  'expression-index': entry({ index: 'string', reason: { enum: ['prefix', 'generated-column', 'wide-prefix'] }, column: 'string', expression: 'string?', length: 'integer?', lacks: 'string?' })({ code: 'PGT4004', severity: 'info', bucket: 'automatic', effort: 'none', title: 'expression index rewritten',
    message: (d) => d.reason === 'prefix' ? `${d.index}: (${d.column}::varchar(${d.length ?? 0})) is indexed as the prefix ${d.column}(${d.length ?? 0})` : d.reason === 'wide-prefix' ? `${d.index}: expression ${d.expression ?? ''} is wider than the 3072-byte key limit, so it is indexed through the generated column ${d.column}, on a prefix` : `${d.index}: expression ${d.expression ?? ''} is indexed through the generated column ${d.column} (${d.lacks ?? 'TiDB allows only a short list of functions in expression indexes'})`,
  }),
  'index-key-too-long': entry({ index: 'string', reason: { enum: ['dropped', 'prefixed', 'fk-widened', 'primary-key-shortened'] }, unique: 'boolean?', column: 'string?', type: 'string?' })({ code: 'PGT4005', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'index key longer than 3072 bytes',
    message: (d) => `${d.index}${d.reason === 'dropped' ? ': key is longer than 3072 bytes and cannot be shortened; index dropped' : d.reason === 'primary-key-shortened' ? ` is longer than 3072 bytes; ${d.column ?? ''} becomes ${d.type ?? ''} so that the key fits, and longer values will be rejected` : `: ${d.reason === 'fk-widened' ? 'a column widened to match its foreign-key parent makes the key' : 'key is'} longer than 3072 bytes; indexed on column prefixes${d.unique ? ', so uniqueness now applies to the prefixes only' : ''}`}`,
  }),
  'primary-key-too-long': entry({ fkAligned: 'boolean?' })({ code: 'PGT4013', severity: 'error', bucket: 'action', effort: 'rewrite', title: 'primary key longer than 3072 bytes',
    message: (d, s) => `primary key of ${subjectTable(s) ?? ''} is longer than 3072 bytes${d.fkAligned ? " once its columns take their foreign-key parents' types," : ''} and cannot be shortened; primary key dropped`,
  }),
  'index-order-ignored': entry({ index: 'string' })({ code: 'PGT4006', severity: 'info', bucket: 'loss', effort: 'review', title: 'index order and NULLS placement ignored',
    message: (d) => `${d.index}: TiDB ignores DESC and NULLS FIRST/LAST in indexes (no descending indexes)`,
  }),
  'index-include': entry({ index: 'string', include: 'string[]', reason: { enum: ['primary-key', 'unique', 'appended'] } })({ code: 'PGT4007', severity: 'info', bucket: 'loss', effort: 'review', title: 'INCLUDE columns',
    message: (d) => `${d.index}: INCLUDE (${d.include.join(', ')}) ${d.reason === 'primary-key' ? 'dropped' : d.reason === 'unique' ? 'dropped; a UNIQUE key cannot carry extra columns' : 'columns appended to the key'}`,
  }),
  'index-opclass': entry({ index: 'string', opclasses: 'string[]?' })({ code: 'PGT4008', severity: 'info', bucket: 'loss', effort: 'review', title: 'operator class ignored',
    message: (d) => `${d.index}: ${d.opclasses ? `operator class ${d.opclasses.join(', ')}` : 'per-key collation'} ignored`,
  }),
  'multi-valued-index': entry({ index: 'string', column: 'string', cast: 'string' })({ code: 'PGT4009', severity: 'info', bucket: 'loss', effort: 'review', title: 'GIN index on an array kept as a multi-valued index', fix: 'Queries must use MEMBER OF / JSON_CONTAINS / JSON_OVERLAPS to use it.',
    message: (d) => `${d.index}: GIN index on array ${d.column} becomes a multi-valued index over CAST(... AS ${d.cast} ARRAY)`,
  }),
  'too-many-indexes': entry({ indexes: 'integer', max: 'integer', dropped: 'string[]' })({ code: 'PGT4011', severity: 'error', bucket: 'action', effort: 'rewrite', title: 'more than 64 indexes on a table',
    message: (d, s) => `${subjectText(s)} has ${d.indexes} indexes; TiDB allows ${d.max} (config index-limit, not changeable on TiDB Cloud); the last ${d.indexes - d.max} are dropped`,
  }),

  'fk-action-changed': entry({ constraint: 'string', reason: { enum: ['set-null-not-null', 'set-default', 'match'] }, columns: 'string[]?', event: { enum: ['DELETE', 'UPDATE'], optional: true }, match: 'string?' })({ code: 'PGT5001', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'foreign-key action changed',
    message: (d) => `${d.constraint}: ${d.reason === 'set-null-not-null' ? `SET NULL on NOT NULL column ${(d.columns ?? []).join(', ')} becomes RESTRICT (TiDB rejects it, error 1830; PostgreSQL would fail the delete anyway)` : d.reason === 'set-default' ? `ON ${d.event ?? 'DELETE'} SET DEFAULT becomes RESTRICT (TiDB accepts SET DEFAULT but acts as RESTRICT)` : `MATCH ${(d.match ?? '').toUpperCase()} becomes MATCH SIMPLE (a row with some NULL key columns is not checked)`}`,
  }),
  'fk-deferrable': entry({ constraint: 'string' })({
    code: 'PGT5002', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'deferrable constraint', fix: 'TiDB checks constraints immediately: insert parents first, or disable foreign_key_checks during bulk loads.',
    message: (d) => `${d.constraint} is DEFERRABLE; TiDB checks it immediately`,
  }),
  'check-constraint-off': entry({ count: 'integer' })({
    code: 'PGT5003', severity: 'warning', bucket: 'action', effort: 'decide', title: 'CHECK constraints are not enforced by default',
    fix: 'Run SET GLOBAL tidb_enable_check_constraint = ON before applying the schema, or TiDB drops every CHECK with only a warning.',
    message: (d) => `${d.count} CHECK constraints are emitted; TiDB ignores them unless tidb_enable_check_constraint is ON (it is OFF by default)`,
  }),
  'check-dropped': entry({ reason: { enum: Object.keys(CHECK_DROP) as (keyof typeof CHECK_DROP)[] }, constraint: 'string?', domain: 'string?', why: 'string?', column: 'string?' })({ code: 'PGT5004', severity: 'warning', bucket: 'action', effort: 'decide', title: 'CHECK constraint cannot be kept',
    message: (d, s) => CHECK_DROP[d.reason](d, subjectText(s)),
  }),
  'exclude-constraint': entry({ constraint: 'string', text: 'string', blocker: { enum: Object.keys(EXCLUDE_BLOCKER) as (keyof typeof EXCLUDE_BLOCKER)[] }, operator: 'string?', column: 'string?', method: 'string?' })({ code: 'PGT5005', severity: 'warning', bucket: 'unsupported', effort: 'rewrite', title: 'exclusion constraint not supported', fix: 'Enforce the rule in the application, or with a slot table and a UNIQUE key.',
    message: (d) => `${d.constraint} (${d.text}) has no TiDB equivalent (${EXCLUDE_BLOCKER[d.blocker](d)}); dropped`,
  }),
  'fk-type-aligned': entry({ column: 'string', from: 'string', parent: 'string', parentColumn: 'string', to: 'string', group: 'boolean?' })({
    code: 'PGT5006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'foreign-key column type changed to match the parent',
    message: (d, s) => d.group
      ? `${subjectTable(s) ?? ''}.${d.column} is ${d.from} and is joined by foreign keys to ${d.parent}.${d.parentColumn}; TiDB requires matching types, so the columns of that group take one type and it becomes ${d.to}`
      : `${subjectTable(s) ?? ''}.${d.column} is ${d.from} and references ${d.parent}.${d.parentColumn}; TiDB requires matching types, so the child column becomes ${d.to}`,
  }),
  'fk-dropped': entry({ constraint: 'string', reason: { enum: Object.keys(FK_DROP) as (keyof typeof FK_DROP)[] }, parent: 'string?', parentInInput: 'boolean?', bytes: 'integer?' })({ code: 'PGT5007', severity: 'warning', bucket: 'action', effort: 'decide', title: 'foreign key cannot be kept',
    message: (d) => `${d.constraint}${FK_DROP[d.reason](d)}`,
  }),
  'constraint-not-valid': entry({ constraint: 'string', kind: { enum: ['check', 'foreign-key'] } })({ code: 'PGT5008', severity: 'info', bucket: 'loss', effort: 'review', title: 'NOT VALID constraint',
    message: (d) => `${d.constraint} is NOT VALID in PostgreSQL; ${d.kind === 'check' ? 'TiDB validates existing rows when it is created' : 'TiDB checks rows inserted from now on'}`,
  }),
  'nulls-not-distinct': entry({ index: 'string' })({ code: 'PGT5009', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'NULLS NOT DISTINCT',
    message: (d) => `${d.index}: NULLS NOT DISTINCT is not available; TiDB treats NULLs as distinct`,
  }),
  'fk-parent-index': entry({ constraint: 'string', columns: 'string[]', parent: 'string', index: 'string' })({ code: 'PGT5010', severity: 'info', bucket: 'automatic', effort: 'none', title: 'index added for a foreign key',
    message: (d) => `${d.constraint} references (${d.columns.join(', ')}) of ${d.parent}, which has no index starting with those columns; TiDB requires one, so index ${d.index} is added`,
  }),
  'temporal-key': entry({ constraint: 'string', kind: { enum: ['key', 'foreign-key'] }, columns: 'string[]' })({ code: 'PGT5011', severity: 'warning', bucket: 'loss', effort: 'rewrite', title: 'temporal key (WITHOUT OVERLAPS / PERIOD)', fix: 'Check that periods do not overlap (or are covered by the parent) in the application, or with a trigger-free slot table.',
    message: (d, s) => { const period = d.columns[d.columns.length - 1] ?? ''; return d.kind === 'foreign-key' ? `${d.constraint} uses PERIOD ${period}: TiDB cannot check that the parent's periods cover the child's, and an equality foreign key would reject rows PostgreSQL accepts; dropped` : `${d.constraint} of ${subjectTable(s) ?? ''} is (${d.columns.map((c, i) => (i === d.columns.length - 1 ? `${c} WITHOUT OVERLAPS` : c)).join(', ')}): TiDB keeps it as an equality key on (${d.columns.join(', ')}), which rejects only an identical ${period}; overlapping periods are accepted`; },
  }),

  'name-collision': entry({ kind: { enum: ['column', 'table'] }, names: 'string[]', becomes: 'string?' })({ code: 'PGT6002', severity: 'error', bucket: 'action', effort: 'decide', title: 'names collide in TiDB',
    message: (d, s) => d.kind === 'column' ? `columns "${d.names[0] ?? ''}" and "${d.names[1] ?? ''}" of ${subjectTable(s) ?? ''} differ only in case; TiDB column names are case-insensitive` : `tables ${d.names[0] ?? ''} and ${d.names[1] ?? ''} both become ${d.becomes ?? ''}: TiDB compares table names case-insensitively (lower_case_table_names = 2); ${d.names[1] ?? ''} is not created`,
  }),
  'collation-equality': entry({ key: 'string', columns: 'string[]', effects: 'string[]' })({
    code: 'PGT6003', severity: 'warning', bucket: 'loss', effort: 'review', title: 'collation changes which keys are equal',
    fix: 'Use --collation utf8mb4_0900_bin for PostgreSQL-like equality, or clean duplicates before loading.',
    message: (d, s) => `${d.key} of ${subjectText({ kind: 'table', ...(s.database !== undefined ? { database: s.database } : {}), ...(s.table !== undefined ? { table: s.table } : {}) })} on ${d.columns.join(', ')}: ${d.effects.join('; ')}, so values distinct in PostgreSQL can collide`,
  }),
  'comment-too-long': entry({ object: 'string', max: 'integer' })({ code: 'PGT6004', severity: 'warning', bucket: 'loss', effort: 'review', title: 'comment truncated',
    message: (d) => `comment on ${d.object} is longer than ${d.max} bytes and was truncated`,
  }),
  'identifier-invalid': entry({ identifier: 'string', reason: { enum: ['empty', 'trailing-space', 'too-long'] } })({ code: 'PGT6005', severity: 'error', bucket: 'action', effort: 'decide', title: 'identifier TiDB rejects',
    message: (d, s) => `identifier "${d.identifier}" in ${subjectText(s)} ${d.reason === 'empty' ? 'is empty' : d.reason === 'trailing-space' ? 'ends with a space' : 'is longer than 64 characters'}; TiDB rejects such names (errors 1059/1166)`,
  }),
  'identifier-renamed': entry({ kind: { enum: RENAME_KINDS }, database: 'string', table: 'string?', from: 'string', to: 'string', reason: { enum: RENAME_REASON_IDS } })({
    code: 'PGT6006', severity: 'warning', bucket: 'loss', effort: 'review', title: 'object renamed for TiDB',
    fix: 'Use the new name in queries and migrations (report.json `renames` lists every rename), or rename the object in the source.',
    message: (d) => `${d.kind} "${d.from}"${d.table !== undefined ? ` of ${d.database}.${d.table}` : ` in ${d.database}`} becomes "${d.to}": ${RENAME_REASONS[d.reason]}`,
  }),

  'partition-not-supported': entry({ reason: { enum: [...Object.keys(PARTITION_REJECT) as (keyof typeof PARTITION_REJECT)[], 'parent-not-partitioned'] }, types: 'string[]?', partitions: 'string[]?', parent: 'string?' })({ code: 'PGT7001', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'partitioning cannot be kept',
    message: (d, s) => d.reason === 'parent-not-partitioned' ? `${subjectText(s)} is a partition of ${d.parent ?? ''}, which is not a partitioned table in the input; created as an ordinary table` : `${subjectText(s)}: partitioning cannot be kept (${PARTITION_REJECT[d.reason](d)}); created as one table${partitionRows(d.partitions)}`,
  }),
  'partition-converted': entry({ method: { enum: ['RANGE', 'LIST', 'HASH', 'KEY'] }, partitions: 'string[]', columns: 'string[]?', count: 'integer?' })({ code: 'PGT7002', severity: 'info', bucket: 'automatic', effort: 'none', title: 'partitions declared inline',
    message: (d, s) => `${subjectText(s)}: ${d.method === 'RANGE' ? `range partitions ${d.partitions.join(', ')} are declared inline as VALUES LESS THAN; values below the first FROM bound are no longer rejected` : d.method === 'LIST' ? `list partitions ${d.partitions.join(', ')} are declared inline` : `HASH partitioning by ${(d.columns ?? []).join(', ')} (${d.partitions.join(', ')}) becomes ${d.method} with ${d.count ?? 0} partitions, which TiDB names p0${(d.count ?? 0) > 1 ? ` to p${(d.count ?? 0) - 1}` : ''}; rows land in different partitions than in PostgreSQL, so its partitions' names are not kept`}`,
  }),
  'partition-default-range': entry({ partition: 'string' })({ code: 'PGT7007', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'DEFAULT partition becomes MAXVALUE',
    message: (d, s) => `${subjectText(s)}: the DEFAULT partition ${d.partition} becomes a MAXVALUE partition, which only takes values above the last range`,
  }),
  inheritance: entry({ parents: 'string[]' })({ code: 'PGT7003', severity: 'warning', bucket: 'loss', effort: 'decide', title: 'table inheritance flattened',
    message: (d, s) => `${subjectText(s)} inherits from ${d.parents.join(', ')}: TiDB has no table inheritance; the inherited columns are copied and the tables are independent`,
  }),
  'table-persistence': entry({ persistence: { enum: ['unlogged', 'temporary'] } })({ code: 'PGT7004', severity: 'info', bucket: 'loss', effort: 'review', title: 'UNLOGGED/TEMPORARY ignored',
    message: (d, s) => `${subjectText(s)} is ${d.persistence.toUpperCase()} in PostgreSQL; TiDB creates an ordinary table`,
  }),
  'generated-column': entry({ why: 'string' })({ code: 'PGT7005', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'generated column cannot be kept',
    message: (d, s) => `${subjectText(s)}: generated expression cannot be translated (${d.why}); kept as an ordinary column`,
  }),
  'empty-table': entry({ table: 'string' })({ code: 'PGT7006', severity: 'warning', bucket: 'action', effort: 'decide', title: 'table without columns',
    message: (_d, s) => `${subjectText(s)} has no columns; TiDB cannot create a table without columns, so it is not created`,
  }),

  'data-unrepresentable': entry({ value: 'string?', target: 'string?', why: 'string?', outcome: { enum: Object.keys(UNREPRESENTABLE_OUTCOME) as (keyof typeof UNREPRESENTABLE_OUTCOME)[], optional: true }, ...moreFields })({ code: 'PGT8001', severity: 'error', bucket: 'action', effort: 'decide', title: 'value TiDB cannot hold', fix: 'Fix the value in PostgreSQL, override the column type, or choose --on-unrepresentable null|skip-row.',
    message: (d, s) => (d.outcome === undefined ? moreText(d) : `${subjectText(s)}: ${d.value ?? ''} cannot be loaded into ${d.target ?? ''}: ${d.why ?? ''}; ${UNREPRESENTABLE_OUTCOME[d.outcome]}`),
  }),
  'data-row-malformed': entry({ reason: { enum: Object.keys(ROW_MALFORMED) as (keyof typeof ROW_MALFORMED)[] }, why: 'string?', values: 'integer?', columns: 'integer?', rows: 'integer?', value: 'string?', ...moreFields })({ code: 'PGT8002', severity: 'error', bucket: 'action', effort: 'decide', title: 'data row cannot be read',
    message: (d, s) => ROW_MALFORMED[d.reason](d, subjectText(s)),
  }),
  'data-table-mismatch': entry({ reason: { enum: ['missing-columns', 'columns-changed', 'no-table', 'more', ...Object.keys(LIVE_MISMATCH) as (keyof typeof LIVE_MISMATCH)[]] }, columns: 'string[]?', previous: 'string[]?', statement: 'string?', table: 'string?', sequence: 'string?', source: 'string?', ...moreFields })({ code: 'PGT8003', severity: 'error', bucket: 'action', effort: 'decide', title: 'data for a table or column the schema does not have', fix: 'Give the schema the rows belong to: for a dump, its pg_dump --schema-only output or DDL together with the data; for a live source (--from), the schema of that same database, or no schema file so that its catalog gives it.',
    message: (d, s) => d.reason in LIVE_MISMATCH ? LIVE_MISMATCH[d.reason as keyof typeof LIVE_MISMATCH](d) : d.reason === 'more' ? moreText(d) : d.reason === 'missing-columns' ? `${subjectText(s)} has no column ${(d.columns ?? []).join(', ')}; the block's rows are not loaded` : d.reason === 'columns-changed' ? `${subjectText(s)} is loaded again with other columns (${(d.columns ?? []).join(', ')} instead of ${(d.previous ?? []).join(', ')}); these rows are not loaded` : `${d.statement ?? ''} into ${d.table ?? ''}: the schema has no such table; its rows are not loaded`,
  }),
  'data-statement-skipped': entry({ reason: { enum: Object.keys(STATEMENT_SKIPPED) as (keyof typeof STATEMENT_SKIPPED)[] }, format: 'string?', statement: 'string?', ...moreFields })({ code: 'PGT8004', severity: 'warning', bucket: 'action', effort: 'rewrite', title: 'data statement not replayed',
    message: (d, s) => STATEMENT_SKIPPED[d.reason](d, subjectText(s)),
  }),
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
/**
 * The payload `bag.add(id, data)` accepts: that id's payload; for an id of a union type, one payload
 * every member accepts (the intersection), so a union id cannot smuggle in another id's payload.
 */
export type ExactPayload<K extends DiagnosticId> = (K extends DiagnosticId ? (p: PayloadOf<K>) => void : never) extends (p: infer P) => void ? P : never;

/** Ids a frontend may report while reading its input. */
export const FRONTEND_IDS = ['syntax-error', 'unresolved-reference', 'unsupported-syntax', 'not-static', 'model-invalid', 'alembic-history', 'type-assumed', 'input-error', 'duplicate-object', 'dynamic-ddl', 'do-block-translated', 'psql-meta-not-run'] as const;
export type FrontendId = (typeof FRONTEND_IDS)[number];

/** A frontend note's message: the catalogue's template over its payload. */
export function noteText(note: { readonly id: DiagnosticId; readonly data: unknown }, subject: Subject = { kind: 'statement' }): string {
  return catalogueEntry(note.id).message(note.data as never, subject);
}

export function catalogueEntry<K extends DiagnosticId>(id: K): CatalogueEntry<PayloadOf<K>> {
  return CATALOGUE[id] as unknown as CatalogueEntry<PayloadOf<K>>;
}
