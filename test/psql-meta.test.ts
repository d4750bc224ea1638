// psql meta-commands in an input: those with an effect pg2tidb does not follow are warnings that
// say what is lost (an included file, a second database, rows copied from a file), not
// "removed" notes; the others (\set, \copy ... TO, a file's first \connect) stay notes.
import { describe, expect, it } from 'vitest';
import { translate } from '../src/index.js';

const said = async (text: string): Promise<string[]> => (await translate({ path: 'in.sql', text })).diagnostics.map((d) => `${d.severity} ${d.id}: ${d.message}`).sort();

describe('psql meta-commands', () => {
  it('an include, a second \\connect and a \\copy ... FROM are warnings naming what is lost; the rest are notes', async () => {
    const text = [
      '\\connect shop',
      'CREATE TABLE a (id int PRIMARY KEY);',
      '\\i schema/more.sql',
      "\\ir 'with space.sql'",
      '\\copy a (id) FROM rows.csv WITH (FORMAT csv)',
      '\\copy a TO out.csv',
      '\\c "other db"',
      'CREATE TABLE b (id int PRIMARY KEY);',
      '\\set ON_ERROR_STOP on',
    ].join('\n');
    const meta = (await said(text)).filter((d) => /psql-meta|data-not-translated/.test(d));
    expect(meta).toEqual([
      'info psql-meta-command: \\connect \\connect shop: psql meta-command removed before parsing',
      'info psql-meta-command: \\copy \\copy a TO out.csv: psql meta-command removed before parsing',
      'info psql-meta-command: \\set \\set ON_ERROR_STOP on: psql meta-command removed before parsing',
      'warning data-not-translated: \\copy into a: 1 statement; data statements are not translated by this command',
      'warning psql-meta-not-run: \\c other db: the statements after it are for database other db; pg2tidb reads them into the same schema as those before it',
      'warning psql-meta-not-run: \\i schema/more.sql: psql reads that file here; pg2tidb reads only the inputs it is given, so what the file holds is not translated',
      'warning psql-meta-not-run: \\ir with space.sql: psql reads that file here; pg2tidb reads only the inputs it is given, so what the file holds is not translated',
    ]);
  });
});
