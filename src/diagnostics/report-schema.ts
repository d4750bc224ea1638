import { CATALOGUE, RENAME_KINDS, RENAME_REASON_IDS, type FieldSpec, type Fields } from './catalogue.js';

/**
 * The JSON Schema of report.json. Ids, codes and each id's payload shape come from the catalogue
 * (its field descriptors), so a new id needs no hand edit here; `npm run schema:report` writes
 * schema/pg2tidb.report.schema.json from this, and test/report-schema.test.ts checks the committed copy.
 */
export function reportSchema(): Record<string, unknown> {
  const ids = Object.keys(CATALOGUE) as (keyof typeof CATALOGUE)[];
  const { $defs, ...top } = SKELETON;
  const { severity, diagnostic, ...defs } = $defs;
  return {
    ...top,
    $defs: {
      severity,
      id: { enum: ids },
      code: { enum: ids.map((id) => CATALOGUE[id].code) },
      ...defs,
      diagnostic: {
        ...diagnostic,
        allOf: ids.map((id) => ({
          if: { properties: { id: { const: id } } },
          then: { properties: { code: { const: CATALOGUE[id].code }, data: payloadSchema(CATALOGUE[id].fields) } },
        })),
      },
    },
  };
}

function payloadSchema(fields: Fields): Record<string, unknown> {
  const names = Object.keys(fields);
  return {
    type: 'object',
    additionalProperties: false,
    required: names.filter((n) => !optional(fields[n]!)),
    properties: Object.fromEntries(names.map((n) => [n, fieldSchema(fields[n]!)])),
  };
}

const optional = (f: FieldSpec): boolean => (typeof f === 'string' ? f.endsWith('?') : f.optional === true);

function fieldSchema(f: FieldSpec): Record<string, unknown> {
  if (typeof f !== 'string') return 'enum' in f ? { enum: [...f.enum] } : { type: 'array', items: payloadSchema(f.list) };
  const base = f.replace(/\?$/, '');
  return base === 'string[]' ? { type: 'array', items: { type: 'string' } } : { type: base };
}

/** Everything but the parts derived from the catalogue. */
const SKELETON = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "pg2tidb report.json",
  "description": "What pg2tidb translated and everything it could not keep: the options, the inputs, counts, which rule decided each column type, every diagnostic with a structured subject and a payload typed by its id, and the groups of diagnostics that say the same about many objects.",
  "type": "object",
  "additionalProperties": false,
  "required": [
    "tool",
    "version",
    "options",
    "inputs",
    "summary",
    "columns",
    "renames",
    "groups",
    "diagnostics"
  ],
  "properties": {
    "tool": {
      "const": "pg2tidb"
    },
    "version": {
      "type": "string"
    },
    "options": {
      "type": "object",
      "description": "The resolved translation options (see pg2tidb.config.schema.json)."
    },
    "inputs": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "path",
          "bytes",
          "statements"
        ],
        "properties": {
          "path": {
            "type": "string"
          },
          "bytes": {
            "type": "integer",
            "minimum": 0
          },
          "statements": {
            "type": "integer",
            "minimum": 0
          }
        }
      }
    },
    "summary": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "databases",
        "tables",
        "columns",
        "indexes",
        "foreignKeys",
        "checks",
        "sequences",
        "diagnostics"
      ],
      "properties": {
        "databases": {
          "type": "integer",
          "minimum": 0
        },
        "tables": {
          "type": "integer",
          "minimum": 0
        },
        "columns": {
          "type": "integer",
          "minimum": 0
        },
        "indexes": {
          "type": "integer",
          "minimum": 0
        },
        "foreignKeys": {
          "type": "integer",
          "minimum": 0
        },
        "checks": {
          "type": "integer",
          "minimum": 0
        },
        "sequences": {
          "type": "integer",
          "minimum": 0
        },
        "diagnostics": {
          "type": "object",
          "additionalProperties": false,
          "required": [
            "error",
            "warning",
            "info"
          ],
          "properties": {
            "error": {
              "type": "integer",
              "minimum": 0
            },
            "warning": {
              "type": "integer",
              "minimum": 0
            },
            "info": {
              "type": "integer",
              "minimum": 0
            }
          }
        }
      }
    },
    "columns": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "table",
          "column",
          "pgType",
          "tidbType",
          "rule"
        ],
        "properties": {
          "table": {
            "type": "string"
          },
          "column": {
            "type": "string"
          },
          "pgType": {
            "type": "string"
          },
          "tidbType": {
            "type": "string"
          },
          "rule": {
            "type": "string"
          }
        }
      }
    },
    "renames": {
      "description": "Every object whose TiDB name differs from its source name, each also an identifier-renamed diagnostic.",
      "type": "array",
      "items": {
        "$ref": "#/$defs/rename"
      }
    },
    "groups": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/group"
      }
    },
    "diagnostics": {
      "type": "array",
      "items": {
        "$ref": "#/$defs/diagnostic"
      }
    }
  },
  "$defs": {
    "severity": {
      "enum": [
        "error",
        "warning",
        "info"
      ]
    },
    "span": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "offset",
        "length"
      ],
      "properties": {
        "line": {
          "type": "integer",
          "minimum": 1
        },
        "column": {
          "type": "integer",
          "minimum": 1
        },
        "endLine": {
          "type": "integer",
          "minimum": 1
        },
        "endColumn": {
          "type": "integer",
          "minimum": 1
        },
        "file": {
          "type": "string"
        },
        "offset": {
          "type": "integer",
          "minimum": 0
        },
        "length": {
          "type": "integer",
          "minimum": 0
        }
      }
    },
    "subject": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind"
      ],
      "description": "database is the PostgreSQL schema; table and column locate table-level objects; name is the object's own name.",
      "properties": {
        "kind": {
          "enum": [
            "database",
            "schema",
            "table",
            "column",
            "index",
            "constraint",
            "foreign-key",
            "sequence",
            "view",
            "materialized-view",
            "function",
            "procedure",
            "trigger",
            "policy",
            "type",
            "domain",
            "extension",
            "role",
            "revision",
            "model",
            "statement",
            "file",
            "option"
          ]
        },
        "database": {
          "type": "string"
        },
        "table": {
          "type": "string"
        },
        "column": {
          "type": "string"
        },
        "name": {
          "type": "string"
        }
      }
    },
    "group": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "code",
        "severity",
        "headline",
        "extent",
        "count",
        "subjects",
        "occurrences"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/id"
        },
        "code": {
          "$ref": "#/$defs/code"
        },
        "severity": {
          "$ref": "#/$defs/severity"
        },
        "headline": {
          "type": "string"
        },
        "extent": {
          "type": "string"
        },
        "count": {
          "type": "integer",
          "minimum": 1
        },
        "subjects": {
          "type": "array",
          "items": {
            "$ref": "#/$defs/subject"
          }
        },
        "occurrences": {
          "type": "array",
          "items": {
            "type": "integer",
            "minimum": 0
          },
          "description": "Indexes into diagnostics."
        }
      }
    },
    "diagnostic": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "id",
        "code",
        "severity",
        "message",
        "subject",
        "data"
      ],
      "properties": {
        "id": {
          "$ref": "#/$defs/id"
        },
        "code": {
          "$ref": "#/$defs/code"
        },
        "severity": {
          "$ref": "#/$defs/severity"
        },
        "message": {
          "type": "string"
        },
        "span": {
          "$ref": "#/$defs/span"
        },
        "subject": {
          "$ref": "#/$defs/subject"
        },
        "data": {
          "type": "object"
        },
        "fix": {
          "type": "string"
        }
      }
    },
    "rename": {
      "type": "object",
      "additionalProperties": false,
      "required": [
        "kind",
        "database",
        "from",
        "to",
        "reason"
      ],
      "properties": {
        "kind": { "enum": RENAME_KINDS },
        "database": {
          "type": "string"
        },
        "table": {
          "type": "string"
        },
        "from": {
          "type": "string"
        },
        "to": {
          "type": "string"
        },
        "reason": { "enum": RENAME_REASON_IDS }
      }
    }
  }
} as const;
