// The live PostgreSQL source over real TLS, for every sslmode that checks something: the shared
// PostgreSQL 15 cluster gets a server certificate (openssl, a CA of the test's own) and ssl = on by
// reload, and a role pg_hba.conf lets in only over TLS (hostssl), so a connection that succeeds was
// encrypted. verify-full checks the chain and the host name, verify-ca the chain only, require
// neither; a CA that did not sign the certificate, and a certificate for another name under
// verify-full, are refused with a clear error. Everything is put back afterwards.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PSQL, startPostgres } from './helpers/data-load.js';
import { runCli, type CliRun } from './helpers/cli-run.js';

const work = mkdtempSync(join(tmpdir(), 'pg2tidb-pg-tls-'));
const ROLE = 'pg2tidb_tls_only';
const HBA_MARK = '# pg2tidb-pg-source-tls';
let admin: string | undefined;
let unavailable: string | undefined;
let hbaFile: string | undefined;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
}

function sql(text: string): string {
  return execFileSync(PSQL, [admin!, '-Atqc', text], { encoding: 'utf8' }).trim();
}

/** The server's certificate and key, readable by the server only (its owner, when the tests run as root). */
function serve(cert: string): void {
  for (const [from, to] of [[`${cert}.pem`, 'live.pem'], [`${cert}.key`, 'live.key']] as const) {
    copyFileSync(join(work, from), join(work, to));
    chmodSync(join(work, to), 0o600);
    if (process.getuid?.() === 0) {
      const owner = statSync(join(execFileSync(PSQL, [admin!, '-Atqc', 'SHOW data_directory'], { encoding: 'utf8' }).trim(), 'PG_VERSION'));
      chownSync(join(work, to), owner.uid, owner.gid);
    }
  }
  sql(`ALTER SYSTEM SET ssl_cert_file = '${join(work, 'live.pem')}'`);
  sql(`ALTER SYSTEM SET ssl_key_file = '${join(work, 'live.key')}'`);
  sql('ALTER SYSTEM SET ssl = on');
  sql('SELECT pg_reload_conf()');
  // The reload is asynchronous: wait until the server hands out this certificate.
  const port = new URL(admin!).port;
  for (let i = 0; ; i++) {
    const shown = execFileSync('openssl', ['s_client', '-starttls', 'postgres', '-connect', `127.0.0.1:${port}`], { input: '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    if (new RegExp(`subject=CN ?= ?${cert}\\b`).test(shown)) return;
    if (i === 50) throw new Error(`the server does not serve the ${cert} certificate after a reload`);
    execFileSync('sleep', ['0.1']);
  }
}

beforeAll(() => {
  const pg = startPostgres();
  unavailable = pg.unavailable;
  if (unavailable) return;
  admin = pg.url!;
  chmodSync(work, 0o755);
  // A CA; a server certificate it signs for 127.0.0.1 and one for another name; an unrelated CA.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pg2tidb test CA');
  for (const [name, san] of [['server', 'IP:127.0.0.1'], ['named', 'DNS:db.pg2tidb.test']] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(work, `${name}.cnf`), `subjectAltName = ${san}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.cnf`);
  }
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=another CA');
  sql(`DO $$ BEGIN CREATE ROLE ${ROLE} LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  // The role may connect over TLS only: hostssl first, then a reject for anything else.
  hbaFile = sql('SHOW hba_file');
  const hba = readFileSync(hbaFile, 'utf8').split('\n').filter((l) => !l.endsWith(HBA_MARK));
  writeFileSync(hbaFile, [`hostssl all ${ROLE} 127.0.0.1/32 trust ${HBA_MARK}`, `host all ${ROLE} 127.0.0.1/32 reject ${HBA_MARK}`, ...hba].join('\n'));
  serve('server');
}, 120_000);

afterAll(() => {
  if (admin && !unavailable) {
    if (hbaFile) writeFileSync(hbaFile, readFileSync(hbaFile, 'utf8').split('\n').filter((l) => !l.endsWith(HBA_MARK)).join('\n'));
    for (const s of ['ssl', 'ssl_cert_file', 'ssl_key_file']) sql(`ALTER SYSTEM RESET ${s}`);
    sql('SELECT pg_reload_conf()');
  }
  rmSync(work, { recursive: true, force: true });
});

const source = (query: string): string => `${admin!.replace(/\/\/[^@]*@/, `//${ROLE}@`).replace(/\/[^/]*$/, '/postgres')}?${query}`;
const translate = (query: string): Promise<CliRun> => runCli(['translate', '--from', source(query), '-q'], work);

describe('the live PostgreSQL source over TLS', () => {
  it('verify-full with the CA that signed the certificate connects, encrypted; in the clear the role is refused', async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    const full = await translate(`sslmode=verify-full&sslrootcert=${join(work, 'ca.pem')}`);
    expect(full.code, full.stderr).toBe(0);
    const clear = await translate('sslmode=disable');
    expect(clear.code).toBe(1);
    expect(clear.stderr).toMatch(/cannot connect to .*pg_hba\.conf rejects connection.*no encryption/);
    // Without sslmode a loopback host is tried in the clear, then over TLS when the server refuses the clear (as libpq's prefer gets in).
    const unset = await runCli(['translate', '--from', source('').replace(/\?$/, ''), '-q'], work);
    expect(unset.code, unset.stderr).toBe(0);
  }, 60_000);

  it('a CA that did not sign the certificate is refused by verify-full and verify-ca; require does not check it', async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    for (const mode of ['verify-full', 'verify-ca']) {
      const r = await translate(`sslmode=${mode}&sslrootcert=${join(work, 'other-ca.pem')}`);
      expect(r.code, mode).toBe(1);
      expect(r.stderr, mode).toMatch(/cannot connect to .*(self[- ]signed certificate|unable to verify|unable to get local issuer)/i);
    }
    const require = await translate('sslmode=require');
    expect(require.code, require.stderr).toBe(0);
  }, 60_000);

  it("a certificate for another host name is refused by verify-full and accepted by verify-ca", async (ctx) => {
    if (unavailable) return ctx.skip(unavailable);
    serve('named');
    try {
      const full = await translate(`sslmode=verify-full&sslrootcert=${join(work, 'ca.pem')}`);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/cannot connect to .*(does not match|altnames)/i);
      const ca = await translate(`sslmode=verify-ca&sslrootcert=${join(work, 'ca.pem')}`);
      expect(ca.code, ca.stderr).toBe(0);
    } finally {
      serve('server');
    }
  }, 60_000);
});
