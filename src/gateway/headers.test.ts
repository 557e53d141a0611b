import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientResponseHeaders, headerObject, upstreamRequestHeaders } from './headers.ts';

const ctx = { peerIp: '192.0.2.1', trusted: false, proto: 'https', host: 'app.test', requestId: 'rid' };

describe('upstreamRequestHeaders', () => {
  const cases: Array<{ name: string; raw: string[]; trusted?: boolean; want: string[] }> = [
    {
      name: 'keeps end-to-end headers with their case and repeats, adds forwarding headers',
      raw: ['Host', 'app.test', 'Accept', 'a', 'X-Multi', '1', 'X-Multi', '2'],
      want: [
        'Host',
        'app.test',
        'Accept',
        'a',
        'X-Multi',
        '1',
        'X-Multi',
        '2',
        'x-forwarded-for',
        '192.0.2.1',
        'x-forwarded-proto',
        'https',
        'x-forwarded-host',
        'app.test',
        'forwarded',
        'for=192.0.2.1;host=app.test;proto=https',
        'x-request-id',
        'rid',
      ],
    },
    {
      name: 'drops hop-by-hop headers, those named in Connection, and pseudo-headers',
      raw: [
        ':path',
        '/',
        'Connection',
        'close, X-Hop',
        'X-Hop',
        'v',
        'TE',
        'trailers',
        'Upgrade',
        'h2c',
        'Keep-Alive',
        '5',
      ],
      want: [
        'host',
        'app.test',
        'x-forwarded-for',
        '192.0.2.1',
        'x-forwarded-proto',
        'https',
        'x-forwarded-host',
        'app.test',
        'forwarded',
        'for=192.0.2.1;host=app.test;proto=https',
        'x-request-id',
        'rid',
      ],
    },
    {
      name: 'extends the chain of a trusted proxy',
      trusted: true,
      raw: [
        'Host',
        'app.test',
        'X-Forwarded-For',
        '203.0.113.9',
        'X-Forwarded-Proto',
        'http',
        'Forwarded',
        'for=203.0.113.9',
      ],
      want: [
        'Host',
        'app.test',
        'x-forwarded-for',
        '203.0.113.9, 192.0.2.1',
        'x-forwarded-proto',
        'http',
        'x-forwarded-host',
        'app.test',
        'forwarded',
        'for=203.0.113.9, for=192.0.2.1;host=app.test;proto=https',
        'x-request-id',
        'rid',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(upstreamRequestHeaders(c.raw, { ...ctx, trusted: c.trusted ?? false }), c.want);
    });
  }

  it('joins cookie fields into one', () => {
    const out = upstreamRequestHeaders([':authority', 'app.test', 'cookie', 'a=1', 'cookie', 'b=2'], ctx);
    assert.deepEqual(out.slice(0, 4), ['cookie', 'a=1; b=2', 'host', 'app.test']);
  });

  it('quotes IPv6 nodes and hosts with ports in Forwarded', () => {
    const out = upstreamRequestHeaders([], { ...ctx, peerIp: '2001:db8::1', host: 'app.test:8443' });
    assert.equal(out[out.indexOf('forwarded') + 1], 'for="[2001:db8::1]";host="app.test:8443";proto=https');
  });
});

describe('response headers', () => {
  it('drops hop-by-hop headers and groups repeats for HTTP/2', () => {
    const flat = clientResponseHeaders([
      'Set-Cookie',
      'a=1',
      'Connection',
      'x-drop',
      'X-Drop',
      '1',
      'Set-Cookie',
      'b=2',
      'Transfer-Encoding',
      'chunked',
    ]);
    assert.deepEqual(flat, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2']);
    assert.deepEqual({ ...headerObject(flat) }, { 'set-cookie': ['a=1', 'b=2'] });
  });
});
