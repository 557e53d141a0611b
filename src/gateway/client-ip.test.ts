import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainIp, TrustedProxies } from './client-ip.ts';

describe('TrustedProxies', () => {
  const t = new TrustedProxies(['10.0.0.0/8', '::1', '2001:db8::/32']);
  const cases: Array<[peer: string, xff: string | undefined, want: string]> = [
    ['198.51.100.1', '1.2.3.4', '198.51.100.1'],
    ['10.1.2.3', undefined, '10.1.2.3'],
    ['10.1.2.3', '1.2.3.4', '1.2.3.4'],
    ['10.1.2.3', '1.2.3.4, 10.9.9.9', '1.2.3.4'],
    ['10.1.2.3', '6.6.6.6, 1.2.3.4, 10.9.9.9', '1.2.3.4'],
    ['10.1.2.3', '10.5.5.5, 10.9.9.9', '10.5.5.5'],
    ['10.1.2.3', 'garbage, 1.2.3.4', '1.2.3.4'],
    ['10.1.2.3', 'garbage', '10.1.2.3'],
    ['::1', '2001:db8::5, 5.6.7.8', '5.6.7.8'],
    ['::ffff:10.0.0.1', '7.7.7.7', '7.7.7.7'],
  ];
  for (const [peer, xff, want] of cases) {
    it(`${peer} with X-Forwarded-For ${xff} is ${want}`, () => assert.equal(t.clientIp(peer, xff), want));
  }
  it('trusts no one when empty', () => {
    assert.equal(new TrustedProxies([]).clientIp('10.0.0.1', '1.2.3.4'), '10.0.0.1');
    assert.equal(plainIp('::ffff:127.0.0.1'), '127.0.0.1');
  });
});
