/** `pg2tidb url <postgres-url> [options]`: prints the TiDB connection settings (src/connection/url.ts). */
import { parseArgs } from 'node:util';
import { tidbUrls, UrlError, type ServiceUrls, type TidbUrlOptions } from '../connection/url.js';
import type { CliIo } from './io.js';

export const URL_HELP = `Usage: pg2tidb url <postgres-url> [options]

Prints the TiDB connection settings for a PostgreSQL URL: SQLAlchemy (PyMySQL), a mysql2 pool,
@tidbcloud/serverless, and the pool settings TiDB Cloud Starter needs.

Options:
      --host <host>          TiDB host (default: the PostgreSQL URL's host)
      --port <n>             TiDB port (default 4000)
      --user <name>          TiDB user (TiDB Cloud Starter: "<prefix>.root")
      --database <name>      database (default: the PostgreSQL URL's database)
      --service <svc=db>     one database per service (repeatable)
      --ca <path>            CA bundle for certificate verification
      --no-verify-cert       encrypt without verifying the certificate
      --no-verify-identity   verify the certificate but not the host name
      --no-tls               no TLS (loopback hosts only)
      --show-password        print the password instead of ****
      --json                 print JSON
  -h, --help                 this help
`;

function printService(out: string[], label: string, s: ServiceUrls): void {
  out.push(`${label}SQLAlchemy (PyMySQL):`, `  ${s.sqlalchemy}`, '');
  out.push(`${label}mysql2:`, ...s.mysql2.text.split('\n').map((l) => `  ${l}`), '');
  out.push(`${label}@tidbcloud/serverless:`, `  connect({ url: '${s.serverless}' })`, '');
}

export async function runUrl(argv: readonly string[], io: CliIo): Promise<number> {
  const err = (s: string) => io.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        user: { type: 'string' },
        database: { type: 'string' },
        service: { type: 'string', multiple: true },
        ca: { type: 'string' },
        'no-verify-cert': { type: 'boolean' },
        'no-verify-identity': { type: 'boolean' },
        'no-tls': { type: 'boolean' },
        'show-password': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`pg2tidb url: ${(e as Error).message}\n\n${URL_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(URL_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    err(`pg2tidb url: give exactly one PostgreSQL URL\n\n${URL_HELP}`);
    return 2;
  }
  const options: { -readonly [K in keyof TidbUrlOptions]: TidbUrlOptions[K] } = {};
  if (values.host !== undefined) options.host = values.host;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port)) {
      err(`pg2tidb url: --port must be a number, not "${values.port}"`);
      return 2;
    }
    options.port = Number(values.port);
  }
  if (values.user !== undefined) options.user = values.user;
  if (values.database !== undefined) options.database = values.database;
  if (values.ca !== undefined) options.caPath = values.ca;
  if (values['no-verify-cert']) options.verifyCert = false;
  if (values['no-verify-identity']) options.verifyIdentity = false;
  if (values['no-tls']) options.tls = false;
  if (values['show-password']) options.showPassword = true;
  if (values.service) {
    const databases: Record<string, string> = {};
    for (const entry of values.service) {
      const eq = entry.indexOf('=');
      if (eq <= 0 || eq === entry.length - 1) {
        err(`pg2tidb url: --service takes <service>=<database>, not "${entry}"`);
        return 2;
      }
      databases[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    options.databases = databases;
  }
  let urls;
  try {
    urls = tidbUrls(positionals[0]!, options);
  } catch (e) {
    if (e instanceof UrlError) {
      err(`pg2tidb url: ${e.message}`);
      return 2;
    }
    throw e;
  }
  for (const w of urls.warnings) err(`warning: ${w}`);
  if (values.json) {
    io.stdout.write(`${JSON.stringify(urls, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  printService(out, '', urls);
  for (const [service, s] of Object.entries(urls.services)) printService(out, `[${service}] `, s);
  out.push('SQLAlchemy pool settings:', ...urls.poolSnippet.split('\n').map((l) => `  ${l}`), '');
  io.stdout.write(out.join('\n'));
  return 0;
}
