/**
 * A tiny Python expression model and a printer whose output `ruff format` (black style,
 * 88 columns, double quotes, magic trailing commas) leaves unchanged.
 *
 * Rule: a bracketed expression is printed flat when it fits in the remaining width; otherwise it
 * is exploded one element per line with a trailing comma (a "magic trailing comma", which ruff
 * and black keep exploded), recursively.
 */

export type PyExpr =
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly PyArg[] }
  | { readonly kind: 'list'; readonly items: readonly PyExpr[] }
  | { readonly kind: 'dict'; readonly entries: readonly (readonly [PyExpr, PyExpr])[] };

export interface PyArg {
  readonly name?: string;
  readonly value: PyExpr;
}

export const LINE_WIDTH = 88;

export const raw = (text: string): PyExpr => ({ kind: 'raw', text });
export const str = (s: string): PyExpr => raw(pyStr(s));
export const num = (n: number): PyExpr => raw(String(n));
export const bool = (b: boolean): PyExpr => raw(b ? 'True' : 'False');
export const call = (fn: string, ...args: (PyExpr | PyArg | undefined)[]): PyExpr => ({
  kind: 'call',
  fn,
  args: args.filter((a): a is PyExpr | PyArg => a !== undefined).map((a) => ('kind' in a ? { value: a } : a)),
});
export const kw = (name: string, value: PyExpr | undefined): PyArg | undefined =>
  value === undefined ? undefined : { name, value };
export const list = (items: readonly PyExpr[]): PyExpr => ({ kind: 'list', items });
export const dict = (entries: readonly (readonly [PyExpr, PyExpr])[]): PyExpr => ({ kind: 'dict', entries });

/**
 * A Python string literal as ruff would normalise it: double quotes unless the text holds more
 * double than single quotes; lowercase hex escapes for control characters and lone surrogates.
 */
export function pyStr(s: string): string {
  let dq = 0;
  let sq = 0;
  for (const ch of s) {
    if (ch === '"') dq++;
    else if (ch === "'") sq++;
  }
  const q = dq > sq ? "'" : '"';
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const ch = s[i] as string;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + (s[i + 1] as string);
        i++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) out += '\\u' + code.toString(16).padStart(4, '0');
    else if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else if (code === 0x2028 || code === 0x2029 || code === 0x85 || code === 0xfeff)
      out += '\\u' + code.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + q;
}

/**
 * An upper bound of the display width ruff measures (it counts East Asian wide characters as 2,
 * combining marks as 0). Over-estimating is safe: a bracket exploded with a magic trailing comma
 * stays exploded under ruff, while a flat line that ruff finds too long would be reformatted.
 */
export function width(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return w;
}

function flat(e: PyExpr): string {
  switch (e.kind) {
    case 'raw':
      return e.text;
    case 'call':
      return `${e.fn}(${e.args.map((a) => (a.name ? `${a.name}=${flat(a.value)}` : flat(a.value))).join(', ')})`;
    case 'list':
      return `[${e.items.map(flat).join(', ')}]`;
    case 'dict':
      return `{${e.entries.map(([k, v]) => `${flat(k)}: ${flat(v)}`).join(', ')}}`;
  }
}

/**
 * Lines for `prefix + e + suffix` starting at `indent` spaces. `prefix` is text before the
 * expression on its first line (e.g. `name=`), `suffix` text after it on its last line (`,`).
 */
export function format(e: PyExpr, indent: number, prefix = '', suffix = ''): string[] {
  const pad = ' '.repeat(indent);
  const f = flat(e);
  if (e.kind === 'raw' || indent + width(prefix + f + suffix) <= LINE_WIDTH) return [pad + prefix + f + suffix];
  let open: string;
  let close: string;
  let items: { prefix: string; value: PyExpr }[];
  switch (e.kind) {
    case 'call':
      open = `${e.fn}(`;
      close = ')';
      items = e.args.map((a) => ({ prefix: a.name ? `${a.name}=` : '', value: a.value }));
      break;
    case 'list':
      open = '[';
      close = ']';
      items = e.items.map((value) => ({ prefix: '', value }));
      break;
    case 'dict':
      open = '{';
      close = '}';
      items = e.entries.map(([k, value]) => ({ prefix: `${flat(k)}: `, value }));
      break;
  }
  if (items.length === 0) return [pad + prefix + open + close + suffix];
  const lines = [pad + prefix + open];
  for (const it of items) lines.push(...format(it.value, indent + 4, it.prefix, ','));
  lines.push(pad + close + suffix);
  return lines;
}

/** A statement: one expression at `indent`, e.g. `op.create_table(...)`. */
export function statement(e: PyExpr, indent: number): string {
  return format(e, indent).join('\n');
}
