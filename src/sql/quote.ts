/** Backquotes an identifier; a backtick inside is doubled, so no name can end the quoting. */
export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/**
 * Single-quotes a string for TiDB with the default sql_mode, where backslash is an escape
 * character: quotes are doubled and backslashes escaped. NUL and control characters are
 * escaped so a literal never spans statements or confuses a line-based tool.
 */
export function quoteString(value: string): string {
  let out = "'";
  for (const ch of value) {
    switch (ch) {
      case "'":
        out += "''";
        break;
      case '\\':
        out += '\\\\';
        break;
      case '\0':
        out += '\\0';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\x1a':
        out += '\\Z';
        break;
      default:
        out += ch;
    }
  }
  return out + "'";
}

export function qualifiedName(database: string, name: string): string {
  return `${quoteIdent(database)}.${quoteIdent(name)}`;
}
