// Options `translate` and `data` share: the schema decisions (the rows follow the same ones) and
// how diagnostics are shown. Each command adds its own to these.
export const SCHEMA_OPTIONS = {
  out: { type: 'string', short: 'o' },
  uuid: { type: 'string' },
  timestamptz: { type: 'string' },
  collation: { type: 'string' },
  'auto-random': { type: 'boolean' },
  'text-key-length': { type: 'string' },
  database: { type: 'string', multiple: true },
  config: { type: 'string' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'max-diagnostics': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
