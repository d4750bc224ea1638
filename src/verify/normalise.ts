/**
 * Definitions in one comparable form, for the schema half of verify: TiDB prints expressions,
 * defaults and bounds back in its own form (backquoted identifiers, `_utf8mb4` introducers, extra
 * parentheses, `->` restored as json_extract, literal defaults stored as text). Both sides are put
 * in the same normal form, measured on tidb-server v8.5 (the same forms test/helpers/tidb-readback.ts
 * accepts for every corpus input); anything else that differs is drift.
 */
import type { TidbColumn, TidbDefault, TidbType } from '../ir/tidb.js';
import { canonicalAliases } from './view-aliases.js';

/** Expression text in a comparable form (see NORMALISATIONS). */
export function normExpr(sql: string): string {
  let s = sql.replace(/_utf8mb4'/gi, "'").replace(/_binary'/gi, "'");
  // a->>'$.x' and a->'$.x' are shorthand TiDB restores as function calls.
  s = s.replace(/(`(?:[^`]|``)+`|\w+)\s*->>\s*('(?:[^']|'')*')/g, 'json_unquote(json_extract($1,$2))');
  s = s.replace(/(`(?:[^`]|``)+`|\w+)\s*->\s*('(?:[^']|'')*')/g, 'json_extract($1,$2)');
  // Outside quotes: lower-case, drop whitespace and parentheses. Identifiers are kept as is;
  // string literals are decoded (escapes, doubled quotes) and re-quoted one canonical way.
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '`') {
      let j = i + 1;
      let name = '';
      for (; j < s.length; j++) {
        if (s[j] === '`') {
          if (s[j + 1] === '`') {
            name += '`';
            j++;
            continue;
          }
          break;
        }
        name += s[j];
      }
      out += name;
      i = j + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, end } = readLiteral(s, i);
      out += JSON.stringify(value);
      i = end;
      continue;
    }
    if (!/[\s()]/.test(c)) out += c.toLowerCase();
    i++;
  }
  return out.replace(/<>/g, '!=');
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', Z: '\x1a', b: '\b' };

/**
 * Reads the quoted literal starting at `start` (default sql_mode: backslash escapes, doubled quotes;
 * `display`: as COLUMN_TYPE displays ENUM members, only doubled quotes undone).
 */
export function readLiteral(s: string, start: number, display = false): { value: string; end: number } {
  const q = s[start]!;
  let value = '';
  let i = start + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && !display) {
      value += ESCAPES[s[i + 1]!] ?? s[i + 1]!;
      i += 2;
    } else if (c === q && s[i + 1] === q) {
      value += q;
      i += 2;
    } else if (c === q) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: i };
}

/** Unquotes a MySQL string literal (default sql_mode: backslash escapes). */
function unquote(lit: string): string | undefined {
  const m = /^(?:_\w+)?'((?:[^'\\]|''|\\.)*)'$/s.exec(lit.trim());
  if (!m) return undefined;
  const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', '0': '\0', Z: '\x1a', b: '\b' };
  return m[1]!.replace(/''/g, "'").replace(/\\(.)/gs, (_a, ch: string) => esc[ch] ?? ch);
}

const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'DECIMAL', 'FLOAT', 'DOUBLE', 'BOOLEAN']);

function canonNumber(s: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s.trim());
  if (!m) return s.trim();
  if (m[4] !== undefined) return String(Number(s));
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const v = frac ? `${int}.${frac}` : int;
  return v === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${v}`;
}

function padDatetime(v: string, t: TidbType): string {
  if (!['DATETIME', 'TIMESTAMP', 'TIME', 'DATE'].includes(t.base)) return v;
  let s = v;
  if ((t.base === 'DATETIME' || t.base === 'TIMESTAMP') && /^\d{4}-\d\d-\d\d$/.test(s)) s += ' 00:00:00';
  const fsp = t.fsp ?? 0;
  if (t.base !== 'DATE') {
    const [whole, frac = ''] = s.split('.');
    s = fsp > 0 ? `${whole}.${(frac + '000000').slice(0, fsp)}` : whole!;
  }
  return s;
}

/** A default as it should read back from information_schema.COLUMNS, in the form `actualDefault` gives. */
export function expectedDefault(d: TidbDefault | undefined, c: TidbColumn): string | null {
  if (!d) return null;
  switch (d.kind) {
    case 'current-timestamp':
      return d.fsp ? `current_timestamp(${d.fsp})` : 'current_timestamp';
    case 'nextval':
      return `expr:${normExpr(`nextval(\`${d.sequence.database.replace(/`/g, '``')}\`.\`${d.sequence.name.replace(/`/g, '``')}\`)`)}`;
    case 'expression':
      return `expr:${normExpr(d.sql)}`;
    case 'literal': {
      const sql = d.sql.trim();
      if (/^null$/i.test(sql)) return null;
      if (c.type.base === 'BIT') return `bit:${sql.toLowerCase()}`;
      if (BINARY_TYPES.has(c.type.base)) {
        const hex = /^0x([0-9a-f]*)$/i.exec(sql)?.[1] ?? /^x'([0-9a-f]*)'$/i.exec(sql)?.[1];
        const str = unquote(sql);
        let h = hex ?? (str !== undefined ? Buffer.from(str, 'utf8').toString('hex') : sql);
        if (c.type.base === 'BINARY' && c.type.length) h = h.padEnd(c.type.length * 2, '0');
        return `hex:${h.toLowerCase()}`;
      }
      if (/^true$/i.test(sql)) return '1';
      if (/^false$/i.test(sql)) return '0';
      const u = unquote(sql);
      const v = u ?? sql;
      if (NUMERIC.has(c.type.base)) return canonNumber(v);
      return padDatetime(v, c.type);
    }
  }
}

/** COLUMN_DEFAULT (with EXTRA, COLUMN_TYPE, DATA_TYPE and HEX(COLUMN_DEFAULT)) in the form `expectedDefault` gives. */
export function actualDefault(raw: string | null, extra: string, c: { type: string; base: string; hex: string }): string | null {
  if (raw === null) return null;
  if (/^current_timestamp(\(\d\))?$/i.test(raw)) return raw.toLowerCase();
  if (/DEFAULT_GENERATED/i.test(extra) || /^nextval\(/i.test(raw) || DISPLAYED_BARE.test(raw)) return `expr:${normExpr(raw)}`;
  if (BINARY_DISPLAY.has(c.base)) return `hex:${c.hex.toLowerCase()}`;
  if (c.base === 'bit') return `bit:${raw.toLowerCase()}`;
  if (NUMERIC_DISPLAY.has(c.base)) return canonNumber(raw);
  return raw;
}

/** Expression defaults TiDB displays bare, without DEFAULT_GENERATED: `DEFAULT (CURRENT_DATE)` shows as CURRENT_DATE. */
const DISPLAYED_BARE = /^(current_date|curdate\(\)|current_time(\(\d\))?|curtime\(\d?\)|now\(\d?\)|localtime(stamp)?(\(\d\))?|utc_timestamp(\(\d?\))?)$/i;
const BINARY_DISPLAY = new Set(['binary', 'varbinary', 'blob', 'tinyblob', 'mediumblob', 'longblob']);
const BINARY_TYPES = new Set(['BINARY', 'VARBINARY', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB']);

const NUMERIC_DISPLAY = new Set(['tinyint', 'smallint', 'int', 'bigint', 'decimal', 'float', 'double', 'mediumint']);

/** `ON UPDATE CURRENT_TIMESTAMP(fsp)` as information_schema.COLUMNS.EXTRA shows it, lower-cased. */
export const expectedOnUpdate = (c: TidbColumn): string | null => (c.onUpdateCurrentTimestamp ? (c.onUpdateCurrentTimestamp.fsp ? `current_timestamp(${c.onUpdateCurrentTimestamp.fsp})` : 'current_timestamp') : null);
export const actualOnUpdate = (extra: string): string | null => /on update (current_timestamp(?:\(\d\))?)/i.exec(extra)?.[1]!.toLowerCase() ?? null;

/**
 * A partition bound as information_schema.PARTITIONS.PARTITION_DESCRIPTION shows it: the value list
 * without `VALUES LESS THAN (...)` / `VALUES IN (...)`, and (measured) a RANGE COLUMNS date bound on a
 * DATETIME column padded with ` 00:00:00`, which is the same bound.
 */
export function normBound(bound: string): string {
  const m = /^\s*values\s+(?:less\s+than|in)\s*([\s\S]*)$/i.exec(bound);
  return normExpr(m ? m[1]! : bound).replace(/"(\d{4}-\d\d-\d\d) 00:00:00"/g, '"$1"');
}

const TEXTUAL = new Set(['CHAR', 'VARCHAR', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM']);

/**
 * The collation information_schema.COLUMNS shows for a column of type `t` in a database whose
 * default is `dbCollation` (null for a column without one: numbers, JSON, binary strings). A text
 * column without an explicit collation takes the database default; CHARACTER SET ascii alone means
 * ascii_bin (measured on tidb-server v8.5; TiDB's default collation per charset is its `_bin`).
 */
export function expectedCollation(t: TidbType, dbCollation: string): string | null {
  if (!TEXTUAL.has(t.base)) return null;
  if (t.collation) return t.collation;
  if (t.charset === 'ascii') return 'ascii_bin';
  if (t.charset === 'binary') return null;
  if (t.charset && t.charset !== 'utf8mb4') return `${t.charset}_bin`;
  return dbCollation;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A view's query in a comparable form: normExpr after undoing four rewrites TiDB makes when it
 * stores a view (measured on tidb-server v8.5): `COUNT(*)` kept as `COUNT(1)`, `LIMIT n OFFSET m` as
 * `LIMIT m,n`, a column under an aggregate in ORDER BY qualified with the view's database
 * (`db`.`p`.`amount`), an alias added to a bare column (`name` AS `name`). Only a shortcut for ./views.ts, which runs both queries where this differs.
 */
export function normViewQuery(sql: string, database: string): string {
  const db = `\`${database.replace(/`/g, '``')}\`.`;
  const s = sql
    .replace(new RegExp(`${escapeRe(db)}(?=\`(?:[^\`]|\`\`)+\`\\.\`)`, 'g'), '')
    .replace(/\bCOUNT\(\s*\*\s*\)/gi, 'COUNT(1)')
    .replace(/\bLIMIT\s+(\d+)\s+OFFSET\s+(\d+)/gi, 'LIMIT $2,$1')
    // TiDB adds `x` AS `x` to a select-list column without an alias.
    .replace(/(`((?:[^`]|``)+)`)\s+AS\s+`\2`/g, '$1');
  return normExpr(canonicalAliases(s));
}
