// The gateway's TLS: a self-signed certificate generated into data/certs and reused, SNI choosing a site's
// certificate, certificate files re-read when they change, and TLS 1.2 as the floor.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type PeerCertificate, connect as tlsConnect } from 'node:tls';
import { generateSelfSigned } from '../src/gateway/index.ts';
import { type Backend, get, metric, startBackend, startGateway } from './support/gateway.ts';

function peerCert(
  port: number,
  servername: string | undefined,
  options: { maxVersion?: 'TLSv1.1' } = {},
): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      ...(servername ? { servername } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion, minVersion: 'TLSv1' as const } : {}),
    });
    s.once('secureConnect', () => {
      resolve(s.getPeerCertificate());
      s.destroy();
    });
    s.once('error', reject);
  });
}

describe('gateway TLS', () => {
  let backend: Backend;
  let dir: string;
  before(async () => {
    backend = await startBackend();
    dir = mkdtempSync(join(tmpdir(), 'vigil-gw-tls-'));
  });
  after(async () => {
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates a self-signed certificate into data/certs on first start and reuses it', async () => {
    const dataDir = join(dir, 'data');
    const yaml = [
      '  sites:',
      '    - hosts: [app.test, www.app.test]',
      `      upstreams: [{ url: '${backend.url}' }]`,
    ].join('\n');
    const first = await startGateway(yaml, { dataDir });
    let fingerprint: string;
    try {
      const file = join(dataDir, 'certs', 'app.test.crt');
      const x = new X509Certificate(readFileSync(file));
      assert.equal(x.subjectAltName, 'DNS:app.test, DNS:www.app.test');
      assert.equal((statSync(join(dataDir, 'certs', 'app.test.key')).mode & 0o777).toString(8), '600');
      fingerprint = x.fingerprint256;
      assert.equal((await peerCert(first.port, 'app.test')).fingerprint256, fingerprint);
      assert.ok(first.logs.some((l) => l.includes('generated a self-signed certificate')));
      const expiry = await metric(first.registry, 'vigil_gateway_certificate_expiry_timestamp_seconds', {
        site: 'app.test',
        self_signed: 'true',
      });
      assert.equal(expiry, Date.parse(x.validTo) / 1000);
      assert.equal((await get(first.port, '/')).status, 200);
    } finally {
      await first.close();
    }
    const second = await startGateway(yaml, { dataDir });
    try {
      assert.equal((await peerCert(second.port, 'app.test')).fingerprint256, fingerprint);
      assert.ok(!second.logs.some((l) => l.includes('generated a self-signed certificate')));
      assert.ok(second.logs.some((l) => l.includes('serving a self-signed certificate')));
    } finally {
      await second.close();
    }
  });

  it('selects the certificate by SNI and re-reads certificate files when they change', async () => {
    const a = generateSelfSigned(['a.test']);
    const certFile = join(dir, 'a.crt');
    const keyFile = join(dir, 'a.key');
    writeFileSync(certFile, a.cert);
    writeFileSync(keyFile, a.key);
    const gw = await startGateway(
      [
        '  sites:',
        '    - hosts: [a.test]',
        `      tls: { cert_file: '${certFile}', key_file: '${keyFile}' }`,
        `      upstreams: [{ url: '${backend.url}' }]`,
        '    - hosts: [b.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
      { dataDir: join(dir, 'data2') },
    );
    try {
      const fa = new X509Certificate(a.cert).fingerprint256;
      assert.equal((await peerCert(gw.port, 'a.test')).fingerprint256, fa);
      assert.equal((await peerCert(gw.port, 'b.test')).subjectaltname, 'DNS:b.test');
      assert.equal((await peerCert(gw.port, undefined)).fingerprint256, fa, 'no SNI: the first site');
      assert.equal((await get(gw.port, '/', { servername: 'b.test' })).status, 200);

      const renewed = generateSelfSigned(['a.test']);
      writeFileSync(certFile, renewed.cert);
      writeFileSync(keyFile, renewed.key);
      gw.gateway.refreshCertificates();
      const fr = new X509Certificate(renewed.cert).fingerprint256;
      assert.equal((await peerCert(gw.port, 'a.test')).fingerprint256, fr);
      assert.equal((await peerCert(gw.port, undefined)).fingerprint256, fr);

      writeFileSync(certFile, 'not a certificate');
      gw.gateway.refreshCertificates();
      assert.equal((await peerCert(gw.port, 'a.test')).fingerprint256, fr, 'a broken file keeps the old one');
      assert.ok(gw.logs.some((l) => l.includes('cannot reload certificate')));
    } finally {
      await gw.close();
    }
  });

  it('refuses TLS 1.1', async () => {
    const gw = await startGateway(
      ['  sites:', '    - hosts: [app.test]', `      upstreams: [{ url: '${backend.url}' }]`].join('\n'),
      { dataDir: join(dir, 'data3') },
    );
    try {
      await assert.rejects(peerCert(gw.port, 'app.test', { maxVersion: 'TLSv1.1' }));
    } finally {
      await gw.close();
    }
  });
});
