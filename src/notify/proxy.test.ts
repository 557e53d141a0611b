import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bypasses, proxyAuthorization, proxyFor } from './proxy.ts';

describe('proxy selection', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://hooks.slack.com/x', '*', true],
    ['https://hooks.slack.com/x', 'slack.com', true],
    ['https://slack.com/x', 'slack.com', true],
    ['https://slack.com/x', '.slack.com', false],
    ['https://hooks.slack.com/x', '.slack.com', true],
    ['https://hooks.slack.com/x', '*.slack.com', true],
    ['https://notslack.com/x', 'slack.com', false],
    ['http://10.1.2.3:8080/x', '10.0.0.0/8', true],
    ['http://11.1.2.3/x', '10.0.0.0/8', false],
    ['http://[::1]:9/x', '::1', true],
    ['http://[::1]:9/x', '[::1]:9', true],
    ['http://[::1]:9/x', '[::1]:10', false],
    ['http://mail.local:8025/x', 'mail.local:8025', true],
    ['http://mail.local/x', 'mail.local:8025', false],
    ['https://a.example/x', ' b.example , a.example ', true],
  ];
  for (const [target, noProxy, want] of cases)
    it(`${target} with NO_PROXY=${JSON.stringify(noProxy)}: ${want ? 'direct' : 'proxied'}`, () =>
      assert.equal(bypasses(new URL(target), noProxy), want));

  it('takes the environment per scheme and never proxies loopback from it', () => {
    const env = { HTTPS_PROXY: 'http://sp:3128', http_proxy: 'hp:3128', NO_PROXY: 'internal' };
    const p = { url: 'environment' };
    assert.equal(proxyFor(new URL('https://h/x'), p, env)?.host, 'sp:3128');
    assert.equal(proxyFor(new URL('http://h/x'), p, env)?.host, 'hp:3128');
    assert.equal(proxyFor(new URL('http://a.internal/x'), p, env), undefined);
    assert.equal(proxyFor(new URL('http://localhost:9/x'), p, env), undefined);
    assert.equal(proxyFor(new URL('http://h/x'), p, {}), undefined);
    assert.equal(proxyFor(new URL('http://h/x'), undefined, env), undefined);
  });

  it('sends Basic credentials from the proxy URL', () => {
    assert.equal(proxyAuthorization(new URL('http://u%40x:p@h:1')), `Basic ${Buffer.from('u@x:p').toString('base64')}`);
    assert.equal(proxyAuthorization(new URL('http://h:1')), undefined);
  });
});
