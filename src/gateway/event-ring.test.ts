import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecurityEventRing } from './event-ring.ts';
import type { SecurityEvent } from './inspector.ts';

const event = (n: number): SecurityEvent => ({
  timeMs: n,
  requestId: `r${n}`,
  site: 's',
  clientIp: '192.0.2.1',
  method: 'GET',
  uri: '/',
  status: 403,
  action: 'blocked',
  matches: [],
  anomaly: { inbound: 5, outbound: 0 },
});

describe('SecurityEventRing', () => {
  for (const [added, kept] of [
    [0, []],
    [2, [0, 1]],
    [3, [0, 1, 2]],
    [7, [4, 5, 6]],
  ] as const) {
    it(`keeps the last 3 of ${added} events, oldest first`, () => {
      const ring = new SecurityEventRing(3);
      for (let i = 0; i < added; i++) ring.emit(event(i));
      assert.deepEqual(
        ring.events().map((e) => e.timeMs),
        kept,
      );
      assert.equal(ring.size, kept.length);
    });
  }

  it('refuses a capacity below 1', () => {
    assert.throws(() => new SecurityEventRing(0), RangeError);
  });
});
