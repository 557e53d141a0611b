import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { floatBits, floatFromBits, isStaleNaN, staleNaN } from './value.ts';

describe('staleness marker', () => {
  it('has the bit pattern 0x7ff0000000000002, kept by typed-array stores', () => {
    assert.deepEqual(floatBits(staleNaN), [0x7ff00000, 2]);
    const stored = new Float64Array(1);
    stored[0] = staleNaN;
    assert.deepEqual(floatBits(stored[0] as number), [0x7ff00000, 2]);
  });

  it('is still recognised after V8 quieted it in a plain array', () => {
    const quieted = new Float64Array([staleNaN])[0] as number;
    assert.deepEqual(floatBits(quieted), [0x7ff80000, 2]);
    assert.ok(isStaleNaN(quieted));
  });

  it('is told apart from other NaNs and from numbers', () => {
    assert.equal(isStaleNaN(Number.NaN), false);
    assert.equal(isStaleNaN(floatFromBits(0x7ff80000, 1)), false, "Go's NaN");
    assert.equal(isStaleNaN(0), false);
    assert.equal(isStaleNaN(Number.POSITIVE_INFINITY), false);
  });

  it('round-trips any 64-bit pattern', () => {
    for (const [hi, lo] of [
      [0, 0],
      [0x80000000, 0],
      [0x7ff00000, 0],
      [0x7ff00000, 0x12345],
      [0xfff80000, 0xdeadbeef],
    ] as const) {
      assert.deepEqual(floatBits(floatFromBits(hi, lo)), [hi, lo]);
    }
  });
});
