import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { balancers, passiveDownMs, Upstream } from './upstream.ts';

const make = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => new Upstream({ url: `http://127.0.0.1:${i + 1}`, idleConnections: 1, connectTimeoutMs: 1 }),
  );

describe('balancers', () => {
  it('round_robin cycles and skips unavailable upstreams', () => {
    const us = make(3);
    const b = balancers.round_robin(us);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => b.pick(0)?.port),
      [1, 2, 3, 1],
    );
    us[1]?.markFailed(0);
    assert.deepEqual(
      [1, 2, 3].map(() => b.pick(1)?.port),
      [3, 1, 3],
    );
    assert.equal(b.pick(passiveDownMs)?.port, 1);
    assert.equal(b.pick(passiveDownMs)?.port, 2, 'back after the passive down time');
    for (const u of us) u.close();
  });

  it('least_conn picks the fewest in flight and none when all are down', () => {
    const us = make(2);
    const b = balancers.least_conn(us);
    (us[0] as Upstream).active = 3;
    assert.equal(b.pick(0)?.port, 2);
    (us[1] as Upstream).active = 5;
    assert.equal(b.pick(0)?.port, 1);
    for (const u of us) {
      u.checked = true;
      u.markFailed(0);
    }
    assert.equal(b.pick(0), undefined);
    for (const u of us) u.close();
  });
});
