/**
 * Parsers for PostgreSQL's structured text forms: arrays (array_in), records (record_in, for
 * composite types) and hstore. They return the element texts; converting each element is the
 * caller's business (by the element type).
 */

export class PgTextError extends Error {}

/** A parsed array: nested lists of element texts, NULL elements as null. */
export type PgArray = readonly (string | null | PgArray)[];

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/**
 * array_in's grammar: an optional dimension decoration (`[0:2]={...}`, dropped: JSON arrays
 * start at 0), braces nesting one level per dimension, elements separated by `delim`, quoted
 * with double quotes and backslash escapes, unquoted NULL (any case) is a NULL element.
 */
export function parsePgArray(text: string, delim = ','): PgArray {
  let i = 0;
  const s = text;
  while (isSpace(s[i])) i++;
  if (s[i] === '[') {
    const eq = s.indexOf('=', i);
    const dims = eq === -1 ? '' : s.slice(i, eq).replace(/\s+/g, '');
    if (!/^(\[-?\d+:-?\d+\])+$/.test(dims)) throw new PgTextError('malformed array dimensions');
    // JSON arrays have no lower bound: one other than PostgreSQL's default 1 would be lost.
    const lower = [...dims.matchAll(/\[(-?\d+):/g)].map((m) => m[1]).find((b) => b !== '1');
    if (lower !== undefined) throw new PgTextError(`the lower bound ${lower} (${dims}) cannot be kept in a JSON array`);
    i = eq + 1;
    while (isSpace(s[i])) i++;
  }
  const parseLevel = (): PgArray => {
    if (s[i] !== '{') throw new PgTextError(`array must start with "{" at ${i}`);
    i++;
    const items: (string | null | PgArray)[] = [];
    while (isSpace(s[i])) i++;
    if (s[i] === '}') {
      i++;
      return items;
    }
    for (;;) {
      while (isSpace(s[i])) i++;
      if (s[i] === '{') items.push(parseLevel());
      else if (s[i] === '"') {
        i++;
        let v = '';
        for (;;) {
          const c = s[i];
          if (c === undefined) throw new PgTextError('unterminated quoted array element');
          if (c === '\\') {
            if (i + 1 >= s.length) throw new PgTextError('array ends after a backslash');
            v += s[i + 1];
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else {
            v += c;
            i++;
          }
        }
        items.push(v);
      } else {
        let v = '';
        let escaped = false;
        while (i < s.length && s[i] !== delim && s[i] !== '}') {
          const c = s[i]!;
          if (c === '"' || c === '{') throw new PgTextError(`unexpected ${c} in an unquoted array element at ${i}`);
          if (c === '\\') {
            if (i + 1 >= s.length) throw new PgTextError('array ends after a backslash');
            v += s[i + 1];
            escaped = true;
            i += 2;
          } else {
            v += c;
            i++;
          }
        }
        // Unquoted elements lose surrounding white space, but not escaped white space.
        const trimmed = escaped ? v : v.trim();
        if (trimmed === '') throw new PgTextError('empty unquoted array element');
        items.push(!escaped && /^null$/i.test(trimmed) ? null : trimmed);
      }
      while (isSpace(s[i])) i++;
      const sep = s[i++];
      if (sep === '}') return items;
      if (sep !== delim) throw new PgTextError(`expected "${delim}" or "}" in array at ${i - 1}`);
    }
  };
  const result = parseLevel();
  while (isSpace(s[i])) i++;
  if (i !== s.length) throw new PgTextError('text after the end of the array');
  return result;
}

/**
 * record_in's grammar (composite values): `(a,b,"c d",)`; an empty unquoted field is NULL, quoted
 * fields use `""` or a backslash for a quote.
 */
export function parsePgRecord(text: string): (string | null)[] {
  const s = text.trim();
  if (!s.startsWith('(') || !s.endsWith(')')) throw new PgTextError('a composite value must be in parentheses');
  const fields: (string | null)[] = [];
  let i = 1;
  const end = s.length - 1;
  for (;;) {
    let v = '';
    let quotedOrEscaped = false;
    while (i < end && s[i] !== ',') {
      const c = s[i]!;
      if (c === '"') {
        quotedOrEscaped = true;
        i++;
        for (;;) {
          if (i >= end) throw new PgTextError('unterminated quoted field in a composite value');
          const q = s[i]!;
          if (q === '\\') {
            v += s[i + 1] ?? '';
            i += 2;
          } else if (q === '"' && s[i + 1] === '"') {
            v += '"';
            i += 2;
          } else if (q === '"') {
            i++;
            break;
          } else {
            v += q;
            i++;
          }
        }
      } else if (c === '\\') {
        quotedOrEscaped = true;
        v += s[i + 1] ?? '';
        i += 2;
      } else {
        v += c;
        i++;
      }
    }
    fields.push(v === '' && !quotedOrEscaped ? null : v);
    if (i >= end) return fields;
    i++; // the comma
  }
}

/** hstore's text form `"a"=>"1", "b"=>NULL` as ordered pairs. */
export function parseHstore(text: string): [string, string | null][] {
  const pairs: [string, string | null][] = [];
  let i = 0;
  const s = text;
  const ws = () => {
    while (isSpace(s[i])) i++;
  };
  const item = (): { v: string; quoted: boolean } => {
    ws();
    if (s[i] === '"') {
      i++;
      let v = '';
      for (;;) {
        const c = s[i];
        if (c === undefined) throw new PgTextError('unterminated hstore string');
        if (c === '\\') {
          v += s[i + 1] ?? '';
          i += 2;
        } else if (c === '"') {
          i++;
          return { v, quoted: true };
        } else {
          v += c;
          i++;
        }
      }
    }
    let v = '';
    while (i < s.length && !isSpace(s[i]) && s[i] !== ',' && s[i] !== '=') v += s[i++];
    if (v === '') throw new PgTextError(`expected an hstore key or value at ${i}`);
    return { v, quoted: false };
  };
  ws();
  while (i < s.length) {
    const k = item();
    ws();
    if (s.slice(i, i + 2) !== '=>') throw new PgTextError(`expected => in hstore at ${i}`);
    i += 2;
    const v = item();
    pairs.push([k.v, !v.quoted && /^null$/i.test(v.v) ? null : v.v]);
    ws();
    if (s[i] === ',') i++;
    else if (i < s.length) throw new PgTextError(`expected , in hstore at ${i}`);
    ws();
  }
  return pairs;
}
