// The WAF behind the proxy's inspection seam: verdicts per phase and events at close.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestHeaderPairs, WafEngine, WafInspector } from '../src/gateway/waf/index.ts';

const conf = `SecRule ARGS "@contains evil" "id:1,phase:2,deny,status:403,log,msg:'evil arg',severity:CRITICAL"
SecRule RESPONSE_BODY "@contains stacktrace" "id:2,phase:4,deny,status:502,log,msg:'leak'"
SecResponseBodyAccess On
SecResponseBodyMimeType text/html`;

function request(uri: string, mode: string) {
  return {
    requestId: 'r1',
    site: 'app.example',
    clientIp: '192.0.2.7',
    clientPort: 5000,
    method: 'GET',
    uri,
    httpVersion: '1.1',
    headers: { host: 'app.example', 'user-agent': 'test' },
    rawHeaders: ['Host', 'app.example', 'User-Agent', 'test'],
    waf: { enabled: true, mode, paranoiaLevel: 1 },
  };
}

describe('WafInspector', () => {
  const inspector = new WafInspector(new WafEngine({ sources: [{ name: 'x.conf', text: conf }] }));

  it('returns null for sites without the WAF', () => {
    assert.equal(
      inspector.open({ ...request('/', 'blocking'), waf: { enabled: false, mode: 'blocking', paranoiaLevel: 1 } }),
      null,
    );
  });

  it('blocks in the request body phase and reports the request as one event', () => {
    const i = inspector.open(request('/?q=evil', 'blocking'));
    assert.ok(i);
    assert.deepEqual(i.requestHeaders(), { action: 'allow' });
    assert.deepEqual(i.requestBody(Buffer.alloc(0), true), { action: 'block', status: 403 });
    const e = i.close(403);
    assert.ok(e);
    assert.deepEqual(
      { ...e, timeMs: 0 },
      {
        timeMs: 0,
        requestId: 'r1',
        site: 'app.example',
        clientIp: '192.0.2.7',
        method: 'GET',
        uri: '/?q=evil',
        status: 403,
        action: 'blocked',
        matches: [{ id: 1, phase: 2, msg: 'evil arg', data: '', severity: 'CRITICAL', tags: [] }],
        anomaly: { inbound: 0, outbound: 0 },
      },
    );
  });

  it('returns no event when nothing matched', () => {
    const i = inspector.open(request('/?q=fine', 'blocking'));
    assert.ok(i);
    i.requestHeaders();
    assert.equal(i.close(200), null);
  });

  it('only reports in detection_only mode', () => {
    const i = inspector.open(request('/?q=evil', 'detection_only'));
    assert.ok(i);
    i.requestHeaders();
    assert.deepEqual(i.requestBody(Buffer.alloc(0), true), { action: 'allow' });
    assert.equal(i.close(200)?.action, 'detected');
  });

  it('inspects response bodies of listed MIME types', () => {
    const i = inspector.open(request('/', 'blocking'));
    assert.ok(i);
    i.requestHeaders();
    i.requestBody(Buffer.alloc(0), true);
    assert.deepEqual(i.responseHeaders(200, { 'content-type': 'text/html; charset=utf-8' }), { action: 'allow' });
    assert.ok(i.responseBodyLimitBytes > 0);
    assert.deepEqual(i.responseBody(Buffer.from('a stacktrace'), true), { action: 'block', status: 502 });
    assert.deepEqual(
      i.close(502)?.matches.map((m) => m.id),
      [2],
    );
  });
});

describe('requestHeaderPairs', () => {
  const table: Array<[string, string[], Array<[string, string]>]> = [
    [
      'keeps order, case and repeats',
      ['Host', 'a', 'Content-Type', 'x', 'content-type', 'y'],
      [
        ['Host', 'a'],
        ['Content-Type', 'x'],
        ['content-type', 'y'],
      ],
    ],
    [
      'drops HTTP/2 pseudo-headers, :authority standing in for Host',
      [':method', 'GET', ':authority', 'a.test', ':path', '/', 'accept', '*/*'],
      [
        ['Host', 'a.test'],
        ['accept', '*/*'],
      ],
    ],
    ['keeps a Host sent with :authority', [':authority', 'a.test', 'host', 'b.test'], [['host', 'b.test']]],
  ];
  for (const [name, raw, want] of table) it(name, () => assert.deepEqual(requestHeaderPairs(raw), want));
});
