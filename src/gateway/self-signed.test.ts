import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { integer, oid, time } from './der.ts';
import { generateSelfSigned } from './self-signed.ts';

describe('DER writer', () => {
  const cases: Array<[name: string, got: Buffer, hex: string]> = [
    ['INTEGER 2', integer(2), '020102'],
    ['INTEGER with the high bit set', integer(Buffer.from([0x80])), '02020080'],
    ['INTEGER without leading zeros', integer(Buffer.from([0, 0, 1])), '020101'],
    ['OID commonName', oid('2.5.4.3'), '0603550403'],
    ['OID ecdsa-with-SHA256', oid('1.2.840.10045.4.3.2'), '06082a8648ce3d040302'],
    ['UTCTime', time(new Date('2030-01-02T03:04:05Z')), `170d${Buffer.from('300102030405Z').toString('hex')}`],
    [
      'GeneralizedTime from 2050',
      time(new Date('2050-01-01T00:00:00Z')),
      `180f${Buffer.from('20500101000000Z').toString('hex')}`,
    ],
  ];
  for (const [name, got, hex] of cases) it(name, () => assert.equal(got.toString('hex'), hex));
});

describe('generateSelfSigned', () => {
  it('makes a verifiable certificate for DNS names and IP addresses', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { cert, key } = generateSelfSigned(['app.test', '*.app.test', '127.0.0.1', '::1'], now, 30);
    const x = new X509Certificate(cert);
    assert.equal(x.subject, 'CN=app.test');
    assert.equal(x.subjectAltName, 'DNS:app.test, DNS:*.app.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.ok(x.verify(x.publicKey));
    assert.ok(x.checkPrivateKey(createPrivateKey(key)));
    assert.equal(Date.parse(x.validTo), now.getTime() + 30 * 86_400_000);
    assert.ok(x.checkHost('www.app.test'));
  });
});
