import { quoteString } from '../../sql/quote.js';
import { sql, type RuleCall, type Sql } from './sql.js';
import { kindOf, T } from './types.js';

/** One template pattern: a DATE_FORMAT specifier, or SQL over the value (`x`). */
type Piece = { readonly format: string } | { readonly sql: (x: string) => string };

const f = (format: string): Piece => ({ format });
const e = (build: (x: string) => string): Piece => ({ sql: build });
const text = (n: string) => `CAST(${n} AS CHAR)`;
/** PostgreSQL blank-pads month and day names to 9 characters unless FM is given. */
const padded = (spec: string, cased: (s: string) => string = (s) => s) => e((x) => cased(`RPAD(DATE_FORMAT(${x}, '${spec}'), 9, ' ')`));
const upper = (s: string) => `UPPER(${s})`;
const lower = (s: string) => `LOWER(${s})`;

interface Pattern {
  readonly plain: Piece;
  /** With the FM prefix (no padding); absent: FM changes nothing. */
  readonly fm?: Piece;
  /** Matched only as written (Month, MONTH, month differ); else in any case, as PostgreSQL does. */
  readonly cased?: boolean;
}

/**
 * PostgreSQL's to_char template patterns for dates and timestamps → DATE_FORMAT (TiDB's month and
 * day names are English, as PostgreSQL's are without the TM prefix). Longest first: the scan takes
 * the first that matches. Measured on tidb-server v8.5 and PostgreSQL 15 (fixtures/views-more).
 */
const PATTERNS: readonly (readonly [string, Pattern])[] = [
  ['YYYY', { plain: f('%Y'), fm: e((x) => text(`YEAR(${x})`)) }],
  ['YY', { plain: f('%y'), fm: e((x) => text(`MOD(YEAR(${x}), 100)`)) }],
  ['MONTH', { plain: padded('%M', upper), fm: e((x) => upper(`DATE_FORMAT(${x}, '%M')`)), cased: true }],
  ['Month', { plain: padded('%M'), fm: f('%M'), cased: true }],
  ['month', { plain: padded('%M', lower), fm: e((x) => lower(`DATE_FORMAT(${x}, '%M')`)), cased: true }],
  ['MON', { plain: e((x) => upper(`DATE_FORMAT(${x}, '%b')`)), cased: true }],
  ['Mon', { plain: f('%b'), cased: true }],
  ['mon', { plain: e((x) => lower(`DATE_FORMAT(${x}, '%b')`)), cased: true }],
  ['MM', { plain: f('%m'), fm: f('%c') }],
  ['MI', { plain: f('%i'), fm: e((x) => text(`MINUTE(${x})`)) }],
  ['MS', { plain: e((x) => `LPAD(FLOOR(MICROSECOND(${x}) / 1000), 3, '0')`) }],
  ['DAY', { plain: padded('%W', upper), fm: e((x) => upper(`DATE_FORMAT(${x}, '%W')`)), cased: true }],
  ['Day', { plain: padded('%W'), fm: f('%W'), cased: true }],
  ['day', { plain: padded('%W', lower), fm: e((x) => lower(`DATE_FORMAT(${x}, '%W')`)), cased: true }],
  ['DY', { plain: e((x) => upper(`DATE_FORMAT(${x}, '%a')`)), cased: true }],
  ['Dy', { plain: f('%a'), cased: true }],
  ['dy', { plain: e((x) => lower(`DATE_FORMAT(${x}, '%a')`)), cased: true }],
  ['DDD', { plain: f('%j'), fm: e((x) => text(`DAYOFYEAR(${x})`)) }],
  ['DD', { plain: f('%d'), fm: f('%e') }],
  // PostgreSQL's D: Sunday 1 ... Saturday 7, as DAYOFWEEK.
  ['D', { plain: e((x) => text(`DAYOFWEEK(${x})`)) }],
  ['HH24', { plain: f('%H'), fm: f('%k') }],
  ['HH12', { plain: f('%h'), fm: f('%l') }],
  ['HH', { plain: f('%h'), fm: f('%l') }],
  ['SS', { plain: f('%s'), fm: e((x) => text(`SECOND(${x})`)) }],
  ['US', { plain: f('%f') }],
  ['AM', { plain: f('%p'), cased: true }], ['PM', { plain: f('%p'), cased: true }],
  ['am', { plain: e((x) => lower(`DATE_FORMAT(${x}, '%p')`)), cased: true }], ['pm', { plain: e((x) => lower(`DATE_FORMAT(${x}, '%p')`)), cased: true }],
  ['Q', { plain: e((x) => text(`QUARTER(${x})`)) }],
];

function match(template: string, i: number): readonly [string, Pattern] | undefined {
  for (const p of PATTERNS) {
    const part = template.slice(i, i + p[0].length);
    if (p[1].cased ? part === p[0] : part.toUpperCase() === p[0]) return p;
  }
  return undefined;
}

/** The template as pieces; a letter no pattern here starts is refused, named (PostgreSQL may read it as a pattern this table lacks). */
function pieces(template: string, call: RuleCall): Piece[] {
  const out: Piece[] = [];
  let literal = '';
  const flush = () => {
    if (literal) out.push(f(literal.replace(/%/g, '%%')));
    literal = '';
  };
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '"') {
      // A quoted literal; \" inside is a quote.
      let j = i + 1;
      while (j < template.length && template[j] !== '"') {
        if (template[j] === '\\' && j + 1 < template.length) j++;
        literal += template[j]!;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (ch === '\\' && i + 1 < template.length) {
      literal += template[i + 1]!;
      i += 2;
      continue;
    }
    const fm = template.slice(i, i + 2).toUpperCase() === 'FM';
    const p = match(template, fm ? i + 2 : i);
    if (p) {
      flush();
      out.push(fm ? (p[1].fm ?? p[1].plain) : p[1].plain);
      i += (fm ? 2 : 0) + p[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      const token = /^[A-Za-z.,]+/.exec(template.slice(i))![0];
      call.fail(`to_char template pattern ${token}`, `"${token}" in '${template}' is not in the translation table (date patterns: ${PATTERNS.map((x) => x[0]).join(', ')}, FM prefix, quoted text)`);
    }
    literal += ch;
    i++;
  }
  flush();
  return out;
}

/** to_char(date/timestamp, 'template') → DATE_FORMAT, pieces joined by CONCAT. Numbers are refused. */
export function toChar(args: readonly Sql[], call: RuleCall & { readonly constant: (i: number) => string | undefined }): Sql {
  if (args.length !== 2) return call.fail(`to_char() with ${args.length} arguments`, 'to_char takes a value and a template');
  const template = call.constant(1);
  if (template === undefined) return call.fail('to_char() with a computed template', 'only a constant template is translated');
  const x = args[0]!;
  const kind = kindOf(x.type);
  if (kind === 'int' || kind === 'decimal' || kind === 'float') return call.fail('to_char(number, ...)', 'PostgreSQL\'s number templates reserve a sign position and print # on overflow; no exact TiDB form is known');
  if (kind !== 'date' && kind !== 'datetime') return call.fail('to_char() of this type', 'only dates and timestamps are translated');
  const parts = pieces(template, call);
  // Adjacent DATE_FORMAT specifiers share one call.
  const merged: string[] = [];
  let format = '';
  const flush = () => {
    if (format) merged.push(`DATE_FORMAT(${x.sql}, ${quoteString(format)})`);
    format = '';
  };
  for (const p of parts) {
    if ('format' in p) format += p.format;
    else {
      flush();
      merged.push(p.sql(x.sql));
    }
  }
  flush();
  const out = merged.length === 0 ? "''" : merged.length === 1 ? merged[0]! : `CONCAT(${merged.join(', ')})`;
  return sql(out, T.longtext, x.notNull);
}
