/**
 * `if` tests in Alembic scripts that ask which database runs the migration
 * (`op.get_bind().dialect.name == "postgresql"`, `context.get_context().dialect.name != "mysql"`,
 * `dialect in ("postgresql", "sqlite")`, `not is_postgres`...). The input is PostgreSQL, so only the
 * branch PostgreSQL takes describes it; the other branch is another database's migration.
 */

/** The names PostgreSQL's SQLAlchemy dialect answers to. */
const POSTGRES = new Set(['postgresql', 'postgres']);

/** `<anything>.dialect.name` (also `.dialect.name` reached through a variable, see `resolve`). */
const DIALECT_NAME = /(^|\.)dialect\.name$/;

const COMPARISON = /^(.+?)\s*(==|!=|\bnot\s+in\b|\bin\b)\s*(.+)$/s;

function stringsOf(text: string): string[] | undefined {
  const t = text.trim().replace(/^[([{]\s*|\s*[)\]}]$/g, '');
  const parts = t.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const out: string[] = [];
  for (const p of parts) {
    const m = /^[rRuU]?(['"])(.*)\1$/.exec(p);
    if (!m) return undefined;
    out.push(m[2]!.toLowerCase());
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Whether PostgreSQL takes the `if` branch (true) or the `else` branch (false) of a test given as
 * source text; undefined when the test is not about the dialect. `resolve` gives the source text a
 * local name was assigned (`dialect = op.get_bind().dialect.name`).
 */
export function postgresTakesBranch(test: string, resolve: (name: string) => string | undefined = () => undefined, depth = 0): boolean | undefined {
  if (depth > 5) return undefined;
  let t = test.trim().replace(/\s+/g, ' ');
  while (/^\(.*\)$/.test(t) && !/^\(.*\)\s*(==|!=|in|not in)/.test(t)) t = t.slice(1, -1).trim();
  const not = /^not\s+(.+)$/s.exec(t);
  if (not) {
    const inner = postgresTakesBranch(not[1]!, resolve, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  if (/\b(and|or)\b/.test(t.replace(/(['"]).*?\1/g, ''))) return undefined;
  const m = COMPARISON.exec(t);
  if (!m) {
    // a flag bound to a dialect test: `is_pg = bind.dialect.name == "postgresql"`
    const bound = /^[A-Za-z_]\w*$/.test(t) ? resolve(t) : undefined;
    return bound === undefined ? undefined : postgresTakesBranch(bound, resolve, depth + 1);
  }
  let lhs = m[1]!.trim();
  let rhs = m[3]!.trim();
  const isDialect = (s: string): boolean => DIALECT_NAME.test(s) || (/^[A-Za-z_]\w*$/.test(s) && DIALECT_NAME.test((resolve(s) ?? '').trim()));
  if (!isDialect(lhs) && isDialect(rhs)) [lhs, rhs] = [rhs, lhs];
  if (!isDialect(lhs)) return undefined;
  const names = stringsOf(rhs);
  if (!names) return undefined;
  const hit = names.some((n) => POSTGRES.has(n));
  const op = m[2]!.replace(/\s+/g, ' ');
  return op === '==' || op === 'in' ? hit : !hit;
}
