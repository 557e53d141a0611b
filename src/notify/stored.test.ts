import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Secret } from '../config/index.ts';
import { InvalidMessageError, UnsupportedSettingError } from './errors.ts';
import { checkHttpSettings, destinationOf, redact, secretsOf, toStored } from './stored.ts';

describe('toStored', () => {
  it('reveals secrets into the stored form and reduces http_config to a header and TLS options', () => {
    const s = toStored({
      kind: 'webhook',
      url: new Secret('https://hooks.example.org/abc?token=xyz'),
      body: { a: 1 },
      http: {
        basic_auth: { username: new Secret('u'), password: new Secret('p') },
        tls_config: { insecure_skip_verify: true, server_name: 'x' },
        follow_redirects: false,
      },
    });
    assert.equal(s.kind, 'webhook');
    assert.ok(s.kind === 'webhook');
    assert.equal(s.url, 'https://hooks.example.org/abc?token=xyz');
    assert.deepEqual(s.http, {
      authorization: `Basic ${Buffer.from('u:p').toString('base64')}`,
      tls: { insecureSkipVerify: true, serverName: 'x' },
      followRedirects: false,
    });
    assert.deepEqual(secretsOf(s).slice(0, 3), ['https://hooks.example.org/abc?token=xyz', '/abc', '?token=xyz']);
  });

  it('takes authorization and bearer_token, authorization first', () => {
    const a = toStored({
      kind: 'slack',
      url: 'http://h/x',
      body: { text: 't' },
      http: { authorization: { type: 'Token', credentials: new Secret('c') } },
    });
    assert.ok(a.kind === 'slack');
    assert.equal(a.http.authorization, 'Token c');
    const b = toStored({
      kind: 'slack',
      url: 'http://h/x',
      body: { text: 't' },
      http: { bearer_token: new Secret('b') },
    });
    assert.ok(b.kind === 'slack');
    assert.equal(b.http.authorization, 'Bearer b');
  });

  it('refuses what cannot be delivered', () => {
    const cases: Array<[string, () => unknown, new (...a: never[]) => Error, RegExp]> = [
      ['bad URL', () => toStored({ kind: 'slack', url: 'nope', body: { text: 'x' } }), InvalidMessageError, /url/],
      [
        'ftp URL',
        () => toStored({ kind: 'webhook', url: 'ftp://h/x', body: 1 }),
        InvalidMessageError,
        /not an http\(s\) URL/,
      ],
      [
        'proxy',
        () => toStored({ kind: 'webhook', url: 'http://h/x', body: 1, http: { proxy_url: 'socks5://proxy:1080' } }),
        UnsupportedSettingError,
        /unsupported http_config\.proxy_url: only http:\/\/ proxies are supported, not socks5:\/\//,
      ],
      [
        'array body for Slack',
        () => toStored({ kind: 'slack', url: 'http://h/x', body: [] as never }),
        InvalidMessageError,
        /JSON object/,
      ],
      [
        'no recipient',
        () =>
          toStored({ kind: 'email', smtp: { smarthost: { host: 'h', port: 25 } }, from: 'a@x', to: '', subject: 's' }),
        InvalidMessageError,
        /to: no recipient/,
      ],
      [
        'bad timeout',
        () => toStored({ kind: 'webhook', url: 'http://h/x', body: 1, timeoutMs: 0 }),
        InvalidMessageError,
        /timeoutMs/,
      ],
    ];
    for (const [name, f, cls, re] of cases)
      assert.throws(f, (e: unknown) => e instanceof cls && re.test(e.message), name);
  });

  it('names unsupported proxy settings', () => {
    assert.equal(checkHttpSettings(undefined), undefined);
    assert.equal(checkHttpSettings({ follow_redirects: true, enable_http2: true }), undefined);
    assert.equal(checkHttpSettings({ proxy_from_environment: true }), undefined);
    assert.equal(checkHttpSettings({ proxy_url: 'http://p:3128' }), undefined);
    assert.match(checkHttpSettings({ proxy_url: 'https://p:3128' }) ?? '', /^proxy_url: only http/);
  });

  it('keys destinations by URL, or by SMTP server and recipients, without the URL in clear', () => {
    const slack = (url: string) => destinationOf(toStored({ kind: 'slack', url, body: { text: 'x' } }));
    assert.equal(slack('http://h/a'), slack('http://h/a'));
    assert.notEqual(slack('http://h/a'), slack('http://h/b'));
    assert.doesNotMatch(slack('http://h/a'), /h\/a/);
    const mail = (to: string) =>
      destinationOf(
        toStored({ kind: 'email', smtp: { smarthost: { host: 'm', port: 25 } }, from: 'f@x', to, subject: 's' }),
      );
    assert.equal(mail('A@x, b@x'), mail('a@x,b@x'));
    assert.notEqual(mail('a@x'), mail('b@x'));
  });

  it('redacts every secret from error text', () => {
    assert.equal(
      redact('failed http://h/secret-path: /secret-path', ['http://h/secret-path', '/secret-path']),
      'failed <secret>: <secret>',
    );
  });
});
