// The OWASP CRS as users run it (recommended engine configuration, crs-setup.conf.example, the rules):
// blocking by anomaly score in On mode, paranoia levels chosen per transaction, clean traffic left alone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultCrsDir } from '../scripts/conformance-crs.ts';
import { crsFiles, recommendedConfig, WafEngine } from '../src/gateway/waf/index.ts';

const engine = new WafEngine({
  sources: [
    { name: 'recommended.conf', text: recommendedConfig({ ruleEngine: 'On' }) },
    ...crsFiles(defaultCrsDir).map((f) => ({ name: f, text: readFileSync(f, 'latin1') })),
  ],
});

function get(uri: string, headers: Array<[string, string]>, paranoia = '1') {
  const tx = engine.newTransaction({
    clientIp: '198.51.100.4',
    site: 'shop',
    tx: { blocking_paranoia_level: paranoia },
  });
  tx.processRequestHeaders({ method: 'GET', uri, protocol: 'HTTP/1.1', headers });
  tx.processRequestBody('');
  if (tx.interruption === null) {
    tx.processResponseHeaders(200, 'HTTP/1.1', [['Content-Type', 'text/html']]);
    tx.processResponseBody('<html>ok</html>');
  }
  tx.processLogging();
  return tx;
}

const browser: Array<[string, string]> = [
  ['Host', 'shop.example'],
  ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'],
  ['Accept', 'text/html,application/xhtml+xml'],
  ['Accept-Language', 'en-US,en;q=0.5'],
];

describe('CRS in blocking mode', () => {
  it('loads every rule, all regexes on RE2', () => {
    assert.equal(engine.skippedRules.length, 0);
    assert.ok(engine.ruleCount > 600, String(engine.ruleCount));
  });

  it('leaves an ordinary request alone', () => {
    const tx = get('/products?page=2&sort=price', browser);
    assert.equal(tx.interruption, null);
    assert.equal(tx.event(), null);
  });

  it('blocks an SQL injection through the anomaly score (949110) and reports it', () => {
    const tx = get("/products?id=1'%20or%20'1'='1", browser);
    assert.equal(tx.interruption?.ruleId, 949110);
    assert.equal(tx.interruption?.status, 403);
    const ev = tx.event();
    assert.ok(ev);
    assert.equal(ev.action, 'blocked');
    assert.ok(ev.inboundScore >= 5, String(ev.inboundScore));
    assert.ok(ev.rules.some((r) => r.tags.includes('attack-sqli')));
  });

  it('runs paranoia level 2 rules only when the transaction asks for level 2', () => {
    const noAgent = browser.filter(([k]) => k !== 'User-Agent');
    assert.ok(!get('/', noAgent, '1').matches.some((m) => m.id === 920320));
    assert.ok(get('/', noAgent, '2').matches.some((m) => m.id === 920320));
  });
});
