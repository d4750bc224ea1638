// TiDB Lightning (built at the test tidb-server's TiDB commit by test/oracles/tidb-lightning/build.sh)
// reads `pg2tidb data`'s folder for sakila in its `tidb` backend (SQL writes) into the test
// tidb-server: every table has the manifest's row count, and the same rows as LOAD DATA LOCAL
// INFILE of load.sql puts into a second database (compared as multisets of rows).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { tidbConnection, tidbLoad } from './helpers/data-load.js';
import { injectedTidb, type TidbEndpoint } from './helpers/tidb-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(here, '../../shared/corpus');
const inputs = ['pairs/sakila/pg.sql', 'pg/sakila_postgres_insert-data-using-copy.sql'].map((f) => ({ path: f, file: join(corpus, f) }));
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const work = mkdtempSync(join(tmpdir(), 'pg2tidb-lightning-'));
let tidb: TidbEndpoint;
let lightning: string;

beforeAll(async () => {
  tidb = await injectedTidb();
  // A build failure fails the run (never a skip): the script's output says why.
  const built = spawnSync('bash', [join(here, 'oracles/tidb-lightning/build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  lightning = built.stdout.trim().split('\n').pop() ?? '';
  if (built.status !== 0 || !existsSync(lightning)) throw new Error(`tidb-lightning could not be built (exit ${built.status})`);
}, 1_800_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const rowsOf = async (conn: Awaited<ReturnType<typeof tidbConnection>>, db: string, table: string): Promise<string[]> => {
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT * FROM \`${db}\`.\`${table}\``);
  return rows.map((r) => JSON.stringify(Object.values(r).map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))).sort();
};

it('TiDB Lightning (tidb backend) loads sakila from the folder pg2tidb data writes', async () => {
  const viaLightning = `lt_${runId}`;
  const viaLoad = `ld_${runId}`;
  const out = join(work, 'lightning');
  const result = await convertData(inputs, { databaseMap: { public: viaLightning } }, {}, out);
  expect(result.exact).toBe(true);
  const statusPort = inject('tidbStatusPort');
  const config = `[lightning]
level = "warn"
file = "${join(work, 'lightning.log')}"
check-requirements = false

[checkpoint]
enable = false

[tikv-importer]
backend = "tidb"
on-duplicate = "error"

[mydumper]
data-source-dir = "${out}"
filter = ['${viaLightning}.*']

[post-restore]
checksum = "off"
analyze = "off"

${readFileSync(join(out, 'lightning-csv.toml'), 'utf8').replace(/^\[tidb\]\n/m, `[tidb]\nhost = "${tidb.host}"\nport = ${tidb.port}\nuser = "root"\npassword = ""\n${statusPort ? `status-port = ${statusPort}\n` : ''}`)}`;
  writeFileSync(join(work, 'lightning.toml'), config);
  const run = spawnSync(lightning, ['-config', join(work, 'lightning.toml')], { encoding: 'utf8', timeout: 600_000 });
  const log = existsSync(join(work, 'lightning.log')) ? readFileSync(join(work, 'lightning.log'), 'utf8') : '';
  expect(run.status, `tidb-lightning failed:\n${run.stdout}\n${run.stderr}\n${log.slice(-3000)}`).toBe(0);

  const loadOut = join(work, 'load');
  const loaded = await convertData(inputs, { databaseMap: { public: viaLoad } }, {}, loadOut);
  const conn = await tidbConnection(tidb, loadOut);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${viaLoad}\``);
    await tidbLoad(conn, loaded, readFileSync(join(loadOut, 'load.sql'), 'utf8'));
    let withRows = 0;
    for (const t of result.tables) {
      const [[count]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${viaLightning}\`.\`${t.table}\``);
      expect(Number(count!['n']), `${t.table}: rows Lightning loaded`).toBe(t.rows);
      if (t.rows > 0) withRows++;
      expect(await rowsOf(conn, viaLightning, t.table), `${t.table}: Lightning's rows against LOAD DATA's`).toEqual(await rowsOf(conn, viaLoad, t.table));
    }
    expect(withRows).toBeGreaterThanOrEqual(15);
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS \`${viaLightning}\``);
    await conn.query(`DROP DATABASE IF EXISTS \`${viaLoad}\``);
    await conn.end();
  }
}, 900_000);
