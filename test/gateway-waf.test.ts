// The WAF in the gateway, end to end: the real proxy over TLS to a local echo backend, CRS 4 from
// ../shared/crs at paranoia level 1 (and the built-in baseline without a CRS directory), checked through
// the status codes, the audit log file, the metrics and the event sink.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as h2connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/index.ts';
import type { AuditRecord, SecurityEvent } from '../src/gateway/index.ts';
import { GatewayWafError, wafInspectorFactory } from '../src/gateway/index.ts';
import { createLogger } from '../src/log/index.ts';
import { type Backend, get, metric, rawTls, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const crsDir = fileURLToPath(new URL('../../shared/crs', import.meta.url));
const sqli = `/items?id=${encodeURIComponent("1' OR '1'='1")}`;
const xss = `/search?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}`;

function auditLines(gw: TestGateway): AuditRecord[] {
  let text = '';
  try {
    text = readFileSync(join(gw.dataDir, 'gateway-audit.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AuditRecord);
}

/** Waits for the audit line of a request (written when its response has closed on the server side). */
async function lineFor(gw: TestGateway, match: (r: AuditRecord) => boolean): Promise<AuditRecord | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = auditLines(gw).find(match);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

function sites(backend: Backend, extra: string[] = []): string {
  return [
    '  audit_log: { marker_header: X-CRS-Test }',
    '  sites:',
    '    - hosts: [app.test]',
    `      upstreams: [{ url: '${backend.url}' }]`,
    `      waf: { mode: blocking, paranoia_level: 1, crs_dir: '${crsDir}' }`,
    '    - hosts: [detect.test]',
    `      upstreams: [{ url: '${backend.url}' }]`,
    `      waf: { mode: detection_only, paranoia_level: 1, crs_dir: '${crsDir}' }`,
    ...extra,
  ].join('\n');
}

const contractKeys = [
  'ts',
  'request_id',
  'site',
  'client_ip',
  'method',
  'uri',
  'status',
  'action',
  'matched_rule_ids',
  'matches',
  'anomaly',
];

describe('gateway WAF with CRS', () => {
  let backend: Backend;
  let gw: TestGateway;
  const events: SecurityEvent[] = [];
  const logs: string[] = [];

  before(async () => {
    backend = await startBackend();
    const logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
    gw = await startGateway(sites(backend), {
      inspector: wafInspectorFactory({ logger }),
      events: { emit: (e) => events.push(e) },
    });
  });
  after(async () => {
    await gw.close();
    await backend.close();
  });

  it('loads CRS once for the two sites sharing a crs_dir', () => {
    assert.equal(logs.filter((l) => l.includes('waf rules loaded')).length, 1);
    assert.ok(!logs.some((l) => l.includes('full protection needs CRS')));
  });

  it('passes a benign GET with a query string and a 1 KB form POST, with no audit line', async () => {
    const r1 = await get(gw.port, '/products?category=books&page=2&sort=price');
    assert.equal(r1.status, 200);
    const form = new URLSearchParams({ name: 'Ada Lovelace', comment: 'a'.repeat(1000) }).toString();
    const r2 = await get(gw.port, '/contact', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    assert.equal(r2.status, 200);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(auditLines(gw), []);
    assert.equal(await metric(gw.registry, 'vigil_waf_requests_total', { site: 'app.test', action: 'passed' }), 2);
  });

  for (const [name, uri, tag] of [
    ['SQL injection', sqli, 'attack-sqli'],
    ['XSS', xss, 'attack-xss'],
  ] as const) {
    it(`blocks ${name} with 403 and writes the audit line of the contract`, async () => {
      const seenBefore = backend.seen.length;
      const r = await get(gw.port, uri, { headers: { 'user-agent': 'vigil-test' } });
      assert.equal(r.status, 403);
      assert.equal(backend.seen.length, seenBefore, 'the backend is not contacted');
      const line = await lineFor(gw, (l) => l.uri === uri);
      assert.ok(line, 'an audit line');
      assert.deepEqual(Object.keys(line), contractKeys);
      assert.match(line.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.match(line.request_id, /^[0-9a-f-]{36}$/);
      assert.equal(line.site, 'app.test');
      assert.equal(line.client_ip, '127.0.0.1');
      assert.equal(line.method, 'GET');
      assert.equal(line.status, 403);
      assert.equal(line.action, 'blocked');
      assert.ok(line.matched_rule_ids.includes(949110), `949110 in ${line.matched_rule_ids}`);
      assert.deepEqual(
        line.matches.map((m) => m.id),
        line.matched_rule_ids,
      );
      for (const m of line.matches) {
        assert.deepEqual(Object.keys(m), ['id', 'phase', 'msg', 'data', 'severity', 'tags']);
      }
      assert.ok(
        line.matches.some((m) => m.tags.includes(tag)),
        `a match tagged ${tag}`,
      );
      assert.ok(line.anomaly.inbound >= 5, `inbound score ${line.anomaly.inbound}`);
      assert.equal(line.anomaly.outbound, 0);
      assert.equal(
        (await metric(gw.registry, 'vigil_waf_rule_matches_total', { site: 'app.test', rule_id: '949110' })) !==
          undefined,
        true,
      );
      const ev = events.find((e) => e.uri === uri);
      assert.equal(ev?.requestId, line.request_id, 'the event sink got the same event');
    });
  }

  it('counts blocked requests and rule matches', async () => {
    assert.equal(await metric(gw.registry, 'vigil_waf_requests_total', { site: 'app.test', action: 'blocked' }), 2);
    assert.equal(await metric(gw.registry, 'vigil_waf_rule_matches_total', { site: 'app.test', rule_id: '949110' }), 2);
  });

  it('passes the same attack in detection_only mode and logs it as detected', async () => {
    const r = await get(gw.port, sqli, { servername: 'detect.test' });
    assert.equal(r.status, 200);
    const line = await lineFor(gw, (l) => l.site === 'detect.test' && l.uri === sqli);
    assert.ok(line);
    assert.equal(line.action, 'detected');
    assert.equal(line.status, 200);
    assert.ok(line.matched_rule_ids.includes(949110));
    assert.equal(await metric(gw.registry, 'vigil_waf_requests_total', { site: 'detect.test', action: 'detected' }), 1);
  });

  it('logs a request carrying the marker header even when nothing matched', async () => {
    const r = await get(gw.port, '/marked', { headers: { 'x-crs-test': 'marker-42' } });
    assert.equal(r.status, 200);
    const line = await lineFor(gw, (l) => l.uri === '/marked');
    assert.ok(line);
    assert.equal(line.marker, 'marker-42');
    assert.equal(line.action, 'passed');
    assert.deepEqual(line.matched_rule_ids, []);
    assert.equal(line.status, 200);
  });

  it('lets the WAF see repeated Content-Type headers (920620)', async () => {
    const out = await rawTls(gw.port, [
      'POST /upload-920620 HTTP/1.1\r\nHost: app.test\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\na=b',
    ]);
    assert.match(out, /^HTTP\/1\.1 403 /);
    const line = await lineFor(gw, (l) => l.uri === '/upload-920620');
    assert.ok(line?.matched_rule_ids.includes(920620), `920620 in ${line?.matched_rule_ids}`);
  });

  it('inspects HTTP/2 requests with the header list as received (:authority standing in for Host)', async () => {
    const client = h2connect(`https://127.0.0.1:${gw.port}`, { servername: 'app.test', rejectUnauthorized: false });
    const status = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const s = client.request({
          ':path': path,
          ':authority': 'app.test',
          'user-agent': 'vigil-test',
          accept: 'text/html',
        });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
      });
    try {
      assert.equal(await status('/h2/benign?page=3'), 200);
      assert.equal(await status(`/h2${sqli}`), 403);
    } finally {
      client.close();
    }
    const line = await lineFor(gw, (l) => l.uri === `/h2${sqli}`);
    assert.ok(line?.matched_rule_ids.includes(949110));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(
      auditLines(gw).find((l) => l.uri.startsWith('/h2/benign')),
      undefined,
      'no rule matched the benign HTTP/2 request',
    );
  });

  it("lets the WAF read a request Node's parser refuses, and records both in one event", async () => {
    const raw = await rawTls(gw.port, ['TEST /odd-method HTTP/1.1\r\nHost: app.test\r\nUser-Agent: x\r\n\r\n']);
    assert.match(raw, /^HTTP\/1\.1 400 /);
    const line = await lineFor(gw, (l) => l.uri === '/odd-method');
    assert.equal(line?.method, 'TEST');
    assert.equal(line?.status, 400);
    assert.equal(line?.action, 'blocked');
    assert.ok(line?.matched_rule_ids.includes(911100), `CRS's method rule in ${line?.matched_rule_ids}`);
    assert.equal(line?.matched_rule_ids.at(-1), 11001, 'and the refusal');
  });

  it('answers CONNECT with 405 (nothing is tunnelled) and 400 without a port, after the WAF read it', async () => {
    const ok = await rawTls(gw.port, ['CONNECT app.test:443 HTTP/1.1\r\nHost: app.test\r\n\r\n']);
    assert.match(ok, /^HTTP\/1\.1 405 /);
    const bad = await rawTls(gw.port, ['CONNECT app.test HTTP/1.1\r\nHost: app.test\r\n\r\n']);
    assert.match(bad, /^HTTP\/1\.1 400 /);
    const line = await lineFor(gw, (l) => l.method === 'CONNECT' && l.uri === 'app.test:443');
    assert.equal(line?.matched_rule_ids.at(-1), 11013);
    assert.equal(line?.site, 'app.test');
  });

  it('refuses a ReDoS-shaped body with 403 and an event, and serves others meanwhile', async () => {
    // 120 KB (under the 128 KiB no-files limit) of a shape that makes backtracking regex engines quadratic.
    const body = `comment=${encodeURIComponent(`<a${' onx'.repeat(20_000)}=alert(1)`)}`;
    const started = Date.now();
    const [attack, other] = await Promise.all([
      get(gw.port, '/redos', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
      get(gw.port, '/fine-meanwhile'),
    ]);
    assert.equal(attack.status, 403);
    assert.equal(other.status, 200);
    assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
    const line = await lineFor(gw, (l) => l.uri === '/redos');
    assert.equal(line?.action, 'blocked');
    assert.ok(line?.matched_rule_ids.includes(949110));
  });

  it('holds a body without files to SecRequestBodyNoFilesLimit (128 KiB), and not a file upload', async () => {
    const form = (bytes: number) => `comment=${'a'.repeat(bytes - 8)}`;
    const seenBefore = backend.seen.length;
    const big = await get(gw.port, '/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(200 * 1024),
    });
    assert.equal(big.status, 413, 'blocking: refused');
    assert.equal(backend.seen.length, seenBefore, 'the backend is not contacted');
    const small = await get(gw.port, '/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(100 * 1024),
    });
    assert.equal(small.status, 200);
    const detected = await get(gw.port, '/form', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form(200 * 1024),
      servername: 'detect.test',
    });
    assert.equal(detected.status, 200, 'detection_only: the first 128 KiB inspected, the whole body forwarded');
    const file = `--B\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'x'.repeat(300 * 1024)}\r\n--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nhello\r\n--B--\r\n`;
    const upload = await get(gw.port, '/upload', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=B' },
      body: file,
    });
    assert.equal(upload.status, 200, 'a 300 KiB file part does not count');
  });

  it('logs the X-Request-Id the backend received', async () => {
    const r = await get(gw.port, `/echo?x=${encodeURIComponent('<script>alert(1)</script>')}`, {
      servername: 'detect.test',
    });
    assert.equal(r.status, 200);
    const sent = JSON.parse(r.text).headers['x-request-id'];
    assert.ok(sent);
    const line = await lineFor(gw, (l) => l.uri.startsWith('/echo'));
    assert.equal(line?.request_id, sent);
  });
});

describe('gateway WAF baseline (no crs_dir)', () => {
  let backend: Backend;
  let gw: TestGateway;
  const logs: string[] = [];

  before(async () => {
    backend = await startBackend();
    const logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
    gw = await startGateway(
      ['  sites:', '    - hosts: [app.test]', `      upstreams: [{ url: '${backend.url}' }]`].join('\n'),
      { inspector: wafInspectorFactory({ logger }) },
    );
  });
  after(async () => {
    await gw.close();
    await backend.close();
  });

  it('warns once that full protection needs CRS, naming the site', () => {
    const warnings = logs.filter((l) => l.includes('full protection needs CRS'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /set gateway\.sites\[0\]\.waf\.crs_dir/);
    assert.match(warnings[0] as string, /app\.test/);
  });

  it('passes a benign request and blocks an obvious SQL injection', async () => {
    assert.equal((await get(gw.port, '/search?q=O%27Reilly%20books&page=2')).status, 200);
    assert.equal((await get(gw.port, sqli)).status, 403);
    const line = await lineFor(gw, (l) => l.uri === sqli);
    assert.ok(line);
    assert.equal(line.action, 'blocked');
    assert.ok(line.matched_rule_ids.includes(10900), `10900 in ${line.matched_rule_ids}`);
    assert.equal(auditLines(gw).length, 1);
  });

  for (const [name, uri] of [
    ['XSS', xss],
    ['path traversal', '/file?name=..%2F..%2Fetc%2Fpasswd'],
    ['command injection', '/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fhosts'],
  ] as const) {
    it(`blocks ${name}`, async () => {
      assert.equal((await get(gw.port, uri)).status, 403);
    });
  }
});

describe('gateway WAF rules that cannot be loaded', () => {
  let backend: Backend;
  let brokenDir: string;

  before(async () => {
    backend = await startBackend();
    brokenDir = mkdtempSync(join(tmpdir(), 'vigil-crs-'));
    mkdirSync(join(brokenDir, 'rules'));
    writeFileSync(join(brokenDir, 'crs-setup.conf'), 'SecAction "id:900000,phase:1,pass,nolog"\n');
    writeFileSync(
      join(brokenDir, 'rules', 'REQUEST-901-BROKEN.conf'),
      '# a comment\n\nSecRule ARGS "@nosuchop x" "id:1,phase:2,deny"\n',
    );
  });
  after(async () => {
    await backend.close();
    rmSync(brokenDir, { recursive: true, force: true });
  });

  const yaml = (dir: string) =>
    [
      '  sites:',
      '    - hosts: [app.test]',
      `      upstreams: [{ url: '${backend.url}' }]`,
      `      waf: { crs_dir: '${dir}' }`,
    ].join('\n');
  const logger = createLogger({ level: 'error', write: () => {} });

  it('refuses to start, naming the site and the file:line', async () => {
    await assert.rejects(
      startGateway(yaml(brokenDir), { inspector: wafInspectorFactory({ logger }) }),
      (err: Error) =>
        err instanceof GatewayWafError &&
        err.siteIndex === 0 &&
        err.message.startsWith('gateway.sites[0].waf.crs_dir:') &&
        err.message.includes('REQUEST-901-BROKEN.conf:3:'),
    );
    await assert.rejects(
      startGateway(yaml(join(brokenDir, 'missing')), { inspector: wafInspectorFactory({ logger }) }),
      GatewayWafError,
    );
  });

  it('refuses a reload to a broken CRS directory and keeps the running rules', async () => {
    const gw = await startGateway(yaml(crsDir), { inspector: wafInspectorFactory({ logger }) });
    try {
      const text = `gateway:\n  listen: 127.0.0.1:0\n  redirect_listen: 127.0.0.1:0\n  metrics_listen: none\n${yaml(brokenDir)}`;
      const next = parseConfig(text, 'vigil.yml', {}).gateway;
      assert.ok(next);
      assert.throws(() => gw.gateway.reload(next), GatewayWafError);
      assert.equal((await get(gw.port, sqli)).status, 403, 'CRS still blocks');
    } finally {
      await gw.close();
    }
  });
});
