import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { xxhash64 } from '../model/index.ts';
import { evalTimestamp } from './eval-time.ts';

describe('xxhash64', () => {
  // Reference values of XXH64 with seed 0 (the xxHash project's and cespare/xxhash's test vectors).
  const cases: [string, string][] = [
    ['', 'ef46db3751d8e999'],
    ['a', 'd24ec4f1a98c6e5b'],
    ['abc', '44bc2cf5ad770999'],
  ];
  for (const [input, want] of cases) {
    it(`hashes ${JSON.stringify(input)}`, () => {
      assert.equal(xxhash64(Buffer.from(input)).toString(16).padStart(16, '0'), want);
    });
  }
});

describe('evalTimestamp', () => {
  it('is the latest aligned time at or before now, with the same phase for every now', () => {
    const interval = 60_000;
    const phase = (t: number) => ((t % interval) + interval) % interval;
    const base = Date.UTC(2024, 0, 1);
    const first = evalTimestamp('rules.yml', 'g', interval, base);
    for (const now of [base, base + 1, base + 59_999, base + 3_600_123]) {
      const t = evalTimestamp('rules.yml', 'g', interval, now);
      assert.ok(t <= now && now - t < interval, `${t} for ${now}`);
      assert.equal(phase(t), phase(first));
    }
    assert.notEqual(phase(evalTimestamp('rules.yml', 'other', interval, base)), phase(first));
  });
});
