/**
 * The live PostgreSQL source of `pg2tidb data --from` and `verify --source`: a `postgres://` or
 * `postgresql://` URL (libpq's form; `postgresql+psycopg2://` as SQLAlchemy writes it) as `pg`
 * client options. TLS follows libpq's `sslmode` (`sslrootcert`, `sslcert`, `sslkey` read as files),
 * with the rules of src/connection/url.ts and the verify target: without `sslmode`, a loopback host
 * connects in the clear (over TLS if its server refuses the clear) and any other host gets verified TLS; credentials in the clear to a host
 * that is not loopback are refused. The URL is only ever shown with its password as `****`.
 */
import { readFileSync } from 'node:fs';
import { isLoopback, MASK, UrlError } from '../connection/url.js';
import { maskUrl } from '../verify/target-url.js';

/** The text with a URL's password masked, in the userinfo and in libpq's `password=` parameter. */
export function maskSource(text: string): string {
  return maskUrl(text).replace(/([?&]password=)[^&#\s]*/gi, `$1${MASK}`);
}

export interface SourceTls {
  readonly rejectUnauthorized: boolean;
  /** Certificate-name check (libpq's verify-full); off for require and verify-ca. */
  readonly verifyIdentity: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface SourceOptions {
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly ssl?: SourceTls;
  /**
   * In the clear first, then TLS without a check if the server refuses an unencrypted connection
   * (a loopback host without sslmode, or with prefer or allow: libpq would negotiate TLS there).
   */
  readonly upgrade?: boolean;
  /** The URL as it may be shown: password masked. */
  readonly shown: string;
}

/** True for the URLs `--from` and `verify --source` read as a live database rather than a path. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?(\+[a-z0-9]+)?:\/\//i.test(text);
}

/** libpq sslmode -> TLS or not, and how strictly the certificate is checked. */
interface TlsRule {
  readonly tls: boolean;
  readonly verify: boolean;
  readonly identity: boolean;
}
const CLEAR: TlsRule = { tls: false, verify: false, identity: false };
const SSLMODES: Readonly<Record<string, TlsRule | 'loopback-clear'>> = {
  disable: CLEAR,
  // allow and prefer fall back to the clear in libpq; pg has no fallback, so a loopback host goes in the clear and any other gets TLS without a check, as libpq would negotiate.
  allow: 'loopback-clear',
  prefer: 'loopback-clear',
  require: { tls: true, verify: false, identity: false },
  'verify-ca': { tls: true, verify: true, identity: false },
  'verify-full': { tls: true, verify: true, identity: true },
};

export function sourceOptions(text: string): SourceOptions {
  const shown = maskSource(text);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UrlError(`the source is not a URL: ${shown}`);
  }
  if (!/^postgres(ql)?(\+[a-z0-9]+)?:$/i.test(u.protocol)) throw new UrlError(`the source must be a postgres:// URL, not ${u.protocol}//...`);
  const q = u.searchParams;
  // libpq: a host= parameter (a Unix-socket directory, typically) wins over the URL's host.
  const host = q.get('host') || decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || 'localhost';
  // A Unix-socket directory (host=/run/postgresql) is local: libpq never uses TLS there.
  const local = host.startsWith('/') || isLoopback(host);
  const mode = (q.get('sslmode') ?? '').toLowerCase();
  const rule = mode === '' ? (local ? CLEAR : SSLMODES['verify-full']!) : SSLMODES[mode];
  if (rule === undefined) throw new UrlError(`sslmode must be one of ${Object.keys(SSLMODES).join(', ')}, not "${mode}" (in ${shown})`);
  const resolved: TlsRule = rule === 'loopback-clear' ? (local ? CLEAR : (SSLMODES['require'] as TlsRule)) : rule;
  const rootCert = q.get('sslrootcert') ?? undefined;
  // libpq: a root certificate given with sslmode=require checks the chain as verify-ca does.
  const tls: TlsRule = resolved.tls ? { ...resolved, verify: resolved.verify || (mode === 'require' && rootCert !== undefined) } : resolved;
  const password = u.password ? decodeURIComponent(u.password) : (q.get('password') ?? undefined);
  if (!tls.tls && password !== undefined && !local) throw new UrlError(`refusing to send a password without TLS to ${host}: drop sslmode=${mode || 'disable'}`);
  const file = (name: string): string | undefined => {
    const path = q.get(name);
    if (path === null) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new UrlError(`${name}=${path}: cannot read the file (in ${shown})`);
    }
  };
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || q.get('dbname') || undefined;
  const user = u.username ? decodeURIComponent(u.username) : (q.get('user') ?? undefined);
  let ssl: SourceTls | undefined;
  if (tls.tls) {
    const ca = file('sslrootcert');
    const cert = file('sslcert');
    const key = file('sslkey');
    ssl = { rejectUnauthorized: tls.verify, verifyIdentity: tls.identity, ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}) };
  }
  return {
    host,
    port: u.port ? Number(u.port) : Number(q.get('port') ?? 5432),
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(database !== undefined ? { database } : {}),
    ...(ssl ? { ssl } : {}),
    ...(!tls.tls && !host.startsWith('/') && local && ['', 'prefer', 'allow'].includes(mode) ? { upgrade: true } : {}),
    shown,
  };
}
