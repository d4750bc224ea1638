// pg2tidb verify over real TLS: a tidb-server of its own started with [security] ssl-cert/ssl-key/
// ssl-ca (a CA and a server certificate for 127.0.0.1 made with openssl in a temporary folder), a
// user that TiDB lets in only over TLS (REQUIRE SSL), and the target URL exactly as `pg2tidb url`
// prints it (ssl_ca, ssl_verify_cert, ssl_verify_identity). The session is encrypted (Ssl_cipher),
// verify reports equal; a CA that did not sign the server's certificate fails with a clear error;
// the password is never printed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertData } from '../src/data/index.js';
import { connectTarget } from '../src/verify/index.js';
import { targetOptions } from '../src/verify/target-url.js';
import { tidbConnection, tidbLoad } from './helpers/data-load.js';
import { startTidbServer, type TidbServer } from './helpers/tidb-server.js';
import { runCli, type CliRun } from './helpers/cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'pg2tidb-verify-tls-'));
const SECRET = 'Tls-S3cret-pw';
const DB = 'tls_shop';
const DUMP = `
CREATE TABLE public.items (id integer PRIMARY KEY, name text NOT NULL, price numeric(8,2));
COPY public.items (id, name, price) FROM stdin;
1	pen	1.50
2	ink	\\N
\\.
`;

let tidb: TidbServer | undefined;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}

beforeAll(async () => {
  // A CA, a server certificate it signs for 127.0.0.1, and an unrelated CA.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pg2tidb test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(work, 'san.cnf'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.cnf');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=another CA');
  tidb = await startTidbServer({
    extraConfig: ['[security]', `ssl-ca = ${JSON.stringify(join(work, 'ca.pem'))}`, `ssl-cert = ${JSON.stringify(join(work, 'server.pem'))}`, `ssl-key = ${JSON.stringify(join(work, 'server.key'))}`, ''].join('\n'),
  });
  const out = join(work, 'out');
  writeFileSync(join(work, 'dump.sql'), DUMP);
  const result = await convertData([{ path: 'dump.sql', file: join(work, 'dump.sql') }], { databaseMap: { public: DB } }, {}, out);
  const root = await tidbConnection(tidb, out);
  try {
    await tidbLoad(root, result, readFileSync(join(out, 'load.sql'), 'utf8'));
    await root.query(`CREATE USER 'app'@'%' IDENTIFIED BY '${SECRET}' REQUIRE SSL`);
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'app'@'%'`);
  } finally {
    await root.end();
  }
}, 300_000);

afterAll(async () => {
  await tidb?.stop();
  rmSync(work, { recursive: true, force: true });
});

function run(args: readonly string[]): Promise<CliRun> {
  return runCli(args, work);
}

/** The SQLAlchemy URL `pg2tidb url` prints for this server and CA (with the password, for the test to pass on). */
async function printedUrl(ca: string): Promise<string> {
  const r = await run(['url', `postgres://app:${SECRET}@db.example.com/${DB}`, '--host', tidb!.host, '--port', String(tidb!.port), '--ca', join(work, ca), '--show-password']);
  expect(r.code, r.stderr).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.trim().startsWith('mysql+pymysql://'));
  expect(line, r.stdout).toBeDefined();
  return line!.trim();
}

describe('pg2tidb verify over TLS', () => {
  it("the URL pg2tidb url prints connects encrypted, with the server's certificate and host name verified", async () => {
    const url = await printedUrl('ca.pem');
    expect(url).toMatch(/ssl_ca=.*ssl_verify_cert=true&ssl_verify_identity=true/);
    const conn = await connectTarget(targetOptions(url));
    try {
      const [[cipher]] = (await conn.query(`SHOW STATUS LIKE 'Ssl_cipher'`)) as [[{ Value: string }]];
      expect(cipher.Value).not.toBe('');
      const [[version]] = (await conn.query(`SHOW STATUS LIKE 'Ssl_version'`)) as [[{ Value: string }]];
      expect(version.Value).toMatch(/^TLSv1\.[23]$/);
    } finally {
      await conn.end();
    }
    const r = await run(['verify', '--source', 'dump.sql', '--target', url, '--database', `public=${DB}`]);
    expect(r.stdout, r.stderr).toMatch(/: equal: 0 schema differences, 0 of 1 tables with different rows/);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout).toContain('app:****@');
  }, 120_000);

  it('the user is refused without TLS (so the run above was encrypted)', async () => {
    const r = await run(['verify', '--source', 'dump.sql', '--target', `mysql://app:${encodeURIComponent(SECRET)}@${tidb!.host}:${tidb!.port}/${DB}?ssl_mode=disabled`, '--database', `public=${DB}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to mysql:\/\/app:\*\*\*\*@.*: Access denied for user 'app'/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 60_000);

  it('a CA that did not sign the server certificate fails with a clear error, password never printed', async () => {
    const url = await printedUrl('other-ca.pem');
    const r = await run(['verify', '--source', 'dump.sql', '--target', url, '--database', `public=${DB}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pg2tidb verify: cannot connect to mysql\+pymysql:\/\/app:\*\*\*\*@127\.0\.0\.1:\d+\/tls_shop\?ssl_ca=.*: .*unable to verify the first certificate \(TLS: the server certificate is not signed by a CA in ssl_ca\)$/m);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  }, 60_000);
});
