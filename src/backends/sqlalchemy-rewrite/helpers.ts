/**
 * Small Python helpers the rewrite adds to a module (after its imports) when the MySQL form of a
 * construct differs from the PostgreSQL one and no SQLAlchemy argument can say so:
 * SQLAlchemy's documented `sqlalchemy.ext.compiler` recipes, each keyed to one dialect.
 */

export type Helper = 'dialect-sql' | 'mysql-only-columns' | 'fk-without-deferrable' | 'index-where';

export const DIALECT_SQL = '_Pg2tidbDialectSql';

/** The `info` key of a column that exists only on MySQL/TiDB (a generated column an index needs). */
export const ONLY_ON = 'pg2tidb_only_on';

/** The `info` key holding a TiDB partial-index predicate (the MySQL dialect has no WHERE for indexes). */
export const MYSQL_WHERE = 'pg2tidb_mysql_where';

const HELPERS: Record<Helper, (sa: string) => string[]> = {
  // server_default / Computed SQL: TiDB SQL on MySQL, the model's original on PostgreSQL
  'dialect-sql': (sa) => [
    `class ${DIALECT_SQL}(${sa}.sql.expression.ColumnElement):`,
    '    """SQL written per dialect (added by pg2tidb: TiDB/MySQL SQL, PostgreSQL original)."""',
    '',
    '    inherit_cache = True',
    '',
    '    def __init__(self, mysql_sql, original):',
    '        self.mysql_sql = mysql_sql',
    '        self.original = original',
    '',
    '',
    `@${sa}.ext.compiler.compiles(${DIALECT_SQL})`,
    'def _pg2tidb_sql_original(element, compiler, **kw):',
    '    d = element.original',
    "    return \"'%s'\" % d.replace(\"'\", \"''\") if isinstance(d, str) else compiler.process(d, **kw)",
    '',
    '',
    `@${sa}.ext.compiler.compiles(${DIALECT_SQL}, "mysql")`,
    'def _pg2tidb_sql_mysql(element, compiler, **kw):',
    '    return element.mysql_sql',
  ],
  // SQLAlchemy omits a column whose CreateColumn compiles to None
  'mysql-only-columns': (sa) => [
    `@${sa}.ext.compiler.compiles(${sa}.schema.CreateColumn)`,
    'def _pg2tidb_create_column(element, compiler, **kw):',
    '    """A column pg2tidb added for a TiDB index exists only on the dialect its info names."""',
    `    only_on = element.element.info.get("${ONLY_ON}")`,
    '    if only_on is not None and only_on != compiler.dialect.name:',
    '        return None',
    '    return compiler.visit_create_column(element, **kw)',
  ],
  // the recipe of SQLAlchemy's MySQL dialect docs, without changing the model's constraint
  'fk-without-deferrable': (sa) => [
    `@${sa}.ext.compiler.compiles(${sa}.schema.ForeignKeyConstraint, "mysql")`,
    'def _pg2tidb_foreign_key_mysql(element, compiler, **kw):',
    '    """TiDB has no DEFERRABLE / INITIALLY / MATCH: checked immediately (added by pg2tidb)."""',
    '    saved = element.deferrable, element.initially, element.match',
    '    element.deferrable = element.initially = element.match = None',
    '    try:',
    '        return compiler.visit_foreign_key_constraint(element, **kw)',
    '    finally:',
    '        element.deferrable, element.initially, element.match = saved',
  ],
  'index-where': (sa) => [
    `@${sa}.ext.compiler.compiles(${sa}.schema.CreateIndex, "mysql")`,
    'def _pg2tidb_create_index_mysql(element, compiler, **kw):',
    '    """A TiDB partial index (v8.5.7+): CREATE INDEX ... WHERE (added by pg2tidb)."""',
    '    sql = compiler.visit_create_index(element, **kw)',
    `    where = element.element.info.get("${MYSQL_WHERE}")`,
    '    return sql if where is None else "%s WHERE %s" % (sql, where)',
  ],
};

/** The helpers' Python code, in a fixed order, each block preceded by two blank lines. */
export function helperCode(helpers: ReadonlySet<Helper>, sa: string): string {
  const order: Helper[] = ['dialect-sql', 'mysql-only-columns', 'fk-without-deferrable', 'index-where'];
  return order
    .filter((h) => helpers.has(h))
    .map((h) => `\n\n\n${HELPERS[h](sa).join('\n')}`)
    .join('');
}
