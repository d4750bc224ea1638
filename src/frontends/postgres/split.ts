/**
 * Splits a PostgreSQL script into statements without parsing them, the way psql reads it:
 * quotes, E'' strings, quoted identifiers, dollar quotes, nested block comments, psql
 * meta-command lines and COPY ... FROM stdin data blocks are respected.
 */

export interface RawStatement {
  /** Offset of the first non-blank character and the end (exclusive, before the `;`). */
  readonly start: number;
  readonly end: number;
  /** False when the input ended inside a quote, comment or dollar quote. */
  readonly terminated: boolean;
  readonly unterminated?: 'quote' | 'identifier' | 'dollar-quote' | 'comment';
}

export interface MetaLine {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface CopyData {
  readonly start: number;
  readonly end: number;
  readonly rows: number;
}

export interface SplitResult {
  readonly statements: RawStatement[];
  readonly metaLines: MetaLine[];
  readonly copyData: CopyData[];
}

const enum C {
  Newline = 10,
  Quote = 39,
  DoubleQuote = 34,
  Dollar = 36,
  Dash = 45,
  Slash = 47,
  Star = 42,
  Semicolon = 59,
  Backslash = 92,
}

const COPY_FROM_STDIN = /^copy\b[\s\S]*\bfrom\s+stdin\b/i;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 0xfeff;
}

/** A character that may continue an identifier (psql's ident_cont: letters, digits, `_`, `$`, any non-ASCII). */
function isIdentChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || code >= 0x80;
}

function isIdentStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80;
}

/**
 * What psql's lexer tracks to tell whether a `;` ends the statement (psqlscan.l): parentheses,
 * and in `CREATE [OR REPLACE] FUNCTION|PROCEDURE` the BEGIN ... END of a SQL-standard body
 * (BEGIN ATOMIC ...; ...; END), with CASE ... END inside it.
 */
class StatementDepth {
  parens = 0;
  begins = 0;
  /** Off for a statement re-read after its depth never closed (below). */
  enabled = true;
  /** Where the first `;` was kept inside the statement, or -1. */
  keptAt = -1;
  private words: string[] = [];

  reset(): void {
    this.parens = 0;
    this.begins = 0;
    this.keptAt = -1;
    this.words = [];
  }

  word(w: string): void {
    const lower = w.toLowerCase();
    if (this.words.length < 4) this.words.push(lower);
    if (!this.isRoutine() || this.parens > 0) return;
    if (lower === 'begin') this.begins++;
    else if (lower === 'case') {
      if (this.begins >= 1) this.begins++;
    } else if (lower === 'end' && this.begins > 0) this.begins--;
  }

  private isRoutine(): boolean {
    const [a, b, c, d] = this.words;
    const routine = (x: string | undefined) => x === 'function' || x === 'procedure';
    return a === 'create' && (routine(b) || (b === 'or' && c === 'replace' && routine(d)));
  }

  get open(): boolean {
    return this.enabled && (this.parens > 0 || this.begins > 0);
  }
}

export function splitStatements(text: string): SplitResult {
  const statements: RawStatement[] = [];
  const metaLines: MetaLine[] = [];
  const copyData: CopyData[] = [];
  const n = text.length;
  let i = 0;
  let stmtStart = -1;
  let atLineStart = true;
  const depth = new StatementDepth();

  const endStatement = (end: number, terminated: boolean, unterminated?: RawStatement['unterminated']) => {
    depth.reset();
    if (stmtStart >= 0) {
      statements.push(unterminated ? { start: stmtStart, end, terminated, unterminated } : { start: stmtStart, end, terminated });
      const stmtText = text.slice(stmtStart, end);
      stmtStart = -1;
      if (COPY_FROM_STDIN.test(stmtText)) return true;
    }
    return false;
  };

  const skipCopyData = () => {
    // Data starts on the line after the COPY statement and ends at a line holding only `\.`.
    let p = text.indexOf('\n', i);
    if (p === -1) return;
    p += 1;
    const dataStart = p;
    let rows = 0;
    while (p < n) {
      let eol = text.indexOf('\n', p);
      if (eol === -1) eol = n;
      const line = text.slice(p, eol).replace(/\r$/, '');
      if (line === '\\.') {
        copyData.push({ start: dataStart, end: p, rows });
        i = eol;
        atLineStart = false;
        return;
      }
      rows++;
      p = eol + 1;
    }
    copyData.push({ start: dataStart, end: n, rows });
    i = n;
  };

  const splitFrom = (): SplitResult => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === C.Newline) {
        atLineStart = true;
        i++;
        continue;
      }
      if (isBlank(c)) {
        i++;
        continue;
      }
      if (atLineStart && c === C.Backslash && stmtStart < 0) {
        let eol = text.indexOf('\n', i);
        if (eol === -1) eol = n;
        metaLines.push({ start: i, end: eol, text: text.slice(i, eol).replace(/\r$/, '') });
        i = eol;
        continue;
      }
      atLineStart = false;
      if (c === C.Dash && text.charCodeAt(i + 1) === C.Dash) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol;
        continue;
      }
      if (c === C.Slash && text.charCodeAt(i + 1) === C.Star) {
        let depth = 1;
        let p = i + 2;
        while (p < n && depth > 0) {
          const d = text.charCodeAt(p);
          if (d === C.Slash && text.charCodeAt(p + 1) === C.Star) {
            depth++;
            p += 2;
          } else if (d === C.Star && text.charCodeAt(p + 1) === C.Slash) {
            depth--;
            p += 2;
          } else p++;
        }
        if (depth > 0) {
          if (stmtStart < 0) stmtStart = i;
          endStatement(n, false, 'comment');
          return { statements, metaLines, copyData };
        }
        i = p;
        continue;
      }
      if (stmtStart < 0) {
        if (c === C.Semicolon) {
          i++;
          continue;
        }
        stmtStart = i;
      }
      if (c === C.Semicolon) {
        if (depth.open) {
          if (depth.keptAt < 0) depth.keptAt = i;
        } else {
          const isCopy = endStatement(i, true);
          depth.enabled = true;
          i++;
          if (isCopy) skipCopyData();
          continue;
        }
      }
      if (c === 40) depth.parens++;
      else if (c === 41 && depth.parens > 0) depth.parens--;
      else if (isIdentStart(c) && (i === 0 || !isIdentChar(text.charCodeAt(i - 1)))) {
        let e = i + 1;
        while (e < n && isIdentChar(text.charCodeAt(e))) e++;
        // A word just before a quote is E'', U&'' or B'': the quote is scanned next, as before.
        depth.word(text.slice(i, e));
        i = e;
        continue;
      }
      if (c === C.Quote || c === C.DoubleQuote) {
        // Backslash escapes only in E'...': an 'e' just before the quote that is not the end of a longer word.
        const prev = i > 0 ? text.charCodeAt(i - 1) | 0x20 : 0;
        const escapes = c === C.Quote && prev === 101 /* e */ && (i < 2 || !/[\w$]/.test(text[i - 2]!));
        const end = scanQuoted(text, i + 1, c, escapes);
        if (end < 0) {
          endStatement(n, false, c === C.Quote ? 'quote' : 'identifier');
          return { statements, metaLines, copyData };
        }
        i = end;
        continue;
      }
      if (c === C.Dollar) {
        const prev = i > 0 ? text[i - 1]! : ' ';
        if (!/[\w$]/.test(prev)) {
          DOLLAR_TAG.lastIndex = i;
          const m = DOLLAR_TAG.exec(text);
          if (m) {
            const close = text.indexOf(m[0], i + m[0].length);
            if (close < 0) {
              endStatement(n, false, 'dollar-quote');
              return { statements, metaLines, copyData };
            }
            i = close + m[0].length;
            continue;
          }
        }
      }
      i++;
    }
    if (stmtStart >= 0 && depth.keptAt >= 0) {
      // The input ended with a parenthesis or BEGIN still open after `;`s were kept (psql would wait
      // for more): the statement is read again without depth, so one stray `(` costs one statement,
      // not every statement after it.
      i = stmtStart;
      stmtStart = -1;
      atLineStart = false;
      depth.reset();
      depth.enabled = false;
      return splitFrom();
    }
    endStatement(n, false);
    return { statements, metaLines, copyData };
  };
  return splitFrom();
}

/** Returns the offset after the closing quote, or -1. A doubled quote is an escaped quote. */
function scanQuoted(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  let p = from;
  const n = text.length;
  while (p < n) {
    const d = text.charCodeAt(p);
    if (backslashEscapes && d === C.Backslash) {
      p += 2;
      continue;
    }
    if (d === quote) {
      if (text.charCodeAt(p + 1) === quote) {
        p += 2;
        continue;
      }
      return p + 1;
    }
    p++;
  }
  return -1;
}
