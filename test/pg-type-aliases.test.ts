// One PostgreSQL alias table (src/ir/pg-type-aliases.ts) read the same way by the postgres frontend,
// the SQLAlchemy frontend's type strings and the type overrides.
import { describe, expect, it } from 'vitest';
import { readPostgres } from '../src/frontends/postgres/index.js';
import { parsePgTypeName } from '../src/frontends/sqlalchemy/type-rules.js';
import { canonicalPgType, PG_SERIAL_TYPES, PG_TYPE_ALIASES } from '../src/ir/pg-type-aliases.js';
import { parsePgTypePattern } from '../src/transform/overrides.js';

const scalarName = (t: { kind: string; name?: unknown }) => (t.kind === 'scalar' ? t.name : `(${t.kind})`);

describe('PostgreSQL type aliases', () => {
  const aliases = Object.entries(PG_TYPE_ALIASES);

  it('has the spellings both frontends and the overrides used to list separately', () => {
    expect(Object.keys(PG_TYPE_ALIASES)).toEqual(expect.arrayContaining(['int4', 'int8', 'float8', 'bool', 'varchar', 'bpchar', 'timestamptz', 'timetz', 'varbit', 'decimal']));
    expect(canonicalPgType('timestamp with time zone')).toBe('timestamp with time zone');
    expect(canonicalPgType('constructor')).toBeUndefined();
  });

  it('the SQLAlchemy frontend and the overrides fold every alias and serial to the same name', () => {
    for (const [alias, name] of [...aliases, ...Object.entries(PG_SERIAL_TYPES)]) {
      expect(scalarName(parsePgTypeName(alias)), alias).toBe(name);
      expect(parsePgTypePattern(alias).name, alias).toBe(name);
    }
  });

  it('the postgres frontend folds every alias a column can be written with to the same name', async () => {
    // `char` alone is CHAR(1) in SQL (bpchar from the grammar); "char" quoted is the one-byte type.
    const written = aliases.filter(([alias]) => !alias.includes(' '));
    const sql = `CREATE TABLE t (${written.map(([alias], i) => `c${i} ${alias}`).join(', ')}, s serial, b bigserial);`;
    const schema = await readPostgres([{ path: 't.sql', text: sql }]);
    const columns = schema.tables[0]!.columns;
    written.forEach(([alias, name], i) => expect(scalarName(columns[i]!.type), alias).toBe(name));
    expect(columns.slice(-2).map((c) => scalarName(c.type))).toEqual(['integer', 'bigint']);
  });
});
