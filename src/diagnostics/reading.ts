/**
 * The wording of what the frontends report while reading their input (a reference they cannot resolve,
 * an expression the static reader cannot evaluate, a construct they do not translate, a model SQLAlchemy
 * would refuse, the shape of an Alembic history): one template per reason, over the payload's fields,
 * after the subject's own text (`s`).
 */

/** Where an unresolved name was referenced, and what kind of object was looked for. */
export const UNRESOLVED = {
  'typed-table': { kind: 'type', text: (d, s) => `typed table ${s}: type ${d.name} is not defined in the input` },
  inherits: { kind: 'table', text: (d, s) => `table ${s} inherits from ${d.name}, which is not defined in the input` },
  like: { kind: 'table', text: (d) => `LIKE ${d.name}: table not defined in the input` },
  'alter-table': { kind: 'table', text: (d) => `ALTER TABLE ${d.name}: table is not defined in the input; statement ignored` },
  'alter-column': { kind: 'column', text: (d) => `ALTER TABLE ${d.table ?? ''}: column "${d.name}" does not exist` },
  'attach-partition': { kind: 'table', text: (d) => `ATTACH PARTITION ${d.name}: table not defined in the input` },
  'drop-constraint': { kind: 'constraint', text: (d) => `constraint "${d.name}" on ${d.table ?? ''} does not exist` },
  'create-index': { kind: 'table', text: (d) => `CREATE INDEX ${d.index ?? ''} on ${d.name}: table is not defined in the input` },
  'comment-on': { kind: 'object', text: (d) => `COMMENT ON ${d.keyword ?? ''} ${d.name}: object is not defined in the input` },
  rename: { kind: 'object', text: (d) => `RENAME ${d.name}: object is not defined in the input` },
  'alter-type': { kind: 'type', text: (d) => `ALTER TYPE ${d.name}: enum is not defined in the input` },
  'alter-sequence': { kind: 'sequence', text: (d) => `ALTER SEQUENCE ${d.name}: sequence is not defined in the input` },
  nextval: { kind: 'sequence', text: (d, s) => `${s}: nextval default uses sequence ${d.name}, which the input does not define; treated as AUTO_INCREMENT` },
  'down-revision': { kind: 'revision', text: (d, s) => `revision ${s} follows ${d.name}, which is not in the input` },
  'alembic-table': { kind: 'table', text: (d) => `table ${d.name} does not exist at this point of the history` },
  'alembic-column': { kind: 'column', text: (d) => `column ${d.name} does not exist in ${d.table ?? ''}` },
  'alembic-index': { kind: 'index', text: (d) => `index ${d.name} does not exist at this point of the history` },
  'alembic-constraint': { kind: 'constraint', text: (d) => `constraint ${d.name} is not known on ${d.table ?? ''} (it may carry a database-generated name)` },
  'declarative-base': {
    kind: 'module',
    text: (d) => `declarative base ${d.name} is not in the input or not understood: ${(d.classes ?? []).length} class(es) with __tablename__ read as mapped through it (${shown(d.classes ?? [])}); its MetaData (naming convention, schema, type_annotation_map) is unknown, so names and types follow SQLAlchemy's defaults; add its module to the input or use --python`,
  },
  'python-import': { kind: 'module', text: (d) => `${d.name} comes from ${d.module ?? ''}, which is not in the input: read as SQLAlchemy's ${d.name}; add that module to the input or use --python to check` },
} as const satisfies Record<string, { readonly kind: string; readonly text: (d: { readonly name: string; readonly table?: string; readonly index?: string; readonly keyword?: string; readonly module?: string; readonly classes?: readonly string[] }, s: string) => string }>;
export type UnresolvedPlace = keyof typeof UNRESOLVED;
export const UNRESOLVED_PLACES = Object.keys(UNRESOLVED) as UnresolvedPlace[];
export const REFERENCE_KINDS = ['table', 'column', 'type', 'constraint', 'index', 'sequence', 'object', 'revision', 'module'] as const;

function shown(names: readonly string[]): string {
  return names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
}

const PYTHON = '; --python would resolve it';

/** What the static SQLAlchemy reader cannot evaluate, and what it does instead. */
export const NOT_STATIC = {
  'naming-convention': () => 'naming convention entry is not static',
  'declared-tablename': (d) => `cannot evaluate the declared_attr __tablename__ of ${d.owner ?? ''} statically for class ${d.class ?? ''}: its table is not translated${PYTHON}`,
  tablename: (d) => `__tablename__ ${d.text ?? ''} of class ${d.class ?? ''} is not static: its table is not translated${PYTHON}`,
  'declared-table-args': () => 'declared_attr __table_args__ has no static return',
  'table-args': () => '__table_args__ is not a static tuple or dict',
  'column-call': (d) => `${d.name ?? ''}: ${d.text ?? ''}() is not a column the static reader can follow, so the column ${d.name ?? ''} is not translated${PYTHON}`,
  'table-name': () => 'Table name is not static',
  'index-table': () => 'cannot tell which table this Index belongs to',
  'revision-id': () => 'the revision id is not a static string',
  'batch-table-name': () => 'batch_alter_table table name is not static',
  'op-table-name': () => 'table name is not static',
  'create-table-name': () => 'create_table name is not static',
  'op-type': (d) => `cannot resolve type ${d.text ?? ''}`,
  'server-default': (d) => `server_default ${d.text ?? ''} is not static SQL`,
  'check-condition': () => 'check condition is not static SQL',
  'execute-sql': () => 'op.execute() SQL is not a static string',
  'key-columns': (d) => `${d.table ?? ''}: the ${d.constraint ?? ''} ${d.text ?? ''} ${(d.columns ?? []).length > 0 ? `names ${(d.columns ?? []).join(', ')}, which cannot be resolved to columns statically` : 'has no columns'}; the ${d.constraint ?? ''} is not translated${d.constraint === 'primary key' ? ' (columns declared with primary_key=True still are)' : ''}${PYTHON}`,
  'fk-target': (d) => `cannot resolve the foreign key target ${d.text ?? ''}`,
  'index-expression': (d) => `index ${d.name ?? ''}: cannot resolve the index expression ${d.text ?? ''} statically; the index is not translated${PYTHON}`,
  'index-where': (d) => `postgresql_where ${d.text ?? ''} is not static SQL`,
  'values-callable': (d) => `values_callable ${d.text ?? ''} is not evaluated statically; assumed the member names`,
  'enum-values': (d) => `Enum(${d.text ?? ''}): ${d.text ?? ''} is not an enum class or static value in the input, so its values are unknown and the column's ENUM/CHECK is incomplete${PYTHON}`,
  'enum-splat': () => 'enum values passed with * are not evaluated statically',
  computed: (d) => `Computed(${d.text ?? ''}) is not static SQL`,
  'column-type': (d) => `column ${d.name ?? ''}: cannot resolve the type or argument ${d.text ?? ''} statically${d.annotated ? ', so the Mapped[] annotation decides the type' : ''}${PYTHON}`,
  'column-type-unknown': (d) => `cannot infer the type of column ${d.name ?? ''}${d.text !== undefined ? ` from ${d.text}` : ''}`,
  'constraint-name': (d) => `the name ${d.text ?? ''} cannot be evaluated statically: a generated name is used instead, which differs from the database's${PYTHON}`,
  check: (d) => `CheckConstraint(${d.text ?? ''})${d.name !== undefined ? ` ${d.name}` : ''} is not static SQL text: the check is not translated${PYTHON}`,
  'sequence-name': () => 'Sequence name is not static',
} as const satisfies Record<string, (d: { readonly text?: string; readonly name?: string; readonly class?: string; readonly owner?: string; readonly table?: string; readonly constraint?: string; readonly columns?: readonly string[]; readonly annotated?: boolean }) => string>;
export type NotStaticReason = keyof typeof NOT_STATIC;

/** What makes a model one SQLAlchemy would refuse (or fail to compile) on PostgreSQL. */
export const MODEL_INVALID = {
  'compile-computed': (d, s) => `SQLAlchemy could not compile the computed expression of ${s} for PostgreSQL: ${d.error ?? ''}`,
  'compile-check': (d, s) => `SQLAlchemy could not compile a CHECK constraint of ${s} for PostgreSQL: ${d.error ?? ''}`,
  'compile-index-expression': (d, s) => `SQLAlchemy could not compile an index expression of ${s} for PostgreSQL: ${d.error ?? ''}`,
  'compile-where': (d) => `SQLAlchemy could not compile the WHERE of index ${d.name ?? ''} for PostgreSQL: ${d.error ?? ''}`,
  'compile-server-default': (d, s) => `SQLAlchemy could not compile the server_default of ${s}: ${d.error ?? ''}`,
  'compile-constraint': (d, s) => `SQLAlchemy could not compile a constraint of ${s}: ${d.error ?? ''}`,
  'compile-type': (d) => `type ${d.class ?? ''} (${d.module ?? ''}) does not compile on PostgreSQL: ${d.error ?? ''}`,
  'enum-no-name': () => 'a PostgreSQL ENUM type requires a name (SQLAlchemy raises CompileError); the column is left untyped',
  'index-no-name': () => 'an Index needs a name on PostgreSQL',
  'index-no-columns': (d) => `index ${d.name ?? ''} on ${d.table ?? ''} has no columns in SQLAlchemy's MetaData; it is not created`,
  'index-empty': (d) => `index ${d.name ?? ''} has no columns or expressions: it is not translated`,
  'column-no-name': () => 'Column() without a name',
  'unmapped-class': (d) => `class ${d.class ?? ''} has no __tablename__ or __table__ and no mapped parent: SQLAlchemy would refuse to map it`,
  'fk-action': (d) => `unknown foreign key action ${d.action ?? ''}`,
} as const satisfies Record<string, (d: { readonly error?: string; readonly name?: string; readonly class?: string; readonly module?: string; readonly action?: string; readonly table?: string }, s: string) => string>;
export type ModelInvalidReason = keyof typeof MODEL_INVALID;

/** A construct the frontends read but do not translate (or replay), and what happens to it. */
export const UNSUPPORTED_SYNTAX = {
  'missing-semicolon': () => 'statement does not end with ";" before the next statement',
  'column-constraint': (d) => `column constraint ${d.constraint ?? '?'} on "${d.column ?? ''}" is not understood`,
  'table-constraint': (d) => `table constraint ${d.constraint ?? '?'} is not understood`,
  'alter-form': (d) => `${d.name ? `${d.statement ?? ''} ${d.name}` : (d.statement ?? '')}: this ALTER form is not translated${d.detail ? ` (${d.detail})` : ''}`,
  'nested-class': (d) => `class ${d.class ?? ''} is defined inside function ${d.function ?? ''}(): its table exists only when that function runs, so it is not translated; --python would not see it either unless importing the models calls ${d.function ?? ''}()`,
  'table-item': (d) => `Table item ${d.text ?? ''} is not understood`,
  'create-table-item': (d) => `create_table item ${d.text ?? ''} is not understood`,
  'table-args-item': (d) => `__table_args__ item ${d.text ?? ''} is not understood`,
  'table-args-option': (d) => `__table_args__ option ${d.option ?? ''} is ignored`,
  'partition-by': () => 'postgresql_partition_by is not translated',
  'column-argument': (d) => `column argument ${d.option ?? ''}= is ignored`,
  'no-models': (d) => `no SQLAlchemy model, Table or Alembic revision was found in ${d.files ?? 0} Python file(s); if the models are built in a way the static reader does not follow, --python reads them`,
  'conditional-migration': () => 'conditional migration code: both branches are replayed',
  'upgrade-statement': (d) => `statement ${d.statement ?? ''} in upgrade() is not replayed`,
  'upgrade-definition': () => 'definition in upgrade() is not replayed',
  'alembic-op': (d) => `op.${d.option ?? ''}() is not replayed`,
  'runtime-constraint': (d, s) => `${d.class ?? ''} ${d.name ?? ''} on ${s} is not translated in runtime mode`,
  'runtime-table-option': (d, s) => `${d.option ?? ''}=${d.value ?? ''} on ${s} is not read in runtime mode; the table is translated without it`,
} as const satisfies Record<string, (d: { readonly constraint?: string; readonly column?: string; readonly statement?: string; readonly name?: string; readonly detail?: string; readonly class?: string; readonly function?: string; readonly text?: string; readonly option?: string; readonly value?: string; readonly files?: number }, s: string) => string>;
export type UnsupportedSyntaxReason = keyof typeof UNSUPPORTED_SYNTAX;

/** The shape of an Alembic history that `alembic upgrade head` would not follow as one line. */
export const ALEMBIC_HISTORY = {
  merge: (d, s) => `revision ${s} merges ${d.revisions.join(', ')}`,
  branch: (d, s) => `revision ${s} branches into ${d.revisions.join(', ')}`,
  heads: (d) => `the history has ${d.revisions.length} heads (${d.revisions.join(', ')}): alembic upgrade head would refuse`,
} as const satisfies Record<string, (d: { readonly revisions: readonly string[] }, s: string) => string>;

/** How the static reader decided a custom SQLAlchemy type's PostgreSQL type. */
export const TYPE_ASSUMED = {
  'get-col-spec': (d) => `UserDefinedType ${d.class}: assumed the column type ${d.type} from get_col_spec()`,
  'load-dialect-impl': (d) => `TypeDecorator ${d.class}: assumed its PostgreSQL implementation ${d.type} (load_dialect_impl)`,
  impl: (d) => `TypeDecorator ${d.class}: assumed its impl ${d.type}`,
} as const satisfies Record<string, (d: { readonly class: string; readonly type: string }) => string>;
