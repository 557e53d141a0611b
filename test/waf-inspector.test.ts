// The WAF behind the proxy's inspection seam: verdicts per phase and events at close.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WafEngine, WafInspector } from '../src/gateway/waf/index.ts';

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

  it('blocks in the request body phase and reports a match and a block', () => {
    const i = inspector.open(request('/?q=evil', 'blocking'));
    assert.ok(i);
    assert.deepEqual(i.requestHeaders(), { action: 'allow' });
    assert.deepEqual(i.requestBody(Buffer.alloc(0), true), { action: 'block', status: 403 });
    const events = i.close(403);
    assert.deepEqual(
      events.map((e) => [e.kind, e.ruleId, e.message, e.status]),
      [
        ['waf_match', '1', 'evil arg', 403],
        ['waf_block', '1', 'blocked by rule 1 in phase 2', 403],
      ],
    );
    assert.equal(events[0]?.severity, 'critical');
  });

  it('only reports in detection_only mode', () => {
    const i = inspector.open(request('/?q=evil', 'detection_only'));
    assert.ok(i);
    i.requestHeaders();
    assert.deepEqual(i.requestBody(Buffer.alloc(0), true), { action: 'allow' });
    assert.deepEqual(
      i.close(200).map((e) => e.kind),
      ['waf_match'],
    );
  });

  it('inspects response bodies of listed MIME types', () => {
    const i = inspector.open(request('/', 'blocking'));
    assert.ok(i);
    i.requestHeaders();
    i.requestBody(Buffer.alloc(0), true);
    assert.deepEqual(i.responseHeaders(200, { 'content-type': 'text/html; charset=utf-8' }), { action: 'allow' });
    assert.ok(i.responseBodyLimitBytes > 0);
    assert.deepEqual(i.responseBody(Buffer.from('a stacktrace'), true), { action: 'block', status: 502 });
    assert.equal(i.close(502)[0]?.ruleId, '2');
  });
});
