// The live source URL of data --from and verify --source: libpq's sslmode read with the project's
// TLS rules (loopback in the clear, any other host verified unless asked otherwise, no password in
// the clear to another host), percent-encoding decoded once, and the password never shown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPostgresUrl, maskSource, sourceOptions } from '../src/data/pg-url.js';

const dir = mkdtempSync(join(tmpdir(), 'pg2tidb-pg-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--from postgres:// URLs', () => {
  it('reads host, port, user, password and database, decoded once', () => {
    expect(sourceOptions('postgresql://app%40x:p%40ss%2Fw@127.0.0.1:6543/sa%20kila')).toEqual({ host: '127.0.0.1', port: 6543, user: 'app@x', password: 'p@ss/w', database: 'sa kila', upgrade: true, shown: 'postgresql://app%40x:****@127.0.0.1:6543/sa%20kila' });
    expect(sourceOptions('postgres://localhost/db')).toMatchObject({ host: 'localhost', port: 5432, database: 'db' });
    expect(sourceOptions('postgresql+psycopg2://u@[::1]/db').host).toBe('::1');
    expect(sourceOptions('postgres://h.example.com/db?user=u&password=pw&sslmode=require')).toMatchObject({ user: 'u', password: 'pw' });
  });

  it('TLS: loopback in the clear without sslmode, any other host verified; sslmode as libpq reads it', () => {
    expect(sourceOptions('postgres://u:pw@127.0.0.1/db').ssl).toBeUndefined();
    expect(sourceOptions('postgres://u:pw@db.example.com/db').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
    expect(sourceOptions('postgres://u@db.example.com/db?sslmode=require').ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(sourceOptions('postgres://u@db.example.com/db?sslmode=verify-ca').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: false });
    expect(sourceOptions('postgres://u@db.example.com/db?sslmode=verify-full').ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: true });
    expect(sourceOptions('postgres://u@localhost/db?sslmode=prefer').ssl).toBeUndefined();
    expect(sourceOptions('postgres://u@db.example.com/db?sslmode=prefer').ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(sourceOptions('postgres://u@localhost/db?sslmode=require').ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(sourceOptions('postgres://u@db.example.com/db?sslmode=disable').ssl).toBeUndefined();
    // A loopback host in the clear may still be upgraded to TLS if its server refuses the clear (libpq's prefer); never with disable or a socket.
    expect(['postgres://u@127.0.0.1/db', 'postgres://u@localhost/db?sslmode=prefer', 'postgres://u@localhost/db?sslmode=allow'].map((u) => sourceOptions(u).upgrade)).toEqual([true, true, true]);
    expect(['postgres://u@localhost/db?sslmode=disable', 'postgres:///db?host=/run/postgresql', 'postgres://u@db.example.com/db?sslmode=prefer'].map((u) => sourceOptions(u).upgrade)).toEqual([undefined, undefined, undefined]);
    // A Unix socket directory is local, as libpq treats it.
    expect(sourceOptions('postgres:///db?host=/run/postgresql')).toMatchObject({ host: '/run/postgresql', database: 'db' });
    expect(sourceOptions('postgres:///db?host=/run/postgresql&user=u&password=pw')).toMatchObject({ host: '/run/postgresql', user: 'u', password: 'pw' });
    expect(sourceOptions('postgres:///db?host=/run/postgresql&user=u&password=pw').ssl).toBeUndefined();
  });

  it('reads sslrootcert, sslcert and sslkey as files; a root certificate makes require check the chain', () => {
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, 'CA PEM');
    expect(sourceOptions(`postgres://u@db.example.com/db?sslmode=require&sslrootcert=${ca}`).ssl).toEqual({ rejectUnauthorized: true, verifyIdentity: false, ca: 'CA PEM' });
    expect(() => sourceOptions(`postgres://u:secret@db.example.com/db?sslrootcert=${join(dir, 'missing.pem')}`)).toThrow(/sslrootcert=.*cannot read the file/);
  });

  it('refuses a password in the clear to another host, an unknown sslmode and other schemes', () => {
    expect(() => sourceOptions('postgres://u:pw@db.example.com/db?sslmode=disable')).toThrow(/refusing to send a password without TLS to db.example.com/);
    expect(sourceOptions('postgres://u:pw@localhost/db?sslmode=disable').password).toBe('pw');
    expect(() => sourceOptions('postgres://u:secret@localhost/db?sslmode=maybe')).toThrow(/sslmode must be one of/);
    expect(() => sourceOptions('mysql://u@h/db')).toThrow(/postgres:\/\//);
    for (const bad of ['postgres://u:secret@localhost/db?sslmode=maybe', 'postgres://u:secret@db.example.com/db?sslmode=disable']) {
      try {
        sourceOptions(bad);
      } catch (e) {
        expect((e as Error).message).not.toContain('secret');
      }
    }
  });

  it('masks the password in the userinfo and in password=, and tells URLs from paths', () => {
    expect(maskSource('postgres://u:secret@h:5432/db')).toBe('postgres://u:****@h:5432/db');
    expect(maskSource('postgres://u@h/db?sslmode=require&password=secret')).toBe('postgres://u@h/db?sslmode=require&password=****');
    expect(maskSource('cannot connect to postgres://u:secret@h/db: refused')).not.toContain('secret');
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql+psycopg2://h/db')).toBe(true);
    expect(isPostgresUrl('dump/postgres.sql')).toBe(false);
    expect(isPostgresUrl('mysql://h/')).toBe(false);
  });
});
