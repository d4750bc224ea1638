/**
 * Table aliases of a view query renamed by where they are defined, so that two texts differing only
 * in alias names compare equal. PostgreSQL's catalog renames an alias that shadows an outer one
 * (sakila's actor_info: the subquery's `fc` and `fa` come back as `fc_1` and `fa_1` from
 * pg_get_viewdef), so the same view read from the dump and from the catalog differs in names alone.
 *
 * Each alias defined in a FROM clause (`... AS \`x\`` after a table or a derived table) becomes the
 * n-th definition of the text, and each qualifier `x`.`...` the definition it resolves to: in its own
 * SELECT, else the nearest enclosing one, as SQL resolves it. Two texts equal after this are the same
 * query up to a one-to-one renaming of aliases; a qualifier resolving elsewhere keeps them apart.
 */

interface Token {
  readonly kind: 'ident' | 'word' | 'literal' | 'punct';
  readonly start: number;
  readonly end: number;
  /** An identifier's name, a word in upper case, a punctuation character. */
  readonly text: string;
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let name = '';
      for (; j < sql.length; j++) {
        if (sql[j] === '`') {
          if (sql[j + 1] !== '`') break;
          j++;
        }
        name += sql[j];
      }
      tokens.push({ kind: 'ident', start: i, end: j + 1, text: name });
      i = j + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === '\\') j++;
        else if (sql[j] === c) {
          if (sql[j + 1] !== c) break;
          j++;
        }
      }
      tokens.push({ kind: 'literal', start: i, end: j + 1, text: '' });
      i = j + 1;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[\w$]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', start: i, end: j, text: sql.slice(i, j).toUpperCase() });
      i = j;
      continue;
    }
    tokens.push({ kind: 'punct', start: i, end: i + 1, text: c });
    i++;
  }
  return tokens;
}

interface Scope {
  /** Parenthesis depth of the SELECT. */
  readonly depth: number;
  readonly parent: Scope | undefined;
  /** Alias (lower case: TiDB compares table aliases without case) to its canonical name. */
  readonly defs: Map<string, string>;
  inFrom: boolean;
}

/** Clause keywords that end a FROM clause at its SELECT's depth. */
const AFTER_FROM = new Set(['WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'WINDOW', 'UNION', 'EXCEPT', 'INTERSECT', 'FOR', 'LOCK']);
const SET_OPERATORS = new Set(['UNION', 'EXCEPT', 'INTERSECT']);
const TABLE_STARTS = new Set(['FROM', 'JOIN', ',']);

/** `sql` with every table alias replaced by a name no identifier has (NUL and its definition's index). */
export function canonicalAliases(sql: string): string {
  const tokens = tokenize(sql);
  const scopeOf: (Scope | undefined)[] = [];
  const canon = new Map<number, string>();
  let scope: Scope | undefined;
  let depth = 0;
  let defined = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') {
      depth--;
      while (scope && scope.depth > depth) scope = scope.parent;
    } else if (t.kind === 'word' && t.text === 'SELECT') {
      scope = { depth, parent: scope, defs: new Map(), inFrom: false };
    } else if (t.kind === 'word' && scope && depth === scope.depth) {
      if (t.text === 'FROM') scope.inFrom = true;
      else if (AFTER_FROM.has(t.text)) scope.inFrom = false;
      // The next SELECT of a set operation is a sibling: its aliases are not this one's.
      if (SET_OPERATORS.has(t.text)) scope = scope.parent;
    }
    scopeOf[i] = scope;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (scope?.inFrom && t.kind === 'word' && t.text === 'AS' && next?.kind === 'ident' && (prev?.kind === 'ident' || prev?.text === ')')) {
      const name = `\u0000${defined++}`;
      scope.defs.set(next.text.toLowerCase(), name);
      canon.set(i + 1, name);
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'ident' || canon.has(i) || tokens[i + 1]?.text !== '.' || tokens[i - 1]?.text === '.') continue;
    // A three-part name starts with a database; a table named in FROM is not a qualifier.
    if (tokens[i + 3]?.text === '.' || (scopeOf[i]?.inFrom && TABLE_STARTS.has(tokens[i - 1]?.text ?? ''))) continue;
    for (let s = scopeOf[i]; s; s = s.parent) {
      const name = s.defs.get(t.text.toLowerCase());
      if (name !== undefined) {
        canon.set(i, name);
        break;
      }
    }
  }
  let out = '';
  let at = 0;
  for (const [i, name] of [...canon].sort((a, b) => a[0] - b[0])) {
    const t = tokens[i]!;
    out += `${sql.slice(at, t.start)}\`${name}\``;
    at = t.end;
  }
  return out + sql.slice(at);
}
