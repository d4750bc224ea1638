/**
 * `JSON.stringify(value, null, 2)` in pieces: the top-level arrays (a large schema's report has
 * hundreds of thousands of diagnostics) are written element by element, so the whole text never
 * has to exist as one string. Joined, the pieces are exactly JSON.stringify's bytes.
 */
export function* jsonChunks(value: Readonly<Record<string, unknown>>): Generator<string> {
  const keys = Object.keys(value).filter((k) => serialisable(value[k]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const field = value[key];
    yield `  ${JSON.stringify(key)}: `;
    if (Array.isArray(field) && field.length > 0) {
      yield '[\n';
      for (let j = 0; j < field.length; j++) {
        const element = field[j] as unknown;
        yield `    ${serialisable(element) ? indent(JSON.stringify(element, null, 2), '    ') : 'null'}${j < field.length - 1 ? ',' : ''}\n`;
      }
      yield '  ]';
    } else {
      yield indent(JSON.stringify(field, null, 2), '  ');
    }
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield '}';
}

/** What JSON.stringify keeps as an object member (it drops the rest). */
function serialisable(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
}

/** JSON text never holds a raw newline inside a string, so every newline starts a nested line. */
function indent(json: string, pad: string): string {
  return json.includes('\n') ? json.replace(/\n/g, `\n${pad}`) : json;
}
