// Input preparation shared by the bench workers: what pg2tidb does before the
// parser sees a file (drop psql meta-command lines and COPY ... FROM stdin data
// blocks), and a lexical statement splitter for the statement-by-statement
// parse floor and the peers' per-statement fallback.

/**
 * Blank every line that starts with a backslash (psql meta-commands such as
 * \connect, \restrict) and every COPY ... FROM stdin data block up to and
 * including its terminating "\." line. Line count is preserved so positions
 * stay meaningful.
 */
export function stripPsql(text) {
  if (text.indexOf('\\') < 0) return text;
  const lines = text.split('\n');
  let inCopy = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (inCopy) {
      if (l === '\\.' || l === '\\.\r') inCopy = false;
      lines[i] = '';
      continue;
    }
    if (l.charCodeAt(0) === 92 /* \ */) { lines[i] = ''; continue; }
    if ((l.charCodeAt(0) === 67 || l.charCodeAt(0) === 99) && /^copy\s.*\bfrom\s+stdin\b.*;\s*$/i.test(l)) inCopy = true;
  }
  return lines.join('\n');
}

/**
 * Split SQL text at top-level semicolons. Understands '...' (with '' and E''
 * backslash escapes), "...", $tag$...$tag$, -- and nested block comments.
 * Returns statement texts without the trailing ';', skipping pieces that hold
 * only whitespace and comments.
 */
export function splitStatements(sql) {
  const out = [];
  const n = sql.length;
  let start = 0;
  let hasCode = false;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 45 /* - */ && sql.charCodeAt(i + 1) === 45) {
      const e = sql.indexOf('\n', i + 2);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === 47 /* / */ && sql.charCodeAt(i + 1) === 42 /* * */) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = sql.charCodeAt(i);
        if (d === 47 && sql.charCodeAt(i + 1) === 42) { depth++; i += 2; } else if (d === 42 && sql.charCodeAt(i + 1) === 47) { depth--; i += 2; } else i++;
      }
      continue;
    }
    if (c === 59 /* ; */) {
      if (hasCode) out.push(sql.slice(start, i));
      start = i + 1;
      hasCode = false;
      i++;
      continue;
    }
    if (c > 32) hasCode = true;
    if (c === 39 /* ' */) {
      const prev = i > 0 ? sql.charCodeAt(i - 1) : 0;
      const escapes = prev === 69 || prev === 101; // E'...'
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (escapes && d === 92) { i += 2; continue; }
        if (d === 39) { if (sql.charCodeAt(i + 1) === 39) { i += 2; continue; } break; }
        i++;
      }
      i++;
      continue;
    }
    if (c === 34 /* " */) {
      const e = sql.indexOf('"', i + 1);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === 36 /* $ */) {
      // $tag$ where tag is empty or an identifier not starting with a digit
      let j = i + 1;
      while (j < n) {
        const d = sql.charCodeAt(j);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || (d >= 48 && d <= 57 && j > i + 1) || d > 127) j++;
        else break;
      }
      if (sql.charCodeAt(j) === 36) {
        const prev = i > 0 ? sql.charCodeAt(i - 1) : 0;
        const identChar = (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57) || prev === 95;
        if (!identChar) {
          const tag = sql.slice(i, j + 1);
          const e = sql.indexOf(tag, j + 1);
          i = e < 0 ? n : e + tag.length;
          continue;
        }
      }
      i++;
      continue;
    }
    i++;
  }
  if (hasCode && start < n) out.push(sql.slice(start));
  return out;
}
