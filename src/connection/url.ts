/**
 * Connection settings for the migrated application: a PostgreSQL URL (`postgresql://`,
 * `postgresql+psycopg2://`, `postgres://`, libpq query parameters included) becomes the TiDB
 * connection strings the migration design uses: SQLAlchemy + PyMySQL, a mysql2 pool, and the
 * `@tidbcloud/serverless` HTTP driver, plus the pool settings TiDB Cloud Starter needs.
 *
 * Rules:
 * - TLS is on unless asked off (or the source says `sslmode=disable`); sending credentials
 *   without TLS to a host that is not loopback is an error (TiDB Cloud Starter requires TLS on its
 *   public endpoint: ../shared/reference/tidb.md §6.4).
 * - The password is printed as `****` unless `showPassword`; user names and passwords are decoded
 *   once and re-encoded for each output, so percent-encoded characters survive.
 * - Pure: reads no file and no environment.
 */

export interface TidbUrlOptions {
  /** The TiDB host (default: the PostgreSQL URL's host, with a warning). */
  readonly host?: string;
  /** Default 4000. */
  readonly port?: number;
  /** CA bundle path for certificate verification (PyMySQL needs one to verify at all). */
  readonly caPath?: string;
  /** Default true. */
  readonly verifyCert?: boolean;
  /** Default: verifyCert. */
  readonly verifyIdentity?: boolean;
  /** Database name (default: the PostgreSQL URL's database). */
  readonly database?: string;
  /** One database per service: service name -> TiDB database. */
  readonly databases?: Readonly<Record<string, string>>;
  /** TiDB user (TiDB Cloud Starter users carry a prefix: `<prefix>.root`). */
  readonly user?: string;
  readonly showPassword?: boolean;
  /** Default true (false when the PostgreSQL URL says sslmode=disable). */
  readonly tls?: boolean;
}

export interface Mysql2Config {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database?: string;
  readonly ssl?: { readonly caPath?: string; readonly minVersion: 'TLSv1.2'; readonly rejectUnauthorized: boolean; readonly verifyIdentity: boolean };
  readonly waitForConnections: true;
  readonly connectionLimit: number;
  readonly maxIdle: number;
  readonly idleTimeout: number;
  readonly enableKeepAlive: true;
  readonly keepAliveInitialDelay: number;
}

export interface ServiceUrls {
  readonly database: string;
  readonly sqlalchemy: string;
  readonly mysql2: { readonly text: string; readonly config: Mysql2Config };
  readonly serverless: string;
}

export interface TidbUrls extends ServiceUrls {
  /** SQLAlchemy `create_engine` pool settings for TiDB Cloud Starter (Python source text). */
  readonly poolSnippet: string;
  /** One entry per `databases` service. */
  readonly services: Readonly<Record<string, ServiceUrls>>;
  readonly warnings: readonly string[];
}

export class UrlError extends Error {}

/** Where TiDB Cloud's docs point PyMySQL on Debian/Ubuntu; macOS uses /etc/ssl/cert.pem. */
export const DEFAULT_CA_PATH = '/etc/ssl/certs/ca-certificates.crt';
export const MASK = '****';

/** Pool numbers, from tidb.md §6.4: idle connections cut after 340 s, any connection after 30 min. */
export const POOL = { recycleSeconds: 300, idleTimeoutMs: 300_000, poolSize: 10, maxOverflow: 10, timeoutSeconds: 30 } as const;

const SCHEMES = /^(postgresql|postgres)(\+[a-z0-9_]+)?:$/i;

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new UrlError(`invalid percent-encoding in the ${what} of the PostgreSQL URL`);
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

interface Parsed {
  user?: string;
  password?: string;
  host?: string;
  database?: string;
  sslmode?: string;
}

function parsePgUrl(text: string): Parsed {
  const trimmed = text.trim();
  const scheme = /^[^:/?#]+:/.exec(trimmed)?.[0];
  if (!scheme || !SCHEMES.test(scheme)) {
    throw new UrlError(`not a PostgreSQL URL: expected postgresql://, postgresql+<driver>:// or postgres://, got ${JSON.stringify(scheme ?? trimmed.slice(0, 20))}`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UrlError('invalid PostgreSQL URL: it does not parse as a URL (characters such as @ : / in the password must be percent-encoded)');
  }
  if (!trimmed.slice(scheme.length).startsWith('//')) throw new UrlError('invalid PostgreSQL URL: expected // after the scheme');
  if (url.hostname.includes(',')) throw new UrlError('PostgreSQL URLs with several hosts are not supported: give one TiDB host with --host');
  const q = url.searchParams;
  const out: Parsed = {};
  const user = url.username ? decode(url.username, 'user name') : q.get('user') ?? undefined;
  const password = url.password ? decode(url.password, 'password') : q.get('password') ?? undefined;
  const host = url.hostname ? decode(url.hostname, 'host') : q.get('host') ?? undefined;
  const path = url.pathname.replace(/^\//, '');
  const database = path ? decode(path, 'database name') : q.get('dbname') ?? undefined;
  if (user) out.user = user;
  if (password !== undefined && password !== '') out.password = password;
  if (host && !host.startsWith('/')) out.host = host;
  if (database) out.database = database;
  const sslmode = q.get('sslmode') ?? q.get('ssl') ?? undefined;
  if (sslmode) out.sslmode = sslmode.toLowerCase();
  return out;
}

const enc = encodeURIComponent;

function userinfo(user: string, password: string | undefined, show: boolean): string {
  if (password === undefined) return `${enc(user)}@`;
  return `${enc(user)}:${show ? enc(password) : MASK}@`;
}

function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function jsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

interface Resolved {
  user: string;
  password: string | undefined;
  host: string;
  port: number;
  tls: boolean;
  verifyCert: boolean;
  verifyIdentity: boolean;
  caPath: string | undefined;
  show: boolean;
}

function serviceUrls(r: Resolved, database: string): ServiceUrls {
  const auth = userinfo(r.user, r.password, r.show);
  const dbPath = database ? `/${enc(database)}` : '/';
  // SQLAlchemy + PyMySQL: PyMySQL verifies nothing without a CA file, so one is always named when verifying.
  const params: string[] = [];
  if (r.tls) {
    const ca = r.caPath ?? (r.verifyCert ? DEFAULT_CA_PATH : undefined);
    if (ca) params.push(`ssl_ca=${enc(ca)}`);
    // PyMySQL reads the string: "true"/"false" both work for verify_cert; verify_identity is bool(), so it is only ever written as true.
    params.push(`ssl_verify_cert=${r.verifyCert ? 'true' : 'false'}`);
    if (r.verifyIdentity) params.push('ssl_verify_identity=true');
  }
  params.push('charset=utf8mb4');
  const sqlalchemy = `mysql+pymysql://${auth}${hostPart(r.host)}:${r.port}${dbPath}?${params.join('&')}`;

  const passwordShown = r.password === undefined ? undefined : r.show ? r.password : MASK;
  const config: Mysql2Config = {
    host: r.host,
    port: r.port,
    user: r.user,
    ...(passwordShown !== undefined ? { password: passwordShown } : {}),
    ...(database ? { database } : {}),
    ...(r.tls ? { ssl: { ...(r.caPath ? { caPath: r.caPath } : {}), minVersion: 'TLSv1.2' as const, rejectUnauthorized: r.verifyCert, verifyIdentity: r.verifyIdentity } } : {}),
    waitForConnections: true,
    connectionLimit: POOL.poolSize,
    maxIdle: POOL.poolSize,
    idleTimeout: POOL.idleTimeoutMs,
    enableKeepAlive: true,
    keepAliveInitialDelay: 0,
  };
  const lines = [
    `createPool({`,
    `  host: ${jsString(r.host)},`,
    `  port: ${r.port},`,
    `  user: ${jsString(r.user)},`,
    ...(passwordShown !== undefined ? [`  password: ${jsString(passwordShown)},`] : []),
    ...(database ? [`  database: ${jsString(database)},`] : []),
    ...(r.tls
      ? [
          `  ssl: {`,
          ...(r.caPath ? [`    ca: fs.readFileSync(${jsString(r.caPath)}),`] : []),
          `    minVersion: 'TLSv1.2',`,
          `    rejectUnauthorized: ${r.verifyCert},`,
          ...(r.verifyCert && !r.verifyIdentity ? ['    checkServerIdentity: () => undefined,'] : []),
          `  },`,
        ]
      : []),
    `  waitForConnections: true,`,
    `  connectionLimit: ${POOL.poolSize},`,
    `  maxIdle: ${POOL.poolSize},`,
    `  // TiDB Cloud Starter closes idle connections after 340 s (tidb.md §6.4): release them first`,
    `  idleTimeout: ${POOL.idleTimeoutMs},`,
    `  enableKeepAlive: true,`,
    `  keepAliveInitialDelay: 0,`,
    `})`,
  ];
  // @tidbcloud/serverless: connect({ url: 'mysql://[username]:[password]@[host]/[database]' }), over HTTPS (no port, no TLS options).
  const serverless = `mysql://${auth}${hostPart(r.host)}${dbPath === '/' ? '' : dbPath}`;
  return { database, sqlalchemy, mysql2: { text: lines.join('\n'), config }, serverless };
}

function poolSnippet(): string {
  return [
    '# TiDB Cloud Starter (tidb.md §6.4): TLS required, idle connections closed after 340 s,',
    '# any connection may be cut after 30 minutes, 400 concurrent connections per instance.',
    'engine = create_engine(',
    '    TIDB_URL,',
    `    pool_recycle=${POOL.recycleSeconds},  # below both the 340 s idle cut and the 30-minute connection cut`,
    '    pool_pre_ping=True,  # replace connections the server closed while idle',
    `    pool_size=${POOL.poolSize},`,
    `    max_overflow=${POOL.maxOverflow},  # keep pool_size + max_overflow per process well under 400`,
    `    pool_timeout=${POOL.timeoutSeconds},`,
    ')',
  ].join('\n');
}

/** The TiDB connection settings for a PostgreSQL URL. Throws UrlError for bad input. */
export function tidbUrls(pgUrl: string, options: TidbUrlOptions = {}): TidbUrls {
  const src = parsePgUrl(pgUrl);
  const warnings: string[] = [];
  const host = options.host?.trim() || src.host;
  if (!host) throw new UrlError('no TiDB host: the PostgreSQL URL names none; pass --host');
  if (!options.host) warnings.push(`the TiDB host was taken from the PostgreSQL URL (${host}); pass --host with the TiDB endpoint`);
  if (/[\s/?#@]/.test(host)) throw new UrlError(`invalid host ${JSON.stringify(host)}`);
  const port = options.port ?? 4000;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UrlError(`invalid port ${String(port)}: expected 1..65535`);
  const user = options.user ?? src.user;
  if (!user) throw new UrlError('no user: the PostgreSQL URL names none; pass --user');
  if (/tidbcloud\.com$/i.test(host) && !user.includes('.')) {
    warnings.push(`TiDB Cloud Starter user names carry the instance prefix ("<prefix>.${user}"); pass --user`);
  }
  const verifyCert = options.verifyCert ?? true;
  if (options.verifyIdentity === true && !verifyCert) throw new UrlError('verifying the server identity needs certificate verification: drop --no-verify-cert or add --no-verify-identity');
  const verifyIdentity = options.verifyIdentity ?? verifyCert;
  const tls = options.tls ?? !(src.sslmode === 'disable' || src.sslmode === 'false' || src.sslmode === '0');
  if (!tls && !isLoopback(host)) {
    throw new UrlError(`refusing to send credentials to ${host} without TLS: only loopback hosts may connect without TLS (TiDB Cloud Starter requires TLS)`);
  }
  if (tls && !verifyCert) warnings.push('certificate verification is off: the connection is encrypted but the server is not authenticated');
  const resolved: Resolved = { user, password: src.password, host, port, tls, verifyCert, verifyIdentity, caPath: options.caPath, show: options.showPassword ?? false };
  const database = options.database ?? src.database ?? '';
  if (!database) warnings.push('no database: the URLs connect without a default database');
  const main = serviceUrls(resolved, database);
  const services: Record<string, ServiceUrls> = {};
  for (const [service, db] of Object.entries(options.databases ?? {})) {
    if (!db) throw new UrlError(`empty database name for service ${service}`);
    services[service] = serviceUrls(resolved, db);
  }
  return { ...main, poolSnippet: poolSnippet(), services, warnings };
}
