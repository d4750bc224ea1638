/**
 * The TiDB target of verify: a `mysql://` URL, or the `mysql+pymysql://` URL `pg2tidb url` prints
 * (its `ssl_ca`, `ssl_verify_cert`, `ssl_verify_identity` parameters read the same way), as mysql2
 * connection options. TLS follows src/connection/url.ts: on unless asked off (`ssl_mode=disabled`),
 * except that a loopback host without TLS parameters connects in the clear; credentials in the
 * clear to another host are refused. The URL is only ever shown with its password as `****`.
 */
import { readFileSync } from 'node:fs';
import { isLoopback, MASK, UrlError } from '../connection/url.js';

export interface TargetOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database?: string;
  readonly ssl?: { readonly ca?: string; readonly rejectUnauthorized: boolean; readonly minVersion: 'TLSv1.2'; readonly verifyIdentity: boolean };
}

/**
 * Node's TLS verification failures, by the message mysql2 passes on (it wraps them as
 * HANDSHAKE_SSL_ERROR, keeping only the text), with what they mean for the URL's parameters.
 */
const TLS_FAILURES: readonly (readonly [RegExp, string])[] = [
  [/unable to verify the first certificate|unable to get local issuer certificate/i, 'the server certificate is not signed by a CA in ssl_ca'],
  [/self[- ]signed certificate in certificate chain/i, 'the server certificate chains to a CA that is not in ssl_ca'],
  [/self[- ]signed certificate/i, 'the server certificate is self-signed and not in ssl_ca'],
  [/certificate has expired/i, 'the server certificate has expired'],
  [/does not match certificate's altnames/i, 'the server certificate names another host (ssl_verify_identity)'],
];

/** Why a TLS connection was refused, in the URL's terms, or undefined for another error. */
export function tlsFailure(e: unknown): string | undefined {
  const message = e instanceof Error ? e.message : String(e);
  return TLS_FAILURES.find(([re]) => re.test(message))?.[1];
}

export function maskUrl(text: string): string {
  try {
    const u = new URL(text);
    if (u.password) u.password = MASK;
    return u.toString();
  } catch {
    return text.replace(/(\/\/[^:/@]*:)[^@]*@/, `$1${MASK}@`);
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);

export function targetOptions(text: string): TargetOptions {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UrlError(`--target is not a URL: ${maskUrl(text)}`);
  }
  if (!/^(mysql|mysql\+pymysql|tidb):$/.test(u.protocol)) throw new UrlError(`--target must be a mysql:// URL (as pg2tidb url prints), not ${u.protocol}//...`);
  const q = u.searchParams;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const mode = (q.get('ssl_mode') ?? q.get('ssl-mode') ?? q.get('sslmode') ?? '').toLowerCase();
  const asked = [...q.keys()].some((k) => /^ssl/.test(k));
  const tls = mode === 'disabled' || mode === 'disable' || q.get('ssl') === 'false' ? false : asked || !isLoopback(host);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  if (!tls && password && !isLoopback(host)) throw new UrlError(`refusing to send a password without TLS to ${host}: drop ssl_mode=disabled`);
  const verifyCert = q.has('ssl_verify_cert') ? TRUE.has(q.get('ssl_verify_cert')!.toLowerCase()) : true;
  const verifyIdentity = q.has('ssl_verify_identity') ? TRUE.has(q.get('ssl_verify_identity')!.toLowerCase()) : verifyCert;
  const caPath = q.get('ssl_ca') ?? undefined;
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host,
    port: u.port ? Number(u.port) : 4000,
    user: decodeURIComponent(u.username || 'root'),
    ...(password !== undefined ? { password } : {}),
    ...(database ? { database } : {}),
    ...(tls ? { ssl: { ...(caPath ? { ca: readFileSync(caPath, 'utf8') } : {}), rejectUnauthorized: verifyCert, minVersion: 'TLSv1.2' as const, verifyIdentity } } : {}),
  };
}
