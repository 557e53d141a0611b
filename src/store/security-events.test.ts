import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import type { SecurityEventFilter } from './security-events.ts';
import { Store } from './store.ts';

const logger = createLogger({ write: () => {} });

interface Spec {
  t: number;
  site: string;
  ip: string;
  action: 'blocked' | 'detected';
  rules: [number, string][];
}

/** Events shaped as the gateway emits them (src/gateway/inspector.ts' SecurityEvent). */
function stored(s: Spec, i: number) {
  const requestId = `req-${i}`;
  const status = s.action === 'blocked' ? 403 : 200;
  return {
    timeMs: s.t,
    site: s.site,
    clientIp: s.ip,
    action: s.action,
    status,
    requestId,
    event: {
      timeMs: s.t,
      requestId,
      site: s.site,
      clientIp: s.ip,
      method: 'GET',
      uri: `/r${i}`,
      status,
      action: s.action,
      matches: s.rules.map(([id, msg]) => ({ id, phase: 2, msg, data: '', severity: 'CRITICAL', tags: [] })),
      anomaly: { inbound: 5 * s.rules.length, outbound: 0 },
    },
  };
}

const sqli: [number, string] = [10100, 'SQL injection (libinjection)'];
const xss: [number, string] = [10200, 'XSS (libinjection)'];
const score = (n: number): [number, string] => [10900, `Inbound anomaly score exceeded (total score: ${n})`];

const specs: Spec[] = [
  { t: 1000, site: 'a.test', ip: '10.0.0.1', action: 'blocked', rules: [sqli, score(5)] },
  { t: 2000, site: 'a.test', ip: '10.0.0.2', action: 'detected', rules: [xss] },
  { t: 3000, site: 'b.test', ip: '10.0.0.1', action: 'blocked', rules: [xss, sqli, score(10)] },
  { t: 4000, site: 'b.test', ip: '2001:db8::1', action: 'detected', rules: [sqli] },
  { t: 5000, site: 'a.test', ip: '10.0.0.1', action: 'blocked', rules: [xss, xss, score(7)] },
  { t: 5000, site: 'a.test', ip: '10.0.0.3', action: 'detected', rules: [] },
];

describe('security events in the store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-security-events-'));
  let store: Store;
  before(() => {
    store = Store.open({ path: join(dir, 'vigil.db'), logger });
    store.securityEvents.insertMany(specs.map(stored));
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = (filter: SecurityEventFilter, limit = 100) =>
    store.securityEvents.query(filter, limit).map((e) => e.requestId);

  const cases: [string, SecurityEventFilter, number, string[]][] = [
    [
      'everything, newest first, ties last stored first',
      { sinceMs: 0 },
      100,
      ['req-5', 'req-4', 'req-3', 'req-2', 'req-1', 'req-0'],
    ],
    ['since is inclusive', { sinceMs: 4000 }, 100, ['req-5', 'req-4', 'req-3']],
    ['limit keeps the newest', { sinceMs: 0 }, 2, ['req-5', 'req-4']],
    ['by action', { sinceMs: 0, action: 'blocked' }, 100, ['req-4', 'req-2', 'req-0']],
    ['by site', { sinceMs: 0, site: 'b.test' }, 100, ['req-3', 'req-2']],
    ['by client address', { sinceMs: 0, clientIp: '10.0.0.1' }, 100, ['req-4', 'req-2', 'req-0']],
    ['by IPv6 client address', { sinceMs: 0, clientIp: '2001:db8::1' }, 100, ['req-3']],
    ['by rule id among the matches', { sinceMs: 0, ruleId: 10100 }, 100, ['req-3', 'req-2', 'req-0']],
    ['by a rule no event matched', { sinceMs: 0, ruleId: 1 }, 100, []],
    [
      'all filters at once',
      { sinceMs: 2000, action: 'blocked', site: 'b.test', clientIp: '10.0.0.1', ruleId: 10200 },
      100,
      ['req-2'],
    ],
    ['filters and limit', { sinceMs: 0, clientIp: '10.0.0.1', ruleId: 10900 }, 1, ['req-4']],
    ['an action that is not stored', { sinceMs: 0, action: 'allowed' }, 100, []],
  ];
  for (const [name, filter, limit, want] of cases) {
    it(`reads ${name}`, () => assert.deepEqual(ids(filter, limit), want));
  }

  it('gives back the event as stored', () => {
    const [e] = store.securityEvents.query({ sinceMs: 0, site: 'b.test', action: 'detected' }, 1);
    assert.deepEqual(e, stored(specs[3] as Spec, 3));
  });

  it('summarizes a window: counts, top addresses, rules (with the newest message) and sites', () => {
    assert.deepEqual(store.securityEvents.summary(0), {
      total: 6,
      blocked: 3,
      detected: 3,
      top_ips: [
        { ip: '10.0.0.1', count: 3 },
        { ip: '10.0.0.2', count: 1 },
        { ip: '10.0.0.3', count: 1 },
        { ip: '2001:db8::1', count: 1 },
      ],
      top_rules: [
        { id: 10100, msg: 'SQL injection (libinjection)', count: 3 },
        { id: 10200, msg: 'XSS (libinjection)', count: 3 },
        { id: 10900, msg: 'Inbound anomaly score exceeded (total score: 7)', count: 3 },
      ],
      top_sites: [
        { site: 'a.test', count: 4 },
        { site: 'b.test', count: 2 },
      ],
    });
    assert.deepEqual(store.securityEvents.summary(4000), {
      total: 3,
      blocked: 1,
      detected: 2,
      top_ips: [
        { ip: '10.0.0.1', count: 1 },
        { ip: '10.0.0.3', count: 1 },
        { ip: '2001:db8::1', count: 1 },
      ],
      top_rules: [
        { id: 10100, msg: 'SQL injection (libinjection)', count: 1 },
        { id: 10200, msg: 'XSS (libinjection)', count: 1 },
        { id: 10900, msg: 'Inbound anomaly score exceeded (total score: 7)', count: 1 },
      ],
      top_sites: [
        { site: 'a.test', count: 2 },
        { site: 'b.test', count: 1 },
      ],
    });
    assert.deepEqual(store.securityEvents.summary(10_000), {
      total: 0,
      blocked: 0,
      detected: 0,
      top_ips: [],
      top_rules: [],
      top_sites: [],
    });
  });

  it('keeps each top list to 10 entries, most frequent first', () => {
    const path = join(dir, 'many.db');
    const s = Store.open({ path, logger });
    const many: Spec[] = [];
    for (let i = 0; i < 15; i++) {
      for (let k = 0; k <= i; k++) {
        many.push({
          t: 100 + i,
          site: `s${i}.test`,
          ip: `10.1.0.${i}`,
          action: 'blocked',
          rules: [[20000 + i, `r${i}`]],
        });
      }
    }
    s.securityEvents.insertMany(many.map(stored));
    const sum = s.securityEvents.summary(0);
    assert.equal(sum.total, 120);
    assert.equal(sum.top_ips.length, 10);
    assert.deepEqual(sum.top_ips[0], { ip: '10.1.0.14', count: 15 });
    assert.deepEqual(sum.top_rules.at(-1), { id: 20005, msg: 'r5', count: 6 });
    assert.deepEqual(
      sum.top_sites.map((x) => x.count),
      [15, 14, 13, 12, 11, 10, 9, 8, 7, 6],
    );
    s.close();
  });

  it('deletes by age', () => {
    const path = join(dir, 'trim.db');
    const s = Store.open({ path, logger });
    s.securityEvents.insertMany(specs.map(stored));
    assert.equal(s.securityEvents.deleteBefore(3000), 2);
    assert.deepEqual(s.securityEvents.summary(0).total, 4);
    s.close();
  });
});
