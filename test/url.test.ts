import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runUrl } from '../src/cli/url.js';
import { tidbUrls, UrlError, isLoopback, DEFAULT_CA_PATH } from '../src/connection/url.js';

const HOST = 'gateway01.us-west-2.prod.aws.tidbcloud.com';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += String(c)));
  stderr.on('data', (c) => (e += String(c)));
  const code = await runUrl(args, { stdin: new PassThrough(), stdout, stderr, cwd: process.cwd() });
  return { code, stdout: o, stderr: e };
}

describe('tidbUrls', () => {
  it('builds the SQLAlchemy, mysql2 and serverless forms with TLS verification', () => {
    const u = tidbUrls('postgresql+psycopg2://app:s3cret@pg.internal:5432/shop', { host: HOST, user: '4abc.root', caPath: '/etc/ssl/cert.pem', showPassword: true });
    expect(u.sqlalchemy).toBe(`mysql+pymysql://4abc.root:s3cret@${HOST}:4000/shop?ssl_ca=%2Fetc%2Fssl%2Fcert.pem&ssl_verify_cert=true&ssl_verify_identity=true&charset=utf8mb4`);
    expect(u.serverless).toBe(`mysql://4abc.root:s3cret@${HOST}/shop`);
    expect(u.mysql2.config).toMatchObject({ host: HOST, port: 4000, user: '4abc.root', password: 's3cret', database: 'shop', ssl: { caPath: '/etc/ssl/cert.pem', minVersion: 'TLSv1.2', rejectUnauthorized: true } });
    expect(u.mysql2.text).toContain("ca: fs.readFileSync('/etc/ssl/cert.pem')");
    expect(u.mysql2.text).toContain("minVersion: 'TLSv1.2'");
    expect(u.mysql2.text).toContain('rejectUnauthorized: true');
    expect(u.mysql2.text).not.toContain('checkServerIdentity');
    expect(u.poolSnippet).toMatch(/pool_recycle=(\d+)/);
    expect(Number(/pool_recycle=(\d+)/.exec(u.poolSnippet)![1])).toBeLessThan(340);
    expect(u.poolSnippet).toContain('pool_pre_ping=True');
    expect(u.poolSnippet).toContain('§6.4');
    expect(u.warnings).toEqual([]);
  });

  it('masks the password unless asked', () => {
    const u = tidbUrls('postgres://app:s3cret@db/shop', { host: HOST, user: 'x.root' });
    const all = JSON.stringify(u);
    expect(all).not.toContain('s3cret');
    expect(u.sqlalchemy).toContain('x.root:****@');
    expect(u.serverless).toBe(`mysql://x.root:****@${HOST}/shop`);
    expect(u.mysql2.text).toContain("password: '****'");
  });

  it('keeps percent-encoded user names and passwords', () => {
    const u = tidbUrls('postgresql://us%40er:p%40ss%3Aw%2Fo%25rd%20x@db/my%20db', { host: HOST, showPassword: true });
    expect(u.sqlalchemy).toMatch(/^mysql\+pymysql:\/\/us%40er:p%40ss%3Aw%2Fo%25rd%20x@/);
    expect(u.sqlalchemy).toContain(':4000/my%20db?');
    expect(u.mysql2.config.user).toBe('us@er');
    expect(u.mysql2.config.password).toBe('p@ss:w/o%rd x');
    expect(u.mysql2.config.database).toBe('my db');
    expect(u.serverless).toBe(`mysql://us%40er:p%40ss%3Aw%2Fo%25rd%20x@${HOST}/my%20db`);
    // round trip through the WHATWG parser gives the same password back
    expect(decodeURIComponent(new URL(u.serverless).password)).toBe('p@ss:w/o%rd x');
  });

  it('defaults: port 4000, a CA bundle for PyMySQL, the PG database, warnings for missing host and prefix', () => {
    const u = tidbUrls('postgresql://root:pw@' + HOST + '/app');
    expect(u.sqlalchemy).toContain(`:4000/app?ssl_ca=${encodeURIComponent(DEFAULT_CA_PATH)}&ssl_verify_cert=true&ssl_verify_identity=true`);
    expect(u.mysql2.text).not.toContain('readFileSync'); // Node's own CA store
    expect(u.warnings.join('\n')).toMatch(/--host/);
    expect(u.warnings.join('\n')).toMatch(/prefix/);
  });

  it('verification switches', () => {
    const a = tidbUrls('postgresql://u:p@h/d', { host: HOST, user: 'a.b', verifyIdentity: false });
    expect(a.sqlalchemy).toContain('ssl_verify_cert=true');
    expect(a.sqlalchemy).not.toContain('ssl_verify_identity');
    expect(a.mysql2.text).toContain('checkServerIdentity: () => undefined');
    const b = tidbUrls('postgresql://u:p@h/d', { host: HOST, user: 'a.b', verifyCert: false });
    expect(b.sqlalchemy).toContain('ssl_verify_cert=false');
    expect(b.sqlalchemy).not.toContain('ssl_verify_identity');
    expect(b.mysql2.config.ssl?.rejectUnauthorized).toBe(false);
    expect(() => tidbUrls('postgresql://u:p@h/d', { host: HOST, verifyCert: false, verifyIdentity: true })).toThrow(UrlError);
  });

  it('one database per service', () => {
    const u = tidbUrls('postgresql://u:p@h/main', { host: HOST, user: 'a.b', databases: { billing: 'billing_db', auth: 'auth_db' } });
    expect(u.services['billing']!.sqlalchemy).toContain(':4000/billing_db?');
    expect(u.services['auth']!.serverless).toBe(`mysql://a.b:****@${HOST}/auth_db`);
    expect(u.sqlalchemy).toContain(':4000/main?');
  });

  it('refuses credentials without TLS except on loopback', () => {
    expect(() => tidbUrls('postgresql://u:p@h/d?sslmode=disable', { host: HOST })).toThrow(/without TLS/);
    expect(() => tidbUrls('postgresql://u:p@h/d', { host: '10.0.0.5', tls: false })).toThrow(/without TLS/);
    const local = tidbUrls('postgresql://u:p@localhost/d?sslmode=disable', { host: '127.0.0.1', showPassword: true });
    expect(local.sqlalchemy).toBe('mysql+pymysql://u:p@127.0.0.1:4000/d?charset=utf8mb4');
    expect(local.mysql2.config.ssl).toBeUndefined();
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('127.10.0.1')).toBe(true);
    expect(isLoopback('localhost.example.com')).toBe(false);
  });

  it('clear errors for invalid URLs', () => {
    expect(() => tidbUrls('mysql://u:p@h/d')).toThrow(/not a PostgreSQL URL/);
    expect(() => tidbUrls('not a url')).toThrow(UrlError);
    expect(() => tidbUrls('postgresql://u:p%zz@h/d', { host: HOST })).toThrow(/percent-encoding/);
    expect(() => tidbUrls('postgresql://u:p@h1,h2/d')).toThrow(/several hosts/);
    expect(() => tidbUrls('postgresql:///d')).toThrow(/host/);
    expect(() => tidbUrls('postgresql://h/d')).toThrow(/user/);
    expect(() => tidbUrls('postgresql://u:p@h/d', { host: HOST, port: 70000 })).toThrow(/port/);
    expect(() => tidbUrls('postgresql://u:pa@ss@h/d', { host: HOST })).not.toThrow(); // WHATWG takes the last @
  });

  it('reads libpq query parameters', () => {
    const u = tidbUrls('postgresql:///?host=pg&user=app&password=x&dbname=shop', { host: HOST, showPassword: true });
    expect(u.sqlalchemy).toContain('mysql+pymysql://app:x@');
    expect(u.sqlalchemy).toContain(':4000/shop?');
  });
});

describe('pg2tidb url', () => {
  it('prints the three forms and the pool settings, password masked', async () => {
    const r = await cli(['postgresql://app:s3cret@pg/shop', '--host', HOST, '--user', 'x.root', '--service', 'billing=billing_db']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mysql+pymysql://x.root:****@');
    expect(r.stdout).toContain('createPool({');
    expect(r.stdout).toContain(`connect({ url: 'mysql://x.root:****@${HOST}/shop' })`);
    expect(r.stdout).toContain('[billing] SQLAlchemy');
    expect(r.stdout).toContain('pool_pre_ping=True');
    expect(r.stdout + r.stderr).not.toContain('s3cret');
  });

  it('--show-password, --json, --port', async () => {
    const r = await cli(['postgresql://app:s3cret@pg/shop', '--host', HOST, '--user', 'x.root', '--show-password', '--json', '--port', '4001']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { sqlalchemy: string };
    expect(j.sqlalchemy).toContain('x.root:s3cret@' + HOST + ':4001/shop');
  });

  it('usage errors exit 2 with a message', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['postgresql://u:p@h/d', '--bogus'])).code).toBe(2);
    const bad = await cli(['mysql://u:p@h/d']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a PostgreSQL URL/);
    expect(bad.stderr).not.toMatch(/at .*\.ts/);
    const plain = await cli(['postgresql://u:p@h/d', '--host', HOST, '--no-tls']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/without TLS/);
    expect((await cli(['--help'])).code).toBe(0);
  });
});
