/**
 * A validator for the subset of JSON Schema 2020-12 that schema/pg2tidb.report.schema.json uses.
 * Hand-written rather than a dependency: the report schema needs a dozen keywords, and any keyword
 * outside them throws, so the schema cannot grow a rule this checker silently ignores.
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set([
  '$schema', 'title', 'description', '$defs', '$ref', 'type', 'properties', 'required', 'additionalProperties',
  'items', 'enum', 'const', 'allOf', 'anyOf', 'if', 'then', 'minimum', 'minLength', 'minItems',
]);

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(root: Schema, schema: Schema, value: unknown, path: string, errors: string[]): void {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`json-schema: keyword ${k} at ${path} is not supported by this validator`);
  if (typeof schema.$ref === 'string') {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    if (!m) throw new Error(`json-schema: $ref ${schema.$ref} is not a local $defs reference`);
    const target = (root.$defs as Record<string, Schema> | undefined)?.[m[1]!];
    if (!target) throw new Error(`json-schema: $ref ${schema.$ref} does not resolve`);
    check(root, target, value, path, errors);
  }
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) {
      errors.push(`${path}: expected ${types.join('|')}, got ${t}`);
      return;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} is not one of the allowed values`);
  if (typeof schema.minimum === 'number' && typeof value === 'number' && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if (typeof schema.minLength === 'number' && typeof value === 'string' && value.length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) check(root, props[k], v, `${path}.${k}`, errors);
      else if (schema.additionalProperties === false) errors.push(`${path}: unexpected property ${k}`);
      else if (typeof schema.additionalProperties === 'object') check(root, schema.additionalProperties as Schema, v, `${path}.${k}`, errors);
    }
  }
  if (t === 'array') {
    const arr = value as unknown[];
    if (typeof schema.minItems === 'number' && arr.length < schema.minItems) errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items) arr.forEach((v, i) => check(root, schema.items as Schema, v, `${path}[${i}]`, errors));
  }
  for (const s of (schema.allOf ?? []) as Schema[]) check(root, s, value, path, errors);
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((s) => {
      const e: string[] = [];
      check(root, s, value, path, e);
      return e.length === 0;
    });
    if (!ok) errors.push(`${path}: matches none of anyOf`);
  }
  if (schema.if) {
    const e: string[] = [];
    check(root, schema.if as Schema, value, path, e);
    if (e.length === 0 && schema.then) check(root, schema.then as Schema, value, path, errors);
  }
}
