// The target URL of pg2tidb verify: TLS on by default except on loopback, the pymysql parameters
// pg2tidb url prints read the same way, no password in the clear to another host, and masking.
import { describe, expect, it } from 'vitest';
import { maskUrl, targetOptions, tlsFailure } from '../src/verify/target-url.js';

describe('verify --target', () => {
  it('loopback without TLS parameters connects in the clear; another host gets verified TLS', () => {
    expect(targetOptions('mysql://root@127.0.0.1:4001/').ssl).toBeUndefined();
    expect(targetOptions('mysql://u:p%40ss@tidb.example.com/app')).toEqual({ host: 'tidb.example.com', port: 4000, user: 'u', password: 'p@ss', database: 'app', ssl: { rejectUnauthorized: true, minVersion: 'TLSv1.2', verifyIdentity: true } });
  });
  it("reads pg2tidb url's mysql+pymysql parameters", () => {
    const o = targetOptions('mysql+pymysql://u:pw@127.0.0.1:4000/app?ssl_verify_cert=false&charset=utf8mb4');
    expect(o.ssl).toEqual({ rejectUnauthorized: false, minVersion: 'TLSv1.2', verifyIdentity: false });
  });
  it('refuses a password in the clear to another host, and other schemes', () => {
    expect(() => targetOptions('mysql://u:pw@tidb.example.com/?ssl_mode=disabled')).toThrow(/refusing to send a password without TLS/);
    expect(targetOptions('mysql://u:pw@localhost/?ssl_mode=disabled').ssl).toBeUndefined();
    expect(() => targetOptions('postgres://u:pw@h/db')).toThrow(/mysql:\/\//);
  });
  it('masks the password', () => {
    expect(maskUrl('mysql://u:secret@h:4000/db')).toBe('mysql://u:****@h:4000/db');
    expect(maskUrl('not a url //u:secret@h')).not.toContain('secret');
  });
});

describe('verify --target TLS failures', () => {
  it("names what Node's TLS refusal means for ssl_ca and ssl_verify_identity", () => {
    expect(tlsFailure(new Error('unable to verify the first certificate'))).toBe('the server certificate is not signed by a CA in ssl_ca');
    expect(tlsFailure(new Error("Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list: 127.0.0.1"))).toMatch(/another host/);
    expect(tlsFailure(new Error('self-signed certificate in certificate chain'))).toMatch(/not in ssl_ca/);
    expect(tlsFailure(new Error("Access denied for user 'app'"))).toBeUndefined();
  });
});
