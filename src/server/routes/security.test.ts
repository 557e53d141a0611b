import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError } from '../errors.ts';
import { parseEventsQuery, parseSince } from './security.ts';

const now = 1_800_000_000_000;
const parse = (qs: string) => parseEventsQuery(new URLSearchParams(qs), now);

describe('security events query parameters', () => {
  const good: [string, ReturnType<typeof parse>][] = [
    ['', { filter: { sinceMs: now - 86_400_000 }, limit: 100 }],
    ['since=&limit=&action=&site=&client_ip=&rule_id=', { filter: { sinceMs: now - 86_400_000 }, limit: 100 }],
    ['since=1700000000000&limit=1000', { filter: { sinceMs: 1_700_000_000_000 }, limit: 1000 }],
    ['since=2026-01-02T03:04:05Z&limit=1', { filter: { sinceMs: Date.UTC(2026, 0, 2, 3, 4, 5) }, limit: 1 }],
    [
      'since=0&action=blocked&site=app.test&client_ip=192.0.2.7&rule_id=942100',
      {
        filter: { sinceMs: 0, action: 'blocked', site: 'app.test', clientIp: '192.0.2.7', ruleId: 942100 },
        limit: 100,
      },
    ],
    [
      'since=0&action=detected&site=*&client_ip=2001:db8::1&rule_id=4294967295',
      {
        filter: { sinceMs: 0, action: 'detected', site: '*', clientIp: '2001:db8::1', ruleId: 4294967295 },
        limit: 100,
      },
    ],
  ];
  for (const [qs, want] of good) {
    it(`reads "${qs}"`, () => assert.deepEqual(parse(qs), want));
  }

  const bad: [string, RegExp][] = [
    ['limit=0', /^invalid limit "0": 1 to 1000$/],
    ['limit=1001', /^invalid limit "1001"/],
    ['limit=1.5', /^invalid limit/],
    ['since=yesterday', /^invalid since "yesterday": Unix milliseconds or an RFC 3339 time$/],
    ['since=2026-13-45T00:00:00Z', /^invalid since/],
    ['since=-5', /^invalid since/],
    ['action=allowed', /^invalid action "allowed": "blocked" or "detected"$/],
    ['action=BLOCKED', /^invalid action/],
    ['site=a%20b', /^invalid site "a b": a site name of at most 253 characters/],
    [`site=${'a'.repeat(254)}`, /^invalid site "a{100}": /],
    ['site=a%00b', /^invalid site/],
    ['client_ip=localhost', /^invalid client_ip "localhost": an IPv4 or IPv6 address$/],
    ['client_ip=10.0.0.256', /^invalid client_ip/],
    ['rule_id=0', /^invalid rule_id "0": a rule id from 1 to 4294967295$/],
    ['rule_id=4294967296', /^invalid rule_id/],
    ['rule_id=12a', /^invalid rule_id/],
    ['rule_id=-1', /^invalid rule_id/],
    ['rule_id=1e3', /^invalid rule_id/],
  ];
  for (const [qs, message] of bad) {
    it(`refuses "${qs.slice(0, 40)}" with a 400 naming the parameter`, () =>
      assert.throws(
        () => parse(qs),
        (err: unknown) => err instanceof HttpError && err.status === 400 && message.test(err.message),
      ));
  }

  it('defaults the summary window to the last 24 hours', () => {
    assert.equal(parseSince(new URLSearchParams(), now), now - 86_400_000);
    assert.equal(parseSince(new URLSearchParams('since=5'), now), 5);
  });
});
